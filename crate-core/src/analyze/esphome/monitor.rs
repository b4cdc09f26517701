//! Power metering by `chip_type`: BL0937/HLW8012 on three pins, BL0942 on a UART, HLW8032 not
//! supported (UPK2ESPHome's monitor part, dump-analysis.md §5.6).

use super::yaml::{Map, Node, s};
use super::{Builder, invert, pin};
use crate::analyze::device::lookup::{as_int, equals, get, py_str, truthy};
use alloc::format;
use alloc::string::String;
use serde_json::{Map as Json, Value};

const TRIGGERS: &[&str] = &[
    "chip_type",
    "over_cur",
    "over_vol",
    "lose_vol",
    "ele_pin",
    "vi_pin",
    "sel_pin_pin",
    "sel_pin_lv",
    "sample_resistor",
    "work_voltage",
    "vol_def",
];
const VOLTAGE_DIVIDER: i64 = 1600;
const BL0942_BAUD: i64 = 4800;

/// `milli / 1000` with three decimals, as Python's `f"{x:.03f}"` gives it (by integer arithmetic,
/// which avoids linking the float formatter).
fn three_decimals(milli: f64) -> String {
    let sign = if milli < 0.0 { "-" } else { "" };
    let rounded = (if milli < 0.0 { -milli } else { milli } + 0.5) as u64;
    format!("{sign}{}.{:03}", rounded / 1000, rounded % 1000)
}

fn named(name: &str) -> Node {
    Node::Map(Map::new().with("name", s(name)))
}

fn hlw8012(
    b: &mut Builder,
    upk: &Json<String, Value>,
    chip: &str,
    bl0937: bool,
    resistor: Option<&Value>,
) {
    b.found = true;
    let mut sensor = Map::new()
        .with("platform", s("hlw8012"))
        .with("model", s(chip))
        .with("cf_pin", pin(get(upk, "ele_pin")))
        .with("cf1_pin", pin(get(upk, "vi_pin")))
        .with("sel_pin", pin(get(upk, "sel_pin_pin")))
        .with("current", named(&format!("{chip} Current")))
        .with("voltage", named(&format!("{chip} Voltage")))
        .with("power", named(&format!("{chip} Power")))
        .with("energy", named(&format!("{chip} Energy")))
        .with("voltage_divider", Node::Int(VOLTAGE_DIVIDER));
    if let Some(r) = resistor {
        let ohms = r.as_f64().map_or_else(|| py_str(Some(r)), three_decimals);
        sensor.set("current_resistor", s(&format!("{ohms} ohm")));
    }
    invert(&mut sensor, "sel_pin", equals(get(upk, "sel_pin_lv"), 1));
    invert(&mut sensor, "cf_pin", bl0937);
    invert(&mut sensor, "cf1_pin", bl0937);
    b.doc.push_to("sensor", Node::Map(sensor));
}

fn bl0942(b: &mut Builder, upk: &Json<String, Value>) {
    b.found = true;
    let uart_pin = |key: &str, default: &str| {
        let value = get(upk, key);
        if truthy(value) {
            format!("P{}", py_str(value))
        } else {
            String::from(default)
        }
    };
    let uart = Map::new()
        .with("id", s("uart_bus"))
        .with("tx_pin", s(&uart_pin("ele_tx", "TX1")))
        .with("rx_pin", s(&uart_pin("ele_rx", "RX1")))
        .with("baud_rate", Node::Int(BL0942_BAUD))
        .with("stop_bits", Node::Int(1));
    b.doc.set("uart", Node::Map(uart));
    let power = Map::new().with("name", s("BL0942 Power")).with(
        "filters",
        Node::Map(Map::new().with("multiply", Node::Int(-1))),
    );
    let frequency = Map::new()
        .with("name", s("BL0942 Frequency"))
        .with("accuracy_decimals", Node::Int(2));
    let sensor = Map::new()
        .with("platform", s("bl0942"))
        .with("uart_id", s("uart_bus"))
        .with("current", named("BL0942 Current"))
        .with("voltage", named("BL0942 Voltage"))
        .with("power", Node::Map(power))
        .with("energy", named("BL0942 Energy"))
        .with("frequency", Node::Map(frequency));
    b.doc.push_to("sensor", Node::Map(sensor));
}

pub fn generate(b: &mut Builder, upk: &Json<String, Value>) {
    if !TRIGGERS.iter().any(|k| upk.contains_key(*k)) {
        return;
    }
    if !upk.contains_key("chip_type") {
        b.warn(String::from(
            "power metering keys are present but chip_type is not: no power meter added",
        ));
        return;
    }
    let resistor = if upk.contains_key("resistor") {
        get(upk, "resistor")
    } else {
        get(upk, "sample_resistor")
    };
    let chip_type = upk.get("chip_type");
    match as_int(chip_type) {
        Some(0) => hlw8012(b, upk, "BL0937", true, resistor),
        Some(1) => hlw8012(b, upk, "HLW8012", false, resistor),
        Some(2) => b.warn(String::from(
            "the HLW8032 power meter (chip_type 2) is not supported",
        )),
        Some(3) => bl0942(b, upk),
        _ => b.warn(format!(
            "unknown power meter chip_type {}",
            py_str(chip_type)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shunt_text_matches_python_formatting() {
        assert_eq!(three_decimals(1.0), "0.001");
        assert_eq!(three_decimals(2500.0), "2.500");
        assert_eq!(three_decimals(1.6), "0.002");
    }
}
