//! Turn a stored value into what bk7231tools' `dissect_dump` shows: JSON, repaired Tuya JSON for
//! `user_param_key`, plain text, or `HEX:` for binary (dump-analysis.md §2.6).

use super::tuya_json;
use alloc::format;
use alloc::string::String;
use serde::Serialize;
use serde_json::Value;

/// How a value was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Json,
    TuyaJson,
    Text,
    Binary,
}

/// Printable ASCII (0x20..0x7F) plus CR and LF, as bk7231tools tests it.
fn is_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| (0x20..0x80).contains(&b) || b == b'\r' || b == b'\n')
}

/// Decode `raw` (the value of key `name`) the way bk7231tools does.
pub fn decode(name: &str, raw: &[u8]) -> (Value, Encoding) {
    let end = raw.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let trimmed = &raw[..end];
    if !is_text(trimmed) {
        let hex: String = trimmed.iter().map(|b| format!("{b:02x}")).collect();
        return (Value::String(format!("HEX:{hex}")), Encoding::Binary);
    }
    let text = core::str::from_utf8(trimmed).unwrap_or_default();
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return (value, Encoding::Json);
    }
    if name == "user_param_key"
        && let Some(map) = tuya_json::parse(text)
    {
        return (Value::Object(map), Encoding::TuyaJson);
    }
    (Value::String(String::from(text)), Encoding::Text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_like_dissect_dump() {
        assert_eq!(
            decode("gw_di", b"{\"swv\":\"1.0.0\"}\0\0"),
            (json!({"swv":"1.0.0"}), Encoding::Json)
        );
        assert_eq!(
            decode("user_param_key", b"{rl1_pin:26,}"),
            (json!({"rl1_pin":26}), Encoding::TuyaJson)
        );
        assert_eq!(
            decode("other", b"{rl1_pin:26,}"),
            (json!("{rl1_pin:26,}"), Encoding::Text)
        );
        assert_eq!(
            decode("bin", &[1, 2, 0]),
            (json!("HEX:0102"), Encoding::Binary)
        );
        assert_eq!(decode("n", b"115200"), (json!(115200), Encoding::Json));
        assert_eq!(decode("e", b""), (json!(""), Encoding::Text));
    }
}
