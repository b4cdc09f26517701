//! Work rates as data (protocol.md §4, field-audit D1): the choice (`WorkBaud`), each chip's field
//! default, the rates Fast tries and a job steps down through, and which failures call for a slower rate.

use super::LINK_BAUD;
use crate::chips::ChipFamily;
use crate::error::ErrorKind;

/// Which rate a session works at after linking at 115200.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkBaud {
    /// What field tools use on the identified chip (`CHIP_WORK_BAUDS`).
    ChipDefault,
    /// This rate; `LINK_BAUD` stays at the link rate without a switch (bk7231tools' default).
    Fixed(u32),
    /// The fastest of `FAST_RATES` whose whole 4 KiB test read matches the chip's CRC of it.
    Fast,
}

/// The rates `WorkBaud::Fast` tries, fastest first: 2 M is the highest a peer writes at
/// (protocol.md §4), and the adapter, not the chip, usually sets the ceiling.
pub const FAST_RATES: [u32; 4] = [2_000_000, 1_500_000, 921_600, 460_800];

/// A job steps down through these after repeated line faults, each step re-verified.
pub(super) const STEP_DOWN_RATES: [u32; 6] =
    [2_000_000, 1_500_000, 921_600, 460_800, 230_400, LINK_BAUD];

/// Line faults of one command at one rate before the session steps down to the next slower rate.
pub(super) const STEP_DOWN_AFTER: u32 = 2;

/// The sector a rate's test read and CRC cover: above the bootloader, so no class refuses it.
pub(super) const VERIFY_ADDR: u32 = 0x11000;

/// One row of the per-chip default rates.
#[derive(Clone, Copy, Debug)]
pub struct ChipWorkBaud {
    pub family: ChipFamily,
    pub baud: u32,
    /// Where the rate comes from, for the log.
    pub source: &'static str,
}

const fn row(family: ChipFamily, baud: u32, source: &'static str) -> ChipWorkBaud {
    ChipWorkBaud {
        family,
        baud,
        source,
    }
}

const LIBRETINY: &str = "LibreTiny's upload rate for this chip";
const LIKE_N: &str = "the BK7231N mask ROM's rate; no field tool publishes one for this chip";

/// Default work rates: LibreTiny uploads at 921600 to the flash-bootloader chips T/U/BK7252 and at
/// 460800 to N/Q/BK7238 (its `boards/_base/beken-*.json`, protocol.md §4). BK7231M is an N with an
/// all-zero eFuse key, and a 921600 switch failed on one (OpenBK7231T_App #1112); BK7252N has the
/// same ROM-class handler and no published rate: both get the N's 460800.
pub static CHIP_WORK_BAUDS: &[ChipWorkBaud] = &[
    row(ChipFamily::Bk7231T, 921_600, LIBRETINY),
    row(ChipFamily::Bk7231U, 921_600, LIBRETINY),
    row(ChipFamily::Bk7252, 921_600, LIBRETINY),
    row(ChipFamily::Bk7231N, 460_800, LIBRETINY),
    row(ChipFamily::Bk7231Q, 460_800, LIBRETINY),
    row(ChipFamily::Bk7238, 460_800, LIBRETINY),
    row(ChipFamily::Bk7231M, 460_800, LIKE_N),
    row(ChipFamily::Bk7252N, 460_800, LIKE_N),
];

/// Work rate when nothing names the chip: the lower of the two field rates.
pub const UNKNOWN_CHIP_BAUD: u32 = 460_800;

/// The default work rate of `family`.
pub fn chip_work_baud(family: Option<ChipFamily>) -> &'static ChipWorkBaud {
    static UNKNOWN: ChipWorkBaud = ChipWorkBaud {
        family: ChipFamily::Bk7231N,
        baud: UNKNOWN_CHIP_BAUD,
        source: "the lower field rate, as the chip is not known",
    };
    family
        .and_then(|f| CHIP_WORK_BAUDS.iter().find(|row| row.family == f))
        .unwrap_or(&UNKNOWN)
}

/// Rates the manual link window also floods at, besides 115200: a chip left in download mode at
/// a work rate (after a crash or Ctrl-C) answers only there (field-audit D11).
pub(super) const RELINK_RATES: [u32; 2] = [921_600, 460_800];

/// Failures that mean bytes were lost or damaged on the line, which a slower rate may cure.
pub(super) fn is_line_fault(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Timeout
            | ErrorKind::CrcMismatch
            | ErrorKind::BadLength
            | ErrorKind::PayloadLack
            | ErrorKind::UnknownStatus
            | ErrorKind::UnknownCommand
            | ErrorKind::WriteCountMismatch
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chips::FAMILIES;

    #[test]
    fn every_family_has_a_default_rate_from_the_field_list() {
        for family in FAMILIES {
            let row = chip_work_baud(Some(family.family));
            assert_eq!(row.family, family.family, "{} has a row", family.name);
            assert!([460_800, 921_600].contains(&row.baud));
        }
        assert_eq!(chip_work_baud(Some(ChipFamily::Bk7231T)).baud, 921_600);
        assert_eq!(chip_work_baud(Some(ChipFamily::Bk7231N)).baud, 460_800);
        assert_eq!(chip_work_baud(None).baud, UNKNOWN_CHIP_BAUD);
    }

    #[test]
    fn rates_step_down_from_the_fastest_to_the_link_rate() {
        assert!(STEP_DOWN_RATES.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(STEP_DOWN_RATES.last(), Some(&LINK_BAUD));
        assert!(FAST_RATES.iter().all(|r| STEP_DOWN_RATES.contains(r)));
    }
}
