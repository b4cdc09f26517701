//! Backups that exist before anything is erased: the whole flash, saved where the user chose (File
//! System Access) and kept in the origin's private storage, each copy read back and checked first.
//! `check` compares a backup with the linked chip before it is restored.

pub mod check;
pub mod js;
pub mod picker;
pub mod store;
pub mod take;

pub use store::StoredBackup;
pub use take::{SavedBackup, take_backup};

/// The standard CRC-32 (zlib, what `crc32 FILE` prints) of a backup, as the page shows it.
pub fn crc32(bytes: &[u8]) -> u32 {
    !bkflash_core::crc::chip_crc(bytes)
}
