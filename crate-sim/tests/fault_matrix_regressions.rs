//! Faults the seeded matrix found, pinned as deterministic tests: a corrupted erase address, a write
//! address shifted into the bootloader, a damaged LinkCheck during re-sync, a corrupted status byte,
//! and a download window missed at reset.

mod flasher_support;

use std::time::Duration;

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Options, SectorState, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::{ByteFault, Fault, Sim, SimConfig, When};
use flasher_support::{Recorder, block_on, flasher, image};

/// Where `needle` starts (1-based) in what the host sends during a fault-free `erase(range)` on
/// `config`, searching from the first occurrence of `after`.
fn host_byte_of(
    config: &SimConfig,
    range: std::ops::Range<u32>,
    after: &[u8],
    needle: &[u8],
) -> u64 {
    let mut f = flasher(config.clone(), Options::default());
    block_on(f.erase(range, &mut NoProgress)).expect("fault-free erase");
    position_in(&f.transport().transcript().host_bytes(), after, needle)
}

/// Where `needle` starts (1-based) in `sent`, searching from the first occurrence of `after`.
fn position_in(sent: &[u8], after: &[u8], needle: &[u8]) -> u64 {
    let find = |from: usize, what: &[u8]| {
        sent[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|at| from + at)
            .expect("the frame was sent")
    };
    (find(find(0, after), needle) + 1) as u64
}

#[test]
fn an_erase_whose_address_the_line_corrupted_is_reported_with_the_sector_it_hit() {
    let mut content = Sim::new(SimConfig::bk7231t()).flash().bytes().to_vec();
    content[0x50000..0x60000].copy_from_slice(&image(12, 0x10000));
    let config = SimConfig::bk7231t().with_flash_image(content);
    // FlashErase 4K at 0x050000: op 0F, SPI opcode 20, then the address 00 00 05 00.
    let erase = [0x0F, 0x20, 0x00, 0x00, 0x05, 0x00];
    let address_byte_1 = host_byte_of(&config, 0x50000..0x51000, &erase, &erase) + 3;
    let mut f = flasher(config, Options::default());
    let before = f.transport().sim().flash().bytes().to_vec();
    // XOR 0x5A turns the address into 0x055A00: the chip erases sector 0x55000.
    f.transport_mut().sim_mut().add_fault(Fault::HostByte {
        nth: address_byte_1,
        fault: ByteFault::Corrupt,
    });
    let err = block_on(f.erase(0x50000..0x51000, &mut NoProgress)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Misdirected, "{err}");
    assert_eq!(
        err.address,
        Some(0x50000),
        "the erase that went astray: {err}"
    );
    assert!(
        err.detail
            .as_deref()
            .is_some_and(|d| d.contains("0x055000")),
        "{err}"
    );
    let report = err.flash.clone().expect("a flash report");
    assert_eq!(report.state(0x55000), SectorState::Unknown);
    let flash = f.transport().sim().flash().bytes();
    assert!(
        flash[0x55000..0x56000] != before[0x55000..0x56000],
        "the stray erase happened"
    );
    assert!(err.render().contains("0x055000"), "{}", err.render());
}

