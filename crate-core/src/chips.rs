//! Chip families, their protocol class and UF2 family IDs, bootloader fingerprints and chip ids,
//! all as static data (docs/protocol.md §0, §5.1, §5.2).

/// Where the download handler lives, which decides what the host may do (docs/protocol.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtocolClass {
    /// Handler in mask ROM (BK7231N-like, bk7231tools "FULL"): all commands, no address checks.
    Rom,
    /// Handler in the flash bootloader (BK7231T-like, "BASIC_TUYA"/"BASIC_BEKEN"): refuses < 0x11000.
    Legacy,
}

/// First flash address a write or erase may touch on a legacy-class chip (the bootloader ends below).
pub const BOOTLOADER_END: u32 = 0x11000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChipFamily {
    Bk7231T,
    Bk7231U,
    Bk7231Q,
    Bk7231N,
    Bk7231M,
    Bk7238,
    Bk7252,
    Bk7252N,
}

/// One row of the family table.
#[derive(Clone, Copy, Debug)]
pub struct FamilyInfo {
    pub family: ChipFamily,
    /// Display name, also accepted (case-insensitively) by `--chip`.
    pub name: &'static str,
    pub class: ProtocolClass,
    /// LibreTiny UF2 family ID of builds for this chip, if one exists (docs/formats.md §1.4).
    pub uf2_family_id: Option<u32>,
}

pub const FAMILIES: &[FamilyInfo] = &[
    FamilyInfo {
        family: ChipFamily::Bk7231T,
        name: "BK7231T",
        class: ProtocolClass::Legacy,
        uf2_family_id: Some(0x675A_40B0),
    },
    FamilyInfo {
        family: ChipFamily::Bk7231U,
        name: "BK7231U",
        class: ProtocolClass::Legacy,
        uf2_family_id: Some(0x675A_40B0),
    },
    FamilyInfo {
        family: ChipFamily::Bk7231Q,
        name: "BK7231Q",
        class: ProtocolClass::Legacy,
        uf2_family_id: Some(0xAFE8_1D49),
    },
    FamilyInfo {
        family: ChipFamily::Bk7231N,
        name: "BK7231N",
        class: ProtocolClass::Rom,
        uf2_family_id: Some(0x7B3E_F230),
    },
    FamilyInfo {
        family: ChipFamily::Bk7231M,
        name: "BK7231M",
        class: ProtocolClass::Rom,
        uf2_family_id: None,
    },
    FamilyInfo {
        family: ChipFamily::Bk7238,
        name: "BK7238",
        class: ProtocolClass::Rom,
        uf2_family_id: Some(0x159A_C324),
    },
    FamilyInfo {
        family: ChipFamily::Bk7252,
        name: "BK7252",
        class: ProtocolClass::Legacy,
        uf2_family_id: Some(0x6A82_CC42),
    },
    FamilyInfo {
        family: ChipFamily::Bk7252N,
        name: "BK7252N",
        class: ProtocolClass::Rom,
        uf2_family_id: None,
    },
];

impl ChipFamily {
    pub fn info(self) -> &'static FamilyInfo {
        FAMILIES
            .iter()
            .find(|row| row.family == self)
            .expect("every family has a row")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn class(self) -> ProtocolClass {
        self.info().class
    }

    /// Whether a build for `self` runs on `other`: the same family, or one LibreTiny UF2 family
    /// (BK7231T and BK7231U).
    pub fn runs_same_builds(self, other: ChipFamily) -> bool {
        self == other
            || (self.info().uf2_family_id.is_some()
                && self.info().uf2_family_id == other.info().uf2_family_id)
    }

    /// Parse a user-supplied chip name such as `bk7231n` or `BK7231T`.
    pub fn from_name(name: &str) -> Option<Self> {
        FAMILIES
            .iter()
            .find(|row| row.name.eq_ignore_ascii_case(name))
            .map(|row| row.family)
    }
}

