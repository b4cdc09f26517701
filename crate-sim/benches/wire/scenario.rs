//! The bench's jobs: which chip content each starts from and what the flasher does to it.
//! Images are seeded pseudo-random bytes, so every run measures the same work.

use bkflash_core::flasher::{Flasher, Options, WorkBaud, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::{Event, NoProgress, ProgressSink};
use bkflash_core::transport::Transport;
use bkflash_sim::{Sim, SimConfig, SimTransport};

// The same seeded image generator as the end-to-end tests: firmware-like, no blank sectors.
use crate::flasher_support::{block_on, image};

/// Where an application image starts on every BK7231 layout.
pub const APP_OFFSET: u32 = 0x11000;
/// The "1.1 MB" application image of the issue.
pub const IMAGE_LEN: usize = 1_100_000;
/// A full read covers the whole 2 MiB flash.
pub const FLASH_LEN: u32 = 0x20_0000;
/// One sector in ten differs in the "10 % changed" case.
const CHANGED_EVERY: usize = 10;

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    ReadAll,
    /// Write the image onto a chip holding `Start`.
    Write {
        start: Start,
        differential: bool,
    },
}

/// What the chip holds before a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    Blank,
    Identical,
    TenPercentChanged,
}

impl Job {
    pub fn label(self) -> String {
        match self {
            Job::ReadAll => String::from("full read 2 MiB"),
            Job::Write {
                start,
                differential,
            } => {
                let what = match start {
                    Start::Blank => "write 1.1 MB to blank",
                    Start::Identical => "re-flash identical",
                    Start::TenPercentChanged => "re-flash 10 % changed",
                };
                let mode = if differential {
                    "differential"
                } else {
                    "plain"
                };
                format!("{what} ({mode})")
            }
        }
    }

    /// Bytes a job has to move at least: the read data, or the image a plain write sends.
    pub fn payload(self) -> u64 {
        match self {
            Job::ReadAll => u64::from(FLASH_LEN),
            Job::Write { .. } => IMAGE_LEN as u64,
        }
    }
}

/// What one run measured on the virtual clock.
pub struct Measured {
    pub connect_s: f64,
    pub job_s: f64,
    pub wire_bytes: u64,
}

/// Counts the bytes of every frame in either direction, noise included.
#[derive(Default)]
struct WireCounter {
    bytes: u64,
}

impl ProgressSink for WireCounter {
    fn event(&mut self, event: Event<'_>) {
        if let Event::Frame { bytes, .. } = event {
            self.bytes += bytes.len() as u64;
        }
    }
}

/// The flash a job starts from: the preset's own (blank + bootloader), or that with an image in place.
fn start_config(config: SimConfig, start: Start, new_image: &[u8]) -> SimConfig {
    let mut old = match start {
        Start::Blank => return config,
        Start::Identical | Start::TenPercentChanged => new_image.to_vec(),
    };
    if start == Start::TenPercentChanged {
        for sector in old.chunks_mut(0x1000).step_by(CHANGED_EVERY) {
            sector[0] ^= 0x5A;
        }
    }
    let mut flash = Sim::new(config.clone()).flash().bytes().to_vec();
    let at = APP_OFFSET as usize;
    flash[at..at + old.len()].copy_from_slice(&old);
    config.with_flash_image(flash)
}

/// Connect at `baud`, run `job`, and check the result (a bench of a wrong result measures nothing).
pub fn run(config: SimConfig, baud: u32, job: Job) -> Measured {
    let new_image = image(0xB7F1A5, IMAGE_LEN);
    let config = match job {
        Job::ReadAll => start_config(config, Start::TenPercentChanged, &new_image),
        Job::Write { start, .. } => start_config(config, start, &new_image),
    };
    let options = Options {
        baud: WorkBaud::Fixed(baud),
        ..Options::default()
    };
    let mut flasher = Flasher::new(SimTransport::new(Sim::new(config)), options);
    block_on(flasher.connect(&mut NoProgress)).expect("connect");
    let connected = flasher.transport().now();
    let mut counter = WireCounter::default();
    match job {
        Job::ReadAll => {
            let data = block_on(flasher.read(0..FLASH_LEN, &mut counter)).expect("read");
            assert!(
                data == flasher.transport().sim().flash().bytes(),
                "read differs"
            );
        }
        Job::Write { differential, .. } => {
            let region = Region {
                offset: APP_OFFSET,
                data: new_image.clone(),
            };
            block_on(flasher.write(&[region], &WriteOptions { differential }, &mut counter))
                .expect("write");
            let at = APP_OFFSET as usize;
            let flash = flasher.transport().sim().flash().bytes();
            assert!(flash[at..at + IMAGE_LEN] == new_image[..], "write differs");
        }
    }
    let done = flasher.transport().now();
    Measured {
        connect_s: connected.as_secs_f64(),
        job_s: (done - connected).as_secs_f64(),
        wire_bytes: counter.bytes,
    }
}
