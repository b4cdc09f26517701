//! The host's two USB ports on the bench, as core `Transport`s sharing the board's virtual clock: the
//! programmer's CDC port, and the USB-UART adapter whose RTS is wired to CEN (the CEN line).

use core::time::Duration;

use bkflash_core::transport::Transport;

use super::board::SharedBoard;
use crate::transport::SimError;

/// How long a read keeps collecting after its first byte (one USB frame).
const READ_LATENCY: Duration = Duration::from_millis(1);

/// The programmer's USB CDC port. Baud rates are ignored, as USB CDC firmwares do; DTR reaches the
/// firmware (some listen only while it is asserted).
pub struct SerprogPort {
    board: SharedBoard,
}

impl SerprogPort {
    pub fn new(board: SharedBoard) -> Self {
        Self { board }
    }

    pub fn board(&self) -> &SharedBoard {
        &self.board
    }
}

impl Transport for SerprogPort {
    type Error = SimError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), SimError> {
        let mut board = self.board.borrow_mut();
        let now = board.now();
        board.host_write(now, data);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), SimError> {
        Ok(())
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, SimError> {
        let mut board = self.board.borrow_mut();
        let now = board.now();
        let deadline = now + timeout;
        match board.next_to_host() {
            Some(at) if at <= now => {}
            Some(at) if at <= deadline => board.advance_to((at + READ_LATENCY).min(deadline)),
            _ => {
                board.advance_to(deadline);
                return Ok(0);
            }
        }
        let now = board.now();
        Ok(board.take_to_host(now, buf))
    }

    async fn discard_input(&mut self) -> Result<(), SimError> {
        let mut board = self.board.borrow_mut();
        let now = board.now();
        board.discard_to_host(now);
        Ok(())
    }

    async fn set_baud(&mut self, _baud: u32) -> Result<(), SimError> {
        Ok(())
    }

    async fn set_signals(&mut self, dtr: bool, _rts: bool) -> Result<(), SimError> {
        self.board.borrow_mut().set_dtr(dtr);
        Ok(())
    }

    async fn sleep(&mut self, duration: Duration) {
        let mut board = self.board.borrow_mut();
        let until = board.now() + duration;
        board.advance_to(until);
    }

    fn now(&self) -> Duration {
        self.board.borrow().now()
    }
}

/// The second USB-UART adapter: its RTS holds CEN low when asserted. Its TX/RX reach the chip's UART,
/// so the same port can also link to the UART bootloader afterwards.
pub struct CenLine {
    board: SharedBoard,
}

impl CenLine {
    pub fn new(board: SharedBoard) -> Self {
        Self { board }
    }
}

impl Transport for CenLine {
    type Error = SimError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), SimError> {
        let mut board = self.board.borrow_mut();
        let uart = board.uart_mut();
        crate::block_on(uart.write_all(data))?;
        let at = uart.now();
        board.advance_to(at);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), SimError> {
        Ok(())
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, SimError> {
        let mut board = self.board.borrow_mut();
        let uart = board.uart_mut();
        let n = crate::block_on(uart.read(buf, timeout))?;
        let at = uart.now();
        board.advance_to(at);
        Ok(n)
    }

    async fn discard_input(&mut self) -> Result<(), SimError> {
        crate::block_on(self.board.borrow_mut().uart_mut().discard_input())
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), SimError> {
        crate::block_on(self.board.borrow_mut().uart_mut().set_baud(baud))
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), SimError> {
        self.board.borrow_mut().set_adapter_lines(dtr, rts);
        Ok(())
    }

    async fn sleep(&mut self, duration: Duration) {
        let mut board = self.board.borrow_mut();
        let until = board.now() + duration;
        board.advance_to(until);
    }

    fn now(&self) -> Duration {
        self.board.borrow().now()
    }
}
