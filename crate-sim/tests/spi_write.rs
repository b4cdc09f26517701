//! Whole-flash jobs over SPI against the simulated BK7231T: read-twice backups, unprotect with the
//! exact status-register width, differential sector writes, refusals, silent protection, resuming.

mod flasher_support;
mod spi_support;

use core::time::Duration;

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Protection, SectorState};
use bkflash_core::progress::{Event, NoProgress, ProgressSink};
use bkflash_core::spi::SpiOptions;
use bkflash_sim::serprog::{NorModel, PortModel};
use flasher_support::{Recorder, block_on};
use spi_support::{
    EN25QH16B, FLASH_2M, TH25Q16HB, assert_same, bench, bk7231t, flash_bytes, frames_to_flash,
    noise, raw_flash, unshared, with_cen,
};

/// `base` with a new bootloader and three changed app sectors, one 64 KiB block rewritten whole.
fn changed_image(base: &[u8]) -> Vec<u8> {
    let mut image = raw_flash(99, FLASH_2M);
    image[0x11000..].copy_from_slice(&base[0x11000..]);
    for at in [0x20000, 0x95000, 0x1FF000] {
        image[at..at + 0x1000].copy_from_slice(&noise(at as u64, 0x1000));
    }
    image[0x40000..0x50000].copy_from_slice(&noise(7, 0x10000));
    image[0x60000..0x61000].fill(0xFF);
    image
}

#[test]
fn a_backup_equals_the_flash_even_over_a_marginal_wire() {
    let flaky = PortModel {
        flip_one_in: Some(500_000),
        ..PortModel::default()
    };
    let board = bench(bk7231t(5), "pico-serprog", flaky);
    let mut flasher = with_cen(&board, SpiOptions::default());
    let mut events = Recorder::default();
    let backup = block_on(flasher.backup(&mut events)).unwrap();
    assert_eq!(
        backup,
        flash_bytes(&board),
        "every chunk is settled by two equal reads"
    );
    let chunks = FLASH_2M / 0x4000;
    let reads = frames_to_flash(&board, 0x03).len();
    assert!(
        reads > 2 * chunks,
        "flipped bits forced third reads: {reads} frames for {chunks} chunks"
    );
    assert!(events.has("Bytes { done: 2097152, total: 2097152 }"));
}

#[test]
fn a_wire_that_never_reads_the_same_twice_is_an_error() {
    let broken = PortModel {
        flip_one_in: Some(3_000),
        ..PortModel::default()
    };
    let board = bench(bk7231t(5), "pico-serprog", broken);
    let error =
        block_on(with_cen(&board, SpiOptions::default()).backup(&mut NoProgress)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::SpiReadUnstable);
    assert!(
        error.render().contains("O_SPIOP 03 (read) at 0x000000"),
        "{}",
        error.render()
    );
}

#[test]
fn write_unprotects_then_changes_exactly_the_differing_sectors() {
    let board = bench(bk7231t(5), "pico-serprog", PortModel::default());
    let before = flash_bytes(&board);
    let image = changed_image(&before);
    let mut flasher = with_cen(&board, SpiOptions::default());
    let plan = {
        let chip = block_on(flasher.connect(&mut NoProgress)).unwrap();
        assert_eq!(chip.protection, Protection::Protected { sr: 0x1C });
        block_on(flasher.plan(&image, &before, &mut NoProgress)).unwrap()
    };
    assert_eq!(plan.bootloader_sectors, 17);
    assert_eq!(
        plan.block_erases,
        [0x0, 0x40000],
        "the first 16 bootloader sectors and the app block"
    );
    assert_eq!(plan.sectors.len(), 17 + 3 + 16 + 1);
    assert_eq!(plan.erase_only, 1);
    assert_eq!(plan.unprotect, Some((0x1C, 0x00)));
    assert!(
        plan.summary()
            .contains("the bootloader (0x000000..0x011000) changes in 17 sectors")
    );

    let report = block_on(flasher.write(&image, Some(&before), &mut Recorder::default())).unwrap();
    assert_same(&flash_bytes(&board), &image, "the flash after writing");
    assert_eq!(report.count(SectorState::Written), plan.sectors.len());
    let status_writes = frames_to_flash(&board, 0x01);
    assert_eq!(status_writes.len(), 1);
    assert_eq!(
        (status_writes[0].len, status_writes[0].head[1]),
        (2, 0x00),
        "one WRSR with exactly one data byte on this one-byte-SR part"
    );
    let sector_erases = frames_to_flash(&board, 0x20).len();
    let block_erases = frames_to_flash(&board, 0xD8).len();
    assert_eq!((sector_erases, block_erases), (plan.sectors.len() - 32, 2));
    assert_eq!(
        block_on(flasher.verify(&image, &mut NoProgress)).unwrap(),
        Vec::<u32>::new()
    );
}

#[test]
fn a_two_byte_status_register_with_cmp_is_cleared_in_one_write() {
    let config = bk7231t(5)
        .with_jedec_id(TH25Q16HB)
        .with_status_register(0x4004);
    let board = bench(config, "pico-serprog", PortModel::default());
    let before = flash_bytes(&board);
    let image = changed_image(&before);
    block_on(with_cen(&board, SpiOptions::default()).write(&image, None, &mut NoProgress)).unwrap();
    assert_same(&flash_bytes(&board), &image, "the flash after writing");
    let status_writes = frames_to_flash(&board, 0x01);
    assert_eq!(status_writes.len(), 1);
    assert_eq!(status_writes[0].len, 3, "01 SR1 SR2: CMP cleared with BP");
    assert_eq!(board.borrow().flash().status(), 0);
}

