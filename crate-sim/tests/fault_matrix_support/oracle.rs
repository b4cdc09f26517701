//! The matrix's judge: compares what a session told the user with the simulator's real flash.
//! A success must leave exactly the expected image; a failure's FlashReport must be true sector by sector.

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::error::Error;
use bkflash_core::flasher::{FlashReport, SectorState};
use bkflash_sim::frames::{HostPiece, split_host_bytes};

const SECTOR: usize = 0x1000;

/// How one session ended, judged against the flash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Recovered,
    FailedCleanly,
    /// A success was reported but the flash (or the data read) is wrong.
    SilentCorruption(String),
    /// A failure's flash report does not match the flash.
    WrongReport(String),
    /// The host sent a write or erase aimed at the bootloader region.
    BootloaderTouched(String),
    /// The bootloader region changed though the host never aimed there: a byte inserted into or lost
    /// from a frame header shifted the address (the protocol has no frame checksum). `named`: the
    /// session's error lists every changed bootloader sector as unknown.
    RedirectedByLine {
        named: bool,
    },
}

/// What the session reported: its FlashReport or read data on success, the error otherwise.
pub struct Told {
    pub result: Result<Option<FlashReport>, Error>,
    pub read: Option<(u32, Vec<u8>)>,
}

/// The flash images around one session.
pub struct Images<'a> {
    pub before: &'a [u8],
    pub after: &'a [u8],
    /// What the flash holds if the job succeeds.
    pub expected: &'a [u8],
}

pub fn judge(told: &Told, images: &Images<'_>, host_bytes: &[u8]) -> Verdict {
    if let Some(why) = bootloader_aimed_at(host_bytes, images.after.len() as u32) {
        return Verdict::BootloaderTouched(why);
    }
    let boot = ..BOOTLOADER_END as usize;
    if images.after[boot] != images.before[boot] {
        let named = told
            .result
            .as_ref()
            .err()
            .and_then(|e| e.flash.as_ref())
            .is_some_and(|r| {
                (0..images.after.len())
                    .step_by(SECTOR)
                    .take_while(|&at| at < BOOTLOADER_END as usize)
                    .filter(|&at| images.after[at..at + SECTOR] != images.before[at..at + SECTOR])
                    .all(|at| r.state(at as u32) == SectorState::Unknown)
            });
        return Verdict::RedirectedByLine { named };
    }
    match &told.result {
        Ok(report) => judge_success(told, report.as_ref(), images),
        Err(error) => judge_failure(error, images),
    }
}

fn judge_success(told: &Told, report: Option<&FlashReport>, images: &Images<'_>) -> Verdict {
    if images.after != images.expected {
        let addr = first_difference(images.after, images.expected).unwrap_or_default();
        return Verdict::SilentCorruption(format!("success, but 0x{addr:X} differs"));
    }
    if let Some((start, data)) = &told.read {
        let at = *start as usize;
        if data.as_slice() != &images.before[at..at + data.len()] {
            return Verdict::SilentCorruption(format!("read of 0x{start:X} returned wrong bytes"));
        }
    }
    let wrong = report.and_then(|r| {
        r.sectors
            .iter()
            .find(|s| !matches!(s.1, SectorState::Written | SectorState::Erased))
    });
    match wrong {
        Some((addr, state)) => {
            Verdict::WrongReport(format!("success reports 0x{addr:X} as {state:?}"))
        }
        None => Verdict::Recovered,
    }
}

fn judge_failure(error: &Error, images: &Images<'_>) -> Verdict {
    let report = error.flash.clone().unwrap_or_default();
    for &(addr, state) in &report.sectors {
        let at = addr as usize..addr as usize + SECTOR;
        let now = &images.after[at.clone()];
        let holds = match state {
            SectorState::Written => now == &images.expected[at],
            SectorState::Untouched => now == &images.before[at],
            SectorState::Erased => now.iter().all(|&b| b == 0xFF),
            SectorState::Unknown => true,
        };
        if !holds {
            return Verdict::WrongReport(format!(
                "{}: 0x{addr:X} is not {state:?}",
                error.kind.info().name
            ));
        }
    }
    let unlisted_changed = (0..images.after.len()).step_by(SECTOR).find(|&at| {
        report.sectors.iter().all(|s| s.0 as usize != at)
            && images.after[at..at + SECTOR] != images.before[at..at + SECTOR]
    });
    match unlisted_changed {
        Some(at) => Verdict::WrongReport(format!(
            "{}: 0x{at:X} changed but the error does not list it",
            error.kind.info().name
        )),
        None => Verdict::FailedCleanly,
    }
}

/// A host erase or write aimed below 0x11000 after the flash's address wrap.
fn bootloader_aimed_at(host_bytes: &[u8], size: u32) -> Option<String> {
    split_host_bytes(host_bytes).into_iter().find_map(|piece| {
        let HostPiece::Long { op, payload } = piece else {
            return None;
        };
        let addr_at = match op {
            0x06 | 0x07 | 0x0B => 0,
            0x0F => 1,
            0x0A => return Some(String::from("an erase-all was sent")),
            _ => return None,
        };
        let raw = u32::from_le_bytes(payload.get(addr_at..addr_at + 4)?.try_into().ok()?);
        (raw % size < BOOTLOADER_END).then(|| format!("op 0x{op:02X} sent to 0x{raw:X}"))
    })
}

fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter().zip(b).position(|(x, y)| x != y)
}
