//! Restoring a full-flash backup: a differential write of the dump from the first writable address,
//! then one CheckCRC over the whole restored range compared with the dump's CRC (re-asked on mismatch).

use super::sectors::FlashReport;
use super::{Flasher, WriteOptions};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::plan::Region;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::Opcode;
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// Write `dump` (a whole-flash image, exactly the flash size) back to the chip. The bootloader
    /// region below 0x11000 is left as is on legacy-class chips always, and on ROM-class chips unless
    /// `Options::allow_bootloader` is set (a dump from another chip carries a bootloader encrypted
    /// with the other chip's key). Sectors whose chip CRC already matches are not erased or written.
    /// Afterwards the CRC of the whole restored range is checked against the dump.
    pub async fn restore(
        &mut self,
        dump: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        let result = self.restore_dump(dump, sink).await;
        self.parked_on_failure(result, sink).await
    }

    async fn restore_dump(
        &mut self,
        dump: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<FlashReport, Error> {
        self.ensure_connected(sink).await?;
        let flash_size = self.flash_size();
        if dump.len() != flash_size as usize {
            return Err(
                Error::new(ErrorKind::BackupSizeMismatch).detail(alloc::format!(
                    "backup 0x{:X} bytes, flash 0x{flash_size:X} bytes",
                    dump.len()
                )),
            );
        }
        let start = self.protected_below();
        if start > 0 {
            sink.event(Event::Note(
                "The bootloader region below 0x11000 is kept as it is on the chip",
            ));
        }
        let region = Region {
            offset: start,
            data: dump[start as usize..].to_vec(),
        };
        let report = self
            .write(
                core::slice::from_ref(&region),
                &WriteOptions { differential: true },
                sink,
            )
            .await?;
        sink.event(Event::Stage(Stage::Verify));
        let expected = chip_crc(&region.data);
        let mut found = expected;
        // Every sector was verified already, so a mismatch is more likely a corrupted reply than a
        // changed flash: ask again within the retry budget before failing.
        for attempt in 0..=self.options.retries {
            if attempt > 0 {
                sink.event(Event::Retry {
                    command: Opcode::CheckCrc,
                    address: Some(start),
                    attempt,
                    kind: ErrorKind::CrcMismatch,
                });
            }
            found = self
                .flash_crc(start, flash_size - start, sink)
                .await
                .map_err(|e| e.with_flash(report.clone()))?;
            if found == expected {
                return Ok(report);
            }
        }
        Err(Error::new(ErrorKind::CrcMismatch)
            .command(Opcode::CheckCrc, Some(start))
            .detail(alloc::format!(
                "whole-range check after the restore: chip 0x{found:08X}, backup 0x{expected:08X}"
            ))
            .with_flash(report))
    }
}
