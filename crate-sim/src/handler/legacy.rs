//! The legacy flash-bootloader handler (BK7231T-like, bk7231tools "BASIC_TUYA"): status 6 below 0x2000,
//! 256-byte CRC blocks, protect after every CRC, unprotect on the first erase after a LinkCheck (docs/protocol.md §6.4).

use super::chip::{Chip, CommandSet, Outcome, u32_at};
use super::ops::{self, SECTOR, WRITE4K_LEN};
use crate::flash::PAGE;
use crate::reply::{self, status};

/// Unsupported short commands and ops get no reply at all.
pub static COMMANDS: CommandSet = CommandSet {
    short: &[
        (0x00, link_check),
        (0x0E, reboot),
        (0x0F, ops::set_baud),
        (0x10, check_crc),
        (0x11, boot_version),
        (0xFE, bkreg_reset),
    ],
    long: &[
        (0x06, write_page),
        (0x07, write4k),
        (0x09, read4k),
        (0x0F, erase),
    ],
    unknown_short: |_| Outcome::silent(),
    unknown_long: |_| Outcome::silent(),
    cut,
    stream_write4k: Some(stream_write4k),
    abandoned: |_| None,
};

const REBOOT_ARG: u8 = 0xA5;
const BKREG_MAGIC: [u8; 4] = [0x95, 0x27, 0x95, 0x27];
/// BP0-BP4 (SR1) and CMP (SR2): the bits the bootloader sets and clears.
const PROTECT_BITS: u32 = 0x407C;
/// BP0-BP2 set: the whole flash protected.
const PROTECT_ALL: u32 = 0x1C;

fn link_check(chip: &mut Chip, _: &[u8]) -> Outcome {
    chip.erase_unprotect_armed = true;
    ops::link_check()
}

fn reboot(_: &mut Chip, payload: &[u8]) -> Outcome {
    if payload.first() == Some(&REBOOT_ARG) {
        Outcome::reset()
    } else {
        Outcome::silent()
    }
}

fn bkreg_reset(_: &mut Chip, payload: &[u8]) -> Outcome {
    if payload == BKREG_MAGIC {
        Outcome::reset()
    } else {
        Outcome::silent()
    }
}

/// 256-byte blocks, then the whole flash is protected again.
fn check_crc(chip: &mut Chip, payload: &[u8]) -> Outcome {
    let outcome = ops::check_crc(chip, payload).unwrap_or_else(Outcome::silent);
    let status = chip.flash.status();
    chip.flash
        .set_status((status & !PROTECT_BITS) | PROTECT_ALL);
    outcome
}

fn boot_version(chip: &mut Chip, _: &[u8]) -> Outcome {
    match &chip.boot_version {
        Some(version) => Outcome::reply(reply::short(0x11, version)),
        None => Outcome::silent(),
    }
}

/// `UART_DL_LIMIT_ADDR` of Beken's handler source: it refuses only raw addresses below 0x2000, so
/// 0x2000-0x10FFF of the bootloader and every mirrored or wrapped address are written as asked
/// (field-audit S1; docs/protocol.md §2.2, §6.3). Only the host keeps the rest of the bootloader safe.
const DOWNLOAD_LIMIT: u32 = 0x2000;

/// The bootloader compares the raw address with its limit; the flash then ignores the bits above its size.
fn refused(addr: u32) -> bool {
    addr < DOWNLOAD_LIMIT
}

fn write_page(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    match u32_at(payload, 0) {
        Some(addr) if refused(addr) => Outcome::reply(reply::long(
            op,
            status::PARAM_ERROR,
            &[&payload[..4], &[0][..]].concat(),
        )),
        Some(_) => ops::write_page(chip, op, payload),
        None => Outcome::silent(),
    }
}

/// The pages were programmed while the frame arrived (`stream_write4k`); only the reply is left.
fn write4k(chip: &mut Chip, op: u8, len: u16, payload: &[u8]) -> Outcome {
    if let Some(error) = ops::write4k_len_error(op, len, payload) {
        return error;
    }
    let addr = u32_at(payload, 0).unwrap_or(0);
    let status = if refused(addr) {
        status::PARAM_ERROR
    } else {
        status::OK
    };
    Outcome::reply(reply::long(op, status, &payload[..4])).after(chip.timing.page_program)
}

/// Called after every byte of an open long frame: programs each 256-byte page of a 4K write as soon
/// as it is complete, which is how a truncated frame ends up writing swallowed bytes (docs/protocol.md §1.5).
/// Returns how many pages of this frame are now programmed.
fn stream_write4k(chip: &mut Chip, len: u16, collected: &[u8]) -> Option<usize> {
    if len != WRITE4K_LEN || collected.first() != Some(&0x07) || collected.len() < 5 {
        return None;
    }
    let data_len = collected.len() - 5;
    if data_len == 0 || !data_len.is_multiple_of(PAGE as usize) {
        return None;
    }
    let addr = u32_at(collected, 1)?;
    if refused(addr) {
        return None;
    }
    let page = data_len / PAGE as usize - 1;
    let offset = (page * PAGE as usize) as u32;
    chip.flash.program_page(
        addr.wrapping_add(offset),
        &collected[collected.len() - PAGE as usize..],
    );
    Some(page + 1)
}

fn read4k(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    match u32_at(payload, 0) {
        Some(addr) if refused(addr) => Outcome::reply(reply::long(
            op,
            status::PARAM_ERROR,
            &[&payload[..4], &[0][..]].concat(),
        )),
        Some(addr) => ops::read(chip, op, addr, SECTOR),
        None => Outcome::silent(),
    }
}

/// The first erase after a LinkCheck unprotects the flash, then the address check, then the erase.
fn erase(chip: &mut Chip, op: u8, _: u16, payload: &[u8]) -> Outcome {
    if payload.len() < 5 {
        return Outcome::silent();
    }
    unprotect_if_armed(chip);
    let addr = u32_at(payload, 1).unwrap_or(0);
    match ops::erase_size(chip.class, payload[0]) {
        _ if refused(addr) => Outcome::reply(reply::long(op, status::PARAM_ERROR, &payload[..5])),
        Some(size) => ops::erase(chip, op, payload, size),
        None => Outcome::silent(),
    }
}

fn unprotect_if_armed(chip: &mut Chip) {
    if chip.erase_unprotect_armed {
        chip.erase_unprotect_armed = false;
        let status = chip.flash.status();
        chip.flash.set_status(status & !PROTECT_BITS);
    }
}

/// Only erases are cut here: 4K writes are cut while they stream in (see `stream_write4k`).
fn cut(chip: &mut Chip, op: u8, payload: &[u8]) -> bool {
    let (0x0F, Some(addr)) = (op, u32_at(payload, 1)) else {
        return false;
    };
    let Some(size) = ops::erase_size(chip.class, payload[0]) else {
        return false;
    };
    unprotect_if_armed(chip);
    if !refused(addr) {
        ops::half_erase(chip, addr, size);
    }
    true
}
