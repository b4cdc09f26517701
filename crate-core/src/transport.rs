//! The byte pipe a `Flasher` drives: a native serial port, Web Serial, or the simulator.
//! Async and not `Send` (wasm is single-threaded); time belongs to the transport, so a simulator can run on a virtual clock.

use core::fmt;
use core::time::Duration;

/// What kind of failure a transport error is, so the flasher can decide to retry or stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The port went away: unplugged, closed by the OS or by the browser.
    Disconnected,
    /// The user (or the embedding application) asked to stop.
    Cancelled,
    /// The port cannot do what was asked, for example a baud rate or modem lines it lacks.
    Unsupported,
    /// Any other IO failure.
    Other,
}

/// Errors of a transport carry a kind; their `Display` is shown to the user as is.
pub trait TransportError: fmt::Debug + fmt::Display {
    fn kind(&self) -> TransportErrorKind;
}

/// A serial link to the chip.
///
/// Deadlines: only `read` waits for the other side, and never longer than its `timeout`;
/// it returns `Ok(0)` when the timeout passed with nothing received (a normal outcome: many
/// chip refusals are silence). All other methods complete in bounded time on their own.
///
/// Cancellation: every future may be dropped at an await point. Dropping a `read` loses no
/// bytes: an implementation keeps whatever arrived for the next call. Dropping a `write_all`
/// leaves an unknown prefix of the data sent, so the flasher treats the chip state as unknown.
///
/// Time: `now` and `sleep` use the transport's clock, which may be virtual. The flasher never
/// reads any other clock, so a simulator-backed transport runs without real sleeps.
pub trait Transport {
    type Error: TransportError;

    /// Queue all of `data` for sending.
    async fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error>;

    /// Wait until everything written so far has left the host (is on the wire).
    async fn flush(&mut self) -> Result<(), Self::Error>;

    /// Read whatever has arrived into `buf`, waiting up to `timeout` for the first byte.
    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, Self::Error>;

    /// Drop everything received and not yet read.
    async fn discard_input(&mut self) -> Result<(), Self::Error>;

    /// Change the host side's baud rate. Bytes in flight may be lost.
    async fn set_baud(&mut self, baud: u32) -> Result<(), Self::Error>;

    /// Drive the modem lines; `true` asserts the signal, which pulls the adapter pin low.
    /// With RTS wired to CEN, asserting RTS holds the chip in reset.
    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), Self::Error>;

    /// Wait for `duration` on the transport's clock.
    async fn sleep(&mut self, duration: Duration);

    /// Time since the transport was opened, on the transport's clock.
    fn now(&self) -> Duration;
}
