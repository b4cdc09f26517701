//! Per-sector state of the flash during a job, so a failure or a cancel can say what the flash holds.
//! Only touched sectors are listed; everything else is untouched by definition.

use alloc::string::String;
use alloc::vec::Vec;

use crate::plan::SECTOR;

/// What one 4 KiB sector holds now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectorState {
    /// Not touched by this job: the old content.
    Untouched,
    /// Erased (all 0xFF), the new content not written yet.
    Erased,
    /// Holds the new content, verified by CRC.
    Written,
    /// An operation on it was cut short: content unknown.
    Unknown,
    /// A bootloader sector a line fault changed, put back as it was before the job and checked.
    Repaired,
}

impl SectorState {
    /// The words a flash summary uses for this state, the same on the page and in the CLI.
    pub fn describe(self) -> &'static str {
        match self {
            SectorState::Untouched => "untouched (old content)",
            SectorState::Erased => "erased (blank, new content not written)",
            SectorState::Written => "written and verified",
            SectorState::Unknown => "unknown (an operation on it was cut short)",
            SectorState::Repaired => {
                "changed by a line fault, put back as before the job and checked"
            }
        }
    }
}

/// Sector states of one job, ascending by address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlashReport {
    pub sectors: Vec<(u32, SectorState)>,
}

impl FlashReport {
    /// A report that lists `addrs` as untouched.
    pub fn new(addrs: impl IntoIterator<Item = u32>) -> Self {
        let mut sectors: Vec<(u32, SectorState)> = addrs
            .into_iter()
            .map(|a| (a, SectorState::Untouched))
            .collect();
        sectors.sort_unstable_by_key(|s| s.0);
        sectors.dedup_by_key(|s| s.0);
        Self { sectors }
    }

    /// Set the state of every listed sector in `[start, start + len)`.
    pub fn set_range(&mut self, start: u32, len: u32, state: SectorState) {
        for (addr, s) in &mut self.sectors {
            if *addr >= start && *addr - start < len {
                *s = state;
            }
        }
    }

    pub fn set(&mut self, addr: u32, state: SectorState) {
        self.set_range(addr, SECTOR, state);
    }

    pub fn state(&self, addr: u32) -> SectorState {
        self.sectors
            .iter()
            .find(|s| s.0 == addr)
            .map_or(SectorState::Untouched, |s| s.1)
    }

    /// Number of listed sectors in `state`.
    pub fn count(&self, state: SectorState) -> usize {
        self.sectors.iter().filter(|s| s.1 == state).count()
    }

    /// Runs of consecutive sectors sharing a state: `(start, len, state)`, for display.
    pub fn runs(&self) -> Vec<(u32, u32, SectorState)> {
        let mut runs: Vec<(u32, u32, SectorState)> = Vec::new();
        for &(addr, state) in &self.sectors {
            match runs.last_mut() {
                Some(last) if last.2 == state && last.0 + last.1 == addr => last.1 += SECTOR,
                _ => runs.push((addr, SECTOR, state)),
            }
        }
        runs
    }

    /// Add what `other` knows: its sectors join the list, and a sector both list with different
    /// states becomes `Unknown`.
    pub fn absorb(&mut self, other: &FlashReport) {
        for &(addr, state) in &other.sectors {
            match self.sectors.iter_mut().find(|s| s.0 == addr) {
                Some(mine) if mine.1 != state => mine.1 = SectorState::Unknown,
                Some(_) => {}
                None => self.sectors.push((addr, state)),
            }
        }
        self.sectors.sort_unstable_by_key(|s| s.0);
    }

    /// Whether some sector is neither untouched nor verified: the job must be run again to finish.
    pub fn is_incomplete(&self) -> bool {
        self.sectors
            .iter()
            .any(|s| matches!(s.1, SectorState::Erased | SectorState::Unknown))
    }

    /// One line per run of sectors, e.g. `0x011000..0x013000 written and verified`.
    pub fn summary_lines(&self) -> Vec<String> {
        self.runs()
            .into_iter()
            .map(|(start, len, state)| {
                alloc::format!("0x{start:06X}..0x{:06X} {}", start + len, state.describe())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_group_adjacent_sectors_of_one_state() {
        let mut report = FlashReport::new([0x12000, 0x11000, 0x13000, 0x20000]);
        report.set_range(0x11000, 0x2000, SectorState::Written);
        report.set(0x13000, SectorState::Unknown);
        assert_eq!(
            report.runs(),
            [
                (0x11000, 0x2000, SectorState::Written),
                (0x13000, 0x1000, SectorState::Unknown),
                (0x20000, 0x1000, SectorState::Untouched)
            ]
        );
        assert_eq!(report.count(SectorState::Written), 2);
        assert_eq!(report.state(0x50000), SectorState::Untouched);
        assert!(report.is_incomplete());
        assert_eq!(
            report.summary_lines()[..2],
            [
                "0x011000..0x013000 written and verified",
                "0x013000..0x014000 unknown (an operation on it was cut short)"
            ]
        );
    }

    #[test]
    fn absorbing_adds_sectors_and_marks_disagreements_unknown() {
        let mut job = FlashReport::new([0x11000, 0x12000]);
        job.set(0x11000, SectorState::Written);
        let mut stray = FlashReport::new([0x11000, 0x5000]);
        stray.set_range(0x5000, 0x1000, SectorState::Unknown);
        stray.set(0x11000, SectorState::Unknown);
        job.absorb(&stray);
        assert_eq!(
            job.sectors,
            [
                (0x5000, SectorState::Unknown),
                (0x11000, SectorState::Unknown),
                (0x12000, SectorState::Untouched)
            ]
        );
    }

    #[test]
    fn every_state_has_words() {
        for state in [
            SectorState::Untouched,
            SectorState::Erased,
            SectorState::Written,
            SectorState::Unknown,
            SectorState::Repaired,
        ] {
            assert!(!state.describe().is_empty(), "{state:?}");
        }
    }
}
