//! Flash planning, pure and testable without a device: file regions become 4 KiB sector jobs.
//! Erase as 64 KiB blocks where whole, skip blank and already-matching sectors, never touch protected ranges.

use crate::crc::{chip_crc, chip_crc_of_blank};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// Flash sector size: the unit of erase, write and verify.
pub const SECTOR: u32 = 0x1000;
/// Erase block size used when a whole aligned block is rewritten.
pub const BLOCK: u32 = 0x10000;

/// Bytes a file wants at an absolute flash address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub offset: u32,
    pub data: Vec<u8>,
}

/// What the planner knows about the chip (filled by the flasher before planning).
#[derive(Clone, Debug)]
pub struct Target {
    pub flash_size: u32,
    /// Writes and erases below this address are refused (0x11000 on every chip by default).
    pub protected_below: u32,
}

/// One erase the executor performs, in plan order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erase {
    Sector(u32),
    Block(u32),
}

/// Why a touched sector is not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Its new content is all 0xFF: the erase alone produces it.
    Blank,
    /// The chip's CRC of the sector already equals the new content's CRC.
    AlreadyMatches,
}

/// The final 4 KiB content of one sector and what happens to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectorJob {
    pub addr: u32,
    /// Exactly `SECTOR` bytes: file bytes, with holes filled from the chip's current content
    /// (read-modify-write) or 0xFF when that content was not supplied.
    pub data: Vec<u8>,
    /// True when part of the sector is not covered by any region.
    pub partial: bool,
    /// `None`: write `data` (after an erase when `erase` says so).
    pub skip: Option<Skip>,
    /// Erased by its own sector erase or its block's. False for kept sectors and for sectors the
    /// chip's CRC shows blank already: those are written without an erase.
    pub erase: bool,
}

/// Everything that will happen, shown to the user before anything happens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// In ascending address order; a block erase covers 16 sector jobs that all need erasing.
    /// Empty does not mean nothing happens: sectors already blank on the chip are only written.
    pub erases: Vec<Erase>,
    /// Every touched sector, ascending, each exactly once.
    pub sectors: Vec<SectorJob>,
}

/// What the flasher knows about the chip's current content, per sector, before planning.
pub trait ChipState {
    /// The current `SECTOR` bytes at sector address `addr`, if the flasher read them.
    fn sector_bytes(&self, addr: u32) -> Option<&[u8]>;
    /// The chip-form CRC-32 (`crc::chip_crc`) of the sector at `addr`, if the flasher asked the chip.
    fn sector_crc(&self, addr: u32) -> Option<u32>;
}

/// Nothing read from the chip: holes become 0xFF and every touched sector is erased.
pub struct NothingKnown;

impl ChipState for NothingKnown {
    fn sector_bytes(&self, _addr: u32) -> Option<&[u8]> {
        None
    }

    fn sector_crc(&self, _addr: u32) -> Option<u32> {
        None
    }
}

/// Sector contents and CRCs the flasher collected, keyed by sector address.
#[derive(Clone, Debug, Default)]
pub struct KnownSectors {
    pub bytes: BTreeMap<u32, Vec<u8>>,
    pub crcs: BTreeMap<u32, u32>,
}

impl ChipState for KnownSectors {
    fn sector_bytes(&self, addr: u32) -> Option<&[u8]> {
        self.bytes.get(&addr).map(Vec::as_slice)
    }

    fn sector_crc(&self, addr: u32) -> Option<u32> {
        self.crcs.get(&addr).copied()
    }
}

/// Why no plan could be made; nothing has been sent to the chip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// A region's sector starts below `Target::protected_below`.
    Protected { addr: u32, limit: u32 },
    /// A region ends past the flash.
    PastFlashEnd {
        addr: u32,
        end: u64,
        flash_size: u32,
    },
    /// Two regions put different bytes at `addr`.
    Overlap { addr: u32 },
    /// The supplied current content of a sector is not `SECTOR` bytes long.
    BadSectorRead { addr: u32, len: usize },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PlanError::Protected { addr, limit } => write!(
                f,
                "planning the write: the file writes flash 0x{addr:06X}, below the protected limit 0x{limit:06X} (bootloader); use a file that starts at 0x{limit:X} or above"
            ),
            PlanError::PastFlashEnd {
                addr,
                end,
                flash_size,
            } => write!(
                f,
                "planning the write: the region at 0x{addr:06X} ends at 0x{end:X}, past the end of the 0x{flash_size:X}-byte flash; use a file built for this flash size"
            ),
            PlanError::Overlap { addr } => write!(
                f,
                "planning the write: two regions put different bytes at flash 0x{addr:06X}; the file is inconsistent, rebuild it"
            ),
            PlanError::BadSectorRead { addr, len } => write!(
                f,
                "planning the write: the current content read for sector 0x{addr:06X} is {len} bytes, not {SECTOR}; read the sector again"
            ),
        }
    }
}

