//! Step 7: help for a first-time user: the wiring table, power advice and what each file is.

use leptos::prelude::*;

use crate::support::WHERE_IT_WORKS;
use crate::ui::wiring::{WiringMode, WiringPicture};

static WIRING: [(&str, &str, &str); 4] = [
    ("RX", "TX1 (P11)", "required"),
    ("TX", "RX1 (P10)", "required"),
    ("GND", "GND", "required"),
    ("RTS", "CEN", "optional: lets bkflash reset the chip itself"),
];

static FILES: [(&str, &str); 5] = [
    (
        "firmware.uf2",
        "LibreTiny / ESPHome build: the file to flash over UART.",
    ),
    (
        "OpenBeken …_QIO_….bin",
        "OpenBeken whole-flash image: flash it over UART.",
    ),
    (
        "OpenBeken …_UA_….bin, image_…_app.0x011000.rbl",
        "App partition image, written at 0x11000.",
    ),
    (
        ".rbl (OTA), .ug.bin, .img",
        "Over-the-air updates: upload them on the device's web page, not here.",
    ),
    (
        "bkflash-backup-….bin",
        "A full backup made by this page: use \"Restore a backup\".",
    ),
];

#[component]
pub fn HelpSection() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="help-title">
            <h2 id="help-title">"7. Help"</h2>
            <details id="help" open>
                <summary>"Wiring"</summary>
                <table id="wiring">
                    <thead><tr><th scope="col">"Adapter pin"</th><th scope="col">"Chip pin"</th><th scope="col">"Note"</th></tr></thead>
                    <tbody>{WIRING.iter().map(|(a, c, n)| view! { <tr><td>{*a}</td><td>{*c}</td><td>{*n}</td></tr> }).collect_view()}</tbody>
                </table>
                <WiringPicture mode=WiringMode::Uart id="help-wiring-picture" />
                <p>"Power the chip from a 3.3 V supply that gives at least 300 mA (the adapter's 3.3 V pin is often too weak). Never use 5 V. Share GND between adapter and chip."</p>
                <p>"To enter download mode without RTS wiring: while bkflash is linking, touch CEN to GND for a moment, or power-cycle the chip."</p>
            </details>
            <details>
                <summary>"Which file do I use?"</summary>
                <dl>{FILES.iter().map(|(f, w)| view! { <dt class="mono">{*f}</dt><dd>{*w}</dd> }).collect_view()}</dl>
            </details>
            <p class="hint">{WHERE_IT_WORKS}" The page must be opened on https:// or http://localhost."</p>
        </section>
    }
}
