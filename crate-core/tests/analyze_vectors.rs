//! The generated Tuya dumps (testdata/dumps/, made by gen_dumps.py): each gives the expected device
//! config, OpenBeken template and ESPHome components, and each hard case is handled as the reference says.

use bkflash_core::analyze::openbeken::Levels;
use bkflash_core::analyze::report::{InputKind, PartitionKind, Report};
use bkflash_core::analyze::{Options, analyze};
use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;

fn dumps(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/dumps")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn image(name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&dumps(&format!("{name}.bin.gz"))[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn expected() -> serde_json::Map<String, Value> {
    match serde_json::from_slice(&dumps("expected.json")).unwrap() {
        Value::Object(map) => map,
        _ => panic!("expected.json is an object"),
    }
}

fn run(name: &str) -> Report {
    analyze(&image(name), &Options::default())
}

fn key<'a>(report: &'a Report, name: &str) -> &'a bkflash_core::analyze::report::KeyReport {
    let storage = report.storage.as_ref().expect("storage");
    storage
        .keys
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("no key {name}"))
}

#[test]
fn every_device_vector_gives_the_expected_config_template_and_yaml() {
    let mut checked = 0;
    for (name, spec) in expected() {
        let Some(device) = spec["device"].as_str() else {
            continue;
        };
        let report = run(&name);
        let config: Value =
            serde_json::from_slice(&dumps(&format!("{device}.config.json"))).unwrap();
        let got = report.device.as_ref().map(|d| d.config.clone());
        match config {
            Value::Null => assert_eq!(
                got,
                Some(Value::Object(Default::default())),
                "{name}: no user_param_key"
            ),
            config => assert_eq!(got, Some(config), "{name}: config"),
        }
        let template: Value =
            serde_json::from_slice(&dumps(&format!("{device}.obk.json"))).unwrap();
        let ours = &report.openbeken.as_ref().expect("template").json;
        assert_eq!(ours["pins"], template["pins"], "{name}: template pins");
        assert_eq!(
            ours["command"], template["command"],
            "{name}: template command"
        );
        let yaml = String::from_utf8(dumps(&format!("{device}.yaml"))).unwrap();
        let esphome = report.esphome.as_ref().expect("esphome");
        assert_eq!(
            esphome.components.as_deref().unwrap_or(""),
            yaml,
            "{name}: ESPHome components"
        );
        assert_eq!(
            esphome.board,
            spec["board"].as_str().unwrap(),
            "{name}: board"
        );
        assert!(
            esphome
                .yaml
                .as_deref()
                .unwrap()
                .contains(&format!("board: {}", esphome.board))
        );
        if let Some(chip) = spec["chip"].as_str() {
            assert_eq!(
                report.chip.as_ref().map(|c| c.name),
                Some(chip),
                "{name}: chip"
            );
            assert_eq!(ours["chip"], chip, "{name}: template chip");
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} device vectors");
}

#[test]
fn the_chip_comes_from_the_bootloader_crc_and_the_app_strings_are_read() {
    let n = run("n_bulb");
    let chip = n.chip.as_ref().unwrap();
    assert_eq!((chip.name, chip.method), ("BK7231N", "bootloader_crc"));
    assert!(chip.evidence.contains("0..257"), "{}", chip.evidence);
    let t = run("t_obk");
    let app = t
        .partitions
        .iter()
        .find(|p| p.kind == PartitionKind::App)
        .unwrap();
    assert!(
        app.details.iter().any(|d| d.value == "OpenBK7231T_1.18.42"),
        "{:?}",
        app.details
    );
    let ota = t
        .partitions
        .iter()
        .find(|p| p.kind == PartitionKind::Ota)
        .unwrap();
    assert_eq!((ota.offset, ota.size), (0x13_2000, 0xA6000));
    assert_eq!(
        n.partitions
            .iter()
            .find(|p| p.kind == PartitionKind::Ota)
            .unwrap()
            .offset,
        0x12_A000
    );
}

#[test]
fn a_rotated_dump_is_rotated_back() {
    let report = run("t_rotated");
    assert_eq!(report.input, InputKind::RotatedFullFlash);
    assert_eq!(report.storage.as_ref().unwrap().key_sector, 0x1E_E000);
    assert_eq!(report.partitions[0].kind, PartitionKind::Bootloader);
}

#[test]
fn an_erased_block_is_skipped_where_bk7231tools_stops() {
    let report = run("t_erased_blk3");
    let storage = report.storage.as_ref().unwrap();
    let sector = storage
        .sectors
        .iter()
        .find(|s| s.offset == 0x1F_2000)
        .unwrap();
    assert_eq!(sector.status, "erased");
    assert!(storage.bk7231tools_fails);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("bk7231tools 2.1.2 would stop"))
    );
    assert_eq!(
        key(&report, "ble_beaconkey").value,
        Value::from("synthetic-beacon")
    );
}

