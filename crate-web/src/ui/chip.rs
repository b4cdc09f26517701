//! Step 2: the chip card, everything `connect` learned, as label/value rows: ids, bootloader (or
//! its absence), eFuse key, flash part and protection.

use bkflash_core::chips::ProtocolClass;
use bkflash_core::flasher::{ChipInfo, Protection};
use leptos::prelude::*;

use crate::session::Session;
use crate::words::class_words;

fn protection_words(protection: Protection) -> String {
    match protection {
        Protection::Unprotected => String::from("not protected"),
        Protection::Protected { sr } => {
            format!("Write-protected — bkflash unlocks it for you (status 0x{sr:04X})")
        }
        Protection::ManagedByBootloader => String::from("handled by the bootloader"),
        Protection::Unknown => String::from(
            "unknown part: bkflash clears status bits 2-6 (generic unprotect) before writing",
        ),
    }
}

/// What the eFuse key means, or why it is not known.
fn key_words(chip: &ChipInfo) -> String {
    match (chip.key, chip.class) {
        (Some(key), _) => key.describe(),
        (None, ProtocolClass::Legacy) => String::from("not readable on this class"),
        (None, ProtocolClass::Rom) => String::from("could not be read"),
    }
}

/// The rows of the card, in display order.
pub fn chip_rows(chip: &ChipInfo) -> Vec<(&'static str, String)> {
    let unknown = || String::from("unknown");
    vec![
        (
            "Chip",
            chip.family.map_or_else(unknown, |f| f.name().to_owned()),
        ),
        ("Protocol", class_words(chip.class).to_owned()),
        (
            "Bootloader",
            match (chip.bootloader, &chip.boot_version) {
                (Some(b), _) => b.name.to_owned(),
                (None, Some(v)) => v.clone(),
                (None, None) if chip.blank_bootloader => String::from(
                    "none: the region is blank (all 0xFF), so the chip will not boot until an image with a bootloader is written from 0",
                ),
                (None, None) => format!("unknown (CRC 0x{:08X})", chip.bootloader_crc),
            },
        ),
        (
            "Chip id",
            chip.chip_id.map_or_else(
                || String::from("not reported by this class"),
                |id| format!("0x{id:X}"),
            ),
        ),
        ("eFuse key", key_words(chip)),
        (
            "Flash id",
            chip.jedec.map_or_else(unknown, |j| {
                format!("{:02X} {:02X} {:02X}", j[0], j[1], j[2])
            }),
        ),
        (
            "Flash maker",
            chip.flash.map_or_else(
                || String::from("not in bkflash's table"),
                |f| format!("{} {}", f.vendor, f.part),
            ),
        ),
        ("Flash size", format!("{} KiB", chip.flash_size / 1024)),
        ("Protection", protection_words(chip.protection)),
        ("Baud now", chip.baud.to_string()),
    ]
}

#[component]
pub fn ChipCard(chip: ChipInfo) -> impl IntoView {
    let rows = chip_rows(&chip)
        .into_iter()
        .map(|(label, value)| {
            let id = format!("chip-{}", label.to_ascii_lowercase().replace(' ', "-"));
            view! { <dt>{label}</dt><dd id=id>{value}</dd> }
        })
        .collect_view();
    view! { <dl id="chip-card" class="card" data-testid="chip-card">{rows}</dl> }
}

#[component]
pub fn ChipSection() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <section class="panel" aria-labelledby="chip-title">
            <h2 id="chip-title">"2. Chip"</h2>
            {move || match session.chip.get() {
                Some(chip) => view! { <ChipCard chip=chip /> }.into_any(),
                None => view! { <p class="hint">"Connect to see the chip."</p> }.into_any(),
            }}
        </section>
    }
}
