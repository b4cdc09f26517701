//! A simulated chip on the wall clock, exported to JavaScript so the end-to-end tests can put a fake
//! Web Serial port in front of it: the page then drives the simulator through its real serial code.

use core::time::Duration;

use bkflash_core::image::sha256_hex;
use bkflash_sim::{BOOT_BAUD, Sim, StartMode};
use wasm_bindgen::prelude::*;

use crate::device::{now_ms, virtual_chip};

/// One simulated chip; times are wall-clock milliseconds since it was created.
#[wasm_bindgen]
pub struct SimPort {
    sim: Sim,
    created_ms: f64,
    baud: u32,
    /// When the host's last byte leaves; a later write queues behind it.
    sending_until: Duration,
    received: Vec<u8>,
}

#[wasm_bindgen]
impl SimPort {
    /// A chip from a preset: "bk7231n" or "bk7231t".
    #[wasm_bindgen(constructor)]
    pub fn new(chip: &str) -> Result<SimPort, JsError> {
        let preset = virtual_chip(chip).ok_or_else(|| {
            JsError::new(&format!(
                "no simulated chip named {chip}; use bk7231n or bk7231t"
            ))
        })?;
        Ok(SimPort {
            sim: Sim::new((preset.config)()),
            created_ms: now_ms(),
            baud: BOOT_BAUD,
            sending_until: Duration::ZERO,
            received: Vec::new(),
        })
    }

    fn now(&self) -> Duration {
        Duration::from_secs_f64(((now_ms() - self.created_ms) / 1000.0).max(0.0))
    }

    /// The host opened or reopened the port at `baud`.
    pub fn set_baud(&mut self, baud: u32) {
        let now = self.now();
        self.baud = baud;
        self.sim.set_host_baud(now, baud);
    }

    pub fn set_lines(&mut self, dtr: bool, rts: bool) {
        let now = self.now();
        self.sim.set_lines(now, dtr, rts);
    }

    /// The host sends `bytes` now (or after what it is still sending).
    pub fn write(&mut self, bytes: &[u8]) {
        let start = self.now().max(self.sending_until);
        self.sending_until = self.sim.rx(start, bytes, self.baud);
    }

    /// Bytes the chip has sent to the host up to now.
    pub fn read(&mut self) -> Vec<u8> {
        let now = self.now();
        self.sim.advance(now, &mut self.received);
        core::mem::take(&mut self.received)
    }

    /// The log adapter (on UART2) opened or reopened at `baud`.
    pub fn set_log_baud(&mut self, baud: u32) {
        self.sim.set_log_baud(baud);
    }

    /// UART2 bytes the running firmware has printed up to now.
    pub fn read_log(&mut self) -> Vec<u8> {
        let now = self.now();
        let mut out = Vec::new();
        self.sim.advance_log(now, &mut out);
        out
    }

    /// The log adapter types `bytes` (a command line for the firmware's console).
    pub fn write_log(&mut self, bytes: &[u8]) {
        let now = self.now();
        self.sim.log_rx(now, bytes);
    }

    /// What a chip `chip` running chatty firmware prints on UART2 in `seconds` of its time: a fast
    /// feed for tests of a device that never stops logging. Read a second at a time, as a port
    /// would: the simulated wire holds each byte in flight as a timed entry, so a minute at once
    /// would grow the test page's memory by tens of MiB and hide what the monitor itself uses.
    pub fn chatty_log(chip: &str, seconds: f64) -> Result<Vec<u8>, JsError> {
        let preset = virtual_chip(chip)
            .ok_or_else(|| JsError::new(&format!("no simulated chip named {chip}")))?;
        let config = (preset.config)()
            .with_start(StartMode::App)
            .with_chatty_log();
        let mut sim = Sim::new(config);
        let end = Duration::from_secs_f64(seconds);
        let mut out = Vec::new();
        let mut read_to = Duration::ZERO;
        while read_to < end {
            read_to = (read_to + Duration::from_secs(1)).min(end);
            sim.advance_log(read_to, &mut out);
        }
        Ok(out)
    }

    /// The whole simulated flash.
    pub fn flash(&self) -> Vec<u8> {
        self.sim.flash().bytes().to_vec()
    }

    /// Lowercase hex SHA-256 of `len` flash bytes from `start`, as `bkflash inspect --json` gives.
    pub fn flash_sha256(&self, start: u32, len: u32) -> Result<String, JsError> {
        let bytes = self.sim.flash().bytes();
        let range = start as usize..start as usize + len as usize;
        bytes
            .get(range)
            .map(sha256_hex)
            .ok_or_else(|| JsError::new("the range reaches past the simulated flash"))
    }
}
