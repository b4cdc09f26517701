//! UF2 family IDs a LibreTiny package can carry (docs/formats.md §1.4), as a table.
//! Beken rows map to a chip family and its nominal flash size; the others exist to name a wrong family.

use crate::chips::ChipFamily;

/// One UF2 family ID known to ltchiptool 4.15.0.
#[derive(Clone, Copy, Debug)]
pub struct Uf2Family {
    pub id: u32,
    /// ltchiptool's short name, used in messages.
    pub name: &'static str,
    /// The chip family a Beken ID targets; `None` for other vendors.
    pub chip: Option<ChipFamily>,
    /// Flash size of every LibreTiny board of this family (docs/formats.md §2.8); 0 for other vendors.
    pub flash_size: u32,
}

const MIB2: u32 = 0x20_0000;
const MIB4: u32 = 0x40_0000;

#[rustfmt::skip]
pub const UF2_FAMILIES: &[Uf2Family] = &[
    Uf2Family { id: 0x675A_40B0, name: "BK7231T", chip: Some(ChipFamily::Bk7231T), flash_size: MIB2 },
    Uf2Family { id: 0x7B3E_F230, name: "BK7231N", chip: Some(ChipFamily::Bk7231N), flash_size: MIB2 },
    Uf2Family { id: 0xAFE8_1D49, name: "BK7231Q", chip: Some(ChipFamily::Bk7231Q), flash_size: MIB2 },
    Uf2Family { id: 0x159A_C324, name: "BK7238", chip: Some(ChipFamily::Bk7238), flash_size: MIB2 },
    Uf2Family { id: 0x6A82_CC42, name: "BK7251", chip: Some(ChipFamily::Bk7252), flash_size: MIB4 },
    Uf2Family { id: 0x9FFF_D543, name: "Realtek RTL8710A", chip: None, flash_size: 0 },
    Uf2Family { id: 0x22E0_D6FC, name: "Realtek RTL8710B (AmebaZ)", chip: None, flash_size: 0 },
    Uf2Family { id: 0xE08F_7564, name: "Realtek RTL8720C (AmebaZ2)", chip: None, flash_size: 0 },
    Uf2Family { id: 0x3379_CFE2, name: "Realtek RTL8720D (AmebaD)", chip: None, flash_size: 0 },
    Uf2Family { id: 0xDE12_70B7, name: "Bouffalo Lab BL60X", chip: None, flash_size: 0 },
    Uf2Family { id: 0xA380_90A8, name: "Lightning LN882H", chip: None, flash_size: 0 },
];

/// The table row for a UF2 family ID, if ltchiptool knows it.
pub fn lookup(id: u32) -> Option<&'static Uf2Family> {
    UF2_FAMILIES.iter().find(|row| row.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beken_rows_agree_with_the_chip_table() {
        for row in UF2_FAMILIES {
            match row.chip {
                Some(chip) => {
                    assert_eq!(chip.info().uf2_family_id, Some(row.id), "{}", row.name);
                    assert!(row.flash_size >= MIB2);
                }
                None => assert_eq!(row.flash_size, 0, "{}", row.name),
            }
            assert_eq!(
                UF2_FAMILIES
                    .iter()
                    .filter(|other| other.id == row.id)
                    .count(),
                1
            );
        }
    }
}
