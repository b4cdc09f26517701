//! Reset wiring and the running application's UART1 listeners: how RTS/DTR reach CEN (protocol.md §3.3),
//! and the byte patterns that make an app reboot (LibreTiny ADR §9 when Serial1 listens, OpenBeken `reboot`).

use crate::config::{AppModel, Wiring};

/// The externally visible state of the chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipMode {
    /// CEN held low: silent, deaf.
    Reset,
    /// Printing its boot log.
    Booting,
    /// Listening for a LinkCheck before it boots the app.
    Window,
    /// In the download handler.
    Download,
    /// Running the application.
    App,
}

/// Whether the lines hold CEN low. `dtr`/`rts` true means asserted (adapter pin low).
pub fn cen_low(wiring: Wiring, dtr: bool, rts: bool) -> bool {
    match wiring {
        Wiring::RtsToCen => rts,
        Wiring::EspAutoReset => rts && !dtr,
        Wiring::None => false,
    }
}

const ADR_PATTERN: &[u8] = &[0x01, 0xE0, 0xFC, 0x01, 0x00];
const OPENBEKEN_PATTERN: &[u8] = b"reboot";

/// Byte-wise matcher of the app's reboot trigger: a mismatching byte resets it and is not re-tested.
#[derive(Clone, Debug)]
pub struct AppListener {
    model: AppModel,
    matched: usize,
}

impl AppListener {
    pub fn new(model: AppModel) -> Self {
        Self { model, matched: 0 }
    }

    /// Feed one byte; true when the app reboots.
    pub fn push(&mut self, byte: u8) -> bool {
        let pattern = match self.model {
            AppModel::Plain | AppModel::LibreTinyWithoutSerial1 => return false,
            AppModel::LibreTinyAdr => ADR_PATTERN,
            AppModel::OpenBeken => OPENBEKEN_PATTERN,
        };
        if self.matched == pattern.len() {
            self.matched = 0;
            return byte == b'\n' || byte == b'\r';
        }
        self.matched = if byte == pattern[self.matched] {
            self.matched + 1
        } else {
            0
        };
        self.model == AppModel::LibreTinyAdr && self.matched == pattern.len() && {
            self.matched = 0;
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adr_matches_link_check_frame() {
        let mut app = AppListener::new(AppModel::LibreTinyAdr);
        assert_eq!(
            ADR_PATTERN
                .iter()
                .map(|&b| app.push(b))
                .filter(|&x| x)
                .count(),
            1
        );
        for quiet in [AppModel::Plain, AppModel::LibreTinyWithoutSerial1] {
            let mut app = AppListener::new(quiet);
            assert!(!ADR_PATTERN.iter().any(|&b| app.push(b)), "{quiet:?}");
        }
    }

    #[test]
    fn openbeken_needs_newline() {
        let mut app = AppListener::new(AppModel::OpenBeken);
        assert!(!b"reboot".iter().any(|&b| app.push(b)));
        assert!(app.push(b'\n'));
        assert!(!b"rebootx".iter().any(|&b| app.push(b)));
    }

    #[test]
    fn esp_circuit_resets_only_with_rts_alone() {
        assert!(cen_low(Wiring::EspAutoReset, false, true));
        assert!(!cen_low(Wiring::EspAutoReset, true, true));
        assert!(cen_low(Wiring::RtsToCen, true, true));
    }
}
