//! The page's sections, top to bottom: device, chip, firmware (with the write plan), actions,
//! progress, backups, log, help, plus the confirmation dialog. Each reads the `Session` context.

pub(crate) mod actions;
pub(crate) mod backups;
pub mod chip;
pub(crate) mod confirm;
pub(crate) mod device;
pub(crate) mod drop_zone;
pub mod firmware;
pub(crate) mod focus;
pub(crate) mod help;
pub(crate) mod leave;
pub(crate) mod log;
pub(crate) mod plan;
pub(crate) mod practice_reset;
pub(crate) mod progress;
pub(crate) mod remote;
pub(crate) mod spi_entry;
pub(crate) mod status_strip;
pub(crate) mod wiring;
