//! SPI flashing of BK72xx chips through a serprog programmer (docs/spi-unbrick.md): the way back for a
//! BK7231T whose flash bootloader is gone. Serprog client, SPI NOR driver, SPI-mode entry, whole-flash jobs.
//!
//! # API (the CLI and the page drive it the same way)
//!
//! ```text
//! SpiFlasher::manual(programmer: P, SpiOptions) -> SpiFlasher<P, P>      user resets by hand (countdown)
//! SpiFlasher::with_cen_adapter(programmer: P, cen: C, SpiOptions)         RTS of a second USB-UART adapter on CEN
//! connect(&mut self, sink) -> Result<SpiChipInfo, Error>     serprog sync + setup, SPI-mode entry, JEDEC id, SR
//! read(&mut self, Range<u32>, sink) -> Result<Vec<u8>, Error>  every chunk read twice; a third read settles
//! backup(&mut self, sink) -> Result<Vec<u8>, Error>            read(0..flash size)
//! plan(&mut self, image, current: &[u8], sink) -> Result<SpiPlan, Error>   what a write would change
//! write(&mut self, image, current: Option<&[u8]>, sink) -> Result<FlashReport, Error>
//!     whole-flash image only (check_whole_flash_image); unprotect, erase, program, read back every
//!     sector, then one whole-flash verify pass; `current` = the backup just taken (else it is read)
//! verify(&mut self, image, sink) -> Result<Vec<u32>, Error>    sectors that differ
//! leave(&mut self, sink) -> Result<bool, Error>                pins off; true when CEN reset the chip
//! chip(); programmer(); cancel_token(); into_parts() -> (P, Option<C>)
//! ```
//!
//! `sink` is a `&mut dyn ProgressSink` with the UART flasher's events: `Stage::Link` while entering SPI
//! mode (notes carry the countdown and the variant tried; `Line` says what the probe reads),
//! `Identify`, `Unprotect`, `Read`/`Write`/`Verify` with `Bytes`. `CancelToken::cancel` stops a job at
//! the next chunk or sector with `Cancelled` and the flash report. Errors name the serprog or SPI
//! command that failed (`Error::operation`) and the catalogue says what to do.

mod client;
pub mod entry;
pub mod image;
pub mod info;
pub mod nor;
mod plan;
pub mod quirks;
mod read;
pub mod serprog;
mod variants;
pub mod wiring;
mod write;

use alloc::vec::Vec;
use core::time::Duration;

pub use client::Serprog;
pub use image::check_whole_flash_image;
pub use info::{EntryMethod, ProgrammerInfo, SpiChipInfo};
pub use plan::SpiPlan;
pub use variants::{ENTRY_VARIANTS, EntryVariant};

use crate::error::{Error, ErrorKind};
use crate::flash::{lookup, size_from_capacity};
use crate::flasher::{CancelToken, Protection};
use crate::progress::{Event, ProgressSink, Stage};
use crate::transport::Transport;

/// Settings of an SPI session; `SpiOptions::default()` is what the field tools do.
#[derive(Clone, Debug)]
pub struct SpiOptions {
    /// Baud of the programmer's port: USB CDC firmwares ignore it; frser-duino on an 8U2 needs 115200.
    pub baud: u32,
    /// Entry variants, tried in this order.
    pub variants: &'static [EntryVariant],
    /// Manual reset: how long the countdown runs for each distinct variant.
    pub manual_window: Duration,
    /// CEN adapter: passes through the variant table before giving up.
    pub cen_rounds: u32,
    /// S_SPI_CS for programmers with several chip selects; `None` never sends it (§4.5 step 10).
    pub chip_select: Option<u8>,
    /// Extra attempts per read chunk and per sector write.
    pub retries: u32,
    pub cancel: CancelToken,
}

impl Default for SpiOptions {
    fn default() -> Self {
        Self {
            baud: 115_200,
            variants: ENTRY_VARIANTS,
            manual_window: Duration::from_secs(20),
            cen_rounds: 2,
            chip_select: None,
            retries: 3,
            cancel: CancelToken::new(),
        }
    }
}

/// Drives one serprog programmer with a BK72xx behind it; `C` is the optional CEN adapter, used only
/// for its RTS line.
pub struct SpiFlasher<P: Transport, C: Transport> {
    serprog: Serprog<P>,
    cen: Option<C>,
    options: SpiOptions,
    opened: bool,
    chip: Option<SpiChipInfo>,
    /// The last JEDEC id read while entering, for the failure message.
    last_id: Option<[u8; 3]>,
    /// The 0xD2 window echo was reported once.
    window_seen: bool,
}

