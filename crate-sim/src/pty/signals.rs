//! SIGTERM/SIGINT turned into a flag the serve loop polls, so the flash is saved before exit.
//! The handler only stores an atomic; the loop sees the flag after its poll is interrupted (EINTR).

use std::io;
use std::prelude::rust_2024::*;
use std::sync::atomic::{AtomicBool, Ordering};

static STOP_REQUESTED: AtomicBool = AtomicBool::new(false);

extern "C" fn request_stop(_signal: libc::c_int) {
    STOP_REQUESTED.store(true, Ordering::SeqCst);
}

/// Route SIGTERM and SIGINT to the stop flag instead of killing the process.
pub fn install_stop_handlers() -> io::Result<()> {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        // SAFETY: sigaction is plain data; the handler is async-signal-safe (one atomic store).
        // No SA_RESTART, so a blocking poll returns EINTR and the loop notices the flag at once.
        let rc = unsafe {
            let mut action: libc::sigaction = core::mem::zeroed();
            action.sa_sigaction = request_stop as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, core::ptr::null_mut())
        };
        if rc != 0 {
            let error = io::Error::last_os_error();
            return Err(io::Error::other(format!(
                "installing the handler for signal {signal} failed: {error}"
            )));
        }
    }
    Ok(())
}

/// True once SIGTERM or SIGINT has arrived.
pub fn stop_requested() -> bool {
    STOP_REQUESTED.load(Ordering::SeqCst)
}
