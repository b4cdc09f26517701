//! The serial monitor's model, shared by the page and the CLI: a bounded buffer of timestamped lines,
//! the pause/follow and search view over it, and the bytes a typed line is sent as.

mod buffer;
mod line_ending;
mod render;
mod view;

pub use buffer::{MonitorBuffer, MonitorLimits, MonitorLine};
pub use line_ending::{LINE_ENDINGS, LineEnding};
pub use render::{format_timestamp, render_bytes};
pub use view::MonitorView;
