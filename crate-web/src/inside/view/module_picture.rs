//! A simple picture of the module: the BK7231's pins in a row, the ones the device configuration
//! uses marked with their role. Drawn from tables, so it follows the configuration, not a photo.

use leptos::prelude::*;

use super::data::Pin;
use super::pins::pin_name;

/// The BK7231T/N pins a module brings out, and what they are for while flashing or logging
/// (the page's wiring guide names the same UART pins).
static CHIP_PINS: [(u32, &str); 19] = [
    (0, "TX2 log"),
    (1, "RX2 log"),
    (6, "PWM0"),
    (7, "PWM1"),
    (8, "PWM2"),
    (9, "PWM3"),
    (10, "RX1 flash"),
    (11, "TX1 flash"),
    (14, ""),
    (15, ""),
    (16, ""),
    (17, ""),
    (20, ""),
    (21, ""),
    (22, ""),
    (23, ""),
    (24, "PWM4"),
    (26, "PWM5"),
    (28, ""),
];

/// The roles of the pins on `gpio` (a pin can carry more than one key).
fn roles_on(pins: &[Pin], gpio: u32) -> Vec<String> {
    pins.iter()
        .filter(|p| p.gpio == Some(gpio))
        .map(|p| match &p.role {
            Some((role, channel)) if !channel.is_empty() => format!("{role} {channel}"),
            Some((role, _)) => role.clone(),
            None => p.function.clone(),
        })
        .collect()
}

/// Chip pins first, then any pin the configuration names that the table does not list.
fn pads(pins: &[Pin]) -> Vec<(u32, &'static str)> {
    let mut all: Vec<(u32, &'static str)> = CHIP_PINS.to_vec();
    for gpio in pins.iter().filter_map(|p| p.gpio) {
        if !all.iter().any(|(g, _)| *g == gpio) {
            all.push((gpio, ""));
        }
    }
    all
}

#[component]
pub fn ModulePicture(
    pins: Vec<Pin>,
    module: Option<String>,
    chip: Option<String>,
) -> impl IntoView {
    let title = match (&module, &chip) {
        (Some(module), Some(chip)) => format!("{module} module, {chip}"),
        (Some(module), None) => format!("{module} module"),
        (None, Some(chip)) => format!("{chip} module"),
        (None, None) => String::from("Module"),
    };
    let used = pins.iter().filter(|p| p.gpio.is_some()).count();
    let summary = format!("{title}: {used} of its pins are used by this device");
    let pads = pads(&pins)
        .into_iter()
        .map(|(gpio, wiring)| {
            let roles = roles_on(&pins, gpio);
            let class = if roles.is_empty() { "pad" } else { "pad used" };
            let role = roles.join(", ");
            view! {
                <li class=class data-gpio=gpio.to_string()>
                    <span class="pad-name mono">{pin_name(Some(gpio))}</span>
                    <span class="pad-role">{role}</span>
                    <span class="pad-wiring small">{wiring}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure id="inside-module" class="module" aria-label=summary>
            <div class="module-body">
                <div class="module-antenna" aria-hidden="true"></div>
                <figcaption class="module-title">{title}</figcaption>
                <ul class="module-pads">{pads}</ul>
            </div>
            <p class="hint small">"Marked pins are used by this device. Pin names are the chip's (P0…P28); the module's own pad numbers differ from model to model."</p>
        </figure>
    }
}
