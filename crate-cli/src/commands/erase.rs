//! `bkflash erase --start A --length L` or `--all` (everything after the bootloader), confirmed first;
//! prints the state of every erased sector.

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::flasher::{CancelToken, SectorState};
use std::ops::Range;

use crate::args::{EraseArgs, Global};
use crate::confirm::{confirm, require_consent_possible};
use crate::failure::Failure;
use crate::session::{self, chip_name};

const JOB: &str = "erase";

/// The range to erase; `--all` spares the bootloader. Alignment and bounds are the core's to check.
pub fn erase_range(args: &EraseArgs, flash_size: u32) -> Range<u32> {
    match (args.all, args.start, args.length) {
        (false, Some(start), Some(length)) => start..start.saturating_add(length),
        _ => BOOTLOADER_END..flash_size,
    }
}

pub fn run(global: &Global, args: &EraseArgs, cancel: &CancelToken) -> Result<(), Failure> {
    require_consent_possible(JOB, global.yes)?;
    let mut session = session::connect(JOB, global, session::options(global, cancel))?;
    let range = erase_range(args, session.chip.flash_size);
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

    #[test]
    fn all_spares_the_bootloader_and_a_range_is_taken_as_given() {
        let all = EraseArgs {
            start: None,
            length: None,
            all: true,
        };
        assert_eq!(erase_range(&all, 0x20_0000), 0x11000..0x20_0000);
        let some = EraseArgs {
            start: Some(0x20000),
            length: Some(0x10000),
            all: false,
        };
        assert_eq!(erase_range(&some, 0x20_0000), 0x20000..0x30000);
        let huge = EraseArgs {
            start: Some(0xFFFF_0000),
            length: Some(0x20000),
            all: false,
        };
        assert_eq!(
            erase_range(&huge, 0x20_0000).end,
            u32::MAX,
            "the core then refuses it as beyond the flash"
        );
    }
}
