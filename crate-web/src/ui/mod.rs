//! The page's sections, top to bottom: device, chip, firmware, actions, progress, log, help,
//! plus the confirmation dialog. Each reads the `Session` context.

pub mod actions;
pub mod chip;
pub mod confirm;
pub mod device;
pub mod firmware;
pub mod help;
pub mod log;
pub mod progress;
pub mod remote;
