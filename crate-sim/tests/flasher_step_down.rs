//! Jobs on lines and chips that lose bytes or answer late (field-audit D1, D7, S4, S12): stepping
//! down to a slower rate instead of failing, the 1 s reply floor, 20 read retries, a bounded and
//! logged recovery, and every job at datasheet maxima.

mod flasher_support;

use std::time::Duration;

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Flasher, Options, WorkBaud, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_core::transport::Transport;
use bkflash_sim::{
    Adapter, CommandKind, CommandMatch, Fault, Sim, SimConfig, SimTransport, Timing, When,
};
use flasher_support::{Recorder, block_on, class_name, flasher, image, presets};

const READ_4K: CommandKind = CommandKind::Long(0x09);

fn at(baud: WorkBaud) -> Options {
    Options {
        baud,
        ..Options::default()
    }
}

/// Page programs this slow keep a legacy handler at about 1.28 Mbaud: its ring overflows above.
fn two_ms_pages() -> Timing {
    Timing {
        page_program: Duration::from_millis(2),
        ..Timing::typical()
    }
}

fn write_and_check(f: &mut Flasher<SimTransport>, rec: &mut Recorder, seed: u64, len: usize) {
    let data = image(seed, len);
    let region = Region {
        offset: 0x20000,
        data: data.clone(),
    };
    block_on(f.write(&[region], &WriteOptions::default(), rec))
        .unwrap_or_else(|e| panic!("write: {}\n{:?}", e.render(), rec.lines));
    assert!(f.transport().sim().flash().bytes()[0x20000..0x20000 + len] == data[..]);
}

/// The first case: a legacy chip losing bytes in 4 KiB frames above 921600, at the 2 Mbaud
/// the old Auto settled on. The job steps down twice and succeeds.
#[test]
fn a_legacy_chip_losing_4k_write_bytes_steps_down_until_writes_verify() {
    let config = SimConfig::bk7231t().with_timing(two_ms_pages());
    let mut f = flasher(config, at(WorkBaud::Fixed(2_000_000)));
    let mut rec = Recorder::default();
    write_and_check(&mut f, &mut rec, 21, 0x10000);
    assert_eq!(f.rate().0, 921_600, "{:?}", f.rate());
    assert!(rec.has("Working at 1500000 baud: stepped down from 2000000 baud after"));
    assert!(rec.has("Working at 921600 baud: stepped down from 1500000 baud after"));
    assert_eq!(f.chip().map(|c| c.baud), Some(921_600));
}

#[test]
fn long_replies_lost_by_the_adapter_step_a_read_down() {
    let sim = Sim::new(SimConfig::bk7231n()).with_adapter(Adapter::ch340(11));
    let mut f = Flasher::new(SimTransport::new(sim), at(WorkBaud::Fixed(2_000_000)));
    let mut rec = Recorder::default();
    let data = block_on(f.read(0x11000..0x41000, &mut rec)).expect("read");
    assert_eq!(data, f.transport().sim().flash().bytes()[0x11000..0x41000]);
    assert_eq!(f.rate().0, 1_500_000);
    assert!(rec.has("stepped down from 2000000 baud after"));
}

