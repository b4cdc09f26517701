//! Where OpenBeken keeps `mainConfig_t` on each Beken chip and the byte offsets of the fields
//! bkflash reads and writes (OpenBeken `src/new_pins.h`, docs/dump-analysis.md §1.6).

use crate::chips::ChipFamily;

/// Bytes covered by the CRC for layout versions up to 3.
pub(crate) const SIZE_V3: usize = 2016;
/// Bytes of the struct (and of the CRC) for versions 4 and 5.
pub(crate) const SIZE: usize = 3584;
/// The layout version OpenBeken writes today.
pub(crate) const VERSION: i32 = 5;
/// The newest layout version bkflash knows; newer ones are refused.
pub(crate) const NEWEST_KNOWN_VERSION: i32 = 5;

pub(crate) const IDENT: &[u8; 3] = b"CFG";
pub const CRC: usize = 3;
pub(crate) const VERSION_AT: usize = 4;
pub(crate) const GENERIC_FLAGS: usize = 0x08;
pub(crate) const GENERIC_FLAGS2: usize = 0x0C;
/// Fixed-size, NUL-terminated text fields: (offset, capacity including the NUL).
pub(crate) const WIFI_SSID: (usize, usize) = (0x14, 64);
pub(crate) const WIFI_PASS: (usize, usize) = (0x54, 64);
pub(crate) const MQTT_HOST: (usize, usize) = (0x94, 256);
pub(crate) const MQTT_CLIENT_ID: (usize, usize) = (0x194, 64);
pub(crate) const MQTT_USER: (usize, usize) = (0x1D4, 64);
pub(crate) const MQTT_PASS: (usize, usize) = (0x214, 128);
pub(crate) const MQTT_PORT: usize = 0x294;
pub(crate) const WEBAPP_ROOT: (usize, usize) = (0x298, 64);
pub(crate) const SHORT_NAME: (usize, usize) = (0x2DE, 32);
pub(crate) const LONG_NAME: (usize, usize) = (0x2FE, 64);
pub(crate) const PINS: usize = 0x33E;
pub(crate) const MQTT_GROUP: (usize, usize) = (0x554, 64);
pub(crate) const BOOT_OK_SECONDS: usize = 0x597;
pub(crate) const PING_HOST: (usize, usize) = (0x5A0, 64);
pub(crate) const INIT_COMMAND: (usize, usize) = (0x5E0, 1568);

/// Fields between the pin arrays and `staticIP` move with the pin-array width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PinArrays {
    /// Entries in each of `roles`, `channels` and `channels2`.
    pub entries: usize,
}

/// Offsets of the fields whose place depends on the pin-array width, relative to the 32-entry layout.
const NTP_SERVER_32: (usize, usize) = (0x478, 32);
const BUTTON_TIMES_32: usize = 0x4B8;

impl PinArrays {
    pub fn roles(self) -> usize {
        PINS
    }
    pub fn channels(self) -> usize {
        PINS + self.entries
    }
    pub fn channels2(self) -> usize {
        PINS + 2 * self.entries
    }
    fn shift(self) -> usize {
        3 * (self.entries - 32)
    }
    pub(crate) fn ntp_server(self) -> (usize, usize) {
        (NTP_SERVER_32.0 + self.shift(), NTP_SERVER_32.1)
    }
    /// `buttonShortPress`, `buttonLongPress`, `buttonHoldRepeat`, one byte each.
    pub(crate) fn button_times(self) -> usize {
        BUTTON_TIMES_32 + self.shift()
    }
}

/// One Beken platform as OpenBeken builds it.
#[derive(Clone, Copy, Debug)]
pub struct Platform {
    pub family: ChipFamily,
    /// Start of the config sector (the SDK's NET_PARAM partition).
    pub offset: u32,
    pub pins: PinArrays,
    /// GPIOs the platform has (`PLATFORM_GPIO_MAX`); higher pins are refused.
    pub gpio_count: usize,
    /// `DEVICENAME_PREFIX_FULL`: the long device name is this plus `_` and four MAC bytes.
    pub long_name_prefix: &'static str,
    /// `DEF_MQTT_GROUP`.
    pub mqtt_group: &'static str,
}

const PINS_32: PinArrays = PinArrays { entries: 32 };
const PINS_48: PinArrays = PinArrays { entries: 48 };
const GPIOS: usize = 29;

/// OpenBeken's Beken platforms; the BK7231M runs the BK7231N build. BK7231Q has no OpenBeken build.
pub(crate) const PLATFORMS: &[Platform] = &[
    Platform {
        family: ChipFamily::Bk7231T,
        offset: 0x1E_1000,
        pins: PINS_32,
        gpio_count: GPIOS,
        long_name_prefix: "OpenBK7231T",
        mqtt_group: "bekens_t",
    },
    Platform {
        family: ChipFamily::Bk7231U,
        offset: 0x1E_1000,
        pins: PINS_32,
        gpio_count: GPIOS,
        long_name_prefix: "OpenBK7231U",
        mqtt_group: "bekens_u",
    },
    Platform {
        family: ChipFamily::Bk7231N,
        offset: 0x1D_1000,
        pins: PINS_32,
        gpio_count: GPIOS,
        long_name_prefix: "OpenBK7231N",
        mqtt_group: "bekens_n",
    },
    Platform {
        family: ChipFamily::Bk7231M,
        offset: 0x1D_1000,
        pins: PINS_32,
        gpio_count: GPIOS,
        long_name_prefix: "OpenBK7231N",
        mqtt_group: "bekens_n",
    },
    Platform {
        family: ChipFamily::Bk7238,
        offset: 0x1E_1000,
        pins: PINS_32,
        gpio_count: GPIOS,
        long_name_prefix: "OpenBK7238",
        mqtt_group: "bekens_8s",
    },
    Platform {
        family: ChipFamily::Bk7252,
        offset: 0x1E_1000,
        pins: PINS_48,
        gpio_count: 40,
        long_name_prefix: "OpenBK7252",
        mqtt_group: "bekens_52s",
    },
    Platform {
        family: ChipFamily::Bk7252N,
        offset: 0x1E_1000,
        pins: PINS_48,
        gpio_count: 40,
        long_name_prefix: "OpenBK7252N",
        mqtt_group: "bekens_52n",
    },
];

/// OpenBeken's platform for a chip, if it has one.
pub fn platform(family: ChipFamily) -> Option<&'static Platform> {
    PLATFORMS.iter().find(|row| row.family == family)
}

/// Bytes the CRC covers for a layout version.
pub(crate) fn crc_size(version: i32) -> usize {
    if version <= 3 { SIZE_V3 } else { SIZE }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_the_struct_comments() {
        assert_eq!(PINS_32.channels2(), 0x37E);
        assert_eq!(PINS_32.ntp_server().0, 0x478);
        assert_eq!(PINS_32.button_times(), 0x4B8);
        assert_eq!(PINS_48.ntp_server().0, 0x4A8);
        assert_eq!(PINS_48.button_times(), 0x4E8);
        assert_eq!(INIT_COMMAND.0 + INIT_COMMAND.1, 0xC00);
        assert_eq!(crc_size(3), 2016);
        assert_eq!(crc_size(4), 3584);
    }

    #[test]
    fn every_platform_fits_its_pins_in_the_arrays() {
        for row in PLATFORMS {
            assert!(row.gpio_count <= row.pins.entries, "{:?}", row.family);
            assert_eq!(row.offset % 0x1000, 0);
        }
        assert!(platform(ChipFamily::Bk7231Q).is_none());
    }
}
