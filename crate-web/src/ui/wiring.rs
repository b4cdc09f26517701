//! `WiringPicture`: the wiring drawn for the module the user picks (UART flashing or SPI recovery),
//! with a table under it that says the same in text; Help, the SPI mode and the guided flow show it.

use bkflash_core::modules::{MODULES, Module, Signal, module};
use leptos::prelude::*;

pub(crate) use crate::wiring_drawing::WiringMode;
use crate::wiring_drawing::{missing, picture, wires};

/// The picture for `mode`, first drawn for `initial`; `id` prefixes every element id, so the
/// picture may appear twice on a page.
#[component]
pub(crate) fn WiringPicture(
    mode: WiringMode,
    id: &'static str,
    #[prop(default = "CB2S")] initial: &'static str,
) -> impl IntoView {
    let (chosen, set_chosen) = signal(module(initial).unwrap_or(&MODULES[0]));
    let on_pick = move |ev| {
        if let Some(m) = module(&event_target_value(&ev)) {
            set_chosen.set(m);
        }
    };
    let drawn = Memo::new(move |_| picture(chosen.get(), mode, id));
    let select_id = format!("{id}-module");
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let warning = move || {
        let m: &Module = chosen.get();
        let lacking = missing(m, mode);
        (!lacking.is_empty()).then(|| {
            view! {
                <p id=format!("{id}-missing") class="wiring-missing" role="note">
                    {format!(
                        "The {} has no pad for {}: solder a thin wire to the chip's pin itself, or use UART flashing if the bootloader still answers.",
                        m.name,
                        lacking.join(", ")
                    )}
                </p>
            }
        })
    };
    let left = match mode {
        WiringMode::Uart => "Adapter",
        WiringMode::Spi => "Programmer",
    };
    let rows = move || {
        let m: &Module = chosen.get();
        let power = m
            .pad_for(Signal::Vcc)
            .map_or_else(String::new, |p| p.where_());
        let wired = wires(m, mode).into_iter().map(|w| {
            view! { <tr><td>{w.from}</td><td>{w.to}</td><td>{w.end()}</td><td>{w.note}</td></tr> }
        });
        let note = match mode {
            WiringMode::Uart => "at least 300 mA, never 5 V; the adapter's 3V3 pin is too weak",
            WiringMode::Spi => "at least 300 mA, never 5 V",
        };
        let supply = view! {
            <tr><td>"3.3 V supply +"</td><td>"3V3"</td><td>{power}</td><td>{note}</td></tr>
        };
        (wired.collect_view(), supply)
    };
    view! {
        <div class="wiring" id=id>
            <label for=select_id.clone()>"Which module? "</label>
            <select id=select_id on:change=on_pick>
                {MODULES.iter().map(|m| view! {
                    <option value=m.name selected=m.name == initial>{format!("{} ({})", m.name, m.family.name())}</option>
                }).collect_view()}
            </select>
            <svg class="wiring-picture" role="img" viewBox=move || drawn.with(|(view_box, _)| view_box.clone()) aria-labelledby=title_id aria-describedby=desc_id
                inner_html=move || drawn.with(|(_, markup)| markup.clone())></svg>
            {warning}
            <table class="small wiring-table" id=format!("{id}-table")>
                <caption>"The same wiring as text"</caption>
                <thead><tr><th scope="col">{left}</th><th scope="col">"Module"</th><th scope="col">"Pad"</th><th scope="col">"Note"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
