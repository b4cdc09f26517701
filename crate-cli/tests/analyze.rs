//! `bkflash analyze` end to end: the built binary on generated dumps (testdata/dumps), the files it
//! writes, its JSON, and its exit codes.

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dumps(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/dumps")
        .join(name)
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bkflash-analyze-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Decompress vector `name` into `dir`.
fn unpack(name: &str, dir: &Path) -> PathBuf {
    let mut bytes = Vec::new();
    let gz = std::fs::read(dumps(&format!("{name}.bin.gz"))).unwrap();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut bytes)
        .unwrap();
    let path = dir.join(format!("{name}.bin"));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn bkflash(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bkflash"))
        .args(args)
        .output()
        .expect("run bkflash")
}

#[test]
fn writes_the_template_and_the_yaml_and_prints_the_pins() {
    let dir = scratch("files");
    let dump = unpack("t_meter", &dir);
    let (template, yaml) = (dir.join("obk.json"), dir.join("device.yaml"));
    let out = bkflash(&[
        "analyze",
        dump.to_str().unwrap(),
        "--openbeken",
        template.to_str().unwrap(),
        "--esphome",
        yaml.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("chip           BK7231T"), "{text}");
    assert!(
        text.contains("P7   ele_pin") && text.contains("OpenBeken BL0937CF;0"),
        "{text}"
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&template).unwrap()).unwrap();
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dumps("meter.obk.json")).unwrap()).unwrap();
    assert_eq!(written["pins"], expected["pins"]);
    let yaml = std::fs::read_to_string(&yaml).unwrap();
    assert!(yaml.starts_with("esphome:\n  name: tuya-wb2s\n"), "{yaml}");
    assert!(yaml.ends_with(&std::fs::read_to_string(dumps("meter.yaml")).unwrap()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_hides_secrets_unless_asked() {
    let dir = scratch("json");
    let dump = unpack("storage_only", &dir);
    let out = bkflash(&["--json", "analyze", dump.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["input"], "storage_only");
    let gw_bi = report["storage"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "gw_bi")
        .unwrap();
    assert_eq!(gw_bi["value"], "<hidden>");
    let out = bkflash(&[
        "--json",
        "analyze",
        dump.to_str().unwrap(),
        "--show-secrets",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("SyntheticAuthKey"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn nothing_to_convert_and_unrecognised_files_fail_with_a_sentence() {
    let dir = scratch("fail");
    let dump = unpack("neg_other_inner_key", &dir);
    let template = dir.join("obk.json");
    let out = bkflash(&[
        "analyze",
        dump.to_str().unwrap(),
        "--openbeken",
        template.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no OpenBeken template"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!template.exists());
    let junk = dir.join("junk.bin");
    std::fs::write(&junk, [0x12u8; 5000]).unwrap();
    let out = bkflash(&["analyze", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is neither a flash image"));
    std::fs::remove_dir_all(&dir).unwrap();
}
