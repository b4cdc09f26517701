//! `bkflash analyze DUMP [--json] [--openbeken FILE] [--esphome FILE]`: what is inside a backup,
//! and the device's OpenBeken template and ESPHome YAML written to files. No chip needed.

use std::path::Path;

use bkflash_core::analyze::openbeken::Levels;
use bkflash_core::analyze::report::{InputKind, Report};
use bkflash_core::analyze::{Options, analyze};

use super::analyze_text;
use crate::args::{AnalyzeArgs, Global};
use crate::exit::Exit;
use crate::failure::Failure;

const JOB: &str = "analyze";

pub fn run(global: &Global, args: &AnalyzeArgs) -> Result<(), Failure> {
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| {
        Failure::plain(
            Exit::Failed,
            format!("bkflash {JOB}: cannot read {name}: {e}; check the path and permissions"),
        )
    })?;
    let options = Options {
        reveal_secrets: args.show_secrets,
        levels: if args.honour_levels {
            Levels::Honour
        } else {
            Levels::AsOpenBekenTools
        },
    };
    let report = analyze(&bytes, &options);
    if global.json {
        let text = serde_json::to_string_pretty(&report).expect("the report serialises");
        println!("{text}");
    } else {
        analyze_text::print(&name, &report);
    }
    if let Some(path) = &args.openbeken {
        write_openbeken(&report, path)?;
    }
    if let Some(path) = &args.esphome {
        write_esphome(&report, path)?;
    }
    match report.input {
        InputKind::Unrecognised => Err(Failure::plain(
            Exit::Refused,
            format!(
                "bkflash {JOB}: {name} is neither a flash image, a Tuya storage nor a device configuration bkflash recognises"
            ),
        )),
        _ => Ok(()),
    }
}

fn save(path: &Path, what: &str, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| {
        Failure::plain(
            Exit::Failed,
            format!(
                "bkflash {JOB}: cannot write the {what} to {}: {e}",
                path.display()
            ),
        )
    })?;
    eprintln!("{what} written to {}", path.display());
    Ok(())
}

fn write_openbeken(report: &Report, path: &Path) -> Result<(), Failure> {
    let template = report.openbeken.as_ref().ok_or_else(|| {
        Failure::plain(
            Exit::Failed,
            format!("bkflash {JOB}: no OpenBeken template: the backup holds no device configuration; {} was not written", path.display()),
        )
    })?;
    let text = serde_json::to_string_pretty(&template.json).expect("the template serialises");
    save(path, "OpenBeken template", &format!("{text}\n"))
}

fn write_esphome(report: &Report, path: &Path) -> Result<(), Failure> {
    let esphome = report.esphome.as_ref();
    match esphome.and_then(|e| e.yaml.as_deref()) {
        Some(yaml) => save(path, "ESPHome YAML", yaml),
        None => Err(Failure::plain(
            Exit::Failed,
            format!(
                "bkflash {JOB}: no ESPHome YAML: {}; {} was not written",
                esphome
                    .and_then(|e| e.error.as_deref())
                    .unwrap_or("the backup holds no device configuration"),
                path.display()
            ),
        )),
    }
}
