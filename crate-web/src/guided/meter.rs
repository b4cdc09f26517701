//! One progress bar for the running job: percent, kB done of the total, speed, time left and time
//! elapsed. The bar's text for screen readers changes only every 10 %, so they do not chatter.

use leptos::prelude::*;

use super::Guided;
use super::words::{clock_words, rate_words};
use crate::device::now_ms;
use crate::session::Session;
use crate::words::size_words;

/// The bar over the current stage's bytes; `label` names what it measures.
#[component]
pub fn JobMeter(label: &'static str) -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let now = move || session.tick.get().max(now_ms() - 1.0);
    let percent = move || {
        let p = session.progress.get();
        (p.done * 100).checked_div(p.total).unwrap_or(0)
    };
    let amounts = move || {
        let p = session.progress.get();
        if p.total == 0 {
            String::new()
        } else {
            format!("{} of {}", size_words(p.done), size_words(p.total))
        }
    };
    let rate = move || {
        let p = session.progress.get();
        rate_words(p.done, p.total, now() - p.stage_started_ms)
    };
    let elapsed = move || {
        format!(
            "{} elapsed",
            clock_words(now() - guided.job_started_ms.get())
        )
    };
    let spoken = Memo::new(move |_| format!("{} percent", percent() / 10 * 10));
    view! {
        <div class="meter">
            <progress max="100" value=move || percent().to_string() aria-label=label aria-valuetext=move || spoken.get()></progress>
            <p class="meter-line"><strong>{move || format!("{} %", percent())}</strong>" "<span>{amounts}</span></p>
            <p class="meter-line small"><span>{rate}</span>" "<span>{elapsed}</span></p>
        </div>
    }
}
