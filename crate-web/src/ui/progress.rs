//! Step 5: progress of the running job (stage, bar, sizes, speed, time left, retries, Cancel) and,
//! after it, the outcome under its own heading, which takes the focus when a job ends or fails.

use bkflash_core::progress::Stage;
use leptos::prelude::*;

use crate::device::now_ms;
use crate::session::{Outcome, Progress, Session};
use crate::ui::focus;
use crate::words::progress_line;

/// Id of the outcome's heading: where focus goes when a job ends, and where "Show" leads.
pub const OUTCOME_TITLE: &str = "outcome-title";

/// The stage line of the running job: the job's own words where it has them, else the stage's.
pub fn stage_text(session: Session, progress: &Progress) -> &'static str {
    session
        .busy
        .get()
        .and_then(|job| job.stage_words(progress.stage))
        .unwrap_or_else(|| progress.stage.map_or("Starting", Stage::doing))
}

/// Whole percent done, for a bar's `aria-valuetext`.
pub fn percent_words(progress: &Progress) -> String {
    if progress.total == 0 {
        return String::from("starting");
    }
    format!(
        "{} percent",
        progress.done.saturating_mul(100) / progress.total
    )
}

#[component]
pub fn ProgressSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let cancel = move |_| session.cancel.with_value(|token| token.cancel());
    let running = move || session.busy.get().is_some();
    Effect::watch(
        move || session.outcome.get(),
        |outcome, _, _| {
            if outcome.is_some() {
                focus::soon(OUTCOME_TITLE);
            }
        },
        false,
    );
    let view_progress = move || {
        let p = session.progress.get();
        let now = session.tick.get().max(now_ms() - 1.0);
        let stage = stage_text(session, &p);
        let retries = if p.retries > 0 {
            format!("{} retries", p.retries)
        } else {
            String::new()
        };
        view! {
            <p id="stage" data-testid="stage"><strong>{stage}</strong></p>
            <progress id="bar" max=p.total.max(1).to_string() value=p.done.to_string() aria-label="Progress" aria-valuetext=percent_words(&p)></progress>
            <p class="small"><span id="bytes">{progress_line(p.done, p.total, now - p.stage_started_ms)}</span>" "<span id="retries">{retries}</span></p>
        }
    };
    let outcome = move || {
        session.outcome.get().map(|o| {
            let (title, body) = match o {
                Outcome::Done(text) => ("Result: done", view! { <pre id="outcome" class="ok" data-testid="outcome-ok">{text}</pre> }.into_any()),
                Outcome::Failed(text) => ("Result: failed", view! { <pre id="outcome" class="error" data-testid="outcome-error" role="alert">{text}</pre> }.into_any()),
            };
            view! { <h3 id=OUTCOME_TITLE class="result-title" tabindex="-1">{title}</h3>{body} }
        })
    };
    view! {
        <section class="panel" aria-labelledby="progress-title">
            <h2 id="progress-title">"5. Progress"</h2>
            <Show when=running fallback=|| view! { <p class="hint" id="idle">"Nothing running."</p> }>
                <div id="progress" data-testid="progress">
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
