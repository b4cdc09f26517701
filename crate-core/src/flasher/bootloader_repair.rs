//! Putting the bootloader region back from the copy read before the job: only the sectors whose CRC
//! differs, each erased, written and checked; on the legacy class through the mirror address (§6.3).

use alloc::vec::Vec;

use super::Flasher;
use super::bootloader_watch::{BootCopy, boot_report};
use super::guard::Purpose;
use super::sectors::FlashReport;
use crate::chips::ProtocolClass;
use crate::crc::chip_crc_of_blank;
use crate::error::{Error, ErrorKind};
use crate::plan::SECTOR;
use crate::progress::{Event, ProgressSink};
use crate::protocol::{EraseSize, Opcode, SECTOR_LEN};
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// Repair `[0, len)` from `copy`. Returns the changed sectors, all `Repaired`; on failure also
    /// the error, with the sectors not put back `Unknown`.
    pub(super) async fn repair_bootloader(
        &mut self,
        copy: &BootCopy,
        len: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, (FlashReport, Error)> {
        let mut changed = Vec::new();
        let mut repaired = 0;
        let outcome = self
            .repair_sectors(copy, len, &mut changed, &mut repaired, sink)
            .await;
        let report = boot_report(&changed, repaired);
        match outcome {
            Ok(()) => Ok(report),
            Err(error) => Err((report, error)),
        }
    }

    async fn repair_sectors(
        &mut self,
        copy: &BootCopy,
        len: u32,
        changed: &mut Vec<u32>,
        repaired: &mut usize,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        // The flash may be write-protected again (ROM class, restored protection).
        self.unprotect(sink).await?;
        let mut found = Vec::new();
        for addr in (0..len).step_by(SECTOR as usize) {
            let crc = self.flash_crc(addr, SECTOR, sink).await?;
            if crc != copy.crc_of(addr, SECTOR) {
                changed.push(addr);
                found.push(crc);
            }
        }
        for (&addr, &crc) in changed.iter().zip(&found) {
            self.repair_sector(copy, addr, crc, sink).await?;
            *repaired += 1;
        }
        let mut strays = FlashReport::default();
        let found = self.bootloader_crc(len, &mut strays, sink).await?;
        if found != copy.crc(len) {
            return Err(Error::new(ErrorKind::CrcMismatch)
                .command(Opcode::CheckCrc, Some(0))
                .detail(alloc::format!(
                    "the region 0x0-0x{len:X} still differs from the copy after the repair"
                )));
        }
        Ok(())
    }

    /// Erase one bootloader sector whose CRC is now `found`, write the copy's bytes back and check
    /// them, within the retry budget. A sector that is blank in the copy is only erased.
    async fn repair_sector(
        &mut self,
        copy: &BootCopy,
        addr: u32,
        mut found: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let data: &[u8; SECTOR_LEN] = copy
            .bytes(addr, SECTOR)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| Error::new(ErrorKind::BootloaderRefused).at(addr))?;
        let expected = copy.crc_of(addr, SECTOR);
        let blank = chip_crc_of_blank(SECTOR_LEN);
        for attempt in 0..=self.options.retries {
            if attempt > 0 {
                sink.event(Event::Retry {
                    command: Opcode::FlashWrite4K,
                    address: Some(addr),
                    attempt,
                    kind: ErrorKind::CrcMismatch,
                });
            }
            // On the legacy class the last CRC re-protected the flash and only an erase after a
            // LinkCheck lifts that, so the erase runs even on a blank sector there.
            if found != blank || self.class() == ProtocolClass::Legacy {
                self.erase_unit(EraseSize::Sector4K, addr, Purpose::Repair(copy), sink)
                    .await?;
            }
            if expected != blank {
                self.write_sector(addr, data, Purpose::Repair(copy), sink)
                    .await?;
            }
            found = self.flash_crc(addr, SECTOR, sink).await?;
            if found == expected {
                return Ok(());
            }
        }
        Err(Error::new(ErrorKind::CrcMismatch)
            .command(Opcode::CheckCrc, Some(addr))
            .detail(alloc::format!(
                "bootloader sector still differs after {} retries",
                self.options.retries
            )))
    }
}