/// A known bootloader, recognised by the raw reply to `CheckCRC(0, 0x100)` (docs/protocol.md §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bootloader {
    /// bk7231tools' file name for it.
    pub name: &'static str,
    /// The value the chip sends (no final XOR).
    pub crc_raw: u32,
    /// The standard zlib CRC-32 of the same bytes, kept to cross-check the table.
    pub crc_standard: u32,
    pub family: ChipFamily,
    /// Whether it answers ReadBootVersion (0x11): the Tuya T bootloaders.
    pub tuya: bool,
    /// Flash size it implies, when the table knows one.
    pub flash_size: Option<u32>,
}

const MIB2: Option<u32> = Some(0x20_0000);

const fn boot(
    name: &'static str,
    crc_standard: u32,
    family: ChipFamily,
    tuya: bool,
    flash_size: Option<u32>,
) -> Bootloader {
    Bootloader {
        name,
        crc_raw: !crc_standard,
        crc_standard,
        family,
        tuya,
        flash_size,
    }
}

pub(crate) static BOOTLOADERS: &[Bootloader] = &[
    boot(
        "bl_bk7231n_1.0.1_34B7",
        0xE141_91BA,
        ChipFamily::Bk7231N,
        false,
        None,
    ),
    boot(
        "bl_t1_2.0.0_DA47",
        0xF42F_8C32,
        ChipFamily::Bk7238,
        false,
        None,
    ),
    boot(
        "bootloader_bk7238_uart1_v1.0.14",
        0x6BEB_0924,
        ChipFamily::Bk7238,
        false,
        None,
    ),
    boot(
        "bl_bk7231q_6AFA",
        0xF023_1EF6,
        ChipFamily::Bk7231Q,
        false,
        None,
    ),
    boot(
        "bl_bk7231q_tysdk_03ED",
        0xFF5A_3EAC,
        ChipFamily::Bk7231Q,
        false,
        None,
    ),
    boot(
        "bl_bk7231s_1.0.1_79A6",
        0xC1EC_A871,
        ChipFamily::Bk7231T,
        true,
        MIB2,
    ),
    boot(
        "bl_bk7231s_1.0.3_DAAE",
        0x4B31_E44D,
        ChipFamily::Bk7231T,
        true,
        MIB2,
    ),
    boot(
        "bl_bk7231s_1.0.5_4FF7",
        0xBA54_C1B8,
        ChipFamily::Bk7231T,
        true,
        MIB2,
    ),
    boot(
        "bl_bk7231s_1.0.6_625D",
        0xE5CB_C953,
        ChipFamily::Bk7231T,
        true,
        MIB2,
    ),
    boot(
        "bl_bk7231u_1.0.6_9B7F",
        0x2739_019F,
        ChipFamily::Bk7231U,
        false,
        MIB2,
    ),
    boot(
        "bl_bk7252_0.1.3_F4D3",
        0x39F9_B50C,
        ChipFamily::Bk7252,
        false,
        None,
    ),
    boot(
        "bootloader_7252_2M_uart1_log_20190828",
        0xE3A2_7C26,
        ChipFamily::Bk7252,
        false,
        None,
    ),
    boot(
        "bl_bk7231n_1.0.1_variant",
        0x4063_D299,
        ChipFamily::Bk7231N,
        false,
        None,
    ),
];

/// The bootloader whose fingerprint is this raw CRC.
pub fn bootloader_by_crc(crc_raw: u32) -> Option<&'static Bootloader> {
    BOOTLOADERS.iter().find(|row| row.crc_raw == crc_raw)
}

/// The SCTRL_CHIP_ID register (ReadReg), answered by ROM-class handlers only.
pub const CHIP_ID_REGISTER: u32 = 0x0080_0000;

/// Values of `CHIP_ID_REGISTER` that ROM-class chips report (docs/protocol.md §5.2).
pub(crate) static CHIP_IDS: &[(u32, ChipFamily)] = &[
    (0x0007_231C, ChipFamily::Bk7231N),
    (0x0000_7238, ChipFamily::Bk7238),
    (0x0007_252A, ChipFamily::Bk7252N),
];

/// The family behind a chip-id register value (BK7231M reports the same id as BK7231N).
pub(crate) fn family_by_chip_id(chip_id: u32) -> Option<ChipFamily> {
    CHIP_IDS
        .iter()
        .find(|row| row.0 == chip_id)
        .map(|row| row.1)
}

