//! `bkflash`: flash, read, erase and verify Beken BK72xx chips from a terminal.
//! The same core as the web page, on native serial ports; `main` parses, arms Ctrl-C and exits.

mod args;
mod backup;
mod commands;
mod confirm;
mod exit;
mod failure;
mod firmware_file;
mod inspect;
mod monitor_loop;
mod obk_config_file;
mod port_ids;
mod port_pick;
mod progress_view;
mod report;
mod serial_port;
mod session;
mod summary;

use std::process::ExitCode;

use bkflash_core::flasher::CancelToken;
use clap::Parser;

use crate::args::Cli;
use crate::exit::Exit;

/// The first Ctrl-C stops the job at the next sector boundary, so the flash state can be reported;
/// a second one, or one at a confirmation prompt, quits at once.
fn arm_ctrl_c(cancel: &CancelToken) {
    let token = cancel.clone();
    let armed = ctrlc::set_handler(move || {
        if token.is_cancelled() || confirm::at_prompt() {
            eprintln!();
            std::process::exit(i32::from(Exit::Cancelled.code()));
        }
        token.cancel();
        if !monitor_loop::is_monitoring() {
            eprintln!("\nstopping at the next safe point (press Ctrl-C again to quit at once)");
        }
    });
    if let Err(e) = armed {
        eprintln!(
            "note: Ctrl-C cannot be caught ({e}); it will stop bkflash without a flash report"
        );
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cancel = CancelToken::new();
    arm_ctrl_c(&cancel);
    commands::run(&cli, &cancel)
}
