//! The log port: a second Web Serial adapter on the chip's UART2 (its RX on TX2 = P0), opened at
//! the rate firmware logs at and kept open across connect, write and reboot until the user closes
//! it. The flashing port and the log port are never the same adapter.

use core::cell::RefCell;
use core::time::Duration;

use bkflash_core::transport::Transport;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::SerialPort;

use super::monitor_state::MonitorState;
use crate::device::open_virtual_log_port;
use crate::serial::{PortInfo, WebSerialTransport, pick_port};
use crate::session::Session;

/// How long one read waits; also how soon Close and typed lines are noticed.
const READ_WAIT: Duration = Duration::from_millis(100);

/// The two adapters this page has picked, to keep them apart.
#[derive(Default)]
struct Picked {
    flash: Option<SerialPort>,
    log: Option<SerialPort>,
}

thread_local! {
    static PICKED: RefCell<Picked> = RefCell::default();
}

fn same(a: Option<&SerialPort>, b: &SerialPort) -> bool {
    a.is_some_and(|a| js_sys::Object::is(a, b))
}

/// Connect picked `port` for flashing: refused while it is the open log port, remembered otherwise.
pub fn claim_flash_port(port: &SerialPort) -> Result<(), String> {
    PICKED.with_borrow_mut(|picked| {
        if same(picked.log.as_ref(), port) {
            return Err(format!(
                "That adapter ({}) is open as the log port. Pick the adapter wired to RX1/TX1 \
                 (P10/P11) for flashing, or close the log port first.",
                PortInfo::of(port)
            ));
        }
        picked.flash = Some(port.clone());
        Ok(())
    })
}

/// Whether the session's port (its label, read reactively or not) is the virtual device.
pub fn is_virtual(label: Option<String>) -> bool {
    label.is_some_and(|label| label.starts_with("Virtual device"))
}

/// The log port's state on the page (`Copy`, provided as context by the logs section).
#[derive(Clone, Copy)]
pub struct LogPort {
    /// What is open: "USB 10c4:ea60 (CP210x) at 115200 baud"; `None` when closed.
    pub label: RwSignal<Option<String>>,
    /// Why the port could not be opened or stopped.
    pub problem: RwSignal<Option<String>>,
    pub baud: RwSignal<u32>,
    pub opening: RwSignal<bool>,
    close_asked: StoredValue<bool>,
    pub monitor: MonitorState,
}

/// Firmware logs at this rate (LibreTiny and OpenBeken both).
pub const LOG_BAUD: u32 = 115_200;

impl LogPort {
    pub fn new() -> Self {
        Self {
            label: RwSignal::new(None),
            problem: RwSignal::new(None),
            baud: RwSignal::new(LOG_BAUD),
            opening: RwSignal::new(false),
            close_asked: StoredValue::new(false),
            monitor: MonitorState::new(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.label.get().is_some()
    }

    /// Stop reading and give the adapter back to the system.
    pub fn close(&self) {
        self.close_asked.set_value(true);
    }

    /// Pick an adapter and read it until closed; refuses the adapter the flashing session uses.
    pub fn open(self, session: Session) {
        if self.opening.get_untracked() || self.label.get_untracked().is_some() {
            return;
        }
        self.opening.set(true);
        self.problem.set(None);
        spawn_local(async move {
            let opened = self.pick_and_open(session).await;
            self.opening.set(false);
            match opened {
                Ok((transport, port)) => self.read_until_closed(transport, port).await,
                Err(problem) => self.problem.set(Some(problem)),
            }
        });
    }

    async fn pick_and_open(
        &self,
        session: Session,
    ) -> Result<(WebSerialTransport, SerialPort), String> {
        let port = pick_port().await.map_err(|e| e.to_string())?;
        let info = PortInfo::of(&port);
        let flash = PICKED.with_borrow(|picked| picked.flash.clone());
        let flashing = session
            .port_label
            .get_untracked()
            .is_some_and(|label| label.starts_with("Serial port"));
        if flashing && same(flash.as_ref(), &port) {
            return Err(format!(
                "That adapter ({info}) is the flashing port. Pick the second adapter, the one \
                 whose RX is wired to the chip's TX2 (P0)."
            ));
        }
        let baud = self.baud.get_untracked();
        let transport = WebSerialTransport::open(port.clone(), baud)
            .await
            .map_err(|e| format!("Opening the log port failed: {e}"))?;
        let twin = flash
            .filter(|flash| PortInfo::of(flash) == info)
            .map(|_| " (the same USB ids as the flashing port: unplug one to tell them apart)")
            .unwrap_or_default();
        PICKED.with_borrow_mut(|picked| picked.log = Some(port.clone()));
        self.close_asked.set_value(false);
        self.label.set(Some(format!("{info} at {baud} baud{twin}")));
        Ok((transport, port))
    }

    /// Open the virtual device's UART2 (a second port of its worker) and read it until closed, as a
    /// second adapter on a simulated chip. Connecting another virtual device ends it.
    pub fn open_virtual(self) {
        if self.opening.get_untracked() || self.label.get_untracked().is_some() {
            return;
        }
        self.opening.set(true);
        self.problem.set(None);
        spawn_local(async move {
            let opened = async {
                let port = open_virtual_log_port().await?;
                let transport = WebSerialTransport::open(port.clone(), LOG_BAUD)
                    .await
                    .map_err(|e| format!("Opening the virtual device's log port failed: {e}"))?;
                Ok::<_, String>((transport, port))
            }
            .await;
            self.opening.set(false);
            match opened {
                Ok((transport, port)) => {
                    self.close_asked.set_value(false);
                    self.label.set(Some(format!(
                        "the virtual device's UART2 at {LOG_BAUD} baud"
                    )));
                    self.read_until_closed(transport, port).await;
                }
                Err(problem) => self.problem.set(Some(problem)),
            }
        });
    }

    async fn read_until_closed(&self, mut transport: WebSerialTransport, port: SerialPort) {
        let mut chunk = [0u8; 1024];
        while !self.close_asked.get_value() {
            for line in self.monitor.take_outbox() {
                if let Err(e) = transport.write_all(&line).await {
                    self.problem
                        .set(Some(format!("Sending on the log port failed: {e}")));
                }
            }
            match transport.read(&mut chunk, READ_WAIT).await {
                Ok(0) => {}
                Ok(n) => self.monitor.push(&chunk[..n]),
                Err(e) => {
                    self.problem.set(Some(format!(
                        "The log port stopped: {e}. Plug the adapter back in and open it again."
                    )));
                    break;
                }
            }
        }
        let _already_closed_is_fine = transport.close().await;
        PICKED.with_borrow_mut(|picked| {
            if same(picked.log.as_ref(), &port) {
                picked.log = None;
            }
        });
        self.label.set(None);
    }
}
