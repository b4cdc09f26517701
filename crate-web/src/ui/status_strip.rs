//! The status strip, sticky under the header: port, chip, the running job with a mini bar and Cancel,
//! the last outcome with "Show", and the page's one polite live region (throttled, `announce.rs`).

use leptos::prelude::*;

use crate::announce::{Announcer, Moment};
use crate::device::now_ms;
use crate::job::Job;
use crate::session::{Outcome, Session};
use crate::ui::focus;
use crate::ui::progress::{OUTCOME_TITLE, percent_words, stage_text};
use crate::words::{flash_size_words, seconds_left};

/// Id of the strip's job line: focus goes there when a job disables the button that started it.
const STRIP_JOB: &str = "strip-job";

/// Whole seconds left to link, while linking.
fn link_seconds_left(session: Session) -> Option<u32> {
    let deadline = session.link_deadline_ms.get()?;
    (session.busy.get() == Some(Job::Connect)).then(|| {
        // Whole seconds as an integer: no float printer in the page.
        ((deadline - session.tick.get().max(now_ms() - 1.0)) / 1000.0)
            .ceil()
            .max(0.0) as u32
    })
}

/// Keep the live region's text: what the announcer lets through, nothing while idle.
fn announce(session: Session) -> ReadSignal<String> {
    let (said, set_said) = signal(String::new());
    let announcer = StoredValue::new(Announcer::default());
    Effect::new(move |_| {
        if session.busy.get().is_none_or(Job::runs_in_background) {
            announcer.set_value(Announcer::default());
            return;
        }
        let p = session.progress.get();
        let now = session.tick.get().max(now_ms() - 1.0);
        let moment = Moment {
            stage: stage_text(session, &p),
            done: p.done,
            total: p.total,
            seconds_left: seconds_left(p.done, p.total, now - p.stage_started_ms),
            link_left: link_seconds_left(session),
            now_ms: now,
        };
        if let Some(text) = announcer.try_update_value(|a| a.next(moment)).flatten() {
            set_said.set(text);
        }
    });
    said
}

#[component]
pub fn StatusStrip() -> impl IntoView {
    let session = expect_context::<Session>();
    let said = announce(session);
    Effect::watch(
        move || session.busy.get().is_some(),
        |running, _, _| {
            if *running {
                focus::rescue_soon(STRIP_JOB);
            }
        },
        false,
    );
    let port = move || {
        session
            .port_label
            .get()
            .unwrap_or_else(|| String::from("Not connected"))
    };
    let chip = move || {
        session.chip.with(|chip| {
            chip.as_ref().map(|c| {
                format!(
                    "{} · {} flash",
                    c.family.map_or("Unknown chip", |f| f.name()),
                    flash_size_words(c.flash_size)
                )
            })
        })
    };
    let job = move || {
        let p = session.progress.get();
        session.busy.get().map(|_| {
            view! {
                <span class="strip-stage">{stage_text(session, &p)}</span>
                <progress class="strip-bar" max=p.total.max(1).to_string() value=p.done.to_string()
                    aria-label="Job progress" aria-valuetext=percent_words(&p)></progress>
                <button id="strip-cancel" type="button" on:click=move |_| session.cancel.with_value(|t| t.cancel())>"Cancel"</button>
            }
        })
    };
    let last = move || {
        let running = session.busy.get().is_some_and(|j| !j.runs_in_background());
        let outcome = session.outcome.get().filter(|_| !running)?;
        let (class, words) = match &outcome {
            Outcome::Done(_) => ("strip-ok", "Last job: done"),
            Outcome::Failed(_) => ("strip-error", "Last job: failed"),
        };
        Some(view! {
            <span class=class>{words}</span>
            <button id="strip-show" type="button" on:click=move |_| focus::now(OUTCOME_TITLE)>"Show"</button>
        })
    };
    view! {
        <div id="status-strip" class="status-strip" role="region" aria-label="Status">
            <span id="strip-port">{port}</span>
            {move || chip().map(|c| view! { <span id="strip-chip">{c}</span> })}
            <span id=STRIP_JOB class="strip-job" tabindex="-1">{job}{last}</span>
            <p id="announce" class="visually-hidden" role="status" aria-live="polite">{said}</p>
        </div>
    }
}
