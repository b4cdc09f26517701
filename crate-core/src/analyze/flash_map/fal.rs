//! The bootloader's plain-text partition table: records marked `01PE` in two widths ("fal64" and
//! "fal48", as OpenBeken scans them), found in the bootloader's logical bytes (dump-analysis.md §1.3).

use super::crc_blocks::to_physical;
use crate::analyze::bytes::{c_text, le32};
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

const MAGIC: &[u8; 4] = b"01PE";
/// (name and flash-device field width, record size).
const WIDTHS: [(usize, usize); 2] = [(24, 64), (16, 48)];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FalEntry {
    pub name: String,
    pub flash: String,
    /// As recorded: logical for the `*_crc` flash devices.
    pub offset: u32,
    pub length: u32,
    /// Flash offsets after undoing the CRC framing where the device name says `_crc`.
    pub flash_offset: u32,
    pub flash_length: u32,
}

fn record(bytes: &[u8], at: usize, width: usize) -> Option<FalEntry> {
    let name = c_text(bytes.get(at + 4..at + 4 + width)?)?;
    let flash = c_text(bytes.get(at + 4 + width..at + 4 + 2 * width)?)?;
    let offset = le32(bytes, at + 4 + 2 * width)?;
    let length = le32(bytes, at + 8 + 2 * width)?;
    let crc = flash.ends_with("_crc");
    let (flash_offset, flash_length) = if crc {
        let start = to_physical(offset);
        (start, to_physical(offset.checked_add(length)?) - start)
    } else {
        (offset, length)
    };
    Some(FalEntry {
        name: String::from(name),
        flash: String::from(flash),
        offset,
        length,
        flash_offset,
        flash_length,
    })
}

/// Every well-formed record in the bootloader's logical bytes, in order.
pub fn scan(logical: &[u8]) -> Vec<FalEntry> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + MAGIC.len() <= logical.len() {
        if &logical[at..at + 4] == MAGIC
            && let Some((entry, size)) = WIDTHS
                .iter()
                .find_map(|&(w, size)| record(logical, at, w).map(|e| (e, size)))
        {
            entries.push(entry);
            at += size;
            continue;
        }
        at += 1;
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fal64(name: &str, flash: &str, offset: u32, length: u32) -> Vec<u8> {
        let mut r = Vec::from(*MAGIC);
        let mut field = |text: &str| {
            let mut f = [0u8; 24];
            f[..text.len()].copy_from_slice(text.as_bytes());
            r.extend_from_slice(&f);
        };
        field(name);
        field(flash);
        r.extend_from_slice(&offset.to_le_bytes());
        r.extend_from_slice(&length.to_le_bytes());
        r.extend_from_slice(&[0; 4]);
        r
    }

    #[test]
    fn reads_the_stock_table_and_undoes_the_crc_framing() {
        let mut bytes = alloc::vec![0xAA; 16];
        bytes.extend(fal64("app", "beken_onchip_crc", 0x10000, 0x108700));
        bytes.extend(fal64("download", "beken_onchip", 0x12A000, 0xA6000));
        let entries = scan(&bytes);
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0].flash_offset, entries[0].flash_length),
            (0x11000, 0x118F70)
        );
        assert_eq!(
            (entries[1].flash_offset, entries[1].flash_length),
            (0x12A000, 0xA6000)
        );
        assert!(scan(b"01PE\x01\x02").is_empty());
    }
}
