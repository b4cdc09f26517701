//! The use case of SPI flashing: a BK7231T backed up over UART loses its bootloader, is restored over
//! SPI through a serprog programmer, and answers over UART again with exactly the backed-up flash.
//! One `Sim` (one flash) serves both paths; the UART adapter's RTS is the CEN line of the SPI session.

mod flasher_support;
mod spi_support;

use bkflash_core::flasher::{Flasher, Options};
use bkflash_core::progress::NoProgress;
use bkflash_core::spi::{EntryMethod, SpiFlasher, SpiOptions};
use bkflash_sim::serprog::{CenLine, PortModel, SerprogBoard, SerprogPort, firmware};
use bkflash_sim::{Sim, SimTransport};
use flasher_support::{Recorder, block_on};
use spi_support::{FLASH_2M, assert_same, bk7231t};

const BOOTLOADER_END: usize = 0x11000;

#[test]
fn a_uart_backup_is_restored_over_spi_after_the_bootloader_is_lost() {
    let uart = SimTransport::new(Sim::new(bk7231t(11)));
    let mut flasher = Flasher::new(uart, Options::default());
    let backup = block_on(flasher.read(0..FLASH_2M as u32, &mut NoProgress)).expect("UART backup");
    let mut uart = flasher.into_transport();
    assert_eq!(
        backup,
        uart.sim().flash().bytes(),
        "UART reads the raw flash"
    );

    // An interrupted write erased the bootloader's first 64 KiB: UART download is gone on a T.
    uart.sim_mut().flash_mut().bytes_mut()[..0x1_0000].fill(0xFF);

    let board = SerprogBoard::new(
        uart,
        firmware("pico-serprog").unwrap(),
        PortModel::default(),
    )
    .shared();
    let mut spi = SpiFlasher::with_cen_adapter(
        SerprogPort::new(board.clone()),
        CenLine::new(board.clone()),
        SpiOptions::default(),
    );
    let mut events = Recorder::default();
    let chip = block_on(spi.connect(&mut events)).expect("SPI-mode entry through RTS on CEN");
    assert!(matches!(chip.entry, EntryMethod::CenAdapter { .. }));
    let current = block_on(spi.backup(&mut events)).unwrap();
    assert!(
        current[..0x1_0000].iter().all(|&b| b == 0xFF),
        "SPI sees the damage"
    );
    let plan = block_on(spi.plan(&backup, &current, &mut events)).unwrap();
    assert_eq!((plan.sectors.len(), plan.bootloader_sectors), (16, 16));
    block_on(spi.write(&backup, Some(&current), &mut events)).expect("SPI restore");
    assert_eq!(
        block_on(spi.verify(&backup, &mut events)).unwrap(),
        Vec::<u32>::new()
    );
    assert!(
        block_on(spi.leave(&mut events)).unwrap(),
        "CEN pulsed: the chip boots"
    );
    drop(spi);

    let uart = std::rc::Rc::try_unwrap(board)
        .ok()
        .expect("the flasher let go of the board")
        .into_inner()
        .into_uart();
    assert_eq!(
        uart.sim().flash().bytes()[..BOOTLOADER_END],
        backup[..BOOTLOADER_END]
    );
    let mut flasher = Flasher::new(uart, Options::default());
    let again =
        block_on(flasher.read(0..FLASH_2M as u32, &mut NoProgress)).expect("UART links again");
    assert_same(&again, &backup, "byte for byte what the UART backup held");
}
