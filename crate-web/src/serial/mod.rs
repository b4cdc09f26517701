//! Web Serial on the page's side: the port chooser and the `Transport` the flasher drives.
//! Ports are used through `unchecked_into`, never `dyn_into`, so a fake JS port works in tests.

mod error;
mod picker;
mod reader;
mod transport;
mod writer;

pub use error::WebSerialError;
pub use picker::{PickError, PortInfo, chosen_port, pick_port, request_port};
pub use transport::WebSerialTransport;
