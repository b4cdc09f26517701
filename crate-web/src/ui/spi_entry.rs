//! The way into SPI recovery mode: a button beside the port picker and `?mode=spi`. The mode's own
//! module (spi/ in dist/, src/bin/bkflash-spi.rs) is fetched only then, so the first load stays as it was.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = openSpiMode)]
    async fn load_and_mount(container: &web_sys::Element) -> Result<JsValue, JsValue>;
}

const CONTAINER: &str = "spi-mode";

/// Load the mode into its box the first time; later, bring it into view.
fn open() {
    let Some(container) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(CONTAINER))
    else {
        return;
    };
    if container.has_attribute("data-opened") {
        container.scroll_into_view();
        return;
    }
    let _always_settable = container.set_attribute("data-opened", "");
    spawn_local(async move {
        match load_and_mount(&container).await {
            Ok(_) => container.scroll_into_view(),
            Err(error) => {
                let _retry_allowed = container.remove_attribute("data-opened");
                container.set_text_content(Some(&format!(
                    "SPI recovery mode did not load ({error:?}). Check the connection, reload the page and try again."
                )));
            }
        }
    });
}

/// The button beside the port picker.
#[component]
pub fn SpiButton() -> impl IntoView {
    view! {
        <button id="open-spi" type="button" on:click=move |_| open()
            title="Bootloader damaged? Read and write the flash through a serprog SPI programmer">"SPI recovery"</button>
    }
}

/// The box the mode mounts into; `?mode=spi` opens it at once.
#[component]
pub fn SpiModeBox() -> impl IntoView {
    let asked = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("mode"))
        .is_some_and(|mode| mode == "spi");
    Effect::new(move || {
        if asked {
            open();
        }
    });
    view! { <div id=CONTAINER></div> }
}
