//! One module per subcommand; `run` sends the parsed command line to the right one.
//! Each returns `Failure` with its exit code instead of exiting, so `main` ends the process in one place.

mod analyze;
mod analyze_text;
mod erase;
mod info;
mod monitor;
mod read;
mod reboot;
mod report;
mod restore;
mod spi;
mod spi_info;
mod spi_read;
mod spi_session;
mod spi_verify;
mod spi_write;
mod verify;
mod write;

use std::process::ExitCode;

use bkflash_core::flasher::CancelToken;

use crate::args::{Cli, Command, Global};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::inspect::{self, InspectArgs};

/// Run the command; print the failure, if any, and return the exit code.
pub fn run(cli: &Cli, cancel: &CancelToken) -> ExitCode {
    let global = &cli.global;
    let outcome = match &cli.command {
        Command::Inspect(args) => {
            return inspect::run(&InspectArgs {
                file: args.file.clone(),
                json: global.json,
                chip: global.chip,
            });
        }
        Command::Analyze(args) => analyze::run(global, args),
        Command::Info => info::run(global, cancel),
        Command::Read(args) => read::run(global, args, cancel),
        Command::Write(args) => write::run(global, args, cancel),
        Command::Erase(args) => erase::run(global, args, cancel),
        Command::Verify(args) => verify::run(global, args, cancel),
        Command::Restore(args) => restore::run(global, args, cancel),
        Command::Reboot => reboot::run(global, cancel),
        Command::Spi(args) => spi::run(global, args, cancel),
        Command::Monitor(args) => monitor::run(global, args, cancel),
        Command::Report => report::run(global, cancel),
    };
    save_report(global, &cli.command, outcome.as_ref().err());
    match outcome {
        Ok(()) => Exit::Ok.into(),
        Err(failure) => {
            for line in failure.lines() {
                eprintln!("{line}");
            }
            failure.exit().into()
        }
    }
}

/// Save the hardware report where `--report` says, or, after a job failed on the chip or the port,
/// next to the user's files so it can go into an issue.
fn save_report(global: &Global, command: &Command, failure: Option<&Failure>) {
    let failed_on_chip = matches!(failure, Some(Failure::Core { .. }))
        && !matches!(command, Command::Report | Command::Monitor(_));
    let path = match (&global.report, failed_on_chip) {
        (Some(path), _) => path.clone(),
        (None, true) => crate::report::default_path(),
        (None, false) => return,
    };
    let outcome = failure.map_or_else(|| String::from("done"), |f| f.lines().join("\n"));
    match crate::report::save(&path, &crate::report::render(global, &outcome)) {
        Ok(()) => eprintln!(
            "hardware report (attach it to an issue): {}",
            path.display()
        ),
        Err(message) => eprintln!("{message}"),
    }
}
