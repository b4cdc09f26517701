//! `bkflash spi write FILE`: write a whole-flash image, bootloader included. Refuses anything else before
//! connecting, backs up the whole flash first, shows the plan, asks, writes, verifies, lets go.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bkflash_core::flasher::{CancelToken, SectorState};
use bkflash_core::spi::check_whole_flash_image;
use chrono::Local;

use super::spi_session::{self, SpiSession};
use crate::args::{Global, SpiArgs, SpiWriteArgs};
use crate::confirm::{confirm, require_consent_possible};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::summary::rate;

const JOB: &str = "spi write";

/// Read an image file and apply the rules that need no chip (format, plausible size, raw bootloader).
pub fn load_image(job: &'static str, path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!("bkflash {job}: cannot read {}: {e}", path.display()),
        )
    })?;
    check_whole_flash_image(&bytes, None).map_err(Failure::core(job))?;
    Ok(bytes)
}

pub fn run(
    global: &Global,
    args: &SpiArgs,
    write: &SpiWriteArgs,
    cancel: &CancelToken,
) -> Result<(), Failure> {
    let image = load_image(JOB, &write.image.file)?;
    require_consent_possible(JOB, global.yes)?;
    let mut session = spi_session::connect(JOB, global, args, cancel)?;
    for line in spi_session::describe(&session.chip) {
        println!("{line}");
    }
    check_whole_flash_image(&image, Some(session.chip.flash_size)).map_err(Failure::core(JOB))?;
    let (current, backup) = save_backup(&mut session, &write.backup_dir)?;
    let plan = pollster::block_on(session.flasher.plan(&image, &current, &mut session.view))
        .map_err(Failure::core(JOB))?;
    println!(
        "plan for the {} flash: {}",
        session.chip.part_name(),
        plan.summary()
    );
    if plan.is_noop() {
        println!("the chip already holds this image: nothing to erase or write");
        return spi_session::leave(JOB, &mut session);
    }
    let question = if plan.bootloader_sectors > 0 {
        "Erase and write the flash as planned, bootloader included?"
    } else {
        "Erase and write the flash as planned?"
    };
    confirm(JOB, global.yes, question)?;
    let started = Instant::now();
    let report = pollster::block_on(session.flasher.write(
        &image,
        Some(&current),
        &mut session.view,
    ))
    .map_err(Failure::core(JOB))?;
    session.view.finish();
    println!(
        "wrote {}: {} sectors written and read back, then the whole flash verified, in {}",
        write.image.file.display(),
        report.count(SectorState::Written),
        rate(report.sectors.len() as u64 * 0x1000, started.elapsed())
    );
    println!("backup of the flash before writing: {}", backup.display());
    spi_session::leave(JOB, &mut session)
}

/// Read the whole flash and save it; the bytes also tell the plan what already matches.
fn save_backup(session: &mut SpiSession, dir: &Path) -> Result<(Vec<u8>, PathBuf), Failure> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!(
                "bkflash {JOB}: cannot create the backup folder {}: {e}; pick another with --backup-dir",
                dir.display()
            ),
        )
    })?;
    let jedec: String = session
        .chip
        .jedec
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = dir.join(format!(
        "bkflash-spi-backup-{jedec}-{}.bin",
        Local::now().format("%Y%m%d-%H%M%S")
    ));
    session.view.say(&format!(
        "backing up the whole flash (0x{:X} bytes) to {}",
        session.chip.flash_size,
        path.display()
    ));
    let bytes = pollster::block_on(session.flasher.backup(&mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    std::fs::write(&path, &bytes).map_err(|e| {
        Failure::plain(
            Exit::Failed,
            format!(
                "bkflash {JOB}: cannot save the backup {}: {e}; nothing was written to the chip",
                path.display()
            ),
        )
    })?;
    Ok((bytes, path))
}
