//! Command-line options of the `bkflash-sim` pty server, parsed by hand to keep dependencies small.
//! Every error names the option at fault and says what it accepts.

use core::time::Duration;
use std::path::PathBuf;
use std::prelude::rust_2024::*;

use super::fault_spec::{fault_help, parse_fault};
use crate::{Adapter, AppModel, Fault, PRESETS, SimConfig, Wiring};

/// Which simulated chip to serve: one of `SimConfig`'s named presets (docs/protocol.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChipPreset(pub &'static str);

impl ChipPreset {
    /// ROM-class handler, BK7231N-like ("FULL" in bk7231tools).
    pub const BK7231N: Self = Self("bk7231n");
    /// Legacy flash-bootloader handler, BK7231T-like ("BASIC_TUYA").
    pub const BK7231T: Self = Self("bk7231t");

    pub fn config(self) -> SimConfig {
        SimConfig::preset(self.0).expect("ChipPreset names come from PRESETS")
    }
}

/// The preset names, `a|b|c`, for the usage text and errors.
fn preset_names() -> String {
    PRESETS
        .iter()
        .map(|row| row.name)
        .collect::<Vec<_>>()
        .join("|")
}

/// Everything the server needs to know, straight from the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct ServeOptions {
    pub chip: ChipPreset,
    /// Where the symlink to the pty slave goes; the peer tool opens this path.
    pub link: PathBuf,
    pub flash_size: Option<u32>,
    pub flash_in: Option<PathBuf>,
    pub flash_out: Option<PathBuf>,
    /// Pace output on the wire-time model instead of answering as fast as possible.
    pub realtime: bool,
    /// Stay silent this long before entering download mode (stands for a manual reset).
    pub download_after: Option<Duration>,
    /// Scripted faults, in the order given.
    pub faults: Vec<Fault>,
    /// How the (imaginary) adapter's RTS reaches CEN: with `RtsToCen` every open of the pty resets
    /// the chip, as the open-time line glitch would.
    pub wiring: Wiring,
    /// The adapter model between the peer and the chip.
    pub adapter: Adapter,
    /// Serve a serprog programmer with the chip on its SPI pins instead of the chip's UART.
    pub serprog: Option<SerprogMode>,
    /// Where the symlink to the second pty, the chip's UART2 log port, goes (none without it).
    pub log_link: Option<PathBuf>,
    /// The firmware the chip runs after a reboot: its boot log and its console.
    pub app: AppModel,
    /// The firmware logs on UART2 without pause.
    pub chatty_log: bool,
}

/// `--serprog NAME` and `--spi-reset-every MS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerprogMode {
    /// Firmware profile (`crate::serprog::FIRMWARES`).
    pub firmware: String,
    /// The user resets the chip this long after the host's first byte and again at this interval until
    /// it is in SPI mode; zero: the chip starts in SPI flashing mode.
    pub reset_every: Duration,
}

/// Manual resets of a served serprog board when `--spi-reset-every` is not given.
pub const DEFAULT_SPI_RESET_EVERY: Duration = Duration::from_millis(1000);

/// One accepted option: its name, the value it takes (if any) and what it does.
struct OptionSpec {
    name: &'static str,
    value: Option<&'static str>,
    help: &'static str,
}

