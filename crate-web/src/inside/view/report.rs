//! One file's report: what it is, then its flash map, module picture, pins, configuration keys,
//! ready setups and notes, each only when the analysis found it.

use leptos::prelude::*;

use super::data::Analysis;
use super::flash_bar::FlashMap;
use super::module_picture::ModulePicture;
use super::pins::{KeyTable, PinTable};
use super::setups::Setups;
use super::words;

/// The facts at the top: what the file is, which chip, which module, where the settings came from.
fn facts(analysis: &Analysis) -> impl IntoView + use<> {
    let chip = analysis.chip.as_ref().map(|(name, how)| {
        view! { <dt>"Chip"</dt><dd id="inside-chip">{name.clone()}<span class="hint small">{format!(" ({how})")}</span></dd> }
    });
    let module = analysis
        .module
        .clone()
        .map(|module| view! { <dt>"Module"</dt><dd id="inside-module-name">{module}</dd> });
    let origin = analysis
        .origin
        .as_deref()
        .map(|origin| view! { <dt>"Device settings"</dt><dd>{words::origin(origin)}</dd> });
    view! {
        <dl class="card">
            <dt>"What it is"</dt><dd id="inside-input">{words::input(&analysis.input)}</dd>
            {chip}{module}{origin}
        </dl>
    }
}

#[component]
pub fn Report(analysis: Analysis) -> impl IntoView {
    let a = analysis;
    let header = format!("{} ({})", a.name, words::size(a.size));
    let nothing = a.recognised_nothing().then(|| {
        view! {
            <p id="inside-nothing" class="error" role="alert">
                {format!("Nothing was recognised in {}: it is not a flash image, a Tuya settings storage or a device configuration that bkflash knows. There are no partitions, pins or setups to show.", a.name)}
            </p>
        }
    });
    let map = (!a.regions.is_empty())
        .then(|| view! { <h3>"Flash map"</h3><FlashMap regions=a.regions.clone() total=a.size /> });
    let chip = a.chip.as_ref().map(|(name, _)| name.clone());
    let pins = if a.pins.is_empty() {
        (!a.recognised_nothing()).then(|| {
            view! {
                <h3>"Pins"</h3>
                <p id="inside-no-pins" class="hint">"The backup holds no pin configuration, so the pins are unknown. Nothing is guessed."</p>
            }
            .into_any()
        })
    } else {
        Some(
            view! {
                <h3>"Pins"</h3>
                <ModulePicture pins=a.pins.clone() module=a.module.clone() chip=chip />
                <PinTable pins=a.pins.clone() />
            }
            .into_any(),
        )
    };
    let any_keys = !(a.mapped.is_empty() && a.informational.is_empty() && a.unknown.is_empty());
    let keys = any_keys.then(|| {
        view! {
            <h3>"Tuya configuration keys"</h3>
            <KeyTable mapped=a.mapped.clone() informational=a.informational.clone() unknown=a.unknown.clone() />
        }
    });
    let setups = (a.openbeken.is_some() || a.esphome.is_some()).then(|| {
        view! {
            <h3>"Ready setups"</h3>
            <Setups name=a.name.clone() openbeken=a.openbeken.clone() esphome=a.esphome.clone() esphome_error=a.esphome_error.clone() />
        }
    });
    let notes = (!a.notes.is_empty()).then(|| {
        let items = a
            .notes
            .iter()
            .map(|n| view! { <li>{n.clone()}</li> })
            .collect_view();
        view! { <h3>"Notes"</h3><ul id="inside-notes" class="notes">{items}</ul> }
    });
    view! {
        <div id="inside-report" data-file=a.name.clone()>
            <p class="file-name">{header}</p>
            {facts(&a)}
            {nothing}{map}{pins}{keys}{setups}{notes}
        </div>
    }
}
