//! Getting the chip's attention: a LinkCheck flood at the peers' cadence, then software kicks and
//! repeated resets, then a manual-reset window that also tries the work rates a chip may have been
//! left at; an observer tells the UI what the line shows meanwhile (docs/protocol.md §3).

use alloc::vec::Vec;
use core::time::Duration;

use super::reset::SOFTWARE_KICKS;
use super::{Flasher, transport_error};
use crate::error::{Error, ErrorKind};
use crate::progress::{Event, LineState, ProgressSink, Stage};
use crate::protocol::{Command, Opcode};
use crate::transport::{BaudChange, Transport, TransportError, TransportErrorKind};

/// Gap between LinkChecks: bk7231tools' measured ~5.8 ms; the download window is a few hundred ms.
const FLOOD_GAP: Duration = Duration::from_micros(5800);
/// First stage: flood without touching the lines (chip already in download mode, or LibreTiny ADR).
const PLAIN_FLOOD: Duration = Duration::from_secs(1);
/// Second stage: flood after the software kicks (a kicked app takes a moment to reboot).
const KICK_FLOOD: Duration = Duration::from_millis(1500);
/// Third stage: the wired reset, repeated, each followed by a flood this long. The first pulse
/// after a replug often never reaches the wire on some adapters (ESPHome's CH340 note, D13).
const WIRED_RESET_TRIES: u32 = 3;
const RESET_FLOOD: Duration = Duration::from_secs(1);
/// In the manual window, a flood this long at each rate a chip left in download mode may listen at.
const WORK_RATE_FLOOD: Duration = Duration::from_millis(150);
/// Software kicks are repeated this often during the manual window.
const KICK_EVERY: Duration = Duration::from_secs(5);
/// The LinkCheck frame, to recognise our own bytes coming back.
const LINK_FRAME: [u8; 5] = [0x01, 0xE0, 0xFC, 0x01, 0x00];

/// Classifies the bytes that are not replies and reports when the picture changes.
struct LineObserver {
    state: Option<LineState>,
    /// Floods at a work rate read the line at the wrong rate for the app: nothing to diagnose.
    quiet: bool,
}

impl LineObserver {
    fn new(quiet: bool) -> Self {
        Self { state: None, quiet }
    }

    fn observe(&mut self, noise: &[u8], sink: &mut dyn ProgressSink) {
        if self.quiet {
            return;
        }
        let state = classify_line(noise);
        if self.state != Some(state) && (state != LineState::Silent || self.state.is_none()) {
            self.state = Some(state);
            sink.event(Event::Line(state));
        }
    }
}

/// What a batch of non-reply bytes says about the wiring.
fn classify_line(noise: &[u8]) -> LineState {
    if noise.is_empty() {
        LineState::Silent
    } else if noise.windows(LINK_FRAME.len()).any(|w| w == LINK_FRAME) {
        LineState::Echo
    } else if noise
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count()
        * 5
        >= noise.len() * 4
    {
        LineState::Text
    } else {
        LineState::Garbage
    }
}

impl<T: Transport> Flasher<T> {
    /// Bring the chip into download mode at `LINK_BAUD` and drain the surplus replies.
    pub(super) async fn link(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        sink.event(Event::Stage(Stage::Link));
        // A port that reopens to change rate is left alone when it is at the link rate already:
        // every open may reset a chip wired to RTS.
        if self.host_baud != Some(super::LINK_BAUD)
            || self.transport.baud_change() == BaudChange::InPlace
        {
            self.set_host_baud(super::LINK_BAUD).await?;
        }
        self.baud = super::LINK_BAUD;
        self.release_lines().await?;
        self.drain().await?;
        let start = self.transport.now();
        let mut observer = LineObserver::new(false);
        if self.flood(start + PLAIN_FLOOD, &mut observer, sink).await? {
            return Ok(());
        }
        // A kicked app reboots at once and its download window lasts a few hundred ms, so the flood
        // must follow the kick directly, before any reset sequence sleeps.
        if self.options.software_kicks {
            self.kick(sink).await?;
            let until = self.transport.now() + KICK_FLOOD;
            if self.flood(until, &mut observer, sink).await? {
                return Ok(());
            }
        }
        for _ in 0..WIRED_RESET_TRIES {
            if !self.wired_reset(sink).await? {
                break;
            }
            let until = self.transport.now() + RESET_FLOOD;
            if self.flood(until, &mut observer, sink).await? {
                return Ok(());
            }
        }
        sink.event(Event::Note(
            "Reset the chip now: connect CEN to GND for a moment, or power-cycle it",
        ));
        let window_end = start + self.options.link_window;
        while self.transport.now() < window_end {
            let until = (self.transport.now() + KICK_EVERY).min(window_end);
            if self.flood(until, &mut observer, sink).await? {
                return Ok(());
            }
            if self.flood_at_work_rates(sink).await? {
                return Ok(());
            }
            // A download window missed once (the chip was busy or the line glitched) comes again
            // with the next reset; the kick goes last so the next flood follows it directly.
            self.wired_reset(sink).await?;
            if self.options.software_kicks {
                self.kick(sink).await?;
            }
        }
        let kind = if observer.state == Some(LineState::Echo) {
            ErrorKind::LineEcho
        } else {
            ErrorKind::NoLink
        };
        let seen = observer.state.unwrap_or(LineState::Silent);
        Err(Error::new(kind)
            .command(Opcode::LinkCheck, None)
            .detail(alloc::format!("line: {}", seen.label())))
    }

