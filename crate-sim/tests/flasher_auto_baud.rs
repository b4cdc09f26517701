//! `Options::baud = AUTO_BAUD`: the fastest rate whose CRC reply verifies, stepping down past rates the
//! host port refuses; both chip classes, then a read at the chosen rate.

mod flasher_support;

use bkflash_core::flasher::{AUTO_BAUD, AUTO_BAUD_RATES, Flasher, Options};
use bkflash_core::progress::NoProgress;
use bkflash_core::transport::Transport;
use bkflash_sim::{HostEvent, Sim, SimConfig, SimError, SimTransport};
use core::time::Duration;
use flasher_support::block_on;

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

fn auto() -> Options {
    Options {
        baud: AUTO_BAUD,
        ..Options::default()
    }
}

#[test]
fn auto_baud_settles_on_the_fastest_rate_on_a_clean_line() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut f = Flasher::new(SimTransport::new(Sim::new(config)), auto());
        let info = block_on(f.connect(&mut NoProgress)).expect("connect");
        assert_eq!(info.baud, AUTO_BAUD_RATES[0]);
        assert_eq!(f.transport().baud(), AUTO_BAUD_RATES[0]);
        let back = block_on(f.read(0x11000..0x13000, &mut NoProgress)).expect("read");
        assert_eq!(back, f.transport().sim().flash().bytes()[0x11000..0x13000]);
    }
}

#[test]
fn auto_baud_skips_rates_the_port_refuses_without_telling_the_chip() {
    let port = LimitedPort {
        inner: SimTransport::new(Sim::new(SimConfig::bk7231n())),
        max_baud: 921_600,
    };
    let mut f = Flasher::new(port, auto());
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
    let back = block_on(f.read(0x11000..0x12000, &mut NoProgress)).expect("read");
    assert_eq!(
        back,
        f.transport().inner.sim().flash().bytes()[0x11000..0x12000]
    );
}
