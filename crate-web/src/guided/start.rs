//! Start: what the flow does, the three things to check before wiring, and the two ways in (the
//! adapter, or a virtual plug). Footer links lead to Backups, SPI recovery, Help and the expert view.

use leptos::prelude::*;

use super::words::virtual_name;
use crate::device::{VIRTUAL_CHIPS, VirtualChip, virtual_chip};
use crate::support::{self, SerialSupport};
use crate::ui::wiring::{WiringMode, WiringPicture};

/// What the user picked on Start. The page's first load (start_shell.rs) hands it to the flasher
/// module as its id; the guided view acts on it directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartChoice {
    /// Connect through an adapter the browser's chooser offers.
    Serial,
    Virtual(&'static VirtualChip),
    /// The expert view, brought to the element of this id.
    Expert(&'static str),
}

/// The elements of the expert view that Start's footer links to.
const EXPERT_TARGETS: [&str; 4] = ["backups-title", "open-spi", "help-title", "device-title"];

impl StartChoice {
    /// The choice as text: `serial`, `virtual:ID` or `expert:ELEMENT-ID`.
    pub fn id(self) -> String {
        match self {
            Self::Serial => String::from("serial"),
            Self::Virtual(chip) => format!("virtual:{}", chip.id),
            Self::Expert(target) => format!("expert:{target}"),
        }
    }

    /// The choice `id()` wrote, if it names a known chip or element.
    pub fn from_id(id: &str) -> Option<Self> {
        if id == "serial" {
            return Some(Self::Serial);
        }
        if let Some(chip) = id.strip_prefix("virtual:") {
            return virtual_chip(chip).map(Self::Virtual);
        }
        let target = id.strip_prefix("expert:")?;
        EXPERT_TARGETS
            .iter()
            .find(|known| **known == target)
            .map(|known| Self::Expert(known))
    }
}

/// The Connect button's label: the firmware a `?manifest=` link named, else the plain step.
pub fn primary_words(manifest_name: Option<String>) -> String {
    manifest_name.map_or_else(
        || String::from("Connect the adapter"),
        |name| format!("Install {name}"),
    )
}

/// The Start screen; `primary` is the Connect button's label, `backups` how many backups this
/// browser keeps, `on_choice` what happens on any of its buttons and `status` a line under them
/// (the first-load module says there that the flasher is loading, or why it did not).
#[component]
pub fn StartScreen(
    #[prop(into)] primary: Signal<String>,
    #[prop(into)] backups: Signal<usize>,
    on_choice: Callback<StartChoice>,
    #[prop(optional, into)] status: MaybeProp<String>,
) -> impl IntoView {
    let serial = support::detect() == SerialSupport::Available;
    let choose = move |choice| move |_| on_choice.run(choice);
    let others = VIRTUAL_CHIPS
        .iter()
        .map(|chip| {
            view! {
                <li><button type="button" class="link" on:click=choose(StartChoice::Virtual(chip))>
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
            <p id="guided-phone-note" class="phone-note guided-note">"On a phone: its OTG port cannot power the chip, so use the separate 3.3\u{a0}V supply; keep this tab open and the screen on."</p>
            <div id="guided-wiring">
                <WiringPicture mode=WiringMode::Uart id="guided-wiring-picture" />
            </div>
            {(!serial).then(|| view! {
                <p class="guided-note" role="note">"This browser cannot reach serial adapters. Use Chrome, Edge or Opera on a computer, or Chrome on Android with a USB-OTG adapter; the virtual plug works everywhere."</p>
            })}
            <button id="guided-connect" type="button" class="primary big" disabled=!serial
                on:click=choose(StartChoice::Serial)>{primary}</button>
            <button id="guided-virtual" type="button" class="link big"
                on:click=choose(StartChoice::Virtual(&VIRTUAL_CHIPS[0]))>"No hardware? Try a virtual plug"</button>
            <div id="guided-start-status" role="status">{move || status.get().map(|line| view! { <p>{line}</p> })}</div>
            <details class="guided-more">
                <summary>"Other virtual devices"</summary>
                <ul class="plain">{others}</ul>
            </details>
        </section>
        <nav class="guided-footer" aria-label="More">
            <button type="button" class="link" on:click=choose(StartChoice::Expert("backups-title"))>{move || format!("Backups ({})", backups.get())}</button>
            <button type="button" class="link" on:click=choose(StartChoice::Expert("open-spi"))>"Bricked BK7231T? SPI recovery"</button>
            <button type="button" class="link" on:click=choose(StartChoice::Expert("help-title"))>"Help"</button>
            <button type="button" class="link" on:click=choose(StartChoice::Expert("device-title"))>"Expert view"</button>
        </nav>
    }
}
