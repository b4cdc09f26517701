//! Response frames the chip sends (docs/protocol.md §1.3): short `04 0E L 01 E0 FC C body`,
//! long `04 0E FF 01 E0 FC F4 N O S body`.

use alloc::vec::Vec;

/// Status bytes of long responses (docs/protocol.md §1.4).
pub mod status {
    pub const OK: u8 = 0;
    pub const PACK_LEN_ERROR: u8 = 4;
    pub const PACK_PAYLOAD_LACK: u8 = 5;
    pub const PARAM_ERROR: u8 = 6;
    pub const UNKNOWN_CMD: u8 = 7;
}

/// A short response with code `code` and `body`.
pub fn short(code: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(7 + body.len());
    out.extend_from_slice(&[0x04, 0x0E, (4 + body.len()) as u8, 0x01, 0xE0, 0xFC, code]);
    out.extend_from_slice(body);
    out
}

/// A long response for flash op `op` with status `status` and `body`.
pub fn long(op: u8, status: u8, body: &[u8]) -> Vec<u8> {
    let n = (2 + body.len()) as u16;
    let mut out = Vec::with_capacity(11 + body.len());
    out.extend_from_slice(&[0x04, 0x0E, 0xFF, 0x01, 0xE0, 0xFC, 0xF4]);
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&[op, status]);
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_check_reply_is_eight_bytes() {
        assert_eq!(
            short(0x01, &[0x00]),
            [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x01, 0x00]
        );
    }

    #[test]
    fn long_reply_counts_op_and_status() {
        assert_eq!(
            long(0x0C, 0, &[0x05, 0x1C]),
            [
                0x04, 0x0E, 0xFF, 0x01, 0xE0, 0xFC, 0xF4, 0x04, 0x00, 0x0C, 0x00, 0x05, 0x1C
            ]
        );
    }
}
