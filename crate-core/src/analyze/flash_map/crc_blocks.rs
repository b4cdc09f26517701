//! Beken's 34-byte CRC framing seen from a dump: strip the CRCs to get the logical bytes, and map
//! logical offsets to flash offsets (formats.md §2.1-§2.2).

use crate::image::beken::CRC_BLOCK;
use alloc::vec::Vec;

const DATA: usize = 32;

/// The 32 data bytes of every whole 34-byte block, without checking the CRCs.
pub fn logical(physical: &[u8]) -> Vec<u8> {
    physical
        .chunks_exact(CRC_BLOCK)
        .flat_map(|block| &block[..DATA])
        .copied()
        .collect()
}

/// Flash offset of a logical offset (two CRC bytes per 32 data bytes).
pub fn to_physical(logical: u32) -> u32 {
    logical + logical / DATA as u32 * 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_start_and_container_end_map_like_the_reference() {
        assert_eq!(to_physical(0x10000), 0x11000);
        assert_eq!(to_physical(0x108700), 0x118F70);
        let mut two = [1u8; 68];
        two[32..34].copy_from_slice(&[9, 9]);
        assert_eq!(logical(&two).len(), 64);
        assert!(logical(&two).iter().all(|&b| b == 1));
    }
}
