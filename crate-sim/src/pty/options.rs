//! Command-line options of the `bkflash-sim` pty server, parsed by hand to keep dependencies small.
//! Every error names the option at fault and says what it accepts.

use core::time::Duration;
use std::path::PathBuf;
use std::prelude::rust_2024::*;

use super::fault_spec::{fault_help, parse_fault};
use crate::{AppModel, Fault};

/// Which simulated chip class to serve (protocol.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipPreset {
    /// ROM-class handler, BK7231N-like ("FULL" in bk7231tools).
    Bk7231n,
    /// Legacy flash-bootloader handler, BK7231T-like ("BASIC_TUYA").
    Bk7231t,
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
    /// Where the symlink to the second pty, the chip's UART2 log port, goes (none without it).
    pub log_link: Option<PathBuf>,
    /// The firmware the chip runs after a reboot: its boot log and its console.
    pub app: AppModel,
    /// The firmware logs on UART2 without pause.
    pub chatty_log: bool,
}

/// One accepted option: its name, the value it takes (if any) and what it does.
struct OptionSpec {
    name: &'static str,
    value: Option<&'static str>,
    help: &'static str,
}

const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "--chip",
        value: Some("bk7231n|bk7231t"),
        help: "chip class to simulate (required)",
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
        name: "--help",
        value: None,
        help: "print this help",
    },
];

/// What the command line asked for: serve, or just print the help.
#[derive(Debug, PartialEq)]
pub enum Command {
    Serve(ServeOptions),
    Help,
}

/// The usage text, generated from the option table.
pub fn usage() -> String {
    let mut text =
        String::from("usage: bkflash-sim --chip bk7231n|bk7231t --link PATH [options]\n\n");
    for spec in OPTIONS {
        let left = match spec.value {
            Some(value) => format!("{} {}", spec.name, value),
            None => spec.name.to_string(),
        };
        text.push_str(&format!("  {left:<34} {}\n", spec.help));
    }
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
            "--log-link" => log_link = Some(PathBuf::from(value)),
            "--app" => app = parse_app(&value)?,
            "--chatty-log" => chatty_log = true,
            _ => return Ok(Command::Help),
        }
    }
    Ok(Command::Serve(ServeOptions {
        chip: chip.ok_or("--chip is required (bk7231n or bk7231t)")?,
        link: link.ok_or("--link is required (the path the peer tool will open)")?,
        flash_size,
        flash_in,
        flash_out,
        realtime,
        download_after,
        faults,
        log_link,
        app,
        chatty_log,
    }))
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

fn parse_chip(value: &str) -> Result<ChipPreset, String> {
    match value.to_ascii_lowercase().as_str() {
        "bk7231n" => Ok(ChipPreset::Bk7231n),
        "bk7231t" => Ok(ChipPreset::Bk7231t),
        _ => Err(format!("--chip {value:?}: expected bk7231n or bk7231t")),
    }
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
    value
        .parse()
        .map(Duration::from_millis)
        .map_err(|_| format!("--download-after {value:?}: expected whole milliseconds"))
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
             --download-after 250 --fault lose-baud-echo --fault stall:3 --log-link /tmp/l \
             --app openbeken --chatty-log",
        ))
        .unwrap();
        assert_eq!(
            command,
            Command::Serve(ServeOptions {
                chip: ChipPreset::Bk7231t,
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
                log_link: Some(PathBuf::from("/tmp/l")),
                app: AppModel::OpenBeken,
                chatty_log: true,
            })
        );
    }

    #[test]
    fn errors_name_the_bad_option() {
        let cases = [
            ("--chip bk7231q --link p", "--chip"),
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
    }
}
