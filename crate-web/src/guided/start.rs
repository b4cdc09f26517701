//! Start: what the flow does, the three things to check before wiring, and the two ways in (the
//! adapter, or a virtual plug). Footer links lead to Backups, SPI recovery, Help and the expert view.

use leptos::prelude::*;

use super::Guided;
use super::words::virtual_name;
use crate::device::VIRTUAL_CHIPS;
use crate::jobs::Source;
use crate::session::Session;
use crate::support::{self, SerialSupport};
use crate::ui::wiring::{WiringMode, WiringPicture};

#[component]
pub fn StartScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let serial = support::detect() == SerialSupport::Available;
    let primary = move || {
        session.manifest_name.get().map_or_else(
            || String::from("Connect the adapter"),
            |name| format!("Install {name}"),
        )
    };
    let backups = move || session.backups.with(Vec::len);
    let others = VIRTUAL_CHIPS
        .iter()
        .map(|chip| {
            view! {
                <li><button type="button" class="link" on:click=move |_| guided.connect(session, Source::Virtual(chip))>
                    {virtual_name(chip)}</button></li>
            }
        })
        .collect_view();
    view! {
        <h1 class="guided-title">"Put new firmware on a Tuya plug or bulb (Beken BK7231)"</h1>
        <p class="guided-lead">"Works in Chrome or Edge, nothing to install. Your original firmware is saved first."</p>
        <section class="step-card" aria-labelledby="guided-heading">
            <h2 id="guided-heading" tabindex="-1">"Before you start"</h2>
            <ul class="checklist">
                <li>"Power the chip from its own 3.3\u{a0}V supply (at least 300\u{a0}mA). Never 5\u{a0}V."</li>
                <li>"Adapter TX to the chip's RX1 (P10), adapter RX to TX1 (P11), and GND shared."</li>
                <li>"Your original firmware is saved first."</li>
            </ul>
            <div id="guided-wiring">
                <WiringPicture mode=WiringMode::Uart id="guided-wiring-picture" />
            </div>
            {(!serial).then(|| view! {
                <p class="guided-note" role="note">"This browser cannot reach serial adapters. Use Chrome, Edge or Opera on a computer, or Chrome on Android with a USB-OTG adapter; the virtual plug works everywhere."</p>
            })}
            <button id="guided-connect" type="button" class="primary big" disabled=!serial
                on:click=move |_| guided.connect(session, Source::Serial)>{primary}</button>
            <button id="guided-virtual" type="button" class="link big"
                on:click=move |_| guided.connect(session, Source::Virtual(&VIRTUAL_CHIPS[0]))>"No hardware? Try a virtual plug"</button>
            <details class="guided-more">
                <summary>"Other virtual devices"</summary>
                <ul class="plain">{others}</ul>
            </details>
        </section>
        <nav class="guided-footer" aria-label="More">
            <button type="button" class="link" on:click=move |_| guided.open_expert("backups-title")>{move || format!("Backups ({})", backups())}</button>
            <button type="button" class="link" on:click=move |_| guided.open_expert("open-spi")>"Bricked BK7231T? SPI recovery"</button>
            <button type="button" class="link" on:click=move |_| guided.open_expert("help-title")>"Help"</button>
            <button type="button" class="link" on:click=move |_| guided.open_expert("device-title")>"Expert view"</button>
        </nav>
    }
}
