//! The SPI recovery mode's panel: wiring table, reset choice and guidance, what the JEDEC id says,
//! the jobs (back up, pick and write a whole-flash image, verify, leave) with progress and outcome.

use bkflash_core::flasher::Protection;
use bkflash_core::progress::{LineState, Stage};
use bkflash_core::spi::entry::clock_text;
use bkflash_core::spi::wiring::{CHIP_PINS, PICO_PINOUTS};

use crate::ui::wiring::{WiringMode, WiringPicture};
use bkflash_core::spi::{EntryMethod, SpiChipInfo};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::flows::{self, Source};
use super::state::{Outcome, SpiState};
use crate::backups::picker::ask_where;
use crate::device::now_ms;
use crate::support::{SerialSupport, detect};
use crate::words::progress_line;

const TICK_MS: u64 = 500;

/// What the SPI line shows while entering, in words.
static LINE_ADVICE: [(LineState, &str); 3] = [
    (
        LineState::Silent,
        "MISO reads only 00 or FF: check power, GND and the four SPI wires, then reset the chip when asked.",
    ),
    (
        LineState::Garbage,
        "The id read differs from read to read: shorten the wires; bkflash steps the clock down on its own.",
    ),
    (LineState::Linked, "The flash answered."),
];

fn line_advice(state: LineState) -> &'static str {
    LINE_ADVICE
        .iter()
        .find(|(s, _)| *s == state)
        .map_or("", |(_, text)| text)
}

fn stage_text(stage: Option<Stage>) -> &'static str {
    match stage {
        Some(Stage::Link) => "Entering SPI flashing mode",
        Some(Stage::Identify) => "Reading the flash's JEDEC id and status register",
        stage => stage.map_or("Starting", Stage::doing),
    }
}

#[component]
pub fn SpiMode() -> impl IntoView {
    let state = SpiState::new();
    let _tick = set_interval_with_handle(
        move || state.tick.set(now_ms()),
        core::time::Duration::from_millis(TICK_MS),
    );
    view! {
        <section class="panel" aria-labelledby="spi-title" id="spi-panel">
            <h2 id="spi-title">"SPI recovery"</h2>
            <p>"For a BK7231T (or another BK72xx) whose bootloader is damaged: UART cannot reach it any more, but its flash can be read and written through the chip's SPI download port with a serprog programmer (a Raspberry Pi Pico with pico-serprog, an STM32 with stm32-vserprog, …)."</p>
            <Wiring />
            <Connect state=state />
            <ChipCard state=state />
            <Jobs state=state />
            <SpiProgress state=state />
        </section>
    }
}

#[component]
fn Wiring() -> impl IntoView {
    let rows = CHIP_PINS
        .iter()
        .map(|pin| {
            let gpios = PICO_PINOUTS
                .iter()
                .map(|p| {
                    let gpio = match pin.role {
                        "SCK" => p.sck,
                        "CS" => p.cs,
                        "MOSI" => p.mosi,
                        _ => p.miso,
                    };
                    view! { <td>{gpio}</td> }
                })
                .collect_view();
            view! {
                <tr><td>{pin.pin}</td><td>{pin.pad}</td><td>{pin.qfn32}</td><td><strong>{pin.role}</strong></td>{gpios}</tr>
            }
        })
        .collect_view();
    let builds = PICO_PINOUTS
        .iter()
        .map(|p| view! { <th>{p.build}</th> })
        .collect_view();
    let grounds = PICO_PINOUTS
        .iter()
        .map(|_| view! { <td>"GND"</td> })
        .collect_view();
    view! {
        <h3>"Wiring"</h3>
        <table id="spi-wiring" class="small">
            <thead><tr><th>"Chip pin"</th><th>"Pad"</th><th>"QFN32"</th><th>"Programmer"</th>{builds}</tr></thead>
            <tbody>
                {rows}
                <tr><td>"GND"</td><td>"GND"</td><td></td><td><strong>"GND"</strong></td>{grounds}</tr>
            </tbody>
        </table>
        <WiringPicture mode=WiringMode::Spi id="spi-wiring-picture" initial="WB3S" />
        <p class="hint">"Power the board from its own 3.3 V supply (or the programmer's 3V3 pin), never 5 V. Leave the UART adapter off TX1/RX1 while flashing over SPI."</p>
    }
}

