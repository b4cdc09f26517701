//! Where keyboard focus goes when the page changes under it: to a result's heading, or off a button
//! that a starting job disabled (else the browser drops it to the body).

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

fn element(id: &str) -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// Focus the element `id` after the next render (it may not exist yet); it scrolls into view.
pub fn soon(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(target) = element(id) {
            let _focus_refused = target.focus();
        }
    });
}

/// After the next render, move focus to `id` if it is lost: on the body, or on a disabled control.
pub fn rescue_soon(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lost = match document.active_element() {
            None => true,
            Some(active) => {
                document.body().is_some_and(|body| *body == active)
                    || active.matches(":disabled").unwrap_or(false)
            }
        };
        if let (true, Some(target)) = (lost, element(id)) {
            let _focus_refused = target.focus();
        }
    });
}

/// Focus the element `id` now, if it exists.
pub fn now(id: &str) {
    if let Some(target) = element(id) {
        let _focus_refused = target.focus();
    }
}

/// Scroll the element `id` into view and focus it; an element that cannot take focus by itself (a
/// heading) is made focusable by script only (`tabindex=-1`), so keyboard users land where they are sent.
pub fn bring(id: &str) {
    let Some(target) = element(id) else {
        return;
    };
    target.scroll_into_view();
    let _focus_refused = target.focus();
    let focused = target
        .owner_document()
        .and_then(|d| d.active_element())
        .is_some_and(|active| &active == target.as_ref());
    if !focused {
        let _always_settable = target.set_attribute("tabindex", "-1");
        let _focusable_now = target.focus();
    }
}
