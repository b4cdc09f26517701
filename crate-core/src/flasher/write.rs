//! Writing: read partial sectors, optionally compare chip CRCs, plan, unprotect, then execute the plan
//! erase unit by erase unit, verifying every touched sector by CRC and tracking what the flash holds.

use alloc::vec::Vec;

use super::sectors::{FlashReport, SectorState};
use super::{Flasher, WriteOptions};
use crate::chips::{BOOTLOADER_END, ProtocolClass};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::plan::{
    BLOCK, Erase, KnownSectors, Plan, Region, SECTOR, SectorJob, Skip, Target, partial_sectors,
    plan,
};
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{EraseSize, Opcode, SECTOR_LEN};
use crate::transport::Transport;

/// Flash page: the unit of op 0x06.
const PAGE: usize = 256;
/// Wire bytes of one page write (12-byte header + 256) and of one 4K write (12 + 4096).
const PAGE_FRAME: usize = 12 + PAGE;
const SECTOR_FRAME: usize = 12 + SECTOR_LEN;

impl<T: Transport> Flasher<T> {
    /// Write `regions` (absolute flash addresses) and verify them; returns the final sector states.
    /// The same as `prepare` followed by `execute`.
    pub async fn write(
        &mut self,
        regions: &[Region],
        options: &WriteOptions,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let plan = self.prepare(regions, options, sink).await?;
        self.execute(&plan, sink).await
    }

    /// Plan a write without changing the flash: refuse protected or out-of-range regions, read the
    /// sectors the regions cover only in part, and (differential) ask the chip for sector CRCs.
    /// The plan can be shown to the user before `execute`.
    pub async fn prepare(
        &mut self,
        regions: &[Region],
        options: &WriteOptions,
        sink: &mut dyn ProgressSink,
    ) -> Result<Plan, Error> {
        let result = self.prepare_plan(regions, options, sink).await;
        self.parked_on_failure(result, sink).await
    }

    async fn prepare_plan(
        &mut self,
        regions: &[Region],
        options: &WriteOptions,
        sink: &mut dyn ProgressSink,
    ) -> Result<Plan, Error> {
        self.ensure_connected(sink).await?;
        for region in regions.iter().filter(|r| !r.data.is_empty()) {
            self.guard_modify(
                Opcode::FlashWrite4K,
                region.offset,
                region.data.len() as u32,
                self.options.allow_bootloader,
            )?;
        }
        let mut known = KnownSectors::default();
        let partial = partial_sectors(regions);
        if !partial.is_empty() {
            sink.event(Event::Stage(Stage::ReadBack));
        }
        for addr in partial {
            self.check_cancel()?;
            let bytes = self.read_verified_sector(addr, sink).await?;
            known.crcs.insert(addr, chip_crc(&bytes));
            known.bytes.insert(addr, bytes);
        }
        if options.differential {
            sink.event(Event::Stage(Stage::Compare));
            for addr in touched_sectors(regions) {
                self.check_cancel()?;
                if let alloc::collections::btree_map::Entry::Vacant(slot) = known.crcs.entry(addr) {
                    slot.insert(self.flash_crc(addr, SECTOR, sink).await?);
                }
            }
        }
        let target = Target {
            flash_size: self.flash_size(),
            protected_below: self.protected_below(),
        };
        plan(regions, &target, &known)
            .map_err(|e| Error::new(ErrorKind::PlanRefused).detail(alloc::format!("{e}")))
    }

    /// First address a write or erase may touch in this session.
    pub(super) fn protected_below(&self) -> u32 {
        if self.options.allow_bootloader && self.class() == ProtocolClass::Rom {
            0
        } else {
            BOOTLOADER_END
        }
    }

    /// Run `plan` (from `prepare`): unprotect, then per erase unit erase, write its sectors and verify
    /// each by CRC (on the legacy class the writes all precede the first CRC, which re-protects the
    /// flash), repair what fails; restore protection if asked. Sectors the plan marks blank on the
    /// chip are written and verified without erasing them (see `units_of`).
    pub async fn execute(
        &mut self,
        plan: &Plan,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let result = self.execute_plan(plan, sink).await;
        self.parked_on_failure(result, sink).await
    }

