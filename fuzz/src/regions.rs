//! The promise `image::analyze` makes about accepted files, checked as assertions.
//! Regions are non-empty, sorted, non-overlapping, above the bootloader and inside a 16 MiB flash.

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::plan::Region;

/// The largest flash any BK72xx board carries; no accepted region may reach past it.
pub const FLASH_LIMIT: u64 = 16 << 20;

/// Panics (so the fuzzer records a crash) when `regions` break the `Firmware::regions` contract.
pub fn assert_regions_sane(regions: &[Region]) {
    assert!(!regions.is_empty(), "an accepted file has no regions");
    let mut previous_end: Option<u64> = None;
    for region in regions {
        let start = u64::from(region.offset);
        let end = start + region.data.len() as u64;
        assert!(!region.data.is_empty(), "empty region at 0x{start:X}");
        assert!(
            start >= u64::from(BOOTLOADER_END),
            "region 0x{start:X} starts inside the bootloader"
        );
        assert!(
            end <= FLASH_LIMIT,
            "region 0x{start:X}..0x{end:X} ends past 16 MiB"
        );
        if let Some(previous) = previous_end {
            assert!(
                start >= previous,
                "region 0x{start:X} is unsorted or overlaps the one ending at 0x{previous:X}"
            );
        }
        previous_end = Some(end);
    }
}
