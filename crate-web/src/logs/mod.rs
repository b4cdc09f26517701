//! Device logs on the page: a second Web Serial port for UART2 kept open across jobs, a monitor
//! window for it and for the flashing port after a reboot, and the hardware report to copy.

mod clock;
mod flash_console;
pub(crate) mod log_port;
mod monitor_state;
mod panel;
pub(crate) mod report;
mod section;

pub use flash_console::FlashPortConsole;
pub use section::LogsSection;
