//! Ways to get the chip into download mode, as data: modem-line reset sequences (docs/protocol.md §3.3)
//! and the software kicks that make a running firmware reboot (§3.5).

use core::time::Duration;

/// One step of a reset sequence: drive the lines, then hold them for `hold`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResetStep {
    pub dtr: bool,
    pub rts: bool,
    pub hold: Duration,
}

const fn step(dtr: bool, rts: bool, hold_ms: u64) -> ResetStep {
    ResetStep {
        dtr,
        rts,
        hold: Duration::from_millis(hold_ms),
    }
}

/// How the adapter is wired to the chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetMethod {
    /// bk7231tools' sequence: fits both direct RTS->CEN wiring (200 ms low) and the ESP circuit (100 ms).
    Auto,
    /// Adapter RTS straight to CEN (asserting RTS holds the chip in reset).
    RtsToCen,
    /// ESP-style two-transistor circuit: CEN low only while RTS is asserted and DTR is not.
    EspTwoLine,
    /// No reset wiring: the user resets or power-cycles the chip during the window.
    Manual,
}

static AUTO: &[ResetStep] = &[
    step(true, true, 100),
    step(false, true, 100),
    step(false, false, 0),
];
static RTS_TO_CEN: &[ResetStep] = &[step(false, true, 200), step(false, false, 0)];
static ESP_TWO_LINE: &[ResetStep] = &[step(false, true, 100), step(false, false, 0)];

impl ResetMethod {
    /// The line steps; empty for manual reset.
    pub fn steps(self) -> &'static [ResetStep] {
        match self {
            ResetMethod::Auto => AUTO,
            ResetMethod::RtsToCen => RTS_TO_CEN,
            ResetMethod::EspTwoLine => ESP_TWO_LINE,
            ResetMethod::Manual => &[],
        }
    }

    /// The wiring in words, as the hardware report names it.
    pub fn words(self) -> &'static str {
        match self {
            ResetMethod::Auto => "auto (DTR+RTS, then RTS, then released)",
            ResetMethod::RtsToCen => "RTS to CEN",
            ResetMethod::EspTwoLine => "DTR/RTS two-transistor circuit",
            ResetMethod::Manual => "manual (by hand)",
        }
    }
}

/// Bytes that make a running firmware reboot into its download window. The LibreTiny ADR pattern is
/// the LinkCheck frame itself, so the flood covers it and it is not listed.
pub(crate) static SOFTWARE_KICKS: &[(&str, &[u8])] = &[
    ("OpenBeken command line", b"reboot\n"),
    (
        "Beken SDK bkreg",
        &[0x01, 0xE0, 0xFC, 0x05, 0xFE, 0x95, 0x27, 0x95, 0x27],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Command;

    #[test]
    fn every_sequence_ends_with_the_lines_released() {
        for method in [
            ResetMethod::Auto,
            ResetMethod::RtsToCen,
            ResetMethod::EspTwoLine,
        ] {
            let steps = method.steps();
            let last = steps.last().expect("a wired method has steps");
            assert!(!last.dtr && !last.rts, "{method:?} must release CEN");
            let low: Duration = steps
                .iter()
                .filter(|s| s.rts && !s.dtr)
                .map(|s| s.hold)
                .sum();
            assert!(
                low >= Duration::from_millis(100),
                "{method:?}: CEN low long enough on the ESP circuit or direct wiring"
            );
        }
        assert!(ResetMethod::Manual.steps().is_empty());
    }

    #[test]
    fn bkreg_kick_is_the_bkreg_frame() {
        assert_eq!(
            SOFTWARE_KICKS[1].1,
            Command::BkregReboot.to_vec().as_slice()
        );
    }
}