    async fn execute_plan(
        &mut self,
        plan: &Plan,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        self.ensure_connected(sink).await?;
        self.unprotect(sink).await?;
        let report = self.execute_units(plan, sink).await?;
        self.restore_protection(sink).await?;
        Ok(report)
    }

    async fn execute_units(
        &mut self,
        plan: &Plan,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let mut report = FlashReport::new(plan.sectors.iter().map(|job| job.addr));
        let units = units_of(plan, self.class())?;
        for unit in &units {
            let opcode = if unit.erase.is_some() {
                Opcode::FlashErase
            } else {
                Opcode::FlashWrite4K
            };
            self.guard_modify(opcode, unit.addr, unit.len(), self.options.allow_bootloader)?;
        }
        let total = units.iter().map(|u| u64::from(u.len())).sum::<u64>();
        let mut done = 0u64;
        sink.event(Event::Stage(Stage::Write));
        for unit in &units {
            self.check_cancel()
                .map_err(|e| e.with_flash(report.clone()))?;
            self.execute_unit(plan, *unit, &mut report, sink)
                .await
                .map_err(|e| e.with_flash(report.clone()))?;
            done += u64::from(unit.len());
            sink.event(Event::Bytes { done, total });
        }
        Ok(report)
    }

    async fn execute_unit(
        &mut self,
        plan: &Plan,
        unit: Unit,
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let jobs: Vec<&SectorJob> = plan
            .sectors
            .iter()
            .filter(|job| unit.covers(job.addr) && job.skip != Some(Skip::AlreadyMatches))
            .collect();
        if let Some(size) = unit.erase {
            report.set_range(unit.addr, size.bytes(), SectorState::Unknown);
            self.erase_unit(size, unit.addr, sink).await?;
            report.set_range(unit.addr, size.bytes(), SectorState::Erased);
        }
        for job in jobs.iter().filter(|job| job.skip.is_none()) {
            report.set(job.addr, SectorState::Unknown);
            self.write_job(job, sink).await?;
        }
        for job in &jobs {
            if self.sector_matches(job.addr, &job.data, sink).await? {
                report.set(job.addr, SectorState::Written);
            } else {
                self.repair(job, report, sink).await?;
            }
        }
        Ok(())
    }

    /// Erase, rewrite and re-verify one sector that failed its CRC, within the retry budget.
    async fn repair(
        &mut self,
        job: &SectorJob,
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        report.set(job.addr, SectorState::Unknown);
        let mut kind = ErrorKind::CrcMismatch;
        for attempt in 1..=self.options.retries {
            self.check_cancel()?;
            sink.event(Event::Retry {
                command: Opcode::FlashWrite4K,
                address: Some(job.addr),
                attempt,
                kind,
            });
            self.erase_unit(EraseSize::Sector4K, job.addr, sink).await?;
            // A blank check tells a failed erase from a failed write, but on the legacy class its
            // CRC would re-protect the flash before the write; there the final CRC has to do.
            if self.class() == ProtocolClass::Rom
                && !self
                    .sector_matches(job.addr, &[0xFF; SECTOR_LEN], sink)
                    .await?
            {
                kind = ErrorKind::EraseFailed;
                continue;
            }
            kind = ErrorKind::CrcMismatch;
            report.set(job.addr, SectorState::Erased);
            if job.skip.is_none() {
                report.set(job.addr, SectorState::Unknown);
                self.write_job(job, sink).await?;
            }
            if self.sector_matches(job.addr, &job.data, sink).await? {
                report.set(job.addr, SectorState::Written);
                return Ok(());
            }
            report.set(job.addr, SectorState::Unknown);
        }
        Err(Error::new(kind)
            .command(Opcode::CheckCrc, Some(job.addr))
            .detail(alloc::format!("after {} retries", self.options.retries)))
    }

