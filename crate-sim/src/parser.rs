//! The chip-side receive parser of protocol.md §1.5: a byte-wise state machine, as in both Beken sources.
//! A mismatching byte returns to the start and is not re-checked; a long frame stays open until N bytes came.

use alloc::vec::Vec;

/// A complete host command as the chip received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// `01 E0 FC L C payload`: `code` is C, `payload` the L-1 bytes after it.
    Short { code: u8, payload: Vec<u8> },
    /// `01 E0 FC FF F4 N O payload`: `len` is N (it counts O), `payload` the N-1 bytes after O.
    Long { op: u8, len: u16, payload: Vec<u8> },
}

/// A frame abandoned half way, as the ROM handler's idle timeout sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Partial {
    /// Not even the `01 E0 FC` magic.
    Nothing,
    /// The magic and nothing more.
    Magic,
    /// A short frame: its length byte and the bytes after it so far (code first).
    Short { len: u8, body: Vec<u8> },
    /// A long frame: the bytes after the 16-bit length so far (op first; empty if none came).
    Long { body: Vec<u8> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Start,
    GotMagic1,
    GotMagic2,
    GotMagic3,
    Short { len: u8, body: Vec<u8> },
    LongTag,
    LongLenLo,
    LongLenHi { lo: u8 },
    Long { len: u16, body: Vec<u8> },
}

#[derive(Clone, Debug)]
pub struct RxParser {
    state: State,
}

impl Default for RxParser {
    fn default() -> Self {
        Self::new()
    }
}

impl RxParser {
    pub fn new() -> Self {
        Self {
            state: State::Start,
        }
    }

    /// Feed one received byte; returns the frame it completes, if any.
    pub fn push(&mut self, byte: u8) -> Option<Frame> {
        let state = core::mem::replace(&mut self.state, State::Start);
        self.state = match (state, byte) {
            (State::Start, 0x01) => State::GotMagic1,
            (State::GotMagic1, 0xE0) => State::GotMagic2,
            (State::GotMagic2, 0xFC) => State::GotMagic3,
            (State::GotMagic3, 0x00) => State::Start,
            (State::GotMagic3, 0xFF) => State::LongTag,
            (State::GotMagic3, len) => State::Short {
                len,
                body: Vec::with_capacity(len as usize),
            },
            (State::LongTag, 0xF4) => State::LongLenLo,
            (State::LongLenLo, lo) => State::LongLenHi { lo },
            (State::LongLenHi { lo }, hi) => match u16::from_le_bytes([lo, hi]) {
                0 => State::Start,
                len => State::Long {
                    len,
                    body: Vec::with_capacity(len as usize),
                },
            },
            (State::Short { len, mut body }, b) => {
                body.push(b);
                if body.len() == len as usize {
                    let payload = body.split_off(1);
                    return Some(Frame::Short {
                        code: body[0],
                        payload,
                    });
                }
                State::Short { len, body }
            }
            (State::Long { len, mut body }, b) => {
                body.push(b);
                if body.len() == len as usize {
                    let payload = body.split_off(1);
                    return Some(Frame::Long {
                        op: body[0],
                        len,
                        payload,
                    });
                }
                State::Long { len, body }
            }
            _ => State::Start,
        };
        None
    }

    /// True while a frame has started and not completed.
    pub fn in_frame(&self) -> bool {
        self.state != State::Start
    }

    /// The long frame being collected: its N and the bytes so far (op first).
    pub fn long_in_progress(&self) -> Option<(u16, &[u8])> {
        match &self.state {
            State::Long { len, body } => Some((*len, body)),
            _ => None,
        }
    }

    /// The long frame being collected, to change (a line fault that rewrites its address).
    pub fn long_in_progress_mut(&mut self) -> Option<&mut [u8]> {
        match &mut self.state {
            State::Long { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Drop the frame in progress and say what it was.
    pub fn abandon(&mut self) -> Partial {
        match core::mem::replace(&mut self.state, State::Start) {
            State::Start | State::GotMagic1 | State::GotMagic2 => Partial::Nothing,
            State::GotMagic3 => Partial::Magic,
            State::Short { len, body } => Partial::Short { len, body },
            State::Long { body, .. } => Partial::Long { body },
            State::LongTag | State::LongLenLo | State::LongLenHi { .. } => {
                Partial::Long { body: Vec::new() }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(parser: &mut RxParser, bytes: &[u8]) -> Vec<Frame> {
        bytes.iter().filter_map(|&b| parser.push(b)).collect()
    }

    #[test]
    fn short_and_long_frames() {
        let mut p = RxParser::new();
        let frames = feed(
            &mut p,
            &[
                0x01, 0xE0, 0xFC, 0x01, 0x00, 0x01, 0xE0, 0xFC, 0xFF, 0xF4, 0x02, 0x00, 0x0C, 0x05,
            ],
        );
        assert_eq!(
            frames,
            [
                Frame::Short {
                    code: 0x00,
                    payload: Vec::new()
                },
                Frame::Long {
                    op: 0x0C,
                    len: 2,
                    payload: [0x05].to_vec()
                }
            ]
        );
    }

    #[test]
    fn offending_byte_is_not_rechecked() {
        let mut p = RxParser::new();
        assert!(feed(&mut p, &[0x01, 0x01, 0xE0, 0xFC, 0x01, 0x00]).is_empty());
        assert!(!p.in_frame());
    }

    #[test]
    fn zero_length_and_bad_tag_return_to_start() {
        let mut p = RxParser::new();
        assert!(feed(&mut p, &[0x01, 0xE0, 0xFC, 0x00]).is_empty());
        assert!(!p.in_frame());
        assert!(feed(&mut p, &[0x01, 0xE0, 0xFC, 0xFF, 0xF5]).is_empty());
        assert!(!p.in_frame());
    }
}