const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "--chip",
        value: Some("NAME"),
        help: "chip to simulate (required; names below)",
    },
    OptionSpec {
        name: "--link",
        value: Some("PATH"),
        help: "symlink to create for the pty the peer opens (required)",
    },
    OptionSpec {
        name: "--flash-size",
        value: Some("BYTES"),
        help: "flash size, decimal or 0x hex (default 2 MiB)",
    },
    OptionSpec {
        name: "--flash-in",
        value: Some("FILE"),
        help: "preload the flash from FILE (default: blank + bootloader)",
    },
    OptionSpec {
        name: "--flash-out",
        value: Some("FILE"),
        help: "write the whole flash to FILE on SIGTERM/SIGINT",
    },
    OptionSpec {
        name: "--realtime",
        value: None,
        help: "pace replies at the wire time of the current baud",
    },
    OptionSpec {
        name: "--download-after",
        value: Some("MS"),
        help: "enter download mode only after MS milliseconds",
    },
    OptionSpec {
        name: "--wiring",
        value: Some("none|rts-cen"),
        help: "rts-cen: every open of the pty resets the chip (default none)",
    },
    OptionSpec {
        name: "--adapter",
        value: Some("ideal|bridge|ch340[:SEED]"),
        help: "adapter model: no-backpressure bridge, or CH340 losing bytes at 2 Mbaud",
    },
    OptionSpec {
        name: "--fault",
        value: Some("KIND:ARGS"),
        help: "script a fault (repeatable; kinds below)",
    },
    OptionSpec {
        name: "--log-link",
        value: Some("PATH"),
        help: "also serve UART2, the log port, on a second pty linked here",
    },
    OptionSpec {
        name: "--app",
        value: Some("plain|libretiny|openbeken"),
        help: "firmware after a reboot: its UART2 boot log and console (default plain)",
    },
    OptionSpec {
        name: "--chatty-log",
        value: None,
        help: "the firmware logs on UART2 back to back, without pause",
    },
    OptionSpec {
        name: "--serprog",
        value: Some("FIRMWARE"),
        help: "serve a serprog programmer with the chip on its SPI pins (pico-serprog, ...)",
    },
    OptionSpec {
        name: "--spi-reset-every",
        value: Some("MS"),
        help: "serprog: reset by hand MS after the first byte, then every MS (0: start in SPI mode)",
    },
    OptionSpec {
        name: "--help",
        value: None,
        help: "print this help",
    },
];

/// What the command line asked for: serve, or just print the help.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Boxed: the options are large next to `Help`.
    Serve(Box<ServeOptions>),
    Help,
}

/// The usage text, generated from the option table.
pub fn usage() -> String {
    let mut text = String::from("usage: bkflash-sim --chip NAME --link PATH [options]\n\n");
    for spec in OPTIONS {
        let left = match spec.value {
            Some(value) => format!("{} {}", spec.name, value),
            None => spec.name.to_string(),
        };
        text.push_str(&format!("  {left:<34} {}\n", spec.help));
    }
    text.push_str(&format!(
        "\nChips: {} (bk7231m: all-zero eFuse key; bk7238: Puya part whose two-byte status write\n\
         locks, 30 ms tW; bk7252: 4 MiB, blank app area; dead-flash: JEDEC 00 00 00, reads zero;\n\
         bk7236: chip id 0x7236 at 0x44010004)\n",
        preset_names()
    ));
    text.push_str(
        "\nFault kinds (NTH counts commands the chip dispatches, N counts bytes; both from 1):\n",
    );
    text.push_str(&fault_help());
    text.push_str("Without --realtime the chip's waits in download mode are skipped: give delay-reply and timed\n");
    text.push_str("stalls --realtime when they should hit the host's timeouts.\n");
    text
}

