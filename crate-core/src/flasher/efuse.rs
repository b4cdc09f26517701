//! The eFuse key of a ROM-class chip, read byte by byte through ReadReg/WriteReg (protocol.md §5.3),
//! and the register reads identification shares. A byte without its valid bit ends the read; once
//! the handler has answered ReadReg, a lost reply is retried like any other command.

use super::Flasher;
use crate::chips::{EFUSE_CTRL_REGISTER, EFUSE_OPTR_REGISTER};
use crate::error::Error;
use crate::key::ChipKey;
use crate::progress::ProgressSink;
use crate::protocol::Command;
use crate::transport::Transport;

/// CTRL bits the byte index and the start bit occupy (cleared before each read).
const CTRL_FIELDS: u32 = 0x1F02;
const CTRL_START: u32 = 0x1;
/// OPTR bit 8: the data byte is valid.
const OPTR_VALID: u32 = 0x100;
/// CTRL polls before a byte read counts as stuck (the hardware finishes in microseconds).
const CTRL_POLLS: usize = 8;

impl<T: Transport> Flasher<T> {
    /// A register's value, or `None` when the handler ignores or refuses ReadReg.
    pub(super) async fn read_register(
        &mut self,
        addr: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Option<u32>, Error> {
        Ok(self
            .optional(&Command::ReadReg { addr }, sink)
            .await?
            .map(|frame| {
                let b = frame.body();
                u32::from_le_bytes([b[4], b[5], b[6], b[7]])
            }))
    }

    /// One ReadReg that must be answered (the handler has shown it implements ReadReg).
    async fn register(&mut self, addr: u32, sink: &mut dyn ProgressSink) -> Result<u32, Error> {
        let frame = self
            .transact_retrying(&Command::ReadReg { addr }, sink)
            .await?;
        let b = frame.body();
        Ok(u32::from_le_bytes([b[4], b[5], b[6], b[7]]))
    }

    /// eFuse bytes 0..15 as the flash encryption key; `None` when any byte cannot be read.
    pub(super) async fn read_key(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<Option<ChipKey>, Error> {
        let Some(ctrl) = self.read_register(EFUSE_CTRL_REGISTER, sink).await? else {
            return Ok(None);
        };
        let base = ctrl & !CTRL_FIELDS;
        let mut bytes = [0u8; 16];
        for (index, byte) in (0u32..).zip(bytes.iter_mut()) {
            match self
                .read_efuse_byte(base | (index << 8) | CTRL_START, sink)
                .await?
            {
                Some(value) => *byte = value,
                None => return Ok(None),
            }
        }
        Ok(Some(ChipKey::from_efuse(bytes)))
    }

    async fn read_efuse_byte(
        &mut self,
        start: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Option<u8>, Error> {
        let write = Command::WriteReg {
            addr: EFUSE_CTRL_REGISTER,
            value: start,
        };
        self.transact_retrying(&write, sink).await?;
        let mut done = false;
        for _ in 0..CTRL_POLLS {
            if self.register(EFUSE_CTRL_REGISTER, sink).await? & CTRL_START == 0 {
                done = true;
                break;
            }
        }
        if !done {
            return Ok(None);
        }
        let optr = self.register(EFUSE_OPTR_REGISTER, sink).await?;
        Ok((optr & OPTR_VALID != 0).then_some(optr as u8))
    }
}
