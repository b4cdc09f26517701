//! Why a file is refused: one kind per distinct case, each with a stable name and the advice users see.
//! The message is one sentence: what is wrong with this file, then what to flash instead.

use alloc::format;
use alloc::string::String;
use core::fmt;

/// Every reason `analyze` or `check_chip` can refuse a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefusalKind {
    EmptyFile,
    TruncatedMidBlock,
    BlockCountMismatch,
    BadMagicStart,
    BadMagicEnd,
    BadFlags,
    BadPayloadSize,
    OutOfOrder,
    WrongFamily,
    UnknownFamily,
    MixedFamily,
    NotLibretinyUf2,
    NoFormat2Tag,
    BadTag,
    BadPartitionTable,
    BadPartInfo,
    UnknownPartition,
    DataBeforePartInfo,
    BinpatchUnsupported,
    BeyondPartition,
    BeyondFlash,
    OverlapsBootloader,
    OverlappingRegions,
    OtaOnly,
    BadCrcBlock,
    CrcFragment,
    RblhFragment,
    BekenOtaRbl,
    TuyaUg,
    Diff2yaUg,
    RawApp,
    Elf,
    Compressed,
    UnknownFormat,
    ChipMismatch,
    KeyMismatch,
}

struct KindInfo {
    kind: RefusalKind,
    name: &'static str,
    advice: &'static str,
}

const DAMAGED: &str =
    "the file is damaged or incomplete, so download or rebuild firmware.uf2 and try again";
const UNPACKAGED: &str = "it must be encrypted and CRC-packed before it can go to flash, so flash firmware.uf2 (or an OpenBeken QIO/UA image) instead";
const OTA: &str = "use it on the device's own web page, or pick the file for the cable: OpenBK…_QIO_….bin (OpenBeken) or firmware.uf2 (ESPHome)";

use RefusalKind as K;

#[rustfmt::skip]
const KINDS: &[KindInfo] = &[
    KindInfo { kind: K::EmptyFile, name: "empty_file", advice: "pick the firmware file again" },
    KindInfo { kind: K::TruncatedMidBlock, name: "truncated_mid_block", advice: DAMAGED },
    KindInfo { kind: K::BlockCountMismatch, name: "block_count_mismatch", advice: DAMAGED },
    KindInfo { kind: K::BadMagicStart, name: "bad_magic_start", advice: DAMAGED },
    KindInfo { kind: K::BadMagicEnd, name: "bad_magic_end", advice: DAMAGED },
    KindInfo { kind: K::BadFlags, name: "bad_flags", advice: "this is not a LibreTiny firmware package, so flash a LibreTiny/ESPHome firmware.uf2 instead" },
    KindInfo { kind: K::BadPayloadSize, name: "bad_payload_size", advice: DAMAGED },
    KindInfo { kind: K::OutOfOrder, name: "out_of_order", advice: DAMAGED },
    KindInfo { kind: K::WrongFamily, name: "wrong_family", advice: "build or download the firmware for your Beken BK72xx chip instead" },
    KindInfo { kind: K::UnknownFamily, name: "unknown_family", advice: "build or download the firmware for your Beken BK72xx chip instead" },
    KindInfo { kind: K::MixedFamily, name: "mixed_family", advice: DAMAGED },
    KindInfo { kind: K::NotLibretinyUf2, name: "not_libretiny_uf2", advice: "it is a UF2 from another ecosystem, so rebuild it with a current LibreTiny or ESPHome" },
    KindInfo { kind: K::NoFormat2Tag, name: "no_format2_tag", advice: "it is a legacy package from ltchiptool older than 4.0, so rebuild it with a current LibreTiny or ESPHome" },
    KindInfo { kind: K::BadTag, name: "bad_tag", advice: DAMAGED },
    KindInfo { kind: K::BadPartitionTable, name: "bad_partition_table", advice: DAMAGED },
    KindInfo { kind: K::BadPartInfo, name: "bad_part_info", advice: DAMAGED },
    KindInfo { kind: K::UnknownPartition, name: "unknown_partition", advice: DAMAGED },
    KindInfo { kind: K::DataBeforePartInfo, name: "data_before_part_info", advice: DAMAGED },
    KindInfo { kind: K::BinpatchUnsupported, name: "binpatch_unsupported", advice: "binary patches are for dual-slot chips, so build the firmware for your Beken BK72xx chip instead" },
    KindInfo { kind: K::BeyondPartition, name: "beyond_partition", advice: DAMAGED },
    KindInfo { kind: K::BeyondFlash, name: "beyond_flash", advice: "the build targets a different board, so rebuild it for your board's flash layout" },
    KindInfo { kind: K::OverlapsBootloader, name: "overlaps_bootloader", advice: "writing there would replace the bootloader and can brick the chip, so use a file that starts at 0x11000" },
    KindInfo { kind: K::OverlappingRegions, name: "overlapping_regions", advice: DAMAGED },
    KindInfo { kind: K::OtaOnly, name: "ota_only", advice: "it cannot be flashed over UART, so upload it through the device's OTA page or use a full firmware.uf2" },
    KindInfo { kind: K::BadCrcBlock, name: "bad_crc_block", advice: "the image is corrupted, so download it again" },
    KindInfo { kind: K::CrcFragment, name: "crc_fragment", advice: "LibreTiny marks this file 'not for flashing', so flash firmware.uf2 or image_<mcu>_app.0x011000.rbl instead" },
    KindInfo { kind: K::RblhFragment, name: "rblh_fragment", advice: "flashing it alone does nothing useful, so flash firmware.uf2 or image_<mcu>_app.0x011000.rbl instead" },
    KindInfo { kind: K::BekenOtaRbl, name: "beken_ota_rbl", advice: OTA },
    KindInfo { kind: K::TuyaUg, name: "tuya_ug", advice: OTA },
    KindInfo { kind: K::Diff2yaUg, name: "diff2ya_ug", advice: OTA },
    KindInfo { kind: K::RawApp, name: "raw_app", advice: UNPACKAGED },
    KindInfo { kind: K::Elf, name: "elf", advice: UNPACKAGED },
    KindInfo { kind: K::Compressed, name: "compressed", advice: "unpack it first and pick the unpacked file" },
    KindInfo { kind: K::UnknownFormat, name: "unknown_format", advice: "firmware for the cable is usually ….uf2 (ESPHome) or OpenBK…_QIO_….bin (OpenBeken)" },
    KindInfo { kind: K::ChipMismatch, name: "chip_mismatch", advice: "it would not start, so get the build made for your chip" },
    KindInfo { kind: K::KeyMismatch, name: "key_mismatch", advice: "an app encrypted for another key does not boot, so flash a build made for this chip's key instead" },
];

