//! The words for progress events, one catalogue for the page, the CLI and the reports: every
//! `Stage`, `LineState` and `Direction` in an exhaustive `match`, so a new variant cannot render blank.

use crate::progress::{Direction, LineState, Stage};

impl Stage {
    /// Short label for a progress bar or a log prefix: `link`, `read-back`.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Link => "link",
            Stage::Identify => "identify",
            Stage::BaudSwitch => "baud",
            Stage::Unprotect => "unprotect",
            Stage::ReadBack => "read-back",
            Stage::Compare => "compare",
            Stage::Erase => "erase",
            Stage::Write => "write",
            Stage::Verify => "verify",
            Stage::Read => "read",
            Stage::Reboot => "reboot",
        }
    }

    /// What the flasher is doing, as a sentence head: "Linking to the bootloader".
    pub fn doing(self) -> &'static str {
        match self {
            Stage::Link => "Linking to the bootloader",
            Stage::Identify => "Identifying the chip",
            Stage::BaudSwitch => "Switching baud rate",
            Stage::Unprotect => "Unprotecting the flash",
            Stage::ReadBack => "Reading partly covered sectors",
            Stage::Compare => "Comparing with the chip (skipping sectors that match)",
            Stage::Erase => "Erasing",
            Stage::Write => "Writing",
            Stage::Verify => "Verifying",
            Stage::Read => "Reading",
            Stage::Reboot => "Rebooting",
        }
    }
}

impl LineState {
    /// Short words for a log line: `silent`, `linked`.
    pub fn label(self) -> &'static str {
        match self {
            LineState::Silent => "silent",
            LineState::Text => "text (a firmware runs)",
            LineState::Echo => "our own bytes echoed",
            LineState::Garbage => "unreadable bytes",
            LineState::Linked => "linked",
        }
    }

    /// What the line shows while linking and what to do about it (docs/protocol.md §1.1 pins).
    pub fn advice(self) -> &'static str {
        match self {
            LineState::Silent => {
                "Nothing comes back yet. Check that adapter TX goes to chip RX1 (P10), adapter RX to TX1 (P11), GND is shared and the chip has 3.3 V."
            }
            LineState::Text => {
                "The chip is running its firmware (text on the line). bkflash asks it to reboot (ADR / \"reboot\"); if nothing changes, bridge CEN to GND briefly."
            }
            LineState::Echo => {
                "Our own bytes come back: TX and RX are joined. Cross them: adapter TX to RX1 (P10), adapter RX to TX1 (P11)."
            }
            LineState::Garbage => {
                "Unreadable bytes: noise or a wrong baud. Check the GND wire and use a 3.3 V adapter."
            }
            LineState::Linked => "The chip answered.",
        }
    }
}

impl Direction {
    /// The mark before a frame in a protocol log: `→` sent, `←` received, `✕` discarded.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Sent => "→",
            Direction::Received => "←",
            Direction::Discarded => "✕",
        }
    }

    /// The same marks in ASCII, for terminals and log files that may not show the arrows.
    pub fn ascii_arrow(self) -> &'static str {
        match self {
            Direction::Sent => "->",
            Direction::Received => "<-",
            Direction::Discarded => "x-",
        }
    }
}
