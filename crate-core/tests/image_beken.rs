//! Synthetic Beken files the shared vectors lack: app partition images (UA), QIO images, full dumps,
//! ELF, raw app, Tuya packages and unknown bytes, all built here from the format rules.

use bkflash_core::chips::ChipFamily;
use bkflash_core::crc::Crc32;
use bkflash_core::image::beken::{ARM_VECTOR, crc16};
use bkflash_core::image::{Kind, analyze, check_chip};

/// Pack `data` (padded with 0xFF to 32) into 34-byte blocks with a big-endian CRC16 each.
fn crc_pack(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(32) {
        let mut block = [0xFFu8; 32];
        block[..chunk.len()].copy_from_slice(chunk);
        out.extend_from_slice(&block);
        out.extend_from_slice(&crc16(&block).to_be_bytes());
    }
    out
}

/// A 96-byte RBL header with a valid header CRC-32.
fn rbl_header(encryption: u8, compression: u8, version: &str) -> Vec<u8> {
    let mut header = vec![0u8; 96];
    header[..4].copy_from_slice(b"RBL\0");
    header[4] = encryption;
    header[5] = compression;
    header[0x0C..0x0F].copy_from_slice(b"app");
    header[0x1C..0x1C + version.len()].copy_from_slice(version.as_bytes());
    let mut crc = Crc32::new();
    crc.update(&header[..0x5C]);
    header[0x5C..].copy_from_slice(&crc.standard().to_le_bytes());
    header
}

/// A plain (all-zero key) app of `len` bytes starting with the ARM vector.
fn app(len: usize) -> Vec<u8> {
    let mut app: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    app[..8].copy_from_slice(&ARM_VECTOR);
    app
}

/// An app partition image: CRC'd app, 0xFF padding to `container - 102`, then the RBL trailer.
fn app_image(app_len: usize, container: usize) -> Vec<u8> {
    let mut image = crc_pack(&app(app_len));
    image.resize(container - 102, 0xFF);
    image.extend(crc_pack(&rbl_header(0, 0, "24.01.01-test")));
    image
}

/// An image of flash from 0: CRC'd bootloader block, its RBL trailer ending at 0x11000, then an app image.
fn flash_image(total: usize) -> Vec<u8> {
    let mut image = crc_pack(&[0x5A; 32]);
    image.resize(0x10F9A, 0xFF);
    image.extend(crc_pack(&rbl_header(0, 0, "bootloader")));
    assert_eq!(image.len(), 0x11000);
    image.extend(app_image(0x2000, 0x118F70));
    image.resize(total, 0xFF);
    image
}

fn refusal(bytes: &[u8]) -> &'static str {
    analyze(bytes)
        .map(|fw| panic!("accepted as {:?}", fw.kind))
        .unwrap_err()
        .kind
        .name()
}

#[test]
fn ua_app_image_goes_as_is_to_0x11000() {
    let image = app_image(3000, 34 * 200);
    let fw = analyze(&image).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(fw.kind, Kind::BekenAppImage);
    assert_eq!(fw.regions.len(), 1);
    assert_eq!(
        (fw.regions[0].offset, &fw.regions[0].data),
        (0x11000, &image)
    );
    assert!(
        fw.notes.iter().any(|n| n.contains("not encrypted")),
        "{:?}",
        fw.notes
    );
    assert!(
        check_chip(&fw, ChipFamily::Bk7231N).is_ok(),
        "an app image names no family"
    );
}

#[test]
fn app_image_with_a_corrupted_crc_block_is_refused() {
    let mut image = app_image(3000, 34 * 200);
    image[34 * 10 + 5] ^= 0x40;
    let refused = analyze(&image).unwrap_err();
    assert_eq!(refused.kind.name(), "bad_crc_block");
    assert!(refused.message.contains("0x154"), "{}", refused.message);
}

#[test]
fn app_image_larger_than_the_chips_app_partition_is_refused_for_that_chip() {
    let image = app_image(0x1000, 34 * 0x8900);
    let fw = analyze(&image).unwrap();
    assert!(fw.regions[0].data.len() > 0x121000);
    assert_eq!(
        check_chip(&fw, ChipFamily::Bk7231T)
            .unwrap_err()
            .kind
            .name(),
        "beyond_partition"
    );
    assert!(check_chip(&fw, ChipFamily::Bk7252).is_ok());
}

