//! Verifying regions against the flash: chip CRCs where the class allows the exact range,
//! read-back and byte comparison where it does not (legacy CRCs cover whole 256-byte blocks only).

use alloc::vec::Vec;

use super::Flasher;
use super::ops::LEGACY_CRC_BLOCK;
use crate::chips::ProtocolClass;
use crate::crc::chip_crc;
use crate::error::Error;
use crate::plan::{Region, SECTOR};
use crate::progress::{Event, ProgressSink, Stage};
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// Compare `regions` with the flash; returns the addresses of the sectors that differ.
    pub async fn verify(
        &mut self,
        regions: &[Region],
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u32>, Error> {
        let result = self.verify_regions(regions, sink).await;
        self.parked_on_failure(result, sink).await
    }

    async fn verify_regions(
        &mut self,
        regions: &[Region],
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u32>, Error> {
        self.ensure_connected(sink).await?;
        for region in regions {
            self.guard_read(region.offset, region.data.len() as u32)?;
        }
        sink.event(Event::Stage(Stage::Verify));
        let total: u64 = regions.iter().map(|r| r.data.len() as u64).sum();
        let mut done = 0u64;
        let mut differ = Vec::new();
        for region in regions {
            let end = region.offset + region.data.len() as u32;
            let mut addr = region.offset;
            while addr < end {
                self.check_cancel()?;
                let sector = addr - addr % SECTOR;
                let piece_end = (sector + SECTOR).min(end);
                let expected = &region.data
                    [(addr - region.offset) as usize..(piece_end - region.offset) as usize];
                if !self.piece_matches(addr, expected, sink).await?
                    && differ.last() != Some(&sector)
                {
                    differ.push(sector);
                }
                done += expected.len() as u64;
                sink.event(Event::Bytes { done, total });
                addr = piece_end;
            }
        }
        Ok(differ)
    }

    async fn piece_matches(
        &mut self,
        addr: u32,
        expected: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<bool, Error> {
        let exact_crc = self.class() == ProtocolClass::Rom
            || (addr.is_multiple_of(LEGACY_CRC_BLOCK)
                && (expected.len() as u32).is_multiple_of(LEGACY_CRC_BLOCK));
        if exact_crc {
            return Ok(
                self.flash_crc(addr, expected.len() as u32, sink).await? == chip_crc(expected)
            );
        }
        let sector = addr - addr % SECTOR;
        let bytes = self.read_verified_sector(sector, sink).await?;
        let at = (addr - sector) as usize;
        Ok(&bytes[at..at + expected.len()] == expected)
    }
}
