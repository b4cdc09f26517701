//! Strict UF2 rules (docs/formats.md §1.8) on small packages built here, one per case the vectors lack:
//! flags, payload size, tags, part info, partitions, BINPATCH, overlap, bootloader, OTA-only.

use bkflash_core::image::{analyze, sha256_hex};

const FAMILY_T: u32 = 0x675A_40B0;
const NOT_MAIN_FLASH: u32 = 0x1;
const FAMILY_PRESENT: u32 = 0x2000;
const TAGS: u32 = 0x8000;

const OTA_FORMAT_2: u32 = 0x6C_8492;
const OTA_PART_LIST: u32 = 0x6E_C68A;
const OTA_PART_INFO: u32 = 0xC0_EE0C;
const BOARD: u32 = 0xCA_25C8;
const FAL_PTABLE: u32 = 0x82_88ED;
const BINPATCH: u32 = 0xB9_48DE;

struct Block {
    flags: u32,
    address: u32,
    payload: Vec<u8>,
    /// Raw tag area bytes, placed after the payload at the next 4-byte boundary.
    tag_area: Vec<u8>,
}

fn tags(list: &[(u32, &[u8])]) -> Vec<u8> {
    let mut area = Vec::new();
    for (kind, data) in list {
        area.push((4 + data.len()) as u8);
        area.extend_from_slice(&kind.to_le_bytes()[..3]);
        area.extend_from_slice(data);
        area.resize(area.len().next_multiple_of(4), 0);
    }
    area
}

fn fal(parts: &[(&str, u32, u32)]) -> Vec<u8> {
    let mut table = Vec::new();
    for (name, offset, length) in parts {
        let mut entry = vec![0u8; 48];
        entry[..4].copy_from_slice(&0x4550_3130u32.to_le_bytes());
        entry[4..4 + name.len()].copy_from_slice(name.as_bytes());
        entry[20..26].copy_from_slice(b"flash0");
        entry[36..40].copy_from_slice(&offset.to_le_bytes());
        entry[40..44].copy_from_slice(&length.to_le_bytes());
        table.extend(entry);
    }
    table
}

/// OTA_PART_INFO data sending FLASHER_SINGLE (scheme 3) to `name`.
fn flasher_part(name: &str) -> Vec<u8> {
    let mut info = vec![0x00, 0x01, 0x00];
    info.extend_from_slice(name.as_bytes());
    info.push(0);
    info
}

fn header(list: &[(u32, &[u8])]) -> Block {
    Block {
        flags: NOT_MAIN_FLASH | FAMILY_PRESENT | TAGS,
        address: 0,
        payload: vec![],
        tag_area: tags(list),
    }
}

fn standard_header() -> Block {
    let table = fal(&[("app", 0x11000, 0x121000), ("download", 0x132000, 0xA6000)]);
    header(&[(OTA_FORMAT_2, &[2]), (BOARD, b"wb2s"), (FAL_PTABLE, &table)])
}

fn data(address: u32, payload: Vec<u8>, list: &[(u32, &[u8])]) -> Block {
    let flags = FAMILY_PRESENT | if list.is_empty() { 0 } else { TAGS };
    Block {
        flags,
        address,
        payload,
        tag_area: tags(list),
    }
}

fn encode(blocks: &[Block]) -> Vec<u8> {
    let mut file = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let mut raw = [0u8; 512];
        let words = [
            0x0A32_4655,
            0x9E5D_5157,
            block.flags,
            block.address,
            block.payload.len() as u32,
            i as u32,
            blocks.len() as u32,
            FAMILY_T,
        ];
        for (k, word) in words.iter().enumerate() {
            raw[k * 4..k * 4 + 4].copy_from_slice(&word.to_le_bytes());
        }
        raw[32..32 + block.payload.len()].copy_from_slice(&block.payload);
        let tags_at = (32 + block.payload.len()).next_multiple_of(4);
        raw[tags_at..tags_at + block.tag_area.len()].copy_from_slice(&block.tag_area);
        raw[508..].copy_from_slice(&0x0AB1_6F30u32.to_le_bytes());
        file.extend_from_slice(&raw);
    }
    file
}

fn refusal(blocks: &[Block]) -> String {
    let refused = analyze(&encode(blocks))
        .map(|fw| panic!("accepted: {:?}", fw.regions.len()))
        .unwrap_err();
    assert!(refused.message.ends_with('.'), "{}", refused.message);
    refused.kind.name().to_string()
}

fn app_info() -> Vec<u8> {
    flasher_part("app")
}

#[test]
fn a_minimal_package_built_here_is_accepted() {
    let info = app_info();
    let blocks = [
        standard_header(),
        data(0, vec![1; 256], &[(OTA_PART_INFO, &info)]),
        data(0x100, vec![2; 10], &[]),
    ];
    let fw = analyze(&encode(&blocks)).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(fw.regions.len(), 1);
    assert_eq!(fw.regions[0].offset, 0x11000);
    let mut want = vec![1; 256];
    want.extend([2; 10]);
    assert_eq!(sha256_hex(&fw.regions[0].data), sha256_hex(&want));
}

#[test]
fn flags_and_payload_size_are_checked_on_every_block() {
    let info = app_info();
    let mut container = data(0, vec![1; 16], &[(OTA_PART_INFO, &info)]);
    container.flags |= 0x1000;
    assert_eq!(refusal(&[standard_header(), container]), "bad_flags");
    let mut no_family = data(0, vec![1; 16], &[(OTA_PART_INFO, &info)]);
    no_family.flags &= !FAMILY_PRESENT;
    assert_eq!(refusal(&[standard_header(), no_family]), "bad_flags");
    let mut file = encode(&[
        standard_header(),
        data(0, vec![1; 16], &[(OTA_PART_INFO, &info)]),
    ]);
    file[512 + 16..512 + 20].copy_from_slice(&469u32.to_le_bytes());
    assert_eq!(analyze(&file).unwrap_err().kind.name(), "bad_payload_size");
}

