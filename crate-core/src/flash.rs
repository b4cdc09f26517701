//! The SPI flash table of docs/protocol.md §5.5 as static data: JEDEC id to part, size and status-register layout.
//! Generated from Easy Flasher's BKFlashList (cross-checked with bk7231tools and hid_download_py); one test walks every row.

const KIB: u32 = 1024;

/// One flash part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlashChip {
    /// Manufacturer, memory type, capacity: the bytes of JEDEC id `9F` in wire order.
    pub jedec: [u8; 3],
    pub part: &'static str,
    pub vendor: &'static str,
    pub size: u32,
    /// Status-register bytes the unprotect routine handles (0: none).
    pub sr_bytes: u8,
    /// SPI opcodes that read SR1, SR2, ... (op 0x0C).
    pub sr_read: &'static [u8],
    /// SPI opcodes that write them (op 0x0D). With `SR2_WRITE` second, SR1 and SR2 are written
    /// one byte each; otherwise the first opcode writes all bytes at once.
    pub sr_write: &'static [u8],
    /// SR bits that protect the array (BP field and CMP), over the 16-bit value SR1 | SR2 << 8.
    pub protect_mask: u16,
}

#[allow(clippy::too_many_arguments)]
const fn flash(
    jedec: [u8; 3],
    part: &'static str,
    vendor: &'static str,
    size: u32,
    sr_bytes: u8,
    sr_read: &'static [u8],
    sr_write: &'static [u8],
    protect_mask: u16,
) -> FlashChip {
    FlashChip {
        jedec,
        part,
        vendor,
        size,
        sr_bytes,
        sr_read,
        sr_write,
        protect_mask,
    }
}

