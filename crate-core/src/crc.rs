//! CRC-32 as the Beken CheckCRC command computes it (docs/protocol.md §7.1).
//! Reflected polynomial 0xEDB88320, init 0xFFFFFFFF, no final XOR: the chip's "raw" value.

const POLY: u32 = 0xEDB8_8320;

/// The byte-wise lookup table; public so CRC forging (the simulator's bootloader) can run it backwards.
pub const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// Running CRC register; `update` can be called piecewise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crc32 {
    reg: u32,
}

impl Default for Crc32 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc32 {
    pub const fn new() -> Self {
        Self { reg: 0xFFFF_FFFF }
    }

    /// Continue from a known register value (a CRC computed in parts, or forged).
    pub const fn with_register(reg: u32) -> Self {
        Self { reg }
    }

    pub fn update(&mut self, data: &[u8]) {
        let mut reg = self.reg;
        for &b in data {
            reg = TABLE[((reg ^ b as u32) & 0xFF) as usize] ^ (reg >> 8);
        }
        self.reg = reg;
    }

    /// The value the chip sends back (no final XOR).
    pub fn raw(&self) -> u32 {
        self.reg
    }

    /// The standard zlib/IEEE CRC-32 of the same bytes.
    pub fn standard(&self) -> u32 {
        self.reg ^ 0xFFFF_FFFF
    }
}

/// Raw (chip-form) CRC of `data`.
pub fn chip_crc(data: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.update(data);
    c.raw()
}

/// Raw CRC of `len` bytes of 0xFF (an erased range) without allocating.
pub fn chip_crc_of_blank(len: usize) -> u32 {
    let mut c = Crc32::new();
    let ff = [0xFFu8; 64];
    let mut left = len;
    while left > 0 {
        let n = left.min(ff.len());
        c.update(&ff[..n]);
        left -= n;
    }
    c.raw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_check_value() {
        let mut c = Crc32::new();
        c.update(b"123456789");
        assert_eq!(c.standard(), 0xCBF4_3926);
    }

    #[test]
    fn blank_sector_matches_protocol_doc() {
        assert_eq!(chip_crc_of_blank(4096), 0x0EAB_98F5);
        assert_eq!(chip_crc(&[0xFF; 4096]), 0x0EAB_98F5);
    }
}