impl<P: Transport> SpiFlasher<P, P> {
    /// No reset wiring: the user resets or power-cycles the chip during the countdown.
    pub fn manual(programmer: P, options: SpiOptions) -> Self {
        Self::new(programmer, None, options)
    }
}

impl<P: Transport, C: Transport> SpiFlasher<P, C> {
    /// RTS of `cen` (a second USB-UART adapter) is wired to the chip's CEN.
    pub fn with_cen_adapter(programmer: P, cen: C, options: SpiOptions) -> Self {
        Self::new(programmer, Some(cen), options)
    }

    pub fn new(programmer: P, cen: Option<C>, options: SpiOptions) -> Self {
        Self {
            serprog: Serprog::new(programmer),
            cen,
            options,
            opened: false,
            chip: None,
            last_id: None,
            window_seen: false,
        }
    }

    pub fn chip(&self) -> Option<&SpiChipInfo> {
        self.chip.as_ref()
    }

    pub fn programmer(&self) -> &ProgrammerInfo {
        self.serprog.info()
    }

    pub fn cancel_token(&self) -> CancelToken {
        self.options.cancel.clone()
    }

    pub fn into_parts(self) -> (P, Option<C>) {
        (self.serprog.into_port(), self.cen)
    }

    /// Set up the programmer, get the chip into SPI mode and identify its flash; a no-op when connected.
    pub async fn connect(&mut self, sink: &mut dyn ProgressSink) -> Result<SpiChipInfo, Error> {
        if let Some(chip) = &self.chip {
            return Ok(chip.clone());
        }
        sink.event(Event::Stage(Stage::Link));
        if !self.opened {
            self.serprog
                .open(self.options.baud, self.options.chip_select, sink)
                .await?;
            self.opened = true;
        }
        let (entry, jedec) = self.enter(sink).await?;
        sink.event(Event::Stage(Stage::Identify));
        let flash = lookup(jedec);
        let flash_size = flash
            .map(|f| f.size)
            .or_else(|| size_from_capacity(jedec[2]))
            .expect("a plausible id has a capacity byte");
        let status = self.serprog.read_status(flash, sink).await?;
        let protection = match flash {
            Some(f) if status & f.effective_mask() == 0 => Protection::Unprotected,
            Some(_) => Protection::Protected { sr: status },
            None => Protection::Unknown,
        };
        let chip = SpiChipInfo {
            programmer: self.serprog.info().clone(),
            entry,
            jedec,
            flash,
            flash_size,
            status,
            protection,
        };
        self.chip = Some(chip.clone());
        Ok(chip)
    }

    /// Let go of the chip: programmer pins off (S_PIN_STATE 0), then a CEN pulse when an adapter is
    /// wired, so the chip boots its firmware. Returns false when the user must power-cycle it.
    pub async fn leave(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        if self.opened {
            self.serprog.set_pins(false, sink).await?;
        }
        self.chip = None;
        if self.cen.is_none() {
            return Ok(false);
        }
        sink.event(Event::Stage(Stage::Reboot));
        self.pulse_cen(LEAVE_RESET).await?;
        Ok(true)
    }

    fn check_cancel(&self) -> Result<(), Error> {
        if self.options.cancel.is_cancelled() {
            Err(Error::new(ErrorKind::Cancelled))
        } else {
            Ok(())
        }
    }

    /// The connected chip; jobs connect first, so this never fails after `connect`.
    fn connected(&self) -> &SpiChipInfo {
        self.chip
            .as_ref()
            .expect("jobs connect before they use the chip")
    }
}

/// CEN low time when leaving SPI mode: the 100 ms the BK7252 notes found enough (§3.3).
const LEAVE_RESET: Duration = Duration::from_millis(100);

/// Sector numbers of `[start, start + len)` that differ between `a` and `b` (both from `start`).
fn differing_sectors(start: u32, a: &[u8], b: &[u8]) -> Vec<u32> {
    a.chunks(crate::plan::SECTOR as usize)
        .zip(b.chunks(crate::plan::SECTOR as usize))
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, _)| start + i as u32 * crate::plan::SECTOR)
        .collect()
}
