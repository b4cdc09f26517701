//! Connect: while linking, one instruction keyed to what the line shows, a countdown and Cancel;
//! when the chip did not answer, "Didn't catch it" with what the line showed, Try again and the report.

use leptos::prelude::*;

use super::Guided;
use super::report::CopyReport;
use super::words::{line_badge, missed_reasons, reset_instruction};
use crate::device::now_ms;
use crate::session::{Outcome, Session};
use crate::ui::practice_reset::PracticeReset;

#[component]
pub fn ConnectingScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let linking = move || session.link_deadline_ms.get().is_some();
    let seconds_left = move || {
        let deadline = session.link_deadline_ms.get().unwrap_or(0.0);
        ((deadline - session.tick.get().max(now_ms() - 1.0)) / 1000.0)
            .ceil()
            .max(0.0) as u32
    };
    let cancel = move |_| {
        guided.cancelled.set(true);
        session.cancel.with_value(|token| token.cancel());
    };
    let heading = move || {
        if linking() {
            "Reset the chip now"
        } else {
            "Choose your adapter"
        }
    };
    view! {
        <section class="step-card" aria-labelledby="guided-heading">
            <h2 id="guided-heading" tabindex="-1">{heading}</h2>
            <Show when=linking fallback=|| view! {
                <p>"Pick the USB serial adapter in the browser's list (often CH340, CP2102 or FT232), then press Connect."</p>
            }>
                <p class="countdown" aria-hidden="true"><span class="count">{seconds_left}</span>" s"</p>
                <div class="instruction" role="status" aria-live="polite">
                    <p><strong>{move || reset_instruction(session.line.get())}</strong></p>
                </div>
                <p class="line-state">"What the line shows: "<span class="badge">{move || line_badge(session.line.get())}</span></p>
                <div id="guided-practice"><PracticeReset /></div>
            </Show>
            <button id="guided-cancel" type="button" class="big" on:click=cancel>"Cancel"</button>
        </section>
    }
}

#[component]
pub fn NoLinkScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let missed = guided.reached_link.get_untracked();
    let line = session.line.get_untracked();
    let verbatim = match session.outcome.get_untracked() {
        Some(Outcome::Failed(text)) => text,
        _ => String::new(),
    };
    let again = move |_| {
        if let Some(source) = guided.source.get_value() {
            guided.connect(session, source);
        }
    };
    let body = if missed {
        let reasons = missed_reasons(line)
            .iter()
            .map(|r| view! { <li>{*r}</li> })
            .collect_view();
        view! {
            <h2 id="guided-heading" tabindex="-1">"Didn't catch it"</h2>
            <p role="alert">"The chip did not answer in 20 s."</p>
            <ul class="reasons">{reasons}</ul>
        }
        .into_any()
    } else {
        view! {
            <h2 id="guided-heading" tabindex="-1">"The adapter did not open"</h2>
            <p role="alert">{verbatim.lines().next().unwrap_or_default().to_owned()}</p>
            <ul class="reasons">
                <li>"Plug the adapter into this computer and check its LED is on."</li>
                <li>"Use a data cable, not a charge-only one."</li>
                <li>"Close other programs that use the serial port."</li>
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="step-card" aria-labelledby="guided-heading">
            {body}
            <button id="guided-again" type="button" class="primary big" on:click=again>"Try again"</button>
            <CopyReport />
            <details class="technical">
                <summary>"Technical details"</summary>
                <pre class="mono wrap">{verbatim}</pre>
                <p class="mono">{format!("line: {line:?}")}</p>
            </details>
        </section>
    }
}
