//! Rewrites the UF2 block-level fields (magics, flags, numbering, family) so mutated bytes reach the
//! tag, partition and region logic instead of dying at the first magic check (docs/formats.md §1.1).

use bkflash_core::image::families::UF2_FAMILIES;
use bkflash_core::image::uf2::BLOCK_SIZE;

const MAGIC_START0: u32 = 0x0A32_4655;
const MAGIC_START1: u32 = 0x9E5D_5157;
const MAGIC_END: u32 = 0x0AB1_6F30;
const FLAG_FILE_CONTAINER: u32 = 0x0000_1000;
const FLAG_FAMILY_ID_PRESENT: u32 = 0x0000_2000;

fn get(block: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
}

fn put(block: &mut [u8], at: usize, value: u32) {
    block[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// The Beken family the repaired file claims: block 0's own when it is Beken, else one picked by its value.
fn beken_family(id: u32) -> u32 {
    let beken: Vec<u32> = UF2_FAMILIES
        .iter()
        .filter(|row| row.chip.is_some())
        .map(|row| row.id)
        .collect();
    if beken.contains(&id) {
        id
    } else {
        beken[id as usize % beken.len()]
    }
}

/// The whole 512-byte blocks of `bytes` with every block-level rule satisfied; payload size and tags
/// are left as the fuzzer wrote them.
pub fn repair_uf2(bytes: &[u8]) -> Vec<u8> {
    let whole = bytes.len() / BLOCK_SIZE * BLOCK_SIZE;
    let mut out = bytes[..whole].to_vec();
    let count = (whole / BLOCK_SIZE) as u32;
    let family = out.get(28..32).map_or(0, |_| beken_family(get(&out, 28)));
    for (index, block) in out.chunks_exact_mut(BLOCK_SIZE).enumerate() {
        put(block, 0, MAGIC_START0);
        put(block, 4, MAGIC_START1);
        put(block, BLOCK_SIZE - 4, MAGIC_END);
        let flags = (get(block, 8) | FLAG_FAMILY_ID_PRESENT) & !FLAG_FILE_CONTAINER;
        put(block, 8, flags);
        put(block, 20, index as u32);
        put(block, 24, count);
        put(block, 28, family);
    }
    out
}
