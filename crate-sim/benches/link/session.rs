//! One bench session: a chip behind a hazard model, a job at a rate choice, timed on the virtual
//! clock and checked against the flash (a wrong result counts as a failure, never as a time).

use bkflash_core::flasher::{Flasher, Options, WorkBaud, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_core::transport::Transport;
use bkflash_sim::{Adapter, HostPort, Sim, SimConfig, SimTransport, Timing, Wiring};

use crate::flasher_support::{block_on, image};

const APP_OFFSET: u32 = 0x11000;
const IMAGE_LEN: usize = 1_100_000;
const FLASH_LEN: u32 = 0x20_0000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    ReadAll,
    WriteBlank,
}

impl Job {
    pub fn label(self) -> &'static str {
        match self {
            Job::ReadAll => "full read 2 MiB",
            Job::WriteBlank => "write 1.1 MB to blank",
        }
    }
}

/// What stands between the host and the chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hazard {
    Clean,
    /// CH340-like: bytes lost from long replies at 2 Mbaud.
    LossyAdapter,
    /// A bridge without backpressure, host writes paced as the page paces them.
    BridgePaced,
    /// The same bridge with every frame written in one piece (the page's writer before pacing).
    BridgeUnpaced,
    /// Datasheet maximum timing: 3 ms page programs overflow a legacy chip's receive ring.
    WorstTiming,
}

impl Hazard {
    pub const ALL: [Hazard; 5] = [
        Hazard::Clean,
        Hazard::LossyAdapter,
        Hazard::BridgePaced,
        Hazard::BridgeUnpaced,
        Hazard::WorstTiming,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Hazard::Clean => "clean line",
            Hazard::LossyAdapter => "lossy adapter (CH340 model)",
            Hazard::BridgePaced => "bridge without backpressure, paced",
            Hazard::BridgeUnpaced => "bridge without backpressure, unpaced",
            Hazard::WorstTiming => "datasheet maxima (ring overflow)",
        }
    }

    /// Whether its losses are drawn from a seed, so several runs differ.
    pub fn random(self) -> bool {
        self == Hazard::LossyAdapter
    }

    /// The rate choices worth a row for this hazard.
    pub fn wants(self, baud: WorkBaud) -> bool {
        match self {
            Hazard::Clean | Hazard::WorstTiming => true,
            Hazard::LossyAdapter => baud != WorkBaud::Fixed(115_200),
            Hazard::BridgePaced | Hazard::BridgeUnpaced => baud == WorkBaud::ChipDefault,
        }
    }

    fn port(self, config: SimConfig, seed: u64) -> SimTransport {
        match self {
            Hazard::Clean => SimTransport::new(Sim::new(config)),
            Hazard::LossyAdapter => {
                SimTransport::new(Sim::new(config).with_adapter(Adapter::ch340(seed)))
            }
            Hazard::BridgePaced => {
                let sim = Sim::new(config.with_wiring(Wiring::None))
                    .with_adapter(Adapter::bridge_without_backpressure());
                SimTransport::new(sim).with_host_port(HostPort::WebSerial)
            }
            Hazard::BridgeUnpaced => SimTransport::new(
                Sim::new(config).with_adapter(Adapter::bridge_without_backpressure()),
            ),
            Hazard::WorstTiming => SimTransport::new(Sim::new(config.with_timing(Timing::worst()))),
        }
    }
}

/// How one session ended.
pub struct Outcome {
    pub ok: bool,
    /// Virtual seconds from the first byte to the end of the job, connecting included.
    pub seconds: f64,
    /// The rate the session ended at.
    pub rate: u32,
}

/// `chip` is "N" (ROM class) or "T" (legacy class).
pub fn run(chip: &str, job: Job, hazard: Hazard, baud: WorkBaud, seed: u64) -> Outcome {
    let config = if chip == "N" {
        SimConfig::bk7231n()
    } else {
        SimConfig::bk7231t()
    };
    let data = image(0xB7F1A5, IMAGE_LEN);
    let config = match job {
        Job::ReadAll => {
            let mut flash = Sim::new(config.clone()).flash().bytes().to_vec();
            let at = APP_OFFSET as usize;
            flash[at..at + IMAGE_LEN].copy_from_slice(&data);
            config.with_flash_image(flash)
        }
        Job::WriteBlank => config,
    };
    let options = Options {
        baud,
        ..Options::default()
    };
    let mut flasher = Flasher::new(hazard.port(config, seed), options);
    let ok = match job {
        Job::ReadAll => block_on(flasher.read(0..FLASH_LEN, &mut NoProgress))
            .is_ok_and(|read| read == flasher.transport().sim().flash().bytes()),
        Job::WriteBlank => {
            let region = Region {
                offset: APP_OFFSET,
                data: data.clone(),
            };
            let at = APP_OFFSET as usize;
            block_on(flasher.write(&[region], &WriteOptions::default(), &mut NoProgress)).is_ok()
                && flasher.transport().sim().flash().bytes()[at..at + IMAGE_LEN] == data[..]
        }
    };
    Outcome {
        ok,
        seconds: flasher.transport().now().as_secs_f64(),
        rate: flasher.rate().0,
    }
}
