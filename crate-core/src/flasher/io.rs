//! One command out, its reply back: encode, log, wait for the matching frame, map status bytes to errors.
//! Also the retry budget and the line recovery that runs before each retry.

use core::time::Duration;

use super::baud::{STEP_DOWN_AFTER, is_line_fault};
use super::{Flasher, LINK_BAUD, transport_error};
use crate::chips::ProtocolClass;
use crate::error::{Error, ErrorKind};
use crate::progress::{Direction, Event, ProgressSink};
use crate::protocol::{Command, Frame, FrameForm, Match, Opcode, status_kind};
use crate::transport::Transport;

/// How long a single LinkCheck waits during re-sync (not the flood, which has its own cadence).
const RELINK_TRY: Duration = Duration::from_millis(50);
/// Re-sync gives up after this long without a LinkCheck reply: longer than the slowest chip-side
/// operation (a 64 KiB erase, worst about 2 s), which keeps the handler deaf.
const RELINK_WINDOW: Duration = Duration::from_secs(3);
/// Unanswered re-sync LinkChecks between two short fillers.
const FILL_EVERY: u32 = 5;
/// Leading zero bytes of the line-recovery filler (up to four lost bytes of an address).
const FILLER_ZEROS: usize = 4;
/// Draining stops after this long even if a chatty app keeps the line busy.
const DRAIN_MAX: Duration = Duration::from_millis(100);

