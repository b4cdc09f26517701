//! The one in-page question before a dangerous action (not `window.confirm`, so tests can click it).
//! Yes runs the pending action once; No drops it. Writes and restores also offer "back up first".

use leptos::prelude::*;

use crate::session::Session;

#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let session = expect_context::<Session>();
    let answer = move |yes: bool| {
        let mut action = None;
        session.pending.update_value(|slot| action = slot.take());
        session.confirm.set(None);
        if let (true, Some(action)) = (yes, action) {
            action();
        }
    };
    move || {
        session.confirm.get().map(|confirm| view! {
            <div class="backdrop">
                <div id="confirm" class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-question">
                    <p id="confirm-question">{confirm.question}</p>
                    {confirm.offers_backup.then(|| view! {
                        <label class="check"><input id="confirm-backup" type="checkbox" prop:checked=move || session.backup_first.get()
                            on:change=move |ev| session.backup_first.set(event_target_checked(&ev)) />
                            "Back up the whole flash first: saved where you choose and kept in this browser, checked against the chip before anything is erased (recommended)"</label>
                    })}
                    <div class="row">
                        <button id="confirm-yes" type="button" class="danger" on:click=move |_| answer(true)>{confirm.yes}</button>
                        <button id="confirm-no" type="button" on:click=move |_| answer(false) autofocus>"Cancel"</button>
                    </div>
                </div>
            </div>
        })
    }
}
