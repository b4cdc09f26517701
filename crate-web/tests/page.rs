//! Browser tests of the page: `cargo test -p bkflash-web --target wasm32-unknown-unknown`
//! (runner = wasm-bindgen-test-runner from .cargo/config.toml, headless Chromium via CHROMEDRIVER).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement};

wasm_bindgen_test_configure!(run_in_browser);

// Replaces navigator.serial before the page looks at it. `chooser` decides what requestPort() does.
#[wasm_bindgen(inline_js = r#"
export function fake_serial(vendor, product) {
  const port = { getInfo() { return { usbVendorId: vendor, usbProductId: product }; } };
  const serial = { requestPort: async () => port, getPorts: async () => [port] };
  Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
}
export function fake_serial_chooser_closed() {
  const serial = {
    requestPort: async () => { throw new DOMException('No port selected by the user.', 'NotFoundError'); },
    getPorts: async () => [],
  };
  Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
}
export function no_serial() {
  Object.defineProperty(navigator, 'serial', { value: undefined, configurable: true });
}
"#)]
extern "C" {
    fn fake_serial(vendor: u16, product: u16);
    fn fake_serial_chooser_closed();
    fn no_serial();
}

/// Mount the page into a fresh element of its own, so tests do not see each other's DOM.
fn mount_page() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone().unchecked_into(), bkflash_web::App).forget();
    host
}

fn connect_button(host: &Element) -> HtmlButtonElement {
    host.query_selector("#connect")
        .unwrap()
        .expect("the page has a Connect button")
        .unchecked_into()
}

fn text_of(host: &Element, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Let spawned tasks and the promises they wait on run.
async fn settle() {
    for _ in 0..3 {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

#[wasm_bindgen_test]
fn page_mounts_with_an_enabled_connect_button_when_web_serial_exists() {
    fake_serial(0x1a86, 0x7523);
    let host = mount_page();
    assert_eq!(text_of(&host, "h1"), "bkflash");
    let button = connect_button(&host);
    assert_eq!(button.text_content().unwrap().trim(), "Connect");
    assert!(!button.disabled());
    assert!(host.query_selector("#unsupported").unwrap().is_none());
}

#[wasm_bindgen_test]
fn page_names_working_browsers_and_disables_connect_without_web_serial() {
    no_serial();
    let host = mount_page();
    let notice = text_of(&host, "#unsupported");
    for browser in ["Chrome", "Edge", "Opera", "Firefox 151"] {
        assert!(notice.contains(browser), "notice lacks {browser}: {notice}");
    }
    assert!(connect_button(&host).disabled());
}

#[wasm_bindgen_test]
async fn closing_the_chooser_is_reported_as_no_port_chosen() {
    fake_serial_chooser_closed();
    let host = mount_page();
    connect_button(&host).click();
    settle().await;
    assert!(text_of(&host, "#outcome").starts_with("No port chosen."));
    assert!(
        !connect_button(&host).disabled(),
        "Connect is usable again after the chooser closed"
    );
}

#[wasm_bindgen_test]
fn adapters_are_named_by_usb_ids() {
    use bkflash_web::adapters::describe;
    assert_eq!(
        describe(Some(0x10c4), Some(0xea60)),
        "USB 10c4:ea60 (CP210x)"
    );
    assert_eq!(describe(Some(0x1234), Some(0xabcd)), "USB 1234:abcd");
    assert_eq!(describe(None, None), "a non-USB port");
}
