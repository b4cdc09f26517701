//! A record of every change the chip makes inside one flash range, so a test can tell a change the
//! host asked for from one a line fault caused (the fault matrix's bootloader columns). Off by default.

use alloc::vec::Vec;
use core::ops::Range;

use crate::flash::Flash;

/// Erase op that clears the whole flash.
const ERASE_ALL_OP: u8 = 0x0A;
/// The largest unit one erase or write changes (a 64 KiB block erase).
const LARGEST_UNIT: u32 = 0x1_0000;

/// One erase or write that changed the watched range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlashChange {
    /// The long op that did it.
    pub op: u8,
    /// The address the chip read in the frame, before the flash's wrap.
    pub addr: u32,
    /// Bytes the host had sent by then (`Sim::host_bytes_sent`).
    pub host_bytes: u64,
}

/// The watched range, its content after the last change, and the changes so far.
#[derive(Clone, Debug)]
pub(crate) struct RangeWatch {
    range: Range<usize>,
    snapshot: Vec<u8>,
    changes: Vec<FlashChange>,
}

impl RangeWatch {
    pub fn new(flash: &Flash, range: Range<u32>) -> Self {
        let range = range.start as usize..(range.end.min(flash.size())) as usize;
        Self {
            snapshot: flash.bytes()[range.clone()].to_vec(),
            range,
            changes: Vec::new(),
        }
    }

    pub fn changes(&self) -> &[FlashChange] {
        &self.changes
    }

    /// After an erase or write at raw address `addr`: note it if the range now differs. Operations
    /// that land far from the range are skipped without comparing.
    pub fn after_change(&mut self, flash: &Flash, op: u8, addr: u32, host_bytes: u64) {
        let at = flash.wrap(addr) as usize;
        let reach = LARGEST_UNIT as usize;
        let near = (at < self.range.end + reach && at + reach > self.range.start)
            || at + reach > flash.size() as usize
            || op == ERASE_ALL_OP;
        if !near || flash.bytes()[self.range.clone()] == self.snapshot[..] {
            return;
        }
        self.snapshot
            .copy_from_slice(&flash.bytes()[self.range.clone()]);
        self.changes.push(FlashChange {
            op,
            addr,
            host_bytes,
        });
    }
}
