//! A cancel flag the UI sets and the flasher checks between operations (never inside one).
//! Clones share the flag, so the page or a Ctrl-C handler can hold one while the flasher runs.

use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    /// Ask the flasher to stop at its next safe point.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Clear the flag so the next job can run.
    pub fn reset(&self) {
        self.0.store(false, Ordering::Relaxed);
    }
}
