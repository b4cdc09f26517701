//! Browser tests of what keeps the page safe: the plan runs only for the chip, file and flash it
//! was made from; its words count the erases the executor sends; manifest builds bind to their chip;
//! backup names and contents are checked against the chip before a restore.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use bkflash_core::chips::{ChipFamily, ProtocolClass};
use bkflash_core::crc::chip_crc_of_blank;
use bkflash_core::flasher::{ChipInfo, LINK_BAUD, Protection};
use bkflash_core::plan::{KnownSectors, Plan, Region, SECTOR, Target, plan};
use bkflash_web::backups::check::{differences, family_by_content, uniform_byte};
use bkflash_web::files::{BackupTags, backup_tags};
use bkflash_web::session::{PlanState, PreparedPlan, Session};
use bkflash_web::ui::firmware::{chip_refusal, load};
use bkflash_web::ui::plan::{erase_counts, plan_words};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn chip(family: ChipFamily) -> ChipInfo {
    ChipInfo {
        family: Some(family),
        class: family.class(),
        bootloader: None,
        bootloader_crc: 0,
        boot_version: None,
        chip_id: None,
        jedec: (family.class() == ProtocolClass::Rom).then_some([0xEB, 0x60, 0x15]),
        flash: None,
        flash_size: 0x20_0000,
        protection: Protection::Unprotected,
        baud: LINK_BAUD,
        key: None,
        blank_bootloader: false,
    }
}

fn linked(session: Session, family: ChipFamily, file: &'static [u8]) {
    session.chip.set(Some(chip(family)));
    session.link_id.update(|l| *l += 1);
    session
        .file
        .set(Some(Arc::new(load(String::from("fw.uf2"), file))));
}

fn ready(session: Session) {
    let key = session.plan_key().expect("a plan may be made");
    session.plan.set(PlanState::Ready(Arc::new(PreparedPlan {
        key,
        plan: Plan::default(),
        baud: LINK_BAUD,
    })));
}

#[wasm_bindgen_test]
fn a_plan_runs_only_for_the_chip_file_and_flash_it_was_made_from() {
    let session = Session::new();
    let file = include_bytes!("../../testdata/bk7231n_cb2s.uf2");
    linked(session, ChipFamily::Bk7231N, file);
    ready(session);
    assert!(session.ready_plan().is_some());

    session
        .file
        .set(Some(Arc::new(load(String::from("fw.uf2"), file))));
    assert!(
        session.ready_plan().is_none(),
        "the same bytes loaded again are another file"
    );
    ready(session);
    session.flash_epoch.update(|e| *e += 1);
    assert!(session.ready_plan().is_none(), "the flash changed");
    ready(session);
    session.link_id.update(|l| *l += 1);
    assert!(session.ready_plan().is_none(), "another Connect");
    ready(session);
    session.chip.set(Some(chip(ChipFamily::Bk7231T)));
    assert!(
        session.plan_key().is_none() && session.ready_plan().is_none(),
        "a BK7231N build is not planned for a BK7231T"
    );
}

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

#[wasm_bindgen_test]
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
            key: bkflash_web::session::PlanKey {
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

#[wasm_bindgen_test]
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

#[wasm_bindgen_test]
fn backup_names_are_read_back_as_chip_flash_and_date() {
    let tags = BackupTags {
        chip: String::from("bk7231n"),
        flash: String::from("eb6015"),
        taken: String::from("2026-11-24 12:00:05"),
    };
    assert_eq!(
        backup_tags("bkflash-backup-bk7231n-eb6015-20261124-120005.bin"),
        Some(tags.clone())
    );
    assert_eq!(
        backup_tags("bkflash-backup-bk7231n-eb6015-20261124-120005 (1).bin"),
        Some(tags),
        "a browser's second download"
    );
    assert_eq!(
        backup_tags("bkflash-backup-unknown-nojedec-20261124-010203.bin").map(|t| t.flash),
        Some(String::from("nojedec"))
    );
    assert_eq!(backup_tags("firmware.bin"), None);
    assert_eq!(backup_tags("bkflash-backup-bk7231n-eb6015-2026.bin"), None);
}

#[wasm_bindgen_test]
fn a_backup_from_another_chip_says_what_differs() {
    let n = chip(ChipFamily::Bk7231N);
    let good = vec![0x12; 0x20_0000];
    assert!(
        differences(
            "bkflash-backup-bk7231n-eb6015-20261124-120005.bin",
            &good,
            &n
        )
        .is_empty()
    );
    assert!(differences("my-dump.bin", &good, &n).is_empty());

    let found = differences(
        "bkflash-backup-bk7231t-flash-20261124-120005.bin",
        &good[..0x10_0000],
        &n,
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("its size is 1048576 bytes but this chip's flash is 2097152 bytes"));
    assert!(found[1].contains("comes from a BK7231T but this chip is a BK7231N"));

    let other_flash = differences(
        "bkflash-backup-bk7231n-c84015-20261124-120005.bin",
        &good,
        &n,
    );
    assert_eq!(
        other_flash,
        ["its name says flash c84015 but this chip has flash eb6015"]
    );
    let dead = differences("dump.bin", &vec![0xFF; 0x20_0000], &n);
    assert!(dead[0].contains("every byte of it is 0xFF"), "{dead:?}");
    assert_eq!(uniform_byte(&[0, 0, 1]), None);
    assert_eq!(family_by_content(&good), None);
}
