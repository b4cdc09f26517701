//! The "virtual device": the simulator as a `Transport`, paced in wall-clock time so the page feels real.
//! The simulator runs on its own clock; each call sleeps a few ms at most and yields to the browser.

use core::time::Duration;

use bkflash_core::transport::Transport;
use bkflash_sim::{SimError, SimTransport};
use gloo_timers::future::TimeoutFuture;

use super::now_ms;

/// Simulated time runs this many times faster than the wall clock.
pub const SPEEDUP: f64 = 4.0;
/// The longest one call sleeps, so the page never freezes and a long job only runs slower.
const MAX_SLEEP_MS: f64 = 4.0;
/// Yield to the event loop at least this often (ms) even when the simulator is behind.
const YIELD_EVERY_MS: f64 = 12.0;

/// A simulated BK7231N or BK7231T behind a paced `Transport`.
pub struct VirtualTransport {
    inner: SimTransport,
    started_ms: f64,
    last_yield_ms: f64,
}

impl VirtualTransport {
    pub fn new(inner: SimTransport) -> Self {
        let now = now_ms();
        Self {
            inner,
            started_ms: now,
            last_yield_ms: now,
        }
    }

    /// The chip's UART2 output up to the (scaled) wall clock: while no job runs, simulated time
    /// catches up with it here, so the firmware's boot log comes after a reboot as on a real chip.
    pub fn read_log(&mut self, out: &mut Vec<u8>) {
        let wall =
            Duration::from_secs_f64(((now_ms() - self.started_ms) * SPEEDUP / 1000.0).max(0.0));
        self.inner.read_log(wall, out);
    }

    /// Type `bytes` on the chip's UART2 (a command line for OpenBeken's console).
    pub fn write_log(&mut self, bytes: &[u8]) {
        self.inner.write_log(bytes);
    }

    /// Sleep while simulated time is ahead of the (scaled) wall clock; otherwise yield now and then.
    async fn pace(&mut self) {
        let wall = now_ms();
        let simulated = self.inner.now().as_secs_f64() * 1000.0 / SPEEDUP;
        let ahead = simulated - (wall - self.started_ms);
        if ahead >= 1.0 {
            TimeoutFuture::new(ahead.min(MAX_SLEEP_MS) as u32).await;
            self.last_yield_ms = now_ms();
        } else if wall - self.last_yield_ms > YIELD_EVERY_MS {
            TimeoutFuture::new(0).await;
            self.last_yield_ms = now_ms();
        }
    }
}

impl Transport for VirtualTransport {
    type Error = SimError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), SimError> {
        let result = self.inner.write_all(data).await;
        self.pace().await;
        result
    }

    async fn flush(&mut self) -> Result<(), SimError> {
        self.inner.flush().await
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, SimError> {
        let result = self.inner.read(buf, timeout).await;
        self.pace().await;
        result
    }

    async fn discard_input(&mut self) -> Result<(), SimError> {
        self.inner.discard_input().await
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), SimError> {
        self.inner.set_baud(baud).await
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), SimError> {
        self.inner.set_signals(dtr, rts).await
    }

    async fn sleep(&mut self, duration: Duration) {
        self.inner.sleep(duration).await;
        self.pace().await;
    }

    fn now(&self) -> Duration {
        self.inner.now()
    }
}
