//! ESPHome YAML for LibreTiny from a device configuration, following UPK2ESPHome's rules (the
//! referee, dump-analysis.md §5): the same parts in the same order, then bkflash's own header.

mod bulb;
mod header;
mod monitor;
mod signals;
mod switch;
mod tuyamcu;
pub mod yaml;

use crate::analyze::device::ConfigData;
use crate::analyze::device::lookup::py_str;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;
use serde_json::Value;
use yaml::{Map, Node};

/// The converter's working state: the document and what it said along the way.
pub struct Builder {
    pub doc: Map,
    /// At least one component was produced.
    pub found: bool,
    pub warnings: Vec<String>,
}

impl Builder {
    fn warn(&mut self, text: String) {
        self.warnings.push(text);
    }
}

/// `P<n>` as UPK2ESPHome writes a pin (Python's `str()` of the value).
pub fn pin(value: Option<&Value>) -> Node {
    Node::Str(format!("P{}", py_str(value)))
}

/// Replace the pin at `key` by `{number, inverted: true}` when `inverted`.
pub fn invert(map: &mut Map, key: &str, inverted: bool) {
    if let (true, Some(number)) = (inverted, map.get(key).cloned()) {
        map.set(
            key,
            Node::Map(
                Map::new()
                    .with("number", number)
                    .with("inverted", Node::Bool(true)),
            ),
        );
    }
}

/// Replace the pin at `key` by an input with pull-up (inverted) or pull-down.
pub fn pull(map: &mut Map, key: &str, inverted: bool) {
    let Some(number) = map.get(key).cloned() else {
        return;
    };
    let input = if inverted {
        Map::new()
            .with("number", number)
            .with("inverted", Node::Bool(true))
            .with("mode", yaml::s("INPUT_PULLUP"))
    } else {
        Map::new()
            .with("number", number)
            .with("mode", yaml::s("INPUT_PULLDOWN"))
    };
    map.set(key, Node::Map(input));
}

/// The chip a configuration alone implies (UPK2ESPHome's reading), when it names T or N.
pub fn config_chip_name(
    config: &ConfigData,
    upk: &serde_json::Map<String, Value>,
) -> Option<String> {
    header::config_chip(config, upk).filter(|c| c != "?")
}

/// The ESPHome result: the YAML, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Esphome {
    /// Header (esphome, bk72xx board, logger, api, ota, wifi) and the device's components.
    pub yaml: Option<String>,
    /// The components alone, exactly as UPK2ESPHome's tests print them.
    pub components: Option<String>,
    pub board: String,
    pub warnings: Vec<String>,
    pub error: Option<String>,
}

/// Convert `config`; `chip` is the chip bkflash identified (it names the board when it is T or N).
pub fn convert(config: &ConfigData, chip: Option<&str>) -> Esphome {
    let upk = config.upk();
    let mut builder = Builder {
        doc: Map::new(),
        found: false,
        warnings: Vec::new(),
    };
    let board = header::board(config, &upk, chip, &mut builder);
    bulb::generate(&mut builder, &upk);
    switch::generate(&mut builder, &upk);
    signals::netled(&mut builder, &upk);
    signals::remote(&mut builder, &upk);
    monitor::generate(&mut builder, &upk);
    tuyamcu::generate(&mut builder, config);
    signals::keys(&mut builder, &upk);
    let error = if upk.is_empty() && !config.is_tuya_mcu() {
        Some(String::from(
            "the configuration has no pins (vendor-specific firmware, or a TuyaMCU device without its UART settings): no ESPHome YAML can be made",
        ))
    } else if !builder.found {
        Some(String::from(
            "a configuration was found but none of its parts is one UPK2ESPHome knows (thermometers, leak sensors and fan controllers are not supported)",
        ))
    } else {
        None
    };
    if error.is_some() {
        return Esphome {
            yaml: None,
            components: None,
            board,
            warnings: builder.warnings,
            error,
        };
    }
    let components = yaml::to_text(&builder.doc);
    let full = format!(
        "{}\n{components}",
        yaml::to_text(&header::document(&upk, &board))
    );
    Esphome {
        yaml: Some(full),
        components: Some(components),
        board,
        warnings: builder.warnings,
        error: None,
    }
}
