//! The matrix's judge: compares what a session told the user with the simulator's real flash.
//! A success must leave exactly the expected image; a failure's FlashReport must be true sector by sector;
//! a bootloader region a line fault changed must be put back and reported.

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::{FlashReport, SectorState};
use bkflash_sim::FlashChange;
use bkflash_sim::frames::{HostPiece, split_host_bytes};

const SECTOR: usize = 0x1000;
const PAGE: u32 = 0x100;

/// How one session ended, judged against the flash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Recovered,
    FailedCleanly,
    /// A success was reported but the flash (or the data read) is wrong.
    SilentCorruption(String),
    /// A failure's flash report does not match the flash.
    WrongReport(String),
    /// The host sent a write or erase aimed at the bootloader region other than to repair a change.
    BootloaderTouched(String),
}

/// What happened to the bootloader region in one session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Boot {
    /// The chip changed the region though the host did not aim there: a lost, doubled or flipped
    /// byte shifted a frame's address (the protocol has no frame checksum).
    pub changed: bool,
    /// The region ended as it began.
    pub repaired: bool,
    /// The session's error says the bootloader changed (`bootloader_repaired` or `bootloader_damaged`).
    pub reported: bool,
}

impl Boot {
    /// A change nobody was told about, or one left in place while the chip still answered.
    pub fn is_bad(&self) -> bool {
        self.changed && !(self.repaired && self.reported)
    }
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

/// `changes`: what the chip changed inside the bootloader region, in order (`Sim::flash_changes`).
pub fn judge(
    told: &Told,
    images: &Images<'_>,
    host_bytes: &[u8],
    changes: &[FlashChange],
) -> (Verdict, Boot) {
    let aimed = bootloader_frames(host_bytes, images.after.len() as u32);
    // A change is the host's own when it follows a frame the host aimed there with that op and address.
    let by_line = changes.iter().find(|change| {
        !aimed.iter().any(|frame| {
            frame.op == change.op && frame.addr == change.addr && frame.end <= change.host_bytes
        })
    });
    let boot = ..BOOTLOADER_END as usize;
    let reported = told.result.as_ref().is_err_and(|e| {
        matches!(
            e.kind,
            ErrorKind::BootloaderRepaired | ErrorKind::BootloaderDamaged
        )
    });
    let same = images.after[boot] == images.before[boot];
    let facts = Boot {
        changed: by_line.is_some(),
        repaired: by_line.is_some() && same,
        reported,
    };
    let unprompted = aimed
        .iter()
        .find(|frame| by_line.is_none_or(|change| frame.end <= change.host_bytes));
    if let Some(frame) = unprompted {
        let why = format!(
            "op 0x{:02X} sent to 0x{:X} before any line fault changed the region",
            frame.op, frame.addr
        );
        return (Verdict::BootloaderTouched(why), facts);
    }
    if !same && by_line.is_none() {
        let why = String::from("the host's repair left the region different");
        return (Verdict::BootloaderTouched(why), facts);
    }
    let verdict = match &told.result {
        Ok(report) => judge_success(told, report.as_ref(), images),
        Err(error) => judge_failure(error, images),
    };
    (verdict, facts)
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
            SectorState::Repaired => now == &images.before[at],
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

/// One erase or write the host sent into the bootloader region.
struct AimedFrame {
    op: u8,
    /// The address as sent (before the flash's wrap).
    addr: u32,
    /// How many host bytes had been sent when the frame was complete.
    end: u64,
}

/// The host's erases and writes whose range, after the flash's address wrap, reaches below 0x11000
/// (an erase-all always does).
fn bootloader_frames(host_bytes: &[u8], size: u32) -> Vec<AimedFrame> {
    let mut end = 0u64;
    let mut frames = Vec::new();
    for piece in split_host_bytes(host_bytes) {
        end += piece_len(&piece) as u64;
        let HostPiece::Long { op, payload } = piece else {
            continue;
        };
        let (addr_at, len) = match (op, payload.first()) {
            (0x06, _) => (0, PAGE),
            (0x07 | 0x0B, _) => (0, SECTOR as u32),
            (0x0F, Some(0xD8)) => (1, 0x10000),
            (0x0F, Some(0x52)) => (1, 0x8000),
            (0x0F, _) => (1, SECTOR as u32),
            (0x0A, _) => {
                frames.push(AimedFrame { op, addr: 0, end });
                continue;
            }
            _ => continue,
        };
        let Some(raw) = payload
            .get(addr_at..addr_at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        else {
            continue;
        };
        let at = raw % size;
        // An erase clears its aligned unit; a write programs whole pages from the one it starts in,
        // and a 4K write may run past the flash end onto address 0.
        let start = if op == 0x06 || op == 0x07 {
            at & !(PAGE - 1)
        } else {
            at & !(len - 1)
        };
        if start < BOOTLOADER_END || start + len > size {
            frames.push(AimedFrame { op, addr: raw, end });
        }
    }
    frames
}

/// Bytes a piece took on the wire: the frame header, then op and payload.
fn piece_len(piece: &HostPiece) -> usize {
    match piece {
        HostPiece::Short { payload, .. } => 5 + payload.len(),
        HostPiece::Long { payload, .. } => 8 + payload.len(),
        HostPiece::Other(bytes) => bytes.len(),
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter().zip(b).position(|(x, y)| x != y)
}