/// Datasheet maxima: slow erases and 3 ms page programs, which overflow the legacy ring at the
/// legacy default of 921600. Every job still ends well, at the default rate and at Fast.
#[test]
fn every_job_succeeds_with_datasheet_maximum_timing() {
    for baud in [WorkBaud::ChipDefault, WorkBaud::Fast] {
        for config in presets() {
            let what = format!("{} {baud:?}", class_name(&config));
            let mut f = flasher(config.with_timing(Timing::worst()), at(baud));
            let mut rec = Recorder::default();
            block_on(f.connect(&mut rec)).expect("connect");
            write_and_check(&mut f, &mut rec, 22, 0x12000);
            let read = block_on(f.read(0x20000..0x32000, &mut rec)).expect("read");
            assert!(read == image(22, 0x12000), "{what}: read back");
            let differ = block_on(f.verify(
                &[Region {
                    offset: 0x20000,
                    data: image(22, 0x12000),
                }],
                &mut rec,
            ))
            .expect("verify");
            assert!(differ.is_empty(), "{what}");
            block_on(f.erase(0x40000..0x60000, &mut rec)).expect("erase");
            assert!(
                f.transport().sim().flash().bytes()[0x40000..0x60000]
                    .iter()
                    .all(|&b| b == 0xFF)
            );
            let mut dump = block_on(f.read(0..0x20_0000, &mut rec)).expect("backup");
            dump[0x70000..0x71000].fill(0x5A);
            block_on(f.restore(&dump, &mut rec)).expect("restore");
            assert!(
                f.transport().sim().flash().bytes()[0x70000..0x71000]
                    .iter()
                    .all(|&b| b == 0x5A),
                "{what}"
            );
        }
    }
}

/// The second case: replies 250-600 ms late. The old budgets (105 ms for the CRC probe)
/// failed at connect; every wait is now at least 1 s.
#[test]
fn replies_up_to_600_ms_late_are_waited_for() {
    for late in [250, 600] {
        for config in presets() {
            let sim =
                Sim::new(config.clone()).with_adapter(Adapter::late(Duration::from_millis(late)));
            let mut f = Flasher::new(SimTransport::new(sim), at(WorkBaud::ChipDefault));
            let mut rec = Recorder::default();
            let data = block_on(f.read(0x11000..0x15000, &mut rec))
                .unwrap_or_else(|e| panic!("{} {late} ms: {}", class_name(&config), e.render()));
            assert_eq!(data, f.transport().sim().flash().bytes()[0x11000..0x15000]);
            assert!(
                !rec.has("Retry"),
                "{} {late} ms: no retries needed",
                class_name(&config)
            );
        }
    }
}

/// bk7231tools allows 20 retries of a read; the old budget of 3 gave up on the fifth silence.
#[test]
fn a_read_outlasts_many_silent_replies_in_a_row() {
    let mut f = flasher(SimConfig::bk7231n(), Options::default());
    block_on(f.connect(&mut NoProgress)).expect("connect");
    for nth in 1..=8 {
        f.transport_mut().sim_mut().add_fault(Fault::Stall {
            when: When::Command(CommandMatch::of(READ_4K, nth)),
            duration: Some(Duration::from_millis(10)),
        });
    }
    let mut rec = Recorder::default();
    let data = block_on(f.read(0x11000..0x12000, &mut rec)).expect("read");
    assert_eq!(data, f.transport().sim().flash().bytes()[0x11000..0x12000]);
    assert_eq!(rec.count("Retry"), 8);
}

/// A chip that goes silent for good: each timeout's recovery (filler, re-sync, a full link) is
/// announced, and the job ends within the sum of their bounds.
#[test]
fn a_chip_gone_silent_ends_the_job_after_a_bounded_logged_recovery() {
    let options = Options {
        link_window: Duration::from_secs(20),
        ..at(WorkBaud::ChipDefault)
    };
    let mut f = flasher(SimConfig::bk7231n(), options);
    block_on(f.connect(&mut NoProgress)).expect("connect");
    f.transport_mut().sim_mut().add_fault(Fault::Stall {
        when: When::Command(CommandMatch::of(READ_4K, 3)),
        duration: None,
    });
    let started = f.transport().now();
    let mut rec = Recorder::default();
    let error = block_on(f.read(0x11000..0x19000, &mut rec)).expect_err("the chip is gone");
    assert_eq!(error.kind, ErrorKind::NoLink, "{}", error.render());
    let took = f.transport().now() - started;
    // Reply floor 1 s + filler 4200 bytes + re-sync window 3 s + a full link window of 20 s.
    assert!(took < Duration::from_secs(26), "{took:?}");
    assert!(rec.has("No reply: completing any half-received frame with filler bytes"));
    assert!(rec.has("The chip stopped answering; linking again from 115200"));
}
