//! The core's `Transport` on a native serial port (the `serialport` crate, no libudev).
//! Blocking IO inside async methods: the CLI drives one flasher on one thread with `pollster`.

use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

use bkflash_core::transport::{Transport, TransportError, TransportErrorKind};
use serialport::SerialPort;

/// A serial-port failure with the port name, shown to the user as is.
#[derive(Debug)]
pub struct PortError {
    kind: TransportErrorKind,
    message: String,
}

impl std::fmt::Display for PortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PortError {}

impl TransportError for PortError {
    fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

pub struct NativePort {
    port: Box<dyn SerialPort>,
    name: String,
    opened: Instant,
    /// Ptys and some adapters have no modem lines; we warn once and carry on with a manual reset.
    modem_lines: bool,
    baud: u32,
}

/// How long a write may block: twice the wire time of `len` bytes at `baud`, plus a second of slack.
/// A 4 KiB frame overfills a USB adapter's 4 KiB write FIFO, so the last bytes wait for the wire;
/// the short read timeout left on the port would fail them.
pub fn write_timeout(len: usize, baud: u32) -> Duration {
    let wire_us = (len as u64 * 10 * 1_000_000).div_ceil(u64::from(baud.max(1)));
    Duration::from_micros(2 * wire_us) + Duration::from_secs(1)
}

impl NativePort {
    /// Open `name` at `baud` and release DTR and RTS at once: the OS asserts both on open, which
    /// holds the chip in reset when RTS is wired to CEN until a reset sequence lets go.
    pub fn open(name: &str, baud: u32) -> Result<Self, PortError> {
        let port = serialport::new(name, baud)
            .timeout(Duration::from_millis(10))
            .open()
            .map_err(|e| PortError {
                kind: TransportErrorKind::Other,
                message: format!("cannot open serial port {name}: {e}; check the name (--port) and that no other program holds it"),
            })?;
        let mut native = Self {
            port,
            name: name.to_owned(),
            opened: Instant::now(),
            modem_lines: true,
            baud,
        };
        native.drive_lines(false, false);
        Ok(native)
    }

    /// Set DTR and RTS; on a port without modem lines say once that resets are manual, then stop trying.
    fn drive_lines(&mut self, dtr: bool, rts: bool) {
        if !self.modem_lines {
            return;
        }
        let result = self
            .port
            .write_data_terminal_ready(dtr)
            .and_then(|()| self.port.write_request_to_send(rts));
        if let Err(e) = result {
            self.modem_lines = false;
            eprintln!(
                "note: {} has no RTS/DTR lines ({e}); reset the chip by hand (bridge CEN to GND briefly) when asked",
                self.name
            );
        }
    }

    fn fail(&self, what: &str, e: impl std::fmt::Display, kind: TransportErrorKind) -> PortError {
        PortError {
            kind,
            message: format!("serial port {}: {what} failed: {e}", self.name),
        }
    }

    fn io_fail(&self, what: &str, e: std::io::Error) -> PortError {
        let kind = match e.kind() {
            ErrorKind::BrokenPipe | ErrorKind::NotConnected | ErrorKind::UnexpectedEof => {
                TransportErrorKind::Disconnected
            }
            _ if e.raw_os_error() == Some(EIO) => TransportErrorKind::Disconnected,
            _ => TransportErrorKind::Other,
        };
        self.fail(what, e, kind)
    }
}

/// EIO: what Linux returns once a USB adapter is unplugged.
const EIO: i32 = 5;

impl Transport for NativePort {
    type Error = PortError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), PortError> {
        self.port
            .set_timeout(write_timeout(data.len(), self.baud))
            .map_err(|e| self.fail("set timeout", e, TransportErrorKind::Other))?;
        self.port
            .write_all(data)
            .map_err(|e| self.io_fail("write", e))
    }

    async fn flush(&mut self) -> Result<(), PortError> {
        self.port.flush().map_err(|e| self.io_fail("flush", e))
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PortError> {
        // serialport rejects a zero timeout; 1 ms is the finest the tty layer honours anyway.
        let timeout = timeout.max(Duration::from_millis(1));
        self.port
            .set_timeout(timeout)
            .map_err(|e| self.fail("set timeout", e, TransportErrorKind::Other))?;
        match self.port.read(buf) {
            Ok(0) => Err(self.fail("read", "the port closed", TransportErrorKind::Disconnected)),
            Ok(n) => Ok(n),
            Err(e) if e.kind() == ErrorKind::TimedOut || e.kind() == ErrorKind::WouldBlock => Ok(0),
            Err(e) if e.kind() == ErrorKind::Interrupted => Ok(0),
            Err(e) => Err(self.io_fail("read", e)),
        }
    }

    async fn discard_input(&mut self) -> Result<(), PortError> {
        self.port
            .clear(serialport::ClearBuffer::Input)
            .map_err(|e| self.fail("discard input", e, TransportErrorKind::Other))
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), PortError> {
        self.port.set_baud_rate(baud).map_err(|e| {
            self.fail(
                &format!("set baud {baud}"),
                e,
                TransportErrorKind::Unsupported,
            )
        })?;
        self.baud = baud;
        Ok(())
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), PortError> {
        self.drive_lines(dtr, rts);
        Ok(())
    }

    async fn sleep(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }

    fn now(&self) -> Duration {
        self.opened.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_timeout_covers_a_4k_frame_at_any_baud() {
        assert_eq!(
            write_timeout(4108, 115_200),
            Duration::from_micros(2 * 356_598) + Duration::from_secs(1)
        );
        assert!(write_timeout(4108, 921_600) > Duration::from_secs(1));
        assert_eq!(write_timeout(0, 0), Duration::from_secs(1));
    }
}
