//! `bkflash monitor`: open the port at the firmware's log rate (115200 unless `--baud`) and show
//! what it prints; lines typed on stdin are sent with `--line-ending`. Ctrl-C ends it.

use bkflash_core::flasher::CancelToken;
use bkflash_core::monitor::LineEnding;
use bkflash_core::transport::Transport;

use crate::args::{Global, MonitorArgs};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::monitor_loop::{monitor, typed_lines};
use crate::port_pick::choose_port;
use crate::report;
use crate::serial_port::NativePort;

pub fn run(global: &Global, args: &MonitorArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let port = choose_port(global.port.as_deref())
        .map_err(|message| Failure::plain(Exit::NoLink, format!("bkflash monitor: {message}")))?;
    let name = port.to_string_lossy().into_owned();
    report::note_port(&name);
    let baud = global
        .monitor_baud()
        .map_err(|message| Failure::plain(Exit::Refused, format!("bkflash monitor: {message}")))?;
    let mut transport = NativePort::open(&name, baud)
        .map_err(|e| Failure::plain(Exit::NoLink, format!("bkflash monitor: {e}")))?;
    follow(&mut transport, &name, baud, args.line.line_ending, cancel)
}

/// Show what `port` receives until Ctrl-C; shared with `write --monitor`.
pub fn follow<T: Transport>(
    port: &mut T,
    name: &str,
    baud: u32,
    ending: LineEnding,
    cancel: &CancelToken,
) -> Result<(), Failure> {
    eprintln!(
        "monitor on {name} at {baud} baud; typed lines are sent with {} at the end; Ctrl-C ends it",
        ending.name().to_ascii_uppercase()
    );
    let typed = typed_lines();
    let received =
        monitor(port, &typed, ending, cancel, &mut std::io::stdout()).map_err(|message| {
            Failure::plain(
                Exit::Failed,
                format!("bkflash monitor on {name}: {message}"),
            )
        })?;
    eprintln!("monitor ended: {received} bytes received");
    Ok(())
}
