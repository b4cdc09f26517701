//! The old nested `user_param_key` (`{"sw":{"ch":[{"bt":{"pin":{"value":15}}}]}}`), flattened and
//! renamed to today's keys the way UPK2ESPHome does it (dump-analysis.md §2.6).

use alloc::format;
use alloc::string::String;
use serde_json::{Map, Value};

/// Applied in order to every flattened key: a prefix, a suffix or the whole key is replaced.
const RENAMES: &[(&str, &str)] = &[
    ("sw_", ""),
    ("_value", ""),
    ("dltj_ct", "chip_type"),
    ("dltj_ivcpin_pin", "sel_pin_pin"),
    ("dltj_ivcpin_lv", "sel_pin_lv"),
    ("dltj_ivpin_pin", "vi_pin"),
    ("dltj_epin_pin", "ele_pin"),
    ("dltj_ri", "resistor"),
    ("ch_0_bt", "bt1"),
    ("ch_1_bt", "bt2"),
    ("ch_2_bt", "bt3"),
    ("ch_3_bt", "bt4"),
    ("ch_0_rl", "rl1"),
    ("ch_1_rl", "rl2"),
    ("ch_2_rl", "rl3"),
    ("ch_3_rl", "rl4"),
    ("net_wfst", "netled"),
];

/// Whether `upk` is in the old nested format.
pub fn is_old_format(upk: &Map<String, Value>) -> bool {
    matches!(upk.get("sw"), Some(Value::Object(_)))
}

fn flatten(prefix: &str, value: &Value, out: &mut Map<String, Value>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            String::from(key)
        } else {
            format!("{prefix}_{key}")
        }
    };
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| flatten(&join(k), v, out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| flatten(&join(&format!("{i}")), v, out)),
        other => {
            out.insert(String::from(prefix), other.clone());
        }
    }
}

fn rename(key: &str) -> String {
    let mut key = String::from(key);
    for (item, replacement) in RENAMES {
        if let Some(rest) = key.strip_prefix(item) {
            key = format!("{replacement}{rest}");
        }
        if let Some(rest) = key.strip_suffix(item) {
            key = format!("{rest}{replacement}");
        }
        if key == *item {
            key = String::from(*replacement);
        }
    }
    key
}

/// `true`/`false` (as booleans or text) become 1/0.
fn normalise(value: Value) -> Value {
    match value {
        Value::Bool(b) => Value::from(u8::from(b)),
        Value::String(s) if s == "true" => Value::from(1),
        Value::String(s) if s == "false" => Value::from(0),
        other => other,
    }
}

/// The flat, renamed form of an old nested config.
pub fn flatten_old(upk: &Map<String, Value>) -> Map<String, Value> {
    let mut flat = Map::new();
    flatten("", &Value::Object(upk.clone()), &mut flat);
    let mut renamed = Map::new();
    for (key, value) in flat {
        renamed.insert(rename(&key), normalise(value));
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattens_like_upk2esphome() {
        let old = json!({"sw":{"dltj":{"ct":{"value":false},"epin":{"pin":{"value":4}},"ri":{"value":1}},
            "ch":[{"bt":{"pin":{"value":3},"lv":{"value":false}},"rl":{"pin":{"value":14},"lv":{"value":true}}}],
            "net":{"wfst":{"pin":{"value":13}}}}});
        let Value::Object(map) = old else {
            unreachable!()
        };
        assert!(is_old_format(&map));
        let flat = Value::Object(flatten_old(&map));
        assert_eq!(
            flat,
            json!({"chip_type":0,"ele_pin":4,"resistor":1,"bt1_pin":3,"bt1_lv":0,"rl1_pin":14,"rl1_lv":1,"netled_pin":13})
        );
    }
}
