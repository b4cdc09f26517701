//! `SimTransport`: the core's `Transport` over a `Sim` on a virtual clock. Every future completes on
//! its first poll: reads move the clock to the first byte or the deadline, writes take wire time.
//! `HostPort` picks how the host's port behaves: a native port, or Web Serial (reopen, pacing).

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use bkflash_core::transport::{
    BaudChange, PACE_CHUNK, Pacer, Transport, TransportError, TransportErrorKind,
};

use crate::sim::{BOOT_BAUD, Sim};
use crate::transcript::{HostEvent, Transcript};

/// How long a USB-serial adapter collects bytes before handing them over (one USB frame).
const READ_LATENCY: Duration = Duration::from_millis(1);

/// How the host's serial port behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostPort {
    /// A native serial port: baud changed in place, writes handed over whole.
    Native,
    /// Web Serial as `WebSerialTransport` drives it: each baud change closes and reopens the port
    /// (the open asserts DTR and RTS for `REOPEN_GLITCH` until the transport releases them), and
    /// writes are paced in `PACE_CHUNK` chunks by the core's `Pacer`.
    WebSerial,
}

/// How long the lines stay asserted after a Web Serial open, until `setSignals` releases them.
pub const REOPEN_GLITCH: Duration = Duration::from_millis(20);

/// The only failure of the simulated port: it was unplugged by a fault knob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimError;

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the simulated serial adapter was unplugged; reconnect it and start again")
    }
}

impl TransportError for SimError {
    fn kind(&self) -> TransportErrorKind {
        TransportErrorKind::Disconnected
    }
}

/// A serial port wired to a simulated chip, with its own virtual clock.
pub struct SimTransport {
    sim: Sim,
    now: Duration,
    baud: u32,
    received: VecDeque<u8>,
    scratch: Vec<u8>,
    transcript: Transcript,
    host_port: HostPort,
    pacer: Pacer,
}

impl SimTransport {
    pub fn new(sim: Sim) -> Self {
        Self {
            sim,
            now: Duration::ZERO,
            baud: BOOT_BAUD,
            received: VecDeque::new(),
            scratch: Vec::new(),
            transcript: Transcript::default(),
            host_port: HostPort::Native,
            pacer: Pacer::new(BOOT_BAUD),
        }
    }

    /// Behave like `port` (default `Native`). A Web Serial port is opened at once: its open-time
    /// glitch reaches the chip as it would in the browser.
    pub fn with_host_port(mut self, port: HostPort) -> Self {
        self.host_port = port;
        if port == HostPort::WebSerial {
            self.reopen();
        }
        self
    }

    /// Web Serial's open: lines asserted, then released by the transport.
    fn reopen(&mut self) {
        self.transcript.record(self.now, HostEvent::PortOpened);
        self.sim.port_opened(self.now);
        self.now += REOPEN_GLITCH;
        self.sim.set_lines(self.now, false, false);
        self.pacer = Pacer::new(self.baud);
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    pub fn sim_mut(&mut self) -> &mut Sim {
        &mut self.sim
    }

    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    pub fn transcript_mut(&mut self) -> &mut Transcript {
        &mut self.transcript
    }

    /// The log adapter reads UART2 at `until` (moving this transport's clock there if it is
    /// behind): a host that is idle between jobs still sees the running firmware's log.
    pub fn read_log(&mut self, until: Duration, out: &mut Vec<u8>) {
        self.now = self.now.max(until);
        self.sim.advance_log(self.now, out);
    }

    /// The log adapter types `bytes` on UART2 now.
    pub fn write_log(&mut self, bytes: &[u8]) {
        self.sim.log_rx(self.now, bytes);
    }

    /// Host-side baud rate.
    pub fn baud(&self) -> u32 {
        self.baud
    }

    fn check_plugged(&self) -> Result<(), SimError> {
        if self.sim.is_unplugged(self.now) {
            Err(SimError)
        } else {
            Ok(())
        }
    }

    fn pull(&mut self, until: Duration) {
        self.sim.advance(until, &mut self.scratch);
        self.received.extend(self.scratch.drain(..));
    }

    fn take(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.received.len());
        for (slot, byte) in buf.iter_mut().zip(self.received.drain(..n)) {
            *slot = byte;
        }
        n
    }
}

impl Transport for SimTransport {
    type Error = SimError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), SimError> {
        self.check_plugged()?;
        self.transcript
            .record(self.now, HostEvent::Write(data.to_vec()));
        if self.host_port == HostPort::Native {
            self.now = self.sim.rx(self.now, data, self.baud).max(self.now);
            return self.check_plugged();
        }
        for chunk in data.chunks(PACE_CHUNK) {
            self.now += self.pacer.wait_before(self.now, chunk.len());
            self.pacer.sent(self.now, chunk.len());
            self.now = self.sim.rx(self.now, chunk, self.baud).max(self.now);
            self.check_plugged()?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), SimError> {
        self.check_plugged()
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, SimError> {
        self.check_plugged()?;
        let deadline = self.now + timeout;
        self.pull(self.now);
        while self.received.is_empty() {
            match self.sim.next_event() {
                Some(at) if at <= deadline => {
                    self.now = self.now.max(at);
                    self.pull(self.now);
                    self.check_plugged()?;
                }
                _ => {
                    self.now = deadline;
                    self.pull(deadline);
                    self.check_plugged()?;
                    return Ok(self.take(buf));
                }
            }
            if !self.received.is_empty() {
                self.now = (self.now + READ_LATENCY).min(deadline.max(self.now));
                self.pull(self.now);
            }
        }
        Ok(self.take(buf))
    }

    async fn discard_input(&mut self) -> Result<(), SimError> {
        self.check_plugged()?;
        self.transcript.record(self.now, HostEvent::DiscardInput);
        self.pull(self.now);
        self.received.clear();
        Ok(())
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), SimError> {
        self.check_plugged()?;
        self.transcript.record(self.now, HostEvent::SetBaud(baud));
        self.pull(self.now);
        self.baud = baud;
        self.sim.set_host_baud(self.now, baud);
        if self.host_port == HostPort::WebSerial {
            self.reopen();
        }
        Ok(())
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), SimError> {
        self.check_plugged()?;
        self.transcript
            .record(self.now, HostEvent::SetSignals { dtr, rts });
        self.sim.set_lines(self.now, dtr, rts);
        Ok(())
    }

    async fn sleep(&mut self, duration: Duration) {
        self.now += duration;
    }

    fn now(&self) -> Duration {
        self.now
    }

    fn baud_change(&self) -> BaudChange {
        match self.host_port {
            HostPort::Native => BaudChange::InPlace,
            HostPort::WebSerial => BaudChange::Reopen,
        }
    }
}
