//! Fuzz target: `image::analyze` on arbitrary bytes, as given and with Beken CRC16 blocks and RBL
//! trailers resealed; accepted files must keep the region contract, refusals must say something.
#![no_main]

use bkflash_core::chips::{BOOTLOADER_END, FAMILIES};
use bkflash_core::image::beken::RBL_TRAILER;
use bkflash_core::image::{analyze, check_chip};
use bkflash_fuzz::beken_repair::{repair_crc_blocks, repair_rbl_trailer};
use bkflash_fuzz::regions::assert_regions_sane;
use libfuzzer_sys::fuzz_target;

fn exercise(bytes: &[u8]) {
    match analyze(bytes) {
        Ok(firmware) => {
            assert_regions_sane(&firmware.regions);
            for row in FAMILIES {
                let _ = check_chip(&firmware, row.family);
            }
        }
        Err(refusal) => assert!(!refusal.message.is_empty(), "silent refusal"),
    }
}

/// The bytes with every CRC16 block resealed and RBL trailers fixed where a full image or an app
/// image would carry them (before the app at 0x11000, and at the end of the file).
fn resealed(bytes: &[u8]) -> Vec<u8> {
    let mut fixed = bytes.to_vec();
    repair_crc_blocks(&mut fixed);
    repair_rbl_trailer(&mut fixed, BOOTLOADER_END as usize - RBL_TRAILER);
    if let Some(at) = fixed.len().checked_sub(RBL_TRAILER) {
        repair_rbl_trailer(&mut fixed, at);
    }
    fixed
}

fuzz_target!(|data: &[u8]| {
    exercise(data);
    exercise(&resealed(data));
});
