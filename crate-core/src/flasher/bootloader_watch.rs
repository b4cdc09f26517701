//! The bootloader watch: before a job's first erase or write, the CRC of 0x0-0x11000 (and, once a
//! session, a copy of it); after the job and before a reboot, the CRC again, and a repair if it changed.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Flasher;
use super::sectors::{FlashReport, SectorState};
use crate::chips::BOOTLOADER_END;
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::plan::SECTOR;
use crate::progress::{Event, ProgressSink};
use crate::transport::Transport;

/// The bootloader region as read from the chip before a job: the only bytes a repair may write.
pub(super) struct BootCopy {
    bytes: Vec<u8>,
}

impl BootCopy {
    /// The copy's bytes of `[addr, addr + len)`, if it holds them.
    pub(super) fn bytes(&self, addr: u32, len: u32) -> Option<&[u8]> {
        let start = addr as usize;
        self.bytes.get(start..start.checked_add(len as usize)?)
    }

    /// Whether `[addr, addr + len)` lies inside the copy and `data` (a write's bytes) equals it there.
    pub(super) fn holds(&self, addr: u32, len: u32, data: Option<&[u8]>) -> bool {
        match (self.bytes(addr, len), data) {
            (Some(kept), Some(data)) => kept == data,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The chip-form CRC of the first `len` bytes.
    pub(super) fn crc(&self, len: u32) -> u32 {
        self.crc_of(0, len)
    }

    /// The chip-form CRC of `[addr, addr + len)`, which the copy must hold.
    pub(super) fn crc_of(&self, addr: u32, len: u32) -> u32 {
        chip_crc(self.bytes(addr, len).unwrap_or_default())
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        &self.bytes
    }
}

/// What the session knows about the bootloader region.
#[derive(Default)]
pub(super) struct BootWatch {
    copy: Option<BootCopy>,
    /// How many bytes from 0 the last job watched; 0 when no job has changed flash yet.
    watched: u32,
    /// A change the last repair could not undo: the copy is kept, and the next job or reboot
    /// repairs first.
    damaged: bool,
}

/// Failures after which the chip cannot be asked anything: the check waits for the next job or reboot.
const CHIP_UNREACHABLE: [ErrorKind; 3] = [
    ErrorKind::Disconnected,
    ErrorKind::TransportFailed,
    ErrorKind::NoLink,
];

impl<T: Transport> Flasher<T> {
    /// The bootloader region as read before this session's last job, kept so an edge can save it
    /// when a repair failed (`ErrorKind::BootloaderDamaged`).
    pub fn bootloader_copy(&self) -> Option<&[u8]> {
        self.boot.copy.as_ref().map(BootCopy::as_slice)
    }

    /// Forget the region: a new link may be a new chip.
    pub(super) fn forget_bootloader(&mut self) {
        self.boot = BootWatch::default();
    }

    /// Keep a CRC-checked read of flash from address 0 as the copy, when it covers the whole region.
    pub(super) fn remember_bootloader(&mut self, start: u32, data: &[u8]) {
        if start == 0 && data.len() >= BOOTLOADER_END as usize && !self.boot.damaged {
            self.boot.copy = Some(BootCopy {
                bytes: data[..BOOTLOADER_END as usize].to_vec(),
            });
        }
    }

    /// Before a job's first erase or write at `first_change`: the part of the region below it is
    /// watched (all of it, unless a ROM-class job may change the bootloader itself). Repairs a
    /// change an earlier job could not undo, then reads the region as the copy unless the chip's CRC
    /// shows the copy kept from earlier (a job or a read from 0) still holds. Returns how many bytes
    /// from 0 are watched.
    pub(super) async fn watch_begin(
        &mut self,
        first_change: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<u32, Error> {
        let len = first_change.min(BOOTLOADER_END) / SECTOR * SECTOR;
        if len == 0 {
            return Ok(0);
        }
        if self.boot.damaged {
            let watched = self.boot.watched;
            self.repair_or_fail(watched, Ok(FlashReport::default()), sink)
                .await?;
        }
        let kept = self.boot.copy.as_ref().map(|copy| copy.crc(len));
        let still_kept = match kept {
            Some(kept) => self.flash_crc(0, len, sink).await? == kept,
            None => false,
        };
        if !still_kept {
            self.read_bootloader_copy(sink).await?;
        }
        self.boot.watched = len;
        Ok(len)
    }

    /// Read the whole region as the copy; `read_run` checks it against the chip's CRC (and re-reads
    /// sector by sector if needed), so the copy is right even if the CRC before it was damaged.
    async fn read_bootloader_copy(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let bytes = self.read_run(0, BOOTLOADER_END, sink).await?;
        self.boot.copy = Some(BootCopy { bytes });
        Ok(())
    }

    /// After the job whose `watch_begin` returned `watched`: check the region again and, if it
    /// changed, repair it. A job that reported success ends in `BootloaderRepaired` then, never in
    /// "written and verified"; a failed repair ends in `BootloaderDamaged` and blocks `reboot`.
    pub(super) async fn watch_end(
        &mut self,
        watched: u32,
        job: Result<FlashReport, Error>,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        if watched == 0
            || job
                .as_ref()
                .is_err_and(|e| CHIP_UNREACHABLE.contains(&e.kind))
        {
            return job;
        }
        let Some(kept) = self.boot.copy.as_ref().map(|copy| copy.crc(watched)) else {
            return job;
        };
        // A CheckCRC frame damaged on the line covers other bytes and its reply cannot show it, so
        // a differing CRC is asked again before anything is repaired.
        let mut strays = FlashReport::default();
        let mut same = false;
        for _ in 0..2 {
            match self.bootloader_crc(watched, &mut strays, sink).await {
                Ok(found) if found == kept => {
                    same = true;
                    break;
                }
                Ok(_) => {}
                Err(check) => return Err(check_failed(job, check)),
            }
        }
        let job = with_strays(job, strays);
        if same {
            return job;
        }
        sink.event(Event::Note(
            "The bootloader region changed during the job: putting it back from the copy read before it",
        ));
        self.repair_or_fail(watched, job, sink).await
    }

    /// Before a reboot: if a job watched the region, it must still equal the copy (repaired if not).
    /// Any failure keeps the chip in download mode.
    pub(super) async fn check_before_reboot(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let watched = self.boot.watched;
        if watched == 0 || self.chip.is_none() {
            return Ok(());
        }
        if self.boot.damaged {
            return self
                .repair_or_fail(watched, Ok(FlashReport::default()), sink)
                .await
                .map(|_| ());
        }
        self.watch_end(watched, Ok(FlashReport::default()), sink)
            .await
            .map(|_| ())
    }

    /// Repair `[0, watched)`. When a sector had changed, the outcome is an error that says what
    /// happened to the bootloader and what the job did before: the job cannot count as done. When
    /// none had (the CRCs that said so were damaged on the line), the job's own result stands.
    async fn repair_or_fail(
        &mut self,
        watched: u32,
        job: Result<FlashReport, Error>,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let Some(copy) = self.boot.copy.take() else {
            self.boot.damaged = true;
            return Err(Error::new(ErrorKind::BootloaderDamaged)
                .detail("no copy of the bootloader region was read before the job"));
        };
        let repaired = self.repair_bootloader(&copy, watched, sink).await;
        self.boot.copy = Some(copy);
        match repaired {
            Ok(boot) if boot.sectors.is_empty() => {
                self.boot.damaged = false;
                job
            }
            Ok(boot) => {
                self.boot.damaged = false;
                Err(bootloader_error(
                    ErrorKind::BootloaderRepaired,
                    job,
                    &boot,
                    None,
                ))
            }
            Err((boot, failure)) => {
                self.boot.damaged = true;
                Err(bootloader_error(
                    ErrorKind::BootloaderDamaged,
                    job,
                    &boot,
                    Some(failure),
                ))
            }
        }
    }

    /// The chip's CRC of `[0, len)`. Replies to erases or writes the line redirected during the job
    /// may still arrive here: their sectors are collected in `strays` and the CRC asked again.
    pub(super) async fn bootloader_crc(
        &mut self,
        len: u32,
        strays: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<u32, Error> {
        let mut attempt = 0;
        loop {
            match self.flash_crc(0, len, sink).await {
                Err(e) if e.kind == ErrorKind::Misdirected && attempt < self.options.retries => {
                    attempt += 1;
                    if let Some(report) = &e.flash {
                        strays.absorb(report);
                    }
                }
                result => return result,
            }
        }
    }
}

/// The job's result with the sectors of stray replies seen afterwards: a success that met one
/// becomes a `Misdirected` failure, since the chip changed flash nobody asked for.
fn with_strays(job: Result<FlashReport, Error>, strays: FlashReport) -> Result<FlashReport, Error> {
    if strays.sectors.is_empty() {
        return job;
    }
    match job {
        Ok(report) => Err(Error::new(ErrorKind::Misdirected)
            .detail("seen after the job: an erase or write landed elsewhere")
            .with_flash(strays)
            .with_flash(report)),
        Err(error) => Err(error.with_flash(strays)),
    }
}

/// The job's outcome when the bootloader could not be checked after it: a failure stays itself; a
/// success is not one, since nobody knows whether the bootloader survived.
fn check_failed(job: Result<FlashReport, Error>, check: Error) -> Error {
    match job {
        Ok(report) => {
            let why = check.detail.clone().unwrap_or_default();
            check
                .detail(format!(
                    "checking the bootloader region after the job: {why}"
                ))
                .with_flash(report)
        }
        Err(error) => error,
    }
}

/// `kind` (repaired or damaged) with the job's flash report, the bootloader sectors' states laid
/// over it, and what the job itself did in the detail.
fn bootloader_error(
    kind: ErrorKind,
    job: Result<FlashReport, Error>,
    boot: &FlashReport,
    failure: Option<Error>,
) -> Error {
    let changed: Vec<String> = boot
        .sectors
        .iter()
        .map(|(addr, _)| format!("0x{addr:06X}"))
        .collect();
    let mut detail = format!("bootloader sectors changed: {}", changed.join(", "));
    if let Some(failure) = &failure {
        detail.push_str(&format!("; the repair stopped: {failure}"));
    }
    let mut report = match job {
        Ok(report) => {
            if !report.sectors.is_empty() {
                detail.push_str("; the job's own sectors were written and checked");
            }
            report
        }
        Err(error) => {
            detail.push_str(&format!("; the job stopped first: {error}"));
            error.flash.unwrap_or_default()
        }
    };
    report.absorb(boot);
    for &(addr, state) in &boot.sectors {
        report.set(addr, state);
    }
    let mut error = Error::new(kind).detail(detail);
    if let Some(failure) = failure {
        error.command = failure.command;
        error.address = failure.address;
    }
    error.with_flash(report)
}

/// The bootloader sectors a repair found changed, each `Repaired` or (not put back) `Unknown`.
pub(super) fn boot_report(changed: &[u32], repaired: usize) -> FlashReport {
    let mut report = FlashReport::new(changed.iter().copied());
    for (i, &addr) in changed.iter().enumerate() {
        let state = if i < repaired {
            SectorState::Repaired
        } else {
            SectorState::Unknown
        };
        report.set(addr, state);
    }
    report
}
