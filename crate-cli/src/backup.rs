//! The backup taken before a write: the whole flash, saved as
//! `bkflash-backup-<chip>-<flash>-<YYYYMMDD-HHMMSS>.bin` so a bad write can be undone.

use std::path::{Path, PathBuf};

use bkflash_core::flasher::ChipInfo;
use bkflash_core::names::{self, LocalTime};
use bkflash_core::uniform::check_backup;
use chrono::{DateTime, Datelike, Local, Timelike};

use crate::exit::Exit;
use crate::failure::Failure;
use crate::session::Session;

/// File name of a backup of `chip` taken at `when` (`bkflash_core::names::backup_name`).
pub fn backup_name(chip: &ChipInfo, when: DateTime<Local>) -> String {
    let taken = LocalTime {
        year: when.year(),
        month: when.month(),
        day: when.day(),
        hour: when.hour(),
        minute: when.minute(),
        second: when.second(),
    };
    names::backup_name(chip, &taken)
}

/// Read the whole flash and save it in `dir`; returns the file's path. A read that is one
/// repeated byte is refused, not saved: it is what a flash that does not answer gives.
pub fn save_backup(
    job: &'static str,
    session: &mut Session,
    dir: &Path,
) -> Result<PathBuf, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::plain(Exit::Refused, format!("bkflash {job}: cannot create the backup folder {}: {e}; pick another with --backup-dir", dir.display())))?;
    let path = dir.join(backup_name(&session.chip, Local::now()));
    session.view.say(&format!(
        "backing up the whole flash (0x{:X} bytes) to {}",
        session.chip.flash_size,
        path.display()
    ));
    let bytes = pollster::block_on(
        session
            .flasher
            .read(0..session.chip.flash_size, &mut session.view),
    )
    .map_err(Failure::core(job))?;
    session.view.finish();
    check_backup(&bytes).map_err(Failure::core(job))?;
    std::fs::write(&path, &bytes).map_err(|e| {
        Failure::plain(
            Exit::Failed,
            format!(
                "bkflash {job}: cannot save the backup {}: {e}; nothing was written to the chip",
                path.display()
            ),
        )
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::chips::{ChipFamily, ProtocolClass};
    use bkflash_core::flasher::{LINK_BAUD, Protection};
    use chrono::TimeZone;

    #[test]
    fn name_carries_chip_jedec_and_local_time() {
        let mut chip = ChipInfo {
            family: Some(ChipFamily::Bk7231N),
            class: ProtocolClass::Rom,
            bootloader: None,
            bootloader_crc: 0,
            boot_version: None,
            chip_id: None,
            jedec: Some([0xEB, 0x60, 0x15]),
            flash: None,
            flash_size: 0x20_0000,
            protection: Protection::Unprotected,
            key: None,
            blank_bootloader: false,
            baud: LINK_BAUD,
        };
        let when = Local.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap();
        assert_eq!(
            backup_name(&chip, when),
            "bkflash-backup-bk7231n-eb6015-20261124-010203.bin"
        );
        chip.family = None;
        chip.jedec = None;
        assert_eq!(
            backup_name(&chip, when),
            "bkflash-backup-bk72xx-flash-20261124-010203.bin"
        );
    }
}
