//! The ways to enter SPI mode as data (docs/spi-unbrick.md §3, §10): CEN low time, handshake burst
//! and SPI clock of each variant, in the order tried, and how each reads in a note.

use alloc::string::String;
use core::time::Duration;

/// One way to enter SPI mode. serprog fixes SPI mode 0 (§3.5), so the mode is not a variant here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryVariant {
    /// How long CEN is held low (CEN adapter only; a manual reset takes what the user gives).
    pub cen_low: Duration,
    /// 0xD2 bytes in one CS frame.
    pub handshake_bytes: usize,
    /// SPI clock asked of the programmer.
    pub clock_hz: u32,
    /// Where the numbers come from.
    pub source: &'static str,
}

const fn variant(
    cen_low_ms: u64,
    handshake_bytes: usize,
    clock_hz: u32,
    source: &'static str,
) -> EntryVariant {
    EntryVariant {
        cen_low: Duration::from_millis(cen_low_ms),
        handshake_bytes,
        clock_hz,
        source,
    }
}

/// In the order tried: the common case first, then the slower and shorter forms the tools disagree on
/// (§10 items 2-4). A 64-byte burst fits the ~53 ms window measured on BK7252 even at 30 kHz.
#[rustfmt::skip]
pub static ENTRY_VARIANTS: &[EntryVariant] = &[
    variant(100, 250, 1_000_000, "250 bytes as most tools send; 1 MHz and 100 ms worked on BK7252 (bk7252-cam)"),
    variant(1_000, 250, 1_000_000, "CEN low 1 s as BK7231_SPI_Flasher and hid_download_py"),
    variant(1_000, 64, 250_000, "64 bytes as ltchiptool's FT232 plugin, at the 250 kHz step"),
    variant(1_000, 250, 50_000, "50 kHz as hid_download_py's SPIFlash.md"),
    variant(1_000, 64, 30_000, "a short burst at 30 kHz, inside a 53 ms window"),
    variant(1_000, 250, 30_000, "BK7231_SPI_Flasher on a BK7231T: 250 bytes at 30 kHz"),
];

impl EntryVariant {
    /// "250 × 0xD2 at 1 MHz", with " after CEN low 100 ms" when `with_reset`.
    pub fn describe(&self, with_reset: bool) -> String {
        let mut text = alloc::format!(
            "{} × 0xD2 at {}",
            self.handshake_bytes,
            clock_text(self.clock_hz)
        );
        if with_reset {
            text.push_str(&alloc::format!(
                " after CEN low {} ms",
                self.cen_low.as_millis()
            ));
        }
        text
    }
}

/// "1 MHz", "250 kHz", "281.25 kHz", "477 Hz".
pub fn clock_text(hz: u32) -> String {
    let (value, unit) = match hz {
        1_000_000.. => (f64::from(hz) / 1e6, "MHz"),
        1_000.. => (f64::from(hz) / 1e3, "kHz"),
        _ => (f64::from(hz), "Hz"),
    };
    let text = alloc::format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    alloc::format!("{text} {unit}")
}
