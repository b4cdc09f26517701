//! The bootloader's command handlers. The sim core calls `Handler` and never names a class; below it
//! sit the class tables (`rom.rs`, `legacy.rs`), their shared operations (`ops.rs`) and types (`chip.rs`).

use alloc::vec::Vec;

use crate::config::ChipClass;
use crate::parser::{Frame, Partial};

mod chip;
mod legacy;
mod ops;
mod rom;

pub use chip::{Chip, CommandSet, Outcome, u32_at};

/// What the sim core asks of the bootloader that runs download mode.
pub trait Handler {
    /// Handle one complete frame.
    fn dispatch(&self, chip: &mut Chip, frame: &Frame) -> Outcome;
    /// A reset hits the long op `op` half way (fault `ResetMidOp`); false if it is not an erase or write.
    fn cut(&self, chip: &mut Chip, op: u8, payload: &[u8]) -> bool;
    /// Whether this class programs 4K writes while they stream in, rather than on the whole frame.
    fn streams_write4k(&self) -> bool;
    /// After every byte of an open long frame of a streaming class: how many pages of the 4K write
    /// are programmed so far.
    fn stream_write4k(&self, chip: &mut Chip, len: u16, collected: &[u8]) -> Option<usize>;
    /// The reply, if any, to a partial frame the handler gives up on.
    fn abandoned(&self, partial: &Partial) -> Option<Vec<u8>>;
}

/// The handler of a bootloader class.
pub fn of(class: ChipClass) -> &'static dyn Handler {
    match class {
        ChipClass::Rom => &rom::COMMANDS,
        ChipClass::Legacy => &legacy::COMMANDS,
    }
}

impl Handler for CommandSet {
    fn dispatch(&self, chip: &mut Chip, frame: &Frame) -> Outcome {
        let outcome = match frame {
            Frame::Short { code, payload } => match self.short.iter().find(|row| row.0 == *code) {
                Some((_, handler)) => handler(chip, payload),
                None => (self.unknown_short)(*code),
            },
            Frame::Long { op, len, payload } => match self.long.iter().find(|row| row.0 == *op) {
                Some((_, handler)) => handler(chip, *op, *len, payload),
                None => (self.unknown_long)(*op),
            },
        };
        outcome.after(chip.timing.command_overhead)
    }

    fn cut(&self, chip: &mut Chip, op: u8, payload: &[u8]) -> bool {
        (self.cut)(chip, op, payload)
    }

    fn streams_write4k(&self) -> bool {
        self.stream_write4k.is_some()
    }

    fn stream_write4k(&self, chip: &mut Chip, len: u16, collected: &[u8]) -> Option<usize> {
        self.stream_write4k
            .and_then(|stream| stream(chip, len, collected))
    }

    fn abandoned(&self, partial: &Partial) -> Option<Vec<u8>> {
        (self.abandoned)(partial)
    }
}
