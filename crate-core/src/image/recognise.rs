//! Content-based classification of every non-UF2 file (never by extension), docs/formats.md §2 and §3.
//! Accepts Beken app images and QIO/full dumps as regions at 0x11000; refuses side formats with a reason.

use super::beken::{self, ARM_VECTOR, CRC_BLOCK, RBL_TRAILER};
use super::refusal::{Refusal, RefusalKind as K};
use super::{Firmware, Kind};
use crate::chips::{BOOTLOADER_END, ChipFamily};
use crate::plan::Region;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// Fixed byte marks that identify a refused format on their own.
struct Signature {
    marks: &'static [(usize, &'static [u8])],
    kind: K,
    what: &'static str,
}

#[rustfmt::skip]
const SIGNATURES: &[Signature] = &[
    Signature { marks: &[(0, b"\x7fELF")], kind: K::Elf, what: "this is an ELF file (unpackaged build output)" },
    Signature { marks: &[(0, b"\x1f\x8b")], kind: K::Compressed, what: "this file is gzip-compressed" },
    Signature { marks: &[(0, b"PK\x03\x04")], kind: K::Compressed, what: "this file is a ZIP archive" },
    Signature { marks: &[(0, b"\x55\xAA\x55\xAA"), (0x1C, b"\xAA\x55\xAA\x55")], kind: K::TuyaUg, what: "this is a Tuya UG OTA package (for tuya-cloudcutter), not a UART image" },
    Signature { marks: &[(0, b"MMM\0")], kind: K::Diff2yaUg, what: "this is a Tuya T1 (BK7238) diff2ya OTA package, not a UART image" },
];

/// Flash address where the bootloader's own RBL trailer starts in a full image (it ends at 0x11000).
const BOOTLOADER_TRAILER: usize = BOOTLOADER_END as usize - RBL_TRAILER;

/// Where a full image stops being written, by file size: the app partition end of the usual layouts.
/// 2 MiB images stop at 0x132000 like ltchiptool; bigger ones use LibreTiny's BK7252 app end.
const FULL_IMAGE_APP_END: &[(usize, u32)] =
    &[(0x20_0000, 0x13_2000), (usize::MAX, LARGEST_APP_END as u32)];
/// End of the largest app partition of any board (BK7252 with 4 MiB).
const LARGEST_APP_END: usize = 0x1C_B000;

/// Sizes of whole-flash dumps; any other length from flash 0 is a QIO-style image.
const DUMP_SIZES: &[usize] = &[0x20_0000, 0x40_0000];

/// Classify a file that does not start with the UF2 magics.
pub fn recognise(bytes: &[u8]) -> Result<Firmware, Refusal> {
    if let Some(sig) = SIGNATURES.iter().find(|sig| {
        sig.marks
            .iter()
            .all(|(at, mark)| bytes.get(*at..*at + mark.len()) == Some(mark))
    }) {
        return Err(Refusal::new(sig.kind, sig.what));
    }
    if let Some(header) = beken::rbl_header(bytes) {
        return Err(Refusal::new(
            K::BekenOtaRbl,
            format!(
                "this is an over-the-air update (a Beken .rbl package: encryption {}, compression {}); it can't be written over the cable",
                header.encryption, header.compression
            ),
        ));
    }
    let head = bytes.get(..CRC_BLOCK).unwrap_or_default();
    if beken::crc_block_ok(head) {
        return crc_structured(bytes);
    }
    if bytes.starts_with(&ARM_VECTOR) {
        return Err(Refusal::new(
            K::RawApp,
            "this is a plain ARM app binary without CRC blocks",
        ));
    }
    Err(Refusal::new(K::UnknownFormat, unknown_file(bytes.len())))
}

/// What an unknown file is told, its size in whole kB (1000 bytes) as people read it.
fn unknown_file(len: usize) -> String {
    format!(
        "this file isn't a firmware bkflash knows ({} kB)",
        len.div_ceil(1000)
    )
}

