//! The flash as a picture: one horizontal bar, a coloured region per partition sized by its share
//! of the file, and the same regions as a table with offset, size and how each was recognised.

use leptos::prelude::*;

use super::data::Region;
use super::words::{hex, size};

/// A region narrower than this share of the flash gets no label inside the bar (the table has it).
const LABEL_SHARE: f64 = 0.07;

fn hover_text(region: &Region) -> String {
    format!(
        "{}: {} at {}, {}. Recognised by: {}",
        region.title,
        size(u64::from(region.size)),
        hex(region.offset),
        region.size,
        region.found_by
    )
}

/// The bar's summary for screen readers.
fn bar_label(regions: &[Region], total: u64) -> String {
    let parts: Vec<String> = regions
        .iter()
        .map(|r| format!("{} {}", r.title, size(u64::from(r.size))))
        .collect();
    format!("Flash map of {}: {}", size(total), parts.join(", "))
}

#[component]
pub fn FlashMap(regions: Vec<Region>, total: u64) -> impl IntoView {
    let whole = regions
        .iter()
        .map(|r| u64::from(r.offset) + u64::from(r.size))
        .max()
        .unwrap_or(0)
        .max(total)
        .max(1) as f64;
    let bar = regions
        .iter()
        .map(|region| {
            let share = f64::from(region.size) / whole;
            let label = (share >= LABEL_SHARE).then(|| region.title.clone());
            view! {
                <div class=format!("flash-part part-{}", region.kind)
                    style=format!("flex-grow: {}", region.size)
                    title=hover_text(region)>
                    <span>{label}</span>
                </div>
            }
        })
        .collect_view();
    let rows = regions
        .iter()
        .map(|region| {
            let details = region
                .details
                .iter()
                .map(|(label, value)| view! { <li>{format!("{label}: {value}")}</li> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        <span class=format!("swatch part-{}", region.kind) aria-hidden="true"></span>
                        {region.title.clone()}
                    </th>
                    <td class="mono">{hex(region.offset)}</td>
                    <td>{size(u64::from(region.size))}</td>
                    <td>{region.found_by.clone()}<ul class="details small">{details}</ul></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div id="inside-bar" class="flash-bar" role="img" aria-label=bar_label(&regions, total)>{bar}</div>
        <div class="flash-scale small" aria-hidden="true">
            <span>"0x000000"</span><span>{hex(whole as u32)}</span>
        </div>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Flash regions">
            <table id="inside-regions">
                <thead><tr>
                    <th scope="col">"Part"</th><th scope="col">"Starts at"</th>
                    <th scope="col">"Size"</th><th scope="col">"How it was recognised"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
