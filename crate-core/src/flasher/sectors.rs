//! Per-sector state of the flash during a job, so a failure or a cancel can say what the flash holds.
//! Only touched sectors are listed; everything else is untouched by definition.

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
    }
}
