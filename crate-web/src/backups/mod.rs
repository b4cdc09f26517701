//! Backups that exist before anything is erased: the whole flash, saved where the user chose (File
//! System Access) and kept in the origin's private storage, each copy read back and checked first.
//! `check` compares a backup with the linked chip before it is restored.

pub mod check;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod picker;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod take;

#[cfg(target_arch = "wasm32")]
pub use store::StoredBackup;
#[cfg(target_arch = "wasm32")]
pub use take::{SavedBackup, take_backup};
