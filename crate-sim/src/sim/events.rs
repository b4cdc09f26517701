//! The time machinery of `Sim`: timers (boot, window, scheduled resets, the ROM frame timeout, stalls,
//! timed faults), the run loop that interleaves them with input, and the chip's transmit and power paths.

use core::time::Duration;

use super::{BOOT_BAUD, Sim};
use crate::config::ChipClass;
use crate::fault::{ByteFault, CORRUPT_MASK, Fault};
use crate::parser::RxParser;
use crate::power::{AppListener, ChipMode};
use crate::timing::byte_time;

impl Sim {
    pub(super) fn next_timer(&self) -> Option<Duration> {
        let stall_end = self.stalled_until.flatten();
        [
            self.mode_until,
            self.reset_at,
            self.frame_deadline(),
            stall_end,
            self.faults.next_timed(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// ROM class only: when the frame in progress is abandoned; the legacy parser waits forever.
    pub(super) fn frame_deadline(&self) -> Option<Duration> {
        (self.config.class == ChipClass::Rom
            && self.mode == ChipMode::Download
            && self.parser.in_frame())
        .then(|| self.last_rx + self.config.rom_frame_timeout)
    }

    pub(super) fn run_until(&mut self, t: Duration) {
        loop {
            let timer = self.next_timer();
            let input = self
                .to_chip
                .front()
                .map(|(done, _, _)| done.max(self.busy_until));
            match (timer, input) {
                (Some(at), other) if at <= t && other.is_none_or(|i| at <= i) => {
                    self.fire_timers(at)
                }
                (_, Some(at)) if at <= t => self.process_input(at),
                _ => break,
            }
        }
        self.now = self.now.max(t);
    }

    pub(super) fn fire_timers(&mut self, t: Duration) {
        self.now = t;
        if self.mode_until.is_some_and(|at| at <= t) {
            self.mode_until = None;
            match self.mode {
                ChipMode::Booting => {
                    self.mode = ChipMode::Window;
                    self.mode_until = Some(t + self.config.download_window);
                }
                ChipMode::Window => self.start_app(t),
                ChipMode::App => self.print_status(t),
                _ => {}
            }
        }
        if self.reset_at.is_some_and(|at| at <= t) {
            self.reset_at = None;
            self.power_down(t);
            if !self.cen_low {
                self.boot(t);
            }
        }
        if self.frame_deadline().is_some_and(|at| at <= t) {
            self.abandon_frame(t);
        }
        if self.stalled_until.flatten().is_some_and(|at| at <= t) {
            self.stalled_until = None;
        }
        for fault in self.faults.take_timed(t) {
            match fault {
                Fault::Stall { duration, .. } => self.stalled_until = Some(duration.map(|d| t + d)),
                Fault::Unplug { .. } => self.unplug(t),
                Fault::Inject { bytes, .. } => self.send(t, &bytes),
                _ => {}
            }
        }
    }

    /// The chip sends `bytes` from `start` at its current baud; the handler is busy until they are out.
    pub(super) fn send(&mut self, start: Duration, bytes: &[u8]) {
        let mut at = start;
        for &byte in bytes {
            let begins = at.max(self.to_host.free_at());
            let ends = begins + byte_time(self.chip_baud);
            if !self.adapter.passes_chip_byte(begins, ends, self.chip_baud) {
                at = self.to_host.skip(at, self.chip_baud);
                continue;
            }
            at = match self.faults.chip_byte() {
                None => self.to_host.send(at, byte, self.chip_baud),
                Some(ByteFault::Drop) => self.to_host.skip(at, self.chip_baud),
                Some(ByteFault::Corrupt) => {
                    self.to_host.send(at, byte ^ CORRUPT_MASK, self.chip_baud)
                }
                Some(ByteFault::Duplicate) => {
                    let done = self.to_host.send(at, byte, self.chip_baud);
                    self.to_host.repeat_last();
                    done
                }
            };
        }
        self.busy_until = self.busy_until.max(at);
    }

    /// CEN goes low (or the watchdog fires): everything stops, unsent output and unread input are lost.
    pub(super) fn power_down(&mut self, t: Duration) {
        self.mode = ChipMode::Reset;
        self.mode_until = None;
        self.parser = RxParser::new();
        self.app = AppListener::new(self.config.app);
        self.log.power_down(t);
        self.chip.erase_unprotect_armed = false;
        self.chip_baud = BOOT_BAUD;
        self.to_host.cut_after(t);
        self.to_chip.drop_arrived(t);
        if let Some(ring) = self.ring.as_mut() {
            ring.clear();
        }
        self.busy_until = t;
    }

    /// Out of reset: boot log, then the download window.
    pub(super) fn boot(&mut self, t: Duration) {
        self.mode = ChipMode::Booting;
        self.chip_baud = BOOT_BAUD;
        let log = self.config.boot_log.clone();
        self.send(t, &log);
        self.mode_until = Some(self.busy_until.max(t));
    }

    pub(super) fn start_app(&mut self, t: Duration) {
        self.mode = ChipMode::App;
        let log = self.config.app_log.clone();
        self.send(t, &log);
        self.log.app_started(t);
        self.mode_until = self.next_status(t);
    }

    /// The running app's periodic status line (`SimConfig::app_status`).
    fn print_status(&mut self, t: Duration) {
        if let Some((_, line)) = self.config.app_status.clone() {
            self.send(t, &line);
        }
        self.mode_until = self.next_status(t);
    }

    /// When a running app next prints its status, if it ever does.
    pub(super) fn next_status(&self, t: Duration) -> Option<Duration> {
        self.config.app_status.as_ref().map(|(every, _)| t + *every)
    }
}
