//! UART2, the log port, end to end on the simulator: the flashing session runs on UART1 while the
//! log adapter hears nothing, and the new firmware's boot log reaches the log adapter after Reboot.
//! Also the hardware report of that session: it carries the facts but no byte of the firmware.

mod flasher_support;

use core::time::Duration;

use bkflash_core::flasher::{Options, ResetMethod, WorkBaud, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::report::{HardwareReport, ReportRecorder};
use bkflash_core::transport::Transport;
use bkflash_sim::{AppModel, SimConfig};
use flasher_support::{block_on, flasher};

/// A firmware whose bytes are easy to find in a text, as ASCII or as hex.
fn marked_firmware(len: usize) -> Vec<u8> {
    b"FIRMWARE-CONTENT"
        .iter()
        .copied()
        .cycle()
        .take(len)
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_boot_log_reaches_the_log_port_after_write_and_reboot() {
    for (config, banner) in [
        (SimConfig::bk7231n(), "LibreTiny v1.8.0 on BK7231N"),
        (
            SimConfig::bk7231t().with_app(AppModel::OpenBeken),
            "OpenBeken OpenBK7231x_1.18.50 on BK7231T",
        ),
    ] {
        let mut f = flasher(config, Options::default());
        let region = Region {
            offset: 0x11000,
            data: marked_firmware(0x2000),
        };
        block_on(f.write(
            &[region],
            &WriteOptions::default(),
            &mut ReportRecorder::new(),
        ))
        .expect("write");
        let mut log = Vec::new();
        let now = f.transport().now();
        f.transport_mut().sim_mut().advance_log(now, &mut log);
        assert!(
            log.is_empty(),
            "the log port is silent in download mode: {}",
            text(&log)
        );

        block_on(f.reboot(&mut ReportRecorder::new())).expect("reboot");
        let port = f.transport_mut();
        let rebooted = port.now();
        let mut uart1 = [0u8; 256];
        let n = block_on(port.read(&mut uart1, Duration::from_secs(1))).expect("read UART1");
        let sim = port.sim_mut();
        sim.advance_log(rebooted + Duration::from_secs(1), &mut log);
        assert!(
            text(&log).contains(banner),
            "UART2 after reboot: {}",
            text(&log)
        );
        assert!(
            !text(&uart1[..n]).contains(banner),
            "the app logs on UART2, not on the flashing port"
        );
    }
}

#[test]
fn the_report_of_a_real_session_has_its_facts_and_no_firmware_byte() {
    let options = Options {
        baud: WorkBaud::Fast,
        ..Options::default()
    };
    let mut f = flasher(SimConfig::bk7231n(), options);
    let mut recorder = ReportRecorder::new();
    let firmware = marked_firmware(0x3000);
    let region = Region {
        offset: 0x11000,
        data: firmware,
    };
    block_on(f.write(&[region], &WriteOptions::default(), &mut recorder)).expect("write");
    let dump = block_on(f.read(0x11000..0x14000, &mut recorder)).expect("read back");
    assert!(text(&dump).contains("FIRMWARE-CONTENT"));
    let chip = f.chip().cloned().expect("connected");
    let report = HardwareReport {
        tool: "bkflash test",
        host: "test host",
        host_detail: None,
        flash_port: Some("simulator"),
        log_port: None,
        chip: Some(&chip),
        baud_asked: WorkBaud::Fast,
        reset: ResetMethod::Auto,
        recorder: &recorder,
        outcome: Some("Written and verified."),
    }
    .render();
    for fact in [
        "chip:         BK7231N (ROM class)",
        "baud:         asked auto, linked at 115200, tried 2000000",
        "chosen 2000000",
        "→ FlashWrite4K 0x011000 (4096 data bytes)",
        "← FlashRead4K 0x013000 (4096 data bytes), status 0",
    ] {
        assert!(report.contains(fact), "missing {fact:?} in\n{report}");
    }
    let marker_hex = ["46 49 52 4d", "46494d52", "4649524d"];
    assert!(!report.contains("FIRMWARE"), "{report}");
    for hex in marker_hex {
        assert!(
            !report.to_ascii_lowercase().contains(hex),
            "{hex} in\n{report}"
        );
    }
}
