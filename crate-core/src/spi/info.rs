//! What an SPI session learns: the programmer (name, clock, limits, quirks met), how the chip entered
//! SPI flashing mode, and the flash behind it (JEDEC id, table row, size, status register).

use alloc::string::String;
use alloc::vec::Vec;

use super::quirks::Quirk;
use super::variants::EntryVariant;
use crate::flash::FlashChip;
use crate::flasher::Protection;

/// The serprog programmer as it described itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammerInfo {
    /// Q_PGMNAME (e.g. "pico-serprog"); empty when not offered.
    pub name: String,
    /// Q_BUSTYPE bits (SPI is 0x08).
    pub bus_types: u8,
    /// Q_SERBUF, when offered.
    pub serial_buffer: Option<u16>,
    /// Longest O_SPIOP write phase bkflash sends (quirk table and Q_WRNMAXLEN).
    pub max_write: usize,
    /// Longest O_SPIOP read phase bkflash asks for.
    pub max_read: usize,
    /// The SPI clock the programmer reported; `None` when it cannot be set or its answer is not trusted.
    pub clock_hz: Option<u32>,
    /// The S_SPI_CS chosen, if any.
    pub chip_select: Option<u8>,
    /// Firmware bugs met (and worked around) so far.
    pub quirks_seen: Vec<&'static Quirk>,
}

/// How the chip got into SPI flashing mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryMethod {
    /// A plausible id answered before any reset: a previous session left it there.
    AlreadyInSpiMode,
    /// RTS of the second adapter pulsed CEN; `resets` counts the pulses.
    CenAdapter {
        variant: &'static EntryVariant,
        resets: u32,
    },
    /// The user reset the chip during the countdown.
    Manual { variant: &'static EntryVariant },
}

impl EntryMethod {
    /// The variant that worked, if an entry sequence ran.
    pub fn variant(self) -> Option<&'static EntryVariant> {
        match self {
            EntryMethod::AlreadyInSpiMode => None,
            EntryMethod::CenAdapter { variant, .. } | EntryMethod::Manual { variant } => {
                Some(variant)
            }
        }
    }

    /// One sentence for the user.
    pub fn describe(self) -> String {
        match self {
            EntryMethod::AlreadyInSpiMode => {
                String::from("the chip was already in SPI flashing mode")
            }
            EntryMethod::CenAdapter { variant, resets } => alloc::format!(
                "entered with {} (CEN reset {resets} time{})",
                variant.describe(true),
                if resets == 1 { "" } else { "s" }
            ),
            EntryMethod::Manual { variant } => alloc::format!(
                "entered with {} during a manual reset",
                variant.describe(false)
            ),
        }
    }
}

/// Everything `SpiFlasher::connect` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpiChipInfo {
    pub programmer: ProgrammerInfo,
    pub entry: EntryMethod,
    /// Manufacturer, type, capacity, in wire order.
    pub jedec: [u8; 3],
    /// The flash table row, when the part is known.
    pub flash: Option<&'static FlashChip>,
    pub flash_size: u32,
    /// SR1 | SR2 << 8 as read (SR1 only for one-byte parts and unknown parts).
    pub status: u16,
    pub protection: Protection,
}

impl SpiChipInfo {
    /// "EN25QH16B (ESMT)" or "unknown part".
    pub fn part_name(&self) -> String {
        match self.flash {
            Some(flash) => alloc::format!("{} ({})", flash.part, flash.vendor),
            None => String::from("unknown part"),
        }
    }
}
