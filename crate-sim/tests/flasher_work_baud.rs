//! The work rate after linking (field-audit D1): each chip's field default, a fixed rate, and Fast,
//! which keeps a rate only when a whole 4 KiB read verifies there; rates the host port refuses.

mod flasher_support;

use bkflash_core::flasher::{FAST_RATES, Flasher, Options, WorkBaud};
use bkflash_core::progress::NoProgress;
use bkflash_core::transport::Transport;
use bkflash_sim::{Adapter, HostEvent, Sim, SimConfig, SimError, SimTransport};
use core::time::Duration;
use flasher_support::{Recorder, block_on, flasher};

/// A port whose adapter cannot go faster than `max_baud`: `set_baud` above it fails.
struct LimitedPort {
    inner: SimTransport,
    max_baud: u32,
}

impl Transport for LimitedPort {
    type Error = SimError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), SimError> {
        self.inner.write_all(data).await
    }

    async fn flush(&mut self) -> Result<(), SimError> {
        self.inner.flush().await
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, SimError> {
        self.inner.read(buf, timeout).await
    }

    async fn discard_input(&mut self) -> Result<(), SimError> {
        self.inner.discard_input().await
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), SimError> {
        if baud > self.max_baud {
            return Err(SimError);
        }
        self.inner.set_baud(baud).await
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), SimError> {
        self.inner.set_signals(dtr, rts).await
    }

    async fn sleep(&mut self, duration: Duration) {
        self.inner.sleep(duration).await
    }

    fn now(&self) -> Duration {
        self.inner.now()
    }
}

fn with_baud(baud: WorkBaud) -> Options {
    Options {
        baud,
        ..Options::default()
    }
}

#[test]
fn each_chip_works_at_its_field_default_rate() {
    for (config, rate) in [
        (SimConfig::bk7231n(), 460_800),
        (SimConfig::bk7231t(), 921_600),
    ] {
        let mut f = flasher(config, with_baud(WorkBaud::ChipDefault));
        let mut rec = Recorder::default();
        let info = block_on(f.connect(&mut rec)).expect("connect");
        assert_eq!((info.baud, f.transport().sim().chip_baud()), (rate, rate));
        let family = info.family.expect("identified").name();
        assert!(
            rec.has(&format!("Working at {rate} baud: the default for {family}")),
            "{:?}",
            rec.lines
        );
        assert_eq!(f.rate().0, rate);
    }
}

#[test]
fn fast_settles_on_the_fastest_rate_on_a_clean_line() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut f = flasher(config, with_baud(WorkBaud::Fast));
        let info = block_on(f.connect(&mut NoProgress)).expect("connect");
        assert_eq!(info.baud, FAST_RATES[0]);
        let back = block_on(f.read(0x11000..0x13000, &mut NoProgress)).expect("read");
        assert_eq!(back, f.transport().sim().flash().bytes()[0x11000..0x13000]);
    }
}

/// A CH340-like adapter passes the old 11-byte CRC probe at 2 Mbaud but loses bytes in 4 KiB
/// replies there: Fast must test with a whole 4 KiB read and settle below 2 Mbaud.
#[test]
fn fast_verifies_with_a_whole_4k_read_and_skips_a_rate_that_loses_long_replies() {
    for seed in 1..=4 {
        let sim = Sim::new(SimConfig::bk7231n()).with_adapter(Adapter::ch340(seed));
        let mut f = Flasher::new(SimTransport::new(sim), with_baud(WorkBaud::Fast));
        let mut rec = Recorder::default();
        let info = block_on(f.connect(&mut rec)).expect("connect");
        assert!(
            rec.has("sent 01 E0 FC FF F4 05 00 09 00 10 01 00"),
            "seed {seed}: the rate was tested with a 4 KiB read at 0x11000"
        );
        let read = block_on(f.read(0x11000..0x31000, &mut rec)).expect("read");
        assert_eq!(read, f.transport().sim().flash().bytes()[0x11000..0x31000]);
        assert!(
            info.baud < 2_000_000 || rec.has("stepped down from 2000000"),
            "seed {seed}: {:?}",
            f.rate()
        );
        assert!(
            f.rate().0 < 2_000_000,
            "seed {seed}: the job ended below 2 Mbaud"
        );
    }
}

#[test]
fn fast_skips_rates_the_port_refuses_without_telling_the_chip() {
    let port = LimitedPort {
        inner: SimTransport::new(Sim::new(SimConfig::bk7231n())),
        max_baud: 921_600,
    };
    let mut f = Flasher::new(port, with_baud(WorkBaud::Fast));
    let info = block_on(f.connect(&mut NoProgress)).expect("connect");
    assert_eq!(info.baud, 921_600);
    let host_rates: Vec<u32> = f
        .transport()
        .inner
        .transcript()
        .entries()
        .iter()
        .filter_map(|e| match e.event {
            HostEvent::SetBaud(baud) => Some(baud),
            _ => None,
        })
        .collect();
    assert!(
        host_rates.iter().all(|&b| b <= 921_600),
        "the host never ran above the port's limit: {host_rates:?}"
    );
}

#[test]
fn a_fixed_rate_the_port_refuses_leaves_the_session_at_115200_with_a_reason() {
    let port = LimitedPort {
        inner: SimTransport::new(Sim::new(SimConfig::bk7231t())),
        max_baud: 460_800,
    };
    let mut f = Flasher::new(port, with_baud(WorkBaud::ChipDefault));
    let mut rec = Recorder::default();
    let info = block_on(f.connect(&mut rec)).expect("connect");
    assert_eq!(info.baud, 115_200);
    assert!(rec.has("Working at 115200 baud: the serial port cannot run at 921600"));
}
