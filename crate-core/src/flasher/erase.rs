//! Erasing a sector-aligned range: 64 KiB blocks where whole, 4 KiB sectors elsewhere, each unit
//! checked blank by CRC and re-erased within the retry budget, with the bootloader watched around it.

use alloc::vec::Vec;
use core::ops::Range;

use super::Flasher;
use super::guard::Purpose;
use super::sectors::{FlashReport, SectorState};
use crate::crc::chip_crc_of_blank;
use crate::error::{Error, ErrorKind};
use crate::plan::{BLOCK, SECTOR};
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{EraseSize, Opcode};
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// Erase `range` (start and end multiples of 0x1000); returns the sector states.
    pub async fn erase(
        &mut self,
        range: Range<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let result = self.erase_watched(range, sink).await;
        self.parked_on_failure(result, sink).await
    }

    async fn erase_watched(
        &mut self,
        range: Range<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        self.ensure_connected(sink).await?;
        let len = range.end.saturating_sub(range.start);
        if !range.start.is_multiple_of(SECTOR) || !len.is_multiple_of(SECTOR) {
            return Err(
                Error::new(ErrorKind::Unaligned).command(Opcode::FlashErase, Some(range.start))
            );
        }
        self.guard_modify(Opcode::FlashErase, range.start, len)?;
        if len == 0 {
            return Ok(FlashReport::default());
        }
        let watched = self.watch_begin(range.start, sink).await?;
        let erased = self.erase_range(range, sink).await;
        self.watch_end(watched, erased, sink).await
    }

    async fn erase_range(
        &mut self,
        range: Range<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let len = range.end - range.start;
        self.unprotect(sink).await?;
        sink.event(Event::Stage(Stage::Erase));
        let units = erase_units(range.clone());
        let mut report = FlashReport::new(range.clone().step_by(SECTOR as usize));
        for &(size, addr) in &units {
            self.check_cancel()
                .map_err(|e| e.with_flash(report.clone()))?;
            self.erase_verified(size, addr, &mut report, sink)
                .await
                .map_err(|e| e.with_flash(report.clone()))?;
            sink.event(Event::Bytes {
                done: u64::from(addr + size.bytes() - range.start),
                total: u64::from(len),
            });
        }
        self.restore_protection(sink)
            .await
            .map_err(|e| e.with_flash(report.clone()))?;
        Ok(report)
    }

    async fn erase_verified(
        &mut self,
        size: EraseSize,
        addr: u32,
        report: &mut FlashReport,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let blank = chip_crc_of_blank(size.bytes() as usize);
        for attempt in 0..=self.options.retries {
            if attempt > 0 {
                sink.event(Event::Retry {
                    command: Opcode::FlashErase,
                    address: Some(addr),
                    attempt,
                    kind: ErrorKind::EraseFailed,
                });
            }
            report.set_range(addr, size.bytes(), SectorState::Unknown);
            self.erase_unit(size, addr, Purpose::Job, sink).await?;
            if self.flash_crc(addr, size.bytes(), sink).await? == blank {
                report.set_range(addr, size.bytes(), SectorState::Erased);
                return Ok(());
            }
        }
        Err(Error::new(ErrorKind::EraseFailed)
            .command(Opcode::FlashErase, Some(addr))
            .detail(alloc::format!("after {} retries", self.options.retries)))
    }
}

/// 64 KiB blocks for the aligned whole blocks inside `range`, 4 KiB sectors around them.
fn erase_units(range: Range<u32>) -> Vec<(EraseSize, u32)> {
    let mut units = Vec::new();
    let mut addr = range.start;
    while addr < range.end {
        if addr.is_multiple_of(BLOCK) && range.end - addr >= BLOCK {
            units.push((EraseSize::Block64K, addr));
            addr += BLOCK;
        } else {
            units.push((EraseSize::Sector4K, addr));
            addr += SECTOR;
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_aligned_blocks_use_64k_erases() {
        let units = erase_units(0x1E000..0x31000);
        assert_eq!(
            units,
            [
                (EraseSize::Sector4K, 0x1E000),
                (EraseSize::Sector4K, 0x1F000),
                (EraseSize::Block64K, 0x20000),
                (EraseSize::Sector4K, 0x30000)
            ]
        );
    }
}
