//! Backups that exist before anything is erased: the whole flash, saved where the user chose (File
//! System Access) and kept in the origin's private storage, each copy read back and checked first.
//! `check` compares a backup with the linked chip before it is restored.

pub mod check;
#[cfg(target_arch = "wasm32")]
pub(crate) mod js;
#[cfg(target_arch = "wasm32")]
pub(crate) mod picker;
pub mod saved;
#[cfg(target_arch = "wasm32")]
pub(crate) mod store;
#[cfg(target_arch = "wasm32")]
pub(crate) mod take;

#[cfg(target_arch = "wasm32")]
pub(crate) use store::StoredBackup;
