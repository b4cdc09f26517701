//! What the first-load module (start_shell.rs) hands the flasher module when the user picks on
//! Start: the choice as text and, for an adapter, the browser's port request still pending.
//! A plain JS object, because the two wasm modules share no memory; the flasher takes each part once.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::guided::start::StartChoice;

thread_local! {
    static CHOICE: RefCell<Option<StartChoice>> = const { RefCell::new(None) };
    static PORT_REQUEST: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

const CHOICE_KEY: &str = "choice";
const PORT_KEY: &str = "portRequest";

/// The object the first-load module passes on: `{ choice, portRequest }`.
pub fn pack(choice: StartChoice, port_request: Option<&js_sys::Promise>) -> JsValue {
    let object = js_sys::Object::new();
    let _plain_object_takes_any_key =
        js_sys::Reflect::set(&object, &CHOICE_KEY.into(), &choice.id().into());
    if let Some(request) = port_request {
        // The page awaits the request only once it is loaded: a chooser closed before that must not
        // count as an unhandled rejection (the page still sees it, on the request itself).
        // Once per page (one Start screen), so the closure may live as long as the page.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _derived = request.catch(&ignore);
        ignore.forget();
        let _plain_object_takes_any_key = js_sys::Reflect::set(&object, &PORT_KEY.into(), request);
    }
    object.into()
}

/// Keep what `handover` (from `pack`, or `undefined` when the page loaded the flasher first) holds.
pub fn receive(handover: &JsValue) {
    let field = |key: &str| js_sys::Reflect::get(handover, &key.into()).ok();
    let choice = field(CHOICE_KEY)
        .and_then(|id| id.as_string())
        .and_then(|id| StartChoice::from_id(&id));
    // unchecked_into, as for ports: a test's fake chooser may settle a thenable of its own.
    let request = field(PORT_KEY)
        .filter(|value| value.is_object())
        .map(JsCast::unchecked_into::<js_sys::Promise>);
    CHOICE.with_borrow_mut(|slot| *slot = choice);
    PORT_REQUEST.with_borrow_mut(|slot| *slot = request);
}

/// The choice made on the first-load Start screen, once.
pub fn take_choice() -> Option<StartChoice> {
    CHOICE.with_borrow_mut(Option::take)
}

/// The port request the first-load module started in the user's click, once: the chooser may
/// only open from a click, and the click happened before this module was loaded.
pub fn take_port_request() -> Option<js_sys::Promise> {
    PORT_REQUEST.with_borrow_mut(Option::take)
}
