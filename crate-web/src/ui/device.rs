//! Step 1: pick a real adapter or the virtual device, the baud and reset method, then link; while
//! linking, a countdown with what to do and a live diagnosis of what the line shows.

use bkflash_core::flasher::{ResetMethod, WorkBaud};
use bkflash_core::progress::LineState;
use leptos::prelude::*;

use crate::device::{VIRTUAL_CHIPS, now_ms, virtual_chip};
use crate::job::Job;
use crate::jobs::{self, Source};
use crate::session::Session;
use crate::ui::practice_reset::PracticeReset;
use crate::ui::spi_entry::SpiButton;

/// The work rates offered: the chip's field default first (the default), Fast as an explicit choice.
static BAUDS: [(WorkBaud, &str, &str); 7] = [
    (
        WorkBaud::ChipDefault,
        "default",
        "Default for the chip (921600 on BK7231T/U, BK7252; 460800 on the others)",
    ),
    (
        WorkBaud::Fast,
        "fast",
        "Fast (up to 2000000, checked with a 4 KiB test read)",
    ),
    (
        WorkBaud::Fixed(115_200),
        "115200",
        "115200 (slow, most robust)",
    ),
    (WorkBaud::Fixed(460_800), "460800", "460800"),
    (WorkBaud::Fixed(921_600), "921600", "921600"),
    (WorkBaud::Fixed(1_500_000), "1500000", "1500000"),
    (WorkBaud::Fixed(2_000_000), "2000000", "2000000"),
];

static RESETS: [(ResetMethod, &str, &str); 4] = [
    (
        ResetMethod::Auto,
        "auto",
        "Automatic (tries RTS and DTR+RTS)",
    ),
    (ResetMethod::RtsToCen, "rts", "RTS wired to CEN"),
    (
        ResetMethod::EspTwoLine,
        "dtr-rts",
        "DTR+RTS auto-reset circuit",
    ),
    (
        ResetMethod::Manual,
        "manual",
        "Manual (I bridge CEN to GND)",
    ),
];

#[component]
pub fn DeviceSection(serial_available: bool) -> impl IntoView {
    let session = expect_context::<Session>();
    let (virtual_id, set_virtual_id) = signal(String::from(VIRTUAL_CHIPS[0].id));
    let busy = move || session.busy.get().is_some();
    let connect_serial = move |_| jobs::connect(session, Source::Serial);
    let connect_virtual = move |_| {
        if let Some(chip) = virtual_chip(&virtual_id.get_untracked()) {
            jobs::connect(session, Source::Virtual(chip));
        }
    };
    let on_baud = move |ev| {
        let value = event_target_value(&ev);
        if let Some((baud, _, _)) = BAUDS.iter().find(|(_, id, _)| *id == value) {
            session.baud.set(*baud);
        }
    };
    let on_reset = move |ev| {
        let value = event_target_value(&ev);
        if let Some((method, _, _)) = RESETS.iter().find(|(_, id, _)| *id == value) {
            session.reset.set(*method);
        }
    };
    let linking = move || {
        session.busy.get() == Some(Job::Connect) && session.link_deadline_ms.get().is_some()
    };
    let seconds_left = move || {
        let deadline = session.link_deadline_ms.get().unwrap_or(0.0);
        // Whole seconds as an integer: no float printer in the page.
        ((deadline - session.tick.get().max(now_ms() - 1.0)) / 1000.0)
            .ceil()
            .max(0.0) as u32
    };
    view! {
        <section class="panel" aria-labelledby="device-title">
            <h2 id="device-title">"1. Device"</h2>
            <p>"Wire a 3.3 V USB-UART adapter to the chip (see Help below) and press Connect, or try the page with a virtual chip."</p>
            <div class="row">
                <label for="baud">"Baud"</label>
                <select id="baud" on:change=on_baud prop:disabled=busy>
                    {BAUDS.iter().map(|(_, id, label)| view! { <option value=*id>{*label}</option> }).collect_view()}
                </select>
                <label for="reset">"Reset"</label>
                <select id="reset" on:change=on_reset prop:disabled=busy>
                    {RESETS.iter().map(|(_, id, label)| view! { <option value=*id>{*label}</option> }).collect_view()}
                </select>
            </div>
            <div class="row">
                <button id="connect" type="button" class="primary" on:click=connect_serial
                    disabled=move || !serial_available || busy() aria-describedby=(!serial_available).then_some("unsupported-title")>"Connect"</button>
                <span class="or">"or"</span>
                <label for="virtual-chip" class="visually-hidden">"Virtual chip"</label>
                <select id="virtual-chip" on:change=move |ev| set_virtual_id.set(event_target_value(&ev)) prop:disabled=busy>
                    {VIRTUAL_CHIPS.iter().map(|c| view! { <option value=c.id>{c.label}</option> }).collect_view()}
                </select>
                <button id="connect-virtual" type="button" on:click=connect_virtual disabled=busy>"Virtual device"</button>
                <span class="or">"or"</span>
                <SpiButton />
            </div>
            <p id="phone-note" class="phone-note hint">"Keep this tab open and the screen on. A phone's OTG port cannot power the chip: use a separate 3.3 V supply."</p>
            <p id="port-label" data-testid="port-label">{move || session.port_label.get().unwrap_or_else(|| String::from("Not connected."))}</p>
            <Show when=linking>
                <div id="linking" class="guide">
                    <p class="countdown">"Linking… "<strong>{seconds_left}" s"</strong>" left."</p>
                    <p>"If the chip has no reset wiring: bridge CEN to GND now, briefly (under a second), then let go."</p>
                    <p id="line-diagnosis" data-testid="line-diagnosis">{move || session.line.get().map(LineState::advice)}</p>
                    <PracticeReset />
                </div>
            </Show>
        </section>
    }
}