    /// A chip left in download mode at a work rate (a crash or Ctrl-C after a switch) answers only
    /// there: flood briefly at each such rate, and stay at the one that answers (D11).
    async fn flood_at_work_rates(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        let mut observer = LineObserver::new(true);
        for rate in self.relink_rates() {
            self.set_host_baud(rate).await?;
            self.baud = rate;
            let until = self.transport.now() + WORK_RATE_FLOOD;
            if self.flood(until, &mut observer, sink).await? {
                sink.event(Event::Note(&alloc::format!(
                    "The chip was still in download mode at {rate} baud"
                )));
                return Ok(true);
            }
        }
        self.baud = super::LINK_BAUD;
        self.set_host_baud(self.baud).await?;
        Ok(false)
    }

    /// Send LinkChecks every `FLOOD_GAP` until one is answered or `until`; true when linked.
    async fn flood(
        &mut self,
        until: Duration,
        observer: &mut LineObserver,
        sink: &mut dyn ProgressSink,
    ) -> Result<bool, Error> {
        let frame = Command::LinkCheck.to_vec();
        let mut noise = Vec::new();
        while self.transport.now() < until {
            self.check_cancel()?;
            let next = self.transport.now() + FLOOD_GAP;
            self.transport
                .write_all(&frame)
                .await
                .map_err(transport_error)?;
            // One reading of the clock per turn: a starved host's clock moves on between two.
            loop {
                let left = next.saturating_sub(self.transport.now());
                if left.is_zero() || self.receive(left).await? == 0 {
                    break;
                }
            }
            let mut linked = false;
            while let Some(reply) = self.decoder.next_frame() {
                if reply.is_link_reply() {
                    linked = true;
                    sink.event(Event::Frame {
                        direction: crate::progress::Direction::Received,
                        bytes: &reply.to_bytes(),
                    });
                }
            }
            noise.extend(self.decoder.take_noise());
            if linked {
                if !noise.is_empty() {
                    observer.observe(&noise, sink);
                }
                sink.event(Event::Line(LineState::Linked));
                self.drain().await?;
                return Ok(true);
            }
            if noise.len() >= 64 || self.transport.now() >= until {
                observer.observe(&noise, sink);
                noise.clear();
            }
        }
        Ok(false)
    }

    /// Run the configured RTS/DTR reset sequence; false when the method has none (manual reset).
    async fn wired_reset(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        let steps = self.options.reset.steps();
        if steps.is_empty() {
            return Ok(false);
        }
        sink.event(Event::Note("Resetting the chip through RTS/DTR"));
        for step in steps {
            self.set_lines(step.dtr, step.rts).await?;
            self.transport.sleep(step.hold).await;
        }
        Ok(true)
    }

    /// Ask running firmware to reboot into its download window.
    async fn kick(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        for (name, bytes) in SOFTWARE_KICKS {
            sink.event(Event::Note(&alloc::format!(
                "Asking running firmware to reboot ({name})"
            )));
            self.transport
                .write_all(bytes)
                .await
                .map_err(transport_error)?;
        }
        Ok(())
    }

    /// Idle line state: neither signal asserted, so CEN is not held low. A port without modem lines is fine.
    async fn release_lines(&mut self) -> Result<(), Error> {
        self.set_lines(false, false).await
    }

    async fn set_lines(&mut self, dtr: bool, rts: bool) -> Result<(), Error> {
        match self.transport.set_signals(dtr, rts).await {
            Err(e) if e.kind() != TransportErrorKind::Unsupported => Err(transport_error(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_classification_names_the_wiring_fault() {
        assert_eq!(classify_line(&[]), LineState::Silent);
        assert_eq!(
            classify_line(&[0x01, 0xE0, 0xFC, 0x01, 0x00, 0x01, 0xE0]),
            LineState::Echo
        );
        assert_eq!(
            classify_line(b"BK7231S_1.0.5\r\njump to app\r\n"),
            LineState::Text
        );
        assert_eq!(
            classify_line(&[0x80, 0xF3, 0x00, 0x9A, 0x11]),
            LineState::Garbage
        );
    }
}
