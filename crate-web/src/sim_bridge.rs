//! A simulated chip on the wall clock, exported to JavaScript so the end-to-end tests can put a fake
//! Web Serial port in front of it: the page then drives the simulator through its real serial code.

use core::time::Duration;

use bkflash_core::image::sha256_hex;
use bkflash_sim::{AddressChange, BOOT_BAUD, CommandKind, CommandMatch, Fault, Sim};
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

    /// The next 4K write the chip receives arrives with `addr` as its address, as when a byte lost
    /// or doubled on the line shifts the address field (the bootloader-repair test aims it there).
    pub fn redirect_next_write(&mut self, addr: u32) {
        let write = CommandKind::Long(0x07);
        self.sim.add_fault(Fault::FrameAddress {
            command: CommandMatch::of(write, self.sim.commands_of(write) + 1),
            change: AddressChange::To(addr),
        });
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
