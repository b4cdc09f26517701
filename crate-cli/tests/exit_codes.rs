//! `bkflash` exit codes that need no chip: refusals happen before the port is opened, a missing port
//! exits 3, and `--help` documents the table.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn testdata(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
        .display()
        .to_string()
}

/// Run bkflash as a script would: stdin is not a terminal.
fn bkflash(args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_bkflash"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run bkflash");
    (
        status.code().expect("exit code"),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

const NO_PORT: &str = "/nonexistent/ttyUSB9";

#[test]
fn a_port_that_cannot_be_opened_exits_3() {
    let (code, _, stderr) = bkflash(&["--port", NO_PORT, "info"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("bkflash info: cannot open serial port /nonexistent/ttyUSB9"),
        "{stderr}"
    );
}

#[test]
fn refused_files_exit_2_before_the_port_is_opened() {
    let (code, _, stderr) = bkflash(&[
        "--port",
        NO_PORT,
        "write",
        &testdata("bk7231t_app.ota.rbl"),
        "--yes",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is refused (beken_ota_rbl)"), "{stderr}");
    let (code, _, stderr) = bkflash(&[
        "--port",
        NO_PORT,
        "--chip",
        "bk7231n",
        "write",
        &testdata("bk7231t_wb2s.uf2"),
        "--yes",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("(chip_mismatch)"), "{stderr}");
}

#[test]
fn raw_writes_into_a_legacy_bootloader_are_refused_before_the_port_is_opened() {
    let (code, _, stderr) = bkflash(&[
        "--port",
        NO_PORT,
        "--chip",
        "bk7231t",
        "write",
        &testdata("bk7231t_app_raw.bin"),
        "--raw",
        "--offset",
        "0x0",
        "--yes",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("refused to write 0x000000") && stderr.contains("0x11000"),
        "{stderr}"
    );
}

#[test]
fn changing_the_flash_from_a_script_needs_yes() {
    for args in [vec!["write", "FILE"], vec!["erase", "--all"]] {
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                if *a == "FILE" {
                    testdata("bk7231n_cb2s.uf2")
                } else {
                    a.to_string()
                }
            })
            .collect();
        let mut full = vec!["--port", NO_PORT];
        full.extend(args.iter().map(String::as_str));
        let (code, _, stderr) = bkflash(&full);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("add --yes"), "{args:?}: {stderr}");
    }
}

#[test]
fn help_documents_every_exit_code() {
    let (code, stdout, _) = bkflash(&["--help"]);
    assert_eq!(code, 0);
    for line in [
        "0  done",
        "2  bad command line",
        "3  could not open the port",
        "4  verify: the chip differs",
        "130  cancelled by Ctrl-C",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    let (code, _, stderr) = bkflash(&["read", "--start", "11k", "-o", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("'11k' is not an address"), "{stderr}");
}

#[test]
fn bad_erase_ranges_and_global_values_exit_2_before_the_port_is_opened() {
    for (args, says) in [
        (
            &["erase", "--start", "0x11000", "--length", "0", "--yes"][..],
            "--length 0 erases nothing",
        ),
        (
            &[
                "erase",
                "--start",
                "0xFFFF0000",
                "--length",
                "0x20000",
                "--yes",
            ][..],
            "overflows past 4 GiB",
        ),
        (&["--baud", "0", "info"][..], "0 is not a baud rate"),
        (
            &["--link-timeout", "18446744073709551615", "info"][..],
            "1..=3600",
        ),
    ] {
        let mut all = vec!["--port", NO_PORT];
        all.extend_from_slice(args);
        let (code, _, stderr) = bkflash(&all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("cannot open serial port"),
            "{args:?} was refused only after opening the port: {stderr}"
        );
    }
}
