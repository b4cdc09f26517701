//! What the chip does with each received byte: the download parser and handlers, the app's listener,
//! legacy streaming of 4K writes, and the faults tied to commands.

use core::time::Duration;

use super::Sim;
use crate::fault::CommandKind;
use crate::handler::{self, Handler, Outcome, u32_at};
use crate::parser::Frame;
use crate::power::ChipMode;

impl Sim {
    fn handler(&self) -> &'static dyn Handler {
        handler::of(self.chip.class)
    }

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
                if self.mode == ChipMode::Download && self.handler().streams_write4k() {
                    self.stream_legacy_write(t, frame.as_ref());
                }
                if let Some(frame) = frame {
                    self.handle_frame(t, frame);
                }
            }
        }
    }

    /// A class that streams 4K writes (legacy) programs their pages as they complete, the handler
    /// reading nothing from its receive ring meanwhile; a scripted mid-op reset cuts after half.
    pub(super) fn stream_legacy_write(&mut self, t: Duration, completed: Option<&Frame>) {
        if completed.is_none() {
            self.change_streamed_address();
        }
        let (pages, addr) = match completed {
            Some(Frame::Long { op, len, payload }) => (
                self.handler().stream_write4k(
                    &mut self.chip,
                    *len,
                    &[&[*op][..], payload].concat(),
                ),
                u32_at(payload, 0),
            ),
            Some(Frame::Short { .. }) => (None, None),
            None => match self.parser.long_in_progress() {
                Some((len, collected)) => (
                    self.handler()
                        .stream_write4k(&mut self.chip, len, collected),
                    u32_at(collected, 1),
                ),
                None => (None, None),
            },
        };
        if let (Some(_), Some(addr)) = (pages, addr) {
            self.note_change(WRITE_4K_OP, addr);
            self.busy_until = self.busy_until.max(t + self.chip.timing.page_program);
        }
        let kind = CommandKind::Long(WRITE_4K_OP);
        if pages == Some(8)
            && self.mode == ChipMode::Download
            && self.faults.would_reset_mid_op(kind)
        {
            self.faults.command(kind);
            self.parser.abandon();
            self.reset_at = Some(t);
        }
    }

    pub(super) fn handle_frame(&mut self, t: Duration, mut frame: Frame) {
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
        if let Frame::Long { op, payload, .. } = &mut frame {
            self.change_address(*op, payload);
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
            && self.handler().cut(&mut self.chip, *op, payload)
        {
            self.note_long_change(*op, payload);
            self.reset_at = Some(t);
            return;
        }
        self.chip.flash.tick(t);
        let Outcome {
            work,
            reply,
            switch_baud,
            reset,
        } = self.handler().dispatch(&mut self.chip, &frame);
        if let Frame::Long { op, payload, .. } = &frame {
            self.note_long_change(*op, payload);
        }
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

    /// A `Fault::FrameAddress` for this erase or write frame: rewrite the address the chip reads.
    fn change_address(&mut self, op: u8, payload: &mut [u8]) {
        let Some(at) = address_offset(op) else {
            return;
        };
        let Some(change) = self.faults.frame_address(CommandKind::Long(op)) else {
            return;
        };
        let Some(field) = payload.get(at..at + 4) else {
            return;
        };
        let next = payload.get(at + 4).copied().unwrap_or(NEXT_FRAME_BYTE);
        let changed = change.apply([field[0], field[1], field[2], field[3]], next);
        payload[at..at + 4].copy_from_slice(&changed);
    }

    /// Legacy 4K writes are programmed while they stream in, so their address fault applies as soon
    /// as the field and the byte after it have arrived.
    fn change_streamed_address(&mut self) {
        let Some((_, collected)) = self.parser.long_in_progress() else {
            return;
        };
        if collected.first() != Some(&WRITE_4K_OP) || collected.len() != 1 + 4 + 1 {
            return;
        }
        let Some(change) = self.faults.frame_address(CommandKind::Long(WRITE_4K_OP)) else {
            return;
        };
        if let Some(collected) = self.parser.long_in_progress_mut() {
            let changed = change.apply(
                [collected[1], collected[2], collected[3], collected[4]],
                collected[5],
            );
            collected[1..5].copy_from_slice(&changed);
        }
    }

    /// Let the flash watch see an erase or write just carried out.
    fn note_long_change(&mut self, op: u8, payload: &[u8]) {
        if let Some(addr) = address_offset(op).and_then(|at| u32_at(payload, at)) {
            self.note_change(op, addr);
        } else if op == ERASE_ALL_OP {
            self.note_change(op, 0);
        }
    }

    fn note_change(&mut self, op: u8, addr: u32) {
        let host_bytes = self.faults.host_bytes();
        if let Some(watch) = self.watch.as_mut() {
            watch.after_change(&self.chip.flash, op, addr, host_bytes);
        }
    }

    /// ROM handler: a partial frame idle too long is dropped with a status-5 reply (docs/protocol.md §1.5).
    pub(super) fn abandon_frame(&mut self, t: Duration) {
        if let Some(bytes) = self.handler().abandoned(&self.parser.abandon()) {
            self.send(t, &bytes);
        }
    }
}

const WRITE_4K_OP: u8 = 0x07;
const ERASE_ALL_OP: u8 = 0x0A;
/// What follows an erase frame's address on the line: the next frame's first byte.
const NEXT_FRAME_BYTE: u8 = 0x01;

/// Where the address sits in the payload (after the op) of an erase or write: after the SPI erase
/// opcode for the sized erase 0x0F, first otherwise.
fn address_offset(op: u8) -> Option<usize> {
    match op {
        0x06 | WRITE_4K_OP | 0x0B => Some(0),
        0x0F => Some(1),
        _ => None,
    }
}
