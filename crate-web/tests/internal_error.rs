//! Browser test of the banner a panic leaves: visible at the top, an alert, the panic's text kept
//! verbatim (no HTML), and shown once however many panics follow.
#![cfg(target_arch = "wasm32")]

use bkflash_web::internal_error::{BANNER_ID, show_internal_error};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_panic_leaves_one_alert_with_its_text_at_the_top_of_the_page() {
    let document = web_sys::window().unwrap().document().unwrap();
    show_internal_error("panicked at link.rs: overflow <b>when</b> subtracting durations");
    show_internal_error("a second panic");

    let banner = document
        .get_element_by_id(BANNER_ID)
        .expect("the banner is shown");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let body = document.body().unwrap();
    assert_eq!(
        body.first_element_child().map(|e| e.id()).as_deref(),
        Some(BANNER_ID)
    );
    let detail = banner.query_selector("pre").unwrap().unwrap();
    assert_eq!(
        detail.text_content().as_deref(),
        Some("panicked at link.rs: overflow <b>when</b> subtracting durations")
    );
    let next = banner.next_element_sibling().map(|e| e.id());
    assert_ne!(
        next.as_deref(),
        Some(BANNER_ID),
        "a second panic adds no second banner"
    );
    assert!(banner.text_content().unwrap().contains("Reload the page"));
}
