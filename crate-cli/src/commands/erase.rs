//! `bkflash erase --start A --length L` or `--all` (everything after the bootloader), confirmed first;
//! prints the state of every erased sector.

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::flasher::{CancelToken, SectorState};
use std::ops::Range;

use crate::args::{EraseArgs, Global};
use crate::confirm::{confirm, require_consent_possible};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::session::{self, chip_name};

const JOB: &str = "erase";

/// The `--start`/`--length` range (`None` for `--all`), checked before the port is opened: an empty
/// range would only unprotect the flash, and one past 4 GiB is a typo, not a misalignment.
/// Alignment and the flash's bounds are the core's to check.
pub fn explicit_range(args: &EraseArgs) -> Result<Option<Range<u32>>, String> {
    let (false, Some(start), Some(length)) = (args.all, args.start, args.length) else {
        return Ok(None);
    };
    if length == 0 {
        return Err(String::from(
            "--length 0 erases nothing; give the bytes to erase, a multiple of 0x1000",
        ));
    }
    let end = start.checked_add(length).ok_or_else(|| {
        format!(
            "--start 0x{start:X} plus --length 0x{length:X} overflows past 4 GiB; no flash is that large, check both values"
        )
    })?;
    Ok(Some(start..end))
}

pub fn run(global: &Global, args: &EraseArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let explicit = explicit_range(args)
        .map_err(|message| Failure::plain(Exit::Refused, format!("bkflash {JOB}: {message}")))?;
    require_consent_possible(JOB, global.yes)?;
    let mut session = session::connect(JOB, global, session::options(global, cancel))?;
    let range = explicit.unwrap_or(BOOTLOADER_END..session.chip.flash_size);
    let question = format!(
        "Erase 0x{:06X}..0x{:06X} ({} KiB) of the {}?",
        range.start,
        range.end,
        (range.end - range.start) / 1024,
        chip_name(&session.chip)
    );
    confirm(JOB, global.yes, &question)?;
    let report = pollster::block_on(session.flasher.erase(range.clone(), &mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    println!(
        "erased 0x{:06X}..0x{:06X}: {} sectors blank-checked by CRC",
        range.start,
        range.end,
        report.count(SectorState::Erased)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: u32, length: u32) -> EraseArgs {
        EraseArgs {
            start: Some(start),
            length: Some(length),
            all: false,
        }
    }

    #[test]
    fn all_is_left_to_the_flash_size_and_a_range_is_taken_as_given() {
        let all = EraseArgs {
            start: None,
            length: None,
            all: true,
        };
        assert_eq!(explicit_range(&all), Ok(None));
        assert_eq!(
            explicit_range(&range(0x20000, 0x10000)),
            Ok(Some(0x20000..0x30000))
        );
    }

    #[test]
    fn an_empty_or_overflowing_range_is_refused_with_its_own_reason() {
        let empty = explicit_range(&range(0x20000, 0)).unwrap_err();
        assert!(empty.contains("--length 0 erases nothing"), "{empty}");
        let overflow = explicit_range(&range(0xFFFF_0000, 0x20000)).unwrap_err();
        assert!(overflow.contains("overflows past 4 GiB"), "{overflow}");
        assert!(!overflow.contains("align"), "{overflow}");
    }
}
