//! The command line of `bkflash` as clap derive types, plus the parsers for addresses and chip names.
//! Everything here is pure: `main` parses, the command modules read these structs.

use std::path::PathBuf;

use bkflash_core::chips::ChipFamily;
use bkflash_core::flasher::{LINK_BAUD, ResetMethod, WorkBaud};
use bkflash_core::monitor::LineEnding;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::exit_code_help;

/// `--baud` when not given: the rate field tools use on the identified chip.
pub const DEFAULT_BAUD: &str = "default";
/// Seconds linking waits by default: enough for a manual reset (ltchiptool's window, docs/protocol.md §3.4).
pub const DEFAULT_LINK_TIMEOUT_S: u64 = 20;
/// The longest `--link-timeout`: an hour is more than any manual reset needs, and a bound keeps the
/// link deadline (now + timeout) from overflowing.
pub const MAX_LINK_TIMEOUT_S: u64 = 3600;

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
    /// Work baud after linking at 115200: `default` (what field tools use on the chip: 921600 on
    /// BK7231T/U and BK7252, 460800 on the others), `auto` (the fastest up to 2000000 that passes a
    /// 4 KiB test read), or a rate. A job that keeps losing bytes steps down to a slower rate.
    /// For `monitor`: the rate the firmware logs at (`default`: 115200).
    #[arg(long, global = true, value_name = "N|default|auto", default_value = DEFAULT_BAUD, value_parser = parse_baud)]
    pub baud: WorkBaud,
    /// The chip you expect (bk7231n, bk7231t, ...): checked against the chip and the file before flashing.
    #[arg(long, global = true, value_name = "NAME", value_parser = parse_chip)]
    pub chip: Option<ChipFamily>,
    /// How the adapter resets the chip (default: a sequence that fits RTS->CEN and the ESP circuit).
    #[arg(long, global = true, value_enum, default_value_t = ResetArg::Auto)]
    pub reset: ResetArg,
    /// Seconds to wait for the chip to answer, including a manual reset.
    #[arg(long, global = true, value_name = "SECS", default_value_t = DEFAULT_LINK_TIMEOUT_S,
          value_parser = clap::value_parser!(u64).range(1..=MAX_LINK_TIMEOUT_S))]
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
    /// The rate a monitor listens at: firmware logs at 115200 unless `--baud` names a rate.
    pub fn monitor_baud(&self) -> Result<u32, String> {
        match self.baud {
            WorkBaud::ChipDefault => Ok(LINK_BAUD),
            WorkBaud::Fixed(rate) => Ok(rate),
            WorkBaud::Fast => Err(String::from(
                "--baud auto picks a flashing rate by a test read; give the rate the firmware logs at, such as --baud 115200",
            )),
        }
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
    /// SPI flashing through a serprog programmer (a Pico with pico-serprog, ...): the way back for a
    /// chip whose bootloader is gone. --port is the programmer.
    Spi(SpiArgs),
    /// Show what is inside a backup: partitions, Tuya config, pins; write an OpenBeken template and ESPHome YAML.
    Analyze(AnalyzeArgs),
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
pub struct SpiArgs {
    #[command(subcommand)]
    pub action: SpiAction,
    /// A second USB-UART adapter whose RTS is wired to the chip's CEN (default: reset the chip by
    /// hand while bkflash counts down; --link-timeout is the countdown per entry variant).
    #[arg(long, global = true, value_name = "PATH")]
    pub cen_port: Option<PathBuf>,
    /// Chip select of a programmer with several (Libreboot's pico-serprog: 0-3); never sent otherwise.
    #[arg(long, global = true, value_name = "N")]
    pub spi_cs: Option<u8>,
}

#[derive(Debug, Subcommand)]
pub enum SpiAction {
    /// Enter SPI flashing mode and show the programmer, the entry variant that worked and the flash;
    /// the chip stays in SPI mode (for flashrom or the next command).
    Info,
    /// Back up the whole flash over SPI (every chunk read twice).
    Read(SpiReadArgs),
    /// Write a whole-flash image, bootloader included: back up, show the plan, ask, write, verify.
    Write(SpiWriteArgs),
    /// Compare a whole-flash image with the chip; exit 4 and the differing sectors if not equal.
    Verify(SpiImageArgs),
}

#[derive(Debug, Args)]
pub struct SpiReadArgs {
    /// Where to save the whole flash.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SpiImageArgs {
    /// An image of the whole flash in raw on-flash form (a full backup, or a donor's).
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct SpiWriteArgs {
    #[command(flatten)]
    pub image: SpiImageArgs,
    /// Folder for the backup taken first (default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub backup_dir: PathBuf,
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
    /// Also write OpenBeken's config partition (Wi-Fi, MQTT, name, template pins) from this JSON file.
    #[arg(long, value_name = "FILE.json")]
    pub obk_config: Option<PathBuf>,
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
pub struct AnalyzeArgs {
    /// A flash dump (full, rotated or storage-only), or a config JSON (bk7231tools storage, raw UPK, Cloudcutter profile).
    pub file: PathBuf,
    /// Write the OpenBeken template (JSON) here.
    #[arg(long, value_name = "FILE")]
    pub openbeken: Option<PathBuf>,
    /// Write the ESPHome YAML (LibreTiny) here.
    #[arg(long, value_name = "FILE")]
    pub esphome: Option<PathBuf>,
    /// Show cloud and Wi-Fi credentials from the storage instead of hiding them.
    #[arg(long)]
    pub show_secrets: bool,
    /// Use OpenBeken's _n roles where Tuya's _lv says a pin is active at the other level.
    #[arg(long)]
    pub honour_levels: bool,
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

/// `--baud`: `default`, `auto` or a rate in baud. 0 is refused rather than read as a hidden "automatic".
pub fn parse_baud(text: &str) -> Result<WorkBaud, String> {
    match text.trim() {
        "default" => Ok(WorkBaud::ChipDefault),
        "auto" => Ok(WorkBaud::Fast),
        rate => match rate.parse::<u32>() {
            Ok(0) => Err(String::from(
                "0 is not a baud rate; give one such as 921600, or default, or auto",
            )),
            Ok(rate) => Ok(WorkBaud::Fixed(rate)),
            Err(_) => Err(format!(
                "'{text}' is not a baud rate; give a rate such as 921600, or default, or auto"
            )),
        },
    }
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
            (cli.global.baud, cli.global.link_timeout, cli.global.reset),
            (WorkBaud::ChipDefault, 20, ResetArg::Auto)
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
        assert_eq!(cli.global.baud, WorkBaud::Fixed(115_200));
        assert_eq!(cli.global.reset.method(), ResetMethod::EspTwoLine);
    }

    #[test]
    fn baud_takes_a_rate_default_or_auto() {
        let baud = |arg: &str| parse(&["info", "--baud", arg]).map(|cli| cli.global.baud);
        assert_eq!(baud("460800").unwrap(), WorkBaud::Fixed(460_800));
        assert_eq!(baud("auto").unwrap(), WorkBaud::Fast);
        assert_eq!(baud("default").unwrap(), WorkBaud::ChipDefault);
        for bad in ["0", "fast", "-1"] {
            assert!(baud(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spi_subcommands_take_the_cen_adapter_and_chip_select_anywhere() {
        let cli = parse(&[
            "spi",
            "--cen-port",
            "/dev/ttyUSB1",
            "info",
            "--port",
            "/dev/ttyACM0",
        ])
        .unwrap();
        let Command::Spi(spi) = cli.command else {
            unreachable!("spi parsed as another command")
        };
        assert!(matches!(spi.action, SpiAction::Info));
        assert_eq!(spi.cen_port, Some(PathBuf::from("/dev/ttyUSB1")));
        assert_eq!(cli.global.port, Some(PathBuf::from("/dev/ttyACM0")));
        let cli = parse(&["spi", "write", "full.bin", "--spi-cs", "1", "--yes"]).unwrap();
        let Command::Spi(spi) = cli.command else {
            unreachable!("spi parsed as another command")
        };
        let SpiAction::Write(write) = spi.action else {
            unreachable!("write parsed as another action")
        };
        assert_eq!(
            (write.image.file, spi.spi_cs),
            (PathBuf::from("full.bin"), Some(1))
        );
        assert!(parse(&["spi", "read"]).is_err(), "read needs -o");
    }

    #[test]
    fn unbounded_link_timeouts_are_refused() {
        let error = parse(&["info", "--link-timeout", &u64::MAX.to_string()])
            .unwrap_err()
            .to_string();
        assert!(error.contains("1..=3600"), "{error}");
        assert!(parse(&["info", "--link-timeout", "0"]).is_err());
        assert_eq!(
            parse(&["info", "--link-timeout", "3600"])
                .unwrap()
                .global
                .link_timeout,
            MAX_LINK_TIMEOUT_S
        );
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
        assert_eq!(cli.global.monitor_baud(), Ok(115_200));
        let Command::Monitor(monitor) = cli.command else {
            panic!("monitor")
        };
        assert_eq!(monitor.line.line_ending, LineEnding::Lf);
        let cli = parse(&["monitor", "--baud", "921600", "--line-ending", "crlf"]).unwrap();
        assert_eq!(cli.global.monitor_baud(), Ok(921_600));
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
