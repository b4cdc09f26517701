//! AES-128-ECB with the Tuya KV storage's fixed public keys: the master key opens the key sector,
//! whose inner key gives the data key by a byte-wise sum (dump-analysis.md §2.2).

use aes::Aes128;
use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

/// ASCII `qwertyuiopasdfgh`.
pub const MASTER_KEY: [u8; 16] = *b"qwertyuiopasdfgh";
/// `8710_2M`, of which only the first four bytes are used (the index is `i & 3`).
const KEY_PART_1: [u8; 4] = *b"8710";
const KEY_PART_2: [u8; 16] = *b"HHRRQbyemofrtytf";

/// One AES-128 key, applied block by block.
pub struct Ecb(Aes128);

impl Ecb {
    pub fn new(key: &[u8; 16]) -> Self {
        Ecb(Aes128::new(GenericArray::from_slice(key)))
    }

    /// Decrypt in place; a trailing partial block is left as it is.
    pub fn decrypt(&self, data: &mut [u8]) {
        for block in data.chunks_exact_mut(16) {
            self.0.decrypt_block(GenericArray::from_mut_slice(block));
        }
    }

    /// Encrypt in place (to build test storage); a trailing partial block is left as it is.
    pub fn encrypt(&self, data: &mut [u8]) {
        for block in data.chunks_exact_mut(16) {
            self.0.encrypt_block(GenericArray::from_mut_slice(block));
        }
    }
}

/// `data_key[i] = "8710"[i % 4] + "HHRRQbyemofrtytf"[i] + inner[i]` (mod 256).
pub fn data_key(inner: &[u8; 16]) -> [u8; 16] {
    core::array::from_fn(|i| {
        KEY_PART_1[i & 3]
            .wrapping_add(KEY_PART_2[i])
            .wrapping_add(inner[i])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> alloc::string::String {
        bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    #[test]
    fn keys_match_the_check_values() {
        assert_eq!(hex(&data_key(&[0; 16])), "807f83828999aa95a5a697a2acb0a596");
        let ramp: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(hex(&data_key(&ramp)), "808085858d9eb09cadafa1adb8bdb3a5");
        let mut ff = [0xFF; 16];
        Ecb::new(&MASTER_KEY).encrypt(&mut ff);
        assert_eq!(hex(&ff), "46dced0e672f3b70ae1276a3f8712e03");
    }

    #[test]
    fn key_sector_head_encrypts_to_the_check_value() {
        let mut head = [0u8; 16];
        head[..8].copy_from_slice(&[0x53, 0x97, 0x57, 0x13, 0x78, 0, 0, 0]);
        head[8..].copy_from_slice(&[0, 1, 2, 3, 4, 5, 6, 7]);
        let cipher = Ecb::new(&MASTER_KEY);
        cipher.encrypt(&mut head);
        assert_eq!(hex(&head), "d5410d32e84cb8a06c804a5fbc9bfeb7");
        cipher.decrypt(&mut head);
        assert_eq!(head[0], 0x53);
    }
}