/// The device-id register of the newer BK7236-class chips (docs/protocol.md §5.2), read when
/// `CHIP_ID_REGISTER` names no family.
pub(crate) const DEVICE_ID_REGISTER: u32 = 0x4401_0004;

/// Chips that answer the ROM protocol but that bkflash does not support yet: their handler refuses
/// boot partitions without replying and their flash layout does not start the app at 0x11000
/// (docs/field-audit.md D12). Ids as Easy Flasher's chip table has them.
pub(crate) static UNSUPPORTED_CHIP_IDS: &[(u32, &str)] = &[
    (0x7236, "BK7236/BK7258"),
    (0x7256, "BK7256"),
    (0x7259, "BK7259"),
];

/// The name of an unsupported chip behind a register value, normalised as Easy Flasher does: a
/// `01` byte above the id (`0x01007236`) is a prefix, not part of it.
pub(crate) fn unsupported_chip(value: u32) -> Option<&'static str> {
    let top = 3 - (value.leading_zeros() / 8).min(3);
    let id = if top > 0 && (value >> (8 * top)) == 1 {
        value & ((1 << (8 * top)) - 1)
    } else {
        value
    };
    UNSUPPORTED_CHIP_IDS
        .iter()
        .find(|row| row.0 == id)
        .map(|row| row.1)
}

/// eFuse access on the ROM class (docs/protocol.md §5.3): CTRL selects a byte and starts the read,
/// OPTR returns it.
pub(crate) const EFUSE_CTRL_REGISTER: u32 = 0x0080_0074;
pub(crate) const EFUSE_OPTR_REGISTER: u32 = 0x0080_0078;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_row_is_consistent() {
        for row in FAMILIES {
            assert_eq!(row.family.info().name, row.name, "one row per family");
            assert_eq!(
                ChipFamily::from_name(&row.name.to_ascii_lowercase()),
                Some(row.family)
            );
            assert!(row.name.starts_with("BK72"));
        }
    }

    #[test]
    fn every_bootloader_row_is_consistent() {
        for (i, row) in BOOTLOADERS.iter().enumerate() {
            assert_eq!(row.crc_raw ^ row.crc_standard, 0xFFFF_FFFF, "{}", row.name);
            assert!(
                BOOTLOADERS[i + 1..]
                    .iter()
                    .all(|other| other.crc_raw != row.crc_raw),
                "{} listed twice",
                row.name
            );
            assert_eq!(
                bootloader_by_crc(row.crc_raw).map(|b| b.name),
                Some(row.name)
            );
            if row.tuya {
                assert_eq!(
                    row.family.class(),
                    ProtocolClass::Legacy,
                    "{}: Tuya T bootloaders are legacy",
                    row.name
                );
            }
        }
        assert_eq!(
            bootloader_by_crc(0x1EBE_6E45).map(|b| b.family),
            Some(ChipFamily::Bk7231N)
        );
        assert_eq!(
            bootloader_by_crc(0x45AB_3E47).map(|b| (b.family, b.tuya)),
            Some((ChipFamily::Bk7231T, true))
        );
    }

    #[test]
    fn every_chip_id_row_is_a_rom_class_family() {
        for &(id, family) in CHIP_IDS {
            assert_eq!(family.class(), ProtocolClass::Rom);
            assert_eq!(family_by_chip_id(id), Some(family));
        }
        assert_eq!(family_by_chip_id(0x1234), None);
    }

    #[test]
    fn unsupported_ids_are_found_with_or_without_the_prefix_byte() {
        assert_eq!(unsupported_chip(0x7236), Some("BK7236/BK7258"));
        assert_eq!(unsupported_chip(0x0100_7256), Some("BK7256"));
        assert_eq!(unsupported_chip(0x0001_7259), Some("BK7259"));
        assert_eq!(unsupported_chip(0x0007_231C), None);
        assert_eq!(unsupported_chip(0), None);
        assert_eq!(unsupported_chip(1), None);
    }
}
