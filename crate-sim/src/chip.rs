//! The chip's command side: state the handlers share, what a handled command results in, and dispatch
//! through the class's handler tables (`rom.rs`, `legacy.rs`).

use alloc::vec::Vec;
use core::time::Duration;

use crate::config::{ChipClass, SimConfig};
use crate::flash::Flash;
use crate::parser::Frame;
use crate::regs::Regs;
use crate::timing::Timing;
use crate::{bootloader, legacy, rom};

/// Handler of a short command: gets the payload after the code.
pub type ShortHandler = fn(&mut Chip, &[u8]) -> Outcome;
/// Handler of a long op: gets the op, N and the payload after the op.
pub type LongHandler = fn(&mut Chip, u8, u16, &[u8]) -> Outcome;

/// One class's command set, as data.
pub struct CommandSet {
    pub short: &'static [(u8, ShortHandler)],
    pub long: &'static [(u8, LongHandler)],
    pub unknown_short: fn(u8) -> Outcome,
    pub unknown_long: fn(u8) -> Outcome,
    /// Do the first half of an erase or 4K write that a reset interrupts; false if the op is neither.
    pub cut: fn(&mut Chip, u8, &[u8]) -> bool,
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
    /// Legacy class: a LinkCheck armed "unprotect on the next erase" (protocol.md §6.4).
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

    fn commands(&self) -> &'static CommandSet {
        match self.class {
            ChipClass::Rom => &rom::COMMANDS,
            ChipClass::Legacy => &legacy::COMMANDS,
        }
    }

    /// Handle one complete frame.
    pub fn dispatch(&mut self, frame: &Frame) -> Outcome {
        let commands = self.commands();
        let outcome = match frame {
            Frame::Short { code, payload } => {
                match commands.short.iter().find(|row| row.0 == *code) {
                    Some((_, handler)) => handler(self, payload),
                    None => (commands.unknown_short)(*code),
                }
            }
            Frame::Long { op, len, payload } => match commands.long.iter().find(|row| row.0 == *op)
            {
                Some((_, handler)) => handler(self, *op, *len, payload),
                None => (commands.unknown_long)(*op),
            },
        };
        outcome.after(self.timing.command_overhead)
    }

    /// A reset hits the long op `op` half way (fault `ResetMidOp`); false if it is not an erase or write.
    pub fn cut(&mut self, op: u8, payload: &[u8]) -> bool {
        (self.commands().cut)(self, op, payload)
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
