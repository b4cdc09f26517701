//! Relays (plain and H-bridge), their indicator LEDs, buttons, toggle inputs and the all-channels
//! button, as UPK2ESPHome's switch part maps them (dump-analysis.md §5.3).

use super::yaml::{Map, Node, s};
use super::{Builder, invert, pin, pull};
use crate::analyze::device::lookup::{as_int, equals, get, py_str};
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Map as Json, Value};

const TRIGGERS: &[&str] = &[
    "bt1_pin",
    "bt2_pin",
    "bt3_pin",
    "bt4_pin",
    "total_bt_pin",
    "rl1_pin",
    "rl2_pin",
    "rl3_pin",
    "rl4_pin",
    "rl_type",
    "onoff1",
];
/// GPIOs with a PWM output on BK7231 (UPK2ESPHome marks this as BK7231-specific).
const PWM_PINS: [i64; 6] = [6, 7, 8, 9, 24, 26];
const DEFAULT_PULSE_MS: i64 = 100;

fn toggle(target: &str) -> Node {
    Node::Map(Map::new().with(
        "then",
        Node::List(vec![Node::Map(Map::new().with("switch.toggle", s(target)))]),
    ))
}

fn light_action(action: &str, light: &str) -> Node {
    Node::List(vec![Node::Map(Map::new().with(action, s(light)))])
}

/// The switch entry for channel `i`, or `None` when it has no relay.
fn relay(b: &mut Builder, upk: &Json<String, Value>, i: usize) -> Option<Map> {
    let level_low = |key: String| equals(get(upk, &key), 0);
    if let Some(rl) = get(upk, &format!("rl{i}_pin")) {
        b.found = true;
        let mut switch = Map::new()
            .with("platform", s("gpio"))
            .with("id", s(&format!("switch_{i}")))
            .with("name", s(&format!("Relay {i}")))
            .with("pin", pin(Some(rl)));
        invert(&mut switch, "pin", level_low(format!("rl{i}_lv")));
        return Some(switch);
    }
    let on = get(upk, &format!("rl_on{i}_pin"))?;
    let off = get(upk, &format!("rl_off{i}_pin"))?;
    b.found = true;
    let pulse = get(upk, &format!("rl{i}_drvtime"));
    let (pulse_text, wait_text) =
        match as_int(pulse).or(pulse.is_none().then_some(DEFAULT_PULSE_MS)) {
            Some(ms) => (format!("{ms}ms"), format!("{}ms", ms.div_euclid(2))),
            None => {
                b.warn(format!(
                    "rl{i}_drvtime is {}, not a number of milliseconds",
                    py_str(pulse)
                ));
                (format!("{}ms", py_str(pulse)), String::from("REPLACEME"))
            }
        };
    let mut switch = Map::new()
        .with("platform", s("hbridge"))
        .with("id", s(&format!("switch_{i}")))
        .with("name", s(&format!("Relay {i}")))
        .with("on_pin", pin(Some(on)))
        .with("off_pin", pin(Some(off)))
        .with("pulse_length", s(&pulse_text))
        .with("wait_time", s(&wait_text));
    invert(&mut switch, "on_pin", level_low(format!("rl_on{i}_lv")));
    invert(&mut switch, "off_pin", level_low(format!("rl_off{i}_lv")));
    Some(switch)
}

fn indicator(
    b: &mut Builder,
    upk: &Json<String, Value>,
    i: usize,
    switch: &mut Map,
    netled_reuse: bool,
) {
    let mut led = get(upk, &format!("led{i}_pin"));
    if let (Some(value), true) = (led, netled_reuse) {
        b.warn(format!(
            "LED {i} on P{} is skipped: the status LED is shared with the relay",
            py_str(Some(value))
        ));
        led = None;
    }
    let light_id = match led {
        Some(value) => {
            let is_pwm = as_int(Some(value)).is_some_and(|n| PWM_PINS.contains(&n));
            let output_id = format!("output_led_{i}");
            let mut output = Map::new()
                .with("platform", s(if is_pwm { "libretiny_pwm" } else { "gpio" }))
                .with("id", s(&output_id))
                .with("pin", pin(Some(value)));
            invert(
                &mut output,
                "pin",
                equals(get(upk, &format!("led{i}_lv")), 0),
            );
            b.doc.push_to("output", Node::Map(output));
            let light_id = format!("light_switch_{i}");
            let light = Map::new()
                .with(
                    "platform",
                    s(if is_pwm { "monochromatic" } else { "binary" }),
                )
                .with("id", s(&light_id))
                .with("output", s(&output_id));
            b.doc.push_to("light", Node::Map(light));
            light_id
        }
        None if netled_reuse => String::from("light_status"),
        None => return,
    };
    switch.set("on_turn_on", light_action("light.turn_on", &light_id));
    switch.set("on_turn_off", light_action("light.turn_off", &light_id));
}

fn inputs(b: &mut Builder, upk: &Json<String, Value>, i: usize, switch_id: &str) {
    if let Some(bt) = get(upk, &format!("bt{i}_pin")) {
        let mut binary = Map::new()
            .with("platform", s("gpio"))
            .with("id", s(&format!("binary_switch_{i}")))
            .with("pin", pin(Some(bt)))
            .with("on_press", toggle(switch_id));
        pull(
            &mut binary,
            "pin",
            equals(get(upk, &format!("bt{i}_lv")), 0),
        );
        b.doc.push_to("binary_sensor", Node::Map(binary));
    }
    if let Some(onoff) = get(upk, &format!("onoff{i}")) {
        let mut binary = Map::new()
            .with("platform", s("gpio"))
            .with("id", s(&format!("binary_onoff_{i}")))
            .with("pin", pin(Some(onoff)))
            .with("on_state", toggle(switch_id));
        pull(&mut binary, "pin", true);
        b.doc.push_to("binary_sensor", Node::Map(binary));
    }
}

pub fn generate(b: &mut Builder, upk: &Json<String, Value>) {
    if !TRIGGERS.iter().any(|k| upk.contains_key(*k)) {
        return;
    }
    let netled_reuse = equals(get(upk, "netled_reuse"), 1);
    let mut switches: Vec<String> = Vec::new();
    for i in 0..10 {
        let Some(mut switch) = relay(b, upk, i) else {
            continue;
        };
        indicator(b, upk, i, &mut switch, netled_reuse);
        let id = format!("switch_{i}");
        inputs(b, upk, i, &id);
        switches.push(id);
        b.doc.push_to("switch", Node::Map(switch));
    }
    if switches.is_empty() {
        b.warn(String::from(
            "the switch/plug type is unknown (no relay pin found)",
        ));
    }
    if let Some(total) = get(upk, "total_bt_pin") {
        b.found = true;
        let actions = switches
            .iter()
            .map(|id| Node::Map(Map::new().with("switch.toggle", s(id))))
            .collect();
        let mut binary = Map::new()
            .with("platform", s("gpio"))
            .with("id", s("binary_switch_all"))
            .with("pin", pin(Some(total)))
            .with(
                "on_press",
                Node::Map(Map::new().with("then", Node::List(actions))),
            );
        pull(&mut binary, "pin", equals(get(upk, "total_bt_lv"), 0));
        b.doc.push_to("binary_sensor", Node::Map(binary));
    }
}
