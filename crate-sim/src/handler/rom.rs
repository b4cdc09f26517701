//! The ROM-class download handler (BK7231N-like, bk7231tools "FULL"): every command of docs/protocol.md §2,
//! no address checks, unknown short commands answered with body `07`, unknown ops with status 7.

use core::time::Duration;

use alloc::vec::Vec;

use super::chip::{Chip, CommandSet, Outcome, u32_at};
use super::ops::{self, SECTOR};
use crate::parser::Partial;
use crate::reply::{self, status};

pub static COMMANDS: CommandSet = CommandSet {
    short: &[
        (0x00, link_check),
        (0x01, write_reg),
        (0x03, read_reg),
        (0x0E, reboot),
        (0x0F, ops::set_baud),
        (0x10, check_crc),
        (0x70, watchdog_reset),
        (0xAA, stay_rom),
    ],
    long: &[
        (0x06, write_page),
        (0x07, write4k),
        (0x08, read_small),
        (0x09, read4k),
        (0x0A, erase_all),
        (0x0B, erase4k),
        (0x0C, read_sr),
        (0x0D, write_sr),
        (0x0E, raw_spi),
        (0x0F, erase_sized),
    ],
    unknown_short,
    unknown_long,
    cut,
    stream_write4k: None,
    abandoned: payload_lack_reply,
};

/// Payload of 0x70 that resets the chip.
const WATCHDOG_MAGIC: &[u8] = b"SEAN";
const REBOOT_ARG: u8 = 0xA5;

fn unknown_short(code: u8) -> Outcome {
    Outcome::reply(reply::short(code, &[status::UNKNOWN_CMD]))
}

fn unknown_long(op: u8) -> Outcome {
    Outcome::reply(reply::long(op, status::UNKNOWN_CMD, &[]))
}

fn link_check(_: &mut Chip, _: &[u8]) -> Outcome {
    ops::link_check()
}

fn write_reg(chip: &mut Chip, payload: &[u8]) -> Outcome {
    let (Some(addr), Some(value)) = (u32_at(payload, 0), u32_at(payload, 4)) else {
        return unknown_short(0x01);
    };
    chip.regs.write(addr, value);
    Outcome::reply(reply::short(0x01, &payload[..8]))
}

fn read_reg(chip: &mut Chip, payload: &[u8]) -> Outcome {
    let Some(addr) = u32_at(payload, 0) else {
        return unknown_short(0x03);
    };
    let mut body = [0u8; 8];
    body[..4].copy_from_slice(&addr.to_le_bytes());
    body[4..].copy_from_slice(&chip.regs.read(addr).to_le_bytes());
    Outcome::reply(reply::short(0x03, &body))
}

/// `A5` reboots without a reply; any other argument is echoed (docs/protocol.md §2.1).
fn reboot(_: &mut Chip, payload: &[u8]) -> Outcome {
    match payload.first() {
        Some(&REBOOT_ARG) => Outcome::reset(),
        _ => Outcome::reply(reply::short(0x0E, payload)),
    }
}

fn check_crc(chip: &mut Chip, payload: &[u8]) -> Outcome {
    ops::check_crc(chip, payload).unwrap_or_else(|| unknown_short(0x10))
}

fn watchdog_reset(_: &mut Chip, payload: &[u8]) -> Outcome {
    if payload == WATCHDOG_MAGIC {
        Outcome::reset()
    } else {
        unknown_short(0x70)
    }
}

fn stay_rom(_: &mut Chip, payload: &[u8]) -> Outcome {
    Outcome::reply(reply::short(0xAA, payload))
}

fn write_page(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    ops::write_page(chip, op, payload)
}

fn write4k(chip: &mut Chip, op: u8, len: u16, payload: &[u8]) -> Outcome {
    ops::write4k_len_error(op, len, payload).unwrap_or_else(|| ops::write4k(chip, op, payload))
}

fn read_small(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    match (u32_at(payload, 0), payload.get(4)) {
        (Some(addr), Some(&size)) => ops::read(chip, op, addr, usize::from(size)),
        _ => ops::too_short(op),
    }
}

