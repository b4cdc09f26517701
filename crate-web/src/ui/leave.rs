//! Leaving mid-job: while a job runs, closing or reloading the tab asks first (`beforeunload`), and
//! a page that embeds bkflash in a frame is told, so its dialog can ask before closing too.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::BeforeUnloadEvent;

use crate::job::Job;
use crate::session::Session;

fn leaving_hurts(job: Option<Job>) -> bool {
    job.is_some_and(|job| !job.safe_to_leave())
}

/// Install the `beforeunload` prompt and the busy messages to an embedding page.
pub fn guard_leaving(session: Session) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let prompt = Closure::<dyn Fn(BeforeUnloadEvent)>::new(move |event: BeforeUnloadEvent| {
        if leaving_hurts(session.busy.get_untracked()) {
            event.prevent_default();
            // Older browsers show the prompt only when a return value is set.
            event.set_return_value("A job is still running on the chip.");
        }
    });
    let _listening =
        window.add_event_listener_with_callback("beforeunload", prompt.as_ref().unchecked_ref());
    // The page lives as long as the tab: the listener must too.
    prompt.forget();
    let framed = window
        .parent()
        .ok()
        .flatten()
        .filter(|parent| !js_sys::Object::is(parent, &window));
    if let Some(parent) = framed {
        Effect::new(move |_| {
            let job = session.busy.get();
            let message = js_sys::Object::new();
            for (key, value) in [
                ("source", wasm_bindgen::JsValue::from_str("bkflash")),
                ("busy", leaving_hurts(job).into()),
                (
                    "job",
                    job.map_or(wasm_bindgen::JsValue::NULL, |job| job.id().into()),
                ),
            ] {
                let _plain_object = js_sys::Reflect::set(&message, &key.into(), &value);
            }
            // Only whether a job runs is told, so any embedding origin may hear it.
            let _closed_parent_is_fine = parent.post_message(&message, "*");
        });
    }
}
