//! The small parts: the Wi-Fi status LED, IR receiver and transmitter, and generic keys
//! (UPK2ESPHome's netled, remote and key parts, dump-analysis.md §5.4).

use super::yaml::{Map, Node, s};
use super::{Builder, invert, pin, pull};
use crate::analyze::device::lookup::{equals, get};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map as Json, Value};

pub fn netled(b: &mut Builder, upk: &Json<String, Value>) {
    let reuse = equals(get(upk, "netled_reuse"), 1);
    let mut found = false;
    for key in ["netled", "netled1", "wfst"] {
        let Some(led) = get(upk, &format!("{key}_pin")) else {
            continue;
        };
        if found {
            b.warn(String::from(
                "more than one status LED pin: only the first is used",
            ));
            continue;
        }
        found = true;
        let inverted = equals(get(upk, &format!("{key}_lv")), 0);
        if reuse {
            let mut light = Map::new()
                .with("platform", s("status_led"))
                .with("id", s("light_status"))
                .with("pin", pin(Some(led)));
            invert(&mut light, "pin", inverted);
            b.doc.push_to("light", Node::Map(light));
        } else {
            let mut status = Map::new().with("pin", pin(Some(led)));
            invert(&mut status, "pin", inverted);
            b.doc.set("status_led", Node::Map(status));
        }
    }
}

pub fn remote(b: &mut Builder, upk: &Json<String, Value>) {
    for key in ["ir", "infrr"] {
        let Some(ir) = get(upk, key) else { continue };
        let mut receiver = Map::new().with("pin", pin(Some(ir)));
        pull(&mut receiver, "pin", true);
        receiver.set("_1", Node::Comment(String::from("dump: all")));
        b.doc.set("remote_receiver", Node::Map(receiver));
    }
    if let Some(ir) = get(upk, "infre") {
        let transmitter = Map::new()
            .with("pin", pin(Some(ir)))
            .with("carrier_duty_percent", s("50%"));
        b.doc.set("remote_transmitter", Node::Map(transmitter));
    }
}

pub fn keys(b: &mut Builder, upk: &Json<String, Value>) {
    if !["key_pin", "k2pin_pin", "k3pin_pin"]
        .iter()
        .any(|k| upk.contains_key(*k))
    {
        return;
    }
    for i in 1..10 {
        let name = if i == 1 {
            String::from("key")
        } else {
            format!("k{i}pin")
        };
        let Some(key) = get(upk, &format!("{name}_pin")) else {
            continue;
        };
        let mut binary = Map::new()
            .with("platform", s("gpio"))
            .with("id", s(&format!("binary_switch_{i}")))
            .with("pin", pin(Some(key)))
            .with(
                "on_press",
                Node::Map(Map::new().with("then", Node::List(Vec::new()))),
            );
        pull(
            &mut binary,
            "pin",
            equals(get(upk, &format!("{name}_lv")), 0),
        );
        b.doc.push_to("binary_sensor", Node::Map(binary));
    }
}