/// Parse the arguments after the program name.
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut chip = None;
    let mut link = None;
    let mut flash_size = None;
    let mut flash_in = None;
    let mut flash_out = None;
    let mut realtime = false;
    let mut download_after = None;
    let mut faults = Vec::new();
    let mut wiring = Wiring::None;
    let mut adapter = Adapter::default();
    let mut serprog = None;
    let mut spi_reset_every = None;
    let mut log_link = None;
    let mut app = AppModel::Plain;
    let mut chatty_log = false;

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (arg.clone(), None),
        };
        let spec = OPTIONS
            .iter()
            .find(|spec| spec.name == name)
            .ok_or_else(|| format!("unknown option {arg:?}; run with --help for the list"))?;
        let value = match (spec.value, inline_value) {
            (Some(_), Some(value)) => value,
            (Some(kind), None) => args
                .next()
                .ok_or_else(|| format!("{name} needs a value ({kind})"))?,
            (None, Some(_)) => return Err(format!("{name} takes no value")),
            (None, None) => String::new(),
        };
        match spec.name {
            "--chip" => chip = Some(parse_chip(&value)?),
            "--link" => link = Some(PathBuf::from(value)),
            "--flash-size" => flash_size = Some(parse_flash_size(&value)?),
            "--flash-in" => flash_in = Some(PathBuf::from(value)),
            "--flash-out" => flash_out = Some(PathBuf::from(value)),
            "--realtime" => realtime = true,
            "--download-after" => download_after = Some(parse_millis(&value)?),
            "--fault" => faults.push(parse_fault(&value)?),
            "--wiring" => wiring = parse_wiring(&value)?,
            "--adapter" => adapter = parse_adapter(&value)?,
            "--serprog" => serprog = Some(value),
            "--spi-reset-every" => {
                spi_reset_every = Some(parse_millis_of("--spi-reset-every", &value)?)
            }
            "--log-link" => log_link = Some(PathBuf::from(value)),
            "--app" => app = parse_app(&value)?,
            "--chatty-log" => chatty_log = true,
            _ => return Ok(Command::Help),
        }
    }
    if log_link.is_some() && serprog.is_some() {
        return Err(String::from(
            "--log-link serves the chip's UART2, which a --serprog board does not run; drop one of them",
        ));
    }
    if spi_reset_every.is_some() && serprog.is_none() {
        return Err(String::from(
            "--spi-reset-every only applies with --serprog FIRMWARE",
        ));
    }
    let serprog = serprog.map(|firmware| SerprogMode {
        firmware,
        reset_every: spi_reset_every.unwrap_or(DEFAULT_SPI_RESET_EVERY),
    });
    Ok(Command::Serve(Box::new(ServeOptions {
        chip: chip.ok_or_else(|| format!("--chip is required ({})", preset_names()))?,
        link: link.ok_or("--link is required (the path the peer tool will open)")?,
        flash_size,
        flash_in,
        flash_out,
        realtime,
        download_after,
        faults,
        wiring,
        adapter,
        serprog,
        log_link,
        app,
        chatty_log,
    })))
}

fn parse_app(value: &str) -> Result<AppModel, String> {
    match value.to_ascii_lowercase().as_str() {
        "plain" => Ok(AppModel::Plain),
        "libretiny" => Ok(AppModel::LibreTinyAdr),
        "openbeken" => Ok(AppModel::OpenBeken),
        _ => Err(format!(
            "--app {value:?}: expected plain, libretiny or openbeken"
        )),
    }
}

fn parse_wiring(value: &str) -> Result<Wiring, String> {
    match value {
        "none" => Ok(Wiring::None),
        "rts-cen" => Ok(Wiring::RtsToCen),
        _ => Err(format!("--wiring {value:?}: expected none or rts-cen")),
    }
}

fn parse_adapter(value: &str) -> Result<Adapter, String> {
    let (name, seed) = value.split_once(':').unwrap_or((value, "1"));
    let seed: u64 = seed
        .parse()
        .map_err(|_| format!("--adapter {value:?}: the seed after ch340: is a whole number"))?;
    match name {
        "ideal" => Ok(Adapter::default()),
        "bridge" => Ok(Adapter::bridge_without_backpressure()),
        "ch340" => Ok(Adapter::ch340(seed)),
        _ => Err(format!(
            "--adapter {value:?}: expected ideal, bridge or ch340[:SEED]"
        )),
    }
}

fn parse_chip(value: &str) -> Result<ChipPreset, String> {
    PRESETS
        .iter()
        .find(|row| row.name.eq_ignore_ascii_case(value))
        .map(|row| ChipPreset(row.name))
        .ok_or_else(|| format!("--chip {value:?}: expected one of {}", preset_names()))
}

fn parse_flash_size(value: &str) -> Result<u32, String> {
    let parsed = match value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => value.parse(),
    };
    let size = parsed
        .map_err(|_| format!("--flash-size {value:?}: expected a byte count such as 0x200000"))?;
    if !size.is_power_of_two() || !(0x1_0000..=0x100_0000).contains(&size) {
        return Err(format!(
            "--flash-size {value:?}: expected a power of two from 64 KiB to 16 MiB"
        ));
    }
    Ok(size)
}

fn parse_millis(value: &str) -> Result<Duration, String> {
    parse_millis_of("--download-after", value)
}

