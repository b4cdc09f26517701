//! End-to-end linking on the simulator: baud switch to 1.5 Mbaud, a lost echo, a switch the chip
//! ignores (fallback to 115200), reset wirings, software kicks, the manual window, unknown bootloaders.

mod flasher_support;

use std::time::Duration;

use bkflash_core::chips::ProtocolClass;
use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Flasher, Options, ResetMethod, WorkBaud};
use bkflash_core::progress::{LineState, NoProgress};
use bkflash_core::transport::Transport;
use bkflash_sim::{
    AppModel, BootloaderKind, CommandKind, CommandMatch, Fault, Sim, SimConfig, SimTransport,
    StartMode, StarvedHost, When, Wiring,
};
use flasher_support::{Recorder, block_on, flasher, golden, image};

const FAST: u32 = 1_500_000;
const SET_BAUD: CommandKind = CommandKind::Short(0x0F);

fn fast() -> Options {
    Options {
        baud: WorkBaud::Fixed(FAST),
        ..Options::default()
    }
}

#[test]
fn baud_switch_to_1m5_then_read_and_write() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut f = flasher(config, fast());
        let info = block_on(f.connect(&mut NoProgress)).expect("connect");
        assert_eq!(info.baud, FAST);
        assert_eq!(f.transport().sim().chip_baud(), FAST);
        let data = image(8, 0x2000);
        block_on(f.write(
            &[bkflash_core::plan::Region {
                offset: 0x40000,
                data: data.clone(),
            }],
            &Default::default(),
            &mut NoProgress,
        ))
        .expect("write");
        assert_eq!(
            block_on(f.read(0x40000..0x42000, &mut NoProgress)).expect("read"),
            data
        );
    }
}

#[test]
fn baud_switch_transcript() {
    let mut f = flasher(SimConfig::bk7231n(), fast());
    block_on(f.connect(&mut NoProgress)).expect("connect");
    golden("connect_rom_1m5", &f.transport().transcript().render());
}

#[test]
fn a_lost_echo_is_confirmed_at_the_new_baud() {
    let mut f = flasher(SimConfig::bk7231n(), fast());
    f.transport_mut().sim_mut().add_fault(Fault::LoseBaudEcho {
        command: CommandMatch::of(SET_BAUD, 1),
    });
    let info = block_on(f.connect(&mut NoProgress)).expect("connect");
    assert_eq!(info.baud, FAST);
}

#[test]
fn an_ignored_switch_falls_back_to_115200() {
    let mut f = flasher(SimConfig::bk7231n(), fast());
    f.transport_mut().sim_mut().add_fault(Fault::Stall {
        when: When::Command(CommandMatch::of(SET_BAUD, 1)),
        duration: Some(Duration::from_millis(1)),
    });
    let mut rec = Recorder::default();
    let info = block_on(f.connect(&mut rec)).expect("connect");
    assert_eq!(info.baud, 115_200);
    assert_eq!(f.transport().baud(), 115_200);
    assert!(rec.has("baud switch to 1500000 failed"));
    let data = block_on(f.read(0x11000..0x12000, &mut NoProgress)).expect("read after fallback");
    assert_eq!(data.len(), 0x1000);
}

#[test]
fn reset_wirings_bring_a_running_app_into_download_mode() {
    let cases = [
        (Wiring::RtsToCen, ResetMethod::RtsToCen),
        (Wiring::EspAutoReset, ResetMethod::EspTwoLine),
        (Wiring::RtsToCen, ResetMethod::Auto),
        (Wiring::EspAutoReset, ResetMethod::Auto),
    ];
    for (wiring, reset) in cases {
        let config = SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_wiring(wiring);
        let mut f = flasher(
            config,
            Options {
                reset,
                software_kicks: false,
                ..Options::default()
            },
        );
        let mut rec = Recorder::default();
        block_on(f.connect(&mut rec)).unwrap_or_else(|e| panic!("{wiring:?}/{reset:?}: {e}"));
        assert!(rec.has("Resetting the chip"));
        assert!(
            f.transport().now() < Duration::from_secs(3),
            "{wiring:?}/{reset:?} linked in the reset stage"
        );
    }
}

#[test]
fn firmware_kicks_reboot_into_download_mode() {
    // Every reset method: a reset sequence's sleeps must not come between the kick and the flood,
    // or the rebooted app's short download window passes unseen.
    let resets = [
        ResetMethod::Manual,
        ResetMethod::Auto,
        ResetMethod::RtsToCen,
        ResetMethod::EspTwoLine,
    ];
    for app in [AppModel::LibreTinyAdr, AppModel::OpenBeken] {
        for reset in resets {
            let config = SimConfig::bk7231t()
                .with_start(StartMode::App)
                .with_app(app)
                .with_wiring(Wiring::None);
            let mut f = flasher(
                config,
                Options {
                    reset,
                    ..Options::default()
                },
            );
            block_on(f.connect(&mut NoProgress))
                .unwrap_or_else(|e| panic!("{app:?}/{reset:?}: {e}"));
            assert!(
                f.transport().now() < Duration::from_secs(3),
                "{app:?}/{reset:?} linked without a manual reset"
            );
        }
    }
}

