//! A raw pseudo-terminal pair: the simulator drives the master side, a peer tool opens the slave.
//! The slave path is published as a symlink, and our own slave fd stays open so host reopens never hang us up.

use core::time::Duration;
use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::prelude::rust_2024::*;

/// Both ends of an open pty. The master is non-blocking; the slave fd is kept only so that the
/// master never sees EOF/EIO while the peer tool has the port closed between link stages.
pub struct PtyPair {
    master: OwnedFd,
    _slave_keepalive: OwnedFd,
    slave_path: PathBuf,
}

impl PtyPair {
    /// Open a pty pair in raw mode (no echo, no line editing, 8 bits through).
    pub fn open() -> io::Result<Self> {
        let mut master_fd: libc::c_int = -1;
        let mut slave_fd: libc::c_int = -1;
        // SAFETY: openpty writes two fds into the out-pointers; the name, termios and winsize
        // arguments may be null.
        let rc = unsafe {
            libc::openpty(
                &mut master_fd,
                &mut slave_fd,
                core::ptr::null_mut(),
                core::ptr::null(),
                core::ptr::null(),
            )
        };
        if rc != 0 {
            return Err(annotate(io::Error::last_os_error(), "openpty"));
        }
        // SAFETY: openpty succeeded, so both fds are open and owned by nobody else.
        let (master, slave) = unsafe {
            (
                OwnedFd::from_raw_fd(master_fd),
                OwnedFd::from_raw_fd(slave_fd),
            )
        };
        make_raw(slave.as_raw_fd())?;
        set_nonblocking(master.as_raw_fd())?;
        let slave_path = tty_name(slave.as_raw_fd())?;
        Ok(Self {
            master,
            _slave_keepalive: slave,
            slave_path,
        })
    }

    /// The master fd the simulator reads host bytes from and writes chip bytes to.
    pub fn master_fd(&self) -> RawFd {
        self.master.as_raw_fd()
    }

    /// The slave device, e.g. `/dev/pts/7`, which a peer tool opens as its serial port.
    pub fn slave_path(&self) -> &Path {
        &self.slave_path
    }

    /// Wait up to `timeout` until host bytes can be read (`true`), or the master accepts more
    /// bytes when `want_write`. A signal ends the wait early with `false`.
    pub fn wait(&self, want_write: bool, timeout: Duration) -> io::Result<bool> {
        let events = if want_write {
            libc::POLLIN | libc::POLLOUT
        } else {
            libc::POLLIN
        };
        let mut poll = libc::pollfd {
            fd: self.master_fd(),
            events,
            revents: 0,
        };
        let millis = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
        // SAFETY: one valid pollfd for the duration of the call.
        match unsafe { libc::poll(&mut poll, 1, millis) } {
            rc if rc >= 0 => Ok(poll.revents & libc::POLLIN != 0),
            _ => match io::Error::last_os_error() {
                error if error.kind() == io::ErrorKind::Interrupted => Ok(false),
                error => Err(annotate(error, "poll on the pty master")),
            },
        }
    }

    /// Read whatever host bytes are waiting (0 when none).
    pub fn read_host_bytes(&self, buf: &mut [u8]) -> io::Result<usize> {
        // SAFETY: reading into a valid buffer of the given length.
        let n = unsafe { libc::read(self.master_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        self.count_or_would_block(n, "reading host bytes from the pty master")
    }

    /// Write as many chip bytes as the pty takes now, returning how many it took.
    pub fn write_chip_bytes(&self, data: &[u8]) -> io::Result<usize> {
        // SAFETY: writing from a valid buffer of the given length.
        let n = unsafe { libc::write(self.master_fd(), data.as_ptr().cast(), data.len()) };
        self.count_or_would_block(n, "writing chip bytes to the pty master")
    }

    fn count_or_would_block(&self, n: isize, operation: &str) -> io::Result<usize> {
        if n >= 0 {
            return Ok(n as usize);
        }
        match io::Error::last_os_error() {
            error
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                Ok(0)
            }
            error => Err(annotate(error, operation)),
        }
    }

    /// Make `link` a symlink to the slave device, replacing an older symlink at that path.
    pub fn publish_at(&self, link: &Path) -> io::Result<()> {
        match std::fs::symlink_metadata(link) {
            Ok(meta) if meta.file_type().is_symlink() => std::fs::remove_file(link)?,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "--link {}: a file that is not a symlink is in the way; pick another path",
                        link.display()
                    ),
                ));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        symlink(&self.slave_path, link).map_err(|error| {
            annotate(
                error,
                &format!("creating the --link symlink {}", link.display()),
            )
        })
    }
}

