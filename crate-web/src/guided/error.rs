//! The error screen after a backup or install stopped: a headline, what the flash holds now in plain
//! words, one button (Try again, or Reconnect when the adapter went away), and the report.

use leptos::prelude::*;

use super::Guided;
use super::report::CopyReport;
use crate::job::{FlashAfter, Job};
use crate::session::{Outcome, Session};

fn flash_words(state: FlashAfter) -> (&'static str, &'static str) {
    match state {
        FlashAfter::Untouched => ("untouched", "The chip is untouched: nothing was written."),
        FlashAfter::HalfWritten => (
            "half-written",
            "The device is half-written and will not start yet. Finish the install to fix it.",
        ),
        FlashAfter::BootloaderTouched => (
            "bootloader",
            "The bootloader was touched: the chip may not start or link. Keep your backup; SPI recovery can put it back.",
        ),
    }
}

#[component]
pub fn ErrorScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let job = guided.started.get_untracked();
    let headline = match job {
        Some(Job::Backup) => "The backup did not finish",
        _ => "The install did not finish",
    };
    let state = session
        .failed_flash
        .get_untracked()
        .unwrap_or(FlashAfter::Untouched);
    let (badge, words) = flash_words(state);
    let verbatim = match session.outcome.get_untracked() {
        Some(Outcome::Failed(text)) => text,
        _ => String::new(),
    };
    let port_gone = session.chip.with_untracked(Option::is_none);
    let again = move |_| {
        if port_gone {
            if let Some(source) = guided.source.get_value() {
                guided.connect(session, source);
            }
        } else {
            guided.started.set(None);
            session.outcome.set(None);
        }
    };
    view! {
        <section class="step-card" aria-labelledby="guided-heading">
            <h2 id="guided-heading" tabindex="-1">{headline}</h2>
            <p role="alert"><span class=format!("badge {badge}")>{badge}</span>" "{words}</p>
            {port_gone.then(|| view! { <p>"The adapter went away. Plug it back in, then press Reconnect."</p> })}
            <button id="guided-retry" type="button" class="primary big" on:click=again>
                {if port_gone { "Reconnect" } else { "Try again" }}</button>
            {(state == FlashAfter::BootloaderTouched).then(|| view! {
                <button type="button" class="link" on:click=move |_| guided.open_expert("open-spi")>"SPI recovery"</button>
            })}
            <CopyReport />
            <details class="technical">
                <summary>"Technical details"</summary>
                <pre class="mono wrap">{verbatim}</pre>
            </details>
        </section>
    }
}
