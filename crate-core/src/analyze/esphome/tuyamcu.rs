//! TuyaMCU devices: the MCU drives the hardware over UART1; without the cloud's data-point model
//! only the UART and an empty `tuya:` block can be written (dump-analysis.md §5.7).

use super::Builder;
use super::yaml::{Map, Node, s};
use crate::analyze::device::ConfigData;
use crate::analyze::device::lookup::truthy;
use alloc::string::{String, ToString};
use serde_json::Value;

pub fn generate(b: &mut Builder, config: &ConfigData) {
    if !config.is_tuya_mcu() {
        return;
    }
    let uart = config.uart_config();
    let baud = [uart.get("uart_baud"), uart.get("baud")]
        .into_iter()
        .flatten()
        .find(|v| truthy(Some(v)));
    let baud = match baud {
        Some(Value::Number(n)) => n.as_i64().map_or_else(|| s(&n.to_string()), Node::Int),
        Some(other) => s(&crate::analyze::device::lookup::py_str(Some(other))),
        None => {
            b.warn(String::from(
                "the TuyaMCU baud rate is not in the dump: set it by hand (usually 9600 or 115200)",
            ));
            s("REPLACEME")
        }
    };
    b.doc.set(
        "uart",
        Node::Map(
            Map::new()
                .with("rx_pin", s("RX1"))
                .with("tx_pin", s("TX1"))
                .with("baud_rate", baud),
        ),
    );
    b.doc.set("tuya", Node::Map(Map::new()));
    b.found = true;
    b.warn(String::from(
        "TuyaMCU data points need the device's schema model from the Tuya cloud, which a dump does not hold: add them by hand",
    ));
}
