//! A small ordered YAML tree and its text, laid out like UPK2ESPHome's output (PyYAML block style,
//! lists indented under their key, a blank line between top-level keys, `_N` entries as comments; dump-analysis.md §5.8).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Text, quoted when YAML would read it as something else.
    Str(String),
    /// Written as is (`!secret wifi_ssid`).
    Raw(String),
    Map(Map),
    List(Vec<Node>),
    /// A `# text` line in place of an entry.
    Comment(String),
}

/// Keys in insertion order; setting an existing key replaces its value where it stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(pub Vec<(String, Node)>);

impl Map {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    pub fn set(&mut self, key: &str, value: Node) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((String::from(key), value)),
        }
    }

    pub fn with(mut self, key: &str, value: Node) -> Self {
        self.set(key, value);
        self
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Append `item` to the list at `key`, creating the list at the end of the map if needed.
    pub fn push_to(&mut self, key: &str, item: Node) {
        if !self.contains(key) {
            self.set(key, Node::List(Vec::new()));
        }
        if let Some(Node::List(items)) = self.get_mut(key) {
            items.push(item);
        }
    }
}

pub fn s(text: &str) -> Node {
    Node::Str(String::from(text))
}

/// YAML 1.1 words PyYAML reads as booleans or null.
const SPECIAL_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
];

fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let first = body.chars().next();
    first.is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(c, '.' | '_' | ':' | 'x' | 'o' | 'e' | 'E' | '+' | '-')
        })
}

fn needs_quotes(text: &str) -> bool {
    text.is_empty()
        || SPECIAL_WORDS.contains(&text)
        || looks_numeric(text)
        || text.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', ' ',
        ])
        || text.ends_with([' ', ':'])
        || text.contains(": ")
        || text.contains(" #")
        || text.contains(['\n', '\t'])
}

fn scalar(node: &Node) -> Option<String> {
    Some(match node {
        Node::Int(i) => i.to_string(),
        Node::Float(f) => {
            serde_json::Number::from_f64(*f).map_or_else(|| String::from(".nan"), |n| n.to_string())
        }
        Node::Bool(b) => String::from(if *b { "true" } else { "false" }),
        Node::Str(text) if needs_quotes(text) => format!("\"{}\"", text.replace('"', "\\\"")),
        Node::Str(text) | Node::Raw(text) => text.clone(),
        _ => return None,
    })
}

fn pad(out: &mut String, indent: usize) {
    out.extend(core::iter::repeat_n(' ', indent));
}

/// `key: value` lines of a map at `indent`; the first line's indentation is left to the caller
/// when `first_inline` (a map that starts on a list item's dash line).
fn write_map(out: &mut String, map: &Map, indent: usize, first_inline: bool) {
    for (i, (key, value)) in map.0.iter().enumerate() {
        if !(first_inline && i == 0) {
            pad(out, indent);
        }
        match value {
            Node::Comment(text) => out.push_str(&format!("# {text}\n")),
            Node::Map(inner) if inner.is_empty() => out.push_str(&format!("{key}:\n")),
            Node::List(items) if items.is_empty() => out.push_str(&format!("{key}: []\n")),
            Node::Map(inner) => {
                out.push_str(&format!("{key}:\n"));
                write_map(out, inner, indent + 2, false);
            }
            Node::List(items) => {
                out.push_str(&format!("{key}:\n"));
                write_list(out, items, indent + 2);
            }
            other => out.push_str(&format!("{key}: {}\n", scalar(other).unwrap_or_default())),
        }
    }
}

fn write_list(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push_str("- ");
        match item {
            Node::Map(map) if !map.is_empty() => write_map(out, map, indent + 2, true),
            Node::Map(_) => out.push('\n'),
            Node::List(inner) => {
                out.push('\n');
                write_list(out, inner, indent + 2);
            }
            other => out.push_str(&format!("{}\n", scalar(other).unwrap_or_default())),
        }
    }
}

/// The document text: one block per top-level key, separated by blank lines.
pub fn to_text(document: &Map) -> String {
    let mut out = String::new();
    for (i, (key, value)) in document.0.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_map(
            &mut out,
            &Map(alloc::vec![(key.clone(), value.clone())]),
            0,
            false,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn lays_out_like_upk2esphome() {
        let mut doc = Map::new();
        let pin = Map::new()
            .with("number", s("P10"))
            .with("inverted", Node::Bool(true));
        let then = Map::new().with(
            "then",
            Node::List(vec![Node::Map(
                Map::new().with("switch.toggle", s("switch_1")),
            )]),
        );
        let sensor = Map::new()
            .with("platform", s("gpio"))
            .with("pin", Node::Map(pin))
            .with("on_press", Node::Map(then));
        doc.push_to("binary_sensor", Node::Map(sensor));
        doc.set("tuya", Node::Map(Map::new()));
        doc.set(
            "remote_receiver",
            Node::Map(
                Map::new()
                    .with("pin", s("P7"))
                    .with("_1", Node::Comment(String::from("dump: all"))),
            ),
        );
        doc.set(
            "key",
            Node::Map(Map::new().with("then", Node::List(vec![]))),
        );
        let expected = "binary_sensor:\n  - platform: gpio\n    pin:\n      number: P10\n      inverted: true\n    on_press:\n      then:\n        - switch.toggle: switch_1\n\ntuya:\n\nremote_receiver:\n  pin: P7\n  # dump: all\n\nkey:\n  then: []\n";
        assert_eq!(to_text(&doc), expected);
    }

    #[test]
    fn quotes_only_what_yaml_would_misread() {
        assert_eq!(scalar(&s("P26")).unwrap(), "P26");
        assert_eq!(scalar(&s("0.001 ohm")).unwrap(), "0.001 ohm");
        assert_eq!(scalar(&s("1.1.8")).unwrap(), "\"1.1.8\"");
        assert_eq!(scalar(&s("on")).unwrap(), "\"on\"");
        assert_eq!(scalar(&s("50%")).unwrap(), "50%");
        assert_eq!(
            scalar(&Node::Raw(String::from("!secret wifi_ssid"))).unwrap(),
            "!secret wifi_ssid"
        );
    }
}
