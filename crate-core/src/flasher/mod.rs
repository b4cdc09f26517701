//! The `Flasher`: link, identify, baud switch, unprotect, read, erase, write and verify over a `Transport`.
//! Split into small files, one job each; this one holds the state and the option types.
//!
//! # API
//!
//! ```text
//! Flasher::new(transport, Options) -> Flasher<T>
//! connect(&mut self, sink) -> Result<ChipInfo, Error>               link, baud switch, identify
//! read(&mut self, Range<u32>, sink) -> Result<Vec<u8>, Error>       any start/length, CRC-checked
//! erase(&mut self, Range<u32>, sink) -> Result<FlashReport, Error>  4 KiB aligned, checked blank
//! write(&mut self, &[Region], &WriteOptions, sink) -> Result<FlashReport, Error>
//!     = prepare(regions, options, sink) -> Result<Plan, Error>       reads partial sectors, plans
//!     + execute(&Plan, sink) -> Result<FlashReport, Error>           unprotect, erase, write, verify
//! verify(&mut self, &[Region], sink) -> Result<Vec<u32>, Error>     addresses of differing sectors
//! restore(&mut self, dump: &[u8], sink) -> Result<FlashReport, Error>  full-flash backup back, from
//!     0x11000 (from 0 on ROM class with allow_bootloader), matching sectors skipped, whole-range CRC
//! reboot(&mut self, sink) -> Result<(), Error>                      Reboot twice; the session ends
//! chip() -> Option<&ChipInfo>; cancel_token() -> CancelToken; into_transport() -> T
//! ```
//!
//! Every job connects first if needed. `sink` is a `&mut dyn ProgressSink` (use `NoProgress` to
//! ignore events). Errors carry an `ErrorKind` (with a cause and a remedy from the catalogue), the
//! command and address that failed, and, for erase and write, a `FlashReport` of what each touched
//! sector holds. `CancelToken::cancel` stops a job at the next sector boundary with `Cancelled`.
//! `Error::render()` is the text both the CLI and the page show for a failure.

mod baud;
pub mod cancel;
mod erase;
mod identify;
pub mod info;
mod io;
mod link;
mod ops;
mod protect;
mod read;
pub mod reset;
mod restore;
pub mod sectors;
mod session;
mod stray;
mod verify;
mod write;

use alloc::vec::Vec;
use core::time::Duration;

pub use baud::{AUTO_BAUD, AUTO_BAUD_RATES};
pub use cancel::CancelToken;
pub use info::{ChipInfo, Protection};
pub use reset::{ResetMethod, ResetStep};
pub use sectors::{FlashReport, SectorState};

use crate::error::{Error, ErrorKind};
use crate::protocol::Decoder;
use crate::transport::{Transport, TransportError, TransportErrorKind};

/// Every chip starts its download UART at this rate (protocol.md §1.1).
pub const LINK_BAUD: u32 = 115_200;

/// Session-wide settings; `Options::default()` suits a native CLI.
#[derive(Clone, Debug)]
pub struct Options {
    /// Work baud after linking; `LINK_BAUD` skips the switch, `AUTO_BAUD` picks the fastest that verifies.
    pub baud: u32,
    /// SetBaudRate delay: the chip answers this long after switching. The host switches after half of
    /// it, so an edge that needs time to reopen its port (Web Serial) passes ~200.
    pub baud_switch_delay_ms: u8,
    pub reset: ResetMethod,
    /// Send `reboot\n` and the bkreg frame to running firmware while linking.
    pub software_kicks: bool,
    /// How long linking waits in all, including the time the user needs to reset the chip by hand.
    pub link_window: Duration,
    /// Retries per operation (each retry re-syncs the line first).
    pub retries: u32,
    /// Bytes read between two CRC checks; a failing run is re-read sector by sector.
    pub read_crc_run: u32,
    /// Put the flash status register back as found after a write (ROM class).
    pub restore_protection: bool,
    /// Allow writes and erases below 0x11000 (the bootloader). Honoured on ROM-class chips only.
    pub allow_bootloader: bool,
    pub cancel: CancelToken,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            baud: LINK_BAUD,
            baud_switch_delay_ms: 20,
            reset: ResetMethod::Auto,
            software_kicks: true,
            link_window: Duration::from_secs(20),
            retries: 3,
            read_crc_run: 0x8000,
            restore_protection: false,
            allow_bootloader: false,
            cancel: CancelToken::new(),
        }
    }
}

/// Settings of one `write`.
#[derive(Clone, Copy, Debug)]
pub struct WriteOptions {
    /// Ask the chip for each sector's CRC first and skip sectors that already match (or are already
    /// blank). On by default: it costs little on a blank chip (see BENCHMARKS.md) and makes a write
    /// interrupted half way resumable by running it again.
    pub differential: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self { differential: true }
    }
}

/// Drives one chip over one transport. Construct, `connect`, then run jobs; `into_transport` gives
/// the port back.
pub struct Flasher<T: Transport> {
    transport: T,
    options: Options,
    decoder: Decoder,
    /// Current baud of the session.
    baud: u32,
    chip: Option<ChipInfo>,
    /// Legacy class: a CheckCRC re-protected the flash, so a LinkCheck must precede the next erase.
    relock_pending: bool,
    /// The status register as found, before unprotecting.
    original_sr: Option<u16>,
    /// (reply code, wire address) of the last erases and writes sent, to tell a late reply from a
    /// misdirected one.
    sent_changes: stray::SentChanges,
    frame: Vec<u8>,
    rx: Vec<u8>,
}

impl<T: Transport> Flasher<T> {
    pub fn new(transport: T, options: Options) -> Self {
        Self {
            transport,
            options,
            decoder: Decoder::new(),
            baud: LINK_BAUD,
            chip: None,
            relock_pending: false,
            original_sr: None,
            sent_changes: stray::SentChanges::default(),
            frame: Vec::new(),
            rx: alloc::vec![0; 8192],
        }
    }

    /// What `connect` found, once connected.
    pub fn chip(&self) -> Option<&ChipInfo> {
        self.chip.as_ref()
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The token that cancels this flasher's jobs.
    pub fn cancel_token(&self) -> CancelToken {
        self.options.cancel.clone()
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    pub fn into_transport(self) -> T {
        self.transport
    }

    fn check_cancel(&self) -> Result<(), Error> {
        if self.options.cancel.is_cancelled() {
            Err(Error::new(ErrorKind::Cancelled))
        } else {
            Ok(())
        }
    }
}

/// A transport failure as a user-facing error.
pub(crate) fn transport_error<E: TransportError>(e: E) -> Error {
    let kind = match e.kind() {
        TransportErrorKind::Disconnected => ErrorKind::Disconnected,
        TransportErrorKind::Cancelled => ErrorKind::Cancelled,
        TransportErrorKind::Unsupported | TransportErrorKind::Other => ErrorKind::TransportFailed,
    };
    Error::new(kind).detail(alloc::format!("{e}"))
}