#[test]
fn the_highest_generation_wins_wherever_it_is() {
    let report = run("t_stale_swap");
    let upk = &report.device.as_ref().unwrap().config;
    assert_eq!(
        upk["rl1_pin"], 26,
        "the older block 0 in the swap area must not win"
    );
    let swap = key(&report, "swap_test");
    assert_eq!(
        swap.value,
        Value::from("newer copy, in the swap area"),
        "the newer block 4 in the swap area must win"
    );
    assert!(
        !swap.bk7231tools_sees,
        "bk7231tools reads the older copy in its window"
    );
    let storage = report.storage.as_ref().unwrap();
    let stale = storage
        .sectors
        .iter()
        .find(|s| s.offset == 0x1F_D000)
        .unwrap();
    assert_eq!((stale.status, stale.block), ("replaced", Some(0)));
}

#[test]
fn the_protected_decoy_is_not_taken_for_the_key_sector_and_late_keys_are_flagged() {
    let report = run("n_bulb");
    let storage = report.storage.as_ref().unwrap();
    assert_eq!(storage.key_sector, 0x1E_E000);
    assert_eq!(storage.protected_sectors, [0x1E_D000]);
    assert!(
        report
            .partitions
            .iter()
            .any(|p| p.kind == PartitionKind::TuyaKvProtected && p.offset == 0x1E_D000)
    );
    assert!(
        !key(&report, "timer_arr").bk7231tools_sees,
        "block 9 is beyond bk7231tools' 32 KiB window"
    );
    assert!(key(&report, "user_param_key").bk7231tools_sees);
}

#[test]
fn a_storage_only_file_gives_the_same_device() {
    let full = run("t_plug");
    let only = run("storage_only");
    assert_eq!(only.input, InputKind::StorageOnly);
    assert_eq!(only.storage.as_ref().unwrap().key_sector, 0);
    assert_eq!(only.device.unwrap().config, full.device.unwrap().config);
}

#[test]
fn an_openbeken_config_is_recognised_and_decoded() {
    let report = run("t_obk");
    let cfg = report
        .partitions
        .iter()
        .find(|p| p.kind == PartitionKind::OpenbekenConfig)
        .expect("OBK config");
    assert_eq!(cfg.offset, 0x1E_1000);
    let detail = |label: &str| {
        cfg.details
            .iter()
            .find(|d| d.label == label)
            .map(|d| d.value.as_str())
    };
    assert_eq!(detail("layout version"), Some("4"));
    assert_eq!(detail("Wi-Fi SSID"), Some("obk-test-net"));
    assert_eq!(detail("P26"), Some("Rel;1"));
    assert_eq!(detail("P8"), Some("WifiLED_n;0"));
}

#[test]
fn a_user_param_key_compiled_into_the_app_is_found_when_the_storage_has_none() {
    let report = run("t_upk_in_app");
    let device = report.device.as_ref().unwrap();
    assert_eq!(device.origin, "app_code");
    assert_eq!(device.config["rl1_pin"], 14);
}

#[test]
fn tuya_mcu_without_config_gives_uart_only() {
    let report = run("n_tuyamcu_noupk");
    let device = report.device.as_ref().unwrap();
    assert_eq!(device.tuya_mcu_baud, Some(Value::from(115200)));
    assert!(device.pins.is_empty());
}

#[test]
fn negative_cases_say_what_is_wrong() {
    let bad_sum = run("neg_key_sum");
    assert_eq!(bad_sum.input, InputKind::Unrecognised);
    assert!(
        bad_sum.notes.iter().any(|n| n.contains("key sum is wrong")),
        "{:?}",
        bad_sum.notes
    );
    let other = run("neg_other_inner_key");
    assert!(other.storage.as_ref().unwrap().keys.is_empty());
    assert!(
        other
            .notes
            .iter()
            .any(|n| n.contains("no data sector decrypts")),
        "{:?}",
        other.notes
    );
    let missing = run("neg_missing_block");
    let problems = &missing.storage.as_ref().unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("'lost_value'") && p.contains("block 20")),
        "{problems:?}"
    );
    assert!(missing.device.is_some(), "the other keys are still read");
    let colon = run("neg_upk_colon");
    assert!(colon.device.is_none());
    assert!(
        colon.notes.iter().any(|n| n.contains("not Tuya JSON")),
        "{:?}",
        colon.notes
    );
}

