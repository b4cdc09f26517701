//! End-to-end fault matrix: every simulator fault knob either ends in a recovered success (the flash
//! holds the image) or in a precise error whose flash report says what each sector holds.

mod flasher_support;

use std::time::Duration;

use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::{FlashReport, Flasher, Options, SectorState, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::{Event, NoProgress, ProgressSink};
use bkflash_sim::{
    ByteFault, ChipClass, CommandKind, CommandMatch, Fault, SimConfig, SimTransport, When,
};
use flasher_support::{Recorder, block_on, flasher, image};

const WRITE_4K: CommandKind = CommandKind::Long(0x07);
const READ_4K: CommandKind = CommandKind::Long(0x09);
const ERASE: CommandKind = CommandKind::Long(0x0F);
const OFFSET: u32 = 0x11000;
/// Bytes of the CheckCRC of the bootloader region a write asks before its first erase, and of its reply.
const WATCH_CRC_FRAME: u64 = 13;
const WATCH_CRC_REPLY: u64 = 11;
const LEN: usize = 0x4000;

fn connected(config: SimConfig) -> Flasher<SimTransport> {
    let mut f = flasher(config, Options::default());
    block_on(f.connect(&mut NoProgress)).expect("connect");
    f
}

fn region() -> Region {
    Region {
        offset: OFFSET,
        data: image(77, LEN),
    }
}

fn write(f: &mut Flasher<SimTransport>, sink: &mut dyn ProgressSink) -> Result<FlashReport, Error> {
    block_on(f.write(
        &[region()],
        &WriteOptions {
            differential: false,
        },
        sink,
    ))
}

/// The write recovered: the flash holds the image and every sector is verified.
fn assert_recovered(f: &Flasher<SimTransport>, result: Result<FlashReport, Error>, what: &str) {
    let report = result.unwrap_or_else(|e| panic!("{what}: {e} ({:?})", e.flash));
    assert_eq!(report.count(SectorState::Written), LEN / 0x1000, "{what}");
    let flash = &f.transport().sim().flash().bytes()[OFFSET as usize..OFFSET as usize + LEN];
    assert!(flash == region().data.as_slice(), "{what}: flash differs");
}

/// The error's report agrees with the flash: written sectors hold the image, untouched ones the old bytes.
fn assert_report_true(f: &Flasher<SimTransport>, report: &FlashReport, before: &[u8]) {
    let flash = f.transport().sim().flash().bytes();
    let data = region().data;
    for &(addr, state) in &report.sectors {
        let at = addr as usize;
        match state {
            SectorState::Written => {
                let new = &data[at - OFFSET as usize..at - OFFSET as usize + 0x1000];
                assert_eq!(&flash[at..at + 0x1000], new, "0x{addr:X} reported written")
            }
            SectorState::Untouched | SectorState::Repaired => assert_eq!(
                &flash[at..at + 0x1000],
                &before[at..at + 0x1000],
                "0x{addr:X} reported untouched"
            ),
            SectorState::Erased => assert!(
                flash[at..at + 0x1000].iter().all(|&b| b == 0xFF),
                "0x{addr:X} reported erased"
            ),
            SectorState::Unknown => {}
        }
    }
}

#[test]
fn line_byte_faults_are_recovered() {
    let faults = [
        (
            "host byte dropped in a 4K write",
            Fault::HostByte {
                nth: 0,
                fault: ByteFault::Drop,
            },
            5000u64,
        ),
        (
            "host byte corrupted in a 4K write",
            Fault::HostByte {
                nth: 0,
                fault: ByteFault::Corrupt,
            },
            5000,
        ),
        (
            "host byte duplicated in a 4K write",
            Fault::HostByte {
                nth: 0,
                fault: ByteFault::Duplicate,
            },
            5000,
        ),
        // Counted from the end of `connect`: byte 5000 of the write phase is inside the second 4K write;
        // chip byte 200 is inside a reply to an erase, write or CRC.
        (
            "chip byte dropped in a reply",
            Fault::ChipByte {
                nth: 0,
                fault: ByteFault::Drop,
            },
            100,
        ),
        (
            "chip byte corrupted in a reply",
            Fault::ChipByte {
                nth: 0,
                fault: ByteFault::Corrupt,
            },
            100,
        ),
        (
            "chip byte duplicated in a reply",
            Fault::ChipByte {
                nth: 0,
                fault: ByteFault::Duplicate,
            },
            100,
        ),
    ];
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        for (what, fault, offset) in faults.clone() {
            let mut f = connected(config.clone());
            // A read of the bootloader region leaves its copy with the flasher, so the write below
            // only asks its CRC first: the offsets count from after that exchange.
            block_on(f.read(0..0x11000, &mut NoProgress)).expect("read the bootloader region");
            let sent = f.transport().transcript().host_bytes().len() as u64 + WATCH_CRC_FRAME;
            let received = f.transport().sim().chip_bytes_sent() + WATCH_CRC_REPLY;
            let fault = match fault {
                Fault::HostByte { fault, .. } => Fault::HostByte {
                    nth: sent + offset,
                    fault,
                },
                // The ROM class first unprotects (66 reply bytes); the legacy class sends the LinkCheck
                // that lifts the CRC's re-protect (8 reply bytes), then erases.
                Fault::ChipByte { fault, .. } if config.class == ChipClass::Legacy => {
                    Fault::ChipByte {
                        nth: received + offset - 72,
                        fault,
                    }
                }
                Fault::ChipByte { fault, .. } => Fault::ChipByte {
                    nth: received + offset,
                    fault,
                },
                other => other,
            };
            f.transport_mut().sim_mut().add_fault(fault);
            let mut rec = Recorder::default();
            let result = write(&mut f, &mut rec);
            assert_recovered(&f, result, what);
            assert!(
                rec.has("Retry"),
                "{:?} {what}: the fault was noticed and retried",
                config.class
            );
        }
    }
}

