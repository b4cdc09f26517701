//! The simulator's models of what the field shows on the link (field-audit S4, S9-S12): the legacy
//! receive ring, adapters that lose bytes, the open-time line glitch, lost reset pulses, and
//! LibreTiny builds that do not listen on UART1.

mod sim_support;

use bkflash_core::transport::Transport;
use bkflash_sim::{
    Adapter, AppModel, ChipMode, HostPort, Sim, SimConfig, SimTransport, StartMode, Timing, Wiring,
    block_on,
};
use core::time::Duration;
use sim_support::*;

/// SetBaudRate to `baud` at 115200, then the host follows; returns the echo.
fn switch(port: &mut SimTransport, baud: u32) -> Vec<u8> {
    block_on(async {
        port.write_all(&short(0x0F, &[&baud.to_le_bytes()[..], &[20]].concat()))
            .await
            .unwrap();
        port.sleep(Duration::from_millis(10)).await;
        port.set_baud(baud).await.unwrap();
    });
    listen(port, Duration::from_millis(200))
}

/// Erase the sector at `addr`, write `data` there as one 4 KiB frame; the write's reply, if any.
fn erase_and_write(port: &mut SimTransport, addr: u32, data: &[u8]) -> Vec<u8> {
    exchange(port, &LINK_CHECK);
    exchange(port, &erase_cmd(0x20, addr));
    exchange(port, &write4k_cmd(addr, data))
}

#[test]
fn the_legacy_ring_loses_4k_write_bytes_above_the_rate_its_page_time_allows() {
    let data = pattern(4096, 3);
    // The handler takes 256 bytes per page program: 3 ms pages keep up with ~850 kbaud, 2 ms pages
    // with ~1.28 Mbaud; faster, the backlog outgrows the ring within one 4 KiB frame.
    let two_ms_pages = Timing {
        page_program: Duration::from_millis(2),
        ..Timing::typical()
    };
    let cases = [
        (SimConfig::bk7231t(), Timing::worst(), 460_800, false),
        (SimConfig::bk7231t(), Timing::worst(), 921_600, true),
        (SimConfig::bk7231t(), two_ms_pages, 921_600, false),
        (SimConfig::bk7231t(), two_ms_pages, 1_500_000, true),
        (SimConfig::bk7231t(), Timing::typical(), 2_000_000, false),
        (
            SimConfig::bk7231n().with_status_register(0),
            Timing::worst(),
            2_000_000,
            false,
        ),
    ];
    for (config, timing, baud, loses) in cases {
        let what = format!(
            "{:?} page {:?} at {baud}",
            config.class, timing.page_program
        );
        let mut port = SimTransport::new(Sim::new(config.with_timing(timing)));
        assert!(!switch(&mut port, baud).is_empty(), "{what}: echo");
        let reply = erase_and_write(&mut port, 0x20000, &data);
        let written = &port.sim().flash().bytes()[0x20000..0x21000] == data.as_slice();
        assert_eq!(
            (reply.is_empty(), written),
            (loses, !loses),
            "{what}: reply {reply:02X?}"
        );
    }
}

#[test]
fn a_bridge_without_backpressure_drops_an_unpaced_burst_but_not_a_paced_one() {
    let data = pattern(4096, 5);
    for (host_port, loses) in [(HostPort::Native, true), (HostPort::WebSerial, false)] {
        let config = SimConfig::bk7231n()
            .with_wiring(Wiring::None)
            .with_status_register(0);
        let sim = Sim::new(config).with_adapter(Adapter::bridge_without_backpressure());
        let mut port = SimTransport::new(sim).with_host_port(host_port);
        let reply = erase_and_write(&mut port, 0x20000, &data);
        let written = &port.sim().flash().bytes()[0x20000..0x21000] == data.as_slice();
        assert_eq!(
            (reply.is_empty(), written),
            (loses, !loses),
            "{host_port:?}: {reply:02X?}"
        );
    }
}

#[test]
fn a_ch340_loses_bytes_of_long_replies_at_2_mbaud_only() {
    let sim = Sim::new(SimConfig::bk7231n()).with_adapter(Adapter::ch340(3));
    let mut port = SimTransport::new(sim);
    switch(&mut port, 2_000_000);
    let short_reply = exchange(&mut port, &crc_cmd(0, 0xFF));
    assert_eq!(short_reply.len(), 11, "an 11-byte CRC reply passes");
    let lossy = (0..8)
        .filter(|i| exchange(&mut port, &read4k_cmd(0x11000 + i * 0x1000)).len() < 4111)
        .count();
    assert!(
        lossy >= 4,
        "most 4 KiB replies at 2 Mbaud lose bytes: {lossy} of 8"
    );
    switch(&mut port, 1_500_000);
    assert!(
        (0..8).all(|i| exchange(&mut port, &read4k_cmd(0x11000 + i * 0x1000)).len() == 4111),
        "at 1.5 Mbaud every reply is whole"
    );
}

#[test]
fn a_web_serial_open_resets_a_chip_with_rts_wired_to_cen_only() {
    for (wiring, resets) in [(Wiring::RtsToCen, true), (Wiring::None, false)] {
        let sim = Sim::new(SimConfig::bk7231n().with_wiring(wiring));
        let mut port = SimTransport::new(sim).with_host_port(HostPort::WebSerial);
        let heard = listen(&mut port, Duration::from_millis(300));
        assert_eq!(
            contains(&heard, b"ROM boot"),
            resets,
            "{wiring:?}: the boot log shows a reset"
        );
        assert_eq!(
            port.sim().mode() == ChipMode::Download,
            !resets,
            "{wiring:?}"
        );
        assert_eq!(
            exchange(&mut port, &LINK_CHECK) == LINK_REPLY,
            !resets,
            "{wiring:?}: a reset chip booted its app"
        );
        block_on(port.set_baud(921_600)).unwrap();
        let reopened = listen(&mut port, Duration::from_millis(300));
        assert_eq!(
            !reopened.is_empty(),
            resets,
            "{wiring:?}: each reopen glitches CEN"
        );
    }
}

#[test]
fn an_adapter_can_lose_the_first_reset_pulse() {
    let config = SimConfig::bk7231n().with_start(StartMode::App);
    let sim = Sim::new(config).with_adapter(Adapter::first_pulse_lost());
    let mut port = SimTransport::new(sim);
    for (pulse, resets) in [(1, false), (2, true)] {
        set_lines(&mut port, false, true);
        sleep(&mut port, Duration::from_millis(200));
        set_lines(&mut port, false, false);
        let heard = listen(&mut port, Duration::from_millis(300));
        assert_eq!(contains(&heard, b"ROM boot"), resets, "pulse {pulse}");
    }
}

#[test]
fn libretiny_reboots_on_the_flood_only_when_its_build_listens_on_uart1() {
    for (app, reboots) in [
        (AppModel::LibreTinyAdr, true),
        (AppModel::LibreTinyWithoutSerial1, false),
    ] {
        let config = SimConfig::bk7231n()
            .with_start(StartMode::App)
            .with_app(app)
            .with_wiring(Wiring::None);
        let mut port = SimTransport::new(Sim::new(config));
        let heard = flood(&mut port, Duration::from_secs(1));
        assert_eq!(contains(&heard, &LINK_REPLY), reboots, "{app:?}");
    }
}
