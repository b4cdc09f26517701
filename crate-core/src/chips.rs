//! Chip families, their protocol class and UF2 family IDs, as static data.
//! The protocol helper extends this with bootloader fingerprints and capabilities.

/// Where the download handler lives, which decides what the host may do (protocol.md §0).
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
    /// LibreTiny UF2 family ID of builds for this chip, if one exists (formats.md §1.4).
    pub uf2_family_id: Option<u32>,
}

pub const FAMILIES: &[FamilyInfo] = &[
    FamilyInfo { family: ChipFamily::Bk7231T, name: "BK7231T", class: ProtocolClass::Legacy, uf2_family_id: Some(0x675A_40B0) },
    FamilyInfo { family: ChipFamily::Bk7231U, name: "BK7231U", class: ProtocolClass::Legacy, uf2_family_id: Some(0x675A_40B0) },
    FamilyInfo { family: ChipFamily::Bk7231Q, name: "BK7231Q", class: ProtocolClass::Legacy, uf2_family_id: Some(0xAFE8_1D49) },
    FamilyInfo { family: ChipFamily::Bk7231N, name: "BK7231N", class: ProtocolClass::Rom, uf2_family_id: Some(0x7B3E_F230) },
    FamilyInfo { family: ChipFamily::Bk7231M, name: "BK7231M", class: ProtocolClass::Rom, uf2_family_id: None },
    FamilyInfo { family: ChipFamily::Bk7238, name: "BK7238", class: ProtocolClass::Rom, uf2_family_id: Some(0x159A_C324) },
    FamilyInfo { family: ChipFamily::Bk7252, name: "BK7252", class: ProtocolClass::Legacy, uf2_family_id: Some(0x6A82_CC42) },
    FamilyInfo { family: ChipFamily::Bk7252N, name: "BK7252N", class: ProtocolClass::Rom, uf2_family_id: None },
];

impl ChipFamily {
    pub fn info(self) -> &'static FamilyInfo {
        FAMILIES.iter().find(|row| row.family == self).expect("every family has a row")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn class(self) -> ProtocolClass {
        self.info().class
    }

    /// Parse a user-supplied chip name such as `bk7231n` or `BK7231T`.
    pub fn from_name(name: &str) -> Option<Self> {
        FAMILIES.iter().find(|row| row.name.eq_ignore_ascii_case(name)).map(|row| row.family)
    }

    /// Lowest address a write or erase may touch without the user's explicit override.
    pub fn first_writable(self) -> u32 {
        BOOTLOADER_END
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_row_is_consistent() {
        for row in FAMILIES {
            assert_eq!(row.family.info().name, row.name, "one row per family");
            assert_eq!(ChipFamily::from_name(&row.name.to_ascii_lowercase()), Some(row.family));
            assert!(row.name.starts_with("BK72"));
        }
    }
}
