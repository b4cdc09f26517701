//! The ready setups: the OpenBeken template (JSON) and the ESPHome YAML, each shown with a button to
//! copy it and one to download it as the file `bkflash analyze` writes.

use crate::clipboard::copy_text;
use crate::files;
use leptos::prelude::*;

/// `bkflash-backup-….bin` → `bkflash-backup-…` (the setups' files take the backup's name).
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// One setup: its text, a copy button and a download button.
#[component]
fn Setup(
    /// `openbeken` or `esphome`: the ids of the text and the buttons.
    id: &'static str,
    title: &'static str,
    /// The download's name.
    file: String,
    text: String,
) -> impl IntoView {
    let (said, say) = signal(String::new());
    let copy = {
        let text = text.clone();
        move |_| {
            let text = text.clone();
            leptos::task::spawn_local(async move {
                let done = copy_text(&text).await;
                say.set(String::from(if done {
                    "Copied."
                } else {
                    "The browser refused to copy: select the text below and copy it, or download the file."
                }));
            });
        }
    };
    let download = {
        let (file, text) = (file.clone(), text.clone());
        move |_| {
            let result = files::download(&file, text.as_bytes());
            say.set(result.map_or_else(|why| why, |()| format!("Downloaded as {file}.")));
        }
    };
    view! {
        <div class="setup" id=format!("inside-{id}")>
            <h4>{title}</h4>
            <div class="row">
                <button type="button" id=format!("inside-{id}-copy") on:click=copy>{format!("Copy the {title}")}</button>
                <button type="button" id=format!("inside-{id}-download") on:click=download>{format!("Download {file}")}</button>
                <span class="note" role="status">{said}</span>
            </div>
            <details>
                <summary>{format!("Show the {title}")}</summary>
                <pre class="log mono" id=format!("inside-{id}-text")>{text}</pre>
            </details>
        </div>
    }
}

#[component]
pub fn Setups(
    name: String,
    openbeken: Option<String>,
    esphome: Option<String>,
    esphome_error: Option<String>,
) -> impl IntoView {
    let stem = stem(&name).to_owned();
    let openbeken = openbeken.map(|text| {
        view! { <Setup id="openbeken" title="OpenBeken template" file=format!("{stem}.openbeken.json") text=text /> }
    });
    let esphome = match (esphome, esphome_error) {
        (Some(text), _) => view! {
            <Setup id="esphome" title="ESPHome YAML" file=format!("{stem}.esphome.yaml") text=text />
        }
        .into_any(),
        (None, Some(why)) => view! { <p class="hint" id="inside-esphome-none">{format!("No ESPHome YAML: {why}.")}</p> }.into_any(),
        (None, None) => ().into_any(),
    };
    view! { {openbeken} {esphome} }
}
