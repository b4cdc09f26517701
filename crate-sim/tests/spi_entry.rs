//! Getting the simulated BK7231T into SPI flashing mode with the core's entry loop: the variant table
//! finds the clock, reset length and burst a chip needs, and says which one worked; manual countdown too.

mod flasher_support;
mod spi_support;

use core::time::Duration;

use bkflash_core::error::ErrorKind;
use bkflash_core::spi::{ENTRY_VARIANTS, EntryMethod, SpiOptions};
use bkflash_sim::serprog::PortModel;
use flasher_support::{Recorder, block_on};
use spi_support::{EN25QH16B, bench, bk7231t, manual, with_cen};

fn entered_with(model: PortModel) -> EntryMethod {
    let board = bench(bk7231t(1), "pico-serprog", model);
    let mut flasher = with_cen(&board, SpiOptions::default());
    let chip = block_on(flasher.connect(&mut Recorder::default())).expect("entry works");
    assert_eq!(chip.jedec, EN25QH16B);
    chip.entry
}

#[test]
fn the_first_variant_enters_a_chip_like_the_bk7252_measurements() {
    let board = bench(bk7231t(1), "pico-serprog", PortModel::default());
    let mut flasher = with_cen(&board, SpiOptions::default());
    let mut events = Recorder::default();
    let chip = block_on(flasher.connect(&mut events)).unwrap();
    assert_eq!(
        chip.entry,
        EntryMethod::CenAdapter {
            variant: &ENTRY_VARIANTS[0],
            resets: 1
        }
    );
    assert_eq!(
        (chip.flash.unwrap().part, chip.flash_size, chip.status),
        ("EN25QH16B", 0x20_0000, 0x1C)
    );
    assert_eq!(chip.programmer.name, "pico-serprog");
    assert_eq!(chip.programmer.clock_hz, Some(1_000_000));
    assert!(
        chip.entry
            .describe()
            .contains("250 × 0xD2 at 1 MHz after CEN low 100 ms"),
        "{}",
        chip.entry.describe()
    );
    assert!(events.has("Line(Linked)"));
}

#[test]
fn a_chip_that_needs_30_khz_is_entered_by_a_later_variant() {
    let slow = PortModel {
        max_clock_hz: 30_000,
        ..PortModel::default()
    };
    let entry = entered_with(slow);
    let variant = entry.variant().unwrap();
    assert_eq!(variant.clock_hz, 30_000, "{}", entry.describe());

    let board = bench(bk7231t(1), "pico-serprog", slow);
    let only_first = SpiOptions {
        variants: &ENTRY_VARIANTS[..1],
        ..SpiOptions::default()
    };
    let error =
        block_on(with_cen(&board, only_first).connect(&mut Recorder::default())).unwrap_err();
    assert_eq!(
        error.kind,
        ErrorKind::SpiEntryFailed,
        "one variant alone is not enough"
    );
    assert!(error.render().contains("P20 to SCK"), "{}", error.render());
}

#[test]
fn a_chip_that_needs_a_long_reset_is_entered_by_the_one_second_variant() {
    let sluggish = PortModel {
        min_reset: Duration::from_millis(500),
        ..PortModel::default()
    };
    let entry = entered_with(sluggish);
    assert_eq!(entry.variant().unwrap().cen_low, Duration::from_secs(1));
    assert!(
        matches!(entry, EntryMethod::CenAdapter { resets: 2, .. }),
        "{entry:?}"
    );
}

#[test]
fn a_long_handshake_at_a_slow_clock_needs_the_long_burst() {
    let picky = PortModel {
        handshake_bytes: 100,
        max_clock_hz: 30_000,
        ..PortModel::default()
    };
    let variant = entered_with(picky).variant().unwrap();
    assert_eq!((variant.handshake_bytes, variant.clock_hz), (250, 30_000));
}

#[test]
fn refused_handshakes_are_repeated_inside_the_same_reset() {
    let stubborn = PortModel {
        refuse_first: 5,
        ..PortModel::default()
    };
    let board = bench(bk7231t(1), "pico-serprog", stubborn);
    let mut events = Recorder::default();
    let chip = block_on(with_cen(&board, SpiOptions::default()).connect(&mut events)).unwrap();
    assert!(matches!(
        chip.entry,
        EntryMethod::CenAdapter { resets: 1, .. }
    ));
    assert_eq!(
        events.count("MISO shows 0xD2"),
        1,
        "the open window (probes read D2) is reported once as a wiring check"
    );
}

#[test]
fn a_manual_reset_during_the_countdown_is_caught() {
    let board = bench(bk7231t(1), "pico-serprog", PortModel::default());
    board
        .borrow_mut()
        .schedule_manual_resets(Duration::from_secs(7), None);
    let mut flasher = manual(&board, SpiOptions::default());
    let mut events = Recorder::default();
    let chip = block_on(flasher.connect(&mut events)).unwrap();
    assert_eq!(
        chip.entry,
        EntryMethod::Manual {
            variant: &ENTRY_VARIANTS[0]
        }
    );
    assert!(events.has("Reset the chip now"), "{:#?}", events.lines);
    assert!(events.has("s left to reset the chip"));
    let now = board.borrow().now();
    assert!(
        now > Duration::from_secs(7) && now < Duration::from_secs(8),
        "{now:?}"
    );
}

#[test]
fn without_a_reset_the_countdown_ends_with_advice() {
    let board = bench(bk7231t(1), "pico-serprog", PortModel::default());
    let options = SpiOptions {
        manual_window: Duration::from_secs(1),
        ..SpiOptions::default()
    };
    let error = block_on(manual(&board, options).connect(&mut Recorder::default())).unwrap_err();
    assert_eq!(error.kind, ErrorKind::SpiEntryFailed);
    let text = error.render();
    assert!(text.contains("O_SPIOP 9F (read JEDEC id)"), "{text}");
    assert!(text.contains("last id read: FF FF FF"), "{text}");
    assert!(text.contains("CEN to GND briefly"), "{text}");
}

#[test]
fn a_chip_left_in_spi_mode_is_used_without_a_reset() {
    let board = bench(bk7231t(1), "pico-serprog", PortModel::default());
    board.borrow_mut().target_mut().start_in_spi_mode();
    let chip = block_on(with_cen(&board, SpiOptions::default()).connect(&mut Recorder::default()))
        .unwrap();
    assert_eq!(chip.entry, EntryMethod::AlreadyInSpiMode);
    assert!(
        board.borrow().frames().iter().all(|f| f.head[0] != 0xD2),
        "no handshake burst was needed"
    );
}

#[test]
fn an_id_with_a_flipped_bit_is_not_taken_for_the_part() {
    for one_in in [4, 6, 8] {
        let noisy = PortModel {
            flip_one_in: Some(one_in),
            ..PortModel::default()
        };
        let board = bench(bk7231t(1), "pico-serprog", noisy);
        let chip =
            block_on(with_cen(&board, SpiOptions::default()).connect(&mut Recorder::default()))
                .unwrap();
        assert_eq!(
            (chip.jedec, chip.flash_size),
            (EN25QH16B, 0x20_0000),
            "a plausible id must read the same twice (1 flip in {one_in} bytes)"
        );
    }
}
