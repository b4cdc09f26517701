//! The monitor in a terminal: what the port receives, one timestamped line at a time (non-UTF-8 as
//! hex), and each line typed on stdin sent with the chosen ending. Runs until Ctrl-C.

use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use bkflash_core::flasher::CancelToken;
use bkflash_core::monitor::{LineEnding, MonitorBuffer, MonitorLimits};
use bkflash_core::transport::Transport;
use chrono::{Local, Timelike};

/// How long one read waits: also how soon Ctrl-C and typed lines are noticed.
const READ_WAIT: Duration = Duration::from_millis(50);
/// A line with no break yet is shown once the port has been quiet this long (a prompt waits).
const QUIET_BREAK: Duration = Duration::from_millis(200);

/// True while a monitor runs: Ctrl-C then just ends it, the normal way out.
static MONITORING: AtomicBool = AtomicBool::new(false);

pub fn is_monitoring() -> bool {
    MONITORING.load(Ordering::Relaxed)
}

/// Milliseconds since local midnight, the monitor's timestamps.
pub fn time_of_day_ms() -> u64 {
    let now = Local::now();
    u64::from(now.num_seconds_from_midnight()) * 1000 + u64::from(now.timestamp_subsec_millis())
}

/// Lines typed on stdin, read on their own thread so reading the port never waits for the user.
/// The thread ends with stdin; the process does not wait for it.
pub fn typed_lines() -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Show what `port` receives on `out` until `cancel` is set; send each line of `typed` with `ending`.
/// Returns how many bytes came in, or why the port failed.
pub fn monitor<T: Transport>(
    port: &mut T,
    typed: &Receiver<String>,
    ending: LineEnding,
    cancel: &CancelToken,
    out: &mut dyn Write,
) -> Result<u64, String> {
    let mut buffer = MonitorBuffer::new(MonitorLimits::DEFAULT);
    let mut shown = None;
    let mut last_byte = Instant::now();
    let mut chunk = [0u8; 1024];
    MONITORING.store(true, Ordering::Relaxed);
    let result = loop {
        if cancel.is_cancelled() {
            break Ok(());
        }
        if let Err(error) = send_typed(port, typed, ending) {
            break Err(error);
        }
        match pollster::block_on(port.read(&mut chunk, READ_WAIT)) {
            Ok(0) => {
                if last_byte.elapsed() >= QUIET_BREAK {
                    buffer.break_line(time_of_day_ms());
                }
            }
            Ok(n) => {
                buffer.push(time_of_day_ms(), &chunk[..n]);
                last_byte = Instant::now();
            }
            Err(error) => break Err(format!("the monitor stopped: {error}")),
        }
        shown = show_new_lines(&buffer, shown, out);
    };
    MONITORING.store(false, Ordering::Relaxed);
    buffer.break_line(time_of_day_ms());
    show_new_lines(&buffer, shown, out);
    result.map(|()| buffer.received_bytes())
}

fn send_typed<T: Transport>(
    port: &mut T,
    typed: &Receiver<String>,
    ending: LineEnding,
) -> Result<(), String> {
    for line in typed.try_iter() {
        pollster::block_on(port.write_all(&ending.encode(&line)))
            .map_err(|error| format!("sending the typed line failed: {error}"))?;
    }
    Ok(())
}

/// Print the lines after `shown`; returns the number of the last one printed.
fn show_new_lines(
    buffer: &MonitorBuffer,
    mut shown: Option<u64>,
    out: &mut dyn Write,
) -> Option<u64> {
    let mut text = String::new();
    for line in buffer.lines_after(shown) {
        line.display(true, &mut text);
        text.push('\n');
        shown = Some(line.seq);
    }
    if !text.is_empty() {
        let _terminal_gone_is_not_an_error =
            out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::transport::{TransportError, TransportErrorKind};
    use std::collections::VecDeque;

    #[derive(Debug)]
    struct Gone;

    impl std::fmt::Display for Gone {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the port went away")
        }
    }

    impl TransportError for Gone {
        fn kind(&self) -> TransportErrorKind {
            TransportErrorKind::Disconnected
        }
    }

    /// A port that gives scripted chunks, then fails; it records what was written.
    struct Scripted {
        chunks: VecDeque<Vec<u8>>,
        written: Vec<u8>,
    }

    impl Transport for Scripted {
        type Error = Gone;
        async fn write_all(&mut self, data: &[u8]) -> Result<(), Gone> {
            self.written.extend_from_slice(data);
            Ok(())
        }
        async fn flush(&mut self) -> Result<(), Gone> {
            Ok(())
        }
        async fn read(&mut self, buf: &mut [u8], _timeout: Duration) -> Result<usize, Gone> {
            let chunk = self.chunks.pop_front().ok_or(Gone)?;
            buf[..chunk.len()].copy_from_slice(&chunk);
            Ok(chunk.len())
        }
        async fn discard_input(&mut self) -> Result<(), Gone> {
            Ok(())
        }
        async fn set_baud(&mut self, _baud: u32) -> Result<(), Gone> {
            Ok(())
        }
        async fn set_signals(&mut self, _dtr: bool, _rts: bool) -> Result<(), Gone> {
            Ok(())
        }
        async fn sleep(&mut self, _duration: Duration) {}
        fn now(&self) -> Duration {
            Duration::ZERO
        }
    }

    #[test]
    fn lines_are_stamped_hex_where_not_text_and_typed_lines_are_sent() {
        let mut port = Scripted {
            chunks: VecDeque::from([b"Info:MAIN:boot\r\nbad \xff".to_vec(), b"\r\n> ".to_vec()]),
            written: Vec::new(),
        };
        let (sender, typed) = mpsc::channel();
        sender.send(String::from("help")).unwrap();
        let mut out = Vec::new();
        let error = monitor(
            &mut port,
            &typed,
            LineEnding::CrLf,
            &CancelToken::new(),
            &mut out,
        )
        .unwrap_err();
        assert!(error.contains("the port went away"), "{error}");
        assert_eq!(port.written, b"help\r\n");
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        for (line, body) in lines.iter().zip(["Info:MAIN:boot", "bad \\xff", "> "]) {
            assert_eq!(line.len(), "00:00:00.000  ".len() + body.len(), "{line}");
            assert!(line.ends_with(body) && line.as_bytes()[2] == b':', "{line}");
        }
    }

    #[test]
    fn cancel_ends_the_monitor_cleanly() {
        let mut port = Scripted {
            chunks: VecDeque::from([b"x".to_vec()]),
            written: Vec::new(),
        };
        let cancel = CancelToken::new();
        cancel.cancel();
        let (_sender, typed) = mpsc::channel();
        let mut out = Vec::new();
        assert_eq!(
            monitor(&mut port, &typed, LineEnding::Lf, &cancel, &mut out),
            Ok(0)
        );
    }
}
