//! Decoded chip replies and how they are matched against the command in flight (docs/protocol.md §1.3, §1.6).
//! A reply is ours only if its code and every echoed address or parameter agree with what we sent.

use alloc::vec::Vec;

use super::command::{Command, SECTOR_LEN};
use super::status::STATUS_OK;

/// Body of a short reply from a handler that does not know the command (docs/protocol.md §2.1).
pub(crate) const UNKNOWN_COMMAND_BODY: [u8; 1] = [0x07];

/// One reply frame as the decoder found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// `04 0E L 01 E0 FC C body`.
    Short { code: u8, body: Vec<u8> },
    /// `04 0E FF 01 E0 FC F4 Nlo Nhi O S body`.
    Long { op: u8, status: u8, body: Vec<u8> },
}

/// How a frame relates to the command in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// The reply to this command (a long reply may carry a non-zero status).
    Reply,
    /// The handler answered "unknown command" (short body `07`).
    Unsupported,
    /// Someone else's reply (a stale LinkCheck answer, a late duplicate): discard it.
    Foreign,
}

impl Frame {
    /// The frame exactly as it was on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&[0x04, 0x0E]);
        match self {
            Frame::Short { code, body } => {
                out.push((4 + body.len()) as u8);
                out.extend_from_slice(&[0x01, 0xE0, 0xFC, *code]);
                out.extend_from_slice(body);
            }
            Frame::Long { op, status, body } => {
                out.extend_from_slice(&[0xFF, 0x01, 0xE0, 0xFC, 0xF4]);
                out.extend_from_slice(&((2 + body.len()) as u16).to_le_bytes());
                out.extend_from_slice(&[*op, *status]);
                out.extend_from_slice(body);
            }
        }
        out
    }

    /// The reply payload after the code (short) or after op and status (long).
    pub fn body(&self) -> &[u8] {
        match self {
            Frame::Short { body, .. } | Frame::Long { body, .. } => body,
        }
    }

    /// The status byte of a long reply; short replies have none and count as OK.
    pub fn status(&self) -> u8 {
        match self {
            Frame::Short { .. } => STATUS_OK,
            Frame::Long { status, .. } => *status,
        }
    }

    /// True for the answer to a LinkCheck: code 0x01 with body `00`.
    pub fn is_link_reply(&self) -> bool {
        matches!(self, Frame::Short { code: 0x01, body } if body.as_slice() == [0x00])
    }
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl Command<'_> {
    /// Decide whether `frame` answers this command.
    pub fn classify(&self, frame: &Frame) -> Match {
        let Some(reply_code) = self.opcode().info().reply_code else {
            return Match::Foreign;
        };
        match frame {
            Frame::Short { code, body } => {
                if *code != reply_code || matches!(self, Command::FlashWritePage { .. }) {
                    return Match::Foreign;
                }
                if body.as_slice() == UNKNOWN_COMMAND_BODY
                    && !matches!(self, Command::ReadBootVersion)
                {
                    return Match::Unsupported;
                }
                if self.short_echo_agrees(body) {
                    Match::Reply
                } else {
                    Match::Foreign
                }
            }
            Frame::Long { op, status, body } => {
                if *op != reply_code || !self.is_long() {
                    Match::Foreign
                } else if *status != STATUS_OK || self.long_echo_agrees(body) {
                    Match::Reply
                } else {
                    Match::Foreign
                }
            }
        }
    }

    fn is_long(&self) -> bool {
        self.opcode().info().form == super::opcode::FrameForm::Long
    }

    fn short_echo_agrees(&self, body: &[u8]) -> bool {
        match *self {
            Command::LinkCheck => body == [0x00],
            Command::WriteReg { addr, value } => {
                le32(body, 0) == Some(addr) && le32(body, 4) == Some(value)
            }
            Command::ReadReg { addr } => body.len() == 8 && le32(body, 0) == Some(addr),
            Command::SetBaudRate { baud, delay_ms } => {
                body.len() == 5 && le32(body, 0) == Some(baud) && body[4] == delay_ms
            }
            Command::CheckCrc { .. } => body.len() == 4,
            Command::ReadBootVersion => true,
            _ => false,
        }
    }

    fn long_echo_agrees(&self, body: &[u8]) -> bool {
        match *self {
            Command::FlashWritePage { addr, .. } => body.len() == 5 && le32(body, 0) == Some(addr),
            Command::FlashWrite4K { addr, .. } => body.len() == 4 && le32(body, 0) == Some(addr),
            Command::FlashRead4K { addr } => {
                body.len() == 4 + SECTOR_LEN && le32(body, 0) == Some(addr)
            }
            Command::FlashReadSr { spi_opcode } => body.len() == 2 && body[0] == spi_opcode,
            Command::FlashWriteSr { spi_opcode, value } => {
                body.first() == Some(&spi_opcode) && &body[1..] == value
            }
            Command::FlashSpi { bytes } => body.len() == bytes.len(),
            Command::FlashErase { size, addr } => {
                body.len() == 5 && body[0] == size.spi_opcode() && le32(body, 1) == Some(addr)
            }
            _ => false,
        }
    }
}
