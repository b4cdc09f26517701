//! Dumps that started reading at 0x11000 and wrapped around: the bootloader trailer sits 0x66 bytes
//! before the end and the app trailer at 0x118F0A; rotating back puts the last 0x11000 bytes first (dump-analysis.md §1.5).

use super::bootloader::TRAILER_AT;
use super::rbl;
use crate::chips::BOOTLOADER_END;
use alloc::vec::Vec;

const SHIFT: usize = BOOTLOADER_END as usize;
const APP_TRAILER: usize = 0x12_9F0A;

/// The image in flash order, or `None` when `bytes` is not a rotated dump.
pub fn unrotate(bytes: &[u8]) -> Option<Vec<u8>> {
    let len = bytes.len();
    if len < 2 * SHIFT || rbl::trailer(bytes, TRAILER_AT).is_some() {
        return None;
    }
    let bootloader_at_end =
        rbl::trailer(bytes, len - SHIFT + TRAILER_AT).is_some_and(|r| r.name == "bootloader");
    let app_shifted = rbl::trailer(bytes, APP_TRAILER - SHIFT).is_some_and(|r| r.name == "app");
    if !(bootloader_at_end || app_shifted) {
        return None;
    }
    let mut flash = Vec::with_capacity(len);
    flash.extend_from_slice(&bytes[len - SHIFT..]);
    flash.extend_from_slice(&bytes[..len - SHIFT]);
    Some(flash)
}
