//! End-to-end protection on the simulator: status-register unprotect and restore, the legacy
//! re-protect trap, and bootloader/flash-end refusals that send nothing (odd parts and unknown
//! ones: `flasher_status_register.rs`).

mod flasher_support;

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Options, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::SimConfig;
use flasher_support::{Recorder, block_on, class_name as name, flasher, image, presets};

#[test]
fn protected_rom_flash_is_unprotected_before_writing() {
    let mut f = flasher(SimConfig::bk7231n(), Options::default());
    let mut rec = Recorder::default();
    let data = image(11, 0x1000);
    block_on(f.write(
        &[Region {
            offset: 0x30000,
            data: data.clone(),
        }],
        &WriteOptions::default(),
        &mut rec,
    ))
    .expect("write");
    assert_eq!(
        f.transport().sim().flash().status() & 0x407C,
        0,
        "protect bits cleared"
    );
    assert_eq!(
        &f.transport().sim().flash().bytes()[0x30000..0x31000],
        &data[..]
    );
    assert!(rec.has("Stage(Unprotect)"));
}

#[test]
fn protection_is_restored_when_asked() {
    let options = Options {
        restore_protection: true,
        ..Options::default()
    };
    let mut f = flasher(SimConfig::bk7231n(), options);
    block_on(f.write(
        &[Region {
            offset: 0x30000,
            data: image(12, 0x1000),
        }],
        &WriteOptions::default(),
        &mut NoProgress,
    ))
    .expect("write");
    assert_eq!(f.transport().sim().flash().status() & 0xFF, 0x1C);
}

#[test]
fn legacy_writes_survive_the_reprotect_trap() {
    // Several erase units in a row: every CRC re-protects the flash, so each later erase needs a LinkCheck first.
    let mut f = flasher(SimConfig::bk7231t(), Options::default());
    let data = image(5, 0x1000 * 3 + 0x10000);
    block_on(f.write(
        &[Region {
            offset: 0x1D000,
            data: data.clone(),
        }],
        &WriteOptions::default(),
        &mut NoProgress,
    ))
    .expect("write");
    assert_eq!(
        &f.transport().sim().flash().bytes()[0x1D000..0x1D000 + data.len()],
        &data[..]
    );
    let render = f.transport().transcript().render();
    let lines: Vec<&str> = render.lines().collect();
    for (i, line) in lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("FlashErase"))
    {
        let last_crc = lines[..i].iter().rposition(|l| l.starts_with("CheckCRC"));
        let last_link = lines[..i].iter().rposition(|l| l.starts_with("LinkCheck"));
        assert!(
            last_crc < last_link,
            "{line}: a LinkCheck must follow the last CRC"
        );
    }
}

#[test]
fn bootloader_writes_are_refused_before_sending_anything() {
    for config in presets() {
        let mut f = flasher(config.clone(), Options::default());
        block_on(f.connect(&mut NoProgress)).expect("connect");
        f.transport_mut().transcript_mut().clear();
        let err = block_on(f.write(
            &[Region {
                offset: 0x10000,
                data: image(1, 0x2000),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::BootloaderRefused, "{}", name(&config));
        assert_eq!(err.address, Some(0x10000));
        assert!(
            f.transport().transcript().host_bytes().is_empty(),
            "no byte sent for a refused write"
        );
        let err = block_on(f.erase(0x0..0x1000, &mut NoProgress)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BootloaderRefused);
        assert!(f.transport().transcript().host_bytes().is_empty());
    }
}

#[test]
fn the_bootloader_override_works_on_rom_class_only() {
    let options = Options {
        allow_bootloader: true,
        ..Options::default()
    };
    let mut rom = flasher(SimConfig::bk7231n(), options.clone());
    let data = image(2, 0x1000);
    block_on(rom.write(
        &[Region {
            offset: 0x1000,
            data: data.clone(),
        }],
        &WriteOptions::default(),
        &mut NoProgress,
    ))
    .expect("ROM override");
    assert_eq!(
        &rom.transport().sim().flash().bytes()[0x1000..0x2000],
        &data[..]
    );

    let mut legacy = flasher(SimConfig::bk7231t(), options);
    let err = block_on(legacy.write(
        &[Region {
            offset: 0x1000,
            data,
        }],
        &WriteOptions::default(),
        &mut NoProgress,
    ))
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BootloaderRefused);
}

#[test]
fn writes_past_the_flash_end_are_refused() {
    let mut f = flasher(
        SimConfig::bk7231n().with_flash_size(0x10_0000),
        Options::default(),
    );
    let err = block_on(f.write(
        &[Region {
            offset: 0xFF000,
            data: image(1, 0x2000),
        }],
        &WriteOptions::default(),
        &mut NoProgress,
    ))
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BeyondFlash);
}
