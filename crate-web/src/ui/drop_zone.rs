//! A drop zone for one file and the file input beside its "Choose…" label, as the firmware, guided
//! Install and "Inside this backup" sections use them: each hands the first file to `on_file`.

use leptos::prelude::*;
use web_sys::{DragEvent, File, HtmlInputElement};

/// The zone `id` around `children`, marked `hover` while a file is dragged over it.
#[component]
pub fn DropZone(id: &'static str, on_file: Callback<File>, children: Children) -> impl IntoView {
    let (hover, set_hover) = signal(false);
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|list| list.get(0))
        {
            on_file.run(file);
        }
    };
    let on_over = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(true);
    };
    view! {
        <div id=id class=move || if hover.get() { "drop hover" } else { "drop" }
            on:drop=on_drop on:dragover=on_over on:dragleave=move |_| set_hover.set(false)>
            {children()}
        </div>
    }
}

/// The visually hidden file input `id`; put it just before its label, which then shows the input's
/// focus ring (www/style.css). Cleared after each pick, so the same file can be picked again.
#[component]
pub fn FileInput(id: &'static str, on_file: Callback<File>) -> impl IntoView {
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|list| list.get(0)) {
            on_file.run(file);
        }
        input.set_value("");
    };
    view! { <input id=id type="file" class="visually-hidden" on:change=on_pick /> }
}
