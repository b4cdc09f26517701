//! OpenBeken's config checksum, `Tiny_CRC8`: reflected polynomial 0x8C, initial value 0.
//! Beken builds use `-fsigned-char`, so the right shifts sign-extend (docs/dump-analysis.md §1.6).

/// `Tiny_CRC8` over `data`, with the sign-extending shifts of a Beken build.
pub(crate) fn tiny_crc8(data: &[u8]) -> u8 {
    let shift_right = |value: u8| ((value as i8) >> 1) as u8;
    let mut crc = 0u8;
    for &byte in data {
        let mut extract = byte;
        for _ in 0..8 {
            let sum = (crc ^ extract) & 1;
            crc = shift_right(crc);
            if sum != 0 {
                crc ^= 0x8C;
            }
            extract = shift_right(extract);
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
        assert_eq!(tiny_crc8(&data), 0xF1);
        assert_eq!(tiny_crc8(&[]), 0);
    }
}
