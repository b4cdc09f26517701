//! RBL headers as a dump holds them: in clear (an OTA package) or as three CRC blocks (the trailers
//! of the bootloader and the app); only headers whose own CRC-32 matches are believed (formats.md §2.4).

use super::crc_blocks::logical;
use crate::analyze::bytes::{c_text, le32};
use crate::image::beken::{RBL_HEADER, RBL_TRAILER, rbl_header};
use alloc::string::String;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rbl {
    /// Partition name (`bootloader`, `app`).
    pub name: String,
    pub version: String,
    pub encryption: u8,
    pub compression: u8,
    pub size_raw: u32,
    pub size_package: u32,
}

/// A clear 96-byte header at the start of `bytes`.
pub fn clear(bytes: &[u8]) -> Option<Rbl> {
    let header = rbl_header(bytes)?;
    let plain = &bytes[..RBL_HEADER];
    Some(Rbl {
        name: String::from(c_text(&plain[0x0C..0x1C]).unwrap_or("")),
        version: header.version_text(),
        encryption: header.encryption,
        compression: header.compression,
        size_raw: le32(plain, 0x54)?,
        size_package: le32(plain, 0x58)?,
    })
}

/// A header stored as three CRC blocks at `at` in `image`.
pub fn trailer(image: &[u8], at: usize) -> Option<Rbl> {
    let stored = image.get(at..at.checked_add(RBL_TRAILER)?)?;
    crate::image::beken::rbl_trailer(stored)?;
    clear(&logical(stored))
}
