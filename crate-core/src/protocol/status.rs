//! The status byte of long replies mapped to typed error kinds (docs/protocol.md §1.4).
//! Beken's enum: 0..7 in every handler, 8..10 only in the newest one.

use crate::error::ErrorKind;

/// One row: status value, Beken's name for it, and the error a user sees.
#[derive(Clone, Copy, Debug)]
pub struct StatusInfo {
    pub value: u8,
    pub beken_name: &'static str,
    pub kind: ErrorKind,
}

pub const STATUS_OK: u8 = 0;

pub static STATUSES: &[StatusInfo] = &[
    StatusInfo {
        value: 1,
        beken_name: "FLASH_STATUS_BUSY",
        kind: ErrorKind::ChipBusy,
    },
    StatusInfo {
        value: 2,
        beken_name: "SPI_OP_T_OUT",
        kind: ErrorKind::SpiTimeout,
    },
    StatusInfo {
        value: 3,
        beken_name: "FLASH_OP_T_OUT",
        kind: ErrorKind::FlashTimeout,
    },
    StatusInfo {
        value: 4,
        beken_name: "PACK_LEN_ERROR",
        kind: ErrorKind::BadLength,
    },
    StatusInfo {
        value: 5,
        beken_name: "PACK_PAYLOAD_LACK",
        kind: ErrorKind::PayloadLack,
    },
    StatusInfo {
        value: 6,
        beken_name: "PARAM_ERROR",
        kind: ErrorKind::RegionRefused,
    },
    StatusInfo {
        value: 7,
        beken_name: "UNKNOW_CMD",
        kind: ErrorKind::UnknownCommand,
    },
    StatusInfo {
        value: 8,
        beken_name: "INTERNAL_ERR",
        kind: ErrorKind::ChipInternal,
    },
    StatusInfo {
        value: 9,
        beken_name: "SPI_FLASH_WRITE_ERR",
        kind: ErrorKind::FlashWriteFailed,
    },
    StatusInfo {
        value: 10,
        beken_name: "OPERATE_PROTECTED_AREA",
        kind: ErrorKind::ProtectedArea,
    },
];

/// The error kind of a non-zero status byte; values outside Beken's enum map to `UnknownStatus`.
pub fn status_kind(status: u8) -> ErrorKind {
    STATUSES
        .iter()
        .find(|row| row.value == status)
        .map_or(ErrorKind::UnknownStatus, |row| row.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_rows_are_distinct_and_non_zero() {
        for (i, row) in STATUSES.iter().enumerate() {
            assert_ne!(row.value, STATUS_OK);
            assert_eq!(
                usize::from(row.value),
                i + 1,
                "rows in enum order without gaps"
            );
            assert_eq!(status_kind(row.value), row.kind);
        }
        assert_eq!(status_kind(0x42), ErrorKind::UnknownStatus);
    }
}
