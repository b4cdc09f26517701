//! Drive a future to completion without an executor: `SimTransport` futures never wait, so polling
//! with a waker that does nothing is enough. For tests of any crate that use the simulator.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

/// Polls allowed before concluding the future waits on something other than a `SimTransport`.
const MAX_POLLS: u32 = 1_000;

/// Run `future` to completion. Panics if it stays pending, which means it awaits something besides a
/// `SimTransport` (a real timer or channel), which this helper cannot drive.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..MAX_POLLS {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
    panic!(
        "block_on: the future is still pending after {MAX_POLLS} polls; it awaits something other than a SimTransport"
    )
}
