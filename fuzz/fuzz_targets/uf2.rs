//! Fuzz target: the strict UF2 parser and the LibreTiny package rules on arbitrary bytes, both as
//! given and with the block-level fields repaired so the tag and region logic is reached.
#![no_main]

use bkflash_core::image::{uf2, uf2_package};
use bkflash_fuzz::regions::assert_regions_sane;
use bkflash_fuzz::uf2_repair::repair_uf2;
use libfuzzer_sys::fuzz_target;

/// True when `part` lies inside `whole` (the parser hands out borrowed slices of the file).
fn within(part: &[u8], whole: &[u8]) -> bool {
    let (outer, inner) = (whole.as_ptr_range(), part.as_ptr_range());
    outer.start <= inner.start && inner.end <= outer.end
}

fn exercise(bytes: &[u8]) {
    let Ok(file) = uf2::parse(bytes) else {
        return;
    };
    assert_eq!(
        file.blocks.len() * uf2::BLOCK_SIZE,
        bytes.len(),
        "block count"
    );
    for (index, block) in file.blocks.iter().enumerate() {
        assert_eq!(block.index, index, "block index");
        let raw = &bytes[index * uf2::BLOCK_SIZE..][..uf2::BLOCK_SIZE];
        let data_area = &raw[32..508];
        assert!(
            within(block.payload, data_area),
            "payload of block {index} escapes its data area"
        );
        for tag in &block.tags {
            assert!(
                within(tag.data, data_area),
                "tag of block {index} escapes its data area"
            );
            assert!(tag.kind <= 0x00FF_FFFF, "tag type wider than 24 bits");
        }
    }
    if let Ok(package) = uf2_package::package(&file) {
        assert_regions_sane(&package.regions);
        let flash = u64::from(file.family.flash_size);
        for region in &package.regions {
            let end = u64::from(region.offset) + region.data.len() as u64;
            assert!(
                end <= flash,
                "region ends at 0x{end:X}, past the family's flash"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    exercise(data);
    exercise(&repair_uf2(data));
});
