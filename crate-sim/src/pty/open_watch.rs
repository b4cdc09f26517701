//! Notices every open of the pty slave (inotify `IN_OPEN`), so that `--wiring rts-cen` can apply the
//! open-time line glitch a real port gives: DTR and RTS asserted until the host releases them.

use core::time::Duration;
use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::prelude::rust_2024::*;

/// How long the lines stay asserted after an open: a host that releases them right after opening
/// (bkflash, the page) leaves a glitch of a few milliseconds. A pty cannot carry the release itself.
pub const OPEN_GLITCH: Duration = Duration::from_millis(10);

/// An inotify watch on the slave device for opens.
pub struct OpenWatch {
    fd: OwnedFd,
}

impl OpenWatch {
    /// Watch `slave` (e.g. `/dev/pts/7`). Opens from before this call are not reported.
    pub fn new(slave: &Path) -> io::Result<Self> {
        // SAFETY: plain syscall; a negative result is checked below.
        let raw = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: inotify_init1 returned a new fd that nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let path = CString::new(slave.as_os_str().as_bytes())
            .map_err(|_| io::Error::other("the pty path holds a NUL byte"))?;
        // SAFETY: fd is an inotify instance and path a NUL-terminated string alive for the call.
        if unsafe { libc::inotify_add_watch(fd.as_raw_fd(), path.as_ptr(), libc::IN_OPEN) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Self { fd })
    }

    /// Whether the slave was opened since the last call (never blocks). inotify merges back-to-back
    /// opens into one event, so two opens between calls count as one glitch.
    pub fn opened(&self) -> io::Result<bool> {
        let mut buf = [0u8; 4096];
        let mut opened = false;
        loop {
            // SAFETY: reading into a valid buffer of the given length.
            let n = unsafe { libc::read(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                opened = true;
                continue;
            }
            let error = io::Error::last_os_error();
            return match error.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(opened),
                _ => Err(error),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pty::pair::PtyPair;

    #[test]
    fn every_open_of_the_slave_is_noticed() {
        let pair = PtyPair::open().expect("a pty pair");
        let watch = OpenWatch::new(pair.slave_path()).expect("inotify on the slave");
        let open = || {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(pair.slave_path())
                .unwrap()
        };
        assert!(!watch.opened().unwrap());
        for _ in 0..2 {
            drop(open());
            assert!(watch.opened().unwrap());
            assert!(!watch.opened().unwrap());
        }
    }
}
