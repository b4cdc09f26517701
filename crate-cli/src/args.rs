//! The command line of `bkflash` as clap derive types, plus the parsers for addresses and chip names.
//! Everything here is pure: `main` parses, the command modules read these structs.

use std::path::PathBuf;

use bkflash_core::chips::ChipFamily;
use bkflash_core::flasher::{LINK_BAUD, ResetMethod};
use bkflash_core::monitor::LineEnding;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::exit_code_help;

/// Work baud when `--baud` is not given; the core falls back to 115200 if the switch fails.
pub const DEFAULT_BAUD: u32 = 921_600;
/// Seconds linking waits by default: enough for a manual reset (ltchiptool's window, protocol.md §3.4).
pub const DEFAULT_LINK_TIMEOUT_S: u64 = 20;

#[derive(Debug, Parser)]
#[command(
    name = "bkflash",
    version,
    about = "Flash, read, erase and verify Beken BK72xx chips over a serial adapter."
)]
#[command(after_help = exit_code_help())]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts, before or after its name.
#[derive(Debug, Args)]
pub struct Global {
    /// Serial port (default: the only /dev/ttyUSB* or /dev/ttyACM* present).
    #[arg(long, global = true, value_name = "PATH")]
    pub port: Option<PathBuf>,
    /// Work baud after linking at 115200 (default 921600); falls back to 115200 when the switch
    /// fails. For `monitor`: the rate the firmware logs at (default 115200).
    #[arg(long, global = true, value_name = "N")]
    pub baud: Option<u32>,
    /// The chip you expect (bk7231n, bk7231t, ...): checked against the chip and the file before flashing.
    #[arg(long, global = true, value_name = "NAME", value_parser = parse_chip)]
    pub chip: Option<ChipFamily>,
    /// How the adapter resets the chip (default: a sequence that fits RTS->CEN and the ESP circuit).
    #[arg(long, global = true, value_enum, default_value_t = ResetArg::Auto)]
    pub reset: ResetArg,
    /// Seconds to wait for the chip to answer, including a manual reset.
    #[arg(long, global = true, value_name = "SECS", default_value_t = DEFAULT_LINK_TIMEOUT_S)]
    pub link_timeout: u64,
    /// Print one JSON object on stdout (info, inspect).
    #[arg(long, global = true)]
    pub json: bool,
    /// Do not ask for confirmation before erasing or writing.
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Log every protocol frame to stderr.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Save a hardware report (for an issue) to FILE when the command ends.
    #[arg(long, global = true, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

impl Global {
    /// The work baud of flashing jobs.
    pub fn work_baud(&self) -> u32 {
        self.baud.unwrap_or(DEFAULT_BAUD)
    }

    /// The rate a monitor listens at: firmware logs at 115200 unless told otherwise.
    pub fn monitor_baud(&self) -> u32 {
        self.baud.unwrap_or(LINK_BAUD)
    }
}

/// `--reset`: the reset wiring, mapped onto the core's sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ResetArg {
    /// RTS+DTR, then DTR off, then RTS off (bk7231tools' sequence).
    Auto,
    /// Adapter RTS wired straight to CEN.
    Rts,
    /// ESP-style two-transistor circuit on DTR and RTS.
    DtrRts,
    /// No wiring: reset the chip by hand while bkflash links.
    Manual,
}

static RESET_METHODS: &[(ResetArg, ResetMethod)] = &[
    (ResetArg::Auto, ResetMethod::Auto),
    (ResetArg::Rts, ResetMethod::RtsToCen),
    (ResetArg::DtrRts, ResetMethod::EspTwoLine),
    (ResetArg::Manual, ResetMethod::Manual),
];

