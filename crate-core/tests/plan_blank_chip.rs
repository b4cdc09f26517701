//! Planner rules for sectors the chip's CRC shows blank: written without an erase and never inside
//! a block erase; a plan is a no-op only when every sector already matches.

use bkflash_core::crc::{chip_crc, chip_crc_of_blank};
use bkflash_core::plan::{BLOCK, Erase, KnownSectors, Region, SECTOR, Skip, Target, plan};

const TWO_MIB: Target = Target {
    flash_size: 0x20_0000,
    protected_below: 0x11000,
};

/// A block at 0x20000 of non-blank content whose sector 0x23000 is blank on the chip, the rest unknown.
fn block_with_one_blank_sector() -> (Vec<Region>, KnownSectors) {
    let regions = vec![Region {
        offset: 0x20000,
        data: vec![0x42; BLOCK as usize],
    }];
    let mut chip = KnownSectors::default();
    chip.crcs
        .insert(0x23000, chip_crc_of_blank(SECTOR as usize));
    (regions, chip)
}

#[test]
fn sectors_blank_on_the_chip_are_written_without_an_erase() {
    let (regions, chip) = block_with_one_blank_sector();
    let plan = plan(&regions, &TWO_MIB, &chip).unwrap();
    let blank = plan.sectors.iter().find(|job| job.addr == 0x23000).unwrap();
    assert_eq!((blank.skip, blank.erase), (None, false));
    assert!(
        plan.sectors
            .iter()
            .filter(|job| job.addr != 0x23000)
            .all(|job| job.erase)
    );
    assert_eq!(
        plan.erases.len(),
        15,
        "no block erase over a sector that needs none"
    );
    assert!(!plan.erases.contains(&Erase::Sector(0x23000)));
    assert!(!plan.is_noop());
    assert!(
        plan.listing()[3].contains("no erase"),
        "{:?}",
        plan.listing()[3]
    );
}

#[test]
fn a_plan_is_a_noop_only_when_every_sector_already_matches() {
    let data = vec![0x42; SECTOR as usize];
    let regions = [Region {
        offset: 0x30000,
        data: data.clone(),
    }];
    let mut chip = KnownSectors::default();
    chip.crcs.insert(0x30000, chip_crc(&data));
    let matching = plan(&regions, &TWO_MIB, &chip).unwrap();
    assert_eq!(matching.sectors[0].skip, Some(Skip::AlreadyMatches));
    assert!(matching.is_noop() && matching.erases.is_empty());
    chip.crcs
        .insert(0x30000, chip_crc_of_blank(SECTOR as usize));
    let blank = plan(&regions, &TWO_MIB, &chip).unwrap();
    assert!(!blank.is_noop() && blank.erases.is_empty());
}
