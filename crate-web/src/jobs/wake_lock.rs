//! A screen wake lock while a job runs: a phone whose screen sleeps mid-write cuts the USB port.
//! Best effort: where the browser has no `navigator.wakeLock` or refuses it, the job runs without.

use std::cell::{Cell, RefCell};

use js_sys::{Function, Promise, Reflect};
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Whether a job wants the lock now; a request that resolves after the job ended lets it go.
    static WANTED: Cell<bool> = const { Cell::new(false) };
    static SENTINEL: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn call(target: &JsValue, method: &str, arg: Option<&JsValue>) -> Option<JsValue> {
    let function = Reflect::get(target, &JsValue::from_str(method))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    match arg {
        Some(arg) => function.call1(target, arg),
        None => function.call0(target),
    }
    .ok()
}

fn let_go(sentinel: &JsValue) {
    // The release promise only says the lock is gone; nothing to do with it.
    let _released = call(sentinel, "release", None);
}

/// Ask for the screen to stay on until `release`.
pub fn hold() {
    WANTED.set(true);
    spawn_local(async {
        let Some(navigator) = web_sys::window().map(|w| JsValue::from(w.navigator())) else {
            return;
        };
        let Some(lock) = Reflect::get(&navigator, &JsValue::from_str("wakeLock"))
            .ok()
            .filter(|l| !l.is_undefined())
        else {
            return;
        };
        let Some(promise) = call(&lock, "request", Some(&JsValue::from_str("screen")))
            .and_then(|p| p.dyn_into::<Promise>().ok())
        else {
            return;
        };
        let Ok(sentinel) = JsFuture::from(promise).await else {
            return;
        };
        if WANTED.get() {
            if let Some(old) = SENTINEL.replace(Some(sentinel)) {
                let_go(&old);
            }
        } else {
            let_go(&sentinel);
        }
    });
}

/// Let the screen sleep again.
pub fn release() {
    WANTED.set(false);
    if let Some(sentinel) = SENTINEL.take() {
        let_go(&sentinel);
    }
}
