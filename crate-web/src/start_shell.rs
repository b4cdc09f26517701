//! The first load of a plain visit: the guided Start screen alone, in a small module of its own
//! (src/bin/bkflash-start.rs). The flasher page is fetched only when the user picks something on it,
//! and takes over with that choice (handover.rs); a plain visit needs no more to be usable.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::backups::store;
use crate::guided::start::{StartChoice, StartScreen, primary_words};
use crate::handover;
use crate::internal_error;
use crate::js_error::js_error_words;
use crate::serial::request_port;
use crate::view_choice::{View, ViewBar};

thread_local! {
    /// The mounted Start screen, dropped (and so unmounted) once the flasher page is up.
    static MOUNTED: RefCell<Option<Box<dyn core::any::Any>>> = const { RefCell::new(None) };
}

/// Mount the Start screen on `<body>`; `load_app(handover)` is www/boot.js's loader of the
/// flasher page, a promise that settles once the page is mounted.
pub fn mount(load_app: js_sys::Function) {
    internal_error::install_panic_banner();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let load_app = StoredValue::new_local(load_app);
    let handle = leptos::mount::mount_to(body, move || view! { <ShellPage load_app=load_app /> });
    MOUNTED.with_borrow_mut(|slot| *slot = Some(Box::new(handle)));
}

/// Load the flasher page with `choice`; on success the Start screen goes, else `status` says why.
fn hand_over(
    load_app: StoredValue<js_sys::Function, LocalStorage>,
    choice: StartChoice,
    status: RwSignal<Option<String>>,
) {
    // The chooser may only open inside the click: start it now, the page awaits its answer. When it
    // cannot start, the page's own Connect meets the same refusal and reports it.
    let request = (choice == StartChoice::Serial)
        .then(request_port)
        .and_then(Result::ok);
    let handover = handover::pack(choice, request.as_ref());
    status.set(Some(String::from("Loading the flasher…")));
    let loaded = load_app.with_value(|load| load.call1(&JsValue::NULL, &handover));
    spawn_local(async move {
        let settled = match loaded {
            Ok(promise) => {
                wasm_bindgen_futures::JsFuture::from(promise.unchecked_into::<js_sys::Promise>())
                    .await
                    .map(drop)
            }
            Err(error) => Err(error),
        };
        match settled {
            Ok(()) => drop(MOUNTED.with_borrow_mut(Option::take)),
            Err(error) => status.set(Some(format!(
                "The flasher did not load ({}). Check the connection, then reload the page and try again.",
                js_error_words(&error)
            ))),
        }
    });
}

#[component]
fn ShellPage(load_app: StoredValue<js_sys::Function, LocalStorage>) -> impl IntoView {
    let backups = RwSignal::new(0);
    spawn_local(async move {
        if let Ok(list) = store::list().await {
            backups.set(list.len());
        }
    });
    let status = RwSignal::new(None);
    let on_choice = Callback::new(move |choice| hand_over(load_app, choice, status));
    let to_expert = Callback::new(move |()| on_choice.run(StartChoice::Expert("device-title")));
    view! {
        <ViewBar view=View::Guided on_switch=to_expert />
        <main id="guided" class="guided">
            <StartScreen primary=primary_words(None) backups=backups on_choice=on_choice status=status />
        </main>
    }
}
