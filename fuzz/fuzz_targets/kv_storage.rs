//! Fuzz target: the Tuya KV storage reader and the whole backup analysis. Bytes are used as a dump
//! as given, and as clear-text storage sectors encrypted with a fixed key (`kv_image`) so blocks,
//! index pages and values are reached; the report must always serialise and keep its invariants.
#![no_main]

use bkflash_core::analyze::report::Report;
use bkflash_core::analyze::tuya_kv;
use bkflash_core::analyze::{Options, analyze};
use bkflash_fuzz::kv_image::storage_image;
use libfuzzer_sys::fuzz_target;

fn check(report: &Report, len: usize) {
    serde_json::to_string(report).expect("the report serialises");
    for p in &report.partitions {
        assert!(
            p.offset as usize + p.size as usize <= len,
            "partition inside the image"
        );
    }
    if let Some(storage) = &report.storage {
        let mut names: Vec<&str> = storage.keys.iter().map(|k| k.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), storage.keys.len(), "each key once");
        assert!(
            storage
                .sectors
                .windows(2)
                .all(|w| w[0].offset < w[1].offset),
            "sectors in order, once each"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    check(&analyze(data, &Options::default()), data.len());
    let image = storage_image(data);
    let storage = tuya_kv::read(&image).expect("the fixed key sector is always found");
    for entry in &storage.entries {
        assert!(
            entry.value.len() <= 31 * 128 * 16,
            "a value fits the storage"
        );
    }
    check(
        &analyze(
            &image,
            &Options {
                reveal_secrets: true,
                ..Options::default()
            },
        ),
        image.len(),
    );
});
