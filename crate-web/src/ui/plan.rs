//! The write plan for the linked chip and the chosen file: made by the core's `prepare` as soon as
//! both are known, shown in plain words with a time estimate, and the very object Write executes.

use leptos::prelude::*;

use crate::firmware::{PlanState, plan_words};
use crate::jobs;
use crate::session::Session;

/// Start `prepare` whenever the chip, the file or the flash changed and nothing else runs.
pub fn keep_plan_fresh(session: Session) {
    Effect::new(move |_| {
        let key = session.plan_key();
        let idle = session.busy.get().is_none();
        let current = session.plan.with(PlanState::key);
        match key {
            None if current.is_some() => session.plan.set(PlanState::None),
            Some(key) if idle && current != Some(key) => {
                if let Some(regions) = session.file_regions_untracked() {
                    jobs::prepare(session, key, regions);
                }
            }
            _ => {}
        }
    });
}

/// The plan under the file analysis: preparing, ready (in words), or why it could not be made.
#[component]
pub fn PlanView() -> impl IntoView {
    let session = expect_context::<Session>();
    let retry = move |_| session.plan.set(PlanState::None);
    move || {
        let current = session.plan_key()?;
        let class = session
            .chip
            .with(|c| c.as_ref().map(|c| (c.class, c.flash_size)));
        let (class, flash_size) = class?;
        Some(match session.plan.get() {
            PlanState::Ready(prepared) if prepared.key == current => {
                let words = plan_words(&prepared, class, flash_size, session.backup_first.get());
                let listing = prepared.plan.listing().join("\n");
                view! {
                    <div id="plan" data-testid="plan">
                        <p id="plan-summary"><strong>{words.summary}</strong></p>
                        <details id="plan-details"><summary>"Details: the exact plan (read from the chip; Write runs exactly this)"</summary>
                            <ul class="plan">
                                <li id="plan-erased">{words.erased}</li>
                                <li id="plan-written">{words.written}</li>
                                <li id="plan-kept">{words.kept}</li>
                                <li id="plan-time">{words.time}</li>
                            </ul>
                            <details><summary>"Sector by sector"</summary>
                                <pre id="plan-listing" class="mono">{listing}</pre></details>
                        </details>
                    </div>
                }
                .into_any()
            }
            PlanState::Failed(key, text) if key == current => view! {
                <div id="plan-failed" class="error" role="alert">
                    <p>"The write plan could not be made:"</p>
                    <pre>{text}</pre>
                    <button id="plan-retry" type="button" on:click=retry>"Make the plan again"</button>
                </div>
            }
            .into_any(),
            _ => view! {
                <p id="plan-preparing" class="hint" role="status">
                    "Preparing the write plan: reading what the file only partly covers and asking the chip which sectors already match…"
                </p>
            }
            .into_any(),
        })
    }
}
