//! The flash encryption key a ROM-class chip keeps in eFuse bytes 0..15 and what it boots
//! (docs/protocol.md §5.3, docs/formats.md §2.3): all zero is a BK7231M, the Beken/Tuya key a Tuya BK7231N.

use alloc::format;
use alloc::string::String;

use crate::image::beken::AppKey;

/// The Beken/Tuya default key, as the four words eFuse bytes 0..15 hold (little-endian).
pub(crate) const TUYA_DEFAULT_KEY: [u32; 4] = [0x510F_B093, 0xA3CB_EADC, 0x5993_A17E, 0xC7AD_EB03];

/// The key read from a chip's eFuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChipKey {
    pub words: [u32; 4],
}

/// What a key means for the firmware that boots on the chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// All zero: the flash scrambler is off. On chip id 0x7231C this is a BK7231M.
    Zero,
    /// The Beken/Tuya default key.
    TuyaDefault,
    /// Four equal non-zero words: a 4-byte eFuse (BK7238, BK7252N) or a read-protected one.
    Repeating,
    /// A key whose top word turns the scrambler off (the bypass rule of docs/formats.md §2.3).
    Bypass,
    /// A third-party key: only builds made with it boot.
    Custom,
}

impl ChipKey {
    /// The key from eFuse bytes 0..15.
    pub fn from_efuse(bytes: [u8; 16]) -> Self {
        let word = |i: usize| {
            u32::from_le_bytes([
                bytes[i * 4],
                bytes[i * 4 + 1],
                bytes[i * 4 + 2],
                bytes[i * 4 + 3],
            ])
        };
        Self {
            words: [word(0), word(1), word(2), word(3)],
        }
    }

    pub fn kind(&self) -> KeyKind {
        let [c0, _, _, c3] = self.words;
        if self.words == [0; 4] {
            KeyKind::Zero
        } else if self.words == TUYA_DEFAULT_KEY {
            KeyKind::TuyaDefault
        } else if self.words.iter().all(|&w| w == c0) {
            KeyKind::Repeating
        } else if matches!(c3 >> 24, 0x00 | 0xFF) || c3 & 0xF == 0xF {
            KeyKind::Bypass
        } else {
            KeyKind::Custom
        }
    }

    /// The key an app must carry to boot on this chip; `None` when the eFuse cannot tell.
    /// `AppKey::Unknown` stands for "neither known key": a third-party one.
    pub fn required_app_key(&self) -> Option<AppKey> {
        match self.kind() {
            KeyKind::Zero | KeyKind::Bypass => Some(AppKey::Plain),
            KeyKind::TuyaDefault => Some(AppKey::TuyaDefault),
            KeyKind::Custom => Some(AppKey::Unknown),
            KeyKind::Repeating => None,
        }
    }

    /// The key as ltchiptool prints it: `510fb093 a3cbeadc 5993a17e c7adeb03`.
    pub fn hex(&self) -> String {
        let [a, b, c, d] = self.words;
        format!("{a:08x} {b:08x} {c:08x} {d:08x}")
    }

    /// One phrase for the chip card and `bkflash info`.
    pub fn describe(&self) -> String {
        let meaning = match self.kind() {
            KeyKind::Zero => "all zero: boots unencrypted apps only, as on a BK7231M",
            KeyKind::TuyaDefault => {
                "Beken/Tuya default: boots apps encrypted with it (Tuya BK7231T/N builds)"
            }
            KeyKind::Repeating => {
                "four equal words: a short or read-protected eFuse, files cannot be checked against it"
            }
            KeyKind::Bypass => "scrambler off: boots unencrypted apps only",
            KeyKind::Custom => "a third-party key: only builds made with this key boot",
        };
        format!("{} ({meaning})", self.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_classified_as_ltchiptool_and_easy_flasher_do() {
        let mut tuya = [0u8; 16];
        for (i, word) in TUYA_DEFAULT_KEY.iter().enumerate() {
            tuya[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
        }
        let tuya = ChipKey::from_efuse(tuya);
        assert_eq!(tuya.kind(), KeyKind::TuyaDefault);
        assert_eq!(tuya.hex(), "510fb093 a3cbeadc 5993a17e c7adeb03");
        assert_eq!(tuya.required_app_key(), Some(AppKey::TuyaDefault));
        let zero = ChipKey::from_efuse([0; 16]);
        assert_eq!(
            (zero.kind(), zero.required_app_key()),
            (KeyKind::Zero, Some(AppKey::Plain))
        );
        let four_byte = ChipKey {
            words: [0x1234_5678; 4],
        };
        assert_eq!(
            (four_byte.kind(), four_byte.required_app_key()),
            (KeyKind::Repeating, None)
        );
        let bypass = ChipKey {
            words: [1, 2, 3, 0xFF00_0000],
        };
        assert_eq!(bypass.kind(), KeyKind::Bypass);
        let custom = ChipKey {
            words: [1, 2, 3, 0xC7AD_EB02],
        };
        assert_eq!(custom.required_app_key(), Some(AppKey::Unknown));
    }
}
