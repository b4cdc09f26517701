//! The serve loop: host bytes from the pty into the simulator, chip bytes back out, until a stop signal.
//! Reads of any size are fed as they come; output the pty cannot take yet waits in a backlog.

use core::time::Duration;
use std::io;
use std::prelude::rust_2024::*;

use super::clock::{Pacing, ServeClock};
use super::log_port::LogPort;
use super::open_watch::{OPEN_GLITCH, OpenWatch};
use super::pair::PtyPair;
use super::signals;
use crate::{ChipMode, Sim};

/// Largest single read from the pty master; any size works, this just batches a 4 KiB frame.
const READ_CHUNK: usize = 16 * 1024;

/// Chip events run back to back (skipping time, when not pacing) before the pty is serviced again:
/// enough for a whole 4 KiB reply to leave in one write instead of byte by byte.
const EVENTS_PER_POLL: usize = 8192;

/// Serve `sim` on `pair`, and its UART2 on `log` if given, until SIGTERM/SIGINT arrives. With
/// `opens`, every open of the slave asserts the lines for `OPEN_GLITCH` (`Sim::port_opened`) before
/// the host's bytes are read.
pub fn serve(
    sim: &mut Sim,
    pair: &PtyPair,
    pacing: Pacing,
    opens: Option<&OpenWatch>,
    mut log: Option<&mut LogPort>,
) -> io::Result<()> {
    let mut clock = ServeClock::start(pacing);
    let mut backlog: Vec<u8> = Vec::new();
    let mut from_host = vec![0u8; READ_CHUNK];
    let mut glitch = opens.map(OpenGlitch::new);
    while !signals::stop_requested() {
        let release_at = match glitch.as_mut() {
            Some(glitch) => glitch.step(sim, clock.now())?,
            None => None,
        };
        let mut wait = run_chip_batch(sim, &mut clock, &mut backlog);
        if let Some(at) = release_at {
            wait = wait.min(at.saturating_sub(clock.now()));
        }
        if let Some(log) = log.as_deref_mut() {
            let now = clock.now();
            run_chip_until(sim, now, &mut backlog);
            log.pump(sim, now)?;
            if let Some(limit) = log.wait_limit(sim, now) {
                wait = wait.min(limit);
            }
        }
        if !backlog.is_empty() {
            let taken = pair.write_chip_bytes(&backlog)?;
            backlog.drain(..taken);
        }
        if pair.wait(!backlog.is_empty(), wait)? {
            let n = pair.read_host_bytes(&mut from_host)?;
            let baud = sim.chip_baud();
            sim.rx(clock.now(), &from_host[..n], baud);
        }
    }
    Ok(())
}

/// The open-time line glitch on the pty: lines asserted at each open of the slave, released
/// `OPEN_GLITCH` later.
struct OpenGlitch<'a> {
    watch: &'a OpenWatch,
    release_at: Option<Duration>,
}

impl<'a> OpenGlitch<'a> {
    fn new(watch: &'a OpenWatch) -> Self {
        Self {
            watch,
            release_at: None,
        }
    }

    /// Apply opens seen by `now` and a release due by `now`; returns when the next release is due.
    fn step(&mut self, sim: &mut Sim, now: Duration) -> io::Result<Option<Duration>> {
        if self.watch.opened()? {
            sim.port_opened(now);
            self.release_at = Some(now + OPEN_GLITCH);
        }
        if let Some(at) = self.release_at.filter(|&at| at <= now) {
            sim.set_lines(at, false, false);
            self.release_at = None;
        }
        Ok(self.release_at)
    }
}

/// Run the chip up to now and, when the clock may skip, on through its busy time; returns how long
/// to wait for host bytes before the chip's next event.
fn run_chip_batch(sim: &mut Sim, clock: &mut ServeClock, out: &mut Vec<u8>) -> Duration {
    for _ in 0..EVENTS_PER_POLL {
        run_chip_until(sim, clock.now(), out);
        // Skip time only in download mode: boot, download window and app phases are timeouts
        // the host has to meet in real time, like on hardware.
        let wait = clock.wait_before(sim.next_event(), sim.mode() == ChipMode::Download);
        if !wait.is_zero() {
            return wait;
        }
    }
    Duration::ZERO
}

