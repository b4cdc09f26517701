//! The SPI NOR commands a BK72xx's flash takes in SPI flashing mode (docs/spi-unbrick.md §5), each one
//! O_SPIOP: JEDEC id, read, write enable, status registers, 4 KiB / 64 KiB erase, page program, busy polling.

use alloc::vec::Vec;
use core::time::Duration;

use super::client::Serprog;
use crate::error::{Error, ErrorKind};
use crate::flash::FlashChip;
use crate::progress::ProgressSink;
use crate::transport::Transport;

/// One SPI NOR command: its opcode and the name errors show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NorOp {
    pub opcode: u8,
    pub name: &'static str,
    /// Longest busy time after it (0 for commands that never set WIP); generous against the datasheets'
    /// worst cases (PP 3 ms, SE 300 ms, WRSR 30 ms, §5.2), like Easy Flasher's 5 s.
    pub busy_limit: Duration,
}

const fn op(opcode: u8, name: &'static str, busy_limit_ms: u64) -> NorOp {
    NorOp {
        opcode,
        name,
        busy_limit: Duration::from_millis(busy_limit_ms),
    }
}

pub const RDID: NorOp = op(0x9F, "O_SPIOP 9F (read JEDEC id)", 0);
pub const READ: NorOp = op(0x03, "O_SPIOP 03 (read)", 0);
pub const WREN: NorOp = op(0x06, "O_SPIOP 06 (write enable)", 0);
pub const PAGE_PROGRAM: NorOp = op(0x02, "O_SPIOP 02 (page program)", 1_000);
pub const SECTOR_ERASE: NorOp = op(0x20, "O_SPIOP 20 (4 KiB sector erase)", 5_000);
pub const BLOCK_ERASE: NorOp = op(0xD8, "O_SPIOP D8 (64 KiB block erase)", 10_000);

/// Status-register opcodes of the flash table (05/35/15 read, 01/31/11 write).
#[rustfmt::skip]
pub static STATUS_OPS: &[NorOp] = &[
    op(0x05, "O_SPIOP 05 (read status register 1)", 0),
    op(0x35, "O_SPIOP 35 (read status register 2)", 0),
    op(0x15, "O_SPIOP 15 (read status register 3)", 0),
    op(0x01, "O_SPIOP 01 (write status register)", 1_000),
    op(0x31, "O_SPIOP 31 (write status register 2)", 1_000),
    op(0x11, "O_SPIOP 11 (write status register 3)", 1_000),
];

/// Status register 1 bits every part shares.
pub const SR_WIP: u8 = 0x01;
pub const SR_WEL: u8 = 0x02;
/// SRP0/SRWD: with WP# low the status register is locked until power-off.
pub const SR_SRP: u8 = 0x80;

/// Page program size: one program wraps inside its page.
pub const PAGE: usize = 256;

fn status_op(opcode: u8) -> NorOp {
    STATUS_OPS
        .iter()
        .copied()
        .find(|op| op.opcode == opcode)
        .unwrap_or(op(opcode, "O_SPIOP (status register)", 1_000))
}

/// `op` followed by a big-endian 24-bit address (serprog's own fields are little-endian; these are not).
fn with_address(op: u8, addr: u32) -> [u8; 4] {
    let a = addr.to_be_bytes();
    [op, a[1], a[2], a[3]]
}

impl<T: Transport> Serprog<T> {
    /// RDID: manufacturer, memory type, capacity.
    pub async fn jedec_id(&mut self, sink: &mut dyn ProgressSink) -> Result<[u8; 3], Error> {
        let id = self.spi_op(&[RDID.opcode], 3, RDID.name, sink).await?;
        Ok([id[0], id[1], id[2]])
    }

    /// READ `len` bytes from `addr` in one frame (`len` within the programmer's read limit).
    pub async fn read_data(
        &mut self,
        addr: u32,
        len: usize,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        self.spi_op(&with_address(READ.opcode, addr), len, READ.name, sink)
            .await
            .map_err(|e| e.operation(READ.name, Some(addr)))
    }

    /// One status byte, read with `opcode` (05, 35 or 15).
    pub async fn status_byte(
        &mut self,
        opcode: u8,
        sink: &mut dyn ProgressSink,
    ) -> Result<u8, Error> {
        let op = status_op(opcode);
        Ok(self.spi_op(&[opcode], 1, op.name, sink).await?[0])
    }