#[test]
fn an_unprotected_flash_gets_no_status_register_write() {
    let board = bench(
        bk7231t(5).with_status_register(0),
        "pico-serprog",
        PortModel::default(),
    );
    let before = flash_bytes(&board);
    let image = changed_image(&before);
    block_on(with_cen(&board, SpiOptions::default()).write(&image, None, &mut NoProgress)).unwrap();
    assert_same(&flash_bytes(&board), &image, "the flash after writing");
    assert!(
        frames_to_flash(&board, 0x01).is_empty(),
        "bk7231tools PR #29: no no-op SR write"
    );
}

#[test]
fn a_locked_status_register_stops_before_any_erase() {
    let locked = NorModel {
        sr_locked: true,
        ..NorModel::for_part(EN25QH16B)
    };
    let board = unshared(bk7231t(5), "pico-serprog", PortModel::default())
        .with_nor(locked)
        .shared();
    let before = flash_bytes(&board);
    let error = block_on(with_cen(&board, SpiOptions::default()).write(
        &changed_image(&before),
        None,
        &mut NoProgress,
    ))
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::UnprotectFailed);
    let text = error.render();
    assert!(
        text.contains("O_SPIOP 01 (write status register)"),
        "{text}"
    );
    assert!(
        text.contains("EN25QH16B: status 0x001C after 3 writes"),
        "{text}"
    );
    assert!(frames_to_flash(&board, 0x20).is_empty() && frames_to_flash(&board, 0xD8).is_empty());
    assert_same(&flash_bytes(&board), &before, "the flash is unchanged");
}

#[test]
fn a_protected_unknown_part_is_caught_by_the_blank_check() {
    let unknown_part = [0xA1, 0x40, 0x15];
    let board = bench(
        bk7231t(5).with_jedec_id(unknown_part),
        "pico-serprog",
        PortModel::default(),
    );
    let before = flash_bytes(&board);
    let mut events = Recorder::default();
    let error = block_on(with_cen(&board, SpiOptions::default()).write(
        &changed_image(&before),
        None,
        &mut events,
    ))
    .unwrap_err();
    assert!(events.has("Unknown flash part"));
    assert_eq!(error.kind, ErrorKind::EraseFailed);
    let text = error.render();
    assert!(text.contains("the flash part is unknown"), "{text}");
    assert!(text.contains("Flash now:"), "{text}");
    assert_eq!(
        flash_bytes(&board),
        before,
        "protected: nothing changed, and that was noticed"
    );
}

#[test]
fn only_whole_flash_images_are_written() {
    let board = bench(bk7231t(5), "pico-serprog", PortModel::default());
    let before = flash_bytes(&board);
    let mut flasher = with_cen(&board, SpiOptions::default());
    let error = block_on(flasher.write(&before[..0x11000], None, &mut NoProgress)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotWholeFlashImage);
    let mut decrypted = before.clone();
    decrypted[..34].fill(0);
    let error = block_on(flasher.write(&decrypted, None, &mut NoProgress)).unwrap_err();
    assert!(
        error.render().contains("raw on-flash form"),
        "{}",
        error.render()
    );
    assert!(
        frames_to_flash(&board, 0x06).is_empty(),
        "nothing was write-enabled"
    );
}

#[test]
fn a_four_mib_flash_not_in_the_table_is_sized_from_its_jedec_id() {
    let config = bk7231t(5)
        .with_flash_size(0x40_0000)
        .with_jedec_id([0x9D, 0x60, 0x16]);
    let board = bench(config, "pico-serprog", PortModel::default());
    let chip = block_on(with_cen(&board, SpiOptions::default()).connect(&mut NoProgress)).unwrap();
    assert_eq!((chip.flash, chip.flash_size), (None, 0x40_0000));
}

/// Cancels the job once `after` sectors have been written.
struct CancelAfter {
    token: bkflash_core::flasher::CancelToken,
    after: u64,
}

impl ProgressSink for CancelAfter {
    fn event(&mut self, event: Event<'_>) {
        if let Event::Bytes { done, .. } = event
            && done >= self.after * 0x1000
        {
            self.token.cancel();
        }
    }
}

#[test]
fn a_cancelled_write_reports_the_flash_and_finishes_when_run_again() {
    let board = bench(bk7231t(5), "pico-serprog", PortModel::default());
    let before = flash_bytes(&board);
    let image = changed_image(&before);
    let mut flasher = with_cen(&board, SpiOptions::default());
    let mut sink = CancelAfter {
        token: flasher.cancel_token(),
        after: 5,
    };
    let error = block_on(flasher.write(&image, Some(&before), &mut sink)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    let flash = error
        .flash
        .as_ref()
        .expect("a cancelled write says what the flash holds");
    assert_eq!(flash.count(SectorState::Written), 5);
    assert!(error.render().contains("written and verified"));
    flasher.cancel_token().reset();
    let middle = flash_bytes(&board);
    let report = block_on(flasher.write(&image, Some(&middle), &mut NoProgress)).unwrap();
    assert_eq!(
        report.sectors.len(),
        37 - 5,
        "only what was left is written"
    );
    assert_same(&flash_bytes(&board), &image, "the flash after writing");
    assert!(board.borrow().now() > Duration::ZERO);
}
