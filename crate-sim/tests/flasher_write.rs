//! End-to-end writes on the simulator, both classes: random images (aligned and unaligned) read back
//! identical, golden transcripts of a two-sector write and a verify, blank chips, differential re-flash.

mod flasher_support;

use bkflash_core::flasher::{Options, SectorState, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::SimConfig;
use flasher_support::{block_on, class_name as name, flasher, golden, image, presets};

#[test]
fn random_images_read_back_identical() {
    let cases: [(u32, usize); 3] = [
        (0x11000, 0x3000),
        (0x20000, 0x10000 + 0x2000),
        (0x12345, 0x1234),
    ];
    for config in presets() {
        for (i, &(offset, len)) in cases.iter().enumerate() {
            let mut f = flasher(config.clone(), Options::default());
            let data = image(i as u64 + 7, len);
            let before = f.transport().sim().flash().bytes().to_vec();
            let report = block_on(f.write(
                &[Region {
                    offset,
                    data: data.clone(),
                }],
                &WriteOptions::default(),
                &mut NoProgress,
            ))
            .expect("write");
            assert_eq!(report.count(SectorState::Unknown), 0);
            assert_eq!(report.count(SectorState::Erased), 0);
            let back =
                block_on(f.read(offset..offset + len as u32, &mut NoProgress)).expect("read");
            assert!(
                back == data,
                "{}: image at 0x{offset:X} reads back different",
                name(&config)
            );
            let flash = f.transport().sim().flash().bytes();
            let end = offset as usize + len;
            let sector_start = offset as usize & !0xFFF;
            let sector_end = (end + 0xFFF) & !0xFFF;
            assert_eq!(
                flash[sector_start..offset as usize],
                before[sector_start..offset as usize],
                "bytes before the region kept"
            );
            assert_eq!(
                flash[end..sector_end],
                before[end..sector_end],
                "bytes after the region kept"
            );
            assert_eq!(
                block_on(f.verify(&[Region { offset, data }], &mut NoProgress)).expect("verify"),
                Vec::<u32>::new()
            );
        }
    }
}

#[test]
fn two_sector_write_and_verify_transcripts() {
    for config in presets() {
        let mut f = flasher(config.clone(), Options::default());
        block_on(f.connect(&mut NoProgress)).expect("connect");
        f.transport_mut().transcript_mut().clear();
        let region = Region {
            offset: 0x11000,
            data: image(3, 0x2000),
        };
        block_on(f.write(
            core::slice::from_ref(&region),
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        golden(
            &format!("write_two_sectors_{}", name(&config)),
            &f.transport().transcript().render(),
        );
        f.transport_mut().transcript_mut().clear();
        assert!(
            block_on(f.verify(&[region], &mut NoProgress))
                .expect("verify")
                .is_empty()
        );
        golden(
            &format!("verify_{}", name(&config)),
            &f.transport().transcript().render(),
        );
    }
}

#[test]
fn blank_regions_are_erased_and_checked_not_written() {
    for config in presets() {
        let mut f = flasher(
            config.clone().with_flash_image(image(9, 0x40000)),
            Options::default(),
        );
        let mut data = vec![0xFF; 0x2000];
        data[0x1000..].copy_from_slice(&image(4, 0x1000));
        block_on(f.write(
            &[Region {
                offset: 0x22000,
                data: data.clone(),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        assert_eq!(
            &f.transport().sim().flash().bytes()[0x22000..0x24000],
            &data[..],
            "{}",
            name(&config)
        );
        let writes = f
            .transport()
            .transcript()
            .render()
            .lines()
            .filter(|l| l.starts_with("FlashWrite4K"))
            .count();
        assert_eq!(writes, 1, "only the non-blank sector is written");
    }
}

#[test]
fn differential_write_skips_matching_sectors() {
    let data = image(21, 0x4000);
    let mut flash = vec![0xFF; 0x15000];
    flash[0x11000..0x15000].copy_from_slice(&data);
    flash[0x13000] ^= 0x01;
    let mut f = flasher(
        SimConfig::bk7231n().with_flash_image(flash),
        Options::default(),
    );
    let options = WriteOptions { differential: true };
    let report = block_on(f.write(
        &[Region {
            offset: 0x11000,
            data: data.clone(),
        }],
        &options,
        &mut NoProgress,
    ))
    .expect("write");
    assert_eq!(report.count(SectorState::Written), 1);
    assert_eq!(report.state(0x13000), SectorState::Written);
    assert_eq!(report.count(SectorState::Untouched), 3);
    assert_eq!(
        &f.transport().sim().flash().bytes()[0x11000..0x15000],
        &data[..]
    );
}

#[test]
fn blank_chip_reads_blank_and_erase_clears_an_image() {
    for config in presets() {
        let mut f = flasher(config.clone(), Options::default());
        let blank = block_on(f.read(0x11000..0x21000, &mut NoProgress)).expect("read blank");
        assert!(blank.iter().all(|&b| b == 0xFF), "{}", name(&config));
        block_on(f.write(
            &[Region {
                offset: 0x1F000,
                data: image(6, 0x13000),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        let report = block_on(f.erase(0x1F000..0x32000, &mut NoProgress)).expect("erase");
        assert_eq!(report.count(SectorState::Erased), 0x13);
        assert!(
            f.transport().sim().flash().bytes()[0x1F000..0x32000]
                .iter()
                .all(|&b| b == 0xFF)
        );
        let render = f.transport().transcript().render();
        assert!(
            render.contains("FlashErase D8 00 00 02 00"),
            "{}: the whole block 0x20000 is erased as one 64K unit",
            name(&config)
        );
    }
}

#[test]
fn legacy_bootloader_reads_go_through_the_mirror() {
    let mut f = flasher(SimConfig::bk7231t(), Options::default());
    let boot = block_on(f.read(0x0..0x2000, &mut NoProgress)).expect("read the bootloader");
    assert_eq!(&boot[..], &f.transport().sim().flash().bytes()[..0x2000]);
    let render = f.transport().transcript().render();
    assert!(
        render.contains("FlashRead4K 00 00 20 00") && render.contains("FlashRead4K 00 10 20 00"),
        "{render}"
    );
    assert!(
        !render.contains("FlashRead4K 00 00 00 00"),
        "never the raw bootloader address"
    );
}

#[test]
fn verify_names_the_sectors_that_differ() {
    for config in presets() {
        let mut f = flasher(config.clone(), Options::default());
        let data = image(14, 0x3000);
        block_on(f.write(
            &[Region {
                offset: 0x50000,
                data: data.clone(),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        let mut other = data.clone();
        other[0x1801] ^= 0x40;
        let unaligned = Region {
            offset: 0x50010,
            data: other[0x10..0x2F00].to_vec(),
        };
        assert_eq!(
            block_on(f.verify(&[unaligned], &mut NoProgress)).expect("verify"),
            [0x51000],
            "{}",
            name(&config)
        );
    }
}

#[test]
fn worst_case_chip_timing_needs_no_retries() {
    for config in presets() {
        let mut f = flasher(
            config.clone().with_timing(bkflash_sim::Timing::worst()),
            Options::default(),
        );
        let mut rec = flasher_support::Recorder::default();
        block_on(f.write(
            &[Region {
                offset: 0x20000,
                data: image(15, 0x12000),
            }],
            &WriteOptions::default(),
            &mut rec,
        ))
        .expect("write");
        block_on(f.erase(0x60000..0x80000, &mut rec)).expect("erase");
        assert!(
            !rec.has("Retry"),
            "{}: timeouts cover the worst-case erase and program times",
            name(&config)
        );
    }
}

#[test]
fn a_one_page_tail_sector_goes_out_as_a_4k_write() {
    // A full-page 0x06 answers count 0 (len & 0xFF), which no field tool has seen succeed
    // (docs/field-audit.md D8).
    for config in presets() {
        let mut f = flasher(config.clone(), Options::default());
        let data = image(17, 0x1100);
        block_on(f.write(
            &[Region {
                offset: 0x11000,
                data: data.clone(),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        assert_eq!(
            &f.transport().sim().flash().bytes()[0x11000..0x12100],
            &data[..],
            "{}",
            name(&config)
        );
        let render = f.transport().transcript().render();
        assert!(
            !render.lines().any(|l| l.starts_with("FlashWrite ")),
            "{}: {render}",
            name(&config)
        );
        assert_eq!(
            render
                .lines()
                .filter(|l| l.starts_with("FlashWrite4K"))
                .count(),
            2,
            "{}",
            name(&config)
        );
    }
}

#[test]
fn seeded_random_regions_round_trip() {
    for seed in 0..12u64 {
        let config = if seed % 2 == 0 {
            SimConfig::bk7231n()
        } else {
            SimConfig::bk7231t()
        };
        let pick = image(seed + 100, 8);
        let offset = 0x11000 + u32::from_le_bytes([pick[0], pick[1], pick[2], 0]) % 0x60000;
        let len = 1 + usize::from(u16::from_le_bytes([pick[4], pick[5]])) % 0x9000;
        let mut f = flasher(config.clone(), Options::default());
        let data = image(seed, len);
        let region = Region {
            offset,
            data: data.clone(),
        };
        block_on(f.write(
            core::slice::from_ref(&region),
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .unwrap_or_else(|e| panic!("{} seed {seed}: {e}", name(&config)));
        let back = block_on(f.read(offset..offset + len as u32, &mut NoProgress)).expect("read");
        assert!(
            back == data,
            "{} seed {seed}: 0x{offset:X}+0x{len:X} reads back different",
            name(&config)
        );
        assert!(
            block_on(f.verify(&[region], &mut NoProgress))
                .expect("verify")
                .is_empty()
        );
    }
}