#[test]
fn a_partial_read_and_an_erased_image_are_reported() {
    let mut partial = image("t_plug");
    partial.truncate(1192 * 1024);
    let report = analyze(&partial, &Options::default());
    assert_eq!(report.input, InputKind::FullFlash);
    assert!(report.storage.is_none());
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("no Tuya KV storage"))
    );
    let erased = analyze(&vec![0xFF; 0x20_0000], &Options::default());
    assert_eq!(erased.input, InputKind::Erased);
    assert_eq!(
        analyze(&[], &Options::default()).input,
        InputKind::Unrecognised
    );
}

#[test]
fn secrets_are_hidden_unless_asked_for() {
    let hidden = run("t_plug");
    assert_eq!(key(&hidden, "gw_bi").value, Value::from("<hidden>"));
    assert_eq!(key(&hidden, "gw_wsm").value, Value::from("<hidden>"));
    let shown = analyze(
        &image("t_plug"),
        &Options {
            reveal_secrets: true,
            ..Options::default()
        },
    );
    assert_eq!(key(&shown, "gw_bi").value["ap_ssid"], "SmartLife");
    let json = serde_json::to_string(&hidden).unwrap();
    assert!(
        !json.contains("synthetic-pass") && !json.contains("SyntheticAuthKey"),
        "no secret in the report"
    );
}

#[test]
fn active_levels_are_noted_by_default_and_applied_on_request() {
    let default = run("t_plug");
    let template = default.openbeken.as_ref().unwrap();
    assert_eq!(template.json["pins"]["6"], "LED;1");
    assert!(
        template.notes.iter().any(|n| n.starts_with("led1_lv=0")),
        "{:?}",
        template.notes
    );
    let honoured = analyze(
        &image("t_plug"),
        &Options {
            levels: Levels::Honour,
            ..Options::default()
        },
    );
    let pins = &honoured.openbeken.as_ref().unwrap().json["pins"];
    assert_eq!(
        (pins["6"].as_str(), pins["26"].as_str(), pins["10"].as_str()),
        (Some("LED_n;1"), Some("Rel;1"), Some("Btn;1"))
    );
}

#[test]
fn a_config_text_gives_the_same_template_as_the_dump() {
    let text = dumps("plug.config.json");
    let report = analyze(&text, &Options::default());
    assert_eq!(report.input, InputKind::ConfigText);
    let template: Value = serde_json::from_slice(&dumps("plug.obk.json")).unwrap();
    assert_eq!(report.openbeken.unwrap().json["pins"], template["pins"]);
}

#[test]
fn the_template_from_a_backup_configures_openbeken_on_first_boot() {
    use bkflash_core::chips::ChipFamily;
    use bkflash_core::obk_config::{Settings, config_region, decode, layout::PinArrays};
    let report = run("n_bulb");
    let template = &report.openbeken.as_ref().unwrap().json;
    let settings = serde_json::json!({"wifi_ssid": "home", "wifi_password": "pw", "name": "bulb", "template": template});
    let settings = Settings::from_json(&settings.to_string())
        .expect("an analysed template is a valid --obk-config template");
    let chip = ChipFamily::from_name(report.chip.as_ref().unwrap().name);
    let region = config_region(&settings, chip, None).unwrap();
    assert_eq!(region.offset, 0x1D_1000);
    let config = decode(&region.data, PinArrays { entries: 32 }).unwrap();
    let pins: Vec<(usize, &str, u8)> = config
        .pins
        .iter()
        .map(|p| (p.gpio, p.role_name.as_str(), p.channel))
        .collect();
    assert_eq!(
        pins,
        [
            (6, "PWM", 3),
            (7, "PWM", 5),
            (8, "PWM", 4),
            (24, "PWM", 2),
            (26, "PWM", 1)
        ]
    );
    assert_eq!(config.command, "PWMFrequency 1000");
}

#[test]
fn a_signature_in_a_dump_cut_short_marks_a_partition_that_ends_with_the_dump() {
    // Found by the kv_storage fuzz target: Tuya's UF table magic in a 5-byte file.
    let cut = [0x21, 0x43, 0x76, 0x98, 0x99];
    let report = analyze(&cut, &Options::default());
    let area = report
        .partitions
        .iter()
        .find(|p| p.kind == PartitionKind::TuyaFileArea)
        .expect("the magic is still reported");
    assert_eq!((area.offset, area.size), (0, 5));
    for p in &report.partitions {
        assert!(p.offset as usize + p.size as usize <= cut.len(), "{p:?}");
    }
}
