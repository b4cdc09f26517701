//! The port a session drives: a Web Serial adapter or the virtual device, both through the same
//! Web Serial transport. Also names the virtual chips the page offers.

mod virtual_port;

use core::time::Duration;

use bkflash_core::transport::{BaudChange, Transport};

use crate::serial::{WebSerialError, WebSerialTransport};
pub use virtual_port::{open_virtual_log_port, open_virtual_port, touch_virtual_cen};

/// A simulated chip the page offers as "Virtual device"; the virtual device's module builds it from
/// the preset of the same id (`wall_clock.rs`). Labels say what the device is, in plain words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VirtualChip {
    pub id: &'static str,
    pub label: &'static str,
    /// Nothing resets it but the user (no RTS/DTR to CEN, firmware deaf to the flasher): the page
    /// offers a control that touches its CEN to GND while it links, to practise the manual reset.
    pub manual_reset_only: bool,
}

/// The flash of each holds the Tuya storage of a real device: the BK7231N a bulb, the BK7231T a plug.
pub static VIRTUAL_CHIPS: [VirtualChip; 4] = [
    VirtualChip {
        id: "bk7231n",
        label: "Bulb with BK7231N",
        manual_reset_only: false,
    },
    VirtualChip {
        id: "bk7231t",
        label: "Plug with BK7231T",
        manual_reset_only: false,
    },
    VirtualChip {
        id: "bk7231t-app",
        label: "Plug running OpenBeken (BK7231T)",
        manual_reset_only: false,
    },
    VirtualChip {
        id: "bk7231n-manual",
        label: "Practice: manual reset (BK7231N)",
        manual_reset_only: true,
    },
];

/// The virtual chip named `id`.
pub fn virtual_chip(id: &str) -> Option<&'static VirtualChip> {
    VIRTUAL_CHIPS.iter().find(|chip| chip.id == id)
}

/// An open port: an adapter from the browser's chooser, or the virtual device's worker.
pub struct Port(WebSerialTransport);

impl From<WebSerialTransport> for Port {
    fn from(transport: WebSerialTransport) -> Self {
        Self(transport)
    }
}

impl Port {
    /// Give the port back (to the system, or to the virtual device) so a later Connect can open it again.
    pub async fn close(self) {
        let _already_closed_is_fine = self.0.close().await;
    }
}

impl Transport for Port {
    type Error = WebSerialError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), WebSerialError> {
        self.0.write_all(data).await
    }

    async fn flush(&mut self) -> Result<(), WebSerialError> {
        self.0.flush().await
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, WebSerialError> {
        self.0.read(buf, timeout).await
    }

    async fn discard_input(&mut self) -> Result<(), WebSerialError> {
        self.0.discard_input().await
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), WebSerialError> {
        self.0.set_baud(baud).await
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), WebSerialError> {
        self.0.set_signals(dtr, rts).await
    }

    async fn sleep(&mut self, duration: Duration) {
        self.0.sleep(duration).await;
    }

    fn now(&self) -> Duration {
        self.0.now()
    }

    fn baud_change(&self) -> BaudChange {
        self.0.baud_change()
    }
}

/// Milliseconds on the page's monotonic clock.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
