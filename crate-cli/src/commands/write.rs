//! `bkflash write FILE`: analyse the file, connect, show the plan before anything is erased, confirm,
//! back up the whole flash, write (every touched sector is CRC-checked as it goes) and print a final report.

use std::time::Instant;

use bkflash_core::flasher::{CancelToken, FlashReport, LINK_BAUD, SectorState, WriteOptions};
use bkflash_core::plan::{Plan, PlanSummary, SECTOR};

use crate::args::{Global, WriteArgs};
use crate::backup::save_backup;
use crate::commands::monitor;
use crate::confirm::{confirm, require_consent_possible};
use crate::failure::Failure;
use crate::firmware_file::{LoadedFile, load};
use crate::obk_config_file;
use crate::session::{self, Session, chip_name};
use crate::summary::rate;

const JOB: &str = "write";

pub fn run(global: &Global, args: &WriteArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let file = load(JOB, &args.file)?;
    for line in file.describe() {
        println!("{line}");
    }
    let obk_settings = args
        .obk_config
        .as_deref()
        .map(|path| obk_config_file::load(JOB, path))
        .transpose()?;
    if let Some(hint) = global.chip {
        file.check_family(JOB, hint)?;
    }
    require_consent_possible(JOB, global.yes)?;
    let options = bkflash_core::flasher::Options {
        allow_bootloader: args.allow_bootloader,
        ..session::options(global, cancel)
    };
    let mut session = session::connect(JOB, global, options)?;
    file.check_connected(JOB, &session.chip)?;
    let write_options = WriteOptions {
        differential: args.differential(),
    };
    let mut regions = file.regions.clone();
    if let Some(settings) = &obk_settings {
        let config = obk_config_file::region(JOB, settings, &mut session, &file.regions)?;
        println!("{}", obk_config_file::describe(settings, &config));
        regions.push(config);
    }
    let plan = pollster::block_on(session.flasher.prepare(
        &regions,
        &write_options,
        &mut session.view,
    ))
    .map_err(Failure::core(JOB))?;
    session.view.finish();
    let summary = plan.summary();
    println!(
        "plan for the {} (0x{:X}-byte flash): {summary}",
        chip_name(&session.chip),
        session.chip.flash_size
    );
    if global.verbose {
        plan.listing().iter().for_each(|line| println!("  {line}"));
    }
    if plan.is_noop() {
        println!("the chip already holds this file: nothing to erase or write");
        return finish(&mut session, global, args, cancel);
    }
    confirm(JOB, global.yes, "Erase and write the flash as planned?")?;
    let backup = if args.no_backup {
        None
    } else {
        Some(save_backup(JOB, &mut session, &args.backup_dir)?)
    };
    let started = Instant::now();
    let report = execute(&mut session, &plan)?;
    for line in final_report(&file, &summary, &report, session.view.retries()) {
        println!("{line}");
    }
    println!(
        "erase, write and verify took {}",
        rate(
            summary.write_sectors as u64 * u64::from(SECTOR),
            started.elapsed()
        )
    );
    if let Some(path) = backup {
        println!("backup of the flash before writing: {}", path.display());
    }
    finish(&mut session, global, args, cancel)
}

fn execute(session: &mut Session, plan: &Plan) -> Result<FlashReport, Failure> {
    let report = pollster::block_on(session.flasher.execute(plan, &mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    Ok(report)
}

/// Reboot when asked, then with `--monitor` show what the new firmware prints on this port, at the
/// rate firmware logs at.
fn finish(
    session: &mut Session,
    global: &Global,
    args: &WriteArgs,
    cancel: &CancelToken,
) -> Result<(), Failure> {
    if args.reboot || args.monitor {
        pollster::block_on(session.flasher.reboot(&mut session.view))
            .map_err(Failure::core(JOB))?;
        println!("rebooted: the new firmware starts now");
    }
    if args.monitor {
        let port = pollster::block_on(session.flasher.console_port(LINK_BAUD))
            .map_err(Failure::core(JOB))?;
        let name = global.port.as_ref().map_or_else(
            || String::from("the port"),
            |path| path.display().to_string(),
        );
        return monitor::follow(port, &name, LINK_BAUD, args.line.line_ending, cancel);
    }
    Ok(())
}

/// What happened, in a few lines.
pub fn final_report(
    file: &LoadedFile,
    summary: &PlanSummary,
    report: &FlashReport,
    retries: u32,
) -> Vec<String> {
    vec![
        format!(
            "wrote {} ({} bytes in {} regions): verified by CRC",
            file.name,
            file.total_bytes(),
            file.regions.len()
        ),
        format!(
            "  sectors: {} written, {} erased to blank, {} kept (already matching); {} verified",
            summary.write_sectors,
            summary.blank_sectors,
            summary.kept_sectors,
            report.count(SectorState::Written)
        ),
        format!(
            "  erased {} KiB in {} block and {} sector erases; {retries} retries",
            summary.erase_bytes / 1024,
            summary.block_erases,
            summary.sector_erases
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::plan::Region;

    #[test]
    fn report_lines_name_the_numbers() {
        let file = LoadedFile {
            name: String::from("fw.uf2"),
            regions: vec![Region {
                offset: 0x11000,
                data: vec![1; 0x2000],
            }],
            firmware: None,
        };
        let summary = PlanSummary {
            block_erases: 0,
            sector_erases: 2,
            erase_bytes: 0x2000,
            write_sectors: 2,
            ..PlanSummary::default()
        };
        let mut report = FlashReport::new([0x11000, 0x12000]);
        report.set_range(0x11000, 0x2000, SectorState::Written);
        let text = final_report(&file, &summary, &report, 1).join("\n");
        assert!(
            text.contains("wrote fw.uf2 (8192 bytes in 1 regions)"),
            "{text}"
        );
        assert!(
            text.contains("2 written, 0 erased to blank, 0 kept (already matching); 2 verified"),
            "{text}"
        );
        assert!(
            text.contains("erased 8 KiB in 0 block and 2 sector erases; 1 retries"),
            "{text}"
        );
    }
}