    /// Program one erased sector: 256-byte page writes when only a few pages hold data (a file's
    /// tail, an RBL trailer) because they take fewer wire bytes, else one 4K write.
    async fn write_job(
        &mut self,
        job: &SectorJob,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let pages: Vec<usize> = (0..SECTOR_LEN / PAGE)
            .filter(|&p| {
                job.data[p * PAGE..(p + 1) * PAGE]
                    .iter()
                    .any(|&b| b != 0xFF)
            })
            .collect();
        if pages.len() * PAGE_FRAME < SECTOR_FRAME {
            for p in pages {
                self.write_page(
                    job.addr + (p * PAGE) as u32,
                    &job.data[p * PAGE..(p + 1) * PAGE],
                    sink,
                )
                .await?;
            }
            return Ok(());
        }
        let data: &[u8; SECTOR_LEN] = job.data.as_slice().try_into().map_err(|_| {
            Error::new(ErrorKind::PlanRefused)
                .at(job.addr)
                .detail("sector job is not 4096 bytes")
        })?;
        self.write_sector(job.addr, data, sink).await
    }
}

/// One step of a plan: an optional erase at `addr`, then writes and CRCs of the sectors in
/// `[addr, addr + len)`.
#[derive(Clone, Copy, Debug)]
struct Unit {
    erase: Option<EraseSize>,
    addr: u32,
    len: u32,
}

impl Unit {
    fn len(&self) -> u32 {
        self.len
    }

    fn covers(&self, sector: u32) -> bool {
        sector >= self.addr && sector - self.addr < self.len
    }
}

/// The plan's erases as units, plus the sectors written without an erase, grouped into runs of
/// neighbours inside one 64 KiB block. On the legacy class each run starts with a 4 KiB erase of
/// its first sector, which the chip's CRC showed blank: the compare CRCs re-protected the flash and
/// only an erase after a LinkCheck lifts that, and a sector erase costs a sixth of a block erase.
fn units_of(plan: &Plan, class: ProtocolClass) -> Result<Vec<Unit>, Error> {
    let mut units: Vec<Unit> = plan
        .erases
        .iter()
        .map(|e| {
            let (size, addr) = match *e {
                Erase::Sector(addr) => (EraseSize::Sector4K, addr),
                Erase::Block(addr) => (EraseSize::Block64K, addr),
            };
            Unit {
                erase: Some(size),
                addr,
                len: size.bytes(),
            }
        })
        .collect();
    if let Some(job) = plan
        .sectors
        .iter()
        .find(|job| job.erase && !units.iter().any(|u| u.covers(job.addr)))
    {
        return Err(Error::new(ErrorKind::PlanRefused)
            .at(job.addr)
            .detail("the plan writes a sector it never erases"));
    }
    let run_erase = (class == ProtocolClass::Legacy).then_some(EraseSize::Sector4K);
    let mut runs: Vec<Unit> = Vec::new();
    for job in plan
        .sectors
        .iter()
        .filter(|job| !job.erase && job.skip.is_none())
    {
        match runs.last_mut() {
            Some(run) if run.addr + run.len == job.addr && !job.addr.is_multiple_of(BLOCK) => {
                run.len += SECTOR;
            }
            _ => runs.push(Unit {
                erase: run_erase,
                addr: job.addr,
                len: SECTOR,
            }),
        }
    }
    units.extend(runs);
    units.sort_unstable_by_key(|u| u.addr);
    Ok(units)
}

/// Every sector any region touches, ascending.
fn touched_sectors(regions: &[Region]) -> Vec<u32> {
    let mut sectors: Vec<u32> = regions
        .iter()
        .filter(|r| !r.data.is_empty())
        .flat_map(|r| {
            let first = r.offset - r.offset % SECTOR;
            let end = r.offset + r.data.len() as u32;
            (first..end).step_by(SECTOR as usize)
        })
        .collect();
    sectors.sort_unstable();
    sectors.dedup();
    sectors
}
