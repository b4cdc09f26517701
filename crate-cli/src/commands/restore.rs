//! `bkflash restore BACKUP`: write a whole-flash backup back to the chip it came from, keeping the
//! bootloader, skipping sectors that already match, then checking the restored range by CRC.

use bkflash_core::flasher::{CancelToken, Options, SectorState};

use crate::args::{Global, RestoreArgs};
use crate::backup::save_backup;
use crate::confirm::{confirm, require_consent_possible};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::session::{self, chip_name};

const JOB: &str = "restore";

pub fn run(global: &Global, args: &RestoreArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let dump = std::fs::read(&args.backup).map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!(
                "bkflash {JOB}: cannot read {}: {e}; check the path",
                args.backup.display()
            ),
        )
    })?;
    require_consent_possible(JOB, global.yes)?;
    let options = Options {
        allow_bootloader: args.allow_bootloader,
        ..session::options(global, cancel)
    };
    let mut session = session::connect(JOB, global, options)?;
    let question = format!(
        "Overwrite the {} with {} ({} KiB)?",
        chip_name(&session.chip),
        args.backup.display(),
        dump.len() / 1024
    );
    confirm(JOB, global.yes, &question)?;
    let saved = if args.no_backup {
        None
    } else {
        Some(save_backup(JOB, &mut session, &args.backup_dir)?)
    };
    let report = pollster::block_on(session.flasher.restore(&dump, &mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    println!(
        "restored {}: {} sectors rewritten, {} already matched; the whole range verified by CRC",
        args.backup.display(),
        report.count(SectorState::Written),
        report.count(SectorState::Untouched)
    );
    if let Some(path) = saved {
        println!("backup of the flash before restoring: {}", path.display());
    }
    Ok(())
}
