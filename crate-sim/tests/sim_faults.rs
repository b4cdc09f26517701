//! Every fault knob does what it says: byte drop/corrupt/duplicate both ways, delayed replies, stalls,
//! reset in the middle of an erase or 4K write, unplug, a lost baud echo, injected noise.

mod sim_support;

use bkflash_core::transport::{Transport, TransportError, TransportErrorKind};
use bkflash_sim::{
    ByteFault, ChipMode, CommandKind, CommandMatch, Fault, Sim, SimConfig, SimTransport, When,
    block_on,
};
use core::time::Duration;
use sim_support::*;

fn rom_with(faults: Vec<Fault>) -> SimTransport {
    let mut sim = Sim::new(SimConfig::bk7231n().with_status_register(0));
    faults.into_iter().for_each(|f| sim.add_fault(f));
    SimTransport::new(sim)
}

#[test]
fn host_byte_drop_and_duplicate_break_one_frame_only() {
    for fault in [ByteFault::Drop, ByteFault::Duplicate] {
        let mut port = rom_with(vec![Fault::HostByte { nth: 1, fault }]);
        assert!(exchange(&mut port, &LINK_CHECK).is_empty(), "{fault:?}");
        assert_eq!(
            exchange(&mut port, &LINK_CHECK),
            LINK_REPLY,
            "{fault:?}: the next frame is fine"
        );
    }
}

#[test]
fn host_byte_corrupt_reaches_flash() {
    let mut port = rom_with(vec![]);
    exchange(&mut port, &erase_cmd(0x20, 0x11000));
    let skip = port.transcript().host_bytes().len() as u64;
    port.sim_mut().add_fault(Fault::HostByte {
        nth: skip + 12 + 100 + 1,
        fault: ByteFault::Corrupt,
    });
    let data = pattern(4096, 1);
    exchange(&mut port, &write4k_cmd(0x11000, &data));
    let flash = &port.sim().flash().bytes()[0x11000..0x12000];
    let differing: Vec<usize> = (0..4096).filter(|&i| flash[i] != data[i]).collect();
    assert_eq!(differing, [100]);
}

#[test]
fn chip_byte_faults_change_the_reply() {
    let mut drop = rom_with(vec![Fault::ChipByte {
        nth: 2,
        fault: ByteFault::Drop,
    }]);
    assert_eq!(
        exchange(&mut drop, &LINK_CHECK),
        [0x04, 0x05, 0x01, 0xE0, 0xFC, 0x01, 0x00]
    );
    let mut dup = rom_with(vec![Fault::ChipByte {
        nth: 1,
        fault: ByteFault::Duplicate,
    }]);
    assert_eq!(
        exchange(&mut dup, &LINK_CHECK),
        [&[0x04][..], &LINK_REPLY].concat()
    );
    let mut corrupt = rom_with(vec![Fault::ChipByte {
        nth: 8,
        fault: ByteFault::Corrupt,
    }]);
    assert_eq!(exchange(&mut corrupt, &LINK_CHECK)[7], 0x5A);
}

#[test]
fn delayed_reply_misses_a_short_timeout_then_arrives() {
    let by = Duration::from_millis(500);
    let mut port = rom_with(vec![Fault::DelayReply {
        command: CommandMatch::nth(1),
        by,
    }]);
    assert!(exchange_quiet(&mut port, &LINK_CHECK, Duration::from_millis(100)).is_empty());
    assert_eq!(listen(&mut port, Duration::from_secs(1)), LINK_REPLY);
}

#[test]
fn stall_for_a_while_then_answers() {
    let stall = Fault::Stall {
        when: When::Command(CommandMatch::nth(2)),
        duration: Some(Duration::from_secs(3)),
    };
    let mut port = rom_with(vec![stall]);
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
    assert!(
        exchange_quiet(&mut port, &LINK_CHECK, Duration::from_millis(200)).is_empty(),
        "the trigger is swallowed"
    );
    assert!(
        exchange_quiet(&mut port, &LINK_CHECK, Duration::from_millis(200)).is_empty(),
        "still stalled"
    );
    sleep(&mut port, Duration::from_secs(3));
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
}

#[test]
fn stall_forever_at_a_time() {
    let mut port = rom_with(vec![Fault::Stall {
        when: When::At(Duration::from_secs(1)),
        duration: None,
    }]);
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
    sleep(&mut port, Duration::from_secs(1));
    assert!(exchange_quiet(&mut port, &LINK_CHECK, Duration::from_secs(30)).is_empty());
}

