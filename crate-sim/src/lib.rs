//! bkflash-sim: a Beken BK72xx chip in download mode, in software, on a virtual clock.
//! no_std + alloc core; host-only extras (the pty server) live behind the `std` feature.
//!
//! # API overview
//!
//! Build a chip from a preset and adjust it:
//!
//! ```
//! use bkflash_sim::{Sim, SimConfig, StartMode};
//! let sim = Sim::new(SimConfig::bk7231n().with_flash_size(0x40_0000).with_start(StartMode::Download));
//! assert_eq!(sim.flash().size(), 0x40_0000);
//! ```
//!
//! `SimConfig::bk7231n()` is the ROM class (BK7231N-like: every command, chip id 0x7231C, JEDEC `EB 60 15`,
//! SR1 = 0x1C so the flash starts protected, bootloader fingerprint BK7231N 1.0.1);
//! `SimConfig::bk7231t()` is the legacy class (Tuya `BK7231S_1.0.5` bootloader: status 6 below 0x2000,
//! 256-byte CRC blocks, re-protect after every CRC, unprotect on the first erase after a LinkCheck).
//! Both start in download mode (`StartMode::Download`); `PowerOn`, `App` and `ResetAfter(t)` model the
//! rest, with `Wiring` (RTS to CEN, ESP-style auto reset, none) and `AppModel` (plain, LibreTiny ADR,
//! OpenBeken `reboot`).
//!
//! Drive a `Sim` directly (the pty server and the browser's virtual device do this), times are
//! `Duration`s since start and never go backwards:
//!
//! - `sim.rx(now, bytes, host_baud) -> Duration`: the host starts sending at `now`; returns when the last
//!   byte has left the host. Each byte reaches the chip 10/baud s after the previous one.
//! - `sim.advance(now, &mut out)`: runs the chip up to `now`, appends the bytes that reached the host.
//! - `sim.next_event() -> Option<Duration>`: when something next happens; `None` means nothing will
//!   happen without new input.
//! - `sim.set_lines(now, dtr, rts)`, `sim.set_host_baud(now, baud)`; `sim.flash()` / `sim.flash_mut()`
//!   (`Flash::bytes()` is the whole image); `sim.mode()`; `sim.add_fault(Fault::...)`, `sim.stall(..)`,
//!   `sim.unplug(..)`.
//!
//! Or use `SimTransport`, the core's `Transport` on a virtual clock, with `block_on` (its futures never
//! pend) and a `Transcript` of every host action:
//!
//! ```
//! use bkflash_core::transport::Transport;
//! use bkflash_sim::{Sim, SimConfig, SimTransport, block_on};
//! use core::time::Duration;
//! let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
//! let mut buf = [0u8; 64];
//! let n = block_on(async {
//!     port.write_all(&[0x01, 0xE0, 0xFC, 0x01, 0x00]).await.unwrap();
//!     port.read(&mut buf, Duration::from_millis(100)).await.unwrap()
//! });
//! assert_eq!(&buf[..n], &[0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x01, 0x00]);
//! assert_eq!(port.transcript().render(), "LinkCheck\n");
//! ```
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod adapter;
mod block_on;
pub mod bootloader;
mod config;
mod fault;
mod flash;
pub mod frames;
mod handler;
mod log_uart;
mod parser;
mod power;
mod regs;
mod reply;
mod ring;
pub mod serprog;
mod sim;
mod starved_host;
mod timing;
mod transcript;
mod transport;
mod watch;
mod wire;

/// The pty server behind `bkflash-sim` (helper "peers"), host-only.
#[cfg(feature = "std")]
pub mod pty;

pub use adapter::{Adapter, RxLoss};
pub use block_on::block_on;
pub use config::{
    AppModel, BootloaderKind, ChipClass, PRESETS, Preset, SimConfig, StartMode, Wiring,
};
pub use fault::{AddressChange, ByteFault, CommandKind, CommandMatch, Fault, When};
pub use flash::{Flash, PR29_LOCKED_STATUS, StatusModel, TwoByteWrite};
pub use log_uart::LOG_BAUD;
pub use power::ChipMode;
pub use ring::LEGACY_RX_RING;
pub use sim::{BOOT_BAUD, Sim};
pub use starved_host::StarvedHost;
pub use timing::{Timing, byte_time};
pub use transcript::{Entry, HostEvent, Transcript};
pub use transport::{HostPort, SimError, SimTransport};
pub use watch::FlashChange;
