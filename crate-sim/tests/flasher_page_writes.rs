//! Which write op carries a sector (docs/field-audit.md D8): 4K writes (0x07) for every sector
//! with data, as every field tool sends; a page write (0x06) only for data shorter than one page.

mod flasher_support;

use bkflash_core::flasher::{Options, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use flasher_support::{block_on, class_name as name, flasher, image, presets};

/// The rendered host frames that are page writes (op 0x06) and 4K writes (op 0x07).
fn write_ops(transcript: &str) -> (Vec<&str>, usize) {
    let pages = transcript
        .lines()
        .filter(|l| l.starts_with("FlashWrite "))
        .collect();
    let sectors = transcript
        .lines()
        .filter(|l| l.starts_with("FlashWrite4K"))
        .count();
    (pages, sectors)
}

#[test]
fn a_sector_with_blank_pages_goes_out_as_one_4k_write() {
    for config in presets() {
        let mut data = image(31, 0x1000);
        data[0x300..0x400].fill(0xFF);
        data[0x800..].fill(0xFF);
        let mut f = flasher(config.clone(), Options::default());
        block_on(f.write(
            &[Region {
                offset: 0x30000,
                data: data.clone(),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        let sent = f.transport().transcript().render();
        let (pages, sectors) = write_ops(&sent);
        assert!(pages.is_empty(), "{}: page writes {pages:?}", name(&config));
        assert_eq!(sectors, 1, "{}", name(&config));
        assert_eq!(
            &f.transport().sim().flash().bytes()[0x30000..0x31000],
            &data[..]
        );
    }
}

#[test]
fn data_shorter_than_a_page_goes_out_as_one_short_page_write() {
    // LibreTiny's 102-byte RBL trailer at the end of an app partition.
    for config in presets() {
        let trailer = image(32, 102);
        let mut f = flasher(config.clone(), Options::default());
        block_on(f.write(
            &[Region {
                offset: 0x129F0A,
                data: trailer.clone(),
            }],
            &WriteOptions::default(),
            &mut NoProgress,
        ))
        .expect("write");
        let sent = f.transport().transcript().render();
        let (pages, sectors) = write_ops(&sent);
        assert_eq!(sectors, 0, "{}", name(&config));
        assert_eq!(pages.len(), 1, "{}: {pages:?}", name(&config));
        assert!(
            pages[0].starts_with("FlashWrite 0A 9F 12 00") && pages[0].contains("+94 B"),
            "{}: {}",
            name(&config),
            pages[0]
        );
        assert_eq!(
            &f.transport().sim().flash().bytes()[0x129F0A..0x129F70],
            &trailer[..]
        );
    }
}
