//! The "Inside this backup" section on the first load: a place to open a dump, the analysis's
//! progress or failure, and the container the on-demand module renders the report into.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{DragEvent, File, HtmlInputElement};

use super::{Shown, open, shown};
use crate::files;

async fn take_file(file: File) {
    match files::read_file(&file).await {
        Ok(bytes) => open(&file.name(), &bytes),
        Err(why) => shown().set(Shown::Failed(file.name(), why)),
    }
}

#[component]
pub fn InsideSection() -> impl IntoView {
    let state = shown();
    let (hover, set_hover) = signal(false);
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|list| list.get(0)) {
            spawn_local(take_file(file));
        }
        input.set_value("");
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|list| list.get(0))
        {
            spawn_local(take_file(file));
        }
    };
    let on_over = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(true);
    };
    let status = move || {
        match state.get() {
        Shown::Analysing(name) => {
            view! { <p id="inside-busy" class="note" role="status">{format!("Looking inside {name}…")}</p> }.into_any()
        }
        Shown::Failed(name, why) => {
            view! { <p id="inside-failed" class="error" role="alert">{format!("{name}: {why}")}</p> }.into_any()
        }
        Shown::Nothing | Shown::Done => ().into_any(),
    }
    };
    let hidden = {
        let state = shown();
        move || !matches!(state.get(), Shown::Done)
    };
    view! {
        <section id="inside" class="panel" aria-labelledby="inside-title">
            <h2 id="inside-title">"Inside this backup"</h2>
            <p class="hint">
                "After a backup, or for a flash dump you open here: its partitions, the device's pins, \
                 and a ready OpenBeken template and ESPHome configuration. The file stays in this browser."
            </p>
            <div id="inside-drop" class=move || if hover.get() { "drop hover" } else { "drop" }
                on:drop=on_drop on:dragover=on_over on:dragleave=move |_| set_hover.set(false)>
                <p>"Drop a backup (a flash dump) here to look inside it"</p>
                <label for="inside-file" class="button-like">"Open a backup…"</label>
                <input id="inside-file" type="file" class="visually-hidden" on:change=on_pick />
            </div>
            {status}
            <div id="inside-view" hidden=hidden></div>
        </section>
    }
}
