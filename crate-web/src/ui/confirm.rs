//! The one in-page question before a dangerous action: a native modal `<dialog>` (focus kept inside,
//! Escape = Back), opened on the safe choice; Yes runs the pending action once, Back drops it.

use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::session::Session;

/// The element that had focus when the dialog opened (the button that asked).
fn focused() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}

#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let session = expect_context::<Session>();
    let dialog = NodeRef::<Dialog>::new();
    let opener = StoredValue::new_local(None::<HtmlElement>);
    let answer = move |yes: bool| {
        let mut action = None;
        session.pending.update_value(|slot| action = slot.take());
        // Closed before the action runs: while it is open the rest of the page is inert.
        if let Some(open) = dialog.get_untracked() {
            open.close();
        }
        session.confirm.set(None);
        if let Some(opener) = opener.try_update_value(Option::take).flatten() {
            let _focus_refused = opener.focus();
        }
        if let (true, Some(action)) = (yes, action) {
            action();
        }
    };
    let on_cancel = move |ev: leptos::ev::Event| {
        ev.prevent_default();
        answer(false);
    };
    Effect::new(move |_| {
        if session.confirm.with(Option::is_some)
            && let Some(open) = dialog.get()
            && !open.open()
        {
            opener.set_value(focused());
            let _not_connected = open.show_modal();
            if let Some(back) = open
                .query_selector("#confirm-no")
                .ok()
                .flatten()
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            {
                let _focus_refused = back.focus();
            }
        }
    });
    move || {
        session.confirm.get().map(|confirm| view! {
            <dialog node_ref=dialog id="confirm" class="dialog" role="alertdialog" aria-labelledby="confirm-question" on:cancel=on_cancel>
                <p id="confirm-question">{confirm.question}</p>
                {confirm.offers_backup.then(|| view! {
                    <label class="check"><input id="confirm-backup" type="checkbox" prop:checked=move || session.backup_first.get()
                        on:change=move |ev| session.backup_first.set(event_target_checked(&ev)) />
                        "Back up the whole flash first: saved where you choose and kept in this browser, checked against the chip before anything is erased (recommended)"</label>
                })}
                <div class="row">
                    <button id="confirm-yes" type="button" class="danger" on:click=move |_| answer(true)>{confirm.yes}</button>
                    <button id="confirm-no" type="button" on:click=move |_| answer(false) autofocus>"Back"</button>
                </div>
            </dialog>
        })
    }
}
