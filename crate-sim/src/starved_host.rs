//! A host whose clock moves on between two readings of it, as in a browser tab starved of CPU (or
//! with a coarse, jittered `performance.now()`): wraps any `Transport` and adds `step` per reading.

use core::cell::Cell;
use core::time::Duration;

use bkflash_core::transport::{BaudChange, Transport};

/// `inner`, but every `now()` returns a later time than the one before, by `step`: code that reads
/// the clock twice and assumes it stood still in between (a check, then a subtraction) breaks here.
pub struct StarvedHost<T> {
    inner: T,
    step: Duration,
    skew: Cell<Duration>,
}

impl<T> StarvedHost<T> {
    pub fn new(inner: T, step: Duration) -> Self {
        Self {
            inner,
            step,
            skew: Cell::new(Duration::ZERO),
        }
    }

    pub fn inner(&self) -> &T {
        &self.inner
    }
}

impl<T: Transport> Transport for StarvedHost<T> {
    type Error = T::Error;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error> {
        self.inner.write_all(data).await
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush().await
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, Self::Error> {
        self.inner.read(buf, timeout).await
    }

    async fn discard_input(&mut self) -> Result<(), Self::Error> {
        self.inner.discard_input().await
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), Self::Error> {
        self.inner.set_baud(baud).await
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), Self::Error> {
        self.inner.set_signals(dtr, rts).await
    }

    async fn sleep(&mut self, duration: Duration) {
        self.inner.sleep(duration).await;
    }

    fn now(&self) -> Duration {
        let skew = self.skew.get() + self.step;
        self.skew.set(skew);
        self.inner.now() + skew
    }

    fn baud_change(&self) -> BaudChange {
        self.inner.baud_change()
    }
}
