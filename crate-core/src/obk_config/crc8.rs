//! OpenBeken's config checksum, `Tiny_CRC8`: reflected polynomial 0x8C, initial value 0.
//! Beken builds use `-fsigned-char`, so the right shifts sign-extend (dump-analysis.md §1.6).

/// How the C `char` in `Tiny_CRC8` behaves on the platform that wrote the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharSign {
    /// Beken (BK72xx) builds: arithmetic shifts.
    Signed,
    /// RTL, BL, LN, W, XR, RDA and OPL builds.
    Unsigned,
}

fn shift_right(value: u8, sign: CharSign) -> u8 {
    match sign {
        CharSign::Signed => ((value as i8) >> 1) as u8,
        CharSign::Unsigned => value >> 1,
    }
}

/// `Tiny_CRC8` over `data`.
pub fn tiny_crc8(data: &[u8], sign: CharSign) -> u8 {
    let mut crc = 0u8;
    for &byte in data {
        let mut extract = byte;
        for _ in 0..8 {
            let sum = (crc ^ extract) & 1;
            crc = shift_right(crc, sign);
            if sum != 0 {
                crc ^= 0x8C;
            }
            extract = shift_right(extract, sign);
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_check_values_of_gcc_on_tiny_crc8() {
        let data: alloc::vec::Vec<u8> = (0..512).map(|i| i as u8).collect();
        assert_eq!(tiny_crc8(&data, CharSign::Signed), 0xF1);
        assert_eq!(tiny_crc8(&data, CharSign::Unsigned), 0x82);
        assert_eq!(tiny_crc8(&[], CharSign::Signed), 0);
    }
}