pub(crate) fn make_raw(fd: RawFd) -> io::Result<()> {
    // SAFETY: termios is plain data; tcgetattr fills it before we read it.
    let mut attrs: libc::termios = unsafe { core::mem::zeroed() };
    // SAFETY: fd is an open tty and attrs is a valid termios buffer.
    if unsafe { libc::tcgetattr(fd, &mut attrs) } != 0 {
        return Err(annotate(
            io::Error::last_os_error(),
            "tcgetattr on the pty slave",
        ));
    }
    // SAFETY: attrs came from tcgetattr.
    unsafe { libc::cfmakeraw(&mut attrs) };
    // SAFETY: as above; TCSANOW applies the raw settings immediately.
    if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &attrs) } != 0 {
        return Err(annotate(
            io::Error::last_os_error(),
            "tcsetattr (raw mode) on the pty slave",
        ));
    }
    Ok(())
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: F_GETFL/F_SETFL on an fd we own.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(annotate(
            io::Error::last_os_error(),
            "making the pty master non-blocking",
        ));
    }
    Ok(())
}

fn tty_name(fd: RawFd) -> io::Result<PathBuf> {
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: the buffer is valid for its length; ttyname_r NUL-terminates on success.
    let rc = unsafe { libc::ttyname_r(fd, name.as_mut_ptr(), name.len()) };
    if rc != 0 {
        return Err(annotate(
            io::Error::from_raw_os_error(rc),
            "ttyname_r on the pty slave",
        ));
    }
    // SAFETY: ttyname_r succeeded, so the buffer holds a NUL-terminated path.
    let path = unsafe { CStr::from_ptr(name.as_ptr()) };
    Ok(PathBuf::from(path.to_string_lossy().into_owned()))
}

fn annotate(error: io::Error, operation: &str) -> io::Error {
    io::Error::new(error.kind(), format!("{operation} failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn bytes_cross_the_pair_unchanged_in_both_directions() {
        let pair = PtyPair::open().expect("open a pty pair");
        let mut host = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(pair.slave_path())
            .unwrap();
        make_raw(host.as_raw_fd()).unwrap();
        let all_bytes: Vec<u8> = (0..=255u8).collect();
        host.write_all(&all_bytes).unwrap();
        let mut seen = Vec::new();
        let mut chunk = [0u8; 512];
        while seen.len() < all_bytes.len() {
            assert!(
                pair.wait(false, Duration::from_secs(2)).unwrap(),
                "host bytes never reached the master"
            );
            let n = pair.read_host_bytes(&mut chunk).unwrap();
            seen.extend_from_slice(&chunk[..n]);
        }
        assert_eq!(
            seen, all_bytes,
            "raw mode must pass every byte value untranslated"
        );
        assert_eq!(pair.write_chip_bytes(&all_bytes).unwrap(), 256);
        let mut back = vec![0u8; 256];
        host.read_exact(&mut back).unwrap();
        assert_eq!(back, all_bytes);
    }

    #[test]
    fn host_may_close_and_reopen_the_port_without_a_hangup() {
        let pair = PtyPair::open().unwrap();
        let mut chunk = [0u8; 16];
        for round in 0..3u8 {
            let mut host = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(pair.slave_path())
                .unwrap();
            make_raw(host.as_raw_fd()).unwrap();
            host.write_all(&[round]).unwrap();
            assert!(pair.wait(false, Duration::from_secs(2)).unwrap());
            assert_eq!(pair.read_host_bytes(&mut chunk).unwrap(), 1);
            assert_eq!(chunk[0], round);
            drop(host);
            assert_eq!(
                pair.read_host_bytes(&mut chunk).unwrap(),
                0,
                "a closed host must read as 'no bytes', not EIO"
            );
        }
    }

    #[test]
    fn publishing_replaces_an_old_symlink_but_not_a_file() {
        let pair = PtyPair::open().unwrap();
        let dir = std::env::temp_dir().join(format!("bkflash-pty-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("port");
        symlink("/nonexistent", &link).unwrap();
        pair.publish_at(&link).unwrap();
        assert_eq!(std::fs::read_link(&link).unwrap(), pair.slave_path());
        let file = dir.join("file");
        std::fs::write(&file, b"x").unwrap();
        assert!(pair.publish_at(&file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
