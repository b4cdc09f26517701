//! The user's jobs, one file each in `jobs/`: the button's handler beside the job it starts. The
//! runner (`jobs/runner.rs`) lends each job the session's flasher; Connect and the background plan
//! (`prepare`) run beside it.

mod backup;
mod connect;
mod prepare;
mod range;
mod reboot;
mod restore;
mod runner;
mod verify;
mod wake_lock;
mod write;

pub use backup::start_backup;
pub use connect::{Source, connect};
pub use prepare::prepare;
pub use range::{start_erase, start_erase_all, start_read};
pub use reboot::start_reboot;
pub use restore::start_restore;
pub use runner::run;
pub use verify::start_verify;
pub use write::{start_guided_write, start_write};
