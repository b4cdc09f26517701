//! `bkflash`: flash, read, erase and verify Beken BK72xx chips from a terminal.
//! The same core as the web page, on native serial ports. For now only `inspect` is wired up.

mod inspect;

use bkflash_core::chips::ChipFamily;
use inspect::InspectArgs;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code for a command line bkflash cannot parse.
const EXIT_USAGE: u8 = 2;

const USAGE: &str = "usage: bkflash inspect FILE [--json] [--chip bk7231t|bk7231n|...]";

fn parse_inspect(args: &[String]) -> Result<InspectArgs, String> {
    let mut file = None;
    let mut json = false;
    let mut chip = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--chip" => {
                let name = rest
                    .next()
                    .ok_or("--chip needs a chip name such as bk7231n")?;
                chip = Some(
                    ChipFamily::from_name(name).ok_or_else(|| format!("unknown chip '{name}'"))?,
                );
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option '{flag}'")),
            path if file.is_none() => file = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument '{extra}'")),
        }
    }
    Ok(InspectArgs {
        file: file.ok_or("missing FILE")?,
        json,
        chip,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "inspect" => match parse_inspect(rest) {
            Ok(inspect_args) => inspect::run(&inspect_args),
            Err(problem) => {
                eprintln!("bkflash inspect: {problem}\n{USAGE}");
                ExitCode::from(EXIT_USAGE)
            }
        },
        _ => {
            eprintln!("bkflash {}\n{USAGE}", env!("CARGO_PKG_VERSION"));
            ExitCode::from(EXIT_USAGE)
        }
    }
}
