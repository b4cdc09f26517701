//! Progress as one event enum sent to one sink: stages, byte counts, retries, line diagnosis and
//! the frames sent and received (for the page's protocol log).

use alloc::format;
use alloc::string::String;

use crate::error::ErrorKind;
use crate::protocol::Opcode;

/// The phases of a job, in the order they usually happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Link,
    Identify,
    BaudSwitch,
    Unprotect,
    /// Reading sectors that a write only partly covers (read-modify-write).
    ReadBack,
    /// Asking the chip for CRCs of sectors to skip those that already match.
    Compare,
    Erase,
    Write,
    Verify,
    Read,
    Reboot,
}

/// What the line shows while linking, for live wiring diagnosis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineState {
    /// Nothing at all comes back.
    Silent,
    /// Readable text: a bootloader or app log, so RX works and the chip runs.
    Text,
    /// Our own LinkCheck bytes come back: TX and RX are joined.
    Echo,
    /// Bytes that are neither text nor frames: wrong baud or noise.
    Garbage,
    /// The chip answered.
    Linked,
}

/// Which bytes a protocol-log line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
    /// A reply that did not belong to the command in flight, or noise, and was dropped.
    Discarded,
}

/// Everything a flasher reports while it works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    Stage(Stage),
    /// Bytes done of the current stage.
    Bytes {
        done: u64,
        total: u64,
    },
    Retry {
        command: Opcode,
        address: Option<u32>,
        attempt: u32,
        kind: ErrorKind,
    },
    Line(LineState),
    Frame {
        direction: Direction,
        bytes: &'a [u8],
    },
    /// A sentence for the user ("reset the chip now", "baud switch failed, staying at 115200").
    Note(&'a str),
}

/// The log line for an `Event::Retry`, as the page's log and the hardware report show it.
pub fn retry_line(command: Opcode, address: Option<u32>, attempt: u32, kind: ErrorKind) -> String {
    let at = address
        .map(|a| format!(" at 0x{a:06X}"))
        .unwrap_or_default();
    format!("retry {attempt} of {command}{at}: {}", kind.info().cause)
}

/// Receives the events of one job.
pub trait ProgressSink {
    fn event(&mut self, event: Event<'_>);
}

/// A sink that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn event(&mut self, _event: Event<'_>) {}
}
