//! The virtual SPI bench on the wall clock: a pico-serprog programmer wired to a BK7231T whose
//! bootloader is damaged, and a virtual user who resets the chip every few seconds (no CEN wiring).
//! Included by path into the virtual device's module only (`src/bin/bkflash-device.rs`).

use core::time::Duration;

use bkflash_sim::serprog::{PortModel, SerprogBoard, firmware};
use bkflash_sim::{Sim, SimTransport};

use super::wall_clock::{performance_now, preset};

/// The programmer firmware most boards run (docs/spi-unbrick.md §4.4); it stays silent until DTR.
const FIRMWARE: &str = "pico-serprog";

/// The bootloader sector the virtual chip lost: a write cut short inside 0x0..0x11000, past the
/// first CRC block, so the chip no longer boots and UART cannot reach it (docs/spi-unbrick.md §1).
const DAMAGED: core::ops::Range<usize> = 0x1000..0x2000;

/// The virtual user resets the chip this often until it is in SPI mode.
const RESET_EVERY: Duration = Duration::from_secs(3);

/// The window after reset in which the chip takes the 0xD2 handshake. The measured 53 ms
/// (docs/spi-unbrick.md §3.2) is shorter than one message round trip to this worker at the bench's
/// speed-up, so the virtual chip keeps its window open longer; the pty simulator keeps 53 ms.
const VIRTUAL_WINDOW: Duration = Duration::from_millis(400);

/// A serprog bench whose time is the wall-clock time since it was created, times `speed`.
pub struct WallClockBench {
    board: SerprogBoard,
    created_ms: f64,
    speed: f64,
}

impl WallClockBench {
    pub fn new(speed: f64) -> Self {
        // The UART page's virtual BK7231T plug (Tuya storage and all), so a UART backup of it is
        // the known-good image for this chip.
        let config = preset("bk7231t").expect("the virtual BK7231T is a preset");
        let mut sim = Sim::new(config);
        sim.flash_mut().bytes_mut()[DAMAGED].fill(0xFF);
        let model = PortModel {
            window: VIRTUAL_WINDOW,
            ..PortModel::default()
        };
        let programmer = firmware(FIRMWARE).expect("the profile table names pico-serprog");
        let mut board = SerprogBoard::new(SimTransport::new(sim), programmer, model);
        board.schedule_manual_resets(RESET_EVERY, Some(RESET_EVERY));
        Self {
            board,
            created_ms: performance_now(),
            speed,
        }
    }

    /// Simulated time now, with the board's clock brought up to it.
    fn now(&mut self) -> Duration {
        let elapsed_ms = (performance_now() - self.created_ms) * self.speed;
        let now = Duration::from_secs_f64((elapsed_ms / 1000.0).max(0.0));
        self.board.advance_to(now);
        self.board.now()
    }

    /// The programmer's DTR (its firmware listens only while it is asserted).
    pub fn set_dtr(&mut self, dtr: bool) {
        self.now();
        self.board.set_dtr(dtr);
    }

    /// The host sends `bytes` to the programmer now.
    pub fn write(&mut self, bytes: &[u8]) {
        let now = self.now();
        self.board.host_write(now, bytes);
    }

    /// Reply bytes that reached the host by now.
    pub fn read(&mut self) -> Vec<u8> {
        let now = self.now();
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = self.board.take_to_host(now, &mut buf);
            out.extend_from_slice(&buf[..n]);
            if n < buf.len() {
                return out;
            }
        }
    }

    /// Wall-clock milliseconds until the next reply byte arrives, or `None` when none is on its way.
    pub fn ms_to_next_event(&mut self) -> Option<f64> {
        let next = self.board.next_to_host()?;
        let ahead = next.saturating_sub(self.now());
        Some(ahead.as_secs_f64() * 1000.0 / self.speed)
    }
}
