//! `bkflash inspect` end to end: the built binary on every test vector, JSON fields and exit codes.
//! Valid files must report exactly the regions of testdata/expected.json.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

fn bkflash(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bkflash"))
        .args(args)
        .output()
        .expect("run bkflash")
}

fn inspect_json(file: &str, extra: &[&str]) -> (i32, Value) {
    let path = testdata(file);
    let mut args = vec!["inspect", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = bkflash(&args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{file}: stdout is not JSON ({e})"));
    (out.status.code().expect("exit code"), json)
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(testdata("expected.json")).unwrap()).unwrap()
}

#[test]
fn valid_uf2s_report_kind_family_tags_and_exact_regions() {
    let expected = expected();
    for (file, family, board) in [
        ("bk7231t_wb2s.uf2", "BK7231T", "wb2s"),
        ("bk7231n_cb2s.uf2", "BK7231N", "cb2s"),
        (
            "bk7231n_generic_nokey.uf2",
            "BK7231N",
            "generic-bk7231n-qfn32",
        ),
    ] {
        let (code, json) = inspect_json(file, &[]);
        assert_eq!(code, 0, "{file}");
        assert_eq!(json["kind"], "libretiny_uf2");
        assert_eq!(json["family"], family);
        assert_eq!(json["tags"]["board"], board);
        assert_eq!(json["tags"]["version"], "1.2.3");
        let want = expected[file]["flasher_regions"].as_array().unwrap();
        let got = json["regions"].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{file}");
        for (got, want) in got.iter().zip(want) {
            let offset = u64::from_str_radix(
                want["offset"].as_str().unwrap().trim_start_matches("0x"),
                16,
            )
            .unwrap();
            assert_eq!(got["offset"].as_u64(), Some(offset), "{file}");
            assert_eq!(got["length"], want["length"], "{file}");
            assert_eq!(got["sha256"], want["sha256"], "{file}");
        }
    }
}

#[test]
fn refused_vectors_give_their_error_kind_and_exit_code_2() {
    for (file, error) in [
        ("bad_magic_start.uf2", "bad_magic_start"),
        ("bad_magic_end.uf2", "bad_magic_end"),
        ("truncated_mid_block.uf2", "truncated_mid_block"),
        ("truncated_at_block.uf2", "block_count_mismatch"),
        ("wrong_family_rtl8710b.uf2", "wrong_family"),
        ("unknown_family.uf2", "unknown_family"),
        ("mixed_family.uf2", "mixed_family"),
        ("out_of_order.uf2", "out_of_order"),
        ("no_format2_tag.uf2", "no_format2_tag"),
        ("missing_part_info.uf2", "data_before_part_info"),
        ("beyond_partition.uf2", "beyond_partition"),
        ("beyond_flash.uf2", "beyond_flash"),
        ("bk7231t_app_raw.bin", "raw_app"),
        ("bk7231t_app_0x011000.crc", "crc_fragment"),
        ("bk7231t_app_0x129F0A.rblh", "rblh_fragment"),
        ("bk7231t_app.ota.rbl", "beken_ota_rbl"),
        ("bk7231t_app.ota.ug.bin", "tuya_ug"),
        ("bk7231t_app_0x011000.rbl.gz", "compressed"),
        ("README.md", "unknown_format"),
    ] {
        let (code, json) = inspect_json(file, &[]);
        assert_eq!(code, 2, "{file}");
        assert_eq!(json["error"], error, "{file}");
        let message = json["message"].as_str().unwrap();
        assert!(
            message.ends_with('.') && message.len() > 20,
            "{file}: {message}"
        );
    }
}

#[test]
fn chip_option_refuses_a_t_build_on_an_n_chip() {
    let (code, json) = inspect_json("bk7231t_wb2s.uf2", &["--chip", "bk7231n"]);
    assert_eq!(code, 2);
    assert_eq!(json["error"], "chip_mismatch");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("for a BK7231T; your chip is a BK7231N")
    );
    let (code, json) = inspect_json("bk7231t_wb2s.uf2", &["--chip", "BK7231T"]);
    assert_eq!(code, 0);
    assert_eq!(json["kind"], "libretiny_uf2");
}

#[test]
fn human_summary_lists_the_regions() {
    let path = testdata("bk7231n_cb2s.uf2");
    let out = bkflash(&["inspect", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("0x011000..0x0124FC      5372 bytes"),
        "{text}"
    );
    assert!(
        text.contains("0x129F0A..0x129F70       102 bytes"),
        "{text}"
    );
    assert!(text.contains("board          cb2s"), "{text}");
    let refused = bkflash(&["inspect", testdata("out_of_order.uf2").to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8(refused.stderr)
            .unwrap()
            .contains("(out_of_order)")
    );
}

#[test]
fn bad_command_lines_and_missing_files_fail_with_a_message() {
    let missing = bkflash(&["inspect", "/nonexistent/firmware.uf2", "--json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("cannot read /nonexistent/firmware.uf2")
    );
    let unknown_chip = bkflash(&["inspect", "x.uf2", "--chip", "esp32"]);
    assert_eq!(unknown_chip.status.code(), Some(2));
    assert!(
        String::from_utf8(unknown_chip.stderr)
            .unwrap()
            .contains("unknown chip 'esp32'")
    );
    assert_eq!(bkflash(&[]).status.code(), Some(2));
}
