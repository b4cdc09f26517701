//! What the chip does with each received byte: the download parser and handlers, the app's listener,
//! legacy streaming of 4K writes, and the faults tied to commands.

use core::time::Duration;

use super::Sim;
use crate::chip::Outcome;
use crate::config::ChipClass;
use crate::fault::CommandKind;
use crate::parser::Frame;
use crate::power::ChipMode;
use crate::{legacy, rom};

impl Sim {
    pub(super) fn process_input(&mut self, t: Duration) {
        let Some((arrival, byte, baud)) = self.to_chip.pop() else {
            return;
        };
        self.now = t;
        // A byte that arrived while the chip was busy was sampled at the baud of its arrival time.
        let (switched_at, baud_before) = self.baud_switched;
        let uart_baud = if arrival < switched_at {
            baud_before
        } else {
            self.chip_baud
        };
        let byte = if baud == uart_baud {
            byte
        } else {
            crate::wire::garble(byte)
        };
        if self.stalled_until.is_some() {
            return;
        }
        let handler_runs = matches!(self.mode, ChipMode::Window | ChipMode::Download);
        if let Some(ring) = self.ring.as_mut().filter(|_| handler_runs)
            && !ring.admit(arrival, t)
        {
            return;
        }
        match self.mode {
            ChipMode::Reset | ChipMode::Booting => {}
            ChipMode::App => {
                if self.app.push(byte) {
                    self.reset_at = Some(t);
                }
            }
            ChipMode::Window | ChipMode::Download => {
                self.last_rx = t;
                let frame = self.parser.push(byte);
                if self.chip.class == ChipClass::Legacy && self.mode == ChipMode::Download {
                    self.stream_legacy_write(t, frame.as_ref());
                }
                if let Some(frame) = frame {
                    self.handle_frame(t, frame);
                }
            }
        }
    }

    /// Legacy class: program 4K-write pages as they complete, the handler reading nothing from its
    /// receive ring meanwhile; a scripted mid-op reset cuts after half.
    pub(super) fn stream_legacy_write(&mut self, t: Duration, completed: Option<&Frame>) {
        let pages = match completed {
            Some(Frame::Long { op, len, payload }) => {
                legacy::stream_write4k(&mut self.chip, *len, &[&[*op][..], payload].concat())
            }
            Some(Frame::Short { .. }) => None,
            None => match self.parser.long_in_progress() {
                Some((len, collected)) => legacy::stream_write4k(&mut self.chip, len, collected),
                None => None,
            },
        };
        if pages.is_some() {
            self.busy_until = self.busy_until.max(t + self.chip.timing.page_program);
        }
        let kind = CommandKind::Long(0x07);
        if pages == Some(8)
            && self.mode == ChipMode::Download
            && self.faults.would_reset_mid_op(kind)
        {
            self.faults.command(kind);
            self.parser.abandon();
            self.reset_at = Some(t);
        }
    }

    pub(super) fn handle_frame(&mut self, t: Duration, frame: Frame) {
        let kind = match &frame {
            Frame::Short { code, .. } => CommandKind::Short(*code),
            Frame::Long { op, .. } => CommandKind::Long(*op),
        };
        if self.mode == ChipMode::Window {
            if kind != CommandKind::Short(0x00) {
                return;
            }
            self.mode = ChipMode::Download;
            self.mode_until = None;
        }
        let faults = self.faults.command(kind);
        if faults.unplug {
            self.unplug(t);
        }
        if let Some(duration) = faults.stall {
            self.stalled_until = Some(duration.map(|d| t + d));
            return;
        }
        if let (true, Frame::Long { op, payload, .. }) = (faults.reset_mid_op, &frame)
            && self.chip.cut(*op, payload)
        {
            self.reset_at = Some(t);
            return;
        }
        let Outcome {
            work,
            reply,
            switch_baud,
            reset,
        } = self.chip.dispatch(&frame);
        if let Some(baud) = switch_baud {
            self.baud_switched = (t, self.chip_baud);
            self.chip_baud = baud;
        }
        let start = t + work + faults.delay;
        self.send(start, &faults.inject);
        let lost = faults.lose_baud_echo && switch_baud.is_some();
        match reply {
            Some(bytes) if !lost => self.send(start, &bytes),
            _ => self.busy_until = self.busy_until.max(start),
        }
        if reset {
            self.reset_at = Some(start);
        }
    }

    /// ROM handler: a partial frame idle too long is dropped with a status-5 reply (protocol.md §1.5).
    pub(super) fn abandon_frame(&mut self, t: Duration) {
        if let Some(bytes) = rom::payload_lack_reply(&self.parser.abandon()) {
            self.send(t, &bytes);
        }
    }
}
