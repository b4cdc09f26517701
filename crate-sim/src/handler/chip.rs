//! What every command handler works with: the chip state they share, what a handled command results
//! in, and the shape of a class's command table (filled in by `rom.rs` and `legacy.rs`).

use alloc::vec::Vec;
use core::time::Duration;

use crate::bootloader;
use crate::config::{ChipClass, SimConfig};
use crate::flash::Flash;
use crate::parser::Partial;
use crate::regs::Regs;
use crate::timing::Timing;

/// Handler of a short command: gets the payload after the code.
pub type ShortHandler = fn(&mut Chip, &[u8]) -> Outcome;
/// Handler of a long op: gets the op, N and the payload after the op.
pub type LongHandler = fn(&mut Chip, u8, u16, &[u8]) -> Outcome;
/// Programs the complete pages of an open 4K write: gets N and the frame's bytes so far, returns how
/// many pages of the frame are programmed (`None` if it is no 4K write this class accepts).
pub type StreamWrite4K = fn(&mut Chip, u16, &[u8]) -> Option<usize>;

/// One class's command set, as data.
pub struct CommandSet {
    pub short: &'static [(u8, ShortHandler)],
    pub long: &'static [(u8, LongHandler)],
    pub unknown_short: fn(u8) -> Outcome,
    pub unknown_long: fn(u8) -> Outcome,
    /// Do the first half of an erase or 4K write that a reset interrupts; false if the op is neither.
    pub cut: fn(&mut Chip, u8, &[u8]) -> bool,
    /// A class that programs 4K writes while they stream in: called after every byte of an open long frame.
    pub stream_write4k: Option<StreamWrite4K>,
    /// The reply to a partial frame the handler gives up on, if the class sends one.
    pub abandoned: fn(&Partial) -> Option<Vec<u8>>,
}

/// What handling one command does, beyond its effect on the flash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Chip-side work before the reply starts.
    pub work: Duration,
    pub reply: Option<Vec<u8>>,
    /// Switch the chip's UART to this baud at once (before `work` and the reply).
    pub switch_baud: Option<u32>,
    /// Reset the chip after `work` (no reply).
    pub reset: bool,
}

impl Outcome {
    pub fn reply(bytes: Vec<u8>) -> Self {
        Self {
            reply: Some(bytes),
            ..Self::default()
        }
    }

    pub fn silent() -> Self {
        Self::default()
    }

    pub fn reset() -> Self {
        Self {
            reset: true,
            ..Self::default()
        }
    }

    pub fn after(mut self, work: Duration) -> Self {
        self.work += work;
        self
    }
}

/// Handler-visible chip state.
#[derive(Clone, Debug)]
pub struct Chip {
    pub class: ChipClass,
    pub timing: Timing,
    pub flash: Flash,
    pub regs: Regs,
    pub boot_version: Option<Vec<u8>>,
    /// Legacy class: a LinkCheck armed "unprotect on the next erase" (docs/protocol.md §6.4).
    pub erase_unprotect_armed: bool,
}

impl Chip {
    pub fn new(config: &SimConfig) -> Self {
        let image = match &config.flash_image {
            Some(image) => image.clone(),
            None => bootloader::synthetic(config.class, config.bootloader),
        };
        Self {
            class: config.class,
            timing: config.timing,
            flash: flash(config, &image),
            regs: Regs::new(config.chip_id, config.device_id, config.efuse),
            boot_version: config.boot_version.clone(),
            erase_unprotect_armed: false,
        }
    }
}

/// The flash a config describes: contents, status register and its behaviour, and whether it answers.
fn flash(config: &SimConfig, image: &[u8]) -> Flash {
    let flash = Flash::new(
        config.flash_size,
        image,
        config.status_register,
        config.jedec_id,
    )
    .with_status_model(config.status_model);
    if config.flash_silent {
        flash.silent()
    } else {
        flash
    }
}

/// Little-endian u32 at `at`, if the payload is long enough.
pub fn u32_at(payload: &[u8], at: usize) -> Option<u32> {
    payload
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}
