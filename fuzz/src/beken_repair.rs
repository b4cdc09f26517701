//! Recomputes Beken checksums in mutated bytes: the CRC16 of every 34-byte block and the CRC-32 of
//! an RBL header stored as a trailer, so the fuzzer reaches app-image and full-image recognition.

use bkflash_core::crc::Crc32;
use bkflash_core::image::beken::{CRC_BLOCK, RBL_HEADER, RBL_MAGIC, RBL_TRAILER, crc16};

const CRC_DATA: usize = CRC_BLOCK - 2;
/// Offset of the header CRC-32 inside a plain RBL header (docs/formats.md §2.4).
const HEADER_CRC_AT: usize = 0x5C;

fn seal_block(block: &mut [u8]) {
    let crc = crc16(&block[..CRC_DATA]);
    block[CRC_DATA..].copy_from_slice(&crc.to_be_bytes());
}

/// Give every whole 34-byte block a matching CRC16, except fully erased ones (they stay as padding).
pub fn repair_crc_blocks(bytes: &mut [u8]) {
    for block in bytes.chunks_exact_mut(CRC_BLOCK) {
        if !block.iter().all(|&b| b == 0xFF) {
            seal_block(block);
        }
    }
}

/// When the three CRC blocks at `at` carry data starting `RB`, complete the RBL magic, fix the header
/// CRC-32 and reseal the blocks; the `RB` gate keeps files that are not trailers unchanged.
pub fn repair_rbl_trailer(bytes: &mut [u8], at: usize) {
    let Some(trailer) = bytes.get_mut(at..at + RBL_TRAILER) else {
        return;
    };
    let mut plain = [0u8; RBL_HEADER];
    for (i, block) in trailer.chunks_exact(CRC_BLOCK).enumerate() {
        plain[i * CRC_DATA..(i + 1) * CRC_DATA].copy_from_slice(&block[..CRC_DATA]);
    }
    if !plain.starts_with(b"RB") {
        return;
    }
    plain[..4].copy_from_slice(RBL_MAGIC);
    let mut crc = Crc32::new();
    crc.update(&plain[..HEADER_CRC_AT]);
    plain[HEADER_CRC_AT..HEADER_CRC_AT + 4].copy_from_slice(&crc.standard().to_le_bytes());
    for (i, block) in trailer.chunks_exact_mut(CRC_BLOCK).enumerate() {
        block[..CRC_DATA].copy_from_slice(&plain[i * CRC_DATA..(i + 1) * CRC_DATA]);
        seal_block(block);
    }
}
