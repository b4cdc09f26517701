//! Robustness: `analyze` never panics on arbitrary or mutated input, and whatever it accepts
//! respects the region invariants (sorted, non-overlapping, above the bootloader).

use bkflash_core::chips::{ChipFamily, FAMILIES};
use bkflash_core::image::{analyze, check_chip, uf2};
use proptest::prelude::*;
use std::path::PathBuf;

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata")
            .join(name),
    )
    .expect("testdata file")
}

const SEEDS: &[&str] = &[
    "bk7231t_wb2s.uf2",
    "bk7231n_generic_nokey.uf2",
    "beyond_partition.uf2",
    "bk7231t_app_0x011000.crc",
    "bk7231t_app_0x129F0A.rblh",
    "bk7231t_app.ota.rbl",
];

fn assert_invariants(bytes: &[u8]) {
    if let Ok(fw) = analyze(bytes) {
        assert!(!fw.regions.is_empty());
        for pair in fw.regions.windows(2) {
            assert!(pair[0].offset as u64 + pair[0].data.len() as u64 <= pair[1].offset as u64);
        }
        assert!(fw.regions.iter().all(|r| r.offset >= 0x11000));
        for row in FAMILIES {
            let _ = check_chip(&fw, row.family);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1600)) {
        assert_invariants(&bytes);
    }

    #[test]
    fn arbitrary_uf2_blocks_never_panic(
        blocks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 512), 1..4),
        family in prop_oneof![Just(0x675A_40B0u32), Just(0x7B3E_F230), any::<u32>()],
        flags in prop_oneof![Just(0xA001u32), Just(0xA000), Just(0x2000), Just(0xE000), any::<u32>()],
    ) {
        let count = blocks.len() as u32;
        let mut file = Vec::new();
        for (i, mut block) in blocks.into_iter().enumerate() {
            let words = [0x0A32_4655u32, 0x9E5D_5157, flags, 0, 256, i as u32, count, family];
            for (k, word) in words.iter().enumerate() {
                if k != 3 && k != 4 {
                    block[k * 4..k * 4 + 4].copy_from_slice(&word.to_le_bytes());
                }
            }
            block[508..].copy_from_slice(&0x0AB1_6F30u32.to_le_bytes());
            file.extend(block);
        }
        prop_assert!(uf2::looks_like_uf2(&file));
        assert_invariants(&file);
    }

    #[test]
    fn mutated_vectors_never_panic(
        seed in 0..SEEDS.len(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = testdata(SEEDS[seed]);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        assert_invariants(&bytes);
    }
}

#[test]
fn a_valid_vector_with_a_flipped_payload_byte_is_still_accepted_and_differs() {
    let mut bytes = testdata("bk7231t_wb2s.uf2");
    let original = analyze(&bytes).unwrap();
    bytes[2 * 512 + 40] ^= 0xFF;
    let mutated = analyze(&bytes).unwrap();
    assert_ne!(original.regions[0].data, mutated.regions[0].data);
    assert_eq!(check_chip(&mutated, ChipFamily::Bk7231T), Ok(()));
}
