//! The page's sections, top to bottom: device, chip, firmware (with the write plan), actions,
//! progress, backups, log, help, plus the confirmation dialog. Each reads the `Session` context.

pub mod actions;
pub mod backups;
pub mod chip;
pub mod confirm;
pub mod device;
pub mod firmware;
pub mod help;
pub mod leave;
pub mod log;
pub mod plan;
pub mod progress;
pub mod remote;
pub mod restore;
pub mod spi_entry;
