//! The guided flow's plain words: what the line shows during the reset, speeds and times, and
//! friendly names for the virtual chips (ux review §3.3); sizes come from the page's `words.rs`.

use bkflash_core::progress::LineState;

use crate::device::VirtualChip;
use crate::words::{seconds_left, size_words};

/// The one instruction while linking, keyed to what the line shows (docs/protocol.md §3).
pub fn reset_instruction(line: Option<LineState>) -> &'static str {
    match line {
        None | Some(LineState::Silent) => {
            "Touch CEN to GND for about one second, then let go. Or unplug the chip's power and plug it back in."
        }
        Some(LineState::Echo) => {
            "TX and RX are joined. Swap them: adapter TX to RX1 (P10), adapter RX to TX1 (P11)."
        }
        Some(LineState::Text) => "The chip is running its firmware; asking it to restart…",
        Some(LineState::Garbage) => {
            "Garbled bytes: check GND and that the adapter is set to 3.3 V, then reset the chip."
        }
        Some(LineState::Linked) => "The chip answered.",
    }
}

/// What the line showed, for the "Didn't catch it" list.
pub fn missed_reasons(line: Option<LineState>) -> &'static [&'static str] {
    match line {
        None | Some(LineState::Silent) | Some(LineState::Linked) => &[
            "Nothing came back at all: usually TX and RX swapped, GND not shared, or no power on the chip.",
            "Check adapter TX goes to RX1 (P10) and adapter RX to TX1 (P11).",
            "Reset the chip during the countdown: touch CEN to GND for a second.",
        ],
        Some(LineState::Echo) => &[
            "The adapter heard its own bytes: TX and RX are joined somewhere.",
            "Swap the wires: adapter TX to RX1 (P10), adapter RX to TX1 (P11).",
        ],
        Some(LineState::Text) => &[
            "The chip is running its firmware and did not restart into download mode.",
            "Reset it during the countdown: touch CEN to GND for a second, or power it off and on.",
        ],
        Some(LineState::Garbage) => &[
            "Only garbled bytes came back: check GND is shared and the adapter is at 3.3 V.",
            "Short wires help; then reset the chip during the countdown.",
        ],
    }
}

/// The line state in a few words, for the "What the line shows" badge.
pub fn line_badge(line: Option<LineState>) -> &'static str {
    match line {
        None => "waiting",
        Some(LineState::Silent) => "nothing yet",
        Some(LineState::Text) => "firmware text",
        Some(LineState::Echo) => "our own bytes",
        Some(LineState::Garbage) => "noise",
        Some(LineState::Linked) => "answered",
    }
}

/// "0:31" for 31 500 ms.
pub fn clock_words(ms: f64) -> String {
    let seconds = (ms / 1000.0).max(0.0) as u64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// "45 kB/s · about 12 s left" after `done` of `total` bytes in `elapsed_ms`; empty before a byte.
pub fn rate_words(done: u64, total: u64, elapsed_ms: f64) -> String {
    let Some(left) = seconds_left(done, total, elapsed_ms) else {
        return String::new();
    };
    let per_second = (done as f64 * 1000.0 / elapsed_ms.max(1.0)) as u64;
    format!("{}/s · about {left} s left", size_words(per_second.max(1)))
}

/// A virtual chip as a first-timer knows it: its own label, which already says bulb or plug (the
/// Tuya storage in its flash, device/mod.rs), shortened where it names firmware.
pub fn virtual_name(chip: &VirtualChip) -> &'static str {
    match chip.id {
        "bk7231t-app" => "Plug already running OpenBeken",
        _ => chip.label,
    }
}