fn sector_of(addr: u32) -> u32 {
    addr - addr % SECTOR
}

/// One touched sector while overlaying regions: new bytes (0xFF elsewhere) and which bytes the file sets.
struct Overlay {
    data: Vec<u8>,
    covered: Vec<bool>,
}

/// Overlay all regions per sector; also return the first address two regions disagree on.
fn overlay(regions: &[Region]) -> (BTreeMap<u32, Overlay>, Option<u32>) {
    let mut sectors: BTreeMap<u32, Overlay> = BTreeMap::new();
    let mut conflict = None;
    for region in regions {
        let mut addr = region.offset;
        let mut rest = region.data.as_slice();
        while !rest.is_empty() {
            let start = (addr % SECTOR) as usize;
            let len = rest.len().min(SECTOR as usize - start);
            let sector = sectors.entry(sector_of(addr)).or_insert_with(|| Overlay {
                data: vec![0xFF; SECTOR as usize],
                covered: vec![false; SECTOR as usize],
            });
            for (k, &byte) in rest[..len].iter().enumerate() {
                let at = start + k;
                if sector.covered[at] && sector.data[at] != byte {
                    conflict = conflict.or(Some(sector_of(addr) + at as u32));
                }
                sector.data[at] = byte;
                sector.covered[at] = true;
            }
            rest = &rest[len..];
            let Some(next) = addr.checked_add(len as u32) else {
                break;
            };
            addr = next;
        }
    }
    (sectors, conflict)
}

/// Sectors the regions touch but do not fill: read these from the chip before `plan` to keep their other bytes.
pub fn partial_sectors(regions: &[Region]) -> Vec<u32> {
    let (sectors, _) = overlay(regions);
    sectors
        .into_iter()
        .filter(|(_, s)| !s.covered.iter().all(|&c| c))
        .map(|(addr, _)| addr)
        .collect()
}

fn check_bounds(regions: &[Region], target: &Target) -> Result<(), PlanError> {
    for region in regions.iter().filter(|r| !r.data.is_empty()) {
        if sector_of(region.offset) < target.protected_below {
            return Err(PlanError::Protected {
                addr: region.offset,
                limit: target.protected_below,
            });
        }
        let end = u64::from(region.offset) + region.data.len() as u64;
        if end > u64::from(target.flash_size) {
            return Err(PlanError::PastFlashEnd {
                addr: region.offset,
                end,
                flash_size: target.flash_size,
            });
        }
    }
    Ok(())
}

/// Turn file regions into sector jobs and erases for this chip (see the module doc for the rules).
pub fn plan(regions: &[Region], target: &Target, chip: &dyn ChipState) -> Result<Plan, PlanError> {
    check_bounds(regions, target)?;
    let (overlays, conflict) = overlay(regions);
    if let Some(addr) = conflict {
        return Err(PlanError::Overlap { addr });
    }
    let blank_crc = chip_crc_of_blank(SECTOR as usize);
    let mut sectors = Vec::with_capacity(overlays.len());
    for (addr, Overlay { mut data, covered }) in overlays {
        let partial = !covered.iter().all(|&c| c);
        if partial && let Some(current) = chip.sector_bytes(addr) {
            if current.len() != SECTOR as usize {
                return Err(PlanError::BadSectorRead {
                    addr,
                    len: current.len(),
                });
            }
            for ((byte, &set), &old) in data.iter_mut().zip(&covered).zip(current) {
                if !set {
                    *byte = old;
                }
            }
        }
        let skip = if chip.sector_crc(addr) == Some(chip_crc(&data)) {
            Some(Skip::AlreadyMatches)
        } else if data.iter().all(|&b| b == 0xFF) {
            Some(Skip::Blank)
        } else {
            None
        };
        let blank_on_chip = chip.sector_crc(addr) == Some(blank_crc);
        sectors.push(SectorJob {
            addr,
            data,
            partial,
            skip,
            erase: skip != Some(Skip::AlreadyMatches) && !blank_on_chip,
        });
    }
    let erases = erases_for(&sectors);
    Ok(Plan { erases, sectors })
}

