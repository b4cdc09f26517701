//! Writing: read partial sectors, optionally compare chip CRCs, plan, unprotect, then execute the plan
//! erase unit by erase unit, verifying every touched sector by CRC and tracking what the flash holds.
//! Any plan, hand-made ones too, is checked unit by unit by the frame guard before the first is sent.

use alloc::vec::Vec;

use super::guard::{Change, Purpose};
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

/// Flash page: the most one op 0x06 may program.
const PAGE: usize = 256;

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
        if self.may_change_bootloader() {
            0
        } else {
            BOOTLOADER_END
        }
    }

    /// Run `plan` (from `prepare`, or made by hand): check every unit with the frame guard, then
    /// unprotect, then per erase unit erase, write its sectors and verify each by CRC (on the legacy
    /// class the writes all precede the first CRC, which re-protects the flash), repair what fails;
    /// restore protection if asked. Sectors the plan marks blank on the chip are written and verified
    /// without erasing them (see `units_of`). The bootloader region is watched around it all.
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
        let units = units_of(plan, self.class())?;
        self.check_units(plan, &units)?;
        // A plan with nothing to erase or write (the chip holds it already) sends no change to watch.
        let watched = match units.iter().map(|u| u.addr).min() {
            Some(first_change) => self.watch_begin(first_change, sink).await?,
            None => 0,
        };
        let written = self.execute_checked(plan, &units, sink).await;
        self.watch_end(watched, written, sink).await
    }

    /// Every erase and write the plan's units will send, through the frame guard, before the first.
    fn check_units(&self, plan: &Plan, units: &[Unit]) -> Result<(), Error> {
        for unit in units {
            if let Some(size) = unit.erase {
                let change = Change {
                    opcode: Opcode::FlashErase,
                    addr: unit.addr,
                    len: size.bytes(),
                    data: None,
                };
                self.guard_change(change, Purpose::Job)?;
            }
        }
        for job in plan.sectors.iter().filter(|job| job.skip.is_none()) {
            let change = Change {
                opcode: Opcode::FlashWrite4K,
                addr: job.addr,
                len: SECTOR,
                data: Some(&job.data),
            };
            self.guard_change(change, Purpose::Job)?;
        }
        Ok(())
    }

    async fn execute_checked(
        &mut self,
        plan: &Plan,
        units: &[Unit],
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        self.unprotect(sink).await?;
        let report = self.execute_units(plan, units, sink).await?;
        self.restore_protection(sink)
            .await
            .map_err(|e| e.with_flash(report.clone()))?;
        Ok(report)
    }

    async fn execute_units(
        &mut self,
        plan: &Plan,
        units: &[Unit],
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let mut report = FlashReport::new(plan.sectors.iter().map(|job| job.addr));
        let total = units.iter().map(|u| u64::from(u.len())).sum::<u64>();
        let mut done = 0u64;
        sink.event(Event::Stage(Stage::Write));
        for unit in units {
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
            self.erase_unit(size, unit.addr, Purpose::Job, sink).await?;
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
            self.erase_unit(EraseSize::Sector4K, job.addr, Purpose::Job, sink)
                .await?;
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

    /// Program one erased sector with one 4K write (op 0x07), as every field tool does. Only a
    /// sector whose data fits in less than one page (an RBL trailer) goes out as a single short
    /// page write (op 0x06), the one form of 0x06 whose reply count peers have seen verified
    /// (docs/field-audit.md D8); a sector with no data needs no write at all.
    async fn write_job(
        &mut self,
        job: &SectorJob,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        match data_span(&job.data) {
            None => Ok(()),
            Some(span) if span.len() < PAGE && span.start / PAGE == (span.end - 1) / PAGE => {
                self.write_page(job.addr + span.start as u32, &job.data[span], sink)
                    .await
            }
            Some(_) => {
                let data: &[u8; SECTOR_LEN] = job.data.as_slice().try_into().map_err(|_| {
                    Error::new(ErrorKind::PlanRefused)
                        .at(job.addr)
                        .detail("sector job is not 4096 bytes")
                })?;
                self.write_sector(job.addr, data, Purpose::Job, sink).await
            }
        }
    }
}

/// The bytes from the first to the last one that is not erased (0xFF), if any.
fn data_span(data: &[u8]) -> Option<core::ops::Range<usize>> {
    let first = data.iter().position(|&b| b != 0xFF)?;
    let last = data.iter().rposition(|&b| b != 0xFF)?;
    Some(first..last + 1)
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