#[rustfmt::skip]
pub static FLASH_CHIPS: &[FlashChip] = &[
    flash([0xC4, 0x40, 0x10], "GT25Q05D", "GT", 64 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC4, 0x40, 0x11], "GT25Q10D", "GT", 128 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC4, 0x40, 0x12], "GT25Q20D", "GT", 256 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x85, 0x44, 0x12], "PY25D22U", "PY", 256 * KIB, 1, &[0x05], &[0x01], 0x007C),
    flash([0x85, 0x45, 0x12], "PY25D24U", "PY", 256 * KIB, 1, &[0x05], &[0x01], 0x007C),
    flash([0xB3, 0x60, 0x12], "UC25HQ20", "UC", 256 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xEB, 0x60, 0x12], "TH25D20HA", "TH", 256 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xE0, 0x40, 0x13], "PN25Q40A", "BY", 512 * KIB, 1, &[0x05, 0x35], &[0x01], 0x401C),
    flash([0x51, 0x40, 0x13], "GD25D40", "GD", 512 * KIB, 1, &[0x05], &[0x01], 0x001C),
    flash([0xC8, 0x64, 0x13], "GD25Q41BT", "GD", 512 * KIB, 1, &[0x05, 0x35], &[0x01], 0x401C),
    flash([0xC8, 0x40, 0x13], "GD25Q41B", "GD", 512 * KIB, 1, &[0x05, 0x35], &[0x01], 0x401C),
    flash([0x85, 0x60, 0x13], "P25Q40", "Puya", 512 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xCD, 0x60, 0x13], "TH25D40HB", "TH", 512 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x1C, 0x31, 0x13], "PN25F04B", "xtx", 512 * KIB, 1, &[0x05], &[0x01], 0x003C),
    flash([0xC2, 0x23, 0x13], "MX25V4035F", "MXIC", 512 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC4, 0x40, 0x13], "GT25Q40D", "GT", 512 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xB3, 0x60, 0x13], "UC25HQ40", "UC", 512 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC8, 0x65, 0x13], "GD25Q41B", "GD", 512 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xCD, 0x71, 0x13], "TH25D40UC", "TH", 512 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x01, 0x4B, 0x42], "BK in-package", "BK", 512 * KIB, 0, &[], &[], 0x0000),
    flash([0xE0, 0x40, 0x14], "PN25Q80A", "BY", 1024 * KIB, 1, &[0x05, 0x35], &[0x01], 0x401C),
    flash([0xC8, 0x64, 0x14], "GD25WD80E", "GD", 1024 * KIB, 1, &[0x05], &[0x01], 0x407C),
    flash([0x51, 0x40, 0x14], "GD25D80", "GD", 1024 * KIB, 1, &[0x05], &[0x01], 0x001C),
    flash([0xC8, 0x40, 0x14], "GD25D80", "GD", 1024 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x60, 0x14], "P25Q80", "Puya", 1024 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xCD, 0x60, 0x14], "TH25Q80HB", "TH", 1024 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xCD, 0x71, 0x14], "TH25Q80UC", "TH", 1024 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC2, 0x23, 0x14], "MX25V8035F", "WH", 1024 * KIB, 2, &[0x05, 0x15], &[0x01], 0x103C),
    flash([0x5E, 0x40, 0x14], "PN25F08B", "xtx", 1024 * KIB, 1, &[0x05], &[0x01], 0x003C),
    flash([0xC2, 0x20, 0x14], "MX25V80066", "MXIC", 1024 * KIB, 1, &[0x05], &[0x01], 0x007C),
    flash([0x0B, 0x40, 0x14], "XT25F08F", "XTX", 1024 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x65, 0x14], "GD25WQ80E", "GD", 1024 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x1C, 0x70, 0x15], "EN25QH16B", "ESMT", 2048 * KIB, 1, &[0x05], &[0x01], 0x003C),
    flash([0xC8, 0x40, 0x15], "GD25Q16B", "GD", 2048 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC8, 0x65, 0x15], "GD25WQ16E", "GD", 2048 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC4, 0x60, 0x15], "GT25Q16B", "GT", 2048 * KIB, 3, &[0x05, 0x35, 0x15], &[0x01, 0x31, 0x11], 0x407C),
    flash([0x85, 0x42, 0x15], "P25Q16HB", "Puya", 2048 * KIB, 1, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x85, 0x20, 0x15], "P25Q16HBK", "Puya", 2048 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x85, 0x60, 0x15], "P25Q16SU", "Puya", 2048 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xEB, 0x60, 0x15], "TH25Q16HB", "TH", 2048 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC2, 0x23, 0x15], "MX25V1635F", "WH", 2048 * KIB, 2, &[0x05, 0x15], &[0x01], 0x103C),
    flash([0x0B, 0x40, 0x15], "XT25F16B", "xtx", 2048 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x4B, 0x40, 0x15], "XT25F16B_1", "XTX", 2048 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xCD, 0x71, 0x15], "TH25Q16UC", "TH", 2048 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x1C, 0x41, 0x16], "EN25QE32A", "ESMT", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x1C, 0x61, 0x16], "EN25QW32A", "ESMT", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC8, 0x65, 0x16], "GD25WQ32E", "GD", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC8, 0x40, 0x16], "GD25Q32E", "GD", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x60, 0x16], "P25Q32H", "Puya", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x20, 0x16], "P25Q32HB", "Puya", 4096 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x0B, 0x40, 0x16], "XT25F32B", "xtx", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x20, 0x40, 0x16], "XM25QH32D", "XM", 4096 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    // Known to bk7231tools and the Beken SDK flash tables, absent from Easy Flasher's list.
    flash([0x0E, 0x40, 0x16], "FT25H32", "xtx", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xEF, 0x40, 0x16], "W25Q32", "WB", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x1C, 0x70, 0x16], "EN25QH32B", "ESMT", 4096 * KIB, 1, &[0x05], &[0x01], 0x007C),
    flash([0xCD, 0x60, 0x16], "TH25Q32UB", "TH", 4096 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x65, 0x16], "PY25Q32LB", "PY", 4096 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x65, 0x17], "GD25WQ64E", "GD", 8192 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x60, 0x17], "P25Q64H", "Puya", 8192 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x0B, 0x60, 0x17], "XT25Q64B", "xtx", 8192 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x0B, 0x40, 0x17], "XT25F64B", "xtx", 8192 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x20, 0x17], "PY25Q64HA", "PY", 8192 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x20, 0x40, 0x17], "XM25QH64D", "XM", 8192 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x40, 0x17], "GD25Q64C", "GD", 8192 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xCD, 0x60, 0x17], "TH25Q64HB", "TH", 8192 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xEB, 0x60, 0x17], "TH25Q64HA", "TH", 8192 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x60, 0x18], "GD25LQ128E", "GD", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xC8, 0x65, 0x18], "GD25WQ128E", "GD", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x85, 0x20, 0x18], "P25Q128HA", "Puya", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xEF, 0x40, 0x18], "WB25Q128JV", "WB", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x20, 0x41, 0x18], "XM25QU128C", "XMC", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0x0B, 0x40, 0x18], "XT25F128F", "xtx", 16384 * KIB, 3, &[0x05, 0x35, 0x15], &[0x01, 0x31, 0x11], 0x407C),
    flash([0x0B, 0x60, 0x18], "XT25Q128B", "xtx", 16384 * KIB, 3, &[0x05, 0x35, 0x15], &[0x01, 0x31, 0x11], 0x407C),
    flash([0x5E, 0x50, 0x18], "ZB25LQ128C", "Zbit", 16384 * KIB, 2, &[0x05, 0x35, 0x15], &[0x01, 0x31, 0x11], 0x407C),
    flash([0x20, 0x40, 0x18], "XM25QH128D", "XM", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x68, 0x40, 0x18], "BY25Q128ES", "BY", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x7C7C),
    flash([0xC4, 0x40, 0x18], "GT25Q128EZ", "GT", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x40, 0x18], "GD25Q128C", "GD", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x68, 0x60, 0x18], "BY25Q128EL", "BY", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xA1, 0x60, 0x18], "FM25LQ128I", "FM", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xEF, 0x60, 0x18], "WB25Q128JW_IQ", "WB", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0x85, 0x65, 0x18], "PY25Q128LA", "PY", 16384 * KIB, 2, &[0x05, 0x35], &[0x01], 0x407C),
    flash([0xEF, 0x80, 0x18], "WB25Q128JW_IM", "WB", 16384 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x68, 0x19], "GD25LX256E", "GD", 32768 * KIB, 1, &[0x05], &[0x01], 0x407C),
    flash([0x20, 0x40, 0x19], "XM25QH256D", "XM", 32768 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x40, 0x19], "GD25Q256C", "GD", 32768 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x60, 0x19], "GD25LQ256E", "GD", 32768 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
    flash([0xC8, 0x47, 0x1A], "GD25Q512C", "GD", 65536 * KIB, 2, &[0x05, 0x35], &[0x01, 0x31], 0x407C),
];