#[test]
fn corrupted_read_data_is_re_read() {
    let mut f = connected(SimConfig::bk7231n().with_flash_image(image(3, 0x20000)));
    let inside_first_read = f.transport().sim().chip_bytes_sent() + 2000;
    f.transport_mut().sim_mut().add_fault(Fault::ChipByte {
        nth: inside_first_read,
        fault: ByteFault::Corrupt,
    });
    f.transport_mut().transcript_mut().clear();
    let data = block_on(f.read(0x11000..0x19000, &mut NoProgress)).expect("read");
    assert_eq!(data, image(3, 0x20000)[0x11000..0x19000]);
    let crcs = f
        .transport()
        .transcript()
        .render()
        .lines()
        .filter(|l| l.starts_with("CheckCRC"))
        .count();
    assert_eq!(
        crcs,
        1 + 8,
        "one CRC for the 32 KiB run, then one per re-read sector"
    );
}

#[test]
fn delayed_and_noisy_replies_are_recovered() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let faults = [
            Fault::DelayReply {
                command: CommandMatch::of(ERASE, 2),
                by: Duration::from_secs(2),
            },
            Fault::Inject {
                when: When::Command(CommandMatch::of(WRITE_4K, 1)),
                bytes: b"boot log\r\n\x04\x0E\x05\x01\xE0 noise".to_vec(),
            },
            Fault::Inject {
                when: When::Command(CommandMatch::of(ERASE, 1)),
                bytes: vec![0x04, 0x0E, 0xFF, 0x01, 0xE0, 0xFC, 0xF4, 0x00, 0x01],
            },
            Fault::Stall {
                when: When::Command(CommandMatch::of(WRITE_4K, 2)),
                duration: Some(Duration::from_millis(300)),
            },
        ];
        for fault in faults {
            let mut f = connected(config.clone());
            f.transport_mut().sim_mut().add_fault(fault.clone());
            let result = write(&mut f, &mut NoProgress);
            assert_recovered(&f, result, &format!("{fault:?}"));
        }
    }
}

