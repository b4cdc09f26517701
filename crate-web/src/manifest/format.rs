//! The manifest's JSON shape, strict parsing with errors that say what to fix, and picking a build.
//! Pure code: no browser calls, so the rules are the same wherever the manifest comes from.

use std::fmt;

use bkflash_core::chips::{ChipFamily, FAMILIES};
use serde::Deserialize;

/// The only manifest version this page reads.
const SUPPORTED_VERSION: u32 = 1;

/// What kind of file a build is; the page checks the downloaded bytes against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    /// Not JSON, a missing or unknown field, or a value of the wrong type (serde's message).
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    manifest_version: u32,
    name: String,
    version: String,
    builds: Vec<RawBuild>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    chip: String,
    image: ImageKind,
    path: String,
}

impl Manifest {
    /// Parse and check a manifest; every rule of the format in `manifest/mod.rs` is enforced here.
    pub fn parse(json: &str) -> Result<Self, ManifestError> {
        let raw: RawManifest =
            serde_json::from_str(json).map_err(|e| ManifestError::Json(e.to_string()))?;
        if raw.manifest_version != SUPPORTED_VERSION {
            return Err(ManifestError::UnsupportedVersion(raw.manifest_version));
        }
        for (field, value) in [("name", &raw.name), ("version", &raw.version)] {
            if value.trim().is_empty() {
                return Err(ManifestError::EmptyField(field));
            }
        }
        if raw.builds.is_empty() {
            return Err(ManifestError::NoBuilds);
        }
        let mut builds: Vec<Build> = Vec::with_capacity(raw.builds.len());
        for (index, build) in raw.builds.into_iter().enumerate() {
            let chip =
                ChipFamily::from_name(build.chip.trim()).ok_or(ManifestError::UnknownChip {
                    index,
                    chip: build.chip,
                })?;
            if builds.iter().any(|b| b.chip == chip) {
                return Err(ManifestError::DuplicateChip(chip.name()));
            }
            if build.path.trim().is_empty() {
                return Err(ManifestError::EmptyPath { index });
            }
            builds.push(Build {
                chip,
                image: build.image,
                path: build.path,
            });
        }
        Ok(Self {
            name: raw.name,
            version: raw.version,
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