/// Files that start with a valid Beken CRC16 block: trailer fragment, full image, app image or bare `.crc`.
fn crc_structured(bytes: &[u8]) -> Result<Firmware, Refusal> {
    if bytes.len() == RBL_TRAILER && beken::rbl_trailer(bytes).is_some() {
        return Err(Refusal::new(
            K::RblhFragment,
            "this is only the 102-byte RBL trailer of an app (.rblh)",
        ));
    }
    let app_at_bootloader_end =
        bytes.get(BOOTLOADER_END as usize..BOOTLOADER_END as usize + CRC_BLOCK);
    let bootloader_trailer = bytes
        .get(BOOTLOADER_TRAILER..BOOTLOADER_END as usize)
        .and_then(beken::rbl_trailer);
    if let (Some(app), Some(_)) = (app_at_bootloader_end, bootloader_trailer)
        && beken::crc_block_ok(app)
    {
        return Ok(full_image(bytes));
    }
    let trailer_at = bytes.len().saturating_sub(RBL_TRAILER);
    match beken::rbl_trailer(&bytes[trailer_at..]) {
        Some(trailer) => app_image(bytes, trailer_at, &trailer.version_text()),
        None if bytes.len().is_multiple_of(CRC_BLOCK)
            && beken::first_bad_crc_block(bytes).is_none() =>
        {
            Err(Refusal::new(
                K::CrcFragment,
                "this is a Beken app with CRC blocks but without its RBL trailer (a .crc file)",
            ))
        }
        None => Err(Refusal::new(K::UnknownFormat, unknown_file(bytes.len()))),
    }
}

fn key_note(app: &[u8]) -> String {
    String::from(beken::app_key(app).note())
}

/// A whole app partition (`_0x011000.rbl`, OpenBeken UA): CRC blocks, 0xFF padding, RBL trailer at the end.
fn app_image(bytes: &[u8], trailer_at: usize, version: &str) -> Result<Firmware, Refusal> {
    let largest_app = LARGEST_APP_END - BOOTLOADER_END as usize;
    if bytes.len() > largest_app {
        return Err(Refusal::new(
            K::BeyondPartition,
            format!(
                "the Beken app image is {} bytes, more than the largest app partition (0x{largest_app:X} bytes on 4 MiB boards)",
                bytes.len()
            ),
        ));
    }
    // A packed app is whole 34-byte CRC blocks; stray bytes before the trailer would go to flash unchecked.
    if !trailer_at.is_multiple_of(CRC_BLOCK) {
        return Err(Refusal::new(
            K::BadCrcBlock,
            format!(
                "the Beken app image has {} bytes before its RBL trailer that do not form a whole 34-byte CRC block",
                trailer_at % CRC_BLOCK
            ),
        ));
    }
    if let Some(bad) = beken::first_bad_crc_block(&bytes[..trailer_at]) {
        return Err(Refusal::new(
            K::BadCrcBlock,
            format!(
                "the Beken app image has a bad CRC16 in the 34-byte block at file offset 0x{:X}",
                bad * CRC_BLOCK
            ),
        ));
    }
    // LibreTiny writes `yy.mm.dd-<mcu>` into the trailer, so its suffix names the chip the app was built for.
    let family = version.rsplit('-').next().and_then(ChipFamily::from_name);
    let mut notes = vec![format!(
        "Beken app partition image with RBL trailer (version '{version}'), written as is at 0x{BOOTLOADER_END:06X}."
    )];
    if let Some(family) = family {
        notes.push(format!(
            "The RBL trailer names {} as the target chip.",
            family.name()
        ));
    }
    notes.push(key_note(bytes));
    Ok(Firmware {
        kind: Kind::BekenAppImage,
        family,
        uf2_family_id: None,
        tags: vec![(String::from("rbl_version"), String::from(version))],
        regions: vec![Region {
            offset: BOOTLOADER_END,
            data: bytes.to_vec(),
        }],
        notes,
    })
}

/// An image of flash from address 0 (OpenBeken QIO or a full dump): keep the bootloader, write the app area.
fn full_image(bytes: &[u8]) -> Firmware {
    let app_end = FULL_IMAGE_APP_END
        .iter()
        .find(|(max_len, _)| bytes.len() <= *max_len)
        .map_or(0, |row| row.1);
    let end = bytes.len().min(app_end as usize);
    let app = &bytes[BOOTLOADER_END as usize..end];
    let kind = if DUMP_SIZES.contains(&bytes.len()) {
        Kind::BekenFullDump
    } else {
        Kind::BekenFlashImage
    };
    let mut notes = vec![format!(
        "The file is an image of flash from address 0; its first 0x{BOOTLOADER_END:X} bytes (the bootloader) are skipped and the chip keeps its own."
    )];
    if end < bytes.len() {
        notes.push(format!(
            "Only flash 0x{BOOTLOADER_END:06X}..0x{end:06X} (the app partition) is written; the file's remaining {} bytes (OTA, config, calibration of the device it came from) are left out.",
            bytes.len() - end
        ));
    }
    notes.push(key_note(app));
    Firmware {
        kind,
        family: None,
        uf2_family_id: None,
        tags: Vec::new(),
        regions: vec![Region {
            offset: BOOTLOADER_END,
            data: app.to_vec(),
        }],
        notes,
    }
}
