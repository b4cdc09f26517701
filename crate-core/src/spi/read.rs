//! Reading over SPI with no CRC to lean on (docs/spi-unbrick.md §8): every chunk is read until two reads
//! agree, so a marginal clock or a loose wire shows as an error instead of a wrong backup. Also `verify`.

use alloc::vec::Vec;
use core::ops::Range;

use super::image::check_whole_flash_image;
use super::nor::READ;
use super::{SpiFlasher, differing_sectors};
use crate::error::{Error, ErrorKind};
use crate::plan::SECTOR;
use crate::progress::{Event, ProgressSink, Stage};
use crate::transport::Transport;

/// Bytes per read frame: progress stays fine-grained and a repeated read is cheap (§8 step 3).
const READ_CHUNK: usize = 16 * 1024;

impl<P: Transport, C: Transport> SpiFlasher<P, C> {
    /// Read `range`; each chunk is read twice and must agree (a third read settles a disagreement).
    pub async fn read(
        &mut self,
        range: Range<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let size = self.connect(sink).await?.flash_size;
        if range.start >= range.end || range.end > size {
            return Err(Error::new(ErrorKind::BeyondFlash).detail(alloc::format!(
                "0x{:06X}..0x{:06X} on a 0x{size:X}-byte flash",
                range.start,
                range.end
            )));
        }
        sink.event(Event::Stage(Stage::Read));
        let total = u64::from(range.end - range.start);
        let mut out = Vec::with_capacity(total as usize);
        let mut addr = range.start;
        while addr < range.end {
            self.check_cancel()?;
            let len = (range.end - addr).min(self.read_chunk() as u32);
            out.extend_from_slice(&self.read_settled(addr, len as usize, sink).await?);
            addr += len;
            sink.event(Event::Bytes {
                done: u64::from(addr - range.start),
                total,
            });
        }
        Ok(out)
    }

    /// The whole flash, read as `read` does: what a backup before writing must be.
    pub async fn backup(&mut self, sink: &mut dyn ProgressSink) -> Result<Vec<u8>, Error> {
        let size = self.connect(sink).await?.flash_size;
        self.read(0..size, sink).await
    }

    /// Compare the chip with a whole-flash `image`; returns the sectors that differ (each confirmed by
    /// reading it again until two reads agree).
    pub async fn verify(
        &mut self,
        image: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u32>, Error> {
        let size = self.connect(sink).await?.flash_size;
        check_whole_flash_image(image, Some(size))?;
        sink.event(Event::Stage(Stage::Verify));
        let suspects = self.compare_once(image, sink).await?;
        let mut differ = Vec::new();
        for addr in suspects {
            let settled = self.read_settled(addr, SECTOR as usize, sink).await?;
            if settled[..] != image[addr as usize..(addr + SECTOR) as usize] {
                differ.push(addr);
            }
        }
        Ok(differ)
    }

    /// Read the whole flash once and list the sectors that differ from `image`.
    pub(super) async fn compare_once(
        &mut self,
        image: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u32>, Error> {
        let total = image.len() as u64;
        let mut differ = Vec::new();
        let mut addr = 0u32;
        while (addr as usize) < image.len() {
            self.check_cancel()?;
            let len = (image.len() - addr as usize).min(self.read_chunk());
            let bytes = self.read_once(addr, len, sink).await?;
            differ.extend(differing_sectors(
                addr,
                &bytes,
                &image[addr as usize..addr as usize + len],
            ));
            addr += len as u32;
            sink.event(Event::Bytes {
                done: u64::from(addr),
                total,
            });
        }
        Ok(differ)
    }

    /// Read until two reads of `[addr, addr + len)` agree.
    pub(super) async fn read_settled(
        &mut self,
        addr: u32,
        len: usize,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let tries = self.options.retries + 2;
        let mut reads: Vec<Vec<u8>> = Vec::new();
        for _ in 0..tries {
            let bytes = self.read_once(addr, len, sink).await?;
            if reads.contains(&bytes) {
                return Ok(bytes);
            }
            reads.push(bytes);
        }
        Err(Error::new(ErrorKind::SpiReadUnstable)
            .operation(READ.name, Some(addr))
            .detail(alloc::format!("{tries} reads of {len} bytes all differed")))
    }

    /// One read frame; a programmer hiccup (silence, NAK) is retried after the client's resync.
    pub(super) async fn read_once(
        &mut self,
        addr: u32,
        len: usize,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let mut attempt = 0;
        loop {
            match self.serprog.read_data(addr, len, sink).await {
                Ok(bytes) => return Ok(bytes),
                Err(e) if attempt < self.options.retries && is_retryable(e.kind) => {
                    attempt += 1;
                    let text = alloc::format!("retry {attempt}: {e}");
                    sink.event(Event::Note(&text));
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn read_chunk(&self) -> usize {
        READ_CHUNK.min(self.serprog.info().max_read)
    }
}

/// Failures a resend can fix: the programmer lost a byte or refused a garbled frame.
pub(super) fn is_retryable(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ProgrammerSilent | ErrorKind::ProgrammerRefused | ErrorKind::FlashTimeout
    )
}
