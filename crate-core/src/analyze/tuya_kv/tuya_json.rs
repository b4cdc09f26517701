//! Tuya's "JSON without quotes" (`{rl1_pin:26,module:CB2S,}`), repaired with the same three steps
//! as bk7231tools and UPK2ESPHome so every referee sees the same types (dump-analysis.md §2.6).

use alloc::string::String;
use serde_json::{Map, Value};

const STRUCTURE: &[u8] = b"{}[]:,";

/// Step 1: wrap every maximal run of bytes other than `{ } [ ] : ,` in double quotes.
fn quote_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut in_run = false;
    for ch in text.chars() {
        let structural = ch.is_ascii() && STRUCTURE.contains(&(ch as u8));
        if !structural && !in_run {
            out.push('"');
            in_run = true;
        } else if structural && in_run {
            out.push('"');
            in_run = false;
        }
        out.push(ch);
    }
    if in_run {
        out.push('"');
    }
    out
}

/// Length of a `"` + (`0` | `[1-9][0-9]*`) + `"` match starting at `at`, as the regex finds it.
fn quoted_integer_at(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let digits_start = at + 1;
    let first = *bytes.get(digits_start)?;
    let digits = match first {
        b'0' => 1,
        b'1'..=b'9' => bytes[digits_start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count(),
        _ => return None,
    };
    (bytes.get(digits_start + digits) == Some(&b'"')).then_some(digits + 2)
}

/// Step 2: unquote decimal integers without a leading zero (or exactly `0`), left to right.
fn unquote_integers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match quoted_integer_at(bytes, i) {
            Some(len) => {
                out.push_str(&text[copied..i]);
                out.push_str(&text[i + 1..i + len - 1]);
                i += len;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The repaired text (steps 1-3), before JSON parsing.
pub fn repair(text: &str) -> String {
    unquote_integers(&quote_runs(text)).replace(",}", "}")
}

/// Repair and parse; `None` when the result is not a JSON object (bk7231tools then gives up too).
pub fn parse(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(&repair(text)) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_follow_the_referees() {
        let map =
            parse("{Jsonver:1.1.8,module:CB2S,rl1_pin:26,rl1_lv:1,x:true,y:-1,z:01,o:0,}").unwrap();
        assert_eq!(
            Value::Object(map),
            json!({"Jsonver":"1.1.8","module":"CB2S","rl1_pin":26,"rl1_lv":1,"x":"true","y":"-1","z":"01","o":0})
        );
    }

    #[test]
    fn nested_lists_and_spaces_survive() {
        let map = parse("{a:[1,b c],d:{e:5}}").unwrap();
        assert_eq!(Value::Object(map), json!({"a":[1,"b c"],"d":{"e":5}}));
    }

    #[test]
    fn a_colon_inside_a_value_or_real_quotes_break_the_parse() {
        assert_eq!(parse("{module:CB:2S}"), None);
        assert_eq!(repair(r#"{"a":1}"#), r#"{""a"":1}"#);
        assert_eq!(parse(r#"{"a":1}"#), None);
        assert_eq!(parse(""), None);
    }
}
