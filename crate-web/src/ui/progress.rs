//! Step 5: progress of the running job (stage, bar, bytes, speed, ETA, retries, Cancel) and, after
//! it, the outcome: what was done, or the error with the flash state and what to do next.

use bkflash_core::progress::Stage;
use leptos::prelude::*;

use crate::device::now_ms;
use crate::session::{Outcome, Progress, Session};

static STAGE_WORDS: [(Stage, &str); 11] = [
    (Stage::Link, "Linking to the bootloader"),
    (Stage::Identify, "Identifying the chip"),
    (Stage::BaudSwitch, "Switching baud rate"),
    (Stage::Unprotect, "Unprotecting the flash"),
    (Stage::ReadBack, "Reading partly covered sectors"),
    (
        Stage::Compare,
        "Comparing with the chip (skipping sectors that match)",
    ),
    (Stage::Erase, "Erasing"),
    (Stage::Write, "Writing"),
    (Stage::Verify, "Verifying"),
    (Stage::Read, "Reading"),
    (Stage::Reboot, "Rebooting"),
];

pub fn stage_words(stage: Stage) -> &'static str {
    STAGE_WORDS
        .iter()
        .find(|(s, _)| *s == stage)
        .map_or("Working", |(_, w)| w)
}

/// "12.3 KiB/s, 4 s left" from the stage's progress so far.
fn speed_line(p: &Progress, now: f64) -> String {
    let seconds = ((now - p.stage_started_ms) / 1000.0).max(0.001);
    if p.done == 0 || p.total == 0 {
        return String::new();
    }
    let rate = p.done as f64 / seconds;
    let left = (p.total.saturating_sub(p.done)) as f64 / rate;
    // Integers only: formatting an f64 would link Rust's float printer (~10 KB of wasm).
    let tenths_kib = (rate * 10.0 / 1024.0).round() as u64;
    format!(
        "{}.{} KiB/s, about {} s left",
        tenths_kib / 10,
        tenths_kib % 10,
        left.ceil() as u64
    )
}

#[component]
pub fn ProgressSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let cancel = move |_| session.cancel.with_value(|token| token.cancel());
    let running = move || session.busy.get().is_some();
    let view_progress = move || {
        let p = session.progress.get();
        let now = session.tick.get().max(now_ms() - 1.0);
        let stage = match (session.busy.get(), p.stage) {
            (Some("write"), Some(Stage::Read)) => {
                "Backing up: reading the whole flash before writing"
            }
            (Some("restore"), Some(Stage::Read)) => {
                "Backing up: reading the whole flash before restoring"
            }
            (Some("check"), _) => "Comparing the backup's bootloader region with the chip",
            (Some("prepare"), Some(Stage::Compare)) => {
                "Preparing the write plan: asking the chip which sectors already match"
            }
            (Some("console"), _) => "Serial console open: press Stop in the console to end it",
            (_, stage) => stage.map_or("Starting", stage_words),
        };
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
            <p class="mono small"><span id="bytes">{bytes}</span>" "<span id="speed">{speed_line(&p, now)}</span>" "<span id="retries">{retries}</span></p>
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