fn read4k(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    match u32_at(payload, 0) {
        Some(addr) => ops::read(chip, op, addr, SECTOR),
        None => ops::too_short(op),
    }
}

/// Chip erase: the flash ignores it while any block is protected.
fn erase_all(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    let Some(&param) = payload.first() else {
        return ops::too_short(op);
    };
    if chip.flash.protected_range().is_empty() {
        let size = chip.flash.size();
        chip.flash.erase(0, size);
    }
    Outcome::reply(reply::long(op, status::OK, &[param])).after(chip.timing.erase_chip)
}

fn erase4k(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    let Some(addr) = u32_at(payload, 0) else {
        return ops::too_short(op);
    };
    chip.flash.erase(addr, 0x1000);
    Outcome::reply(reply::long(op, status::OK, &payload[..4])).after(chip.timing.erase_4k)
}

/// Op 0x0C: an SPI read-status opcode; opcodes the flash does not have read as 0xFF (MISO idles high).
fn read_sr(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    let Some(&opcode) = payload.first() else {
        return ops::too_short(op);
    };
    let value = chip.flash.read_status_opcode(opcode).unwrap_or(0xFF);
    Outcome::reply(reply::long(op, status::OK, &[opcode, value]))
}

/// Op 0x0D: WREN, opcode + 1 or 2 bytes, WRDI; the reply echoes the request payload.
fn write_sr(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    let Some((&opcode, values)) = payload.split_first() else {
        return ops::too_short(op);
    };
    chip.flash.write_status_opcode(opcode, values);
    Outcome::reply(reply::long(op, status::OK, payload)).after(Duration::from_millis(5))
}

fn raw_spi(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    Outcome::reply(reply::long(
        op,
        status::OK,
        &chip.flash.spi_transfer(payload),
    ))
}

fn erase_sized(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    if payload.len() < 5 {
        return ops::too_short(op);
    }
    match ops::erase_size(chip.class, payload[0]) {
        Some(size) => ops::erase(chip, op, payload, size),
        None => Outcome::silent(),
    }
}

fn cut(chip: &mut Chip, op: u8, payload: &[u8]) -> bool {
    match (op, u32_at(payload, 0), u32_at(payload, 1)) {
        (0x07, Some(_), _) if payload.len() == 4 + SECTOR => ops::half_write4k(chip, payload),
        (0x0B, Some(addr), _) => ops::half_erase(chip, addr, 0x1000),
        (0x0F, _, Some(addr)) => match ops::erase_size(chip.class, payload[0]) {
            Some(size) => ops::half_erase(chip, addr, size),
            None => return false,
        },
        _ => return false,
    }
    true
}

/// What the handler sends when it gives up on a partial frame: status 5 (PACK_PAYLOAD_LACK) in the
/// shape of the op's normal reply, missing address bytes read as 0xFF (the cleared receive buffer).
/// Only a frame whose magic arrived gets an answer.
fn payload_lack_reply(partial: &Partial) -> Option<Vec<u8>> {
    let lack = status::PACK_PAYLOAD_LACK;
    match partial {
        Partial::Nothing => None,
        Partial::Magic => Some(reply::short(lack, &[])),
        Partial::Short { len, body } => Some(reply::short(lack, &[&[*len][..], body].concat())),
        Partial::Long { body } => {
            let Some((&op, payload)) = body.split_first() else {
                return Some(reply::long(0xFF, status::UNKNOWN_CMD, &[]));
            };
            let field = |n: usize| -> Vec<u8> {
                (0..n)
                    .map(|i| payload.get(i).copied().unwrap_or(0xFF))
                    .collect()
            };
            let echo = match op {
                0x06 => [field(4), [0].to_vec()].concat(),
                0x07 | 0x08 | 0x09 | 0x0B => field(4),
                0x0A => field(1),
                0x0F => field(5),
                _ => Vec::new(),
            };
            Some(reply::long(op, lack, &echo))
        }
    }
}
