//! The `Flasher`: link, identify, baud switch, unprotect, read, erase, write and verify over a `Transport`.
//! Split into small files, one job each; this one holds the state and the option types.
//!
//! # API
//!
//! ```text
//! Flasher::new(transport, Options) -> Flasher<T>
//! connect(&mut self, sink) -> Result<ChipInfo, Error>               link, identify, baud switch
//! read(&mut self, Range<u32>, sink) -> Result<Vec<u8>, Error>       any start/length, CRC-checked
//! erase(&mut self, Range<u32>, sink) -> Result<FlashReport, Error>  4 KiB aligned, checked blank
//! write(&mut self, &[Region], &WriteOptions, sink) -> Result<FlashReport, Error>
//!     = prepare(regions, options, sink) -> Result<Plan, Error>       reads partial sectors, plans
//!     + execute(&Plan, sink) -> Result<FlashReport, Error>           unprotect, erase, write, verify
//! verify(&mut self, &[Region], sink) -> Result<Vec<u32>, Error>     addresses of differing sectors
//! restore(&mut self, dump: &[u8], sink) -> Result<FlashReport, Error>  full-flash backup back, from
//!     0x11000 (from 0 on ROM class with allow_bootloader), matching sectors skipped, whole-range CRC
//! reboot(&mut self, sink) -> Result<(), Error>                      Reboot twice; the session ends
//! bootloader_copy() -> Option<&[u8]>                                0x0-0x11000 as read before the last job
//! chip() -> Option<&ChipInfo>; rate() -> (baud, why); cancel_token() -> CancelToken; into_transport() -> T
//! console_port(baud) -> Result<&mut T, Error>   the port for a serial console; the next job relinks
//! ```
//!
//! Tests: the `Flasher` is tested against the simulator, in `crate-sim/tests/flasher_*.rs` (support
//! code in `flasher_support/`, golden transcripts in `golden/`), plus `fault_matrix*.rs`; see
//! ARCHITECTURE.md §4 for the map of every layer's tests.
//!
//! Every job connects first if needed. `sink` is a `&mut dyn ProgressSink` (use `NoProgress` to
//! ignore events). Errors carry an `ErrorKind` (with a cause and a remedy from the catalogue), the
//! command and address that failed, and, for erase and write, a `FlashReport` of what each touched
//! sector holds. `CancelToken::cancel` stops a job at the next sector boundary with `Cancelled`.
//! `Error::render()` is the text both the CLI and the page show for a failure.
//!
//! Every erase and write frame passes one guard where it is built (alignment, bounds, flash size, the
//! bootloader region; `guard.rs`), whatever public call led there. Around every job that changes
//! flash, the bootloader region is watched: its CRC before and after, and if it changed, a repair from
//! the copy read before the job, reported as `BootloaderRepaired` or, failing that, `BootloaderDamaged`,
//! after which `reboot` refuses until a repair succeeds (`bootloader_watch.rs`).
//!
//! Rates: linking is at 115200; `Options::baud` picks the work rate (`WorkBaud`). A job that keeps
//! losing bytes steps down to the next slower rate that verifies, and a failed or cancelled job puts
//! the chip back at 115200; notes say which rate and why.

mod baud;
mod bootloader_repair;
mod bootloader_watch;
pub mod cancel;
mod efuse;
mod erase;
mod guard;
mod identify;
pub mod info;
mod io;
mod link;
mod ops;
mod park;
mod protect;
mod rate;
mod read;
pub mod reset;
mod restore;
pub mod sectors;
mod session;
mod stray;
mod switch;
mod verify;
mod write;

use alloc::vec::Vec;
use core::time::Duration;

pub use baud::{
    CHIP_WORK_BAUDS, ChipWorkBaud, FAST_RATES, UNKNOWN_CHIP_BAUD, WorkBaud, chip_work_baud,
};
pub use cancel::CancelToken;
pub use info::{ChipInfo, Protection};
pub use reset::{ResetMethod, ResetStep};
pub use sectors::{FlashReport, SectorState};

use crate::error::{Error, ErrorKind};
use crate::protocol::Decoder;
use crate::transport::{Transport, TransportError, TransportErrorKind};

/// Every chip starts its download UART at this rate (docs/protocol.md §1.1).
pub const LINK_BAUD: u32 = 115_200;

/// Session-wide settings; `Options::default()` suits a native CLI.
#[derive(Clone, Debug)]
pub struct Options {
    /// Work baud after linking and identifying. The default, `Fixed(LINK_BAUD)`, never switches
    /// (bk7231tools' default); the CLI and the page ask for `ChipDefault`.
    pub baud: WorkBaud,
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
    /// Retries of a 4 KiB read whose reply is lost or fails its CRC: bk7231tools allows 20.
    pub read_retries: u32,
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
            baud: WorkBaud::Fixed(LINK_BAUD),
            baud_switch_delay_ms: 20,
            reset: ResetMethod::Auto,
            software_kicks: true,
            link_window: Duration::from_secs(20),
            retries: 3,
            read_retries: 20,
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
    /// The host port's rate, when the flasher knows it: the port is opened at `LINK_BAUD`, and
    /// whoever borrows it through `transport_mut` may change it.
    host_baud: Option<u32>,
    /// The rate the session settled on (after a relink it switches back there).
    work_baud: u32,
    /// Why the session runs at its rate, for notes and `rate()`.
    rate_why: alloc::string::String,
    /// Switches to a work rate since `connect`.
    work_switches: u32,
    /// A port reopen cost the chip its link: this port stays at 115200.
    reopen_reset: bool,
    /// Work rates the chip was told to switch to, oldest first: where a lost chip may listen.
    rates_tried: Vec<u32>,
    chip: Option<ChipInfo>,
    /// Legacy class: a CheckCRC re-protected the flash, so a LinkCheck must precede the next erase.
    relock_pending: bool,
    /// The status register as found, before unprotecting.
    original_sr: Option<u16>,
    /// (reply code, wire address) of the last erases and writes sent, to tell a late reply from a
    /// misdirected one.
    sent_changes: stray::SentChanges,
    /// The bootloader region's copy and state, for the watch around every job that changes flash.
    boot: bootloader_watch::BootWatch,
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
            host_baud: Some(LINK_BAUD),
            work_baud: LINK_BAUD,
            rate_why: alloc::string::String::from("the link rate"),
            work_switches: 0,
            reopen_reset: false,
            rates_tried: Vec::new(),
            chip: None,
            relock_pending: false,
            original_sr: None,
            sent_changes: stray::SentChanges::default(),
            boot: bootloader_watch::BootWatch::default(),
            frame: Vec::new(),
            rx: alloc::vec![0; 8192],
        }
    }

    /// What `connect` found, once connected.
    pub fn chip(&self) -> Option<&ChipInfo> {
        self.chip.as_ref()
    }

    /// The token that cancels this flasher's jobs.
    pub fn cancel_token(&self) -> CancelToken {
        self.options.cancel.clone()
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The port itself (tests reach the simulator through it); its rate is then unknown to the
    /// flasher, so the next link sets it again. A console on the port takes `console_port`.
    pub fn transport_mut(&mut self) -> &mut T {
        self.host_baud = None;
        &mut self.transport
    }

    /// Hands the port to a serial console (what a firmware prints after a reboot), set to `baud`.
    /// The console may change the rate again, so the flasher forgets it: the next job's link sets
    /// the link rate first.
    pub async fn console_port(&mut self, baud: u32) -> Result<&mut T, Error> {
        self.set_host_baud(baud).await?;
        self.host_baud = None;
        Ok(&mut self.transport)
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
