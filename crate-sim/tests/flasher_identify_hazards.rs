//! Identification against the field's hazard presets: BK7231M told from BK7231N by its key, a flash
//! that does not answer, a chip not supported yet, a 4 MiB BK7252 with a blank app, blank bootloaders.

mod flasher_support;

use bkflash_core::chips::ChipFamily;
use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::Options;
use bkflash_core::image::beken::{ARM_VECTOR, AppKey};
use bkflash_core::image::{Firmware, Kind, RefusalKind, check_key};
use bkflash_core::key::KeyKind;
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::{BootloaderKind, SimConfig};
use flasher_support::{Recorder, block_on, flasher};

/// The ARM vector scrambled with the Beken/Tuya key at logical 0x10000 (formats.md §2.3).
const TUYA_VECTOR: [u8; 8] = [0x2F, 0x07, 0xB5, 0x94, 0x35, 0xFF, 0x2A, 0x9B];

fn app_image(vector: [u8; 8]) -> Firmware {
    let mut data = vec![0x5A; 0x1000];
    data[..8].copy_from_slice(&vector);
    Firmware {
        kind: Kind::BekenAppImage,
        family: None,
        uf2_family_id: None,
        tags: Vec::new(),
        regions: vec![Region {
            offset: 0x11000,
            data,
        }],
        notes: Vec::new(),
    }
}

#[test]
fn bk7231m_is_told_from_bk7231n_by_its_all_zero_key() {
    let m = block_on(flasher(SimConfig::bk7231m(), Options::default()).connect(&mut NoProgress))
        .expect("connect");
    assert_eq!(m.chip_id, Some(0x7231C), "same chip id as an N");
    assert_eq!(m.family, Some(ChipFamily::Bk7231M));
    assert_eq!(m.key.map(|k| k.kind()), Some(KeyKind::Zero));
    let n = block_on(flasher(SimConfig::bk7231n(), Options::default()).connect(&mut NoProgress))
        .expect("connect");
    assert_eq!(n.family, Some(ChipFamily::Bk7231N));
    assert_eq!(
        n.key.map(|k| k.hex()).as_deref(),
        Some("510fb093 a3cbeadc 5993a17e c7adeb03")
    );
}

#[test]
fn an_app_for_the_other_key_is_refused_in_one_sentence() {
    let m = block_on(flasher(SimConfig::bk7231m(), Options::default()).connect(&mut NoProgress))
        .expect("connect");
    let m_key = m.key.expect("key read");
    let tuya_app = app_image(TUYA_VECTOR);
    let refusal = check_key(&tuya_app, m.family, &m_key).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::KeyMismatch);
    let sentence = &refusal.message;
    for part in [
        "This BK7231M has an all-zero eFuse key",
        "encrypted with the Beken/Tuya key",
        "flash an unencrypted build made for BK7231M instead",
    ] {
        assert!(
            sentence.contains(part),
            "{part:?} missing from {sentence:?}"
        );
    }
    assert!(sentence.ends_with('.') && sentence.matches(". ").count() == 0);
    assert!(check_key(&app_image(ARM_VECTOR), m.family, &m_key).is_ok());

    let n = block_on(flasher(SimConfig::bk7231n(), Options::default()).connect(&mut NoProgress))
        .expect("connect");
    let n_key = n.key.expect("key read");
    assert!(check_key(&tuya_app, n.family, &n_key).is_ok());
    let refusal = check_key(&app_image(ARM_VECTOR), n.family, &n_key).unwrap_err();
    assert!(
        refusal
            .message
            .contains("flash a build for Tuya BK7231N modules instead"),
        "{}",
        refusal.message
    );
    assert_eq!(
        bkflash_core::image::app_key_of(&tuya_app),
        Some(AppKey::TuyaDefault)
    );
}

#[test]
fn a_silent_flash_is_an_error_not_a_size_guess() {
    let mut f = flasher(SimConfig::dead_flash(), Options::default());
    let mut rec = Recorder::default();
    let err = block_on(f.connect(&mut rec)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::FlashNotAnswering, "{err}");
    assert!(err.render().contains("reads all 0x00"), "{}", err.render());
    assert!(!rec.has("assuming 2 MiB"));
    assert!(
        f.chip().is_none(),
        "no chip card, so no backup and no write"
    );
    assert_eq!(
        block_on(f.read(0..0x1000, &mut NoProgress))
            .unwrap_err()
            .kind,
        ErrorKind::FlashNotAnswering,
        "every job stops at identification"
    );
}

#[test]
fn a_jedec_id_of_zeros_or_ones_is_an_error() {
    for jedec in [[0x00; 3], [0xFF; 3]] {
        let mut f = flasher(
            SimConfig::bk7231n().with_jedec_id(jedec),
            Options::default(),
        );
        let err = block_on(f.connect(&mut NoProgress)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::FlashNotAnswering, "{jedec:02X?}");
        assert!(
            err.render()
                .contains(&format!("JEDEC id {0:02X} {0:02X} {0:02X}", jedec[0])),
            "{}",
            err.render()
        );
    }
}

#[test]
fn a_bk7236_is_refused_as_not_supported_yet() {
    let mut f = flasher(SimConfig::bk7236(), Options::default());
    let err = block_on(f.connect(&mut NoProgress)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ChipNotSupported, "{err}");
    let text = err.render();
    assert!(
        text.contains("not supported yet") && text.contains("0x7236: BK7236/BK7258"),
        "{text}"
    );
    let sent = f.transport().transcript().render();
    assert!(
        !sent.contains("FlashErase") && !sent.contains("FlashWrite"),
        "{sent}"
    );
}

#[test]
fn a_4_mib_bk7252_with_a_blank_app_is_sized_by_its_bootloader_mirrors() {
    let mut f = flasher(SimConfig::bk7252(), Options::default());
    let mut rec = Recorder::default();
    let chip = block_on(f.connect(&mut rec)).expect("connect");
    assert_eq!(chip.family, Some(ChipFamily::Bk7252));
    assert_eq!(chip.flash_size, 0x40_0000);
    assert!(rec.has("app area starts blank"));
    let boot = block_on(f.read(0..0x1000, &mut NoProgress)).expect("read the bootloader");
    assert_eq!(
        boot,
        f.transport().sim().flash().bytes()[..0x1000],
        "the mirror base is right, so the bootloader backup is the bootloader"
    );
}

#[test]
fn a_blank_bootloader_is_reported_on_rom_and_refused_on_legacy() {
    let rom = SimConfig::bk7231n().with_bootloader(BootloaderKind::Blank);
    let mut rec = Recorder::default();
    let chip = block_on(flasher(rom, Options::default()).connect(&mut rec)).expect("ROM links");
    assert!(chip.blank_bootloader);
    assert!(rec.has("bootloader region is blank"));

    let legacy = SimConfig::bk7231t().with_bootloader(BootloaderKind::Blank);
    let err = block_on(flasher(legacy, Options::default()).connect(&mut NoProgress)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::BlankBootloader, "{err}");
}