impl RefusalKind {
    fn info(self) -> &'static KindInfo {
        KINDS
            .iter()
            .find(|row| row.kind == self)
            .expect("every refusal kind has a row")
    }

    /// Stable snake_case name, used as the JSON `error` field.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Every kind, in table order (for tests and documentation).
    pub fn all() -> impl Iterator<Item = RefusalKind> {
        KINDS.iter().map(|row| row.kind)
    }
}

/// A refused file: the kind (for programs) and one sentence (for people).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub message: String,
}

impl Refusal {
    /// `detail` says what was found, without a final full stop; the kind's advice is appended.
    pub fn new(kind: RefusalKind, detail: impl fmt::Display) -> Self {
        let detail = format!("{detail}");
        let mut chars = detail.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase());
        let message = format!(
            "{}{}; {}.",
            first.map(String::from).unwrap_or_default(),
            chars.as_str(),
            kind.info().advice
        );
        Self { kind, message }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn every_kind_has_one_row_with_a_unique_snake_case_name() {
        let names: Vec<&str> = RefusalKind::all().map(RefusalKind::name).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
            assert!(!names[..i].contains(name), "duplicate name {name}");
        }
        assert_eq!(
            KINDS
                .iter()
                .filter(|row| row.kind == K::ChipMismatch)
                .count(),
            1
        );
    }

    #[test]
    fn message_is_one_sentence() {
        let refusal = Refusal::new(K::BadMagicEnd, "UF2 block 5 has a bad end magic");
        assert!(
            refusal
                .message
                .starts_with("UF2 block 5 has a bad end magic; ")
        );
        assert!(refusal.message.ends_with('.'));
        assert_eq!(refusal.message.matches(". ").count(), 0);
        let lower = Refusal::new(K::EmptyFile, "the file is empty");
        assert_eq!(
            lower.message,
            "The file is empty; pick the firmware file again."
        );
    }
}
