//! Ports that reopen to change rate, chips left at a work rate, and resets that do not arrive
//! (field-audit D2, D11, D13, S9-S11): how many reopens and resets a session costs, relinking a
//! chip left in download mode, the chip put back at 115200 after a failed job, repeated resets.

mod flasher_support;

use std::time::Duration;

use bkflash_core::flasher::{Flasher, Options, ResetMethod, WorkBaud};
use bkflash_core::progress::NoProgress;
use bkflash_core::transport::Transport;
use bkflash_sim::{
    Adapter, AppModel, ChipMode, CommandKind, CommandMatch, Fault, HostEvent, HostPort, Sim,
    SimConfig, SimTransport, StartMode, When, Wiring,
};
use flasher_support::{Recorder, block_on, flasher};

fn web_serial(config: SimConfig, baud: WorkBaud) -> Flasher<SimTransport> {
    let port = SimTransport::new(Sim::new(config)).with_host_port(HostPort::WebSerial);
    Flasher::new(
        port,
        Options {
            baud,
            ..Options::default()
        },
    )
}

fn opens(f: &Flasher<SimTransport>) -> usize {
    let entries = f.transport().transcript().entries();
    entries
        .iter()
        .filter(|e| e.event == HostEvent::PortOpened)
        .count()
}

/// The third case: a chip with RTS on CEN resets at every reopen. One switch is tried, the
/// session stays at 115200 and says why in one sentence; before, Auto took 18 opens and 17 resets.
#[test]
fn a_chip_that_resets_at_every_reopen_costs_one_try_and_stays_at_115200() {
    for baud in [WorkBaud::ChipDefault, WorkBaud::Fast] {
        let mut f = web_serial(SimConfig::bk7231n().with_wiring(Wiring::RtsToCen), baud);
        let mut rec = Recorder::default();
        let info = block_on(f.connect(&mut rec)).expect("connect");
        assert_eq!(info.baud, 115_200, "{baud:?}");
        assert_eq!(
            rec.count("stopped answering when the port reopened"),
            1,
            "{baud:?}: {:?}",
            rec.lines
        );
        assert!(opens(&f) <= 3, "{baud:?}: {} opens", opens(&f));
        let before = opens(&f);
        let data = block_on(f.read(0x11000..0x13000, &mut NoProgress)).expect("read");
        assert_eq!(data, f.transport().sim().flash().bytes()[0x11000..0x13000]);
        assert_eq!(opens(&f), before, "{baud:?}: no switch after that");
    }
}

#[test]
fn without_reset_wiring_one_reopen_reaches_the_default_rate() {
    let mut f = web_serial(
        SimConfig::bk7231n().with_wiring(Wiring::None),
        WorkBaud::ChipDefault,
    );
    let info = block_on(f.connect(&mut NoProgress)).expect("connect");
    assert_eq!(info.baud, 460_800);
    assert_eq!(
        opens(&f),
        2,
        "the first open and the switch; no probing of the port"
    );
}

/// On a port that reopens, a job losing bytes steps straight down to 115200: one more reopen.
#[test]
fn a_reopening_port_steps_straight_down_to_115200() {
    let sim =
        Sim::new(SimConfig::bk7231n().with_wiring(Wiring::None)).with_adapter(Adapter::ch340(5));
    let port = SimTransport::new(sim).with_host_port(HostPort::WebSerial);
    let options = Options {
        baud: WorkBaud::Fixed(2_000_000),
        ..Options::default()
    };
    let mut f = Flasher::new(port, options);
    let mut rec = Recorder::default();
    let data = block_on(f.read(0x11000..0x21000, &mut rec)).expect("read");
    assert_eq!(data, f.transport().sim().flash().bytes()[0x11000..0x21000]);
    assert_eq!(f.rate().0, 115_200);
    assert!(rec.has("Working at 115200 baud: stepped down from 2000000 baud"));
    assert_eq!(opens(&f), 3);
}

/// A chip left in download mode at a work rate (the flasher crashed, or Ctrl-C) links again from a
/// new session without a reset: the manual window also tries the work rates.
#[test]
fn a_chip_left_at_a_work_rate_links_again_without_a_reset() {
    for (left_at, asked) in [
        (WorkBaud::ChipDefault, WorkBaud::ChipDefault),
        (WorkBaud::Fixed(921_600), WorkBaud::ChipDefault),
        (WorkBaud::Fixed(1_500_000), WorkBaud::Fixed(1_500_000)),
    ] {
        let config = SimConfig::bk7231n().with_wiring(Wiring::None);
        let mut first = flasher(
            config,
            Options {
                baud: left_at,
                ..Options::default()
            },
        );
        block_on(first.connect(&mut NoProgress)).expect("first session");
        let port = first.into_transport();
        let rate = port.sim().chip_baud();
        assert_ne!(rate, 115_200);
        let options = Options {
            baud: asked,
            reset: ResetMethod::Manual,
            ..Options::default()
        };
        let mut second = Flasher::new(port, options);
        let mut rec = Recorder::default();
        block_on(second.connect(&mut rec))
            .unwrap_or_else(|e| panic!("{left_at:?}: {}", e.render()));
        assert!(
            rec.has(&format!("still in download mode at {rate} baud")),
            "{left_at:?}"
        );
    }
}

