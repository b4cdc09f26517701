//! Writing a whole-flash image over SPI (docs/spi-unbrick.md §5, §8): unprotect with the exact SR byte
//! count, then per changed sector erase, check blank, program, read back; a last whole-flash pass
//! catches writes that landed elsewhere. Protected writes fail silently, so nothing is taken on trust.

use alloc::vec::Vec;

use super::SpiFlasher;
use super::image::check_whole_flash_image;
use super::nor::{BLOCK_ERASE, PAGE, PAGE_PROGRAM, SECTOR_ERASE, SR_SRP, STATUS_OPS};
use super::plan::{SpiPlan, sector};
use super::read::is_retryable;
use crate::error::{Error, ErrorKind};
use crate::flasher::{FlashReport, Protection, SectorState};
use crate::plan::{BLOCK, SECTOR};
use crate::progress::{Event, ProgressSink, Stage};
use crate::transport::Transport;

/// Status-register writes before giving up (Easy Flasher tries 10; a sane part needs 1).
const SR_WRITE_TRIES: u32 = 3;

impl<P: Transport, C: Transport> SpiFlasher<P, C> {
    /// What writing `image` over `current` (the whole flash as read) would change.
    pub async fn plan(
        &mut self,
        image: &[u8],
        current: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<SpiPlan, Error> {
        let chip = self.connect(sink).await?;
        check_whole_flash_image(image, Some(chip.flash_size))?;
        if current.len() != image.len() {
            return Err(
                Error::new(ErrorKind::BackupSizeMismatch).detail(alloc::format!(
                    "the current content given is {} bytes, the flash {}",
                    current.len(),
                    image.len()
                )),
            );
        }
        Ok(SpiPlan::new(image, current, &chip))
    }

    /// Write the whole-flash `image`, bootloader included. `current` is the flash as just backed up
    /// (read here when `None`); sectors that already match are not touched.
    pub async fn write(
        &mut self,
        image: &[u8],
        current: Option<&[u8]>,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let size = self.connect(sink).await?.flash_size;
        check_whole_flash_image(image, Some(size))?;
        let read_now;
        let current = match current {
            Some(current) => current,
            None => {
                read_now = self.backup(sink).await?;
                &read_now
            }
        };
        let plan = self.plan(image, current, sink).await?;
        let mut report = FlashReport::new(plan.sectors.iter().copied());
        if plan.is_noop() {
            return Ok(report);
        }
        self.unprotect(sink).await?;
        sink.event(Event::Stage(Stage::Write));
        let total = plan.sectors.len() as u64 * u64::from(SECTOR);
        let mut erased_blocks: Vec<u32> = Vec::new();
        for (i, &addr) in plan.sectors.iter().enumerate() {
            self.check_cancel()
                .map_err(|e| e.with_flash(report.clone()))?;
            let block = addr - addr % BLOCK;
            if plan.block_erased(addr) && !erased_blocks.contains(&block) {
                self.erase_block(block, &mut report, sink).await?;
                erased_blocks.push(block);
            }
            let erased = plan.block_erased(addr);
            self.write_sector(addr, sector(image, addr), erased, &mut report, sink)
                .await?;
            sink.event(Event::Bytes {
                done: (i as u64 + 1) * u64::from(SECTOR),
                total,
            });
        }
        self.final_pass(image, &mut report, sink).await?;
        Ok(report)
    }

    async fn erase_block(
        &mut self,
        block: u32,
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        report.set_range(block, BLOCK, SectorState::Unknown);
        self.serprog
            .erase(&BLOCK_ERASE, block, sink)
            .await
            .map_err(|e| e.with_flash(report.clone()))?;
        report.set_range(block, BLOCK, SectorState::Erased);
        Ok(())
    }

    /// One sector, retried whole (with a fresh sector erase) up to the retry budget.
    async fn write_sector(
        &mut self,
        addr: u32,
        data: &[u8],
        erased: bool,
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let mut erased = erased;
        let mut attempt = 0;
        loop {
            match self.try_sector(addr, data, erased, report, sink).await {
                Ok(()) => {
                    report.set(addr, SectorState::Written);
                    return Ok(());
                }
                Err(e) if attempt < self.options.retries && sector_retryable(e.kind) => {
                    attempt += 1;
                    erased = false;
                    let text = alloc::format!("retry {attempt} of sector 0x{addr:06X}: {e}");
                    sink.event(Event::Note(&text));
                }
                Err(e) => return Err(e.with_flash(report.clone())),
            }
        }
    }

    async fn try_sector(
        &mut self,
        addr: u32,
        data: &[u8],
        erased: bool,
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if !erased {
            report.set(addr, SectorState::Unknown);
            self.serprog.erase(&SECTOR_ERASE, addr, sink).await?;
        }
        let blank = self.read_once(addr, SECTOR as usize, sink).await?;
        let dirty = blank.iter().filter(|&&b| b != 0xFF).count();
        if dirty > 0 {
            return Err(Error::new(ErrorKind::EraseFailed)
                .operation(SECTOR_ERASE.name, Some(addr))
                .detail(alloc::format!(
                    "{dirty} bytes are not 0xFF after erasing{}",
                    self.protection_hint()
                )));
        }
        report.set(addr, SectorState::Erased);
        for (i, page) in data.chunks(PAGE).enumerate() {
            if page.iter().all(|&b| b == 0xFF) {
                continue;
            }
            report.set(addr, SectorState::Unknown);
            self.serprog
                .program_page(addr + (i * PAGE) as u32, page, sink)
                .await?;
        }
        let back = self.read_once(addr, SECTOR as usize, sink).await?;
        if let Some(at) = back.iter().zip(data).position(|(a, b)| a != b) {
            let wrong = back.iter().zip(data).filter(|(a, b)| a != b).count();
            return Err(Error::new(ErrorKind::SpiWriteFailed)
                .operation(PAGE_PROGRAM.name, Some(addr + at as u32))
                .detail(alloc::format!(
                    "{wrong} of {SECTOR} bytes differ when read back{}",
                    self.protection_hint()
                )));
        }
        Ok(())
    }

    /// Read the whole flash once more; sectors that differ (a write that landed elsewhere) are
    /// confirmed by a settled read and written again.
    async fn final_pass(
        &mut self,
        image: &[u8],
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        sink.event(Event::Stage(Stage::Verify));
        let suspects = self
            .compare_once(image, sink)
            .await
            .map_err(|e| e.with_flash(report.clone()))?;
        for addr in suspects {
            let settled = self
                .read_settled(addr, SECTOR as usize, sink)
                .await
                .map_err(|e| e.with_flash(report.clone()))?;
            if settled[..] == *sector(image, addr) {
                continue;
            }
            report.absorb(&FlashReport::new([addr]));
            let text = alloc::format!(
                "sector 0x{addr:06X} changed after it was written; writing it again"
            );
            sink.event(Event::Note(&text));
            self.write_sector(addr, sector(image, addr), false, report, sink)
                .await?;
        }
        Ok(())
    }

    /// Clear the part's protect bits (§5.3): no write when none is set (bk7231tools PR #29), exactly the
    /// part's SR byte count, read back after each write.
    async fn unprotect(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let chip = self.connected().clone();
        let Some(flash) = chip.flash.filter(|f| f.sr_width() > 0) else {
            if chip.flash.is_none() {
                sink.event(Event::Note(
                    "Unknown flash part: its status register is left as is; every sector is read back",
                ));
            }
            return Ok(());
        };
        let mask = flash.effective_mask();
        let mut sr = self.serprog.read_status(Some(flash), sink).await?;
        if sr & mask == 0 {
            return Ok(());
        }
        sink.event(Event::Stage(Stage::Unprotect));
        for _ in 0..SR_WRITE_TRIES {
            self.serprog.write_status(flash, sr & !mask, sink).await?;
            sr = self.serprog.read_status(Some(flash), sink).await?;
            if sr & mask == 0 {
                if let Some(chip) = self.chip.as_mut() {
                    chip.status = sr;
                    chip.protection = Protection::Unprotected;
                }
                return Ok(());
            }
        }
        let op = STATUS_OPS
            .iter()
            .find(|op| op.opcode == flash.sr_write[0])
            .map_or("O_SPIOP 01 (write status register)", |op| op.name);
        let locked = if sr & u16::from(SR_SRP) != 0 {
            "; SRP is set, so the WP pin may lock the register until power-off"
        } else {
            ""
        };
        Err(Error::new(ErrorKind::UnprotectFailed)
            .operation(op, None)
            .detail(alloc::format!(
                "{}: status 0x{sr:04X} after {SR_WRITE_TRIES} writes{locked}",
                flash.part
            )))
    }

    /// Words added to an erase or write failure when the status register still protects the flash.
    fn protection_hint(&self) -> &'static str {
        match self.chip.as_ref().map(|c| c.protection) {
            Some(Protection::Protected { .. }) => "; the status register still protects the flash",
            Some(Protection::Unknown) => {
                "; the flash part is unknown, so its protection could not be removed"
            }
            _ => "",
        }
    }
}

/// A sector attempt that failed on the flash or the link is worth one more erase and write.
fn sector_retryable(kind: ErrorKind) -> bool {
    is_retryable(kind)
        || matches!(
            kind,
            ErrorKind::EraseFailed
                | ErrorKind::SpiWriteFailed
                | ErrorKind::SpiReadUnstable
                | ErrorKind::WriteEnableFailed
        )
}
