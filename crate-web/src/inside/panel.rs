//! The "Inside this backup" section on the first load: a place to open a dump, the analysis's
//! progress or failure, and the container the on-demand module renders the report into.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use super::{Shown, open, shown};
use crate::files;
use crate::ui::drop_zone::{DropZone, FileInput};

async fn take_file(file: File) {
    match files::read_file(&file).await {
        Ok(bytes) => open(&file.name(), &bytes),
        Err(why) => shown().set(Shown::Failed(file.name(), why)),
    }
}

#[component]
pub fn InsideSection() -> impl IntoView {
    let state = shown();
    let on_file = Callback::new(|file| spawn_local(take_file(file)));
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
            <DropZone id="inside-drop" on_file=on_file>
                <p>"Drop a backup (a flash dump) here to look inside it"</p>
                <FileInput id="inside-file" on_file=on_file />
                <label for="inside-file" class="button-like">"Open a backup…"</label>
            </DropZone>
            {status}
            <div id="inside-view" hidden=hidden></div>
        </section>
    }
}