#[test]
fn a_manual_reset_inside_the_window_links() {
    let config = SimConfig::bk7231n()
        .with_start(StartMode::ResetAfter(Duration::from_secs(9)))
        .with_wiring(Wiring::None);
    let mut f = flasher(
        config,
        Options {
            reset: ResetMethod::Manual,
            ..Options::default()
        },
    );
    let mut rec = Recorder::default();
    block_on(f.connect(&mut rec)).expect("connect");
    assert!(rec.has("Reset the chip now"));
    assert!(
        rec.has(&format!("{:?}", LineState::Text)),
        "the app log was seen: {:?}",
        rec.lines
            .iter()
            .filter(|l| l.starts_with("Line"))
            .collect::<Vec<_>>()
    );
    assert!(f.transport().now() >= Duration::from_secs(9));
}

/// Each reading of the host's clock is 4 ms later than the one before: longer than the time left
/// in a LinkCheck gap after one reading, so a check-then-subtract would underflow (a panic that
/// froze the page at "Linking... 0 s left" when a browser tab was starved of CPU).
fn starved(config: SimConfig) -> Flasher<StarvedHost<SimTransport>> {
    let port = SimTransport::new(Sim::new(config));
    Flasher::new(
        StarvedHost::new(port, Duration::from_millis(4)),
        Options {
            reset: ResetMethod::Manual,
            link_window: Duration::from_secs(3),
            ..Options::default()
        },
    )
}

#[test]
fn a_starved_host_clock_still_links() {
    let mut f = starved(SimConfig::bk7231n());
    let info = block_on(f.connect(&mut NoProgress)).expect("connect");
    assert_eq!(info.class, ProtocolClass::Rom);
}

#[test]
fn a_starved_host_clock_without_a_chip_ends_in_no_link() {
    let mut f = starved(
        SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_wiring(Wiring::None),
    );
    let err = block_on(f.connect(&mut NoProgress)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NoLink, "{err}");
}

#[test]
fn no_chip_gives_no_link_after_the_window() {
    let config = SimConfig::bk7231n()
        .with_start(StartMode::App)
        .with_wiring(Wiring::None);
    let options = Options {
        reset: ResetMethod::Manual,
        software_kicks: false,
        link_window: Duration::from_secs(5),
        ..Options::default()
    };
    let mut f = flasher(config, options);
    let err = block_on(f.connect(&mut NoProgress)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NoLink);
    let now = f.transport().now();
    assert!(
        now >= Duration::from_secs(5) && now < Duration::from_secs(6),
        "gave up at the end of the window, {now:?}"
    );
}

#[test]
fn unknown_bootloaders_are_classified_by_probe() {
    for (config, class) in [
        (SimConfig::bk7231n(), ProtocolClass::Rom),
        (SimConfig::bk7231t(), ProtocolClass::Legacy),
    ] {
        let mut f = flasher(
            config
                .with_bootloader(BootloaderKind::Unknown)
                .with_flash_image(image(30, 0x20000)),
            Options::default(),
        );
        let info = block_on(f.connect(&mut NoProgress)).expect("connect");
        assert_eq!(info.class, class);
        assert_eq!(info.bootloader, None);
        assert_eq!(
            info.flash_size, 0x20_0000,
            "{class:?}: JEDEC id or the wrap-around probe"
        );
    }
}

#[test]
fn legacy_size_probe_finds_4_mib() {
    let config = SimConfig::bk7231t()
        .with_bootloader(BootloaderKind::Unknown)
        .with_flash_size(0x40_0000)
        .with_flash_image(image(31, 0x20000));
    let mut f = flasher(config, Options::default());
    let info = block_on(f.connect(&mut NoProgress)).expect("connect");
    assert_eq!(info.flash_size, 0x40_0000);
    golden(
        "connect_legacy_unknown_bootloader",
        &f.transport().transcript().render(),
    );
}

/// A port whose RX is wired to its own TX: everything written comes back.
struct Loopback {
    now: Duration,
    pending: Vec<u8>,
}

#[derive(Debug)]
struct LoopbackError;

impl std::fmt::Display for LoopbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("loopback failed")
    }
}

impl bkflash_core::transport::TransportError for LoopbackError {
    fn kind(&self) -> bkflash_core::transport::TransportErrorKind {
        bkflash_core::transport::TransportErrorKind::Other
    }
}

impl Transport for Loopback {
    type Error = LoopbackError;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), LoopbackError> {
        self.now += Duration::from_micros(87 * data.len() as u64);
        self.pending.extend_from_slice(data);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), LoopbackError> {
        Ok(())
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, LoopbackError> {
        if self.pending.is_empty() {
            self.now += timeout;
            return Ok(0);
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }

    async fn discard_input(&mut self) -> Result<(), LoopbackError> {
        self.pending.clear();
        Ok(())
    }

    async fn set_baud(&mut self, _baud: u32) -> Result<(), LoopbackError> {
        Ok(())
    }

    async fn set_signals(&mut self, _dtr: bool, _rts: bool) -> Result<(), LoopbackError> {
        Ok(())
    }

    async fn sleep(&mut self, duration: Duration) {
        self.now += duration;
    }

    fn now(&self) -> Duration {
        self.now
    }
}

#[test]
fn joined_tx_and_rx_are_diagnosed_as_an_echo() {
    let options = Options {
        link_window: Duration::from_secs(4),
        ..Options::default()
    };
    let mut f = bkflash_core::flasher::Flasher::new(
        Loopback {
            now: Duration::ZERO,
            pending: Vec::new(),
        },
        options,
    );
    let mut rec = Recorder::default();
    let err = block_on(f.connect(&mut rec)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LineEcho, "{err}");
    assert!(rec.has(&format!("Line({:?})", LineState::Echo)));
    assert!(!rec.has(&format!("Line({:?})", LineState::Linked)));
}
