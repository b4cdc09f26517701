//! A simulated chip on the wall clock, exported to JavaScript so the end-to-end tests can put a fake
//! Web Serial port in front of it (e2e/sim-serial.js): the page then drives it through its real serial code.
//! Test-only: built into bkflash-sim-bridge (scripts/e2e-bridge.sh), never into the page.

use crate::wall_clock::WallClockChip;
use bkflash_core::image::sha256_hex;
use bkflash_sim::{AddressChange, CommandKind, CommandMatch, Fault};
use wasm_bindgen::prelude::*;

/// One simulated chip; its clock is the wall clock, so the tests see real serial timing.
#[wasm_bindgen]
pub struct SimPort {
    chip: WallClockChip,
}

#[wasm_bindgen]
impl SimPort {
    /// A chip from a preset: "bk7231n", "bk7231t" or "bk7231t-app".
    #[wasm_bindgen(constructor)]
    pub fn new(chip: &str) -> Result<SimPort, JsError> {
        let chip = WallClockChip::new(chip, 1.0).map_err(|message| JsError::new(&message))?;
        Ok(SimPort { chip })
    }

    /// The host opened or reopened the port at `baud`.
    pub fn set_baud(&mut self, baud: u32) {
        self.chip.set_baud(baud);
    }

    pub fn set_lines(&mut self, dtr: bool, rts: bool) {
        self.chip.set_lines(dtr, rts);
    }

    /// The host sends `bytes` now (or after what it is still sending).
    pub fn write(&mut self, bytes: &[u8]) {
        self.chip.write(bytes);
    }

    /// Bytes the chip has sent to the host up to now.
    pub fn read(&mut self) -> Vec<u8> {
        self.chip.read()
    }

    /// The next 4K write the chip receives arrives with `addr` as its address, as when a byte lost
    /// or doubled on the line shifts the address field (the bootloader-repair test aims it there).
    pub fn redirect_next_write(&mut self, addr: u32) {
        let write = CommandKind::Long(0x07);
        let sim = self.chip.sim_mut();
        sim.add_fault(Fault::FrameAddress {
            command: CommandMatch::of(write, sim.commands_of(write) + 1),
            change: AddressChange::To(addr),
        });
    }

    /// The whole simulated flash.
    pub fn flash(&self) -> Vec<u8> {
        self.chip.flash().to_vec()
    }

    /// Lowercase hex SHA-256 of `len` flash bytes from `start`, as `bkflash inspect --json` gives.
    pub fn flash_sha256(&self, start: u32, len: u32) -> Result<String, JsError> {
        let range = start as usize..start as usize + len as usize;
        self.chip
            .flash()
            .get(range)
            .map(sha256_hex)
            .ok_or_else(|| JsError::new("the range reaches past the simulated flash"))
    }
}
