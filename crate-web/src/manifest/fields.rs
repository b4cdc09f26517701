//! A manifest as the browser's `JSON.parse` returns it, read field by field: a missing or unknown
//! field, or a value of the wrong type, is an error that names the field (`builds[0].image`).

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Parse JSON text with the browser's own parser; the error is its `SyntaxError` message.
pub fn parse_json(text: &str) -> Result<JsValue, String> {
    JSON::parse(text).map_err(|error| {
        Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| String::from("not JSON"))
    })
}

/// A JSON object that has exactly the fields its reader expects.
pub struct JsonObject {
    value: JsValue,
    /// Where the object sits in the manifest, as a prefix: "" or "builds[2].".
    at: String,
}

impl JsonObject {
    /// `value` as an object whose fields are all in `names`; `at` is its place ("" or "builds[2].").
    pub fn new(value: JsValue, at: String, names: &[&str]) -> Result<Self, String> {
        let place = match at.trim_end_matches('.') {
            "" => String::from("the manifest"),
            build => format!("`{build}`"),
        };
        if !value.is_object() || Array::is_array(&value) {
            return Err(format!("{place} must be a JSON object {{ ... }}"));
        }
        for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !names.contains(&key.as_str()) {
                let expected: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                return Err(format!(
                    "unknown field `{key}` in {place}, expected one of {}",
                    expected.join(", ")
                ));
            }
        }
        Ok(Self { value, at })
    }

    fn field(&self, name: &str) -> Result<JsValue, String> {
        let value = Reflect::get(&self.value, &JsValue::from_str(name)).unwrap_or_default();
        if value.is_undefined() {
            return Err(format!("missing field `{}{name}`", self.at));
        }
        Ok(value)
    }

    pub fn string(&self, name: &str) -> Result<String, String> {
        self.field(name)?
            .as_string()
            .ok_or_else(|| format!("`{}{name}` must be a string", self.at))
    }

    /// A whole number from 0 to 2^32 - 1 (checked as a number: printing it would link a float printer).
    pub fn whole_number(&self, name: &str) -> Result<u32, String> {
        self.field(name)?
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
            .map(|n| n as u32)
            .ok_or_else(|| format!("`{}{name}` must be a whole number", self.at))
    }

    pub fn list(&self, name: &str) -> Result<Vec<JsValue>, String> {
        let value = self.field(name)?;
        if !Array::is_array(&value) {
            return Err(format!("`{}{name}` must be a list [ ... ]", self.at));
        }
        Ok(Array::from(&value).to_vec())
    }
}