#[test]
fn reset_mid_erase_leaves_half_a_sector_on_both_classes() {
    let kind = CommandKind::Long(0x0F);
    // The legacy preset starts protected: its first erase after a LinkCheck unprotects, even when cut.
    for config in [
        SimConfig::bk7231n().with_status_register(0),
        SimConfig::bk7231t(),
    ] {
        let mut sim = Sim::new(config);
        sim.add_fault(Fault::ResetMidOp {
            command: CommandMatch::of(kind, 1),
        });
        sim.flash_mut().bytes_mut()[0x11000..0x12000].fill(0);
        let mut port = SimTransport::new(sim);
        exchange(&mut port, &LINK_CHECK);
        let heard = exchange(&mut port, &erase_cmd(0x20, 0x11000));
        assert!(
            !contains(&heard, &[0x04, 0x0E]),
            "no reply, only the boot text"
        );
        let flash = port.sim().flash().bytes();
        assert!(flash[0x11000..0x11800].iter().all(|&b| b == 0xFF));
        assert!(flash[0x11800..0x12000].iter().all(|&b| b == 0x00));
        assert_eq!(
            port.sim().mode(),
            ChipMode::App,
            "the chip rebooted and nobody caught the window"
        );
    }
}

#[test]
fn reset_mid_write4k_leaves_half_programmed_on_both_classes() {
    let kind = CommandKind::Long(0x07);
    for config in [
        SimConfig::bk7231n().with_status_register(0),
        SimConfig::bk7231t(),
    ] {
        let mut sim = Sim::new(config);
        sim.add_fault(Fault::ResetMidOp {
            command: CommandMatch::of(kind, 1),
        });
        let mut port = SimTransport::new(sim);
        exchange(&mut port, &LINK_CHECK);
        exchange(&mut port, &erase_cmd(0x20, 0x11000));
        let heard = exchange(&mut port, &write4k_cmd(0x11000, &[0u8; 4096]));
        assert!(!contains(&heard, &[0x04, 0x0E, 0xFF]), "no write reply");
        let flash = port.sim().flash().bytes();
        assert!(flash[0x11000..0x11800].iter().all(|&b| b == 0x00));
        assert!(flash[0x11800..0x12000].iter().all(|&b| b == 0xFF));
    }
}

#[test]
fn unplug_makes_every_call_fail_as_disconnected() {
    let mut port = rom_with(vec![Fault::Unplug {
        when: When::Command(CommandMatch::nth(2)),
    }]);
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
    block_on(port.write_all(&LINK_CHECK)).unwrap();
    let mut buf = [0u8; 16];
    let error = block_on(port.read(&mut buf, Duration::from_secs(1))).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Disconnected);
    assert!(block_on(port.write_all(&LINK_CHECK)).is_err());
    assert!(block_on(port.set_baud(115_200)).is_err());
}

#[test]
fn lost_baud_echo_still_switches_the_chip() {
    let mut port = rom_with(vec![Fault::LoseBaudEcho {
        command: CommandMatch::of(CommandKind::Short(0x0F), 1),
    }]);
    block_on(async {
        port.write_all(&short(0x0F, &[0x00, 0x10, 0x0E, 0x00, 0x14]))
            .await
            .unwrap();
        port.sleep(Duration::from_millis(10)).await;
        port.set_baud(921_600).await.unwrap();
    });
    assert!(listen(&mut port, Duration::from_millis(500)).is_empty());
    assert_eq!(
        exchange(&mut port, &LINK_CHECK),
        LINK_REPLY,
        "the chip is at the new baud"
    );
}

#[test]
fn injected_noise_precedes_the_reply() {
    let noise = b"\r\nboot noise 04 0E".to_vec();
    let inject = Fault::Inject {
        when: When::Command(CommandMatch::nth(1)),
        bytes: noise.clone(),
    };
    let mut port = rom_with(vec![inject]);
    assert_eq!(
        exchange(&mut port, &LINK_CHECK),
        [noise, LINK_REPLY.to_vec()].concat()
    );
}

#[test]
fn rom_abandons_a_partial_frame_with_status_5_after_20_s() {
    let mut port = rom_with(vec![]);
    let partial = &short(0x03, &0x0080_0000u32.to_le_bytes())[..7];
    let reply = exchange_quiet(&mut port, partial, Duration::from_secs(25));
    assert_eq!(
        reply,
        [
            0x04, 0x0E, 0x08, 0x01, 0xE0, 0xFC, 0x05, 0x05, 0x03, 0x00, 0x00
        ],
        "status, L, bytes so far"
    );
    let partial_long = &read4k_cmd(0x11000)[..9];
    let reply = exchange_quiet(&mut port, partial_long, Duration::from_secs(25));
    assert_eq!(
        long_reply(&reply),
        (6, 0x09, 5, &[0x00, 0xFF, 0xFF, 0xFF][..]),
        "missing address bytes read as 0xFF"
    );
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
}

#[test]
fn legacy_keeps_a_partial_frame_open_forever() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231t()));
    assert!(
        exchange_quiet(
            &mut port,
            &read4k_cmd(0x11000)[..9],
            Duration::from_secs(60)
        )
        .is_empty()
    );
    let reply = exchange(&mut port, &LINK_CHECK);
    let (_, op, status, body) = long_reply(&reply);
    assert_eq!(
        (op, status),
        (0x09, 0),
        "the link check completed the read frame"
    );
    assert_eq!(
        body[..4],
        [0x00, 0x01, 0xE0, 0xFC],
        "its bytes became the address"
    );
}