const SECTORS_PER_BLOCK: usize = (BLOCK / SECTOR) as usize;

/// One block erase per aligned 64 KiB block whose 16 sectors all need erasing, sector erases elsewhere.
fn erases_for(sectors: &[SectorJob]) -> Vec<Erase> {
    let needed: Vec<u32> = sectors
        .iter()
        .filter(|job| job.erase)
        .map(|job| job.addr)
        .collect();
    let mut erases = Vec::new();
    let mut i = 0;
    while i < needed.len() {
        let start = needed[i];
        let whole_block = start.is_multiple_of(BLOCK)
            && needed.len() - i >= SECTORS_PER_BLOCK
            && needed[i + SECTORS_PER_BLOCK - 1] == start + BLOCK - SECTOR;
        if whole_block {
            erases.push(Erase::Block(start));
            i += SECTORS_PER_BLOCK;
        } else {
            erases.push(Erase::Sector(start));
            i += 1;
        }
    }
    erases
}

/// Counts a user sees before confirming: what is erased, written and kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanSummary {
    pub block_erases: usize,
    pub sector_erases: usize,
    pub erase_bytes: u64,
    pub write_sectors: usize,
    pub blank_sectors: usize,
    pub kept_sectors: usize,
    pub partial_sectors: usize,
}

impl Plan {
    /// True when the chip already holds every sector: nothing is erased or written.
    pub fn is_noop(&self) -> bool {
        self.sectors
            .iter()
            .all(|job| job.skip == Some(Skip::AlreadyMatches))
    }

    pub fn summary(&self) -> PlanSummary {
        let count = |skip: Option<Skip>| self.sectors.iter().filter(|job| job.skip == skip).count();
        let block_erases = self
            .erases
            .iter()
            .filter(|e| matches!(e, Erase::Block(_)))
            .count();
        let sector_erases = self.erases.len() - block_erases;
        PlanSummary {
            block_erases,
            sector_erases,
            erase_bytes: block_erases as u64 * u64::from(BLOCK)
                + sector_erases as u64 * u64::from(SECTOR),
            write_sectors: count(None),
            blank_sectors: count(Some(Skip::Blank)),
            kept_sectors: count(Some(Skip::AlreadyMatches)),
            partial_sectors: self.sectors.iter().filter(|job| job.partial).count(),
        }
    }

    /// One line per touched sector, ascending: its address and what happens to it.
    pub fn listing(&self) -> Vec<String> {
        self.sectors
            .iter()
            .map(|job| {
                let block = self.erases.iter().find_map(|e| match *e {
                    Erase::Block(b) if job.addr >= b && job.addr - b < BLOCK => Some(b),
                    _ => None,
                });
                let erase = match block {
                    Some(b) => format!("erase (in block 0x{b:06X})"),
                    None => String::from("erase"),
                };
                let action = match job.skip {
                    None if !job.erase => String::from("write (blank on the chip, no erase)"),
                    None => format!("{erase}, write"),
                    Some(Skip::Blank) => format!("{erase} only (new content is blank)"),
                    Some(Skip::AlreadyMatches) => String::from("keep (already matches)"),
                };
                let partial = if job.partial {
                    ", partly covered by the file"
                } else {
                    ""
                };
                format!("0x{:06X} {action}{partial}", job.addr)
            })
            .collect()
    }
}

impl fmt::Display for PlanSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kib = |sectors: usize| sectors as u64 * u64::from(SECTOR) / 1024;
        write!(
            f,
            "erase {} KiB ({} block and {} sector erases), write {} sectors ({} KiB), erase-only {} blank sectors, keep {} sectors ({} KiB) that already match",
            self.erase_bytes / 1024,
            self.block_erases,
            self.sector_erases,
            self.write_sectors,
            kib(self.write_sectors),
            self.blank_sectors,
            self.kept_sectors,
            kib(self.kept_sectors)
        )?;
        if self.partial_sectors > 0 {
            let (sectors, are, their) = if self.partial_sectors == 1 {
                ("sector", "is", "its")
            } else {
                ("sectors", "are", "their")
            };
            write!(
                f,
                "; {} {sectors} {are} only partly covered by the file: {their} other bytes keep the chip's content when it was read first, else become 0xFF",
                self.partial_sectors
            )?;
        }
        Ok(())
    }
}
