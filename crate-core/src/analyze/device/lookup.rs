//! Reading UPK values with the semantics the converters rely on: JSON null counts as missing,
//! numbers compare across integer and float, and text forms follow Python's `str()` (for `P{pin}`).

use alloc::string::{String, ToString};
use serde_json::{Map, Value};

/// The value of `key`, treating JSON null as absent (Python's `dict.get` then `is None`).
pub fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// Python's `value == n` for JSON values: numbers by value, booleans as 1/0, text never.
pub fn equals(value: Option<&Value>, n: i64) -> bool {
    match value {
        Some(Value::Number(num)) => num.as_i64() == Some(n) || num.as_f64() == Some(n as f64),
        Some(Value::Bool(b)) => i64::from(*b) == n,
        _ => false,
    }
}

/// `f` as an integer when it has no fractional part (and fits without rounding).
pub fn whole(f: f64) -> Option<i64> {
    (f.is_finite() && (-9.0e15..=9.0e15).contains(&f) && (f as i64) as f64 == f).then_some(f as i64)
}

/// The integer value, for numbers that are whole.
pub fn as_int(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(num) => num.as_i64().or_else(|| num.as_f64().and_then(whole)),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Python truthiness of a looked-up value.
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// Python's `str(value)`: integers plain, floats with a decimal point, `True`/`False`, `None`.
pub fn py_str(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::from("None"),
        Some(Value::Bool(true)) => String::from("True"),
        Some(Value::Bool(false)) => String::from("False"),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    }
}

/// A GPIO number, when the value is one.
pub fn gpio(value: Option<&Value>) -> Option<u8> {
    as_int(value).and_then(|n| u8::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_semantics() {
        let map = json!({"a": 0, "b": null, "c": 1.0, "d": "1", "e": true})
            .as_object()
            .unwrap()
            .clone();
        assert!(get(&map, "b").is_none());
        assert!(
            equals(get(&map, "a"), 0) && equals(get(&map, "c"), 1) && equals(get(&map, "e"), 1)
        );
        assert!(!equals(get(&map, "d"), 1));
        assert!(!truthy(get(&map, "a")) && truthy(get(&map, "d")));
        assert_eq!(py_str(get(&map, "c")), "1.0");
        assert_eq!(py_str(get(&map, "a")), "0");
        assert_eq!(py_str(get(&map, "zz")), "None");
        assert_eq!(gpio(get(&map, "c")), Some(1));
    }
}
