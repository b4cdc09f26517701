//! A simulated chip on the wall clock, exported to JavaScript so the end-to-end tests can put a fake
//! Web Serial port in front of it (e2e/sim-serial.js): the page then drives it through its real serial code.
//! Test-only: built into bkflash-sim-bridge (scripts/e2e-bridge.sh), never into the page.

use core::time::Duration;

use crate::wall_clock::{WallClockChip, preset};
use bkflash_core::image::sha256_hex;
use bkflash_sim::{AddressChange, CommandKind, CommandMatch, Fault, Sim, StartMode};
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

    /// The log adapter (on UART2) opened or reopened at `baud`.
    pub fn set_log_baud(&mut self, baud: u32) {
        self.chip.set_log_baud(baud);
    }

    /// UART2 bytes the running firmware has printed up to now.
    pub fn read_log(&mut self) -> Vec<u8> {
        self.chip.read_log()
    }

    /// The log adapter types `bytes` (a command line for the firmware's console).
    pub fn write_log(&mut self, bytes: &[u8]) {
        self.chip.write_log(bytes);
    }

    /// What a chip `chip` running chatty firmware prints on UART2 in `seconds` of its time: a fast
    /// feed for tests of a device that never stops logging. Read a second at a time, as a port
    /// would: the simulated wire holds each byte in flight as a timed entry, so a minute at once
    /// would grow the test page's memory by tens of MiB and hide what the monitor itself uses.
    pub fn chatty_log(chip: &str, seconds: f64) -> Result<Vec<u8>, JsError> {
        let config = preset(chip)
            .ok_or_else(|| JsError::new(&format!("no simulated chip named {chip}")))?
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
