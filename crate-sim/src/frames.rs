//! Split the host's bytes into frames for display in transcripts and golden files.
//! Independent of the core's codec on purpose, so a framing bug is not mirrored on both sides.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use bkflash_core::crc::chip_crc;

/// One piece of the host's byte stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPiece {
    Short {
        code: u8,
        payload: Vec<u8>,
    },
    Long {
        op: u8,
        payload: Vec<u8>,
    },
    /// Bytes that are not a whole frame (text such as `reboot\n`, or a truncated frame).
    Other(Vec<u8>),
}

/// Display names of short command codes (docs/protocol.md §2.1).
const SHORT_NAMES: &[(u8, &str)] = &[
    (0x00, "LinkCheck"),
    (0x01, "WriteReg"),
    (0x03, "ReadReg"),
    (0x0E, "Reboot"),
    (0x0F, "SetBaudRate"),
    (0x10, "CheckCRC"),
    (0x11, "ReadBootVersion"),
    (0x70, "WatchdogReset"),
    (0xAA, "StayRom"),
    (0xFE, "BkregReset"),
];

/// Display names of long flash ops (docs/protocol.md §2.2).
const LONG_NAMES: &[(u8, &str)] = &[
    (0x06, "FlashWrite"),
    (0x07, "FlashWrite4K"),
    (0x08, "FlashRead"),
    (0x09, "FlashRead4K"),
    (0x0A, "FlashEraseAll"),
    (0x0B, "FlashErase4K"),
    (0x0C, "FlashReadSR"),
    (0x0D, "FlashWriteSR"),
    (0x0E, "FlashGetMID"),
    (0x0F, "FlashErase"),
];

/// Payload bytes shown in full; longer payloads are summarised by length and CRC.
const SHOWN: usize = 12;

/// Split `bytes` into frames and the bytes between them.
pub fn split_host_bytes(bytes: &[u8]) -> Vec<HostPiece> {
    let mut pieces = Vec::new();
    let mut other = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match frame_at(&bytes[at..]) {
            Some((piece, used)) => {
                if !other.is_empty() {
                    pieces.push(HostPiece::Other(core::mem::take(&mut other)));
                }
                pieces.push(piece);
                at += used;
            }
            None => {
                other.push(bytes[at]);
                at += 1;
            }
        }
    }
    if !other.is_empty() {
        pieces.push(HostPiece::Other(other));
    }
    pieces
}

fn frame_at(bytes: &[u8]) -> Option<(HostPiece, usize)> {
    if !bytes.starts_with(&[0x01, 0xE0, 0xFC]) {
        return None;
    }
    match *bytes.get(3)? {
        0 => None,
        0xFF => {
            if *bytes.get(4)? != 0xF4 {
                return None;
            }
            let n = usize::from(u16::from_le_bytes([*bytes.get(5)?, *bytes.get(6)?]));
            let body = bytes.get(7..7 + n).filter(|_| n > 0)?;
            Some((
                HostPiece::Long {
                    op: body[0],
                    payload: body[1..].to_vec(),
                },
                7 + n,
            ))
        }
        len => {
            let body = bytes.get(4..4 + usize::from(len))?;
            Some((
                HostPiece::Short {
                    code: body[0],
                    payload: body[1..].to_vec(),
                },
                4 + usize::from(len),
            ))
        }
    }
}

/// One line per piece, e.g. `CheckCRC 00 00 00 00 00 01 00 00` or `FlashWrite4K 00 10 21 00 .. +4096 B crc 1234ABCD`.
pub fn render(piece: &HostPiece) -> String {
    let (name, payload) = match piece {
        HostPiece::Short { code, payload } => (name_of(SHORT_NAMES, "short", *code), payload),
        HostPiece::Long { op, payload } => (name_of(LONG_NAMES, "op", *op), payload),
        HostPiece::Other(bytes) => (String::from("bytes"), bytes),
    };
    let mut line = name;
    for byte in payload.iter().take(SHOWN) {
        line.push_str(&format!(" {byte:02X}"));
    }
    if payload.len() > SHOWN {
        line.push_str(&format!(
            " .. +{} B crc {:08X}",
            payload.len() - SHOWN,
            chip_crc(&payload[SHOWN..])
        ));
    }
    line
}

fn name_of(table: &[(u8, &str)], kind: &str, code: u8) -> String {
    match table.iter().find(|row| row.0 == code) {
        Some((_, name)) => String::from(*name),
        None => format!("{kind}{code:02X}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_text_are_separated() {
        let mut bytes = b"reboot\n".to_vec();
        bytes.extend_from_slice(&[0x01, 0xE0, 0xFC, 0x01, 0x00]);
        bytes.extend_from_slice(&[
            0x01, 0xE0, 0xFC, 0xFF, 0xF4, 0x05, 0x00, 0x0E, 0x9F, 0x00, 0x00, 0x00,
        ]);
        let pieces = split_host_bytes(&bytes);
        let lines: Vec<String> = pieces.iter().map(render).collect();
        assert_eq!(
            lines,
            [
                "bytes 72 65 62 6F 6F 74 0A",
                "LinkCheck",
                "FlashGetMID 9F 00 00 00"
            ]
        );
    }

    #[test]
    fn truncated_frame_is_other() {
        let pieces = split_host_bytes(&[0x01, 0xE0, 0xFC, 0x05, 0x03, 0x00]);
        assert_eq!(
            pieces,
            [HostPiece::Other(
                [0x01, 0xE0, 0xFC, 0x05, 0x03, 0x00].to_vec()
            )]
        );
    }
}
