//! Which view the page shows: the guided steps (the default) or the expert page. `?view=expert` or
//! `?view=guided` opens one directly; the header switch's choice is remembered in localStorage
//! (www/boot.js reads the same key to pick the first module to load).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

// localStorage through two small functions that read a refusing storage as nothing remembered.
#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = readChoice)]
    fn read_choice(key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = keepChoice)]
    fn keep_choice(key: &str, value: &str);
}

/// The localStorage key holding the remembered view.
const STORAGE_KEY: &str = "bkflash.view";

/// The two views over the same session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Guided,
    Expert,
}

impl View {
    fn id(self) -> &'static str {
        match self {
            View::Guided => "guided",
            View::Expert => "expert",
        }
    }

    fn from_id(id: &str) -> Option<Self> {
        [View::Guided, View::Expert]
            .into_iter()
            .find(|view| view.id() == id)
    }

    /// The other view, which the header switch offers.
    pub fn other(self) -> Self {
        match self {
            View::Guided => View::Expert,
            View::Expert => View::Guided,
        }
    }

    /// The header switch's words for going to this view.
    pub fn switch_words(self) -> &'static str {
        match self {
            View::Guided => "Guided",
            View::Expert => "Expert view",
        }
    }
}

/// The view asked for in the address, else the remembered one, else guided. `?mode=spi` asks for
/// the expert view, where SPI recovery mode lives.
pub fn initial() -> View {
    let params = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok());
    let asked = params.and_then(|params| {
        let spi = params.get("mode").is_some_and(|mode| mode == "spi");
        params
            .get("view")
            .or_else(|| spi.then(|| String::from(View::Expert.id())))
    });
    let remembered = || read_choice(STORAGE_KEY);
    asked
        .or_else(remembered)
        .and_then(|id| View::from_id(&id))
        .unwrap_or(View::Guided)
}

/// Show `view` and remember it for the next visit.
pub fn choose(current: RwSignal<View>, view: View) {
    keep_choice(STORAGE_KEY, view.id());
    current.set(view);
}

/// The header above either view: the brand (guided view only) and the switch to the other view.
#[component]
pub fn ViewBar(#[prop(into)] view: Signal<View>, on_switch: Callback<()>) -> impl IntoView {
    view! {
        <header class="view-bar">
            <span class="brand" hidden=move || view.get() != View::Guided>"bkflash"</span>
            <button id="view-switch" type="button" class="switch" on:click=move |_| on_switch.run(())>
                {move || view.get().other().switch_words()}</button>
        </header>
    }
}
