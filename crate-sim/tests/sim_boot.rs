//! Reset, boot and the download window: wiring of RTS/DTR to CEN, the window a LinkCheck must hit,
//! apps that ignore frames, LibreTiny ADR and OpenBeken kicks, the manual-reset stand-in (docs/protocol.md §3, §9).

mod sim_support;

use bkflash_core::transport::Transport;
use bkflash_sim::{AppModel, ChipMode, Sim, SimConfig, SimTransport, StartMode, Wiring, block_on};
use core::time::Duration;
use sim_support::*;

fn port(config: SimConfig) -> SimTransport {
    SimTransport::new(Sim::new(config))
}

#[test]
fn power_on_without_host_prints_logs_and_boots_the_app() {
    let config = SimConfig::bk7231t().with_start(StartMode::PowerOn);
    let expected = [config.boot_log.clone(), config.app_log.clone()].concat();
    let mut port = port(config);
    assert_eq!(listen(&mut port, Duration::from_secs(1)), expected);
    assert_eq!(port.sim().mode(), ChipMode::App);
    assert!(
        exchange(&mut port, &LINK_CHECK).is_empty(),
        "the app ignores protocol frames"
    );
}

#[test]
fn a_running_app_prints_its_status_line_every_period() {
    const STATUS: &[u8] = b"[app] running\r\n";
    for start in [StartMode::PowerOn, StartMode::App] {
        let config = SimConfig::bk7231n()
            .with_start(start)
            .with_app_status(Duration::from_millis(300), STATUS);
        let mut port = port(config);
        received_within(&mut port, Duration::from_millis(450));
        let later = received_within(&mut port, Duration::from_millis(900));
        assert_eq!(later, STATUS.repeat(3), "{start:?}: three lines in 900 ms");
    }
}

/// Everything the chip sends in the next `span` of virtual time (`listen` would wait for quiet).
fn received_within(port: &mut SimTransport, span: Duration) -> Vec<u8> {
    block_on(async {
        let end = port.now() + span;
        let mut out = Vec::new();
        let mut buf = [0u8; 256];
        while port.now() < end {
            let n = port.read(&mut buf, end - port.now()).await.unwrap();
            out.extend_from_slice(&buf[..n]);
        }
        out
    })
}

#[test]
fn flood_during_power_on_catches_the_window_and_stays() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut port = port(config.with_start(StartMode::PowerOn));
        let heard = flood(&mut port, Duration::from_millis(50));
        assert!(contains(&heard, &LINK_REPLY));
        assert_eq!(port.sim().mode(), ChipMode::Download);
        sleep(&mut port, Duration::from_secs(2));
        assert_eq!(
            exchange(&mut port, &LINK_CHECK),
            LINK_REPLY,
            "download mode has no idle timeout"
        );
    }
}

#[test]
fn link_check_after_the_window_is_too_late() {
    let mut port = port(SimConfig::bk7231n().with_start(StartMode::PowerOn));
    sleep(&mut port, Duration::from_millis(500));
    let heard = flood(&mut port, Duration::from_millis(100));
    assert!(!contains(&heard, &LINK_REPLY));
    assert_eq!(port.sim().mode(), ChipMode::App);
}

#[test]
fn rts_to_cen_holds_the_chip_in_reset() {
    let mut port = port(SimConfig::bk7231n().with_wiring(Wiring::RtsToCen));
    set_lines(&mut port, true, true);
    assert_eq!(port.sim().mode(), ChipMode::Reset);
    assert!(
        exchange(&mut port, &LINK_CHECK).is_empty(),
        "silent while CEN is low"
    );
    set_lines(&mut port, false, false);
    let heard = flood(&mut port, Duration::from_millis(50));
    assert!(contains(&heard, &LINK_REPLY));
    assert_eq!(port.sim().mode(), ChipMode::Download);
}

/// bk7231tools' sequence: RTS+DTR, 100 ms, DTR off, 100 ms, RTS off, flood (docs/protocol.md §3.3).
fn bk7231tools_reset(port: &mut SimTransport) -> Vec<u8> {
    set_lines(port, true, true);
    sleep(port, Duration::from_millis(100));
    set_lines(port, false, true);
    sleep(port, Duration::from_millis(100));
    set_lines(port, false, false);
    flood(port, Duration::from_millis(50))
}

#[test]
fn bk7231tools_reset_works_on_both_wirings() {
    for wiring in [Wiring::RtsToCen, Wiring::EspAutoReset] {
        let mut port = port(
            SimConfig::bk7231n()
                .with_wiring(wiring)
                .with_start(StartMode::App),
        );
        assert!(
            contains(&bk7231tools_reset(&mut port), &LINK_REPLY),
            "{wiring:?}"
        );
    }
    let mut port = port(
        SimConfig::bk7231n()
            .with_wiring(Wiring::None)
            .with_start(StartMode::App),
    );
    assert!(
        !contains(&bk7231tools_reset(&mut port), &LINK_REPLY),
        "unwired lines do nothing"
    );
}

#[test]
fn libretiny_adr_reboots_on_the_flood() {
    let mut adr = port(
        SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_app(AppModel::LibreTinyAdr),
    );
    assert!(contains(
        &flood(&mut adr, Duration::from_millis(100)),
        &LINK_REPLY
    ));
    assert_eq!(adr.sim().mode(), ChipMode::Download);
    let mut plain = port(SimConfig::bk7231n().with_start(StartMode::App));
    assert!(!contains(
        &flood(&mut plain, Duration::from_millis(100)),
        &LINK_REPLY
    ));
}

#[test]
fn openbeken_reboots_on_reboot_command() {
    let config = SimConfig::bk7231t()
        .with_start(StartMode::App)
        .with_app(AppModel::OpenBeken);
    let boot_log = config.boot_log.clone();
    let mut port = port(config);
    assert!(exchange_quiet(&mut port, b"rebootx\n", Duration::from_millis(50)).is_empty());
    let heard = exchange_quiet(&mut port, b"reboot\n", Duration::from_millis(5));
    assert!(contains(&heard, &boot_log));
    assert!(contains(
        &flood(&mut port, Duration::from_millis(50)),
        &LINK_REPLY
    ));
}

#[test]
fn manual_reset_stand_in_enters_the_window_later() {
    let mut port =
        port(SimConfig::bk7231n().with_start(StartMode::ResetAfter(Duration::from_millis(300))));
    assert!(!contains(
        &flood(&mut port, Duration::from_millis(250)),
        &LINK_REPLY
    ));
    assert!(contains(
        &flood(&mut port, Duration::from_millis(200)),
        &LINK_REPLY
    ));
    assert_eq!(port.sim().mode(), ChipMode::Download);
}

#[test]
fn a_manual_reset_while_the_host_floods_opens_the_window() {
    let config = SimConfig::bk7231n()
        .with_start(StartMode::App)
        .with_wiring(Wiring::None);
    let mut port = port(config);
    block_on(port.set_signals(false, true)).unwrap();
    assert!(
        !contains(&flood(&mut port, Duration::from_secs(2)), &LINK_REPLY),
        "no reset wiring and a plain app: nothing reaches the bootloader"
    );
    let now = port.now();
    port.sim_mut().manual_reset(now);
    assert!(contains(
        &flood(&mut port, Duration::from_millis(200)),
        &LINK_REPLY
    ));
    assert_eq!(port.sim().mode(), ChipMode::Download);
}

#[test]
fn reboot_command_leaves_download_mode() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut port = port(config);
        exchange_quiet(&mut port, &short(0x0E, &[0xA5]), Duration::from_secs(1));
        assert_eq!(port.sim().mode(), ChipMode::App);
    }
}
