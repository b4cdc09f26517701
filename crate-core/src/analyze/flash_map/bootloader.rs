//! The bootloader at flash 0: which known bootloader it is (bk7231tools' CRC-32 table over 256
//! bytes, 257 on BootROM chips), its RBL trailer and its partition table (dump-analysis.md §1.3).

use super::crc_blocks::logical;
use super::fal::{self, FalEntry};
use super::rbl::{self, Rbl};
use crate::chips::{BOOTLOADER_END, BOOTLOADERS, Bootloader};
use crate::crc::Crc32;
use crate::image::beken::{CRC_BLOCK, RBL_TRAILER, crc_block_ok};
use alloc::vec::Vec;

/// Where the bootloader's trailer starts in a full image.
pub const TRAILER_AT: usize = BOOTLOADER_END as usize - RBL_TRAILER;

pub struct BootloaderInfo {
    /// A bootloader from the table, and over how many bytes its CRC matched.
    pub known: Option<(&'static Bootloader, usize)>,
    pub rbl: Option<Rbl>,
    pub fal: Vec<FalEntry>,
}

fn crc_of(bytes: &[u8]) -> u32 {
    let mut crc = Crc32::new();
    crc.update(bytes);
    crc.standard()
}

/// `None` unless the image starts with a CRC-valid 34-byte block.
pub fn inspect(image: &[u8]) -> Option<BootloaderInfo> {
    if !crc_block_ok(image.get(..CRC_BLOCK)?) {
        return None;
    }
    let known = [256usize, 257].into_iter().find_map(|len| {
        let crc = crc_of(image.get(..len)?);
        BOOTLOADERS
            .iter()
            .find(|b| b.crc_standard == crc)
            .map(|b| (b, len))
    });
    let region = &image[..image.len().min(BOOTLOADER_END as usize)];
    Some(BootloaderInfo {
        known,
        rbl: rbl::trailer(image, TRAILER_AT).filter(|r| r.name == "bootloader"),
        fal: fal::scan(&logical(region)),
    })
}
