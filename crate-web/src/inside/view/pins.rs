//! The device's pins as a table (pin, what it does, active level, OpenBeken role and channel, the
//! config key), and the configuration keys: used, known, or unknown and shown as they are.

use leptos::prelude::*;

use super::data::Pin;

/// `P26`, as the chip's pins are named; `-` when the key holds no pin number.
pub fn pin_name(gpio: Option<u32>) -> String {
    gpio.map_or_else(|| String::from("-"), |g| format!("P{g}"))
}

#[component]
pub fn PinTable(pins: Vec<Pin>) -> impl IntoView {
    let rows = pins
        .into_iter()
        .map(|pin| {
            let (role, channel) = pin
                .role
                .clone()
                .unwrap_or_else(|| (String::from("-"), String::new()));
            view! {
                <tr>
                    <th scope="row" class="mono">{pin_name(pin.gpio)}</th>
                    <td>{pin.function.clone()}</td>
                    <td>{pin.active.clone().unwrap_or_else(|| String::from("not said"))}</td>
                    <td class="mono">{role}</td>
                    <td>{channel}</td>
                    <td class="mono">{pin.key.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Module pins">
            <table id="inside-pins">
                <thead><tr>
                    <th scope="col">"Pin"</th><th scope="col">"What it does"</th>
                    <th scope="col">"Active"</th><th scope="col">"OpenBeken role"</th>
                    <th scope="col">"Channel"</th><th scope="col">"Config key"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// How bkflash reads a configuration key, in the table's words.
static KEY_KINDS: [(&str, &str); 3] = [
    ("mapped", "used for the pins and the setups"),
    ("informational", "known, not needed for the setups"),
    ("unknown", "unknown: shown as it is, not guessed"),
];

#[component]
pub fn KeyTable(
    mapped: Vec<(String, String)>,
    informational: Vec<(String, String)>,
    unknown: Vec<(String, String)>,
) -> impl IntoView {
    let rows = [mapped, informational, unknown]
        .into_iter()
        .zip(KEY_KINDS)
        .flat_map(|(keys, (class, words))| {
            keys.into_iter().map(move |(key, value)| {
                view! {
                    <tr class=format!("key-{class}")>
                        <th scope="row" class="mono">{key}</th>
                        <td class="mono">{value}</td>
                        <td>{words}</td>
                    </tr>
                }
            })
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Settings keys">
            <table id="inside-keys">
                <thead><tr>
                    <th scope="col">"Key"</th><th scope="col">"Value"</th><th scope="col">"What bkflash makes of it"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
