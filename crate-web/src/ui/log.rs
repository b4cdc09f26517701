//! Step 6: the protocol log, collapsed by default, capped, with a Copy button; then the serial
//! console on the flashing port.

use leptos::prelude::*;

use crate::logs::FlashPortConsole;
use crate::session::{LOG_CAP, Session};

#[component]
pub fn LogSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let (open, set_open) = signal(false);
    let text = move || {
        session
            .log
            .with(|log| log.iter().cloned().collect::<Vec<_>>().join("\n"))
    };
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _clipboard_promise = window.navigator().clipboard().write_text(&text());
        }
    };
    view! {
        <section class="panel" aria-labelledby="log-title">
            <h2 id="log-title">"6. Log and console"</h2>
            <details id="log" on:toggle=move |ev| set_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>{move || format!("Frames sent (→) and received (←), last {LOG_CAP} lines ({} now)", session.log.with(|l| l.len()))}</summary>
                <div class="row">
                    <button id="copy-log" type="button" on:click=copy>"Copy log"</button>
                    <button id="clear-log" type="button" on:click=move |_| session.log.update(|l| l.clear())>"Clear"</button>
                </div>
                <Show when=move || open.get()>
                    <pre id="log-text" class="log mono" tabindex="0" role="log" aria-label="Protocol log">{text}</pre>
                </Show>
            </details>
            <FlashPortConsole />
        </section>
    }
}
