//! The file of `write` and `verify`: a recognised firmware file (analysed, refused with a sentence)
//! or, with `--raw --offset`, plain bytes; checked against the chip before any flash is touched.

use bkflash_core::chips::{BOOTLOADER_END, ChipFamily, ProtocolClass};
use bkflash_core::flasher::ChipInfo;
use bkflash_core::image::{Firmware, analyze, check_chip, check_key};
use bkflash_core::plan::Region;

use crate::args::FileArgs;
use crate::exit::Exit;
use crate::failure::Failure;

/// What a file will write.
#[derive(Debug)]
pub struct LoadedFile {
    pub name: String,
    pub regions: Vec<Region>,
    /// `None` for a raw file.
    pub firmware: Option<Firmware>,
}

impl LoadedFile {
    pub fn total_bytes(&self) -> u64 {
        self.regions.iter().map(|r| r.data.len() as u64).sum()
    }

    /// One line per region, for the summary shown before the plan.
    pub fn describe(&self) -> Vec<String> {
        let kind = self
            .firmware
            .as_ref()
            .map_or("raw bytes", |f| f.kind.words());
        let family = self
            .firmware
            .as_ref()
            .and_then(|f| f.family)
            .map(|f| format!(", built for {}", f.name()))
            .unwrap_or_default();
        let mut lines = vec![format!(
            "{}: {kind}{family}, {} bytes in {} regions",
            self.name,
            self.total_bytes(),
            self.regions.len()
        )];
        for region in &self.regions {
            let end = u64::from(region.offset) + region.data.len() as u64;
            lines.push(format!(
                "  0x{:06X}..0x{end:06X} {:>9} bytes",
                region.offset,
                region.data.len()
            ));
        }
        if let Some(firmware) = &self.firmware {
            lines.extend(firmware.notes.iter().map(|note| format!("  note: {note}")));
        }
        lines
    }

    /// The checks that need a chip family: the file's family, and raw writes into a legacy bootloader.
    pub fn check_family(&self, job: &'static str, family: ChipFamily) -> Result<(), Failure> {
        if let Some(firmware) = &self.firmware {
            check_chip(firmware, family).map_err(|refusal| Failure::Refused {
                job,
                file: self.name.clone(),
                refusal,
            })?;
        }
        self.check_class(job, family.class())
    }

    /// The checks against the connected chip: the app's encryption key against the eFuse key,
    /// then the family (or, when it is unknown, the class).
    pub fn check_connected(&self, job: &'static str, chip: &ChipInfo) -> Result<(), Failure> {
        if let (Some(firmware), Some(key)) = (&self.firmware, &chip.key) {
            check_key(firmware, chip.family, key).map_err(|refusal| Failure::Refused {
                job,
                file: self.name.clone(),
                refusal,
            })?;
        }
        match chip.family {
            Some(family) => self.check_family(job, family),
            None => self.check_class(job, chip.class),
        }
    }

    /// Legacy bootloaders cannot be rewritten over the wire without bricking the chip; refuse
    /// before connecting when the class is already known.
    pub fn check_class(&self, job: &'static str, class: ProtocolClass) -> Result<(), Failure> {
        let below = self
            .regions
            .iter()
            .find(|r| r.offset < BOOTLOADER_END && !r.data.is_empty());
        match (self.firmware.is_none(), class, below) {
            (true, ProtocolClass::Legacy, Some(region)) => Err(Failure::plain(
                Exit::Refused,
                format!(
                    "bkflash {job}: refused to write 0x{:06X}: legacy-class chips (BK7231T/U/Q, BK7252) keep their bootloader below 0x{BOOTLOADER_END:X} and bkflash never writes there; give --offset 0x{BOOTLOADER_END:X} or above",
                    region.offset
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Read and analyse the file (or take it raw at `--offset`).
pub fn load(job: &'static str, args: &FileArgs) -> Result<LoadedFile, Failure> {
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!("bkflash {job}: cannot read {name}: {e}; check the path and permissions"),
        )
    })?;
    if let Some(offset) = args.offset.filter(|_| args.raw) {
        if bytes.is_empty() {
            return Err(Failure::plain(
                Exit::Refused,
                format!("bkflash {job}: {name} is empty; nothing to write"),
            ));
        }
        if u64::from(offset) + bytes.len() as u64 > u64::from(u32::MAX) {
            return Err(Failure::plain(
                Exit::Refused,
                format!("bkflash {job}: {name} at 0x{offset:X} runs past 4 GiB; check --offset"),
            ));
        }
        return Ok(LoadedFile {
            name,
            regions: vec![Region {
                offset,
                data: bytes,
            }],
            firmware: None,
        });
    }
    let firmware = analyze(&bytes).map_err(|refusal| Failure::Refused {
        job,
        file: name.clone(),
        refusal,
    })?;
    Ok(LoadedFile {
        name,
        regions: firmware.regions.clone(),
        firmware: Some(firmware),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn testdata(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata")
            .join(name)
    }

    fn file_args(file: PathBuf, offset: Option<u32>) -> FileArgs {
        FileArgs {
            file,
            raw: offset.is_some(),
            offset,
        }
    }

    #[test]
    fn a_uf2_gives_its_regions_and_a_t_build_is_refused_for_an_n_chip() {
        let loaded = load("write", &file_args(testdata("bk7231t_wb2s.uf2"), None)).unwrap();
        assert!(loaded.regions.iter().all(|r| r.offset >= BOOTLOADER_END));
        assert!(
            loaded.describe()[0].contains("LibreTiny UF2 package, built for BK7231T"),
            "{:?}",
            loaded.describe()
        );
        assert!(loaded.check_family("write", ChipFamily::Bk7231T).is_ok());
        let refused = loaded
            .check_family("write", ChipFamily::Bk7231N)
            .unwrap_err();
        assert_eq!(refused.exit(), Exit::Refused);
        assert!(
            refused.lines()[0].contains("(chip_mismatch)"),
            "{:?}",
            refused.lines()
        );
    }

    #[test]
    fn refused_files_exit_2_with_the_sentence() {
        let failure = load("write", &file_args(testdata("bk7231t_app.ota.rbl"), None)).unwrap_err();
        assert_eq!(failure.exit(), Exit::Refused);
        assert!(
            failure.lines()[0].contains("is refused (beken_ota_rbl)"),
            "{:?}",
            failure.lines()
        );
        let missing = load(
            "verify",
            &file_args(PathBuf::from("/nonexistent.uf2"), None),
        )
        .unwrap_err();
        assert!(missing.lines()[0].contains("cannot read /nonexistent.uf2"));
    }

    #[test]
    fn raw_writes_below_the_bootloader_end_are_refused_on_legacy_chips_only() {
        let raw = load(
            "write",
            &file_args(testdata("bk7231t_app_raw.bin"), Some(0)),
        )
        .unwrap();
        assert_eq!(raw.regions[0].offset, 0);
        let refused = raw.check_family("write", ChipFamily::Bk7231T).unwrap_err();
        assert_eq!(refused.exit(), Exit::Refused);
        assert!(
            refused.lines()[0].contains("never writes there"),
            "{:?}",
            refused.lines()
        );
        assert!(
            raw.check_class("write", ProtocolClass::Rom).is_ok(),
            "the core decides on ROM chips (--allow-bootloader)"
        );
        let high = load(
            "write",
            &file_args(testdata("bk7231t_app_raw.bin"), Some(0x11000)),
        )
        .unwrap();
        assert!(high.check_family("write", ChipFamily::Bk7231T).is_ok());
    }
}
