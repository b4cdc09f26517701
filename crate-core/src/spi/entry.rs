//! Getting a BK72xx into SPI flashing mode (docs/spi-unbrick.md §3): the documented variants as data,
//! tried in turn, each a reset (CEN adapter) or a countdown (manual) while "0xD2 burst, then ID probe"
//! repeats; the first variant that yields the same plausible JEDEC id twice wins and is reported.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;

use super::SpiFlasher;
use super::info::EntryMethod;
use super::nor::RDID;
pub use super::variants::{ENTRY_VARIANTS, EntryVariant, clock_text};
use crate::error::{Error, ErrorKind};
use crate::flash::size_from_capacity;
use crate::flasher::transport_error;
use crate::progress::{Event, LineState, ProgressSink};
use crate::transport::Transport;

/// The handshake byte the BK's download port waits for (§1, §3.1).
pub const HANDSHAKE: u8 = 0xD2;

/// Smallest and largest flash a BK72xx board carries (§3.2).
const PLAUSIBLE_SIZES: core::ops::RangeInclusive<u32> = 0x4_0000..=0x100_0000;

/// An id a flash part could give: not idle levels, not the 0xD2 window echo, a sane capacity.
pub fn plausible(id: [u8; 3]) -> bool {
    !matches!(id[0], 0x00 | 0xFF | HANDSHAKE)
        && size_from_capacity(id[2]).is_some_and(|size| PLAUSIBLE_SIZES.contains(&size))
}

/// After a reset the chip is given this long (bursts and probes) before the next variant (§3.3 step 5).
const PROBE_AFTER_RESET: Duration = Duration::from_millis(500);
/// Manual countdown notes come this often.
const COUNTDOWN_STEP: Duration = Duration::from_secs(5);