/// The SPI opcode that writes SR2 alone, on parts that have one.
pub const SR2_WRITE: u8 = 0x31;
/// Status-register protect bits: SRP0 (SR1 bit 7) and SRP1 (SR2 bit 0). Never written as set:
/// with both set the register locks until power-off or for good (bk7231tools PR #29).
pub(crate) const SRP_BITS: u16 = 0x0180;
/// CMP (SR2 bit 6): the only SR2 bit the unprotect judges.
pub const SR2_CMP: u16 = 0x4000;
/// SR1 bit 0: a program, erase or status write is in progress.
pub(crate) const SR_BUSY: u8 = 0x01;

/// What bkflash does to a part missing from the table: clear SR1 bits 2-6 (the BP field of every
/// listed part, plus TB/SEC) with a one-byte write, and report it (docs/field-audit.md D4).
pub(crate) static GENERIC_PART: FlashChip = FlashChip {
    jedec: [0; 3],
    part: "unknown part",
    vendor: "generic",
    size: 0,
    sr_bytes: 1,
    sr_read: &[0x05],
    sr_write: &[0x01],
    protect_mask: 0x007C,
};

impl FlashChip {
    /// Status bytes read and written: the protect mask never reaches past SR2, so a third
    /// register byte (listed for a few parts) is left alone.
    pub(crate) fn sr_width(&self) -> usize {
        usize::from(self.sr_bytes.min(2))
    }