impl ResetArg {
    pub fn method(self) -> ResetMethod {
        RESET_METHODS
            .iter()
            .find(|row| row.0 == self)
            .map(|row| row.1)
            .expect("every reset choice has a method")
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Link to the chip and show what it is.
    Info,
    /// Read flash to a file (default: the whole flash).
    Read(ReadArgs),
    /// Back up, then write a firmware file (UF2, Beken image, dump) and verify it.
    Write(WriteArgs),
    /// Erase a range, or everything after the bootloader.
    Erase(EraseArgs),
    /// Compare a firmware file with the chip by CRC.
    Verify(VerifyArgs),
    /// Write a whole-flash backup back (the bootloader is kept) and check it by CRC.
    Restore(RestoreArgs),
    /// Leave download mode and start the firmware.
    Reboot,
    /// Show what a firmware file is and what it would write where (no chip needed).
    Inspect(InspectFileArgs),
    /// Show what the firmware prints, with timestamps, and send typed lines (Ctrl-C ends it).
    Monitor(MonitorArgs),
    /// Link, identify and print a hardware report to paste into an issue.
    Report,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    #[command(flatten)]
    pub line: LineArgs,
}

/// How the monitor sends a typed line.
#[derive(Debug, Args)]
pub struct LineArgs {
    /// What ends a line typed on stdin: lf, crlf, cr or none.
    #[arg(long, value_name = "END", value_parser = parse_line_ending, default_value = "lf")]
    pub line_ending: LineEnding,
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// First address (0x hex or decimal).
    #[arg(long, value_name = "ADDR", value_parser = parse_address, default_value = "0")]
    pub start: u32,
    /// Bytes to read (default: up to the end of the flash).
    #[arg(long, value_name = "LEN", value_parser = parse_address, conflicts_with = "all")]
    pub length: Option<u32>,
    /// Read up to the end of the flash (the default).
    #[arg(long)]
    pub all: bool,
    /// Where to save the bytes.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// A firmware file, or a raw binary at an explicit address.
#[derive(Debug, Args)]
pub struct FileArgs {
    pub file: PathBuf,
    /// Treat FILE as raw bytes for --offset instead of recognising its format (experts).
    #[arg(long, requires = "offset")]
    pub raw: bool,
    /// Flash address of a --raw file.
    #[arg(long, value_name = "ADDR", value_parser = parse_address, requires = "raw")]
    pub offset: Option<u32>,
}

#[derive(Debug, Args)]
pub struct WriteArgs {
    #[command(flatten)]
    pub file: FileArgs,
    /// Skip sectors whose chip CRC already matches (default on).
    #[arg(long, overrides_with = "no_differential")]
    pub differential: bool,
    /// Erase and write every sector the file touches.
    #[arg(long, overrides_with = "differential")]
    pub no_differential: bool,
    /// Do not save the whole flash before writing.
    #[arg(long)]
    pub no_backup: bool,
    /// Folder for the backup file (default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub backup_dir: PathBuf,
    /// Let a --raw write start below 0x11000 (ROM-class chips only; legacy chips are always refused).
    #[arg(long, requires = "raw")]
    pub allow_bootloader: bool,
    /// Start the new firmware after writing.
    #[arg(long)]
    pub reboot: bool,
    /// Start the new firmware, then show what it prints on this port (as `monitor`; Ctrl-C ends it).
    #[arg(long)]
    pub monitor: bool,
    #[command(flatten)]
    pub line: LineArgs,
}

impl WriteArgs {
    pub fn differential(&self) -> bool {
        !self.no_differential
    }
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// First address, a multiple of 0x1000.
    #[arg(long, value_name = "ADDR", value_parser = parse_address, required_unless_present = "all", requires = "length")]
    pub start: Option<u32>,
    /// Bytes to erase, a multiple of 0x1000.
    #[arg(long, value_name = "LEN", value_parser = parse_address, requires = "start")]
    pub length: Option<u32>,
    /// Erase everything after the bootloader (0x11000 to the end).
    #[arg(long, conflicts_with_all = ["start", "length"])]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup made by `bkflash write` or `bkflash read --all` (exactly the flash size).
    pub backup: PathBuf,
    /// Also restore the bootloader region (ROM-class chips only, and only from this chip's own backup).
    #[arg(long)]
    pub allow_bootloader: bool,
    /// Do not save the current flash before restoring.
    #[arg(long)]
    pub no_backup: bool,
    /// Folder for the backup of the current flash (default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub backup_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub file: FileArgs,
}

#[derive(Debug, Args)]
pub struct InspectFileArgs {
    pub file: PathBuf,
}

/// An address or length: `0x` hex, or decimal; `_` separators allowed.
pub fn parse_address(text: &str) -> Result<u32, String> {
    let clean: String = text.trim().chars().filter(|&c| c != '_').collect();
    let parsed = match clean
        .strip_prefix("0x")
        .or_else(|| clean.strip_prefix("0X"))
    {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => clean.parse::<u32>(),
    };
    parsed.map_err(|_| {
        format!("'{text}' is not an address; give 0x hex (0x11000) or decimal, below 4 GiB")
    })
}

pub fn parse_line_ending(name: &str) -> Result<LineEnding, String> {
    LineEnding::from_name(name)
        .ok_or_else(|| format!("unknown line ending '{name}'; use lf, crlf, cr or none"))
}

pub fn parse_chip(name: &str) -> Result<ChipFamily, String> {
    ChipFamily::from_name(name).ok_or_else(|| {
        let known: Vec<String> = bkflash_core::chips::FAMILIES
            .iter()
            .map(|row| row.name.to_ascii_lowercase())
            .collect();
        format!("unknown chip '{name}'; known chips: {}", known.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("bkflash").chain(args.iter().copied()))
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn addresses_accept_hex_and_decimal() {
        assert_eq!(parse_address("0x11000"), Ok(0x11000));
        assert_eq!(parse_address("0X1_0000"), Ok(0x10000));
        assert_eq!(parse_address("4096"), Ok(4096));
        assert!(parse_address("0x1_0000_0000").is_err());
        assert!(
            parse_address("11k")
                .unwrap_err()
                .contains("'11k' is not an address")
        );
        assert!(parse_address("").is_err());
    }

    #[test]
    fn global_options_have_documented_defaults_and_work_after_the_subcommand() {
        let cli = parse(&["info"]).unwrap();
        assert_eq!(
            (
                cli.global.work_baud(),
                cli.global.link_timeout,
                cli.global.reset
            ),
            (921_600, 20, ResetArg::Auto)
        );
        assert!(
            !cli.global.json && !cli.global.yes && !cli.global.verbose && cli.global.port.is_none()
        );
        let cli = parse(&[
            "info", "--json", "--chip", "BK7231T", "--baud", "115200", "--reset", "dtr-rts", "-v",
        ])
        .unwrap();
        assert!(cli.global.json && cli.global.verbose);
        assert_eq!(cli.global.chip, Some(ChipFamily::Bk7231T));
        assert_eq!(cli.global.work_baud(), 115_200);
        assert_eq!(cli.global.reset.method(), ResetMethod::EspTwoLine);
    }

    #[test]
    fn unknown_chip_names_the_known_ones() {
        let error = parse(&["info", "--chip", "esp32"]).unwrap_err().to_string();
        assert!(
            error.contains("unknown chip 'esp32'") && error.contains("bk7231n"),
            "{error}"
        );
    }

    #[test]
    fn read_defaults_to_the_whole_flash_and_refuses_length_with_all() {
        let Command::Read(read) = parse(&["read", "-o", "x.bin"]).unwrap().command else {
            panic!("read")
        };
        assert_eq!((read.start, read.length, read.all), (0, None, false));
        let Command::Read(read) = parse(&[
            "read", "--start", "0x11000", "--length", "0x1000", "-o", "x",
        ])
        .unwrap()
        .command
        else {
            panic!("read")
        };
        assert_eq!((read.start, read.length), (0x11000, Some(0x1000)));
        assert!(parse(&["read", "--length", "1", "--all", "-o", "x"]).is_err());
        assert!(parse(&["read"]).is_err(), "-o is required");
    }

    #[test]
    fn write_is_differential_by_default_and_raw_needs_an_offset() {
        let Command::Write(write) = parse(&["write", "fw.uf2"]).unwrap().command else {
            panic!("write")
        };
        assert!(write.differential() && !write.no_backup && !write.file.raw);
        let Command::Write(write) = parse(&["write", "fw.uf2", "--no-differential"])
            .unwrap()
            .command
        else {
            panic!("write")
        };
        assert!(!write.differential());
        let Command::Write(write) = parse(&["write", "a.bin", "--raw", "--offset", "0x11000"])
            .unwrap()
            .command
        else {
            panic!("write")
        };
        assert_eq!(write.file.offset, Some(0x11000));
        assert!(parse(&["write", "a.bin", "--raw"]).is_err());
        assert!(parse(&["write", "a.bin", "--offset", "0x11000"]).is_err());
        assert!(
            parse(&["write", "fw.uf2", "--allow-bootloader"]).is_err(),
            "only raw writes may override"
        );
    }

    #[test]
    fn erase_needs_a_range_or_all() {
        assert!(parse(&["erase"]).is_err());
        assert!(parse(&["erase", "--start", "0x11000"]).is_err());
        assert!(parse(&["erase", "--all", "--start", "0x11000"]).is_err());
        let Command::Erase(erase) = parse(&["erase", "--all"]).unwrap().command else {
            panic!("erase")
        };
        assert!(erase.all);
        let Command::Erase(erase) = parse(&["erase", "--start", "0x20000", "--length", "0x10000"])
            .unwrap()
            .command
        else {
            panic!("erase")
        };
        assert_eq!((erase.start, erase.length), (Some(0x20000), Some(0x10000)));
    }

    #[test]
    fn monitor_listens_at_115200_unless_told_and_takes_a_line_ending() {
        let cli = parse(&["monitor"]).unwrap();
        assert_eq!(cli.global.monitor_baud(), 115_200);
        let Command::Monitor(monitor) = cli.command else {
            panic!("monitor")
        };
        assert_eq!(monitor.line.line_ending, LineEnding::Lf);
        let cli = parse(&["monitor", "--baud", "921600", "--line-ending", "crlf"]).unwrap();
        assert_eq!(cli.global.monitor_baud(), 921_600);
        let Command::Monitor(monitor) = cli.command else {
            panic!("monitor")
        };
        assert_eq!(monitor.line.line_ending, LineEnding::CrLf);
        assert!(parse(&["monitor", "--line-ending", "lfcr"]).is_err());
        let Command::Write(write) = parse(&["write", "fw.uf2", "--monitor", "--report", "r.txt"])
            .unwrap()
            .command
        else {
            panic!("write")
        };
        assert!(write.monitor);
    }

    #[test]
    fn every_reset_choice_maps_to_a_core_method() {
        for choice in ResetArg::value_variants() {
            choice.method();
        }
        assert_eq!(ResetArg::Rts.method(), ResetMethod::RtsToCen);
        assert_eq!(ResetArg::Manual.method(), ResetMethod::Manual);
    }
}
