//! `--fault KIND:ARGS` values of `bkflash-sim`, turned into the simulator's scripted faults.
//! Triggers count bytes or commands, never time, so a fault hits the same spot with or without `--realtime`.

use core::time::Duration;
use std::prelude::rust_2024::*;

use crate::{ByteFault, CommandKind, CommandMatch, Fault, When};

/// One fault kind: its name, its argument syntax, what it does, and how to build it.
struct FaultKind {
    name: &'static str,
    args: &'static str,
    help: &'static str,
    build: fn(&[&str]) -> Option<Fault>,
}

const SET_BAUD: CommandKind = CommandKind::Short(0x0F);
const WRITE_4K: CommandKind = CommandKind::Long(0x07);

const FAULT_KINDS: &[FaultKind] = &[
    FaultKind {
        name: "host-byte",
        args: "N:drop|corrupt|duplicate",
        help: "the Nth byte from the host is lost, bit-flipped or doubled",
        build: |args| {
            Some(Fault::HostByte {
                nth: number(args.first()?)?,
                fault: byte_fault(args.get(1)?)?,
            })
        },
    },
    FaultKind {
        name: "chip-byte",
        args: "N:drop|corrupt|duplicate",
        help: "the Nth byte from the chip is lost, bit-flipped or doubled",
        build: |args| {
            Some(Fault::ChipByte {
                nth: number(args.first()?)?,
                fault: byte_fault(args.get(1)?)?,
            })
        },
    },
    FaultKind {
        name: "delay-reply",
        args: "NTH:MS",
        help: "the reply to the NTH command comes MS milliseconds late",
        build: |args| {
            Some(Fault::DelayReply {
                command: nth_command(args.first()?)?,
                by: millis(args.get(1)?)?,
            })
        },
    },
    FaultKind {
        name: "stall",
        args: "NTH[:MS]",
        help: "from the NTH command on the chip ignores its input, for MS milliseconds or forever",
        build: |args| {
            let duration = match args.get(1) {
                Some(ms) => Some(millis(ms)?),
                None => None,
            };
            Some(Fault::Stall {
                when: When::Command(nth_command(args.first()?)?),
                duration,
            })
        },
    },
    FaultKind {
        name: "reset-mid-write",
        args: "NTH",
        help: "the chip resets half way through the NTH 4K write",
        build: |args| {
            Some(Fault::ResetMidOp {
                command: CommandMatch::of(WRITE_4K, number(args.first()?)?),
            })
        },
    },
    FaultKind {
        name: "lose-baud-echo",
        args: "",
        help: "the first SetBaudRate switches the chip but its echo never comes",
        build: |args| {
            args.is_empty().then_some(Fault::LoseBaudEcho {
                command: CommandMatch::of(SET_BAUD, 1),
            })
        },
    },
    FaultKind {
        name: "inject",
        args: "NTH:TEXT",
        help: "the chip prints TEXT (boot-log noise) before its reply to the NTH command",
        build: |args| {
            let text = args.get(1..).filter(|rest| !rest.is_empty())?.join(":");
            Some(Fault::Inject {
                when: When::Command(nth_command(args.first()?)?),
                bytes: text.into_bytes(),
            })
        },
    },
];

/// Parse one `--fault` value such as `chip-byte:20000:corrupt`.
pub(crate) fn parse_fault(value: &str) -> Result<Fault, String> {
    let mut parts: Vec<&str> = value.split(':').collect();
    let name = parts.remove(0);
    let kind = FAULT_KINDS
        .iter()
        .find(|kind| kind.name == name)
        .ok_or_else(|| {
            format!(
                "--fault {value:?}: unknown fault kind; known kinds:\n{}",
                fault_help()
            )
        })?;
    (kind.build)(&parts)
        .ok_or_else(|| format!("--fault {value:?}: expected {}:{}", kind.name, kind.args))
}

/// One help line per fault kind, for `--help` and error messages.
pub(crate) fn fault_help() -> String {
    let mut text = String::new();
    for kind in FAULT_KINDS {
        let syntax = if kind.args.is_empty() {
            kind.name.to_string()
        } else {
            format!("{}:{}", kind.name, kind.args)
        };
        text.push_str(&format!("    {syntax:<40} {}\n", kind.help));
    }
    text
}

fn number<T: core::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

fn millis(text: &str) -> Option<Duration> {
    number(text).map(Duration::from_millis)
}

fn nth_command(text: &str) -> Option<CommandMatch> {
    number(text).filter(|&nth| nth > 0).map(CommandMatch::nth)
}

fn byte_fault(text: &str) -> Option<ByteFault> {
    match text {
        "drop" => Some(ByteFault::Drop),
        "corrupt" => Some(ByteFault::Corrupt),
        "duplicate" => Some(ByteFault::Duplicate),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_its_documented_form() {
        let cases = [
            (
                "host-byte:7:drop",
                Fault::HostByte {
                    nth: 7,
                    fault: ByteFault::Drop,
                },
            ),
            (
                "chip-byte:20000:corrupt",
                Fault::ChipByte {
                    nth: 20000,
                    fault: ByteFault::Corrupt,
                },
            ),
            (
                "delay-reply:3:1500",
                Fault::DelayReply {
                    command: CommandMatch::nth(3),
                    by: Duration::from_millis(1500),
                },
            ),
            (
                "stall:5",
                Fault::Stall {
                    when: When::Command(CommandMatch::nth(5)),
                    duration: None,
                },
            ),
            (
                "stall:5:200",
                Fault::Stall {
                    when: When::Command(CommandMatch::nth(5)),
                    duration: Some(Duration::from_millis(200)),
                },
            ),
            (
                "reset-mid-write:2",
                Fault::ResetMidOp {
                    command: CommandMatch::of(WRITE_4K, 2),
                },
            ),
            (
                "lose-baud-echo",
                Fault::LoseBaudEcho {
                    command: CommandMatch::of(SET_BAUD, 1),
                },
            ),
            (
                "inject:1:boot: ok",
                Fault::Inject {
                    when: When::Command(CommandMatch::nth(1)),
                    bytes: b"boot: ok".to_vec(),
                },
            ),
        ];
        for (text, fault) in cases {
            assert_eq!(parse_fault(text).unwrap(), fault, "{text}");
        }
    }

    #[test]
    fn bad_values_say_what_was_expected() {
        assert!(
            parse_fault("chip-byte:x:corrupt")
                .unwrap_err()
                .contains("chip-byte:N:drop|corrupt|duplicate")
        );
        assert!(
            parse_fault("stall:0")
                .unwrap_err()
                .contains("stall:NTH[:MS]")
        );
        assert!(parse_fault("lose-baud-echo:1").is_err());
        assert!(parse_fault("inject:1").is_err());
        assert!(parse_fault("melt").unwrap_err().contains("reset-mid-write"));
    }
}
