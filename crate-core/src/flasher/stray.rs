//! Misdirected erases and writes: a frame damaged on the wire (the protocol has no checksum) can make
//! the chip change flash elsewhere; its reply echoes the address it used, which this file recognises.

use alloc::vec::Vec;

use super::Flasher;
use super::sectors::{FlashReport, SectorState};
use crate::error::{Error, ErrorKind};
use crate::plan::SECTOR;
use crate::protocol::{Command, Frame};
use crate::transport::Transport;

/// How many sent erases and writes are remembered to recognise their late replies.
const SENT_CHANGES_KEPT: usize = 64;
/// Long op of the sized erase, whose echo starts with the SPI erase opcode before the address.
const ERASE_OP: u8 = 0x0F;
/// Long op of the 4 KiB erase.
const ERASE_4K_OP: u8 = 0x0B;
/// Long ops that change up to 4 KiB: page write, 4K write, 4K erase.
const SECTOR_CHANGES: [u8; 3] = [0x06, 0x07, ERASE_4K_OP];
/// Flash page: a program operation wraps inside one.
const PAGE: u32 = 256;
/// SPI erase opcodes of the sized erase and the bytes they clear (docs/protocol.md §2.2).
static ERASE_LENGTHS: &[(u8, u32)] = &[(0x20, 0x1000), (0x52, 0x8000), (0xD8, 0x10000)];

/// (reply code, wire address) of the erases and writes a session sent most recently.
#[derive(Clone, Debug, Default)]
pub(super) struct SentChanges(Vec<(u8, u32)>);

impl<T: Transport> Flasher<T> {
    /// Note an erase or write about to be sent, so its own late reply is not taken for a stray one.
    pub(super) fn remember_change(&mut self, command: &Command<'_>) {
        let code = command.opcode().info().reply_code;
        if let Some((addr, _)) = changed_range(code, command.address(), None) {
            let sent = &mut self.sent_changes.0;
            if sent.len() == SENT_CHANGES_KEPT {
                sent.remove(0);
            }
            sent.extend(code.map(|code| (code, addr)));
        }
    }

    /// A successful erase or write reply for an address this session never sent: a line fault
    /// changed the frame on its way, and the chip changed flash elsewhere (docs/protocol.md has no frame
    /// checksum). The error names the range, which the flash report lists as unknown.
    pub(super) fn misdirected(
        &self,
        in_flight: Option<&Command<'_>>,
        frame: &Frame,
    ) -> Option<Error> {
        let Frame::Long {
            op,
            status: 0,
            body,
        } = frame
        else {
            return None;
        };
        let (wire, len) = changed_range(
            Some(*op),
            le32(body, usize::from(*op == ERASE_OP)),
            body.first(),
        )?;
        if self.sent_changes.0.contains(&(*op, wire)) {
            return None;
        }
        let sectors = touched_sectors(*op, wire, len, self.flash_size());
        let mut report = FlashReport::new(sectors.iter().copied());
        for &sector in &sectors {
            report.set(sector, SectorState::Unknown);
        }
        let at = sectors.first().copied().unwrap_or(wire);
        let changed = alloc::format!(
            "the chip changed {} sector(s) from 0x{at:06X} (op 0x{op:02X})",
            sectors.len()
        );
        let error = match in_flight {
            Some(command) => Error::new(ErrorKind::Misdirected)
                .command(command.opcode(), Some(at))
                .detail(alloc::format!(
                    "asked for 0x{:06X}, {changed}",
                    command.address().unwrap_or_default()
                )),
            None => Error::new(ErrorKind::Misdirected)
                .at(at)
                .detail(alloc::format!("seen while re-syncing: {changed}")),
        };
        Some(error.with_flash(report))
    }
}

/// The flash range an erase or write changes: its (wire) address and length, from the op, the
/// address and, for the sized erase, the SPI erase opcode (`None`: the command's own size).
fn changed_range(
    op: Option<u8>,
    addr: Option<u32>,
    erase_opcode: Option<&u8>,
) -> Option<(u32, u32)> {
    let op = op?;
    let len = if op == ERASE_OP {
        erase_opcode
            .and_then(|code| ERASE_LENGTHS.iter().find(|row| row.0 == *code))
            .map_or(SECTOR, |row| row.1)
    } else if SECTOR_CHANGES.contains(&op) {
        SECTOR
    } else {
        return None;
    };
    Some((addr?, len))
}

/// The sectors an erase or write at wire address `wire` changes, after the flash's address wrap.
/// An erase clears its aligned unit (the flash ignores the low bits); a write at an unaligned
/// address programs one page per 256 bytes from the page it starts in (each page program wraps
/// inside its page), and may run past the flash end to 0.
fn touched_sectors(op: u8, wire: u32, len: u32, flash_size: u32) -> Vec<u32> {
    let wrap = |addr: u32| {
        if flash_size > 0 {
            addr % flash_size
        } else {
            addr
        }
    };
    let (start, end) = if op == ERASE_OP || op == ERASE_4K_OP {
        let start = wire & !(len - 1);
        (start, start.saturating_add(len))
    } else {
        let pages_end = (wire & !(PAGE - 1)).saturating_add(len.div_ceil(PAGE) * PAGE);
        (wire & !(SECTOR - 1), pages_end)
    };
    let mut sectors: Vec<u32> = (start..end)
        .step_by(SECTOR as usize)
        .map(|addr| wrap(addr) & !(SECTOR - 1))
        .collect();
    sectors.sort_unstable();
    sectors.dedup();
    sectors
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_write_covers_every_sector_its_pages_reach() {
        assert_eq!(
            touched_sectors(0x07, 0x14A00, SECTOR, 0x20_0000),
            [0x14000, 0x15000]
        );
        assert_eq!(
            touched_sectors(0x07, 0x1F_FA00, SECTOR, 0x20_0000),
            [0x0, 0x1F_F000],
            "past the end the flash wraps to its bootloader"
        );
        assert_eq!(touched_sectors(0x06, 0x23F80, 0x100, 0x20_0000), [0x23000]);
    }

    #[test]
    fn a_stray_erase_clears_its_aligned_unit() {
        assert_eq!(
            touched_sectors(ERASE_OP, 0x6_5A00, 0x10000, 0x20_0000),
            (0x60000..0x70000).step_by(0x1000).collect::<Vec<u32>>()
        );
        assert_eq!(
            touched_sectors(ERASE_OP, 0x0600_0000, SECTOR, 0x20_0000),
            [0x0]
        );
    }
}
