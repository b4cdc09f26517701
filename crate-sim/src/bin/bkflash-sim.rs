//! `bkflash-sim`: one simulated Beken chip on a pty (and its UART2 log port on a second with `--log-link`).
//! Prints `ready PATH` (then `log-ready PATH`); on SIGTERM/SIGINT saves the flash to `--flash-out`.

use std::fs::File;
use std::io::Write;
use std::process::ExitCode;

use bkflash_sim::Wiring;
use bkflash_sim::pty::clock::Pacing;
use bkflash_sim::pty::log_port::LogPort;
use bkflash_sim::pty::open_watch::OpenWatch;
use bkflash_sim::pty::options::{self, Command, ServeOptions};
use bkflash_sim::pty::pair::PtyPair;
use bkflash_sim::pty::{serve, setup, signals};
use bkflash_sim::serprog;

fn main() -> ExitCode {
    let options = match options::parse(std::env::args().skip(1)) {
        Ok(Command::Serve(options)) => options,
        Ok(Command::Help) => {
            print!("{}", options::usage());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("bkflash-sim: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bkflash-sim: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &ServeOptions) -> Result<(), String> {
    let mut serprog_board = match &options.serprog {
        Some(mode) => Some(serprog::pty::build_board(options, mode)?),
        None => None,
    };
    let mut sim = setup::build_sim(options)?;
    // Opened up front so a bad path fails now, not after a whole session.
    let flash_out = match &options.flash_out {
        Some(path) => Some(File::create(path).map_err(|error| {
            format!("--flash-out {}: cannot create it: {error}", path.display())
        })?),
        None => None,
    };
    signals::install_stop_handlers().map_err(|error| error.to_string())?;
    let pair = PtyPair::open().map_err(|error| error.to_string())?;
    pair.publish_at(&options.link)
        .map_err(|error| error.to_string())?;
    let mut log_port = match &options.log_link {
        Some(link) => {
            let port = LogPort::open().map_err(|error| error.to_string())?;
            port.pair()
                .publish_at(link)
                .map_err(|error| error.to_string())?;
            Some(port)
        }
        None => None,
    };
    println!("ready {}", options.link.display());
    if let Some(link) = &options.log_link {
        println!("log-ready {}", link.display());
    }
    std::io::stdout()
        .flush()
        .map_err(|error| format!("writing the ready line failed: {error}"))?;

    let pacing = if options.realtime {
        Pacing::WireTime
    } else {
        Pacing::AsFastAsPossible
    };
    let opens = match options.wiring {
        Wiring::None => None,
        _ => Some(
            OpenWatch::new(pair.slave_path())
                .map_err(|error| format!("--wiring: cannot watch the pty for opens: {error}"))?,
        ),
    };
    let served = match (&mut serprog_board, &options.serprog) {
        (Some(board), Some(mode)) => serprog::pty::serve(board, &pair, pacing, mode.reset_every),
        _ => serve::serve(&mut sim, &pair, pacing, opens.as_ref(), log_port.as_mut()),
    }
    .map_err(|error| format!("serving the pty: {error}"));
    // The links are ours only while we serve; a stale one would point at a pty that is gone.
    let _ = std::fs::remove_file(&options.link);
    if let Some(link) = &options.log_link {
        let _ = std::fs::remove_file(link);
    }
    served?;
    if let (Some(mut file), Some(path)) = (flash_out, &options.flash_out) {
        let flash = match &serprog_board {
            Some(board) => board.flash(),
            None => sim.flash(),
        };
        file.write_all(flash.bytes()).map_err(|error| {
            format!(
                "--flash-out {}: cannot write the flash: {error}",
                path.display()
            )
        })?;
    }
    Ok(())
}