fn parse_millis_of(option: &str, value: &str) -> Result<Duration, String> {
    value
        .parse()
        .map(Duration::from_millis)
        .map_err(|_| format!("{option} {value:?}: expected whole milliseconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn full_command_line_is_understood() {
        let command = parse(args(
            "--chip BK7231T --link /tmp/p --flash-size=0x400000 --flash-in a.bin --flash-out b.bin --realtime \
             --download-after 250 --fault lose-baud-echo --fault stall:3 --wiring rts-cen \
             --adapter ch340:9 --log-link /tmp/l \
             --app openbeken --chatty-log",
        ))
        .unwrap();
        assert_eq!(
            command,
            Command::Serve(Box::new(ServeOptions {
                chip: ChipPreset::BK7231T,
                link: PathBuf::from("/tmp/p"),
                flash_size: Some(0x40_0000),
                flash_in: Some(PathBuf::from("a.bin")),
                flash_out: Some(PathBuf::from("b.bin")),
                realtime: true,
                download_after: Some(Duration::from_millis(250)),
                faults: vec![
                    parse_fault("lose-baud-echo").unwrap(),
                    parse_fault("stall:3").unwrap()
                ],
                wiring: Wiring::RtsToCen,
                adapter: Adapter::ch340(9),
                serprog: None,
                log_link: Some(PathBuf::from("/tmp/l")),
                app: AppModel::OpenBeken,
                chatty_log: true,
            }))
        );
    }

    #[test]
    fn serprog_mode_takes_a_firmware_and_a_reset_interval() {
        let served = |line: &str| match parse(args(line)) {
            Ok(Command::Serve(options)) => options,
            other => core::panic!("{line:?} gave {other:?}"),
        };
        let options = served("--chip bk7231t --link p --serprog pico-serprog");
        assert_eq!(
            options.serprog,
            Some(SerprogMode {
                firmware: String::from("pico-serprog"),
                reset_every: DEFAULT_SPI_RESET_EVERY,
            })
        );
        let options =
            served("--chip bk7231t --link p --serprog stm32-vserprog --spi-reset-every 0");
        assert_eq!(options.serprog.unwrap().reset_every, Duration::ZERO);
        let error = parse(args("--chip bk7231t --link p --spi-reset-every 5")).unwrap_err();
        assert!(error.contains("--serprog"), "{error}");
    }

    #[test]
    fn errors_name_the_bad_option() {
        let cases = [
            ("--chip bk7231q --link p", "--chip"),
            (
                "--chip bk7258 --link p",
                "bk7231m|bk7238|bk7252|dead-flash|bk7236",
            ),
            ("--chip bk7231n --link p --flash-size 3000", "--flash-size"),
            (
                "--chip bk7231n --link p --download-after soon",
                "--download-after",
            ),
            ("--chip bk7231n --link", "--link"),
            ("--link p", "--chip"),
            ("--chip bk7231n --link p --turbo", "--turbo"),
            ("--chip bk7231n --link p --realtime=yes", "--realtime"),
            ("--chip bk7231n --link p --fault stall:x", "--fault"),
            ("--chip bk7231n --link p --wiring dtr", "--wiring"),
            ("--chip bk7231n --link p --adapter ftdi", "--adapter"),
            ("--chip bk7231n --link p --adapter ch340:x", "--adapter"),
            (
                "--chip bk7231n --link p --serprog x --spi-reset-every soon",
                "--spi-reset-every",
            ),
            ("--chip bk7231n --link p --app tasmota", "--app"),
        ];
        for (line, option) in cases {
            let error = parse(args(line)).unwrap_err();
            assert!(error.contains(option), "{line:?} gave {error:?}");
        }
    }

    #[test]
    fn help_wins_and_lists_every_option() {
        assert_eq!(parse(args("--help")).unwrap(), Command::Help);
        let text = usage();
        for spec in OPTIONS {
            assert!(text.contains(spec.name));
        }
        for row in PRESETS {
            assert!(text.contains(row.name), "{}", row.name);
        }
    }

    #[test]
    fn every_preset_is_offered_by_name() {
        for row in PRESETS {
            let name = row.name;
            let command = parse(args(&format!("--chip {} --link p", name.to_uppercase()))).unwrap();
            assert!(
                matches!(&command, Command::Serve(options)
                    if options.chip == ChipPreset(name)
                        && options.chip.config().chip_id == (row.build)().chip_id),
                "{name}: {command:?}"
            );
        }
    }
}
