//! The port a session drives: a Web Serial adapter or the virtual device, behind one `Transport`.
//! Also names the virtual chips the page offers.

mod virtual_port;

use core::fmt;
use core::time::Duration;

use bkflash_core::transport::{Transport, TransportError, TransportErrorKind};
use bkflash_sim::{AppModel, Sim, SimConfig, SimError, SimTransport, StartMode, Wiring};

use crate::serial::{WebSerialError, WebSerialTransport};
pub use virtual_port::{SPEEDUP, VirtualTransport};

/// A simulated chip the page offers as "Virtual device".
#[derive(Clone, Copy, Debug)]
pub struct VirtualChip {
    pub id: &'static str,
    pub label: &'static str,
    pub config: fn() -> SimConfig,
}

pub static VIRTUAL_CHIPS: [VirtualChip; 3] = [
    VirtualChip {
        id: "bk7231n",
        label: "BK7231N (ROM class)",
        config: SimConfig::bk7231n,
    },
    VirtualChip {
        id: "bk7231t",
        label: "BK7231T (legacy class)",
        config: SimConfig::bk7231t,
    },
    VirtualChip {
        id: "bk7231t-app",
        label: "BK7231T running OpenBeken",
        config: bk7231t_running_openbeken,
    },
];

/// A chip that runs its firmware and must be talked into download mode (no reset wiring).
fn bk7231t_running_openbeken() -> SimConfig {
    SimConfig::bk7231t()
        .with_start(StartMode::App)
        .with_app(AppModel::OpenBeken)
        .with_wiring(Wiring::None)
}

/// The preset named `id` ("bk7231n" or "bk7231t").
pub fn virtual_chip(id: &str) -> Option<&'static VirtualChip> {
    VIRTUAL_CHIPS.iter().find(|chip| chip.id == id)
}

/// Either kind of port.
pub enum Port {
    Serial(WebSerialTransport),
    Virtual(VirtualTransport),
}

impl Port {
    pub fn new_virtual(chip: &VirtualChip) -> Self {
        Port::Virtual(VirtualTransport::new(SimTransport::new(Sim::new((chip
            .config)(
        )))))
    }

    /// The virtual chip's UART2 log, as a second adapter would read it; `None` on a real port,
    /// whose log is read on its own adapter.
    pub fn virtual_log(&mut self) -> Option<&mut VirtualTransport> {
        match self {
            Port::Virtual(chip) => Some(chip),
            Port::Serial(_) => None,
        }
    }

    /// Give the port back to the system (Web Serial) so a later Connect can open it again.
    pub async fn close(self) {
        if let Port::Serial(serial) = self {
            let _already_closed_is_fine = serial.close().await;
        }
    }
}

/// The error of either port.
#[derive(Debug)]
pub enum PortError {
    Serial(WebSerialError),
    Virtual(SimError),
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortError::Serial(e) => e.fmt(f),
            PortError::Virtual(e) => e.fmt(f),
        }
    }
}

impl TransportError for PortError {
    fn kind(&self) -> TransportErrorKind {
        match self {
            PortError::Serial(e) => e.kind(),
            PortError::Virtual(e) => e.kind(),
        }
    }
}

macro_rules! forward {
    ($self:ident, $port:ident => $call:expr) => {
        match $self {
            Port::Serial($port) => $call.await.map_err(PortError::Serial),
            Port::Virtual($port) => $call.await.map_err(PortError::Virtual),
        }
    };
}

impl Transport for Port {
    type Error = PortError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), PortError> {
        forward!(self, p => p.write_all(data))
    }

    async fn flush(&mut self) -> Result<(), PortError> {
        forward!(self, p => p.flush())
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PortError> {
        forward!(self, p => p.read(buf, timeout))
    }

    async fn discard_input(&mut self) -> Result<(), PortError> {
        forward!(self, p => p.discard_input())
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), PortError> {
        forward!(self, p => p.set_baud(baud))
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), PortError> {
        forward!(self, p => p.set_signals(dtr, rts))
    }

    async fn sleep(&mut self, duration: Duration) {
        match self {
            Port::Serial(p) => p.sleep(duration).await,
            Port::Virtual(p) => p.sleep(duration).await,
        }
    }

    fn now(&self) -> Duration {
        match self {
            Port::Serial(p) => p.now(),
            Port::Virtual(p) => p.now(),
        }
    }
}

/// Milliseconds on the page's monotonic clock.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
