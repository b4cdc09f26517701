//! The host's side of UART2, the log port: a second adapter that reads what the running app prints
//! and may type command lines to it. Independent of UART1; resets and reboots reach it through
//! the chip's power path.

use alloc::vec::Vec;
use core::time::Duration;

use super::Sim;

impl Sim {
    /// Run the chip up to `now` and append every UART2 byte that has reached the log adapter.
    pub fn advance_log(&mut self, now: Duration, out: &mut Vec<u8>) {
        self.run_until(now);
        self.log.receive_until(now, out);
    }

    /// When the next UART2 byte reaches the log adapter; `None` while the app prints nothing.
    pub fn next_log_event(&self) -> Option<Duration> {
        self.log.next_event()
    }

    /// The log adapter sends `bytes` at `now` (a command line for the app's console).
    pub fn log_rx(&mut self, now: Duration, bytes: &[u8]) {
        self.run_until(now);
        self.log.rx(now, bytes);
    }

    /// The log adapter runs at `baud`; the app prints at `LOG_BAUD`, so another rate garbles it.
    pub fn set_log_baud(&mut self, baud: u32) {
        self.log.set_host_baud(baud);
    }
}
