//! Host-only pty server: serves one simulated chip on a pseudo-terminal for real peer tools.
//! `bkflash-sim` (src/bin) parses `options`, builds the chip in `setup`, opens a `pair` and runs `serve`.

pub mod clock;
mod fault_spec;
pub mod log_port;
pub mod open_watch;
pub mod options;
pub mod pair;
pub mod serve;
pub mod setup;
pub mod signals;
