//! `Transport` on a Web Serial port: open with a large buffer and the modem lines released,
//! one reader and one paced writer per open, baud changes by close and reopen (a `BaudChange::Reopen`
//! port), unplugging as `Disconnected`.

use core::cell::Cell;
use core::time::Duration;
use std::rc::Rc;

use bkflash_core::transport::{BaudChange, Transport, TransportErrorKind};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventTarget, SerialOptions, SerialOutputSignals, SerialPort};

use super::error::WebSerialError;
use super::reader::ChunkReader;
use super::writer::ChunkWriter;

/// Big enough for a whole 4 KiB flash page reply plus boot-log noise without the browser dropping bytes.
const BUFFER_SIZE: u32 = 65_536;

const UNPLUGGED: &str = "the browser reported that the adapter was disconnected";

/// An open Web Serial port driven by the flasher.
pub struct WebSerialTransport {
    port: SerialPort,
    baud: u32,
    /// `None` only after a baud change failed half-way, leaving the port closed.
    streams: Option<Streams>,
    unplugged: Rc<Cell<bool>>,
    on_disconnect: Closure<dyn FnMut()>,
    opened_at_ms: f64,
}

struct Streams {
    reader: ChunkReader,
    writer: ChunkWriter,
}

impl Streams {
    fn new(port: &SerialPort, baud: u32) -> Result<Self, WebSerialError> {
        Ok(Self {
            writer: ChunkWriter::new(port, baud)?,
            reader: ChunkReader::new(port),
        })
    }

    async fn release(self) {
        self.writer.release().await;
        self.reader.release().await;
    }
}

impl WebSerialTransport {
    /// Open `port` (from the chooser, or any object shaped like a `SerialPort`) at `baud`.
    pub async fn open(port: SerialPort, baud: u32) -> Result<Self, WebSerialError> {
        open_released(&port, baud).await?;
        match Self::attach(port.clone(), baud) {
            Ok(transport) => Ok(transport),
            Err(error) => {
                // Leave the port closed, so that pressing Connect again can open it.
                let _close_outcome_adds_nothing = port.close().await;
                Err(error)
            }
        }
    }

    /// Take the streams of a freshly opened port and watch it for unplugging.
    fn attach(port: SerialPort, baud: u32) -> Result<Self, WebSerialError> {
        let streams = Streams::new(&port, baud)?;
        let unplugged = Rc::new(Cell::new(false));
        let flag = Rc::clone(&unplugged);
        let on_disconnect = Closure::<dyn FnMut()>::new(move || flag.set(true));
        port.unchecked_ref::<EventTarget>()
            .add_event_listener_with_callback("disconnect", on_disconnect.as_ref().unchecked_ref())
            .map_err(|e| WebSerialError::from_js("watching the serial port for unplugging", &e))?;
        Ok(Self {
            port,
            baud,
            streams: Some(streams),
            unplugged,
            on_disconnect,
            opened_at_ms: now_ms(),
        })
    }

    /// The baud rate the port is open at.
    pub fn baud(&self) -> u32 {
        self.baud
    }

    /// Release the streams and close the port, so another tab or program may use it.
    pub async fn close(mut self) -> Result<(), WebSerialError> {
        if let Some(streams) = self.streams.take() {
            streams.release().await;
        }
        self.port
            .close()
            .await
            .map(drop)
            .map_err(|e| WebSerialError::from_js("closing the serial port", &e))
    }

    /// The open streams, or why the port cannot be used any more.
    fn streams(&mut self, operation: &str) -> Result<&mut Streams, WebSerialError> {
        if self.unplugged.get() {
            return Err(WebSerialError::disconnected(operation, UNPLUGGED));
        }
        self.streams.as_mut().ok_or_else(|| {
            WebSerialError::disconnected(
                operation,
                "the port stayed closed after a failed baud rate change",
            )
        })
    }

    /// Remember a lost device, so every later call fails at once instead of waiting.
    fn note<T>(&self, result: Result<T, WebSerialError>) -> Result<T, WebSerialError> {
        if let Err(error) = &result
            && error.kind == TransportErrorKind::Disconnected
        {
            self.unplugged.set(true);
        }
        result
    }
}

impl Drop for WebSerialTransport {
    fn drop(&mut self) {
        let _listener_gone_with_port = self
            .port
            .unchecked_ref::<EventTarget>()
            .remove_event_listener_with_callback(
                "disconnect",
                self.on_disconnect.as_ref().unchecked_ref(),
            );
    }
}

impl Transport for WebSerialTransport {
    type Error = WebSerialError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error> {
        let result = self
            .streams("writing to the serial port")?
            .writer
            .write(data)
            .await;
        self.note(result)
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        let result = self
            .streams("flushing the serial port")?
            .writer
            .flush()
            .await;
        self.note(result)
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, Self::Error> {
        let result = self
            .streams("reading from the serial port")?
            .reader
            .read(buf, timeout)
            .await;
        self.note(result)
    }

    async fn discard_input(&mut self) -> Result<(), Self::Error> {
        let result = self
            .streams("discarding serial input")?
            .reader
            .discard()
            .await;
        self.note(result)
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), Self::Error> {
        let operation = format!("changing the baud rate to {baud}");
        self.streams(&operation)?;
        if let Some(streams) = self.streams.take() {
            streams.release().await;
        }
        let reopened = async {
            self.port
                .close()
                .await
                .map_err(|e| WebSerialError::from_js(operation.as_str(), &e))?;
            open_released(&self.port, baud).await?;
            Streams::new(&self.port, baud)
        }
        .await;
        self.streams = Some(self.note(reopened)?);
        self.baud = baud;
        Ok(())
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), Self::Error> {
        self.streams("setting the DTR/RTS lines")?;
        let result = write_signals(&self.port, dtr, rts).await;
        self.note(result)
    }

    async fn sleep(&mut self, duration: Duration) {
        TimeoutFuture::new(u32::try_from(duration.as_micros().div_ceil(1000)).unwrap_or(u32::MAX))
            .await;
    }

    fn now(&self) -> Duration {
        Duration::from_secs_f64(((now_ms() - self.opened_at_ms) / 1000.0).max(0.0))
    }

    /// Web Serial has no in-place rate change, and every open asserts DTR and RTS for a moment.
    fn baud_change(&self) -> BaudChange {
        BaudChange::Reopen
    }
}

/// Open at `baud`, then release DTR and RTS at once: browsers assert both on open, which would
/// hold a chip with RTS wired to CEN in reset.
async fn open_released(port: &SerialPort, baud: u32) -> Result<(), WebSerialError> {
    let options = SerialOptions::new(baud);
    options.set_buffer_size(BUFFER_SIZE);
    port.open(&options).await.map_err(|e| {
        WebSerialError::from_js(format!("opening the serial port at {baud} baud"), &e)
    })?;
    write_signals(port, false, false).await
}

async fn write_signals(port: &SerialPort, dtr: bool, rts: bool) -> Result<(), WebSerialError> {
    let signals = SerialOutputSignals::new();
    signals.set_data_terminal_ready(dtr);
    signals.set_request_to_send(rts);
    port.set_signals_with_signals(&signals)
        .await
        .map(drop)
        .map_err(|e| WebSerialError::from_js("setting the DTR/RTS lines", &e))
}

/// Milliseconds on the page's monotonic clock.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
