//! Host tests of the plan's words and of which chip a file may go to: the words count the erases
//! the executor sends; a manifest build binds to the chip the manifest names.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use bkflash_core::chips::{ChipFamily, ProtocolClass};
use bkflash_core::crc::chip_crc_of_blank;
use bkflash_core::plan::{KnownSectors, Plan, Region, SECTOR, Target, plan};
use bkflash_web::firmware::{
    PlanKey, PreparedPlan, chip_refusal, erase_counts, load, plan_words, promised_kind_refusal,
};
use bkflash_web::manifest::ImageKind;
use common::chip;

/// A plan over `sectors` consecutive sectors from `start`, which the chip shows blank.
fn blank_on_chip_plan(start: u32, sectors: u32) -> Plan {
    let mut known = KnownSectors::default();
    for k in 0..sectors {
        known
            .crcs
            .insert(start + k * SECTOR, chip_crc_of_blank(SECTOR as usize));
    }
    let region = Region {
        offset: start,
        data: vec![0x5A; (sectors * SECTOR) as usize],
    };
    let target = Target {
        flash_size: 0x20_0000,
        protected_below: 0x11000,
    };
    plan(&[region], &target, &known).unwrap()
}

#[test]
fn the_words_count_the_erases_the_executor_sends() {
    // Three blank sectors in one block: no erase on the ROM class, one run erase on the legacy class.
    let inside = blank_on_chip_plan(0x20000, 3);
    assert_eq!(erase_counts(&inside, ProtocolClass::Rom), (0, 0));
    assert_eq!(erase_counts(&inside, ProtocolClass::Legacy), (0, 1));
    // A run crossing a 64 KiB boundary is two runs.
    let across = blank_on_chip_plan(0x2F000, 2);
    assert_eq!(erase_counts(&across, ProtocolClass::Legacy), (0, 2));
    // Nothing known about the chip: a whole block is one block erase, the rest sector erases.
    let target = Target {
        flash_size: 0x20_0000,
        protected_below: 0x11000,
    };
    let region = Region {
        offset: 0x1F000,
        data: vec![0x5A; 0x12000],
    };
    let fresh = plan(&[region], &target, &KnownSectors::default()).unwrap();
    assert_eq!(erase_counts(&fresh, ProtocolClass::Rom), (1, 2));
    let words = plan_words(
        &PreparedPlan {
            key: PlanKey {
                link: 1,
                file: 1,
                flash: 0,
            },
            plan: fresh,
            baud: 921_600,
        },
        ProtocolClass::Rom,
        0x20_0000,
        true,
    );
    assert_eq!(
        words.erased,
        "Erased: 72 KiB in 1 block erase (64 KiB) and 2 sector erases (4 KiB)."
    );
    assert!(
        words.written.starts_with("Written: 18 sectors (72 KiB)"),
        "{}",
        words.written
    );
    assert!(words.kept.starts_with("Kept: 0 sectors"), "{}", words.kept);
    assert!(
        words.time.starts_with("Time: about ") && words.time.contains("for the backup first"),
        "{}",
        words.time
    );
}

#[test]
fn a_manifest_build_goes_only_to_the_chip_the_manifest_names() {
    let uf2 = load(
        String::from("fw.uf2"),
        include_bytes!("../../testdata/bk7231n_cb2s.uf2"),
    );
    let firmware = uf2.analysis.unwrap();
    let n = chip(ChipFamily::Bk7231N);
    let t = chip(ChipFamily::Bk7231T);
    assert_eq!(chip_refusal(&firmware, Some(ChipFamily::Bk7231N), &n), None);
    let refused = chip_refusal(&firmware, Some(ChipFamily::Bk7231N), &t).unwrap();
    assert!(
        refused.contains("This build is for BK7231N") && refused.contains("chip is BK7231T"),
        "{refused}"
    );
    // A file that names no chip (an OpenBeken image) is refused by the manifest's family alone.
    let mut unnamed = firmware.clone();
    unnamed.family = None;
    unnamed.uf2_family_id = None;
    assert_eq!(chip_refusal(&unnamed, None, &t), None);
    assert!(chip_refusal(&unnamed, Some(ChipFamily::Bk7231N), &t).is_some());
}

#[test]
fn a_file_of_another_kind_than_the_manifest_promised_is_refused_in_words() {
    let uf2 = load(
        String::from("fw.uf2"),
        include_bytes!("../../testdata/bk7231n_cb2s.uf2"),
    );
    assert_eq!(promised_kind_refusal(&uf2, ImageKind::LibretinyUf2), None);
    let refused = promised_kind_refusal(&uf2, ImageKind::OpenbekenQio).unwrap();
    assert_eq!(
        refused,
        "The manifest promises a Flash image from address 0 (OpenBeken QIO) file but fw.uf2 is a \
         LibreTiny / ESPHome firmware package (UF2); tell the firmware's publisher."
    );
}
