//! The programmer's port as the SPI flasher sees it: Web Serial changes the baud only by closing and
//! reopening the port, which drops DTR, and pico-sdk serprog builds ignore every byte while DTR is low
//! (docs/spi-unbrick.md §4.4). This port puts the lines back after a reopen and skips a same-rate one.

use core::time::Duration;

use bkflash_core::transport::{BaudChange, Transport};

use crate::device::Port;
use crate::serial::WebSerialError;

pub struct ProgrammerPort {
    port: Port,
    baud: u32,
    /// DTR and RTS as last set.
    lines: (bool, bool),
}

impl ProgrammerPort {
    /// `port` was opened at `baud` with both lines released.
    pub fn new(port: Port, baud: u32) -> Self {
        Self {
            port,
            baud,
            lines: (false, false),
        }
    }

    pub async fn close(self) {
        self.port.close().await;
    }
}

impl Transport for ProgrammerPort {
    type Error = WebSerialError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), WebSerialError> {
        self.port.write_all(data).await
    }

    async fn flush(&mut self) -> Result<(), WebSerialError> {
        self.port.flush().await
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, WebSerialError> {
        self.port.read(buf, timeout).await
    }

    async fn discard_input(&mut self) -> Result<(), WebSerialError> {
        self.port.discard_input().await
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), WebSerialError> {
        if baud == self.baud {
            return Ok(());
        }
        self.port.set_baud(baud).await?;
        self.baud = baud;
        let (dtr, rts) = self.lines;
        self.port.set_signals(dtr, rts).await
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), WebSerialError> {
        self.port.set_signals(dtr, rts).await?;
        self.lines = (dtr, rts);
        Ok(())
    }

    async fn sleep(&mut self, duration: Duration) {
        self.port.sleep(duration).await;
    }

    fn now(&self) -> Duration {
        self.port.now()
    }

    fn baud_change(&self) -> BaudChange {
        self.port.baud_change()
    }
}
