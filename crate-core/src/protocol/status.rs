//! The status byte of long replies mapped to typed error kinds (docs/protocol.md §1.4).
//! Beken's enum: 0..7 in every handler, 8..10 only in the newest one.

use crate::error::ErrorKind;

pub(crate) const STATUS_OK: u8 = 0;

/// Status value and the error a user sees, in Beken's enum order; Beken's name for each in the comment.
pub(crate) static STATUSES: &[(u8, ErrorKind)] = &[
    (1, ErrorKind::ChipBusy),         // FLASH_STATUS_BUSY
    (2, ErrorKind::SpiTimeout),       // SPI_OP_T_OUT
    (3, ErrorKind::FlashTimeout),     // FLASH_OP_T_OUT
    (4, ErrorKind::BadLength),        // PACK_LEN_ERROR
    (5, ErrorKind::PayloadLack),      // PACK_PAYLOAD_LACK
    (6, ErrorKind::RegionRefused),    // PARAM_ERROR
    (7, ErrorKind::UnknownCommand),   // UNKNOW_CMD
    (8, ErrorKind::ChipInternal),     // INTERNAL_ERR
    (9, ErrorKind::FlashWriteFailed), // SPI_FLASH_WRITE_ERR
    (10, ErrorKind::ProtectedArea),   // OPERATE_PROTECTED_AREA
];

/// The error kind of a non-zero status byte; values outside Beken's enum map to `UnknownStatus`.
pub fn status_kind(status: u8) -> ErrorKind {
    STATUSES
        .iter()
        .find(|row| row.0 == status)
        .map_or(ErrorKind::UnknownStatus, |row| row.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_rows_are_distinct_and_non_zero() {
        for (i, &(value, kind)) in STATUSES.iter().enumerate() {
            assert_ne!(value, STATUS_OK);
            assert_eq!(usize::from(value), i + 1, "rows in enum order without gaps");
            assert_eq!(status_kind(value), kind);
        }
        assert_eq!(status_kind(0x42), ErrorKind::UnknownStatus);
    }
}
