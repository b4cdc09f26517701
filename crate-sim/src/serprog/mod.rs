//! A serprog programmer with a BK72xx behind it (docs/spi-unbrick.md §9): firmware profiles with their
//! bugs, the chip's SPI download port and entry window, the flash's SPI command front end, on one clock.
//!
//! The chip is the UART simulator's `Sim` (inside a `SimTransport`, the USB-UART adapter), so a test can
//! back up over UART, damage the bootloader, restore over SPI and link over UART again:
//!
//! ```
//! use bkflash_sim::serprog::{CenLine, PortModel, SerprogBoard, SerprogPort, firmware};
//! use bkflash_sim::{Sim, SimConfig, SimTransport};
//! let uart = SimTransport::new(Sim::new(SimConfig::bk7231t()));
//! let board = SerprogBoard::new(uart, firmware("pico-serprog").unwrap(), PortModel::default()).shared();
//! let (programmer, cen) = (SerprogPort::new(board.clone()), CenLine::new(board.clone()));
//! // SpiFlasher::with_cen_adapter(programmer, cen, SpiOptions::default()) ... then:
//! drop((programmer, cen));
//! let uart: SimTransport = std::rc::Rc::try_unwrap(board).ok().unwrap().into_inner().into_uart();
//! assert_eq!(uart.sim().flash().size(), 0x20_0000);
//! ```
//!
//! `bkflash-sim --serprog NAME` serves the same board on a pty (module `pty`, std only).

mod board;
mod nor;
mod ports;
mod profile;
mod programmer;
#[cfg(feature = "std")]
pub mod pty;
mod target;

pub use board::{SerprogBoard, SharedBoard, SpiFrame};
pub use nor::{NorModel, SpiNor};
pub use ports::{CenLine, SerprogPort};
pub use profile::{ClockModel, FIRMWARES, Firmware, UnknownCommand, firmware};
pub use programmer::{Programmer, SpiBus};
pub use target::{ManualResets, PortModel, PortState, SpiTarget};