#[component]
fn Connect(state: SpiState) -> impl IntoView {
    let serial = detect() == SerialSupport::Available;
    let (cen, set_cen) = signal(false);
    let busy = move || state.busy.get().is_some();
    let entering = move || state.busy.get() == Some("connect");
    view! {
        <h3>"Reset and connect"</h3>
        <div class="row">
            <label for="spi-reset">"Reset"</label>
            <select id="spi-reset" prop:disabled=busy on:change=move |ev| set_cen.set(event_target_value(&ev) == "cen")>
                <option value="manual">"Manual: I reset the chip during the countdown"</option>
                <option value="cen">"RTS of a second USB-UART adapter wired to CEN"</option>
            </select>
        </div>
        <p class="hint">{move || if cen.get() {
            "Connect asks for two ports: the programmer, then the adapter whose RTS is wired to CEN. bkflash pulses CEN and sends the 0xD2 handshake right after each reset."
        } else {
            "After Connect, a countdown runs while bkflash repeats \"0xD2 burst, then ID probe\": bridge CEN to GND for a moment (or power-cycle the board) during it."
        }}</p>
        <div class="row">
            <button id="spi-connect" type="button" class="primary" disabled=move || !serial || busy()
                on:click=move |_| flows::connect(state, Source::Serial { cen: cen.get_untracked() })>"Connect programmer"</button>
            <span class="or">"or"</span>
            <button id="spi-connect-virtual" type="button" disabled=busy
                on:click=move |_| flows::connect(state, Source::Virtual)>"Virtual programmer"</button>
        </div>
        <p id="spi-port" class="small">{move || state.port_label.get().unwrap_or_else(|| String::from("No programmer connected."))}</p>
        <Show when=entering>
            <div id="spi-entering" class="guide" role="status" aria-live="polite">
                <p class="countdown" id="spi-countdown"><strong>{move || state.note.get().unwrap_or_else(|| String::from("Opening the programmer…"))}</strong></p>
                <p id="spi-line">{move || state.line.get().map(line_advice)}</p>
            </div>
        </Show>
    }
}

fn protection_words(protection: Protection) -> &'static str {
    match protection {
        Protection::Unprotected => "unprotected",
        Protection::Protected { .. } => "protected: a write unprotects it first",
        Protection::ManagedByBootloader | Protection::Unknown => {
            "unknown part: its protection cannot be read"
        }
    }
}

fn entry_words(chip: &SpiChipInfo) -> String {
    let variant = match chip.entry {
        EntryMethod::AlreadyInSpiMode => String::from("none needed"),
        entry => entry.variant().map_or_else(String::new, |v| {
            format!("{} ({})", v.describe(false), v.source)
        }),
    };
    format!("{}; variant: {variant}", chip.entry.describe())
}

#[component]
fn ChipCard(state: SpiState) -> impl IntoView {
    let card = move || {
        state.chip.get().map(|chip| {
            let jedec = format!(
                "{:02X} {:02X} {:02X}",
                chip.jedec[0], chip.jedec[1], chip.jedec[2]
            );
            let maker = chip.flash.map_or("not in bkflash's table", |f| f.vendor);
            let programmer = &chip.programmer;
            let clock = programmer
                .clock_hz
                .map_or_else(|| String::from("its own default clock"), clock_text);
            let name = if programmer.name.is_empty() {
                String::from("unnamed")
            } else {
                programmer.name.clone()
            };
            let quirks = programmer
                .quirks_seen
                .iter()
                .map(|q| format!("{} ({})", q.symptom, q.firmware))
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <dl id="spi-chip" class="card">
                    <dt>"JEDEC id"</dt><dd id="spi-jedec" data-testid="spi-jedec">{jedec}</dd>
                    <dt>"Flash"</dt><dd id="spi-part">{chip.part_name()}", maker "{maker}", "{chip.flash_size / 1024}" KiB (0x"{format!("{:X}", chip.flash_size)}" bytes)"</dd>
                    <dt>"Status register"</dt><dd>{format!("0x{:02X}", chip.status)}" ("{protection_words(chip.protection)}")"</dd>
                    <dt>"SPI mode"</dt><dd id="spi-variant" data-testid="spi-variant">{entry_words(&chip)}</dd>
                    <dt>"Programmer"</dt><dd>{name}" at "{clock}", O_SPIOP up to "{programmer.max_write}" bytes out, "{programmer.max_read}" in"</dd>
                    {(!quirks.is_empty()).then(|| view! { <dt>"Worked around"</dt><dd>{quirks}</dd> })}
                </dl>
            }
        })
    };
    view! { {card} }
}

