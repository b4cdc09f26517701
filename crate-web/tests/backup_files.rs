//! Host tests of backup files: a backup from another chip (or a dead flash's read) says what differs
//! before a restore. The names themselves are tested in `bkflash_core::names`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use bkflash_core::chips::ChipFamily;
use bkflash_web::backups::check::{differences, family_by_content, uniform_byte};
use common::chip;

#[test]
fn a_backup_from_another_chip_says_what_differs() {
    let n = chip(ChipFamily::Bk7231N);
    // Not one repeated byte: that alone is refused as a dead flash's read (crate-core/src/uniform.rs).
    let good: Vec<u8> = (0..0x20_0000u32).map(|i| (i % 251) as u8).collect();
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
