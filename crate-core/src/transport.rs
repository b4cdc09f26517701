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

    /// What `set_baud` costs on this port; in place unless the port says otherwise.
    fn baud_change(&self) -> BaudChange {
        BaudChange::InPlace
    }
}

/// What changing the baud rate costs on a port (field-audit D2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaudChange {
    /// The port changes rate in place, in microseconds, without touching the modem lines
    /// (native serial ports, the simulator's default port).
    InPlace,
    /// The port is closed and opened again (Web Serial). Opening asserts DTR and RTS until the
    /// transport releases them, which can reset a chip whose CEN is wired to RTS; so the flasher
    /// never switches there and back to ask whether the port accepts a rate, and switches the chip
    /// to a work rate at most once per connection.
    Reopen,
}

/// Bytes per write when a transport paces its output: ESPHome's engine writes 128 (field-audit D10).
pub const PACE_CHUNK: usize = 128;
/// Most bytes a paced transport lets the adapter hold that are not on the wire yet: under the
/// "less than 512 bytes" a bridge without backpressure was seen to buffer.
pub const PACE_AHEAD: usize = 384;
/// Longest one 4 KiB frame may take on the wire when paced: ESPHome saw a bootloader drop a frame
/// that takes "much over half a second" (field-audit D10).
pub const PACED_FRAME_LIMIT: Duration = Duration::from_millis(500);

/// Write pacing for ports that hand bytes to an adapter without backpressure: chunks of
/// `PACE_CHUNK`, never more than `PACE_AHEAD` bytes ahead of the wire at the port's baud.
/// Pure arithmetic on the caller's clock, so the browser and the simulator pace alike.
#[derive(Clone, Copy, Debug)]
pub struct Pacer {
    baud: u32,
    /// When the bytes handed over so far will have left the adapter, by wire time.
    wire_free_at: Duration,
}

impl Pacer {
    pub fn new(baud: u32) -> Self {
        Self {
            baud,
            wire_free_at: Duration::ZERO,
        }
    }

    /// How long to wait at `now` before handing `len` (at most `PACE_CHUNK`) more bytes over.
    pub fn wait_before(&self, now: Duration, len: usize) -> Duration {
        let queued = self.wire_free_at.saturating_sub(now);
        let allowed = wire_time(PACE_AHEAD.saturating_sub(len), self.baud);
        queued.saturating_sub(allowed)
    }

    /// `len` bytes were handed over at `now`.
    pub fn sent(&mut self, now: Duration, len: usize) {
        self.wire_free_at = self.wire_free_at.max(now) + wire_time(len, self.baud);
    }
}

/// Time `len` bytes take on the wire at `baud` (8N1: ten bits per byte).
pub fn wire_time(len: usize, baud: u32) -> Duration {
    Duration::from_nanos(len as u64 * 10_000_000_000 / u64::from(baud.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pace one frame with a timer that never wakes sooner than `grain` (browsers clamp nested
    /// timers to 4 ms); returns when its last byte is on the wire and the most bytes ever queued.
    fn pace_frame(len: usize, baud: u32, grain: Duration) -> (Duration, usize) {
        let mut pacer = Pacer::new(baud);
        let mut now = Duration::ZERO;
        let mut most_queued = 0;
        for chunk in (0..len).step_by(PACE_CHUNK) {
            let chunk_len = PACE_CHUNK.min(len - chunk);
            let wait = pacer.wait_before(now, chunk_len);
            if !wait.is_zero() {
                now += wait.max(grain);
            }
            pacer.sent(now, chunk_len);
            let queued = pacer.wire_free_at.saturating_sub(now);
            most_queued =
                most_queued.max((queued.as_nanos() * u128::from(baud) / 10_000_000_000) as usize);
        }
        (pacer.wire_free_at, most_queued)
    }

    #[test]
    fn a_paced_4k_frame_stays_under_the_adapter_buffer_and_the_frame_limit() {
        let grain = Duration::from_millis(4);
        for baud in [115_200, 460_800, 921_600, 1_500_000, 2_000_000] {
            let (done, most_queued) = pace_frame(4108, baud, grain);
            assert!(
                most_queued <= PACE_AHEAD,
                "{baud}: {most_queued} bytes queued"
            );
            assert!(
                done <= PACED_FRAME_LIMIT,
                "{baud}: the frame takes {done:?}"
            );
        }
    }

    #[test]
    fn an_idle_pacer_lets_the_first_chunks_go_at_once() {
        let mut pacer = Pacer::new(115_200);
        assert_eq!(
            pacer.wait_before(Duration::ZERO, PACE_CHUNK),
            Duration::ZERO
        );
        pacer.sent(Duration::ZERO, PACE_CHUNK);
        pacer.sent(Duration::ZERO, PACE_CHUNK);
        assert_eq!(
            pacer.wait_before(Duration::ZERO, PACE_CHUNK),
            Duration::ZERO
        );
        pacer.sent(Duration::ZERO, PACE_CHUNK);
        assert_eq!(
            pacer.wait_before(Duration::ZERO, PACE_CHUNK),
            wire_time(PACE_CHUNK, 115_200),
            "a fourth chunk waits until one has left"
        );
    }
}