#[test]
fn a_4k_write_whose_address_lost_a_byte_hits_the_bootloader_which_is_put_back_and_reported() {
    let config = SimConfig::bk7231t();
    let region = Region {
        offset: 0x24000,
        data: image(21, 0x1000),
    };
    let mut dry = flasher(config.clone(), Options::default());
    block_on(dry.write(
        std::slice::from_ref(&region),
        &WriteOptions::default(),
        &mut NoProgress,
    ))
    .expect("fault-free write");
    // FlashWrite4K at 0x024000: op 07, then the address 00 40 02 00; drop its lowest byte.
    let write = [0x07, 0x00, 0x40, 0x02, 0x00];
    let address_byte_0 =
        position_in(&dry.transport().transcript().host_bytes(), &write, &write) + 1;
    let mut f = flasher(config, Options::default());
    let boot_before = f.transport().sim().flash().bytes()[..0x11000].to_vec();
    f.transport_mut().sim_mut().watch_flash(0..0x11000);
    f.transport_mut().sim_mut().add_fault(Fault::HostByte {
        nth: address_byte_0,
        fault: ByteFault::Drop,
    });
    let err = block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress)).unwrap_err();
    // The chip read the address as 40 02 00 <first data byte>: 0x000240 once wrapped, pages of the
    // bootloader (the protocol has no frame checksum). The watch saw the region's CRC change and
    // wrote the copy it read before the job back.
    assert!(
        !f.transport().sim().flash_changes().is_empty(),
        "the damage this test is about happened"
    );
    assert_eq!(err.kind, ErrorKind::BootloaderRepaired, "{}", err.render());
    let report = err.flash.clone().expect("a flash report");
    assert_eq!(report.state(0x0), SectorState::Repaired, "{}", err.render());
    assert_eq!(report.state(0x1000), SectorState::Repaired);
    assert_eq!(
        report.state(0x24000),
        SectorState::Unknown,
        "the job's own sector"
    );
    assert!(
        f.transport().sim().flash().bytes()[..0x11000] == boot_before[..],
        "the bootloader is as before"
    );
    let text = err.render();
    assert!(
        text.contains("put it back") && text.contains("0x000000..0x002000 changed by a line fault"),
        "{text}"
    );
}

#[test]
fn a_linkcheck_read_as_a_long_short_frame_does_not_end_the_session() {
    let config = SimConfig::bk7231t();
    // The identify CheckCRC, then the LinkCheck that re-arms the legacy unprotect: its FC doubled
    // reads as a 252-byte short frame, more than a re-sync window of LinkChecks fills.
    let crc = [0x01, 0xE0, 0xFC, 0x09, 0x10];
    let link_fc = host_byte_of(
        &config,
        0x50000..0x51000,
        &crc,
        &[0x01, 0xE0, 0xFC, 0x01, 0x00],
    ) + 2;
    let mut f = flasher(config, Options::default());
    f.transport_mut().sim_mut().add_fault(Fault::HostByte {
        nth: link_fc,
        fault: ByteFault::Duplicate,
    });
    let report = block_on(f.erase(0x50000..0x51000, &mut NoProgress)).expect("recovered");
    assert_eq!(report.count(SectorState::Erased), 1);
}

#[test]
fn a_corrupted_status_byte_is_retried() {
    let config = SimConfig::bk7231t();
    let mut f = flasher(config, Options::default());
    // Reading the bootloader region leaves its copy with the flasher, so the erase below first asks
    // the region's CRC (11 reply bytes) and sends the LinkCheck that lifts its re-protect (8); the
    // status byte is the 11th of the erase reply after those.
    block_on(f.read(0..0x11000, &mut NoProgress)).expect("read the bootloader region");
    let status = f.transport().sim().chip_bytes_sent() + 11 + 8 + 11;
    f.transport_mut().sim_mut().add_fault(Fault::ChipByte {
        nth: status,
        fault: ByteFault::Corrupt,
    });
    let mut rec = Recorder::default();
    block_on(f.erase(0x50000..0x51000, &mut rec)).expect("recovered");
    assert!(rec.has("kind: UnknownStatus"), "{:?}", rec.lines);
}

#[test]
fn a_download_window_missed_at_the_wired_reset_comes_again() {
    let mut f = flasher(SimConfig::bk7231t(), Options::default());
    // Deaf through the plain flood, the flood after the software kicks and the first reset's download window.
    f.transport_mut().sim_mut().add_fault(Fault::Stall {
        when: When::At(Duration::ZERO),
        duration: Some(Duration::from_millis(2900)),
    });
    let mut rec = Recorder::default();
    block_on(f.connect(&mut rec)).expect("linked at a later reset");
    assert!(rec.count("Resetting the chip") >= 2, "{:?}", rec.lines);
}