#[test]
fn a_cancelled_job_puts_the_chip_back_at_115200() {
    let mut f = flasher(
        SimConfig::bk7231t(),
        Options {
            baud: WorkBaud::ChipDefault,
            ..Options::default()
        },
    );
    block_on(f.connect(&mut NoProgress)).expect("connect");
    assert_eq!(f.transport().sim().chip_baud(), 921_600);
    f.cancel_token().cancel();
    let mut rec = Recorder::default();
    block_on(f.read(0x11000..0x21000, &mut rec)).expect_err("cancelled");
    assert_eq!(f.transport().sim().chip_baud(), 115_200);
    assert!(rec.has("Working at 115200 baud: put back from 921600 baud after the job stopped"));
    let mut next = Flasher::new(f.into_transport(), Options::default());
    block_on(next.connect(&mut NoProgress)).expect("a new session links at once");
    assert!(next.transport().now() < Duration::from_secs(60));
}

#[test]
fn a_failed_job_puts_the_chip_back_at_115200() {
    let mut f = flasher(
        SimConfig::bk7231n(),
        Options {
            baud: WorkBaud::ChipDefault,
            retries: 0,
            read_retries: 0,
            ..Options::default()
        },
    );
    block_on(f.connect(&mut NoProgress)).expect("connect");
    f.transport_mut().sim_mut().add_fault(Fault::Stall {
        when: When::Command(CommandMatch::of(CommandKind::Long(0x09), 1)),
        duration: Some(Duration::from_millis(50)),
    });
    block_on(f.read(0x11000..0x12000, &mut NoProgress)).expect_err("no retries");
    assert_eq!(f.transport().sim().chip_baud(), 115_200);
    assert_eq!(f.chip().map(|c| c.baud), Some(115_200));
}

/// ESPHome: "the first pulse after a replug is often lost". The wired reset is repeated before the
/// page asks for a manual reset.
#[test]
fn the_wired_reset_is_repeated_before_asking_for_a_manual_one() {
    let config = SimConfig::bk7231n().with_start(StartMode::App);
    let sim = Sim::new(config).with_adapter(Adapter::first_pulse_lost());
    let options = Options {
        software_kicks: false,
        ..Options::default()
    };
    let mut f = Flasher::new(SimTransport::new(sim), options);
    let mut rec = Recorder::default();
    block_on(f.connect(&mut rec)).expect("connect");
    assert!(rec.count("Resetting the chip") >= 2);
    assert!(!rec.has("Reset the chip now"), "{:?}", rec.lines);
}

/// Only LibreTiny builds that listen on UART1 reboot on the flood; the others need the reset.
#[test]
fn a_libretiny_build_that_ignores_the_flood_is_reached_by_the_wired_reset() {
    for (app, by_flood) in [
        (AppModel::LibreTinyAdr, true),
        (AppModel::LibreTinyWithoutSerial1, false),
    ] {
        let config = SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_app(app);
        let mut f = flasher(config, Options::default());
        let mut rec = Recorder::default();
        block_on(f.connect(&mut rec)).expect("connect");
        assert_eq!(!rec.has("Resetting the chip"), by_flood, "{app:?}");
    }
}

/// The download window after a reset is undocumented (field-audit S9; LibreTiny: "a few hundred
/// ms"). The flood's 5.8 ms cadence catches windows from 15 ms up, after a wired or a manual reset.
#[test]
fn download_windows_from_15_ms_up_are_caught() {
    for window in [15, 100, 500] {
        let window = Duration::from_millis(window);
        let wired = SimConfig::bk7231t()
            .with_start(StartMode::App)
            .with_download_window(window);
        let mut f = flasher(wired, Options::default());
        block_on(f.connect(&mut NoProgress)).unwrap_or_else(|e| panic!("wired {window:?}: {e}"));
        let manual = SimConfig::bk7231t()
            .with_wiring(Wiring::None)
            .with_start(StartMode::ResetAfter(Duration::from_secs(7)))
            .with_download_window(window);
        let options = Options {
            reset: ResetMethod::Manual,
            ..Options::default()
        };
        let mut f = flasher(manual, options);
        block_on(f.connect(&mut NoProgress)).unwrap_or_else(|e| panic!("manual {window:?}: {e}"));
        assert_eq!(f.transport().sim().mode(), ChipMode::Download);
    }
}

/// A console on the flashing port (CLI `write --monitor`, the page's console) may leave the port at
/// any rate; the next job must link at 115200 again, not trust the rate the console started at (a
/// port that reopens to change rate is left alone when the flasher believes it is at 115200).
#[test]
fn the_job_after_a_console_links_again_at_the_link_rate() {
    let mut f = web_serial(SimConfig::bk7231n(), WorkBaud::Fixed(115_200));
    block_on(f.connect(&mut NoProgress)).expect("connect");
    block_on(f.reboot(&mut NoProgress)).expect("reboot");
    let port = block_on(f.console_port(115_200)).expect("console");
    block_on(port.set_baud(2_000_000)).expect("the console changes the rate");
    let before = f.transport().transcript().render().len();
    block_on(f.connect(&mut NoProgress)).expect("the next job links again");
    let after = &f.transport().transcript().render()[before..];
    assert!(after.starts_with("host baud 115200\n"), "{after}");
}
