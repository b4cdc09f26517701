//! Push decoder for chip replies: feed bytes as they arrive, take frames out (docs/protocol.md §1.6).
//! Resynchronises on boot text, stale replies and fake `04 0E` fragments; trusts a length only after its magic.

use alloc::vec::Vec;

use super::frame::Frame;

const EVENT: u8 = 0x04;
const COMMAND_COMPLETE: u8 = 0x0E;
const LONG_LEN: u8 = 0xFF;
const REPLY_MAGIC: [u8; 3] = [0x01, 0xE0, 0xFC];
const LONG_MARKER: u8 = 0xF4;
/// `04 0E FF 01 E0 FC F4 Nlo Nhi`.
const LONG_HEADER: usize = 9;
/// Dropped bytes kept for line diagnosis; older ones are forgotten.
const NOISE_KEEP: usize = 4096;

/// The rolling receive buffer and its parser state.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Start of unparsed data in `buf` (bytes before it are consumed).
    head: usize,
    noise: Vec<u8>,
}

/// What the parser can say about the bytes at the head of the buffer.
enum Scan {
    /// A complete frame of this many bytes.
    Frame(Frame, usize),
    /// The head may start a frame but more bytes are needed.
    NeedMore,
    /// The head byte cannot start a frame.
    Drop,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append received bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.head > 0 && self.head * 2 >= self.buf.len() {
            self.buf.drain(..self.head);
            self.head = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Take the next complete frame, dropping noise in front of it.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            match self.scan() {
                Scan::Frame(frame, len) => {
                    self.head += len;
                    return Some(frame);
                }
                Scan::NeedMore => return None,
                Scan::Drop => self.drop_head(),
            }
        }
    }

    /// Give up on the frame candidate at the head (after a timeout: its length field was a lie),
    /// so the bytes behind it are scanned again.
    pub fn skip_candidate(&mut self) {
        if self.pending() > 0 {
            self.drop_head();
        }
    }

    /// Bytes received but not yet part of a returned frame or of the noise.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.head
    }

    /// The bytes dropped as noise since the last call.
    pub fn take_noise(&mut self) -> Vec<u8> {
        core::mem::take(&mut self.noise)
    }

    /// Forget everything buffered.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.head = 0;
        self.noise.clear();
    }

    fn drop_head(&mut self) {
        if self.noise.len() < NOISE_KEEP {
            self.noise.push(self.buf[self.head]);
        }
        self.head += 1;
    }

    fn scan(&self) -> Scan {
        let b = &self.buf[self.head..];
        match b.first() {
            None => return Scan::NeedMore,
            Some(&EVENT) => {}
            Some(_) => return Scan::Drop,
        }
        if b.len() < 3 {
            return if b.len() < 2 || b[1] == COMMAND_COMPLETE {
                Scan::NeedMore
            } else {
                Scan::Drop
            };
        }
        if b[1] != COMMAND_COMPLETE {
            return Scan::Drop;
        }
        if b[2] == LONG_LEN {
            Self::scan_long(b)
        } else {
            Self::scan_short(b)
        }
    }

    fn scan_short(b: &[u8]) -> Scan {
        let len = usize::from(b[2]);
        if len < 4 {
            return Scan::Drop;
        }
        if !prefix_agrees(&b[3..], &REPLY_MAGIC) {
            return Scan::Drop;
        }
        if b.len() < 3 + len {
            return Scan::NeedMore;
        }
        Scan::Frame(
            Frame::Short {
                code: b[6],
                body: b[7..3 + len].to_vec(),
            },
            3 + len,
        )
    }

    fn scan_long(b: &[u8]) -> Scan {
        if !prefix_agrees(
            &b[3..],
            &[REPLY_MAGIC[0], REPLY_MAGIC[1], REPLY_MAGIC[2], LONG_MARKER],
        ) {
            return Scan::Drop;
        }
        if b.len() < LONG_HEADER {
            return Scan::NeedMore;
        }
        let n = usize::from(u16::from_le_bytes([b[7], b[8]]));
        if n < 2 {
            return Scan::Drop;
        }
        if b.len() < LONG_HEADER + n {
            return Scan::NeedMore;
        }
        let frame = Frame::Long {
            op: b[9],
            status: b[10],
            body: b[11..LONG_HEADER + n].to_vec(),
        };
        Scan::Frame(frame, LONG_HEADER + n)
    }
}

/// True when the bytes present so far agree with `magic` (a short buffer agrees provisionally).
fn prefix_agrees(have: &[u8], magic: &[u8]) -> bool {
    have.iter().zip(magic).all(|(a, b)| a == b)
}
