//! Browser tests of firmware manifests: URL resolution, the page's query and fetch (the parsing rules
//! are host tests: tests/manifest_rules.rs).
//! Run with the other wasm tests: `cargo test -p bkflash-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use bkflash_web::manifest::{
    FetchError, Source, check_scheme, fetch_bytes, fetch_manifest, resolve, source_from_url,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn paths_resolve_against_the_manifest_url() {
    let manifest = "https://user.github.io/project/fw/manifest.json";
    assert_eq!(
        resolve("a.uf2", manifest).unwrap(),
        "https://user.github.io/project/fw/a.uf2"
    );
    assert_eq!(
        resolve("../b.bin", manifest).unwrap(),
        "https://user.github.io/project/b.bin"
    );
    assert_eq!(
        resolve("https://m.example/c.bin", manifest).unwrap(),
        "https://m.example/c.bin"
    );
    assert!(matches!(
        resolve("a.uf2", "not a url"),
        Err(FetchError::BadUrl { .. })
    ));
}

#[wasm_bindgen_test]
fn the_query_names_a_manifest_or_a_single_file() {
    let page = "https://user.github.io/bkflash/";
    assert_eq!(source_from_url(page).unwrap(), None);
    assert_eq!(
        source_from_url(&format!("{page}?manifest=fw/manifest.json")).unwrap(),
        Some(Source::Manifest(
            "https://user.github.io/bkflash/fw/manifest.json".into()
        ))
    );
    assert_eq!(
        source_from_url(&format!("{page}?firmware=https%3A%2F%2Fx.example%2Fa.bin")).unwrap(),
        Some(Source::Firmware("https://x.example/a.bin".into()))
    );
    assert_eq!(
        source_from_url(&format!("{page}?firmware=a.bin&manifest=m.json")).unwrap(),
        Some(Source::Manifest(
            "https://user.github.io/bkflash/m.json".into()
        ))
    );
}

#[wasm_bindgen_test]
async fn fetch_returns_the_bytes_of_a_file() {
    let page = web_sys::window().unwrap().location().href().unwrap();
    let bytes = fetch_bytes(&page).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    assert!(
        text.contains("<html"),
        "the test runner's own page comes back"
    );
    // The same page as a manifest is refused, naming the URL.
    let error = fetch_manifest(&page).await.unwrap_err();
    assert!(matches!(&error, FetchError::Manifest { url, .. } if *url == page));
}

#[wasm_bindgen_test]
async fn only_http_and_https_urls_are_followed() {
    for (url, scheme) in [
        ("javascript:alert(1)", "javascript:"),
        ("data:application/octet-stream;base64,AAH/", "data:"),
        ("file:///etc/passwd", "file:"),
        ("blob:https://x.example/1", "blob:"),
    ] {
        let error = fetch_bytes(url).await.unwrap_err();
        assert_eq!(
            error,
            FetchError::Scheme {
                url: url.into(),
                scheme: scheme.into()
            }
        );
        let message = error.to_string();
        assert!(
            message.contains("only downloads http:// and https://") && !message.contains("CORS"),
            "{message}"
        );
    }
    assert_eq!(check_scheme("https://x.example/a.bin"), Ok(()));
    assert_eq!(check_scheme("http://127.0.0.1:8080/a.bin"), Ok(()));
    assert!(matches!(
        fetch_manifest("data:application/json,%7B%7D").await,
        Err(FetchError::Scheme { .. })
    ));
}

#[wasm_bindgen_test]
async fn a_missing_file_reports_the_status_and_the_url() {
    let page = web_sys::window().unwrap().location().href().unwrap();
    let url = resolve("/bkflash-no-such-manifest.json", &page).unwrap();
    let error = fetch_bytes(&url).await.unwrap_err();
    assert_eq!(
        error,
        FetchError::Status {
            url: url.clone(),
            status: 404
        }
    );
    assert!(error.to_string().contains(&url), "{error}");
}

#[wasm_bindgen_test]
async fn an_unreachable_other_origin_mentions_cors() {
    let error = fetch_bytes("http://127.0.0.1:9/firmware.bin")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        FetchError::Network {
            url: "http://127.0.0.1:9/firmware.bin".into(),
            cross_origin: true
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("CORS") && message.contains("GitHub release"),
        "{message}"
    );
}
