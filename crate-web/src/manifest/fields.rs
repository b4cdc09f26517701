//! A manifest's JSON, read field by field: a missing or unknown field, or a value of the wrong type,
//! is an error that names the field (`builds[0].image`). The page parses with the browser's
//! `JSON.parse` (no parser in the wasm); the host build, for unit tests, parses with serde_json.

/// A JSON value as the manifest rules read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Parse JSON text with the browser's own parser; the error is its `SyntaxError` message.
#[cfg(target_arch = "wasm32")]
pub fn parse_json(text: &str) -> Result<Json, String> {
    use js_sys::{JSON, Reflect};
    use wasm_bindgen::JsValue;

    JSON::parse(text)
        .map(|value| from_js(&value))
        .map_err(|error| {
            Reflect::get(&error, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| String::from("not JSON"))
        })
}

#[cfg(target_arch = "wasm32")]
fn from_js(value: &wasm_bindgen::JsValue) -> Json {
    use js_sys::{Array, Object};
    use wasm_bindgen::JsCast;

    if let Some(text) = value.as_string() {
        Json::Text(text)
    } else if let Some(number) = value.as_f64() {
        Json::Number(number)
    } else if let Some(flag) = value.as_bool() {
        Json::Bool(flag)
    } else if Array::is_array(value) {
        Json::List(Array::from(value).iter().map(|v| from_js(&v)).collect())
    } else if value.is_object() {
        let entries = Object::entries(value.unchecked_ref::<Object>());
        Json::Object(
            entries
                .iter()
                .map(|entry| {
                    let pair = Array::from(&entry);
                    (
                        pair.get(0).as_string().unwrap_or_default(),
                        from_js(&pair.get(1)),
                    )
                })
                .collect(),
        )
    } else {
        Json::Null
    }
}

/// Parse JSON text with serde_json (host builds only: the unit tests of the manifest rules).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_json(text: &str) -> Result<Json, String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|value| from_serde(&value))
        .map_err(|error| error.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
fn from_serde(value: &serde_json::Value) -> Json {
    use serde_json::Value;
    match value {
        Value::Null => Json::Null,
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Number(number) => Json::Number(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => Json::Text(text.clone()),
        Value::Array(items) => Json::List(items.iter().map(from_serde).collect()),
        Value::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), from_serde(value)))
                .collect(),
        ),
    }
}

/// A JSON object that has exactly the fields its reader expects.
pub struct JsonObject {
    fields: Vec<(String, Json)>,
    /// Where the object sits in the manifest, as a prefix: "" or "builds[2].".
    at: String,
}

impl JsonObject {
    /// `value` as an object whose fields are all in `names`; `at` is its place ("" or "builds[2].").
    pub fn new(value: Json, at: String, names: &[&str]) -> Result<Self, String> {
        let place = match at.trim_end_matches('.') {
            "" => String::from("the manifest"),
            build => format!("`{build}`"),
        };
        let Json::Object(fields) = value else {
            return Err(format!("{place} must be a JSON object {{ ... }}"));
        };
        if let Some((key, _)) = fields
            .iter()
            .find(|(key, _)| !names.contains(&key.as_str()))
        {
            let expected: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            return Err(format!(
                "unknown field `{key}` in {place}, expected one of {}",
                expected.join(", ")
            ));
        }
        Ok(Self { fields, at })
    }

    fn field(&self, name: &str) -> Result<&Json, String> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
            .ok_or_else(|| format!("missing field `{}{name}`", self.at))
    }

    pub fn string(&self, name: &str) -> Result<String, String> {
        match self.field(name)? {
            Json::Text(text) => Ok(text.clone()),
            _ => Err(format!("`{}{name}` must be a string", self.at)),
        }
    }

    /// A whole number from 0 to 2^32 - 1 (checked as a number: printing it would link a float printer).
    pub fn whole_number(&self, name: &str) -> Result<u32, String> {
        match self.field(name)? {
            Json::Number(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n) => {
                Ok(*n as u32)
            }
            _ => Err(format!("`{}{name}` must be a whole number", self.at)),
        }
    }

    pub fn list(&self, name: &str) -> Result<Vec<Json>, String> {
        match self.field(name)? {
            Json::List(items) => Ok(items.clone()),
            _ => Err(format!("`{}{name}` must be a list [ ... ]", self.at)),
        }
    }
}
