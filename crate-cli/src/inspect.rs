//! `bkflash inspect FILE [--json] [--chip NAME]`: what a firmware file is and what would be written where.
//! Prints a readable summary or one JSON object; exit code 2 when the file is refused, 1 when it cannot be read.

use bkflash_core::chips::ChipFamily;
use bkflash_core::image::{Firmware, Refusal, analyze, check_chip, sha256_hex};
use serde_json::{Map, Value, json};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code for a file bkflash refuses to flash.
pub const EXIT_REFUSED: u8 = 2;
/// Exit code when the file cannot be read.
pub const EXIT_IO: u8 = 1;

/// Parsed arguments of `bkflash inspect`.
#[derive(Clone, Debug)]
pub struct InspectArgs {
    pub file: PathBuf,
    pub json: bool,
    /// The connected (or intended) chip: adds the chip-specific checks.
    pub chip: Option<ChipFamily>,
}

pub fn run(args: &InspectArgs) -> ExitCode {
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!(
                "bkflash inspect: cannot read {}: {err}; check the path and permissions",
                args.file.display()
            );
            return ExitCode::from(EXIT_IO);
        }
    };
    let verdict = analyze(&bytes).and_then(|firmware| match args.chip {
        Some(chip) => check_chip(&firmware, chip).map(|()| firmware),
        None => Ok(firmware),
    });
    match (verdict, args.json) {
        (Ok(firmware), true) => println!("{}", firmware_json(&firmware)),
        (Ok(firmware), false) => print_summary(args, bytes.len(), &firmware),
        (Err(refusal), true) => {
            println!("{}", refusal_json(&refusal));
            return ExitCode::from(EXIT_REFUSED);
        }
        (Err(refusal), false) => {
            eprintln!(
                "bkflash inspect: {} is refused ({}): {}",
                args.file.display(),
                refusal.kind.name(),
                refusal.message
            );
            return ExitCode::from(EXIT_REFUSED);
        }
    }
    ExitCode::SUCCESS
}

fn firmware_json(firmware: &Firmware) -> Value {
    let tags: Map<String, Value> = firmware
        .tags
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    let regions: Vec<Value> = firmware
        .regions
        .iter()
        .map(|region| json!({"offset": region.offset, "length": region.data.len(), "sha256": sha256_hex(&region.data)}))
        .collect();
    json!({
        "kind": firmware.kind.name(),
        "family": firmware.family.map(ChipFamily::name),
        "tags": tags,
        "regions": regions,
        "notes": firmware.notes,
    })
}

fn refusal_json(refusal: &Refusal) -> Value {
    json!({"error": refusal.kind.name(), "message": refusal.message})
}

fn print_summary(args: &InspectArgs, size: usize, firmware: &Firmware) {
    println!(
        "{} ({size} bytes): {}",
        args.file.display(),
        firmware.kind.name()
    );
    if let Some(family) = firmware.family {
        println!("  built for      {}", family.name());
    }
    if let Some(chip) = args.chip {
        println!("  chip check     OK for {}", chip.name());
    }
    for (name, value) in &firmware.tags {
        println!("  {name:<14} {value}");
    }
    println!("  writes:");
    for region in &firmware.regions {
        let end = u64::from(region.offset) + region.data.len() as u64;
        println!(
            "    0x{:06X}..0x{end:06X} {:>9} bytes  sha256 {}",
            region.offset,
            region.data.len(),
            sha256_hex(&region.data)
        );
    }
    for note in &firmware.notes {
        println!("  note: {note}");
    }
}
