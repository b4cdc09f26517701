//! Planner invariants on random region sets and chip states: every region byte lands in its sector,
//! nothing outside the allowed range is touched, and erases cover exactly the sectors that need one.

use bkflash_core::crc::chip_crc;
use bkflash_core::plan::{
    BLOCK, Erase, KnownSectors, Plan, PlanError, Region, SECTOR, Skip, Target, partial_sectors,
    plan,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

const TARGET: Target = Target {
    flash_size: 0x8_0000,
    protected_below: 0x11000,
};

/// Non-overlapping regions: (gap before, length, fill) triples laid out left to right from 0x11000.
fn regions() -> impl Strategy<Value = Vec<Region>> {
    let piece = (
        0u32..0x3000,
        1usize..0x5000,
        prop_oneof![Just(None), Just(Some(0xFFu8)), any::<u8>().prop_map(Some)],
    );
    proptest::collection::vec(piece, 1..5).prop_map(|pieces| {
        let mut at = 0x11000u32;
        let mut out = Vec::new();
        for (gap, len, fill) in pieces {
            at += gap;
            let data = match fill {
                Some(byte) => vec![byte; len],
                None => (0..len).map(|i| (i as u32 ^ at) as u8).collect(),
            };
            out.push(Region { offset: at, data });
            at += len as u32;
        }
        out
    })
}

fn check_invariants(regions: &[Region], chip: &KnownSectors, plan: &Plan) {
    let addrs: Vec<u32> = plan.sectors.iter().map(|job| job.addr).collect();
    assert!(
        addrs.windows(2).all(|w| w[0] < w[1]),
        "ascending and unique"
    );
    for job in &plan.sectors {
        assert_eq!(job.addr % SECTOR, 0);
        assert_eq!(job.data.len(), SECTOR as usize);
        assert!(job.addr >= TARGET.protected_below && job.addr + SECTOR <= TARGET.flash_size);
        match job.skip {
            Some(Skip::Blank) => assert!(job.data.iter().all(|&b| b == 0xFF)),
            None => assert!(
                job.data.iter().any(|&b| b != 0xFF),
                "a blank sector is never written"
            ),
            Some(Skip::AlreadyMatches) => {
                assert_eq!(chip.crcs.get(&job.addr), Some(&chip_crc(&job.data)))
            }
        }
    }
    let mut covered = BTreeSet::new();
    for region in regions {
        for (i, &byte) in region.data.iter().enumerate() {
            let addr = region.offset + i as u32;
            let job = &plan.sectors[addrs
                .binary_search(&(addr - addr % SECTOR))
                .expect("sector planned")];
            assert_eq!(job.data[(addr % SECTOR) as usize], byte);
            covered.insert(addr);
        }
    }
    for job in &plan.sectors {
        let full = (job.addr..job.addr + SECTOR).all(|a| covered.contains(&a));
        assert_eq!(job.partial, !full);
        if let Some(old) = chip.bytes.get(&job.addr).filter(|_| job.partial) {
            let hole = (0..SECTOR)
                .find(|o| !covered.contains(&(job.addr + o)))
                .expect("a hole");
            assert_eq!(
                job.data[hole as usize], old[hole as usize],
                "holes keep the chip's bytes"
            );
        }
    }
    let partial: Vec<u32> = plan
        .sectors
        .iter()
        .filter(|job| job.partial)
        .map(|job| job.addr)
        .collect();
    assert_eq!(partial_sectors(regions), partial);
    let mut erased = Vec::new();
    for erase in &plan.erases {
        match *erase {
            Erase::Sector(addr) => erased.push(addr),
            Erase::Block(addr) => {
                assert_eq!(addr % BLOCK, 0);
                erased.extend((0..BLOCK / SECTOR).map(|k| addr + k * SECTOR));
            }
        }
    }
    let needing: Vec<u32> = plan
        .sectors
        .iter()
        .filter(|job| job.skip != Some(Skip::AlreadyMatches))
        .map(|job| job.addr)
        .collect();
    assert_eq!(
        erased, needing,
        "erases cover exactly the sectors that need erasing, in order"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn plans_keep_every_invariant(
        regions in regions(),
        read in proptest::collection::vec(any::<bool>(), 0..32),
        matching in proptest::collection::vec(any::<bool>(), 0..32),
    ) {
        let mut chip = KnownSectors::default();
        for (sector, _) in partial_sectors(&regions).into_iter().zip(&read).filter(|(_, r)| **r) {
            chip.bytes.insert(sector, (0..SECTOR).map(|i| (i * 13) as u8).collect());
        }
        match plan(&regions, &TARGET, &chip) {
            Ok(first) => {
                check_invariants(&regions, &chip, &first);
                for (job, _) in first.sectors.iter().zip(&matching).filter(|(_, m)| **m) {
                    chip.crcs.insert(job.addr, chip_crc(&job.data));
                }
                let second = plan(&regions, &TARGET, &chip).expect("same regions plan again");
                check_invariants(&regions, &chip, &second);
            }
            Err(PlanError::PastFlashEnd { addr, end, .. }) => {
                prop_assert!(end > u64::from(TARGET.flash_size));
                prop_assert!(regions.iter().any(|r| r.offset == addr));
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn regions_below_the_protected_limit_are_refused(offset in 0u32..0x11000, len in 1usize..0x2000) {
        let refused = plan(&[Region { offset, data: vec![0; len] }], &TARGET, &KnownSectors::default());
        prop_assert_eq!(refused, Err(PlanError::Protected { addr: offset, limit: 0x11000 }));
    }
}
