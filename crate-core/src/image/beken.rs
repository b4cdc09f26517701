//! Beken on-flash structures: 34-byte CRC16 blocks, the 96-byte RBL header, the app's encryption key.
//! Pure decoding helpers (docs/formats.md §2.1-§2.5); deciding what a file is happens in `recognise`.

use crate::crc::Crc32;
use alloc::string::String;

/// 32 data bytes followed by a big-endian CRC16.
pub const CRC_BLOCK: usize = 34;
const CRC_DATA: usize = 32;
pub const RBL_HEADER: usize = 96;
/// An RBL header stored as three CRC blocks (the `.rblh` trailer and the bootloader's trailer).
pub const RBL_TRAILER: usize = 3 * CRC_BLOCK;
pub const RBL_MAGIC: &[u8; 4] = b"RBL\0";

const CRC16_POLY: u16 = 0x8005;

/// CRC-16/CMS: polynomial 0x8005, init 0xFFFF, no reflection, no final XOR.
pub fn crc16(data: &[u8]) -> u16 {
    let mut reg: u16 = 0xFFFF;
    for &byte in data {
        reg ^= u16::from(byte) << 8;
        for _ in 0..8 {
            reg = if reg & 0x8000 != 0 {
                (reg << 1) ^ CRC16_POLY
            } else {
                reg << 1
            };
        }
    }
    reg
}

/// A 34-byte block whose CRC16 matches its data.
pub(crate) fn crc_block_ok(block: &[u8]) -> bool {
    block.len() == CRC_BLOCK
        && crc16(&block[..CRC_DATA]) == u16::from_be_bytes([block[CRC_DATA], block[CRC_DATA + 1]])
}

/// A 34-byte block that is fully erased; ltchiptool accepts these without a CRC (raw container padding).
pub(crate) fn is_erased_block(block: &[u8]) -> bool {
    block.iter().all(|&b| b == 0xFF)
}

/// Index of the first whole 34-byte block that is neither CRC-valid nor erased.
pub(crate) fn first_bad_crc_block(bytes: &[u8]) -> Option<usize> {
    bytes
        .chunks_exact(CRC_BLOCK)
        .position(|block| !crc_block_ok(block) && !is_erased_block(block))
}

/// Decoded fields of an RBL header that passed its header CRC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RblHeader {
    /// 0 none, 1 XOR, 2 AES-256.
    pub encryption: u8,
    /// 0 none, 1 gzip, 2 QuickLZ, 3 FastLZ.
    pub compression: u8,
    /// Version text, NUL padded (LibreTiny: `yy.mm.dd-<mcu>`).
    pub version: [u8; 24],
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

impl RblHeader {
    /// The version field as text, without its NUL padding.
    pub fn version_text(&self) -> String {
        let end = self
            .version
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.version.len());
        String::from_utf8_lossy(&self.version[..end]).into_owned()
    }
}

/// Decode 96 plain bytes as an RBL header; `None` unless the magic and the header CRC-32 both match.
pub fn rbl_header(bytes: &[u8]) -> Option<RblHeader> {
    let header = bytes.get(..RBL_HEADER)?;
    if &header[..4] != RBL_MAGIC {
        return None;
    }
    let mut crc = Crc32::new();
    crc.update(&header[..0x5C]);
    if crc.standard() != le32(header, 0x5C) {
        return None;
    }
    Some(RblHeader {
        encryption: header[4],
        compression: header[5],
        version: header[0x1C..0x34].try_into().ok()?,
    })
}

/// Decode an RBL header stored as three CRC blocks (exactly `RBL_TRAILER` bytes).
pub(crate) fn rbl_trailer(bytes: &[u8]) -> Option<RblHeader> {
    if bytes.len() != RBL_TRAILER {
        return None;
    }
    let mut plain = [0u8; RBL_HEADER];
    for (i, block) in bytes.chunks_exact(CRC_BLOCK).enumerate() {
        if !crc_block_ok(block) {
            return None;
        }
        plain[i * CRC_DATA..(i + 1) * CRC_DATA].copy_from_slice(&block[..CRC_DATA]);
    }
    rbl_header(&plain)
}

/// Which flash key the app's first 8 bytes imply (ltchiptool's recognition rule, docs/formats.md §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppKey {
    /// All-zero key: generic BK7231N, BK7231Q, BK7238 and BK7252 boards.
    Plain,
    /// Beken/Tuya default key `510fb093 a3cbeadc 5993a17e c7adeb03`: BK7231T/U and Tuya BK7231N boards.
    TuyaDefault,
    /// Neither: a third-party key or not an ARM app at all.
    Unknown,
}

/// The ARM reset vector every Beken app starts with, in clear.
pub const ARM_VECTOR: [u8; 8] = [0x0E, 0x00, 0x00, 0xEA, 0x14, 0xF0, 0x9F, 0xE5];
/// The same 8 bytes at logical 0x10000 scrambled with the default key.
const TUYA_VECTOR: [u8; 8] = [0x2F, 0x07, 0xB5, 0x94, 0x35, 0xFF, 0x2A, 0x9B];

/// Classify the key from the first bytes of an app stored at flash 0x11000.
pub(crate) fn app_key(app: &[u8]) -> AppKey {
    match app.get(..8) {
        Some(head) if head == ARM_VECTOR => AppKey::Plain,
        Some(head) if head == TUYA_VECTOR => AppKey::TuyaDefault,
        _ => AppKey::Unknown,
    }
}

impl AppKey {
    /// A note for the user naming the boards this key belongs to.
    pub fn note(self) -> &'static str {
        match self {
            AppKey::Plain => {
                "The app is not encrypted (all-zero key): it suits generic BK7231N, BK7231Q, BK7238 and BK7252 boards, not Tuya BK7231T/N modules."
            }
            AppKey::TuyaDefault => {
                "The app is encrypted with the Beken/Tuya default key: it suits BK7231T/U and Tuya BK7231N modules."
            }
            AppKey::Unknown => {
                "The app's encryption key is not one bkflash knows; make sure it matches your chip's key or the device will not boot."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_matches_the_documented_constants() {
        assert_eq!(crc16(b"123456789"), 0xAEE7);
        assert_eq!(crc16(&[0xFF; 32]), 0x000C);
        assert_eq!(crc16(&[0x00; 32]), 0x8029);
    }

    #[test]
    fn crc_block_rejects_a_flipped_bit_and_accepts_erased() {
        let mut block = [0u8; CRC_BLOCK];
        block[32..].copy_from_slice(&0x8029u16.to_be_bytes());
        assert!(crc_block_ok(&block));
        block[3] ^= 1;
        assert!(!crc_block_ok(&block));
        assert_eq!(first_bad_crc_block(&block), Some(0));
        assert_eq!(first_bad_crc_block(&[0xFF; CRC_BLOCK * 2]), None);
    }

    #[test]
    fn key_is_read_from_the_vector() {
        assert_eq!(app_key(&ARM_VECTOR), AppKey::Plain);
        assert_eq!(app_key(&TUYA_VECTOR), AppKey::TuyaDefault);
        assert_eq!(app_key(&[0; 8]), AppKey::Unknown);
        assert_eq!(app_key(&[0x0E]), AppKey::Unknown);
    }
}
