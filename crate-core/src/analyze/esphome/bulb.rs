//! Lights: PWM channels or one of four I2C LED drivers, then the light platform chosen from the set
//! of colours found, as UPK2ESPHome's bulb part does it (dump-analysis.md §5.5).

use super::yaml::{Map, Node, s};
use super::{Builder, invert, pin};
use crate::analyze::device::lookup::{as_int, equals, get, py_str, truthy};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map as Json, Value};

const COLOURS: [&str; 5] = ["red", "green", "blue", "cold", "warm"];
const ALL_COLOURS: [&str; 7] = [
    "red",
    "green",
    "blue",
    "cold",
    "warm",
    "brightness",
    "temperature",
];

#[derive(Clone, Copy)]
enum Driver {
    Pwm,
    Sm2235,
    Sm2135,
    Bp5758d,
    Bp1658cj,
}

impl Driver {
    /// The ESPHome component (and output platform) of an I2C driver.
    fn component(self) -> &'static str {
        match self {
            Driver::Pwm => "libretiny_pwm",
            Driver::Sm2235 => "sm2235",
            Driver::Sm2135 => "sm2135",
            Driver::Bp5758d => "bp5758d",
            Driver::Bp1658cj => "bp1658cj",
        }
    }
}

/// Drivers in UPK2ESPHome's order, with the keys whose presence selects them.
const DRIVERS: &[(Driver, &[&str])] = &[
    (Driver::Pwm, &["r_pin", "g_pin", "b_pin", "c_pin", "w_pin"]),
    (Driver::Sm2235, &["2235ccur", "2235wcur"]),
    (
        Driver::Sm2135,
        &[
            "ehccur", "ehwcur", "wampere", "campere", "iicccur", "iicwcur",
        ],
    ),
    (Driver::Bp5758d, &["dccur", "dwcur", "drgbcur"]),
    (Driver::Bp1658cj, &["cjccur", "cjwcur"]),
];

/// Light platforms by the sorted first letters of the colours found: (letters, platform, renames, extras).
type Platform = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    Extras,
);

#[derive(Clone, Copy, PartialEq)]
enum Extras {
    None,
    ColdWarm,
    Interlocked,
}

const PLATFORMS: &[Platform] = &[
    ("bgr", "rgb", &[], Extras::None),
    ("bgrw", "rgbw", &[("warm", "white")], Extras::None),
    ("bcgr", "rgbw", &[("cold", "white")], Extras::None),
    (
        "bcgrw",
        "rgbww",
        &[("cold", "cold_white"), ("warm", "warm_white")],
        Extras::Interlocked,
    ),
    (
        "bbgrt",
        "rgbct",
        &[
            ("brightness", "white_brightness"),
            ("temperature", "color_temperature"),
        ],
        Extras::Interlocked,
    ),
    (
        "cw",
        "cwww",
        &[("cold", "cold_white"), ("warm", "warm_white")],
        Extras::ColdWarm,
    ),
    (
        "bt",
        "color_temperature",
        &[("temperature", "color_temperature")],
        Extras::ColdWarm,
    ),
    ("c", "monochromatic", &[("cold", "output")], Extras::None),
    ("w", "monochromatic", &[("warm", "output")], Extras::None),
];

/// `(cmod, cwtype)` pairs and the platform they imply; a mismatch is only a warning.
const CMOD_PLATFORMS: &[(&str, i64, &str)] = &[
    ("rgbcw", 0, "rgbww"),
    ("rgbcw", 1, "rgbct"),
    ("rgb", 0, "rgb"),
    ("cw", 0, "cwww"),
    ("cw", 1, "color_temperature"),
    ("c", 0, "monochromatic"),
    ("rgbc", 0, "rgbw"),
];

fn pwm(b: &mut Builder, upk: &Json<String, Value>) -> Vec<&'static str> {
    let ct = equals(upk.get("cwtype").or(Some(&Value::from(0))), 1);
    let mut found = Vec::new();
    for colour in COLOURS {
        let letter = &colour[..1];
        let Some(value) = get(upk, &format!("{letter}_pin")) else {
            continue;
        };
        let colour = match (ct, colour) {
            (true, "cold") => "brightness",
            (true, "warm") => "temperature",
            _ => colour,
        };
        found.push(colour);
        let mut output = Map::new()
            .with("platform", s("libretiny_pwm"))
            .with("id", s(&format!("output_{colour}")))
            .with("pin", pin(Some(value)));
        invert(
            &mut output,
            "pin",
            equals(get(upk, &format!("{letter}_lv")), 0),
        );
        b.doc.push_to("output", Node::Map(output));
    }
    found
}

fn number(value: &Value) -> Node {
    match value {
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Node::Float(n.as_f64().unwrap_or_default()), Node::Int),
        other => s(&py_str(Some(other))),
    }
}

/// SM2135 current: `10 + 5 x (ehccur or iicccur)` mA, else the plain mA key.
fn sm2135_current(
    upk: &Json<String, Value>,
    steps: &str,
    steps_alt: &str,
    plain: &str,
) -> Option<String> {
    let step = if upk.contains_key(steps) {
        get(upk, steps)
    } else {
        get(upk, steps_alt)
    };
    match step {
        Some(v) => Some(format!(
            "{}mA",
            as_int(Some(v)).map_or_else(|| py_str(Some(v)), |n| format!("{}", 10 + n * 5))
        )),
        None => get(upk, plain).map(|v| format!("{}mA", py_str(Some(v)))),
    }
}

