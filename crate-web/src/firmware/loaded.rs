//! A firmware file the user picked, dropped or fetched: analysed once, with an id of its own, and
//! what each kind of file is in the words of docs/formats.md §3.

use std::sync::atomic::{AtomicU64, Ordering};

use bkflash_core::chips::ChipFamily;
use bkflash_core::image::{self, Firmware, Kind};

use crate::manifest::ImageKind;

/// A file the user picked, analysed at once.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    /// Unique per load, so a plan made for one file never runs with another of the same name.
    pub id: u64,
    pub name: String,
    pub size: usize,
    pub analysis: Result<Firmware, String>,
    /// The chip family a manifest build is for: OpenBeken images do not say, so only the manifest
    /// can tell which chip may receive them.
    pub only_for: Option<ChipFamily>,
}

static NEXT_FILE_ID: AtomicU64 = AtomicU64::new(1);

impl LoadedFile {
    pub fn new(name: String, size: usize, analysis: Result<Firmware, String>) -> Self {
        Self {
            id: NEXT_FILE_ID.fetch_add(1, Ordering::Relaxed),
            name,
            size,
            analysis,
            only_for: None,
        }
    }
}

/// Analyse `bytes` as the firmware file `name`.
pub fn load(name: String, bytes: &[u8]) -> LoadedFile {
    LoadedFile::new(
        name,
        bytes.len(),
        image::analyze(bytes).map_err(|r| r.message),
    )
}

/// What each kind of file is, in the words of docs/formats.md §3.
pub fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::LibretinyUf2 => "LibreTiny / ESPHome firmware package (UF2)",
        Kind::BekenAppImage => "Beken app image (written at 0x11000, bootloader kept)",
        Kind::BekenFlashImage => "Flash image from address 0 (OpenBeken QIO)",
        Kind::BekenFullDump => "Full flash dump (a backup)",
    }
}

/// The file kind a manifest image kind must analyse as.
fn promised_kind(image: ImageKind) -> Kind {
    match image {
        ImageKind::LibretinyUf2 => Kind::LibretinyUf2,
        ImageKind::OpenbekenUa => Kind::BekenAppImage,
        ImageKind::OpenbekenQio => Kind::BekenFlashImage,
    }
}

/// The sentence refusing `file` when a manifest promised an `image` of another kind.
pub fn promised_kind_refusal(file: &LoadedFile, image: ImageKind) -> Option<String> {
    let promised = promised_kind(image);
    let firmware = file.analysis.as_ref().ok()?;
    (firmware.kind != promised).then(|| {
        format!(
            "The manifest promises a {} file but {} is a {}; tell the firmware's publisher.",
            kind_words(promised),
            file.name,
            kind_words(firmware.kind)
        )
    })
}
