//! Flash and link operations both handler classes share; the class tables pick and guard them.
//! Each returns the full `Outcome` (reply bytes and chip-side work time).

use alloc::vec;
use core::time::Duration;

use super::chip::{Chip, Outcome, u32_at};
use crate::config::ChipClass;
use crate::flash::PAGE;
use crate::reply::{self, status};

/// Size of a 4K read or write.
pub const SECTOR: usize = 0x1000;
/// N of a correct FlashWrite4K frame: op + a32 + 4096 bytes.
pub const WRITE4K_LEN: u16 = 0x1005;

/// Erase opcodes of op 0x0F with their block sizes; `legacy` says whether the flash bootloader accepts it.
pub const ERASE_OPCODES: [(u8, u32, bool); 3] = [
    (0x20, 0x1000, true),
    (0x52, 0x8000, false),
    (0xD8, 0x1_0000, true),
];

pub fn link_check() -> Outcome {
    Outcome::reply(reply::short(0x01, &[0x00]))
}

/// SetBaudRate: switch at once, wait the delay, echo at the new baud (docs/protocol.md §4).
pub fn set_baud(chip: &mut Chip, payload: &[u8]) -> Outcome {
    let (Some(baud), Some(&delay)) = (u32_at(payload, 0), payload.get(4)) else {
        return Outcome::silent();
    };
    if baud == 0 {
        return Outcome::silent();
    }
    let wait = match chip.class {
        ChipClass::Rom => Duration::from_millis(u64::from(delay)),
        ChipClass::Legacy => Duration::from_millis(2 * (u64::from(delay) + 1)),
    };
    let mut outcome = Outcome::reply(reply::short(0x0F, &payload[..5])).after(wait);
    outcome.switch_baud = Some(baud);
    outcome
}

/// Bytes a CheckCRC covers: inclusive end on the ROM class, whole 256-byte blocks on the legacy class.
pub fn crc_len(class: ChipClass, start: u32, end: u32) -> u64 {
    if end < start {
        return 0;
    }
    let span = u64::from(end - start) + 1;
    match class {
        ChipClass::Rom => span,
        ChipClass::Legacy => span / 256 * 256,
    }
}

pub fn check_crc(chip: &mut Chip, payload: &[u8]) -> Option<Outcome> {
    let (start, end) = (u32_at(payload, 0)?, u32_at(payload, 4)?);
    let len = crc_len(chip.class, start, end);
    let crc = chip.flash.crc(start, len);
    Some(Outcome::reply(reply::short(0x10, &crc.to_le_bytes())).after(chip.timing.crc(len)))
}

/// Op 0x06: up to one page, wrapping inside it; the count field is the length's low byte.
pub fn write_page(chip: &mut Chip, op: u8, payload: &[u8]) -> Outcome {
    let Some(addr) = u32_at(payload, 0) else {
        return Outcome::reply(reply::long(op, status::PACK_LEN_ERROR, &[]));
    };
    let data = &payload[4..];
    if data.len() > PAGE as usize {
        return Outcome::reply(reply::long(op, status::PACK_LEN_ERROR, &payload[..4]));
    }
    chip.flash.program_page(addr, data);
    let mut body = payload[..4].to_vec();
    body.push(data.len() as u8);
    Outcome::reply(reply::long(op, status::OK, &body)).after(chip.timing.page_program)
}

/// Op 0x07 check: exactly N = 0x1005, otherwise status 4.
pub fn write4k_len_error(op: u8, len: u16, payload: &[u8]) -> Option<Outcome> {
    if len == WRITE4K_LEN {
        return None;
    }
    Some(Outcome::reply(reply::long(
        op,
        status::PACK_LEN_ERROR,
        payload.get(..4).unwrap_or(&[]),
    )))
}

/// Op 0x07 programming: 16 page programs after the whole frame arrived (ROM class).
pub fn write4k(chip: &mut Chip, op: u8, payload: &[u8]) -> Outcome {
    chip.flash
        .program(u32_at(payload, 0).unwrap_or(0), &payload[4..]);
    let pages = (SECTOR / PAGE as usize) as u32;
    Outcome::reply(reply::long(op, status::OK, &payload[..4]))
        .after(chip.timing.page_program * pages)
}

/// Op 0x08 (size u8) and 0x09 (4096): `a32` + data.
pub fn read(chip: &Chip, op: u8, addr: u32, len: usize) -> Outcome {
    let mut body = vec![0u8; 4 + len];
    body[..4].copy_from_slice(&addr.to_le_bytes());
    chip.flash.read(addr, &mut body[4..]);
    Outcome::reply(reply::long(op, status::OK, &body))
}

/// Op 0x0F erase of `size` at `addr`; the reply echoes opcode and address.
pub fn erase(chip: &mut Chip, op: u8, payload: &[u8], size: u32) -> Outcome {
    let addr = u32_at(payload, 1).unwrap_or(0);
    chip.flash.erase(addr, size);
    Outcome::reply(reply::long(op, status::OK, &payload[..5])).after(erase_time(chip, size))
}

pub fn erase_time(chip: &Chip, size: u32) -> Duration {
    match size {
        0x1000 => chip.timing.erase_4k,
        0x8000 => chip.timing.erase_32k,
        0x1_0000 => chip.timing.erase_64k,
        _ => chip.timing.erase_chip,
    }
}

/// Block size of an erase opcode this class accepts.
pub fn erase_size(class: ChipClass, opcode: u8) -> Option<u32> {
    ERASE_OPCODES
        .iter()
        .find(|row| row.0 == opcode && (class == ChipClass::Rom || row.2))
        .map(|row| row.1)
}

/// A 4K write cut by a reset: the first half of the pages programmed.
pub fn half_write4k(chip: &mut Chip, payload: &[u8]) {
    if let Some(addr) = u32_at(payload, 0) {
        let half = payload.len().min(4 + SECTOR / 2);
        chip.flash.program(addr, &payload[4..half]);
    }
}

/// An erase cut by a reset: the first half of the block erased (if the flash lets it erase at all).
pub fn half_erase(chip: &mut Chip, addr: u32, size: u32) {
    chip.flash.erase_part(addr, size, size / 2);
}

/// Bytes a response for an op with a too-short payload carries.
pub fn too_short(op: u8) -> Outcome {
    Outcome::reply(reply::long(op, status::PACK_LEN_ERROR, &[]))
}
