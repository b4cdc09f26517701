//! Reading flash: 4 KiB frames, one CRC per run of `read_crc_run` bytes, and a failing run re-read
//! sector by sector with a CRC each, within the read retry budget (protocol.md §7.4).

use alloc::vec::Vec;
use core::ops::Range;

use super::Flasher;
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::plan::SECTOR;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::Opcode;
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// Read `range` of the flash. Any start and length; whole sectors are read and cut.
    pub async fn read(
        &mut self,
        range: Range<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let result = self.read_range(range, sink).await;
        self.parked_on_failure(result, sink).await
    }

    async fn read_range(
        &mut self,
        range: Range<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        self.ensure_connected(sink).await?;
        let len = range.end.saturating_sub(range.start);
        self.guard_read(range.start, len)?;
        sink.event(Event::Stage(Stage::Read));
        let first = range.start - range.start % SECTOR;
        let end = range.end.div_ceil(SECTOR) * SECTOR;
        let run_len = (self.options.read_crc_run / SECTOR).max(1) * SECTOR;
        let mut out = Vec::with_capacity((end - first) as usize);
        let mut run_start = first;
        while run_start < end {
            self.check_cancel()?;
            let run_end = (run_start + run_len).min(end);
            let run = self.read_run(run_start, run_end, sink).await?;
            out.extend_from_slice(&run);
            sink.event(Event::Bytes {
                done: u64::from(run_end - first),
                total: u64::from(end - first),
            });
            run_start = run_end;
        }
        self.remember_bootloader(first, &out);
        let skip = (range.start - first) as usize;
        Ok(out[skip..skip + len as usize].to_vec())
    }

    /// Read `[start, end)` (sector aligned) and check it with one CRC; re-read per sector on mismatch.
    pub(super) async fn read_run(
        &mut self,
        start: u32,
        end: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let mut data = Vec::with_capacity((end - start) as usize);
        for addr in (start..end).step_by(SECTOR as usize) {
            data.extend(self.read_sector(addr, sink).await?);
        }
        if self.flash_crc(start, end - start, sink).await? == chip_crc(&data) {
            return Ok(data);
        }
        for (i, addr) in (start..end).step_by(SECTOR as usize).enumerate() {
            let at = i * SECTOR as usize;
            let sector = self.read_verified_sector(addr, sink).await?;
            data[at..at + SECTOR as usize].copy_from_slice(&sector);
        }
        Ok(data)
    }

    /// Read one sector until its content agrees with the chip's CRC, within the read retry budget;
    /// repeated mismatches step the session down to a slower rate.
    pub(super) async fn read_verified_sector(
        &mut self,
        addr: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let mut attempt = 0;
        loop {
            let sector = self.read_sector(addr, sink).await?;
            let crc = self.flash_crc(addr, SECTOR, sink).await?;
            if crc == chip_crc(&sector) {
                return Ok(sector);
            }
            if attempt >= self.options.read_retries {
                return Err(Error::new(ErrorKind::CrcMismatch)
                    .command(Opcode::FlashRead4K, Some(addr))
                    .detail(alloc::format!(
                        "chip CRC 0x{crc:08X}, data read 0x{:08X}",
                        chip_crc(&sector)
                    )));
            }
            attempt += 1;
            sink.event(Event::Retry {
                command: Opcode::FlashRead4K,
                address: Some(addr),
                attempt,
                kind: ErrorKind::CrcMismatch,
            });
            self.strike(&mut attempt, "CRC mismatch", sink).await?;
        }
    }
}
