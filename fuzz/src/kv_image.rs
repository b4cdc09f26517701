//! Build an encrypted Tuya KV storage from fuzz bytes given in clear, so the fuzzer explores block
//! and index-page parsing instead of AES: a key sector with a fixed inner key, then the fuzzed sectors.

use bkflash_core::analyze::tuya_kv::crypto::{Ecb, MASTER_KEY, data_key};
use bkflash_core::analyze::tuya_kv::sectors::{PAGE, SECTOR};

/// The inner key of every fuzzed storage.
pub const INNER_KEY: [u8; 16] = *b"bkflash-fuzzkey!";
const DATA_MAGIC: u32 = 0x9876_1234;
const KEY_MAGIC: u32 = 0x1357_9753;
/// A key sector and 17 data/swap sectors, like a real storage.
const MAX_SECTORS: usize = 17;

fn sum(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0u32, |s, &b| s.wrapping_add(u32::from(b)))
}

/// Input: byte 0 picks the pages per sector (1..32), the rest are 128-byte pages in clear. Each
/// sector gets its magic and byte sum set, unless its first byte is 0 (to reach those checks too).
pub fn storage_image(data: &[u8]) -> Vec<u8> {
    let (selector, pages) = data.split_first().unwrap_or((&0, &[]));
    let per_sector = 1 + usize::from(*selector) % 32;
    let mut key = vec![0xFF; SECTOR];
    key[..4].copy_from_slice(&KEY_MAGIC.to_le_bytes());
    key[4..8].copy_from_slice(&sum(&INNER_KEY).to_le_bytes());
    key[8..24].copy_from_slice(&INNER_KEY);
    Ecb::new(&MASTER_KEY).encrypt(&mut key);
    let mut image = key;
    let cipher = Ecb::new(&data_key(&INNER_KEY));
    for chunk in pages.chunks(per_sector * PAGE).take(MAX_SECTORS) {
        let mut sector = vec![0xFF; SECTOR];
        sector[..chunk.len()].copy_from_slice(chunk);
        if sector[0] != 0 {
            sector[..4].copy_from_slice(&DATA_MAGIC.to_le_bytes());
            let total = sum(&sector[8..]);
            sector[4..8].copy_from_slice(&total.to_le_bytes());
        }
        cipher.encrypt(&mut sector);
        image.extend_from_slice(&sector);
    }
    image
}