/// Run the chip event by event up to `now`, collecting what reaches the host.
///
/// A pty has no baud rate, so the host side follows the chip's baud the moment the chip switches
/// (after SetBaudRate, or back to 115200 on a reset). Stepping per event keeps a baud echo from
/// being judged at the old rate when the loop runs late.
pub fn run_chip_until(sim: &mut Sim, now: Duration, out: &mut Vec<u8>) {
    // `advance(event)` handles everything due by `event`, so a repeat means no progress: stop there.
    let mut reached = None;
    while let Some(event) = sim
        .next_event()
        .filter(|&event| event <= now && Some(event) != reached)
    {
        sim.advance(event, out);
        follow_chip_baud(sim, event);
        reached = Some(event);
    }
    sim.advance(now, out);
    follow_chip_baud(sim, now);
}

fn follow_chip_baud(sim: &mut Sim, now: Duration) {
    if sim.host_baud() != sim.chip_baud() {
        let baud = sim.chip_baud();
        sim.set_host_baud(now, baud);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimConfig;

    const LINK_CHECK: [u8; 5] = [0x01, 0xE0, 0xFC, 0x01, 0x00];
    const LINK_REPLY: [u8; 8] = [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x01, 0x00];
    const SET_BAUD_921600: [u8; 10] = [0x01, 0xE0, 0xFC, 0x06, 0x0F, 0x00, 0x10, 0x0E, 0x00, 0x14];
    const BAUD_ECHO: [u8; 12] = [
        0x04, 0x0E, 0x09, 0x01, 0xE0, 0xFC, 0x0F, 0x00, 0x10, 0x0E, 0x00, 0x14,
    ];

    #[test]
    fn opening_the_pty_resets_a_chip_with_rts_wired_to_cen_only() {
        use crate::Wiring;
        use crate::pty::pair::PtyPair;
        for (wiring, resets) in [(Wiring::RtsToCen, true), (Wiring::None, false)] {
            let pair = PtyPair::open().expect("a pty pair");
            let watch = OpenWatch::new(pair.slave_path()).expect("inotify on the slave");
            let mut glitch = OpenGlitch::new(&watch);
            let mut sim = Sim::new(SimConfig::bk7231n().with_wiring(wiring));
            let host = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(pair.slave_path())
                .unwrap();
            let opened = Duration::from_millis(5);
            assert_eq!(
                glitch.step(&mut sim, opened).unwrap(),
                Some(opened + OPEN_GLITCH)
            );
            assert_eq!(glitch.step(&mut sim, opened + OPEN_GLITCH).unwrap(), None);
            drop(host);
            let mut out = Vec::new();
            sim.advance(opened + Duration::from_millis(50), &mut out);
            assert_eq!(
                sim.mode() != ChipMode::Download,
                resets,
                "{wiring:?}: the chip left download mode: {:?}",
                sim.mode()
            );
            assert_eq!(
                !out.is_empty(),
                resets,
                "{wiring:?}: the boot log shows a reset"
            );
        }
    }

    #[test]
    fn baud_echo_arrives_intact_even_when_the_loop_runs_late() {
        let mut sim = Sim::new(SimConfig::bk7231n());
        let mut out = Vec::new();
        let sent = sim.rx(Duration::ZERO, &SET_BAUD_921600, sim.chip_baud());
        // One late step covers the command, the 20 ms delay and the echo's wire time.
        run_chip_until(&mut sim, sent + Duration::from_millis(100), &mut out);
        assert_eq!(out, BAUD_ECHO);
        assert_eq!(sim.host_baud(), 921_600);

        let later = sent + Duration::from_millis(200);
        let baud = sim.chip_baud();
        let sent = sim.rx(later, &LINK_CHECK, baud);
        out.clear();
        run_chip_until(&mut sim, sent + Duration::from_millis(10), &mut out);
        assert_eq!(
            out, LINK_REPLY,
            "after the switch both sides talk at 921600"
        );
    }
}
