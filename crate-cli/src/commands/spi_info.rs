//! `bkflash spi info`: enter SPI flashing mode and show the programmer, the entry variant that worked,
//! the flash and its protection. The chip stays in SPI mode, for flashrom or the next command.

use bkflash_core::flasher::{CancelToken, Protection};
use bkflash_core::spi::SpiChipInfo;
use serde_json::json;

use super::spi_session::{self, describe};
use crate::args::{Global, SpiArgs};
use crate::failure::Failure;

const JOB: &str = "spi info";

pub fn run(global: &Global, args: &SpiArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let session = spi_session::connect(JOB, global, args, cancel)?;
    if global.json {
        println!("{}", info_json(&session.chip));
        return Ok(());
    }
    for line in describe(&session.chip) {
        println!("{line}");
    }
    println!(
        "the chip stays in SPI flashing mode: run another `bkflash spi` command or flashrom -p serprog:dev={}:115200; power-cycle it to boot",
        session.port
    );
    Ok(())
}

/// `--json`: one object with the programmer, the entry and the flash.
pub fn info_json(chip: &SpiChipInfo) -> serde_json::Value {
    let programmer = &chip.programmer;
    let variant = chip.entry.variant().map(|v| {
        json!({
            "handshake_bytes": v.handshake_bytes,
            "clock_hz": v.clock_hz,
            "cen_low_ms": v.cen_low.as_millis() as u64,
        })
    });
    let entry = match chip.entry {
        bkflash_core::spi::EntryMethod::AlreadyInSpiMode => "already_in_spi_mode",
        bkflash_core::spi::EntryMethod::CenAdapter { .. } => "cen_adapter",
        bkflash_core::spi::EntryMethod::Manual { .. } => "manual",
    };
    json!({
        "programmer": programmer.name,
        "clock_hz": programmer.clock_hz,
        "max_write": programmer.max_write,
        "max_read": programmer.max_read,
        "quirks": programmer.quirks_seen.iter().map(|q| q.name).collect::<Vec<_>>(),
        "entry": entry,
        "variant": variant,
        "jedec": chip.jedec.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "part": chip.flash.map(|f| f.part),
        "flash_size": chip.flash_size,
        "status": chip.status,
        "protected": matches!(chip.protection, Protection::Protected { .. }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::flash::lookup;
    use bkflash_core::spi::{ENTRY_VARIANTS, EntryMethod, ProgrammerInfo};

    fn chip() -> SpiChipInfo {
        SpiChipInfo {
            programmer: ProgrammerInfo {
                name: String::from("pico-serprog"),
                clock_hz: Some(1_000_000),
                max_write: 4096,
                max_read: 65536,
                ..ProgrammerInfo::default()
            },
            entry: EntryMethod::Manual {
                variant: &ENTRY_VARIANTS[0],
            },
            jedec: [0x1C, 0x70, 0x15],
            flash: lookup([0x1C, 0x70, 0x15]),
            flash_size: 0x20_0000,
            status: 0x1C,
            protection: Protection::Protected { sr: 0x1C },
        }
    }

    #[test]
    fn json_names_the_entry_variant_and_the_flash() {
        let json = info_json(&chip());
        assert_eq!(json["entry"], "manual");
        assert_eq!(json["variant"]["handshake_bytes"], 250);
        assert_eq!(json["variant"]["clock_hz"], 1_000_000);
        assert_eq!(
            (json["jedec"].as_str(), json["part"].as_str()),
            (Some("1c7015"), Some("EN25QH16B"))
        );
        assert_eq!(json["protected"], true);
    }

    #[test]
    fn the_text_view_says_how_the_chip_entered_and_what_the_flash_is() {
        let text = describe(&chip()).join("\n");
        assert!(text.contains("programmer: pico-serprog at 1 MHz"), "{text}");
        assert!(
            text.contains("entered with 250 × 0xD2 at 1 MHz during a manual reset"),
            "{text}"
        );
        assert!(
            text.contains("EN25QH16B (ESMT), JEDEC id 1C 70 15, 2048 KiB"),
            "{text}"
        );
        assert!(text.contains("0x1C (protected"), "{text}");
    }
}
