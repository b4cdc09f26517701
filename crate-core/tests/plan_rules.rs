//! Flash planner rules: sector merging, read-modify-write holes, blank and matching sectors, block erases,
//! refusals; plus the sector plans expected.json gives for the valid UF2 vectors.

use bkflash_core::crc::chip_crc;
use bkflash_core::image::{analyze, sha256_hex};
use bkflash_core::plan::{
    Erase, KnownSectors, NothingKnown, PlanError, Region, SECTOR, Skip, Target, partial_sectors,
    plan,
};
use serde_json::Value;
use std::path::PathBuf;

const TWO_MIB: Target = Target {
    flash_size: 0x20_0000,
    protected_below: 0x11000,
};

fn region(offset: u32, data: Vec<u8>) -> Region {
    Region { offset, data }
}

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata")
            .join(name),
    )
    .expect("testdata file")
}

#[test]
fn sector_plans_of_the_valid_vectors_match_expected_json() {
    let expected: Value = serde_json::from_slice(&testdata("expected.json")).unwrap();
    for file in [
        "bk7231t_wb2s.uf2",
        "bk7231n_cb2s.uf2",
        "bk7231n_generic_nokey.uf2",
    ] {
        let fw = analyze(&testdata(file)).unwrap();
        let plan = plan(&fw.regions, &TWO_MIB, &NothingKnown).unwrap();
        for run in expected[file]["flasher_sector_plan"].as_array().unwrap() {
            let hex = |key: &str| {
                u32::from_str_radix(run[key].as_str().unwrap().trim_start_matches("0x"), 16)
                    .unwrap()
            };
            let (start, len) = (hex("start"), hex("length"));
            let bytes: Vec<u8> = plan
                .sectors
                .iter()
                .filter(|job| job.addr >= start && job.addr < start + len)
                .flat_map(|job| job.data.iter().copied())
                .collect();
            assert_eq!(bytes.len() as u32, len, "{file} run 0x{start:X}");
            assert_eq!(
                sha256_hex(&bytes),
                run["sha256"].as_str().unwrap(),
                "{file} run 0x{start:X}"
            );
        }
    }
}

#[test]
fn app_and_rbl_trailer_become_sector_jobs_with_the_trailer_sector_partial() {
    let fw = analyze(&testdata("bk7231t_wb2s.uf2")).unwrap();
    let plan = plan(&fw.regions, &TWO_MIB, &NothingKnown).unwrap();
    let addrs: Vec<u32> = plan.sectors.iter().map(|job| job.addr).collect();
    assert_eq!(addrs, [0x11000, 0x12000, 0x129000]);
    assert_eq!(
        plan.erases,
        [
            Erase::Sector(0x11000),
            Erase::Sector(0x12000),
            Erase::Sector(0x129000)
        ]
    );
    assert!(plan.sectors.iter().all(|job| job.skip.is_none()));
    assert_eq!(partial_sectors(&fw.regions), [0x12000, 0x129000]);
}

#[test]
fn two_regions_in_one_sector_are_merged_into_one_job() {
    let regions = [
        region(0x20010, vec![1; 16]),
        region(0x20F00, vec![2; 0x100]),
    ];
    let plan = plan(&regions, &TWO_MIB, &NothingKnown).unwrap();
    assert_eq!(plan.sectors.len(), 1);
    let job = &plan.sectors[0];
    assert_eq!(
        (job.addr, job.partial, job.data.len()),
        (0x20000, true, SECTOR as usize)
    );
    assert_eq!(&job.data[0x10..0x20], &[1; 16]);
    assert_eq!(&job.data[0xF00..], &[2; 0x100][..]);
    assert!(
        job.data[..0x10].iter().all(|&b| b == 0xFF),
        "holes are 0xFF without chip content"
    );
}

#[test]
fn holes_are_filled_from_the_chip_content_when_supplied() {
    let regions = [region(0x30100, vec![7; 0x100])];
    let mut chip = KnownSectors::default();
    chip.bytes
        .insert(0x30000, (0..SECTOR).map(|i| i as u8).collect());
    let job = &plan(&regions, &TWO_MIB, &chip).unwrap().sectors[0];
    assert!(job.partial);
    assert_eq!(job.data[0xFF], 0xFF);
    assert_eq!(job.data[0x200], 0x00);
    assert_eq!(job.data[0x201], 0x01);
    assert_eq!(&job.data[0x100..0x200], &[7; 0x100][..]);
    chip.bytes.insert(0x30000, vec![0; 10]);
    assert_eq!(
        plan(&regions, &TWO_MIB, &chip),
        Err(PlanError::BadSectorRead {
            addr: 0x30000,
            len: 10
        })
    );
}

#[test]
fn blank_sectors_are_erased_but_not_written_and_matching_ones_are_left_alone() {
    let mut data = vec![0xFF; 0x3000];
    data[0x2000..].fill(0x55);
    let regions = [region(0x40000, data)];
    let mut chip = KnownSectors::default();
    chip.crcs
        .insert(0x42000, chip_crc(&[0x55; SECTOR as usize]));
    chip.crcs.insert(0x41000, 0x1234_5678);
    let plan = plan(&regions, &TWO_MIB, &chip).unwrap();
    let skips: Vec<Option<Skip>> = plan.sectors.iter().map(|job| job.skip).collect();
    assert_eq!(
        skips,
        [
            Some(Skip::Blank),
            Some(Skip::Blank),
            Some(Skip::AlreadyMatches)
        ]
    );
    assert_eq!(
        plan.erases,
        [Erase::Sector(0x40000), Erase::Sector(0x41000)]
    );
    let summary = plan.summary();
    assert_eq!(
        (
            summary.write_sectors,
            summary.blank_sectors,
            summary.kept_sectors
        ),
        (0, 2, 1)
    );
    assert_eq!(summary.erase_bytes, 0x2000);
}