impl<T: Transport> Flasher<T> {
    /// Encode and send `command` without waiting for anything. Commands the identified class lacks
    /// are refused here: a legacy bootloader would only stay silent.
    pub(super) async fn send(
        &mut self,
        command: &Command<'_>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if self.class_known() == Some(ProtocolClass::Legacy) && !command.opcode().info().on_legacy {
            return Err(
                Error::new(ErrorKind::Unsupported).command(command.opcode(), command.address())
            );
        }
        self.remember_change(command);
        self.frame.resize(command.encoded_len(), 0);
        let len = command.encode(&mut self.frame).map_err(|_| {
            Error::new(ErrorKind::BadLength).command(command.opcode(), command.address())
        })?;
        sink.event(Event::Frame {
            direction: Direction::Sent,
            bytes: &self.frame[..len],
        });
        self.transport
            .write_all(&self.frame[..len])
            .await
            .map_err(|e| transport_error(e).command(command.opcode(), command.address()))
    }

    /// Read what has arrived (waiting up to `timeout`) into the decoder; returns the byte count.
    pub(super) async fn receive(&mut self, timeout: Duration) -> Result<usize, Error> {
        let n = self
            .transport
            .read(&mut self.rx, timeout)
            .await
            .map_err(transport_error)?;
        self.decoder.feed(&self.rx[..n]);
        Ok(n)
    }

    /// Send `command` and wait for its reply; frames that answer something else are discarded.
    pub(super) async fn transact(
        &mut self,
        command: &Command<'_>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Frame, Error> {
        self.send(command, sink).await?;
        let timeout = command.timeout(self.baud);
        self.await_reply(command, timeout, sink).await
    }

    /// Wait up to `timeout` for the reply to `command`, which has already been sent.
    pub(super) async fn await_reply(
        &mut self,
        command: &Command<'_>,
        timeout: Duration,
        sink: &mut dyn ProgressSink,
    ) -> Result<Frame, Error> {
        let failed = |kind| Error::new(kind).command(command.opcode(), command.address());
        let deadline = self.transport.now() + timeout;
        loop {
            while let Some(frame) = self.decoder.next_frame() {
                let bytes = frame.to_bytes();
                match command.classify(&frame) {
                    Match::Reply => {
                        sink.event(Event::Frame {
                            direction: Direction::Received,
                            bytes: &bytes,
                        });
                        return match frame.status() {
                            0 => Ok(frame),
                            status => Err(failed(status_kind(status))
                                .detail(alloc::format!("status {status}"))),
                        };
                    }
                    Match::Unsupported => {
                        sink.event(Event::Frame {
                            direction: Direction::Received,
                            bytes: &bytes,
                        });
                        return Err(failed(ErrorKind::UnknownCommand));
                    }
                    Match::Foreign => {
                        sink.event(Event::Frame {
                            direction: Direction::Discarded,
                            bytes: &bytes,
                        });
                        if let Some(error) = self.misdirected(Some(command), &frame) {
                            return Err(error);
                        }
                    }
                }
            }
            self.log_noise(sink);
            let now = self.transport.now();
            if now >= deadline {
                if self.decoder.pending() > 0 {
                    // A frame candidate is still incomplete: its length field lied. Rescan behind it.
                    self.decoder.skip_candidate();
                    continue;
                }
                return Err(failed(ErrorKind::Timeout)
                    .detail(alloc::format!("no reply within {} ms", timeout.as_millis())));
            }
            self.receive(deadline - now)
                .await
                .map_err(|e| e.command(command.opcode(), command.address()))?;
        }
    }

    fn log_noise(&mut self, sink: &mut dyn ProgressSink) {
        let noise = self.decoder.take_noise();
        if !noise.is_empty() {
            sink.event(Event::Frame {
                direction: Direction::Discarded,
                bytes: &noise,
            });
        }
    }

    /// `transact` with the retry budget: a failure that a retry can fix is reported, the line is
    /// re-synced, and the command is sent again.
    pub(super) async fn transact_retrying(
        &mut self,
        command: &Command<'_>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Frame, Error> {
        let mut attempt = 0;
        loop {
            match self.transact(command, sink).await {
                Ok(frame) => return Ok(frame),
                Err(error) => {
                    self.retry_or_fail(error, command, &mut attempt, sink)
                        .await?
                }
            }
        }
    }

    /// Decide whether `error` may be retried; if so, report it and recover the line.
    pub(super) async fn retry_or_fail(
        &mut self,
        error: Error,
        command: &Command<'_>,
        attempt: &mut u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        // Once the class is known, `send` only lets through commands the bootloader implements, so an
        // "unknown command" answer is a damaged frame.
        let damaged_frame = error.kind == ErrorKind::UnknownCommand && self.class_known().is_some();
        let budget = if command.opcode() == Opcode::FlashRead4K {
            self.options.read_retries
        } else {
            self.options.retries
        };
        if !(is_retryable(error.kind) || damaged_frame) || *attempt >= budget {
            return Err(error);
        }
        self.check_cancel()?;
        *attempt += 1;
        sink.event(Event::Retry {
            command: command.opcode(),
            address: command.address(),
            attempt: *attempt,
            kind: error.kind,
        });
        if error.kind == ErrorKind::Timeout {
            match self.recover_line(command.opcode().info().form, sink).await {
                Ok(()) => {}
                // The chip stays silent: it may have reset (brown-out) and booted its app. Link again.
                Err(e) if e.kind == ErrorKind::NoLink => self.relink(sink).await?,
                Err(e) => return Err(e),
            }
        }
        if is_line_fault(error.kind) || damaged_frame {
            self.strike(attempt, error.kind.info().name, sink).await?;
        }
        Ok(())
    }

    /// One more line fault of the same command: after `STEP_DOWN_AFTER` at a rate above 115200 the
    /// session steps down, and the command's retry budget starts afresh at the new rate.
    pub(super) async fn strike(
        &mut self,
        attempt: &mut u32,
        fault: &str,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if *attempt >= STEP_DOWN_AFTER && self.baud > LINK_BAUD {
            let why = alloc::format!("{} failures ({fault})", *attempt);
            self.step_down(&why, sink).await?;
            *attempt = 0;
        }
        Ok(())
    }

    /// A full link (resets included) and the switch back to the session's work rate.
    pub(super) async fn relink(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        sink.event(Event::Note(
            "The chip stopped answering; linking again from 115200",
        ));
        self.link(sink).await?;
        self.relock_pending = false;
        self.restore_work_baud(sink).await
    }

    /// After a silent chip: complete any frame the chip may still be collecting (a byte was lost on
    /// the way), then re-sync with LinkCheck. Bounded: the filler's wire time plus `RELINK_WINDOW`.
    pub(super) async fn recover_line(
        &mut self,
        form: FrameForm,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        sink.event(Event::Note(
            "No reply: completing any half-received frame with filler bytes and re-syncing the line",
        ));
        self.send_filler(form).await?;
        self.resync(sink).await
    }

    /// Bytes that complete any frame the chip is still collecting: long enough for the longest frame
    /// of `form`. 0xFF never starts a frame and programs nothing on NOR flash. The filler starts with
    /// `FILLER_ZEROS` zero bytes: when a lost byte shifted an address, the filler supplies its top
    /// byte, and zero keeps the shifted address below 16 MiB, so a legacy bootloader refuses it
    /// (status 6, raw compare) instead of wrapping it onto its own region, and a CheckCRC cannot span
    /// gigabytes. Zeros swallowed as data fail the sector's CRC and get repaired.
    async fn send_filler(&mut self, form: FrameForm) -> Result<(), Error> {
        let filler_len = match form {
            FrameForm::Long => 4200,
            FrameForm::Short => 256,
        };
        let mut filler = alloc::vec![0xFFu8; filler_len];
        filler[..FILLER_ZEROS].fill(0);
        self.transport
            .write_all(&filler)
            .await
            .map_err(transport_error)?;
        self.transport.flush().await.map_err(transport_error)
    }

    /// Drop buffered input and send LinkChecks until one is answered (at most `RELINK_WINDOW`).
    /// Every few unanswered tries a short filler goes out: a damaged LinkCheck (a duplicated `FC`
    /// reads as length 252) leaves the chip collecting a short frame that LinkChecks alone fill slowly.
    pub(super) async fn resync(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let give_up = self.transport.now() + RELINK_WINDOW;
        let mut tries = 0u32;
        while self.transport.now() < give_up {
            self.drain().await?;
            match self
                .transact_within(&Command::LinkCheck, RELINK_TRY, sink)
                .await
            {
                Ok(_) => {
                    self.drain().await?;
                    return Ok(());
                }
                Err(e) if e.kind == ErrorKind::Timeout => {}
                Err(e) => return Err(e),
            }
            tries += 1;
            if tries.is_multiple_of(FILL_EVERY) {
                self.send_filler(FrameForm::Short).await?;
            }
        }
        Err(Error::new(ErrorKind::NoLink)
            .command(Opcode::LinkCheck, None)
            .detail("the chip stopped answering"))
    }

    /// `transact` with an explicit timeout.
    pub(super) async fn transact_within(
        &mut self,
        command: &Command<'_>,
        timeout: Duration,
        sink: &mut dyn ProgressSink,
    ) -> Result<Frame, Error> {
        self.send(command, sink).await?;
        self.await_reply(command, timeout, sink).await
    }

    /// Let replies still on their way arrive, then drop everything received; fails with
    /// `Misdirected` if one of them shows an erase or write at an address never sent.
    pub(super) async fn drain(&mut self) -> Result<(), Error> {
        let until = self.transport.now() + DRAIN_MAX;
        while self.transport.now() < until && self.receive(Duration::from_millis(10)).await? > 0 {}
        self.transport
            .discard_input()
            .await
            .map_err(transport_error)?;
        // A frame damaged on its way can make the chip erase or write elsewhere; its reply often
        // arrives here, after the host gave up on the command.
        let mut stray = None;
        while let Some(frame) = self.decoder.next_frame() {
            stray = stray.or_else(|| self.misdirected(None, &frame));
        }
        self.decoder.clear();
        stray.map_or(Ok(()), Err)
    }
}

/// Failures a resend can fix; the rest (refusals, unplugging, cancel) are final. An unknown status
/// is most often a corrupted status byte, so it is retried too.
fn is_retryable(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Timeout
            | ErrorKind::ChipBusy
            | ErrorKind::SpiTimeout
            | ErrorKind::FlashTimeout
            | ErrorKind::BadLength
            | ErrorKind::PayloadLack
            | ErrorKind::ChipInternal
            | ErrorKind::UnknownStatus
            | ErrorKind::WriteCountMismatch
            | ErrorKind::CrcMismatch
    )
}