#[test]
fn a_reset_in_the_middle_of_a_write_is_recovered() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        for kind in [WRITE_4K, ERASE] {
            let mut f = connected(config.clone());
            f.transport_mut().sim_mut().add_fault(Fault::ResetMidOp {
                command: CommandMatch::of(kind, 2),
            });
            let result = write(&mut f, &mut NoProgress);
            assert_recovered(
                &f,
                result,
                &format!("{:?} reset mid {kind:?}", config.class),
            );
        }
    }
}

#[test]
fn a_chip_that_stops_answering_gives_a_precise_error() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut f = connected(config.clone());
        let before = f.transport().sim().flash().bytes().to_vec();
        f.transport_mut().sim_mut().add_fault(Fault::Stall {
            when: When::Command(CommandMatch::of(WRITE_4K, 3)),
            duration: None,
        });
        let err = write(&mut f, &mut NoProgress).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::Timeout | ErrorKind::NoLink),
            "{err}"
        );
        assert_eq!(err.address, Some(OFFSET + 0x2000), "{err}");
        let report = err.flash.clone().expect("a flash report");
        assert_eq!(report.state(OFFSET), SectorState::Written);
        assert_eq!(report.state(OFFSET + 0x1000), SectorState::Written);
        assert_eq!(report.state(OFFSET + 0x2000), SectorState::Unknown);
        assert_eq!(report.state(OFFSET + 0x3000), SectorState::Untouched);
        assert_report_true(&f, &report, &before);
    }
}

#[test]
fn unplugging_gives_disconnected_with_the_flash_state() {
    let mut f = connected(SimConfig::bk7231n());
    let before = f.transport().sim().flash().bytes().to_vec();
    f.transport_mut().sim_mut().add_fault(Fault::Unplug {
        when: When::Command(CommandMatch::of(ERASE, 3)),
    });
    let err = write(&mut f, &mut NoProgress).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Disconnected, "{err}");
    let report = err.flash.clone().expect("a flash report");
    assert_eq!(report.count(SectorState::Written), 2);
    assert_report_true(&f, &report, &before);
}

#[test]
fn read_faults_are_retried() {
    let mut f = connected(SimConfig::bk7231t().with_flash_image(image(4, 0x20000)));
    f.transport_mut().sim_mut().add_fault(Fault::Stall {
        when: When::Command(CommandMatch::of(READ_4K, 2)),
        duration: Some(Duration::from_millis(200)),
    });
    let data = block_on(f.read(0x12000..0x16000, &mut NoProgress)).expect("read");
    assert_eq!(data, image(4, 0x20000)[0x12000..0x16000]);
}

/// Cancels the job once the first erase unit is done.
struct CancelAfterFirstUnit(bkflash_core::flasher::CancelToken);

impl ProgressSink for CancelAfterFirstUnit {
    fn event(&mut self, event: Event<'_>) {
        if matches!(event, Event::Bytes { .. }) {
            self.0.cancel();
        }
    }
}

#[test]
fn cancel_stops_at_a_sector_boundary_and_reports() {
    let mut f = connected(SimConfig::bk7231n());
    let before = f.transport().sim().flash().bytes().to_vec();
    let mut sink = CancelAfterFirstUnit(f.cancel_token());
    let err = write(&mut f, &mut sink).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Cancelled);
    let report = err.flash.clone().expect("a flash report");
    assert_eq!(report.count(SectorState::Written), 1);
    assert_eq!(report.count(SectorState::Untouched), 3);
    assert_eq!(
        report.count(SectorState::Unknown) + report.count(SectorState::Erased),
        0,
        "stopped at a safe point"
    );
    assert_report_true(&f, &report, &before);
}