    /// SR1 | SR2 << 8 with the part's opcodes; SR1 alone when the part is unknown.
    pub async fn read_status(
        &mut self,
        flash: Option<&FlashChip>,
        sink: &mut dyn ProgressSink,
    ) -> Result<u16, Error> {
        let opcodes: &[u8] = match flash {
            Some(flash) => &flash.sr_read[..flash.sr_width()],
            None => &[0x05],
        };
        let mut value = 0u16;
        for (i, &opcode) in opcodes.iter().enumerate() {
            value |= u16::from(self.status_byte(opcode, sink).await?) << (8 * i);
        }
        Ok(value)
    }

    /// WREN, then require WEL (§5.2): a missing latch means a broken MOSI or a locked part.
    pub async fn write_enable(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        self.spi_op(&[WREN.opcode], 0, WREN.name, sink).await?;
        let sr = self.status_byte(0x05, sink).await?;
        if sr & SR_WEL == 0 {
            return Err(Error::new(ErrorKind::WriteEnableFailed)
                .operation(WREN.name, None)
                .detail(alloc::format!("status register 1 reads 0x{sr:02X}")));
        }
        Ok(())
    }

    /// Poll RDSR until WIP clears, at most `op.busy_limit`.
    pub async fn wait_ready(
        &mut self,
        op: &NorOp,
        addr: Option<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let deadline = self.now() + op.busy_limit;
        loop {
            let sr = self.status_byte(0x05, sink).await?;
            if sr & SR_WIP == 0 {
                return Ok(());
            }
            if self.now() >= deadline {
                return Err(Error::new(ErrorKind::FlashTimeout)
                    .operation(op.name, addr)
                    .detail(alloc::format!(
                        "still busy after {} ms",
                        op.busy_limit.as_millis()
                    )));
            }
            self.sleep(Duration::from_millis(1)).await;
        }
    }

    /// Erase the sector or block at `addr` with `op` (SECTOR_ERASE or BLOCK_ERASE) and wait for it.
    pub async fn erase(
        &mut self,
        op: &NorOp,
        addr: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        self.write_enable(sink)
            .await
            .map_err(|e| e.operation(WREN.name, Some(addr)))?;
        self.spi_op(&with_address(op.opcode, addr), 0, op.name, sink)
            .await
            .map_err(|e| e.operation(op.name, Some(addr)))?;
        self.wait_ready(op, Some(addr), sink).await
    }

    /// Program up to one page from `addr` (the data must not cross a page boundary) and wait for it.
    /// WEL is not checked here: the read-back of every written sector catches a program that did nothing.
    pub async fn program_page(
        &mut self,
        addr: u32,
        data: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        self.spi_op(&[WREN.opcode], 0, WREN.name, sink).await?;
        let mut frame = Vec::with_capacity(4 + data.len());
        frame.extend_from_slice(&with_address(PAGE_PROGRAM.opcode, addr));
        frame.extend_from_slice(data);
        self.spi_op(&frame, 0, PAGE_PROGRAM.name, sink)
            .await
            .map_err(|e| e.operation(PAGE_PROGRAM.name, Some(addr)))?;
        self.wait_ready(&PAGE_PROGRAM, Some(addr), sink).await
    }

    /// Write the status register with exactly the part's byte count (§5.3: extra bytes make many parts
    /// ignore the write) and wait for it.
    pub async fn write_status(
        &mut self,
        flash: &FlashChip,
        value: u16,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let op = status_op(flash.sr_write[0]);
        self.write_enable(sink).await?;
        let bytes = value.to_le_bytes();
        let mut frame = Vec::with_capacity(3);
        frame.push(op.opcode);
        frame.extend_from_slice(&bytes[..flash.sr_width()]);
        self.spi_op(&frame, 0, op.name, sink).await?;
        self.wait_ready(&op, None, sink).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flash::FLASH_CHIPS;

    #[test]
    fn addresses_go_out_big_endian() {
        assert_eq!(with_address(0x03, 0x01_1000), [0x03, 0x01, 0x10, 0x00]);
        assert_eq!(with_address(0x20, 0x1F_F000), [0x20, 0x1F, 0xF0, 0x00]);
    }

    #[test]
    fn every_status_opcode_of_the_flash_table_has_a_name() {
        for chip in FLASH_CHIPS {
            for &opcode in chip.sr_read.iter().chain(chip.sr_write) {
                assert!(
                    STATUS_OPS.iter().any(|op| op.opcode == opcode),
                    "{}: 0x{opcode:02X}",
                    chip.part
                );
            }
        }
    }
}
