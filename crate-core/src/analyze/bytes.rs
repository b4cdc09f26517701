//! Little-endian reads that never panic: a short slice reads as `None`.
//! Every parser in `analyze` works on untrusted dumps, so all field access goes through these.

pub fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

pub fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Plain 32-bit byte sum, the Tuya KV storage's only checksum (dump-analysis.md §2.4).
pub fn byte_sum(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0u32, |sum, &b| sum.wrapping_add(u32::from(b)))
}

/// Text up to the first NUL, if it is non-empty printable ASCII.
pub fn c_text(bytes: &[u8]) -> Option<&str> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let text = &bytes[..end];
    (!text.is_empty() && text.iter().all(|b| (0x20..0x7F).contains(b)))
        .then(|| core::str::from_utf8(text).ok())
        .flatten()
}

pub fn is_erased(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == 0xFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        assert_eq!(le32(&[1, 0, 0, 0], 0), Some(1));
        assert_eq!(le32(&[1, 0, 0], 0), None);
        assert_eq!(le16(&[1, 2], usize::MAX), None);
        assert_eq!(byte_sum(&[0xFF; 4]), 0x3FC);
        assert_eq!(c_text(b"app\0\0"), Some("app"));
        assert_eq!(c_text(b"\0app"), None);
        assert_eq!(c_text(b"a\x01"), None);
    }
}
