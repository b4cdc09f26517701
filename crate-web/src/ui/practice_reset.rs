//! The practice chip's reset control: while the page links to the virtual chip that only a manual
//! reset brings to its bootloader, a button plays the user touching CEN to GND.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::device::touch_virtual_cen;
use crate::job::Job;
use crate::session::Session;

/// "Touch CEN to GND (virtual)": shown only while a Connect links to a `manual_reset_only` chip.
#[component]
pub(crate) fn PracticeReset() -> impl IntoView {
    let session = expect_context::<Session>();
    let (failure, set_failure) = signal(None::<String>);
    let shown = move || {
        session.busy.get() == Some(Job::Connect)
            && session.link_deadline_ms.get().is_some()
            && session
                .virtual_chip
                .get()
                .is_some_and(|chip| chip.manual_reset_only)
    };
    let touch = move |_| {
        spawn_local(async move {
            set_failure.set(touch_virtual_cen().await.err());
        });
    };
    view! {
        <Show when=shown>
            <div id="practice-reset" class="practice-reset">
                <p>"Practice: this virtual chip has no reset wire, so it waits for you. Press the button while the page is linking, as you would touch the chip's CEN pad to GND."</p>
                <button id="practice-touch-cen" type="button" on:click=touch>"Touch CEN to GND (virtual)"</button>
                {move || failure.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            </div>
        </Show>
    }
}
