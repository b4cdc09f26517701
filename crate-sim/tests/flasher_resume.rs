//! Resuming an interrupted write: running the same (differential, the CLI default) write again on the
//! half-written chip finishes the job without erasing or writing a sector the first run verified.

mod flasher_support;

use std::collections::BTreeSet;

use bkflash_core::flasher::{FlashReport, Flasher, Options, SectorState, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::frames::{HostPiece, split_host_bytes};
use bkflash_sim::{CommandKind, CommandMatch, Fault, Sim, SimConfig, SimTransport, When};
use flasher_support::{block_on, image};

const OFFSET: u32 = 0x20000;
/// A whole 64 KiB block plus two sectors, so the first run uses a block erase.
const LEN: usize = 0x12000;
const WRITE_4K: CommandKind = CommandKind::Long(0x07);
const ERASE: CommandKind = CommandKind::Long(0x0F);
const RESUME: WriteOptions = WriteOptions { differential: true };

fn region() -> Region {
    Region {
        offset: OFFSET,
        data: image(31, LEN),
    }
}

/// A chip whose flash holds old, non-blank content where the image goes.
fn chip(config: SimConfig, flash: Option<Vec<u8>>) -> Flasher<SimTransport> {
    let flash = flash.unwrap_or_else(|| {
        let mut bytes = Sim::new(config.clone()).flash().bytes().to_vec();
        bytes[OFFSET as usize..OFFSET as usize + LEN].copy_from_slice(&image(5, LEN));
        bytes
    });
    Flasher::new(
        SimTransport::new(Sim::new(config.with_flash_image(flash))),
        Options::default(),
    )
}

/// Every sector the host erased or programmed, from the transcript's frames.
fn sectors_touched(port: &SimTransport) -> BTreeSet<u32> {
    let mut touched = BTreeSet::new();
    for piece in split_host_bytes(&port.transcript().host_bytes()) {
        let HostPiece::Long { op, payload } = piece else {
            continue;
        };
        let le = |at: usize| u32::from_le_bytes(payload[at..at + 4].try_into().expect("a32"));
        let (start, len) = match op {
            0x06 | 0x07 => (le(0) & !0xFFF, 0x1000),
            0x0F => {
                let len = match payload[0] {
                    0xD8 => 0x10000,
                    0x52 => 0x8000,
                    _ => 0x1000,
                };
                (le(1) & !(len - 1), len)
            }
            _ => continue,
        };
        touched.extend((start..start + len).step_by(0x1000));
    }
    touched
}

fn verified(report: &FlashReport) -> BTreeSet<u32> {
    report
        .sectors
        .iter()
        .filter(|s| s.1 == SectorState::Written)
        .map(|s| s.0)
        .collect()
}

fn interrupt_then_resume(config: SimConfig, fault: Fault) {
    let mut first = chip(config.clone(), None);
    first.transport_mut().sim_mut().add_fault(fault.clone());
    let error = block_on(first.write(&[region()], &RESUME, &mut NoProgress))
        .expect_err("the fault interrupts the write");
    let report = error
        .flash
        .clone()
        .expect("the error says what the flash holds");
    let done = verified(&report);
    assert!(
        !done.is_empty() && done.len() < LEN / 0x1000,
        "{fault:?}: interrupted part way ({error})"
    );

    let half_written = first.transport().sim().flash().bytes().to_vec();
    let mut second = chip(config, Some(half_written));
    let result = block_on(second.write(&[region()], &RESUME, &mut NoProgress));
    let final_report = result.unwrap_or_else(|e| panic!("{fault:?}: resume failed: {e}"));
    assert_eq!(final_report.count(SectorState::Unknown), 0);
    let flash = second.transport().sim().flash().bytes();
    assert!(
        flash[OFFSET as usize..OFFSET as usize + LEN] == region().data[..],
        "{fault:?}: the resumed write holds the image"
    );
    let redone: Vec<String> = sectors_touched(second.transport())
        .intersection(&done)
        .map(|a| format!("0x{a:X}"))
        .collect();
    assert!(
        redone.is_empty(),
        "{fault:?}: verified sectors erased or written again: {redone:?}"
    );
}

#[test]
fn a_write_cut_by_a_silent_chip_resumes_without_redoing_verified_sectors() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        interrupt_then_resume(
            config,
            Fault::Stall {
                when: When::Command(CommandMatch::of(WRITE_4K, 17)),
                duration: None,
            },
        );
    }
}

#[test]
fn a_write_cut_by_unplugging_resumes_without_redoing_verified_sectors() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        interrupt_then_resume(
            config,
            Fault::Unplug {
                when: When::Command(CommandMatch::of(ERASE, 2)),
            },
        );
    }
}