fn i2c(b: &mut Builder, upk: &Json<String, Value>, driver: Driver) -> Vec<&'static str> {
    let (scl, sda) = (get(upk, "iicscl"), get(upk, "iicsda"));
    if !truthy(scl) || !truthy(sda) {
        b.warn(String::from(
            "I2C LED driver pins (iicscl, iicsda) not found",
        ));
        return Vec::new();
    }
    let name = driver.component();
    let mut block = Map::new()
        .with("clock_pin", pin(scl))
        .with("data_pin", pin(sda));
    match driver {
        Driver::Sm2235 | Driver::Bp1658cj => {
            let (colour, white) = if matches!(driver, Driver::Sm2235) {
                ("2235ccur", "2235wcur")
            } else {
                ("cjccur", "cjwcur")
            };
            if let Some(v) = get(upk, colour) {
                block.set("max_power_color_channels", number(v));
            }
            if let Some(v) = get(upk, white) {
                block.set("max_power_white_channels", number(v));
            }
        }
        Driver::Sm2135 => {
            if let Some(c) = sm2135_current(upk, "ehccur", "iicccur", "campere") {
                block.set("rgb_current", s(&c));
            }
            if let Some(w) = sm2135_current(upk, "ehwcur", "iicwcur", "wampere") {
                block.set("cw_current", s(&w));
            }
        }
        Driver::Bp5758d | Driver::Pwm => {}
    }
    b.doc.set(name, Node::Map(block));
    let mut found = Vec::new();
    for colour in COLOURS {
        let Some(channel) = upk.get(&format!("iic{}", &colour[..1])) else {
            continue;
        };
        found.push(colour);
        let mut output = Map::new()
            .with("platform", s(name))
            .with("id", s(&format!("output_{colour}")));
        if matches!(driver, Driver::Bp5758d) {
            output.set(
                "channel",
                as_int(Some(channel)).map_or_else(|| number(channel), |n| Node::Int(n + 1)),
            );
            let current = match colour {
                "cold" => get(upk, "dccur"),
                "warm" => get(upk, "dwcur"),
                _ => get(upk, "drgbcur"),
            };
            if truthy(current) {
                output.set("current", number(current.unwrap_or(&Value::Null)));
            }
        } else {
            output.set("channel", number(channel));
        }
        b.doc.push_to("output", Node::Map(output));
    }
    found
}

/// How often each letter occurs among the first letters of `words`.
fn letter_counts<'a>(words: impl Iterator<Item = &'a u8>) -> [u8; 26] {
    let mut counts = [0u8; 26];
    for &b in words {
        if b.is_ascii_lowercase() {
            counts[usize::from(b - b'a')] += 1;
        }
    }
    counts
}

/// The platform whose letters are the first letters of the colours found, as a multiset.
fn platform_for(found: &[&str]) -> Option<&'static Platform> {
    let letters = letter_counts(found.iter().filter_map(|c| c.as_bytes().first()));
    PLATFORMS
        .iter()
        .find(|(key, ..)| letter_counts(key.as_bytes().iter()) == letters)
}

fn light(b: &mut Builder, upk: &Json<String, Value>, found: &[&str]) {
    let Some(&(_, platform, renames, extras)) = platform_for(found) else {
        b.warn(format!(
            "no light platform for the colours {}",
            found.join(", ")
        ));
        return;
    };
    let mut entry = Map::new()
        .with("platform", s(platform))
        .with("id", s(&format!("light_{platform}")))
        .with("name", s("Light"));
    if extras == Extras::Interlocked {
        entry.set("color_interlock", Node::Bool(true));
    }
    if extras != Extras::None {
        entry.set("cold_white_color_temperature", s("6500 K"));
        entry.set("warm_white_color_temperature", s("2700 K"));
    }
    for colour in ALL_COLOURS.iter().filter(|c| found.contains(c)) {
        let key = renames
            .iter()
            .find(|(from, _)| from == colour)
            .map_or(*colour, |(_, to)| to);
        entry.set(key, s(&format!("output_{colour}")));
    }
    b.doc.push_to("light", Node::Map(entry));
    let cmod = get(upk, "cmod").and_then(Value::as_str);
    let cwtype = as_int(upk.get("cwtype").or(Some(&Value::from(0))));
    if let Some((_, _, expected)) = CMOD_PLATFORMS
        .iter()
        .find(|(m, t, _)| Some(*m) == cmod && Some(*t) == cwtype)
        && *expected != platform
    {
        b.warn(format!(
            "cmod {} / cwtype {} does not match the light platform {platform}",
            cmod.unwrap_or(""),
            cwtype.unwrap_or(0)
        ));
    }
}

pub fn generate(b: &mut Builder, upk: &Json<String, Value>) {
    let mut upk = upk.clone();
    if upk.get("iicc") == upk.get("iicw") {
        upk.remove("iicw");
    }
    for &(driver, keys) in DRIVERS {
        if !keys.iter().any(|k| upk.contains_key(*k)) {
            continue;
        }
        b.found = true;
        let found = match driver {
            Driver::Pwm => pwm(b, &upk),
            other => i2c(b, &upk, other),
        };
        if !found.is_empty() {
            light(b, &upk, &found);
        }
    }
}