#[component]
fn Jobs(state: SpiState) -> impl IntoView {
    let idle = move || state.busy.get().is_none() && state.chip.with(Option::is_some);
    let on_backup = move |_| {
        if let Some(chip) = state.chip.get_untracked() {
            flows::backup(state, ask_where(flows::backup_name(chip.jedec)));
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match crate::files::read_file(&file).await {
                Ok(bytes) => flows::pick(state, file.name(), bytes),
                Err(why) => state.outcome.set(Some(Outcome::Failed(why))),
            }
        });
    };
    let can_write = move || {
        idle()
            && state
                .image
                .with(|i| i.as_ref().is_some_and(|i| i.plan.is_some()))
    };
    view! {
        <h3>"Back up, write, verify"</h3>
        <div class="row">
            <button id="spi-backup" type="button" class="primary" disabled=move || !idle() on:click=on_backup>"Back up the whole flash"</button>
            <label for="spi-image">"Whole-flash image"</label>
            <input id="spi-image" type="file" accept=".bin" prop:disabled=move || !idle() on:change=on_file />
        </div>
        <p class="hint">"Only an image of the whole flash is written (a backup of this chip, or a donor image of the same flash size with its bootloader): SPI writes the bootloader too. A UF2 or an app-only image goes over UART once the bootloader is back."</p>
        {move || state.image.get().map(|image| view! {
            <p id="spi-picked">"Image: "<strong>{image.name.clone()}</strong>" ("{image.bytes.len()}" bytes)"</p>
            <p id="spi-plan" class="mono small">{image.plan.unwrap_or_else(|| String::from("Back up the flash first: the plan compares the image with it."))}</p>
        })}
        <div class="row">
            <button id="spi-write" type="button" class="primary" disabled=move || !can_write() on:click=move |_| flows::write(state)>"Write the image"</button>
            <button id="spi-verify" type="button" disabled=move || !idle() on:click=move |_| flows::verify(state)>"Verify"</button>
            <button id="spi-leave" type="button" disabled=move || !idle() on:click=move |_| flows::leave(state)>"Leave SPI mode"</button>
        </div>
    }
}

#[component]
fn SpiProgress(state: SpiState) -> impl IntoView {
    let running = move || state.busy.get().is_some();
    let progress = move || {
        let p = state.progress.get();
        let now = state.tick.get().max(now_ms() - 1.0);
        let stage = match (state.busy.get(), p.stage) {
            (Some("backup"), Some(Stage::Read)) => {
                "Backing up: reading the whole flash, every chunk twice"
            }
            (_, stage) => stage_text(stage),
        };
        let retries = if p.retries > 0 {
            format!("{} retries", p.retries)
        } else {
            String::new()
        };
        view! {
            <p id="spi-stage"><strong>{stage}</strong></p>
            <progress id="spi-bar" max=p.total.max(1).to_string() value=p.done.to_string() aria-label="Progress"></progress>
            <p class="small"><span>{progress_line(p.done, p.total, now - p.stage_started_ms)}</span>" "<span>{retries}</span></p>
        }
    };
    let outcome = move || {
        state.outcome.get().map(|o| match o {
            Outcome::Done(text) => view! { <pre id="spi-outcome" class="ok" data-testid="spi-outcome-ok" role="status">{text}</pre> }.into_any(),
            Outcome::Failed(text) => view! { <pre id="spi-outcome" class="error" data-testid="spi-outcome-error" role="alert">{text}</pre> }.into_any(),
        })
    };
    view! {
        <h3>"Progress"</h3>
        <Show when=running fallback=|| view! { <p class="hint">"Nothing running."</p> }>
            <div id="spi-progress" aria-live="polite">
                {progress}
                <p class="note">{move || state.note.get()}</p>
                <button id="spi-cancel" type="button" on:click=move |_| state.cancel.with_value(|t| t.cancel())>"Cancel"</button>
                <span class="hint">" Cancel stops at the next chunk or sector; the result says what the flash holds."</span>
            </div>
        </Show>
        {outcome}
    }
}