impl<P: Transport, C: Transport> SpiFlasher<P, C> {
    /// Probe first (a previous session may have left the chip in SPI mode), then reset and handshake.
    pub(super) async fn enter(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(EntryMethod, [u8; 3]), Error> {
        let first = self.options.variants[0];
        if self
            .serprog
            .set_clock(first.clock_hz, sink)
            .await?
            .is_none()
        {
            sink.event(Event::Note(
                "The programmer cannot set the SPI clock (or its answer cannot be trusted): it runs its own default, which may be too fast for the chip",
            ));
        }
        if let Some(id) = self.probe(sink).await? {
            return Ok((EntryMethod::AlreadyInSpiMode, id));
        }
        if self.cen.is_some() {
            self.enter_with_cen(sink).await
        } else {
            self.enter_manually(sink).await
        }
    }

    async fn enter_with_cen(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(EntryMethod, [u8; 3]), Error> {
        let mut resets = 0;
        for _ in 0..self.options.cen_rounds {
            for variant in self.options.variants {
                self.check_cancel()?;
                resets += 1;
                let text = alloc::format!("Entering SPI mode: {}", variant.describe(true));
                sink.event(Event::Note(&text));
                self.serprog.set_clock(variant.clock_hz, sink).await?;
                self.pulse_cen(variant.cen_low).await?;
                let until = self.serprog.now() + PROBE_AFTER_RESET;
                if let Some(id) = self.handshake_until(variant, until, sink).await? {
                    return Ok((EntryMethod::CenAdapter { variant, resets }, id));
                }
            }
        }
        Err(self.entry_failed(alloc::format!("{resets} CEN resets, every variant tried")))
    }

    async fn enter_manually(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(EntryMethod, [u8; 3]), Error> {
        let mut distinct: Vec<&'static EntryVariant> = Vec::new();
        for variant in self.options.variants {
            let same = |v: &&EntryVariant| {
                (v.handshake_bytes, v.clock_hz) == (variant.handshake_bytes, variant.clock_hz)
            };
            if !distinct.iter().any(same) {
                distinct.push(variant);
            }
        }
        sink.event(Event::Note(
            "Reset the chip now: connect CEN to GND for a moment, or power-cycle the board",
        ));
        for (k, &variant) in distinct.iter().enumerate() {
            self.serprog.set_clock(variant.clock_hz, sink).await?;
            let deadline = self.serprog.now() + self.options.manual_window;
            loop {
                let left = deadline.saturating_sub(self.serprog.now());
                let text = alloc::format!(
                    "Trying {} ({} of {}): {} s left to reset the chip",
                    variant.describe(false),
                    k + 1,
                    distinct.len(),
                    left.as_secs()
                );
                sink.event(Event::Note(&text));
                let until = (self.serprog.now() + COUNTDOWN_STEP).min(deadline);
                if let Some(id) = self.handshake_until(variant, until, sink).await? {
                    return Ok((EntryMethod::Manual { variant }, id));
                }
                if self.serprog.now() >= deadline {
                    break;
                }
            }
        }
        Err(self.entry_failed(alloc::format!(
            "{} s of manual reset for each of {} variants",
            self.options.manual_window.as_secs(),
            distinct.len()
        )))
    }

    /// Repeat "0xD2 burst, then ID probe" until a plausible id is confirmed or `until`.
    async fn handshake_until(
        &mut self,
        variant: &EntryVariant,
        until: Duration,
        sink: &mut dyn ProgressSink,
    ) -> Result<Option<[u8; 3]>, Error> {
        let burst = vec![HANDSHAKE; variant.handshake_bytes];
        loop {
            self.check_cancel()?;
            self.serprog
                .spi_op(&burst, 0, "O_SPIOP D2 burst (SPI-mode entry)", sink)
                .await?;
            if let Some(id) = self.probe(sink).await? {
                return Ok(Some(id));
            }
            if self.serprog.now() >= until {
                return Ok(None);
            }
        }
    }

    /// Read the JEDEC id; a plausible one must come back the same a second time (a clock too fast for
    /// the chip flips bits). Reports what the line shows.
    async fn probe(&mut self, sink: &mut dyn ProgressSink) -> Result<Option<[u8; 3]>, Error> {
        let id = self.serprog.jedec_id(sink).await?;
        self.last_id = Some(id);
        if id[0] == HANDSHAKE && !self.window_seen {
            self.window_seen = true;
            sink.event(Event::Note(
                "MISO shows 0xD2: the chip's SPI download window is open, so SCK, CS and MISO are wired",
            ));
        }
        if !plausible(id) {
            match id {
                [HANDSHAKE, ..] => {}
                [0, 0, 0] | [0xFF, 0xFF, 0xFF] => sink.event(Event::Line(LineState::Silent)),
                _ => sink.event(Event::Line(LineState::Garbage)),
            }
            return Ok(None);
        }
        if self.serprog.jedec_id(sink).await? != id {
            sink.event(Event::Line(LineState::Garbage));
            return Ok(None);
        }
        sink.event(Event::Line(LineState::Linked));
        Ok(Some(id))
    }

    /// Hold CEN low through the adapter's RTS for `low`, then let go.
    pub(super) async fn pulse_cen(&mut self, low: Duration) -> Result<(), Error> {
        let Some(cen) = self.cen.as_mut() else {
            return Ok(());
        };
        cen.set_signals(false, true)
            .await
            .map_err(transport_error)?;
        self.serprog.sleep(low).await;
        let cen = self.cen.as_mut().expect("checked above");
        cen.set_signals(false, false).await.map_err(transport_error)
    }

    fn entry_failed(&self, tried: String) -> Error {
        let seen = match self.last_id {
            Some(id) => alloc::format!("; last id read: {:02X} {:02X} {:02X}", id[0], id[1], id[2]),
            None => String::new(),
        };
        Error::new(ErrorKind::SpiEntryFailed)
            .operation(RDID.name, None)
            .detail(alloc::format!("{tried}{seen}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_cover_the_disputed_parameters_in_a_sane_order() {
        let first = ENTRY_VARIANTS[0];
        assert_eq!(
            (first.handshake_bytes, first.clock_hz, first.cen_low),
            (250, 1_000_000, Duration::from_millis(100)),
            "the common case comes first"
        );
        for pair in ENTRY_VARIANTS.windows(2) {
            assert!(
                pair[1].clock_hz <= pair[0].clock_hz,
                "the clock only steps down"
            );
        }
        for v in ENTRY_VARIANTS {
            assert!(v.handshake_bytes >= 2 && v.handshake_bytes <= 4096);
            assert!(
                v.cen_low >= Duration::from_millis(100),
                "BK7252 needs at least 100 ms"
            );
            assert!(v.clock_hz <= 1_000_000, "entry at 1 MHz or lower (§3.3)");
            assert!(!v.source.is_empty());
        }
        assert!(ENTRY_VARIANTS.iter().any(|v| v.clock_hz == 30_000));
        assert!(
            ENTRY_VARIANTS
                .iter()
                .any(|v| v.cen_low == Duration::from_secs(1))
        );
        assert!(ENTRY_VARIANTS.iter().any(|v| v.handshake_bytes < 250));
    }

    #[test]
    fn plausible_ids_exclude_idle_lines_and_the_window_echo() {
        assert!(plausible([0x1C, 0x70, 0x15]));
        assert!(plausible([0xEF, 0x40, 0x16]));
        for id in [
            [0, 0, 0],
            [0xFF, 0xFF, 0xFF],
            [0xD2, 0, 0],
            [0xD2, 0xD2, 0xD2],
            [0x1C, 0x70, 0x25],
            [0x1C, 0x70, 0x11],
        ] {
            assert!(!plausible(id), "{id:02X?}");
        }
    }

    #[test]
    fn descriptions_name_count_clock_and_reset() {
        assert_eq!(
            ENTRY_VARIANTS[0].describe(true),
            "250 × 0xD2 at 1 MHz after CEN low 100 ms"
        );
        assert_eq!(ENTRY_VARIANTS[4].describe(false), "64 × 0xD2 at 30 kHz");
        assert_eq!(clock_text(281_250), "281.25 kHz");
        assert_eq!(clock_text(477), "477 Hz");
    }
}
