//! Browser tests of firmware manifests: strict parsing, picking a build, URL resolution and fetch.
//! Run with the other wasm tests: `cargo test -p bkflash-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use bkflash_core::chips::ChipFamily;
use bkflash_web::manifest::{
    FetchError, ImageKind, Manifest, ManifestError, Source, check_scheme, fetch_bytes,
    fetch_manifest, resolve, source_from_url,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TWO_BUILDS: &str = r#"{
  "manifest_version": 1,
  "name": "OpenBeken",
  "version": "1.18.50",
  "builds": [
    { "chip": "BK7231N", "image": "openbeken-qio", "path": "OpenBK7231N_QIO_1.18.50.bin" },
    { "chip": "bk7231t", "image": "libretiny-uf2", "path": "lt/bk7231t.uf2" }
  ]
}"#;

fn with_builds(builds: &str) -> String {
    format!(r#"{{"manifest_version":1,"name":"Fw","version":"1","builds":[{builds}]}}"#)
}

fn parse_error(json: &str) -> ManifestError {
    Manifest::parse(json).expect_err("the manifest must be refused")
}

#[wasm_bindgen_test]
fn picks_the_build_for_each_listed_chip() {
    let manifest = Manifest::parse(TWO_BUILDS).unwrap();
    assert_eq!(
        (manifest.name.as_str(), manifest.version.as_str()),
        ("OpenBeken", "1.18.50")
    );
    let n = manifest.pick(ChipFamily::Bk7231N).unwrap();
    assert_eq!(
        (n.image, n.path.as_str()),
        (ImageKind::OpenbekenQio, "OpenBK7231N_QIO_1.18.50.bin")
    );
    let t = manifest.pick(ChipFamily::Bk7231T).unwrap();
    assert_eq!(
        (t.image, t.path.as_str()),
        (ImageKind::LibretinyUf2, "lt/bk7231t.uf2")
    );
}

#[wasm_bindgen_test]
fn a_chip_without_a_build_is_refused_with_what_the_manifest_offers() {
    let manifest = Manifest::parse(TWO_BUILDS).unwrap();
    let refusal = manifest.pick(ChipFamily::Bk7231Q).unwrap_err();
    assert_eq!(
        refusal.available,
        vec![ChipFamily::Bk7231N, ChipFamily::Bk7231T]
    );
    let message = refusal.to_string();
    assert!(
        message.starts_with("OpenBeken 1.18.50 has no build for this chip (BK7231Q)"),
        "{message}"
    );
    assert!(message.contains("builds for BK7231N, BK7231T"), "{message}");
    assert!(message.contains("Nothing was written"), "{message}");
}

#[wasm_bindgen_test]
fn unknown_fields_and_wrong_types_are_errors_that_name_the_field() {
    let typo = with_builds(r#"{"chip":"BK7231N","image":"openbeken-qio","pth":"a.bin"}"#);
    assert!(matches!(parse_error(&typo), ManifestError::Json(m) if m.contains("`pth`")));
    let kind = with_builds(r#"{"chip":"BK7231N","image":"rbl","path":"a.bin"}"#);
    assert!(matches!(parse_error(&kind), ManifestError::Json(m) if m.contains("openbeken-qio")));
    assert!(matches!(
        parse_error("{\"manifest_version\":1"),
        ManifestError::Json(_)
    ));
}

#[wasm_bindgen_test]
fn every_rule_of_the_format_is_enforced() {
    let wrong_version = r#"{"manifest_version":2,"name":"Fw","version":"1","builds":[]}"#;
    assert_eq!(
        parse_error(wrong_version),
        ManifestError::UnsupportedVersion(2)
    );
    let blank_name = r#"{"manifest_version":1,"name":" ","version":"1","builds":[]}"#;
    assert_eq!(parse_error(blank_name), ManifestError::EmptyField("name"));
    assert_eq!(parse_error(&with_builds("")), ManifestError::NoBuilds);
    let esp = with_builds(r#"{"chip":"ESP32","image":"libretiny-uf2","path":"a.uf2"}"#);
    let unknown = parse_error(&esp);
    assert_eq!(
        unknown,
        ManifestError::UnknownChip {
            index: 0,
            chip: "ESP32".into()
        }
    );
    assert!(
        unknown.to_string().contains("BK7231T, BK7231U"),
        "{unknown}"
    );
    let twice = with_builds(
        r#"{"chip":"BK7231N","image":"openbeken-qio","path":"a.bin"},
           {"chip":"bk7231n","image":"libretiny-uf2","path":"b.uf2"}"#,
    );
    assert_eq!(parse_error(&twice), ManifestError::DuplicateChip("BK7231N"));
    let no_path = with_builds(r#"{"chip":"BK7231N","image":"openbeken-qio","path":""}"#);
    assert_eq!(parse_error(&no_path), ManifestError::EmptyPath { index: 0 });
}

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