#[test]
fn whole_aligned_blocks_use_one_block_erase() {
    let regions = [region(0x1F000, vec![0xA5; 0x12000])];
    let plan = plan(&regions, &TWO_MIB, &NothingKnown).unwrap();
    assert_eq!(
        plan.erases,
        [
            Erase::Sector(0x1F000),
            Erase::Block(0x20000),
            Erase::Sector(0x30000)
        ]
    );
    let summary = plan.summary();
    assert_eq!(
        (
            summary.block_erases,
            summary.sector_erases,
            summary.write_sectors
        ),
        (1, 2, 18)
    );
    assert_eq!(summary.erase_bytes, 0x12000);
    let listing = plan.listing();
    assert_eq!(listing.len(), 18);
    assert_eq!(listing[0], "0x01F000 erase, write");
    assert_eq!(listing[1], "0x020000 erase (in block 0x020000), write");
}

#[test]
fn a_block_with_one_matching_sector_is_erased_sector_by_sector() {
    let regions = [region(0x20000, vec![0xA5; 0x10000])];
    let mut chip = KnownSectors::default();
    chip.crcs
        .insert(0x25000, chip_crc(&[0xA5; SECTOR as usize]));
    let plan = plan(&regions, &TWO_MIB, &chip).unwrap();
    assert_eq!(plan.erases.len(), 15);
    assert!(
        plan.erases
            .iter()
            .all(|e| matches!(e, Erase::Sector(a) if *a != 0x25000))
    );
}

#[test]
fn protected_and_out_of_flash_regions_are_refused_with_the_address() {
    let below = plan(&[region(0x10F00, vec![0; 0x200])], &TWO_MIB, &NothingKnown).unwrap_err();
    assert_eq!(
        below,
        PlanError::Protected {
            addr: 0x10F00,
            limit: 0x11000
        }
    );
    assert!(below.to_string().contains("0x010F00"), "{below}");
    let unaligned_limit = Target {
        flash_size: 0x20_0000,
        protected_below: 0x11800,
    };
    assert!(matches!(
        plan(
            &[region(0x11900, vec![0; 4])],
            &unaligned_limit,
            &NothingKnown
        ),
        Err(PlanError::Protected { .. })
    ));
    let past = plan(
        &[region(0x1FF000, vec![0; 0x1800])],
        &TWO_MIB,
        &NothingKnown,
    )
    .unwrap_err();
    assert_eq!(
        past,
        PlanError::PastFlashEnd {
            addr: 0x1FF000,
            end: 0x200800,
            flash_size: 0x20_0000
        }
    );
    assert!(past.to_string().contains("0x200800"), "{past}");
}

#[test]
fn overlapping_regions_must_agree() {
    let same = [
        region(0x20000, vec![1; 0x20]),
        region(0x20010, vec![1; 0x20]),
    ];
    assert!(plan(&same, &TWO_MIB, &NothingKnown).is_ok());
    let different = [
        region(0x20000, vec![1; 0x20]),
        region(0x20010, vec![2; 0x20]),
    ];
    assert_eq!(
        plan(&different, &TWO_MIB, &NothingKnown),
        Err(PlanError::Overlap { addr: 0x20010 })
    );
}

#[test]
fn summary_text_counts_what_happens() {
    let regions = [
        region(0x20000, vec![0xA5; 0x10000]),
        region(0x30000, vec![0x11; 0x800]),
    ];
    let text = plan(&regions, &TWO_MIB, &NothingKnown)
        .unwrap()
        .summary()
        .to_string();
    assert!(
        text.starts_with("erase 68 KiB (1 block and 1 sector erases), write 17 sectors (68 KiB)"),
        "{text}"
    );
    assert!(
        text.contains("1 sector is only partly covered by the file: its other bytes"),
        "{text}"
    );
}

#[test]
fn the_whole_app_partition_image_erases_in_blocks_and_writes_only_three_sectors() {
    use std::io::Read;
    let mut image = Vec::new();
    flate2::read::GzDecoder::new(&testdata("bk7231t_app_0x011000.rbl.gz")[..])
        .read_to_end(&mut image)
        .unwrap();
    let fw = analyze(&image).unwrap();
    let plan = plan(&fw.regions, &TWO_MIB, &NothingKnown).unwrap();
    let summary = plan.summary();
    assert_eq!(plan.sectors.len(), 0x119, "0x011000..0x12A000");
    assert_eq!((summary.block_erases, summary.sector_erases), (16, 25));
    assert_eq!(
        summary.write_sectors, 3,
        "app sectors 0x11000, 0x12000 and the trailer sector"
    );
    assert_eq!(summary.blank_sectors, 0x119 - 3);
    assert_eq!(
        partial_sectors(&fw.regions),
        [0x129000],
        "the container ends at 0x129F70"
    );
}
