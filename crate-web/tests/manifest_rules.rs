//! Host tests of the manifest rules: strict parsing with errors that name the field, and picking the
//! build for a chip. Fetching and URL resolution need a browser (tests/manifest.rs).
#![cfg(not(target_arch = "wasm32"))]

use bkflash_core::chips::ChipFamily;
use bkflash_web::manifest::{ImageKind, Manifest, ManifestError};

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

#[test]
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

#[test]
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

#[test]
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

#[test]
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
