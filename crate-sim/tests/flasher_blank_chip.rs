//! Differential writes onto sectors that are blank on the chip: the ROM class writes them without
//! erasing; the legacy class erases only the first sector of each run (only an erase lifts the
//! protection a CRC set); both verify.

mod flasher_support;

use bkflash_core::flasher::{Options, SectorState, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::{HostEvent, SimConfig};
use flasher_support::{block_on, flasher, image};

/// FlashErase frames (long op 0x0F) in what the host sent.
fn erases_sent(writes: &[HostEvent]) -> usize {
    writes
        .iter()
        .filter(|e| matches!(e, HostEvent::Write(b) if b.len() > 8 && b[..5] == [0x01, 0xE0, 0xFC, 0xFF, 0xF4] && b[7] == 0x0F))
        .count()
}

fn differential_write(config: SimConfig) -> (usize, bool) {
    let mut f = flasher(config, Options::default());
    block_on(f.connect(&mut NoProgress)).expect("connect");
    f.transport_mut().transcript_mut().clear();
    let data = image(3, 0x12000);
    let report = block_on(f.write(
        &[Region {
            offset: 0x20000,
            data: data.clone(),
        }],
        &WriteOptions { differential: true },
        &mut NoProgress,
    ))
    .expect("write");
    assert_eq!(report.count(SectorState::Written), 0x12);
    let events: Vec<HostEvent> = f
        .transport()
        .transcript()
        .entries()
        .iter()
        .map(|e| e.event.clone())
        .collect();
    let flash = f.transport().sim().flash().bytes();
    (erases_sent(&events), flash[0x20000..0x32000] == data[..])
}

#[test]
fn rom_class_writes_blank_sectors_without_erasing() {
    assert_eq!(differential_write(SimConfig::bk7231n()), (0, true));
}

#[test]
fn legacy_class_erases_one_sector_per_run_of_blank_sectors() {
    let (erases, holds_image) = differential_write(SimConfig::bk7231t());
    assert!(holds_image);
    assert_eq!(erases, 2, "one 4K erase for each 64K block's run");
}
