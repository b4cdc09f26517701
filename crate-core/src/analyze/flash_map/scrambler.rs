//! Beken's address-keyed XOR scrambler of the app code (formats.md §2.3), needed to read the app's
//! identity strings and bk7231tools' fallback copy of `user_param_key`; scrambling and unscrambling are one operation.

/// The Beken/Tuya default flash key `510fb093 a3cbeadc 5993a17e c7adeb03`.
pub const TUYA_DEFAULT_KEY: [u32; 4] = [0x510F_B093, 0xA3CB_EADC, 0x5993_A17E, 0xC7AD_EB03];

fn bit(x: u32, n: u32) -> u32 {
    (x >> n) & 1
}

fn pn15(key: &[u32; 4], addr: u32) -> u32 {
    let sel = (key[3] >> 5) & 3;
    let mut hi = (addr >> 16) as u16;
    let mut lo = addr as u16;
    if sel & 2 != 0 {
        hi = hi.swap_bytes();
    }
    if sel & 1 != 0 {
        lo = lo.swap_bytes();
    }
    let x = u32::from(hi ^ lo ^ (key[1] >> 16) as u16);
    ((((x & 0x7F) << 9) | ((x >> 7) & 0x1FF)) ^ (0x6371 & (((x >> 5) & 0xF) * 0x1111))) & 0xFFFF
}

fn pn16(key: &[u32; 4], addr: u32) -> u32 {
    let sel = (key[3] >> 8) & 3;
    let x = ((addr >> sel) & 0x1FFFF)
        ^ ((((key[1] >> 8) & 0xFF) << 9) | (((key[3] >> 4) & 1) << 8) | (key[1] & 0xFF));
    let b = bit(x, 13) | (bit(x, 9) << 1) | (bit(x, 5) << 2) | (bit(x, 1) << 3);
    ((((x & 0x3FF) << 7) | ((x >> 10) & 0x7F)) ^ (0x13659 & ((bit(x, 4) << 16) | (b * 0x1111))))
        & 0xFFFF
}

fn pn32(key: &[u32; 4], addr: u32) -> u32 {
    let sel = (key[3] >> 11) & 3;
    let x = addr.rotate_right(8 * sel) ^ key[0];
    (((x & 0x7FFF) << 17) | ((x >> 15) & 0x1FFFF))
        ^ (0xE519_A4F1 & (((x >> 2) & 0xF).wrapping_mul(0x1111_1111)))
}

/// The keystream word XORed onto the word at logical address `addr`.
pub fn keystream(key: &[u32; 4], addr: u32) -> u32 {
    let c3 = key[3];
    if matches!(c3 >> 24, 0x00 | 0xFF) || c3 & 0xF == 0xF {
        return 0;
    }
    let high = if c3 & 1 == 0 {
        pn15(key, addr) << 16
    } else {
        0
    };
    let low = if c3 & 2 == 0 { pn16(key, addr) } else { 0 };
    let wide = if c3 & 4 == 0 { pn32(key, addr) } else { 0 };
    let rand = if c3 & 8 == 0 { key[2] } else { 0 };
    wide ^ (high | low) ^ rand
}

/// Unscramble (or scramble) `data` whose first byte sits at logical address `base` (a multiple of 4).
pub fn apply(key: &[u32; 4], base: u32, data: &mut [u8]) {
    for (i, word) in data.chunks_exact_mut(4).enumerate() {
        let k = keystream(key, base.wrapping_add(4 * i as u32)).to_le_bytes();
        for (byte, k) in word.iter_mut().zip(k) {
            *byte ^= k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_key_matches_the_documented_keystream() {
        let table = [
            (0x0000_0000, 0x7CB5_0721),
            (0x0000_0004, 0x7CB5_0F21),
            (0x0000_0020, 0x7CB5_4721),
            (0x0001_0000, 0x7EB5_0721),
            (0x0001_0004, 0x7EB5_0F21),
            (0x0001_0020, 0x7EB5_4721),
            (0x1234_5678, 0x5108_F354),
            (0x001F_FFFC, 0xA653_5BD0),
        ];
        for (addr, k) in table {
            assert_eq!(keystream(&TUYA_DEFAULT_KEY, addr), k, "K(0x{addr:08X})");
        }
    }

    #[test]
    fn the_arm_vector_scrambles_to_what_ltchiptool_recognises() {
        let mut vector = [0x0E, 0x00, 0x00, 0xEA, 0x14, 0xF0, 0x9F, 0xE5];
        apply(&TUYA_DEFAULT_KEY, 0x10000, &mut vector);
        assert_eq!(vector, [0x2F, 0x07, 0xB5, 0x94, 0x35, 0xFF, 0x2A, 0x9B]);
        apply(&TUYA_DEFAULT_KEY, 0x10000, &mut vector);
        assert_eq!(vector[..4], [0x0E, 0x00, 0x00, 0xEA]);
        assert_eq!(keystream(&[0; 4], 0x10000), 0, "the all-zero key is plain");
    }
}
