//! The manifest's JSON shape, strict parsing with errors that say what to fix, and picking a build.
//! Pure code apart from the JSON parser (`fields.rs`): the rules are the same wherever the manifest comes from.

use std::fmt;

use bkflash_core::chips::{ChipFamily, FAMILIES};

use super::fields::{JsonObject, parse_json};

/// The only manifest version this page reads.
const SUPPORTED_VERSION: u32 = 1;

/// What kind of file a build is; the page checks the downloaded bytes against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// LibreTiny UF2 (partition-relative addresses, family id in every block).
    LibretinyUf2,
    /// OpenBeken `_UA_` file: the application partition only (written after the bootloader).
    OpenbekenUa,
    /// OpenBeken `_QIO_` file: a whole-flash image starting at address 0.
    OpenbekenQio,
}

/// One firmware file for one chip family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    pub chip: ChipFamily,
    pub image: ImageKind,
    /// As written in the manifest; resolve it against the manifest URL before fetching.
    pub path: String,
}

/// A parsed and validated manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    pub builds: Vec<Build>,
}

/// Why a manifest was refused; the text tells the manifest's author what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestError {
    /// Not JSON, a missing or unknown field, or a value of the wrong type (the message names it).
    Json(String),
    UnsupportedVersion(u32),
    EmptyField(&'static str),
    NoBuilds,
    UnknownChip {
        index: usize,
        chip: String,
    },
    DuplicateChip(&'static str),
    EmptyPath {
        index: usize,
    },
}

/// The detected chip has no build in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoBuild {
    pub chip: ChipFamily,
    pub firmware: String,
    pub available: Vec<ChipFamily>,
}

/// How each `ImageKind` is written in a manifest's `image` field.
static IMAGE_NAMES: [(&str, ImageKind); 3] = [
    ("libretiny-uf2", ImageKind::LibretinyUf2),
    ("openbeken-ua", ImageKind::OpenbekenUa),
    ("openbeken-qio", ImageKind::OpenbekenQio),
];

const MANIFEST_FIELDS: [&str; 4] = ["manifest_version", "name", "version", "builds"];
const BUILD_FIELDS: [&str; 3] = ["chip", "image", "path"];

/// The `image` field of `build`.
fn image_kind(build: &JsonObject, at: &str) -> Result<ImageKind, String> {
    let name = build.string("image")?;
    IMAGE_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, kind)| *kind)
        .ok_or_else(|| {
            let known: Vec<String> = IMAGE_NAMES.iter().map(|(n, _)| format!("`{n}`")).collect();
            format!(
                "unknown value `{name}` of `{at}image`, expected one of {}",
                known.join(", ")
            )
        })
}

impl Manifest {
    /// Parse and check a manifest; every rule of the format in `manifest/mod.rs` is enforced here.
    /// The browser's `JSON.parse` reads the text, so the page carries no JSON parser of its own, and
    /// the fields are read by hand (`fields.rs`): serde's error types alone cost the page ~12 KB gzip.
    /// Host builds parse with serde_json instead, for the unit tests.
    pub fn parse(json: &str) -> Result<Self, ManifestError> {
        let top = parse_json(json)
            .and_then(|value| JsonObject::new(value, String::new(), &MANIFEST_FIELDS))
            .map_err(ManifestError::Json)?;
        let manifest_version = top
            .whole_number("manifest_version")
            .map_err(ManifestError::Json)?;
        if manifest_version != SUPPORTED_VERSION {
            return Err(ManifestError::UnsupportedVersion(manifest_version));
        }
        let name = top.string("name").map_err(ManifestError::Json)?;
        let version = top.string("version").map_err(ManifestError::Json)?;
        for (field, value) in [("name", &name), ("version", &version)] {
            if value.trim().is_empty() {
                return Err(ManifestError::EmptyField(field));
            }
        }
        let listed = top.list("builds").map_err(ManifestError::Json)?;
        if listed.is_empty() {
            return Err(ManifestError::NoBuilds);
        }
        let mut builds: Vec<Build> = Vec::with_capacity(listed.len());
        for (index, value) in listed.into_iter().enumerate() {
            let at = format!("builds[{index}].");
            let build =
                JsonObject::new(value, at.clone(), &BUILD_FIELDS).map_err(ManifestError::Json)?;
            let chip_name = build.string("chip").map_err(ManifestError::Json)?;
            let image = image_kind(&build, &at).map_err(ManifestError::Json)?;
            let path = build.string("path").map_err(ManifestError::Json)?;
            let chip =
                ChipFamily::from_name(chip_name.trim()).ok_or(ManifestError::UnknownChip {
                    index,
                    chip: chip_name,
                })?;
            if builds.iter().any(|b| b.chip == chip) {
                return Err(ManifestError::DuplicateChip(chip.name()));
            }
            if path.trim().is_empty() {
                return Err(ManifestError::EmptyPath { index });
            }
            builds.push(Build { chip, image, path });
        }
        Ok(Self {
            name,
            version,
            builds,
        })
    }

    /// The build for the detected chip, or a `NoBuild` that names what the manifest does offer.
    pub fn pick(&self, chip: ChipFamily) -> Result<&Build, NoBuild> {
        self.builds
            .iter()
            .find(|b| b.chip == chip)
            .ok_or_else(|| NoBuild {
                chip,
                firmware: format!("{} {}", self.name, self.version),
                available: self.builds.iter().map(|b| b.chip).collect(),
            })
    }
}

/// The family names accepted in `chip`, from bkflash-core's table.
fn family_names() -> String {
    let names: Vec<&str> = FAMILIES.iter().map(|row| row.name).collect();
    names.join(", ")
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(message) => write!(f, "manifest is not valid: {message}"),
            Self::UnsupportedVersion(v) => write!(
                f,
                "manifest_version {v} is not supported: this page reads version {SUPPORTED_VERSION}; \
                 update the manifest or use a newer bkflash page"
            ),
            Self::EmptyField(field) => write!(f, "manifest field \"{field}\" is empty; fill it in"),
            Self::NoBuilds => write!(f, "manifest lists no builds; add one per chip family"),
            Self::UnknownChip { index, chip } => write!(
                f,
                "builds[{index}].chip \"{chip}\" is not a chip family bkflash knows; use one of {}",
                family_names()
            ),
            Self::DuplicateChip(chip) => {
                write!(
                    f,
                    "manifest lists {chip} twice; keep one build per chip family"
                )
            }
            Self::EmptyPath { index } => {
                write!(
                    f,
                    "builds[{index}].path is empty; give the file's path relative to the manifest"
                )
            }
        }
    }
}

impl std::error::Error for ManifestError {}

impl fmt::Display for NoBuild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let available: Vec<&str> = self.available.iter().map(|c| c.name()).collect();
        write!(
            f,
            "{} has no build for this chip ({}); it has builds for {}. Nothing was written. \
             Choose a file made for {} yourself, or ask the firmware's project for one.",
            self.firmware,
            self.chip.name(),
            available.join(", "),
            self.chip.name()
        )
    }
}

impl std::error::Error for NoBuild {}
