//! The shared test vectors (testdata/): valid UF2s give exactly the regions of expected.json,
//! every malformed UF2 and side format is refused with its own kind.

use bkflash_core::chips::ChipFamily;
use bkflash_core::image::{Kind, analyze, check_chip, sha256_hex};
use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;

fn testdata(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn expected() -> Value {
    serde_json::from_slice(&testdata("expected.json")).expect("expected.json parses")
}

fn hex_u32(value: &Value) -> u32 {
    u32::from_str_radix(
        value.as_str().expect("hex string").trim_start_matches("0x"),
        16,
    )
    .expect("hex number")
}

fn refusal_name(file: &str) -> &'static str {
    match analyze(&testdata(file)) {
        Ok(fw) => panic!("{file} was accepted as {:?}", fw.kind),
        Err(refusal) => refusal.kind.name(),
    }
}

const VALID_UF2: &[(&str, ChipFamily, &str)] = &[
    ("bk7231t_wb2s.uf2", ChipFamily::Bk7231T, "wb2s"),
    ("bk7231n_cb2s.uf2", ChipFamily::Bk7231N, "cb2s"),
    (
        "bk7231n_generic_nokey.uf2",
        ChipFamily::Bk7231N,
        "generic-bk7231n-qfn32",
    ),
];

#[test]
fn valid_uf2s_give_exactly_the_expected_flasher_regions() {
    let expected = expected();
    for &(file, chip, board) in VALID_UF2 {
        let fw = analyze(&testdata(file)).unwrap_or_else(|r| panic!("{file}: {r}"));
        assert_eq!(fw.kind, Kind::LibretinyUf2, "{file}");
        assert_eq!(fw.family, Some(chip), "{file}");
        assert_eq!(
            fw.uf2_family_id,
            Some(hex_u32(&expected[file]["family_id"])),
            "{file}"
        );
        let want = expected[file]["flasher_regions"]
            .as_array()
            .expect("flasher_regions");
        assert_eq!(fw.regions.len(), want.len(), "{file}");
        for (got, want) in fw.regions.iter().zip(want) {
            assert_eq!(got.offset, hex_u32(&want["offset"]), "{file}");
            assert_eq!(
                got.data.len() as u64,
                want["length"].as_u64().unwrap(),
                "{file}"
            );
            assert_eq!(
                sha256_hex(&got.data),
                want["sha256"].as_str().unwrap(),
                "{file}"
            );
        }
        let tag = |name: &str| {
            fw.tags
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(tag("board"), Some(board), "{file}");
        assert_eq!(tag("firmware"), Some("testfw"));
        assert_eq!(tag("version"), Some("1.2.3"));
        assert_eq!(tag("lt_version"), Some("1.13.0"));
        assert_eq!(tag("build_date"), Some("1700000000"));
        assert_eq!(tag("ota_format"), Some("2"));
        assert!(
            tag("partitions").unwrap().starts_with("app 0x011000+0x"),
            "{file}"
        );
    }
}

#[test]
fn device_id_and_partition_table_are_decoded() {
    let fw = analyze(&testdata("bk7231n_cb2s.uf2")).unwrap();
    let tag = |name: &str| {
        fw.tags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(tag("device_id").as_deref(), Some("0xF6BBC537"));
    assert_eq!(
        tag("partitions").as_deref(),
        Some("app 0x011000+0x119000, download 0x12A000+0xA6000")
    );
    assert_eq!(tag("ota_part_list").as_deref(), Some("100100"));
}

#[test]
fn key_note_follows_the_app_vector() {
    let tuya = analyze(&testdata("bk7231t_wb2s.uf2")).unwrap();
    assert!(
        tuya.notes.iter().any(|n| n.contains("default key")),
        "{:?}",
        tuya.notes
    );
    let plain = analyze(&testdata("bk7231n_generic_nokey.uf2")).unwrap();
    assert!(
        plain.notes.iter().any(|n| n.contains("not encrypted")),
        "{:?}",
        plain.notes
    );
}

/// Includes the four files ltchiptool 4.15.0 accepts or parses (truncated_at_block, wrong_family_rtl8710b,
/// missing_part_info, beyond_flash): our strict rules refuse them, as docs/formats.md §1.8 requires.
const MALFORMED_UF2: &[(&str, &str)] = &[
    ("bad_magic_start.uf2", "bad_magic_start"),
    ("bad_magic_end.uf2", "bad_magic_end"),
    ("truncated_mid_block.uf2", "truncated_mid_block"),
    ("truncated_at_block.uf2", "block_count_mismatch"),
    ("wrong_family_rtl8710b.uf2", "wrong_family"),
    ("unknown_family.uf2", "unknown_family"),
    ("mixed_family.uf2", "mixed_family"),
    ("out_of_order.uf2", "out_of_order"),
    ("no_format2_tag.uf2", "no_format2_tag"),
    ("missing_part_info.uf2", "data_before_part_info"),
    ("beyond_partition.uf2", "beyond_partition"),
    ("beyond_flash.uf2", "beyond_flash"),
];

#[test]
fn every_malformed_uf2_is_refused_with_its_own_kind() {
    for &(file, kind) in MALFORMED_UF2 {
        assert_eq!(refusal_name(file), kind, "{file}");
    }
    let mut kinds: Vec<&str> = MALFORMED_UF2.iter().map(|(_, kind)| *kind).collect();
    kinds.dedup();
    assert_eq!(
        kinds.len(),
        MALFORMED_UF2.len(),
        "one kind per malformed vector"
    );
}

#[test]
fn refusal_messages_name_the_block_and_the_numbers() {
    let message = |file: &str| analyze(&testdata(file)).unwrap_err().message;
    assert!(message("bad_magic_start.uf2").contains("block 3"));
    assert!(message("bad_magic_end.uf2").contains("block 5"));
    assert!(message("truncated_at_block.uf2").contains("52 blocks, the file has 10"));
    assert!(message("wrong_family_rtl8710b.uf2").contains("RTL8710B"));
    assert!(message("unknown_family.uf2").contains("0x12345678"));
    assert!(message("mixed_family.uf2").contains("block 4"));
    assert!(message("out_of_order.uf2").contains("index 3 (found 4)"));
    assert!(message("missing_part_info.uf2").contains("block 1"));
    assert!(message("beyond_partition.uf2").contains("block 2"));
    assert!(message("beyond_flash.uf2").contains("0x1FF000+0x1800 ends at 0x200800"));
}

const SIDE_FORMATS: &[(&str, &str)] = &[
    ("bk7231t_app_raw.bin", "raw_app"),
    ("bk7231t_app_0x011000.crc", "crc_fragment"),
    ("bk7231t_app_0x129F0A.rblh", "rblh_fragment"),
    ("bk7231t_app.ota.rbl", "beken_ota_rbl"),
    ("bk7231t_app.ota.ug.bin", "tuya_ug"),
    ("bk7231t_app_0x011000.rbl.gz", "compressed"),
];

#[test]
fn side_formats_are_classified_and_refused() {
    for &(file, kind) in SIDE_FORMATS {
        assert_eq!(refusal_name(file), kind, "{file}");
    }
}

#[test]
fn app_partition_image_is_written_as_is_at_0x11000() {
    let mut image = Vec::new();
    flate2::read::GzDecoder::new(&testdata("bk7231t_app_0x011000.rbl.gz")[..])
        .read_to_end(&mut image)
        .unwrap();
    let fw = analyze(&image).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(fw.kind, Kind::BekenAppImage);
    assert_eq!(fw.regions.len(), 1);
    assert_eq!(fw.regions[0].offset, 0x11000);
    assert_eq!(fw.regions[0].data.len(), 0x118F70);
    assert_eq!(
        sha256_hex(&fw.regions[0].data),
        "272794de16c26f23ebdfcf273c772df359cedf447500ef62085ba26526a870e1"
    );
    assert!(
        fw.tags
            .contains(&("rbl_version".into(), "23.11.14-bk7231t".into()))
    );
    assert_eq!(
        fw.family,
        Some(ChipFamily::Bk7231T),
        "named by the trailer's version suffix"
    );
    assert!(check_chip(&fw, ChipFamily::Bk7231T).is_ok());
    assert!(check_chip(&fw, ChipFamily::Bk7231U).is_ok());
    assert_eq!(
        check_chip(&fw, ChipFamily::Bk7231N)
            .unwrap_err()
            .kind
            .name(),
        "chip_mismatch"
    );
}

#[test]
fn uf2_family_must_match_the_chip() {
    let t = analyze(&testdata("bk7231t_wb2s.uf2")).unwrap();
    assert!(check_chip(&t, ChipFamily::Bk7231T).is_ok());
    assert!(
        check_chip(&t, ChipFamily::Bk7231U).is_ok(),
        "T and U share a UF2 family"
    );
    let refusal = check_chip(&t, ChipFamily::Bk7231N).unwrap_err();
    assert_eq!(refusal.kind.name(), "chip_mismatch");
    assert!(
        refusal
            .message
            .starts_with("This firmware is for a BK7231T; your chip is a BK7231N"),
        "{}",
        refusal.message
    );
    let n = analyze(&testdata("bk7231n_cb2s.uf2")).unwrap();
    assert_eq!(
        check_chip(&n, ChipFamily::Bk7231T).unwrap_err().kind.name(),
        "chip_mismatch"
    );
    assert_eq!(
        check_chip(&n, ChipFamily::Bk7231M).unwrap_err().kind.name(),
        "chip_mismatch"
    );
}
