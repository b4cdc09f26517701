//! The core's serprog client against each simulated firmware and its known bug (docs/spi-unbrick.md
//! §4.4): every profile connects, enters SPI mode and reads, and the quirks met are reported.

mod flasher_support;
mod spi_support;

use bkflash_core::error::ErrorKind;
use bkflash_core::progress::NoProgress;
use bkflash_core::spi::quirks::quirk;
use bkflash_core::spi::{Serprog, SpiOptions};
use bkflash_sim::serprog::{FIRMWARES, PortModel, SerprogPort};
use flasher_support::{Recorder, block_on};
use spi_support::{assert_same, bench, bk7231t, flash_bytes, with_cen};

const READ: core::ops::Range<u32> = 0x1_0000..0x2_4000;

/// A chip that copes with any programmer's default clock (the 2021 kukrimate build cannot change its
/// 12 MHz; stm32-vserprog cannot go below 281.25 kHz).
fn fast_chip() -> PortModel {
    PortModel {
        max_clock_hz: 40_000_000,
        ..PortModel::default()
    }
}

#[test]
fn every_firmware_profile_connects_and_reads() {
    for profile in FIRMWARES {
        let board = bench(bk7231t(3), profile.name, fast_chip());
        let mut flasher = with_cen(&board, SpiOptions::default());
        let chip = block_on(flasher.connect(&mut Recorder::default()))
            .unwrap_or_else(|e| panic!("{}: {}", profile.name, e.render()));
        let bytes = block_on(flasher.read(READ.clone(), &mut NoProgress)).unwrap();
        assert_same(
            &bytes,
            &flash_bytes(&board)[READ.start as usize..READ.end as usize],
            profile.name,
        );
        assert!(
            !board.borrow().programmer().has_crashed(),
            "{}",
            profile.name
        );
        assert_eq!(chip.programmer.name, profile.program_name);
    }
}

#[test]
fn pico_serprog_answers_only_once_dtr_is_asserted() {
    let board = bench(bk7231t(3), "pico-serprog", PortModel::default());
    let chip = block_on(with_cen(&board, SpiOptions::default()).connect(&mut NoProgress)).unwrap();
    assert_eq!(chip.programmer.name, "pico-serprog");
    let board = bench(bk7231t(3), "pico-serprog", PortModel::default());
    let mut raw = Serprog::new(SerprogPort::new(board.clone()));
    let error = block_on(raw.sync(&mut NoProgress)).unwrap_err();
    assert_eq!(
        error.kind,
        ErrorKind::ProgrammerSilent,
        "without DTR it stays silent"
    );
}

#[test]
fn writes_longer_than_4096_bytes_are_never_sent() {
    let board = bench(bk7231t(3), "pico-serprog", PortModel::default());
    let mut flasher = with_cen(&board, SpiOptions::default());
    block_on(flasher.connect(&mut NoProgress)).unwrap();
    assert_eq!(flasher.programmer().max_write, 4096);
    drop(flasher);
    let mut raw = Serprog::new(SerprogPort::new(board.clone()));
    block_on(raw.open(115_200, None, &mut NoProgress)).unwrap();
    let error =
        block_on(raw.spi_op(&[0xFF; 5000], 0, "O_SPIOP (test)", &mut NoProgress)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ProgrammerUnsupported);
    assert!(!board.borrow().programmer().has_crashed());
    assert!(
        block_on(raw.jedec_id(&mut NoProgress)).is_ok(),
        "the programmer still answers"
    );
}

#[test]
fn a_chip_select_the_firmware_never_acknowledges_still_works() {
    let board = bench(bk7231t(3), "libreboot-pico-serprog", PortModel::default());
    let options = SpiOptions {
        chip_select: Some(1),
        ..SpiOptions::default()
    };
    let chip = block_on(with_cen(&board, options).connect(&mut NoProgress)).unwrap();
    assert_eq!(chip.programmer.chip_select, Some(1));
    assert_eq!(
        chip.programmer.quirks_seen,
        [quirk("chip_select_unanswered").unwrap()]
    );
}

#[test]
fn frequency_parameters_left_in_the_stream_are_flushed_and_the_clock_is_unknown() {
    let board = bench(bk7231t(3), "kukrimate-2021", fast_chip());
    let mut flasher = with_cen(&board, SpiOptions::default());
    let mut events = Recorder::default();
    let chip = block_on(flasher.connect(&mut events)).unwrap();
    assert!(
        events.has("cannot set the SPI clock"),
        "{:#?}",
        events.lines
    );
    assert_eq!(
        chip.programmer.quirks_seen,
        [quirk("frequency_parameters_left_over").unwrap()]
    );
    assert_eq!(
        chip.programmer.clock_hz, None,
        "its answer is not the clock it runs"
    );
    let bytes = block_on(flasher.read(READ.clone(), &mut NoProgress)).unwrap();
    assert_eq!(
        bytes,
        flash_bytes(&board)[READ.start as usize..READ.end as usize]
    );
}

#[test]
fn stm32_vserprog_reports_its_slowest_clock_and_is_never_sent_unknown_commands() {
    let board = bench(bk7231t(3), "stm32-vserprog", PortModel::default());
    let mut flasher = with_cen(&board, SpiOptions::default());
    block_on(flasher.connect(&mut NoProgress)).unwrap();
    assert_eq!(
        flasher.programmer().clock_hz,
        Some(562_500),
        "1 MHz asked, 562.5 kHz set"
    );
    let mut raw = Serprog::new(SerprogPort::new(board.clone()));
    block_on(raw.open(115_200, None, &mut NoProgress)).unwrap();
    assert_eq!(
        block_on(raw.set_clock(30_000, &mut NoProgress)).unwrap(),
        Some(281_250)
    );
}

#[test]
fn small_length_limits_of_a_spec_complete_firmware_are_honoured() {
    let board = bench(bk7231t(3), "spec-complete", PortModel::default());
    let mut flasher = with_cen(&board, SpiOptions::default());
    block_on(flasher.connect(&mut NoProgress)).unwrap();
    assert_eq!(
        (
            flasher.programmer().max_write,
            flasher.programmer().max_read
        ),
        (512, 1024)
    );
    let bytes = block_on(flasher.read(READ.clone(), &mut NoProgress)).unwrap();
    assert_eq!(bytes.len(), (READ.end - READ.start) as usize);
    let reads = board
        .borrow()
        .frames()
        .iter()
        .filter(|f| f.head[0] == 0x03)
        .map(|f| f.len)
        .max()
        .unwrap();
    assert_eq!(reads, 4 + 1024, "read frames stay within Q_RDNMAXLEN");
}