#[test]
fn qio_image_skips_the_bootloader_and_writes_the_rest() {
    let image = flash_image(0x11000 + 0x118F70);
    let fw = analyze(&image).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(fw.kind, Kind::BekenFlashImage);
    assert_eq!(fw.regions[0].offset, 0x11000);
    assert_eq!(fw.regions[0].data, &image[0x11000..]);
    assert!(fw.notes[0].contains("bootloader"), "{:?}", fw.notes);
}

#[test]
fn full_2mib_dump_stops_at_the_app_partition_end() {
    let image = flash_image(0x20_0000);
    let fw = analyze(&image).unwrap();
    assert_eq!(fw.kind, Kind::BekenFullDump);
    assert_eq!(fw.regions[0].offset, 0x11000);
    assert_eq!(fw.regions[0].data, &image[0x11000..0x132000]);
    assert!(
        fw.notes.iter().any(|n| n.contains("0x011000..0x132000")),
        "{:?}",
        fw.notes
    );
}

#[test]
fn full_4mib_dump_uses_the_bk7252_app_partition_end() {
    let fw = analyze(&flash_image(0x40_0000)).unwrap();
    assert_eq!(fw.kind, Kind::BekenFullDump);
    assert_eq!(
        fw.regions[0].offset as usize + fw.regions[0].data.len(),
        0x1C_B000
    );
}

#[test]
fn unpackaged_and_ota_files_are_refused_by_content() {
    assert_eq!(refusal(b"\x7fELF\x01\x01\x01\0rest of an elf"), "elf");
    assert_eq!(refusal(&app(4000)), "raw_app");
    assert_eq!(
        refusal(b"MMM\0\x50\x43\x5a\x4c and an xz stream"),
        "diff2ya_ug"
    );
    let mut ug = vec![0u8; 64];
    ug[..4].copy_from_slice(&[0x55, 0xAA, 0x55, 0xAA]);
    ug[0x1C..0x20].copy_from_slice(&[0xAA, 0x55, 0xAA, 0x55]);
    assert_eq!(refusal(&ug), "tuya_ug");
    let mut ota = rbl_header(2, 1, "24.01.01");
    ota.extend_from_slice(&[0x42; 100]);
    assert_eq!(refusal(&ota), "beken_ota_rbl");
    assert_eq!(refusal(b"PK\x03\x04zip"), "compressed");
}

#[test]
fn fragments_and_unknown_files_are_refused() {
    assert_eq!(refusal(&crc_pack(&app(3000))), "crc_fragment");
    assert_eq!(refusal(&crc_pack(&rbl_header(0, 0, "x"))), "rblh_fragment");
    assert_eq!(refusal(b"hello, this is not firmware"), "unknown_format");
    assert_eq!(refusal(&[]), "empty_file");
    let message = analyze(b"UF2\n").unwrap_err().message;
    assert!(message.ends_with('.'), "{message}");
}

#[test]
fn app_image_with_stray_bytes_before_its_trailer_is_refused() {
    let mut image = crc_pack(&app(0x400));
    image.extend_from_slice(&[0xA5; 5]);
    image.extend(crc_pack(&rbl_header(0, 0, "24.01.01-test")));
    let refusal = analyze(&image).expect_err("stray bytes must not reach flash unchecked");
    assert_eq!(refusal.kind.name(), "bad_crc_block", "{}", refusal.message);
}

#[test]
fn app_image_larger_than_any_app_partition_is_refused() {
    let container = 34 * (0x1B_A000 / 34 + 1) + 102;
    let refusal = analyze(&app_image(0x2000, container))
        .expect_err("no board has an app partition this large");
    assert_eq!(
        refusal.kind.name(),
        "beyond_partition",
        "{}",
        refusal.message
    );
    assert!(
        analyze(&app_image(0x2000, 34 * (0x1B_A000 / 34 - 3) + 102)).is_ok(),
        "the largest partition still fits"
    );
}
