//! Why an OpenBeken config cannot be built from the user's settings, or why a stored one is refused.
//! Messages never include a password or any other field's content.

use alloc::string::String;
use core::fmt;

/// Building a config from settings failed; nothing is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// OpenBeken has no build (and so no config location) for this chip.
    UnsupportedChip(&'static str),
    /// The chip family is not known, so the config location is not either.
    UnknownChip,
    TooLong {
        field: &'static str,
        max: usize,
    },
    NulInText {
        field: &'static str,
    },
    BadPin {
        pin: String,
        why: String,
    },
    Template(String),
    /// Neither a name in the settings nor the chip's MAC to derive OpenBeken's default name.
    NoName,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnsupportedChip(chip) => write!(
                f,
                "OpenBeken has no build for {chip}, so there is no config partition to write"
            ),
            ConfigError::UnknownChip => write!(
                f,
                "the chip family is unknown, so the OpenBeken config location is too; give --chip"
            ),
            ConfigError::TooLong { field, max } => {
                write!(f, "{field} is longer than the {max} bytes OpenBeken stores")
            }
            ConfigError::NulInText { field } => write!(f, "{field} contains a NUL character"),
            ConfigError::BadPin { pin, why } => write!(f, "template pin '{pin}': {why}"),
            ConfigError::Template(why) => write!(f, "{why}"),
            ConfigError::NoName => write!(
                f,
                "the device MAC could not be read, so give a \"name\" in the settings file"
            ),
        }
    }
}

/// A stored config sector that bkflash does not accept as an OpenBeken config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than the struct.
    TooShort,
    /// Does not start with `CFG`.
    NotAConfig,
    /// A layout version bkflash does not know (0 or below, or newer than OpenBeken's current one).
    UnknownVersion(i32),
    CrcMismatch {
        stored: u8,
        computed: u8,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooShort => {
                write!(f, "the config sector is shorter than OpenBeken's config")
            }
            DecodeError::NotAConfig => {
                write!(f, "the sector does not start with OpenBeken's 'CFG' mark")
            }
            DecodeError::UnknownVersion(v) => write!(
                f,
                "config layout version {v} is not one bkflash knows (1 to 5)"
            ),
            DecodeError::CrcMismatch { stored, computed } => write!(
                f,
                "config CRC-8 is 0x{stored:02X} but the content gives 0x{computed:02X}"
            ),
        }
    }
}
