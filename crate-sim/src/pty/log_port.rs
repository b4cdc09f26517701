//! UART2 on a second pty: the chip's log port, where a second adapter reads what the running
//! firmware prints and types command lines to its console. Output nobody reads is dropped past a
//! cap, as an adapter whose port is closed drops it.

use core::time::Duration;
use std::io;
use std::prelude::rust_2024::*;

use super::pair::PtyPair;
use crate::Sim;

/// Unread log output kept for a host that opens the port late; older bytes are dropped.
const BACKLOG_CAP: usize = 64 * 1024;
/// Log output is handed to the pty at most this often: a chatty firmware prints a byte every
/// 87 µs, and waking for each would spin the serve loop.
pub const LOG_BATCH: Duration = Duration::from_millis(5);

/// The log port's pty and the output it has not taken yet.
pub struct LogPort {
    pair: PtyPair,
    backlog: Vec<u8>,
    from_host: Vec<u8>,
}

impl LogPort {
    pub fn open() -> io::Result<Self> {
        Ok(Self {
            pair: PtyPair::open()?,
            backlog: Vec::new(),
            from_host: vec![0; 1024],
        })
    }

    pub fn pair(&self) -> &PtyPair {
        &self.pair
    }

    /// Give typed bytes to the firmware's console and the firmware's output to the pty, as of
    /// `now`. The chip must already have run up to `now` (see `serve::run_chip_until`).
    pub fn pump(&mut self, sim: &mut Sim, now: Duration) -> io::Result<()> {
        loop {
            let n = self.pair.read_host_bytes(&mut self.from_host)?;
            if n == 0 {
                break;
            }
            sim.log_rx(now, &self.from_host[..n]);
        }
        sim.advance_log(now, &mut self.backlog);
        if self.backlog.len() > BACKLOG_CAP {
            let excess = self.backlog.len() - BACKLOG_CAP;
            self.backlog.drain(..excess);
        }
        if !self.backlog.is_empty() {
            let taken = self.pair.write_chip_bytes(&self.backlog)?;
            self.backlog.drain(..taken);
        }
        Ok(())
    }

    /// How long the serve loop may wait before the log port needs it again (`None`: no limit).
    pub fn wait_limit(&self, sim: &Sim, now: Duration) -> Option<Duration> {
        if !self.backlog.is_empty() {
            return Some(LOG_BATCH);
        }
        sim.next_log_event()
            .map(|at| at.saturating_sub(now).max(LOG_BATCH))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AppModel, SimConfig, StartMode};
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;

    fn open_host(port: &LogPort) -> std::fs::File {
        let host = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(port.pair().slave_path())
            .unwrap();
        super::super::pair::make_raw(host.as_raw_fd()).unwrap();
        host
    }

    #[test]
    fn a_typed_command_reaches_the_console_and_its_answer_comes_back() {
        let config = SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_app(AppModel::OpenBeken);
        let mut sim = Sim::new(config);
        let mut port = LogPort::open().unwrap();
        let mut host = open_host(&port);
        host.write_all(b"help\r").unwrap();
        assert!(port.pair().wait(false, Duration::from_secs(2)).unwrap());
        port.pump(&mut sim, Duration::from_millis(1)).unwrap();
        port.pump(&mut sim, Duration::from_millis(100)).unwrap();
        let mut answer = vec![0u8; 64];
        let n = host.read(&mut answer).unwrap();
        assert_eq!(&answer[..n], b"Info:CMD:[UART Cmd 'help'] executed\r\n");
    }

    #[test]
    fn output_nobody_reads_is_capped() {
        let config = SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_chatty_log();
        let mut sim = Sim::new(config);
        let mut port = LogPort::open().unwrap();
        port.pump(&mut sim, Duration::from_secs(30)).unwrap();
        assert!(port.backlog.len() <= BACKLOG_CAP, "{}", port.backlog.len());
        assert_eq!(
            port.wait_limit(&sim, Duration::from_secs(30)),
            Some(LOG_BATCH)
        );
    }
}
