//! Step 5: progress of the running job (stage, bar, bytes, speed, ETA, retries, Cancel) and, after
//! it, the outcome: what was done, or the error with the flash state and what to do next.

use bkflash_core::progress::Stage;
use leptos::prelude::*;

use crate::device::now_ms;
use crate::session::{Outcome, Session};
use crate::words::speed_line;

#[component]
pub fn ProgressSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let cancel = move |_| session.cancel.with_value(|token| token.cancel());
    let running = move || session.busy.get().is_some();
    let view_progress = move || {
        let p = session.progress.get();
        let now = session.tick.get().max(now_ms() - 1.0);
        let stage = session
            .busy
            .get()
            .and_then(|job| job.stage_words(p.stage))
            .unwrap_or_else(|| p.stage.map_or("Starting", Stage::doing));
        let bytes = if p.total > 0 {
            format!("{} of {} bytes", p.done, p.total)
        } else {
            String::new()
        };
        let retries = if p.retries > 0 {
            format!("{} retries", p.retries)
        } else {
            String::new()
        };
        view! {
            <p id="stage" data-testid="stage"><strong>{stage}</strong></p>
            <progress id="bar" max=p.total.max(1).to_string() value=p.done.to_string() aria-label="Progress"></progress>
            <p class="mono small"><span id="bytes">{bytes}</span>" "<span id="speed">{speed_line(p.done, p.total, now - p.stage_started_ms)}</span>" "<span id="retries">{retries}</span></p>
        }
    };
    let outcome = move || {
        session.outcome.get().map(|o| match o {
        Outcome::Done(text) => view! { <pre id="outcome" class="ok" data-testid="outcome-ok" role="status">{text}</pre> }.into_any(),
        Outcome::Failed(text) => view! { <pre id="outcome" class="error" data-testid="outcome-error" role="alert">{text}</pre> }.into_any(),
    })
    };
    view! {
        <section class="panel" aria-labelledby="progress-title">
            <h2 id="progress-title">"5. Progress"</h2>
            <Show when=running fallback=|| view! { <p class="hint" id="idle">"Nothing running."</p> }>
                <div id="progress" data-testid="progress" aria-live="polite">
                    {view_progress}
                    <p class="note">{move || session.note.get()}</p>
                    <button id="cancel" type="button" on:click=cancel>"Cancel"</button>
                    <span class="hint">" Cancel stops at the next sector; the result shows what the flash holds."</span>
                </div>
            </Show>
            {outcome}
        </section>
    }
}