    /// The protect bits judged within the bytes actually read and written: the SR1 bits of the
    /// mask and, of SR2, only CMP (other SR2 bits are OTP or lock bits on some parts).
    pub(crate) fn effective_mask(&self) -> u16 {
        match self.sr_width() {
            0 => 0,
            1 => self.protect_mask & 0x00FF,
            _ => self.protect_mask & (0x00FF | SR2_CMP),
        }
    }

    /// Whether SR1 and SR2 are written separately (01 with one byte, then 31).
    pub(crate) fn separate_sr2_write(&self) -> bool {
        self.sr_width() == 2 && self.sr_write.get(1) == Some(&SR2_WRITE)
    }
}

/// The table row for a JEDEC id.
pub fn lookup(jedec: [u8; 3]) -> Option<&'static FlashChip> {
    FLASH_CHIPS.iter().find(|row| row.jedec == jedec)
}

/// Flash size from the JEDEC capacity byte (`1 << cap`), for parts missing from the table.
pub(crate) fn size_from_capacity(cap: u8) -> Option<u32> {
    (0x10..=0x1A).contains(&cap).then(|| 1u32 << cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SR bits that are never protection bits (WIP, WEL).
    const SR_VOLATILE_BITS: u16 = 0x0003;
    /// BP0..BP2: the block-protect field every listed part has.
    const BP_LOW_BITS: u16 = 0x001C;

    #[test]
    fn every_flash_row_is_consistent() {
        for (i, row) in FLASH_CHIPS.iter().enumerate() {
            let name = row.part;
            assert!(
                FLASH_CHIPS[i + 1..]
                    .iter()
                    .all(|other| other.jedec != row.jedec),
                "{name}: JEDEC id listed twice"
            );
            assert!(!row.part.is_empty() && !row.vendor.is_empty());
            assert!(
                row.size.is_power_of_two() && row.size >= 64 * KIB,
                "{name}: size"
            );
            if let Some(size) = size_from_capacity(row.jedec[2]) {
                assert_eq!(size, row.size, "{name}: capacity byte disagrees with size");
            }
            assert!(
                row.sr_read.len() >= row.sr_width(),
                "{name}: a read opcode per SR byte"
            );
            assert_eq!(
                row.sr_write.is_empty(),
                row.sr_bytes == 0,
                "{name}: write opcode"
            );
            assert_eq!(
                row.effective_mask() & SR_VOLATILE_BITS,
                0,
                "{name}: mask covers WIP/WEL"
            );
            if row.sr_bytes > 0 {
                assert_eq!(
                    row.effective_mask() & BP_LOW_BITS,
                    BP_LOW_BITS,
                    "{name}: mask lacks BP0..BP2"
                );
                assert_eq!(row.sr_read[0], 0x05, "{name}: SR1 is read with 05");
                assert_eq!(row.sr_write[0], 0x01, "{name}: SR is written with 01");
            }
        }
    }

    #[test]
    fn common_field_parts_are_known() {
        let th = lookup([0xEB, 0x60, 0x15]).expect("TH25Q16HB");
        assert_eq!(
            (th.size, th.sr_width(), th.effective_mask()),
            (0x20_0000, 2, 0x407C)
        );
        let puya = lookup([0x85, 0x42, 0x15]).expect("P25Q16HB");
        assert_eq!((puya.sr_width(), puya.effective_mask()), (1, 0x7C));
        let bk7238_puya = lookup([0x85, 0x20, 0x15]).expect("P25Q16HBK");
        assert!(bk7238_puya.separate_sr2_write());
        let macronix = lookup([0xC2, 0x23, 0x15]).expect("MX25V1635F");
        assert_eq!(
            macronix.effective_mask(),
            0x003C,
            "TB in the MX config register is OTP"
        );
        for jedec in [[0x0E, 0x40, 0x16], [0xEF, 0x40, 0x16], [0x1C, 0x70, 0x16]] {
            assert!(lookup(jedec).is_some(), "bk7231tools knows {jedec:02X?}");
        }
        assert_eq!(lookup([0x12, 0x34, 0x56]), None);
        assert_eq!(size_from_capacity(0x16), Some(0x40_0000));
    }
}