#[test]
fn block_counts_must_agree_everywhere() {
    let info = app_info();
    let mut file = encode(&[
        standard_header(),
        data(0, vec![1; 16], &[(OTA_PART_INFO, &info)]),
    ]);
    file[512 + 24] = 3;
    assert_eq!(
        analyze(&file).unwrap_err().kind.name(),
        "block_count_mismatch"
    );
    file[24] = 1;
    file[512 + 24] = 1;
    let refused = analyze(&file).unwrap_err();
    assert_eq!(refused.kind.name(), "block_count_mismatch");
    assert!(
        refused.message.contains("extra blocks"),
        "{}",
        refused.message
    );
}

#[test]
fn header_must_be_a_libretiny_format2_header() {
    let table = fal(&[("app", 0x11000, 0x121000)]);
    assert_eq!(
        refusal(&[header(&[(OTA_FORMAT_2, &[2]), (FAL_PTABLE, &table)])]),
        "not_libretiny_uf2"
    );
    assert_eq!(
        refusal(&[header(&[(OTA_FORMAT_2, &[2]), (BOARD, b"wb2s")])]),
        "not_libretiny_uf2"
    );
    assert_eq!(
        refusal(&[header(&[(BOARD, b"wb2s"), (FAL_PTABLE, &table)])]),
        "no_format2_tag"
    );
    let mut first = standard_header();
    first.flags &= !NOT_MAIN_FLASH;
    assert_eq!(refusal(&[first]), "not_libretiny_uf2");
    assert_eq!(
        refusal(&[header(&[
            (OTA_FORMAT_2, &[2]),
            (BOARD, b"x"),
            (FAL_PTABLE, &table[..47])
        ])]),
        "bad_partition_table"
    );
}

#[test]
fn malformed_tags_are_refused() {
    let mut bad = standard_header();
    bad.tag_area.extend_from_slice(&[2, 0x11, 0x22, 0x33]);
    assert_eq!(refusal(&[bad]), "bad_tag");
    let mut overrun = standard_header();
    overrun.tag_area.extend(tags(&[(0x12_3456, &[0; 200])]));
    overrun.tag_area.extend_from_slice(&[250, 0x11, 0x22, 0x33]);
    assert_eq!(refusal(&[overrun]), "bad_tag");
}

#[test]
fn part_info_must_be_well_formed_and_name_a_known_partition() {
    assert_eq!(
        refusal(&[
            standard_header(),
            data(0, vec![1; 16], &[(OTA_PART_INFO, &[0, 1])])
        ]),
        "bad_part_info"
    );
    assert_eq!(
        refusal(&[
            standard_header(),
            data(0, vec![1; 16], &[(OTA_PART_INFO, b"\x00\x02\x00app\0")])
        ]),
        "bad_part_info"
    );
    assert_eq!(
        refusal(&[
            standard_header(),
            data(0, vec![1; 16], &[(OTA_PART_INFO, b"\x00\x01\x00\0")])
        ]),
        "bad_part_info"
    );
    let boot = flasher_part("boot");
    assert_eq!(
        refusal(&[
            standard_header(),
            data(0, vec![1; 16], &[(OTA_PART_INFO, &boot)])
        ]),
        "unknown_partition"
    );
}

#[test]
fn block_end_is_checked_against_the_partition_not_only_its_start() {
    let table = fal(&[("app", 0x11000, 0x180)]);
    let head = header(&[(OTA_FORMAT_2, &[2]), (BOARD, b"x"), (FAL_PTABLE, &table)]);
    let info = app_info();
    assert_eq!(
        refusal(&[head, data(0x100, vec![1; 0x100], &[(OTA_PART_INFO, &info)])]),
        "beyond_partition"
    );
}

#[test]
fn binpatch_overlap_bootloader_and_ota_only_are_refused() {
    let info = app_info();
    let patched = data(
        0,
        vec![1; 16],
        &[(OTA_PART_INFO, &info), (BINPATCH, &[0xFE, 0])],
    );
    assert_eq!(
        refusal(&[standard_header(), patched]),
        "binpatch_unsupported"
    );
    let twice = [
        standard_header(),
        data(0, vec![1; 16], &[(OTA_PART_INFO, &info)]),
        data(8, vec![1; 16], &[(OTA_PART_INFO, &info)]),
    ];
    assert_eq!(refusal(&twice), "overlapping_regions");
    let table = fal(&[("app", 0x10000, 0x122000)]);
    let low = header(&[(OTA_FORMAT_2, &[2]), (BOARD, b"x"), (FAL_PTABLE, &table)]);
    assert_eq!(
        refusal(&[low, data(0, vec![1; 16], &[(OTA_PART_INFO, &info)])]),
        "overlaps_bootloader"
    );
    let table = fal(&[("app", 0x11000, 0x121000), ("download", 0x132000, 0xA6000)]);
    let device_only = header(&[
        (OTA_FORMAT_2, &[2]),
        (BOARD, b"x"),
        (FAL_PTABLE, &table),
        (OTA_PART_LIST, &[0x10, 0, 0]),
    ]);
    assert_eq!(refusal(&[device_only]), "ota_only");
    let download = b"\x10\x00\x00download\0";
    assert_eq!(
        refusal(&[
            standard_header(),
            data(0, vec![1; 16], &[(OTA_PART_INFO, download)])
        ]),
        "ota_only"
    );
}
