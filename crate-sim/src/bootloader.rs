//! Synthetic bootloader bytes for 0..0x11000 whose CheckCRC fingerprint matches a known bootloader.
//! CRC-32 is linear, so four chosen bytes force any value: the patch is computed, never searched.

use alloc::vec::Vec;

use bkflash_core::crc::{Crc32, TABLE, chip_crc};

use crate::config::{BootloaderKind, ChipClass};

/// Size of the bootloader region.
pub(crate) const BOOTLOADER_LEN: usize = 0x11000;
/// Raw CheckCRC(0, 0x100) of BK7231N bootloader 1.0.1 (inclusive end: 257 bytes), docs/protocol.md §5.1.
pub(crate) const ROM_FINGERPRINT: u32 = 0x1EBE_6E45;
/// Raw CRC of the first 256 bytes of Tuya BK7231S 1.0.5, docs/protocol.md §5.1.
pub(crate) const LEGACY_FINGERPRINT: u32 = 0x45AB_3E47;
/// Where the four forcing bytes go: inside the fingerprinted range, away from its start.
const PATCH_AT: usize = 0xF8;

/// The bootloader region for a chip class: deterministic pseudo-random bytes with the fingerprint
/// forged for `Known` and `Fingerprint`, or erased for `Blank`.
pub fn synthetic(class: ChipClass, kind: BootloaderKind) -> Vec<u8> {
    if kind == BootloaderKind::Blank {
        return alloc::vec![0xFF; BOOTLOADER_LEN];
    }
    let mut seed: u32 = match class {
        ChipClass::Rom => 0x7231_C0DE,
        ChipClass::Legacy => 0x7231_50DE,
    };
    let mut image: Vec<u8> = (0..BOOTLOADER_LEN)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed >> 24) as u8
        })
        .collect();
    let len = match class {
        ChipClass::Rom => 0x101,
        ChipClass::Legacy => 0x100,
    };
    let target = match (kind, class) {
        (BootloaderKind::Known, ChipClass::Rom) => Some(ROM_FINGERPRINT),
        (BootloaderKind::Known, ChipClass::Legacy) => Some(LEGACY_FINGERPRINT),
        (BootloaderKind::Fingerprint(raw), _) => Some(raw),
        _ => None,
    };
    if let Some(target) = target {
        force_crc(&mut image[..len], PATCH_AT, target);
    }
    image
}

/// Overwrite `data[at..at + 4]` so that the raw CRC of `data` becomes `target`.
pub(crate) fn force_crc(data: &mut [u8], at: usize, target: u32) {
    let before = run_forward(0xFFFF_FFFF, &data[..at]);
    let after = run_backward(target, &data[at + 4..]);
    let word = run_backward(after, &[0; 4]) ^ before;
    data[at..at + 4].copy_from_slice(&word.to_le_bytes());
    debug_assert_eq!(chip_crc(data), target);
}

fn run_forward(reg: u32, data: &[u8]) -> u32 {
    let mut crc = Crc32::with_register(reg);
    crc.update(data);
    crc.raw()
}

/// The register before `data` given the register after it. The top byte of a table entry is unique,
/// so it names the table index each step used.
fn run_backward(mut reg: u32, data: &[u8]) -> u32 {
    for &b in data.iter().rev() {
        let index = TABLE
            .iter()
            .position(|entry| entry >> 24 == reg >> 24)
            .expect("CRC table top bytes are unique");
        reg = ((reg ^ TABLE[index]) << 8) | (index as u32 ^ u32::from(b));
    }
    reg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_match_known_bootloaders() {
        let rom = synthetic(ChipClass::Rom, BootloaderKind::Known);
        assert_eq!(chip_crc(&rom[..0x101]), ROM_FINGERPRINT);
        let legacy = synthetic(ChipClass::Legacy, BootloaderKind::Known);
        assert_eq!(chip_crc(&legacy[..0x100]), LEGACY_FINGERPRINT);
        let unknown = synthetic(ChipClass::Rom, BootloaderKind::Unknown);
        assert_ne!(chip_crc(&unknown[..0x101]), ROM_FINGERPRINT);
        let bk7252 = synthetic(ChipClass::Legacy, BootloaderKind::Fingerprint(0xC606_4AF3));
        assert_eq!(chip_crc(&bk7252[..0x100]), 0xC606_4AF3);
        assert!(
            synthetic(ChipClass::Rom, BootloaderKind::Blank)
                .iter()
                .all(|&b| b == 0xFF)
        );
    }

    #[test]
    fn forcing_works_with_bytes_after_the_patch() {
        let mut data = [0x5Au8; 40];
        force_crc(&mut data, 3, 0x1234_5678);
        assert_eq!(chip_crc(&data), 0x1234_5678);
    }
}
