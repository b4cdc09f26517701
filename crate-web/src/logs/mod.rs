//! Device logs on the page: a second Web Serial port for UART2 kept open across jobs, a monitor
//! window for it and for the flashing port after a reboot, and the hardware report to copy.

mod clock;
mod flash_console;
mod log_port;
mod monitor_state;
mod panel;
mod report;
mod section;

pub use flash_console::FlashPortConsole;
pub use log_port::claim_flash_port;
pub use report::record;
pub use section::LogsSection;
