//! Content that is one repeated byte: what a flash that does not answer reads as (all 0x00 or all
//! 0xFF), or an erased one. Such data is never a backup and never the base of a size probe.

use alloc::format;

use crate::error::{Error, ErrorKind};

/// The byte every position holds, when there is exactly one (`None` for empty input).
pub fn uniform_byte(bytes: &[u8]) -> Option<u8> {
    let (&first, rest) = bytes.split_first()?;
    rest.iter().all(|&b| b == first).then_some(first)
}

/// Refuse a whole-flash read as a backup when it is one repeated byte: a flash that does not
/// answer reads all 0x00 (bk7231tools #30) or all 0xFF, and such a file could never restore the chip.
pub fn check_backup(bytes: &[u8]) -> Result<(), Error> {
    match uniform_byte(bytes) {
        Some(byte) => Err(Error::new(ErrorKind::UniformRead)
            .detail(format!("all {} bytes read 0x{byte:02X}", bytes.len()))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_differing_byte_makes_content_real() {
        assert_eq!(uniform_byte(&[0; 4096]), Some(0));
        assert_eq!(uniform_byte(&[0xFF; 3]), Some(0xFF));
        assert_eq!(uniform_byte(&[]), None);
        let mut data = [0u8; 4096];
        data[4095] = 1;
        assert_eq!(uniform_byte(&data), None);
        assert!(check_backup(&data).is_ok());
        let err = check_backup(&[0; 0x1000]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::UniformRead);
        assert!(err.render().contains("all 4096 bytes read 0x00"), "{err}");
    }
}
