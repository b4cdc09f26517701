//! Browser tests of the page's parts: the file analysis panel, the chip card and the virtual device.
//! `cargo test -p bkflash-web --target wasm32-unknown-unknown` (headless Chromium).
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use bkflash_core::chips::{ChipFamily, ProtocolClass};
use bkflash_core::flasher::{ChipInfo, Protection};
use bkflash_core::key::ChipKey;
use bkflash_web::device::VIRTUAL_CHIPS;
use bkflash_web::firmware::{chip_refusal, load};
use bkflash_web::session::Session;
use bkflash_web::ui::chip::ChipCard;
use bkflash_web::ui::firmware::Analysis;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

// The virtual device's chip, compiled here as in its own module (src/bin/bkflash-device.rs).
#[allow(dead_code)]
#[path = "../src/device/wall_clock.rs"]
mod wall_clock;
use wall_clock::WallClockChip;

fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone().unchecked_into(), view).forget();
    host
}

fn text_of(host: &Element, selector: &str) -> Option<String> {
    host.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
}

#[wasm_bindgen_test]
fn a_damaged_file_shows_its_refusal_sentence() {
    let file = Arc::new(load(
        String::from("bad.uf2"),
        include_bytes!("../../testdata/bad_magic_start.uf2"),
    ));
    let host = mount(move || {
        provide_context(Session::new());
        view! { <Analysis file=file /> }
    });
    let refusal = text_of(&host, "#refusal").expect("a refused file shows a sentence");
    assert!(refusal.contains("damaged or incomplete"), "{refusal}");
    assert!(host.query_selector("#file-regions").unwrap().is_none());
}

#[wasm_bindgen_test]
fn a_good_file_lists_its_regions_and_target_chip() {
    let file = Arc::new(load(
        String::from("fw.uf2"),
        include_bytes!("../../testdata/bk7231n_cb2s.uf2"),
    ));
    let host = mount(move || {
        provide_context(Session::new());
        view! { <Analysis file=file /> }
    });
    assert_eq!(text_of(&host, "#file-chip").as_deref(), Some("BK7231N"));
    let regions = text_of(&host, "#file-regions").unwrap();
    assert!(
        regions.contains("0x011000..0x0124FC (5372 bytes)"),
        "{regions}"
    );
    assert!(host.query_selector("#refusal").unwrap().is_none());
}

#[wasm_bindgen_test]
fn the_chip_card_shows_what_connect_learned() {
    let chip = ChipInfo {
        family: Some(ChipFamily::Bk7231N),
        class: ProtocolClass::Rom,
        bootloader: None,
        bootloader_crc: 0x1234_5678,
        boot_version: None,
        chip_id: Some(0x7231C),
        jedec: Some([0xEB, 0x60, 0x15]),
        flash: None,
        flash_size: 0x20_0000,
        protection: Protection::Protected { sr: 0x1C },
        key: None,
        blank_bootloader: false,
        baud: 921_600,
    };
    let host = mount(move || view! { <ChipCard chip=chip /> });
    let expected = [
        ("#chip-chip", "BK7231N"),
        ("#chip-bootloader", "unknown (CRC 0x12345678)"),
        ("#chip-chip-id", "0x7231C"),
        ("#chip-flash-id", "EB 60 15"),
        ("#chip-flash-size", "2048 KiB"),
        ("#chip-baud-now", "921600"),
        ("#chip-efuse-key", "could not be read"),
    ];
    for (selector, text) in expected {
        assert_eq!(
            text_of(&host, selector).as_deref(),
            Some(text),
            "{selector}"
        );
    }
    assert!(
        text_of(&host, "#chip-protection")
            .unwrap()
            .starts_with("Write-protected — bkflash unlocks it for you (status 0x001C)")
    );
}

#[wasm_bindgen_test]
fn a_build_for_the_other_key_is_refused_on_the_chip_card_step() {
    let file = load(
        String::from("bk7231n_cb2s.uf2"),
        include_bytes!("../../testdata/bk7231n_cb2s.uf2"),
    );
    let firmware = file.analysis.expect("a good UF2");
    let chip = ChipInfo {
        family: Some(ChipFamily::Bk7231M),
        class: ProtocolClass::Rom,
        bootloader: None,
        bootloader_crc: 0,
        boot_version: None,
        chip_id: Some(0x7231C),
        jedec: Some([0xEB, 0x60, 0x15]),
        flash: None,
        flash_size: 0x20_0000,
        protection: Protection::Unprotected,
        key: Some(ChipKey { words: [0; 4] }),
        blank_bootloader: false,
        baud: 921_600,
    };
    let sentence = chip_refusal(&firmware, None, &chip).expect("refused");
    assert!(
        sentence.starts_with("This BK7231M has an all-zero eFuse key")
            && sentence.contains("OpenBK7231M"),
        "{sentence}"
    );
}

#[wasm_bindgen_test]
async fn every_offered_virtual_chip_has_a_simulator_that_answers_on_the_wall_clock() {
    const LINK_CHECK: [u8; 5] = [0x01, 0xE0, 0xFC, 0x01, 0x00];
    const LINK_REPLY: [u8; 8] = [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x01, 0x00];
    for chip in &VIRTUAL_CHIPS {
        let mut sim = WallClockChip::new(chip.id, 1000.0).expect("every offered chip has a preset");
        sim.write(&LINK_CHECK);
        gloo_timers::future::TimeoutFuture::new(20).await;
        let reply = sim.read();
        // The chips running their firmware answer nothing until they are kicked or reset into
        // download mode; the practice chip only by the user's (virtual) touch of CEN to GND, which
        // e2e/practice.test.mjs drives through Connect.
        let in_download_mode = chip.id != "bk7231t-app" && !chip.manual_reset_only;
        assert_eq!(
            reply.starts_with(&LINK_REPLY),
            in_download_mode,
            "{}: {reply:02x?}",
            chip.id
        );
    }
    assert!(WallClockChip::new("esp32", 1.0).is_err());
}
