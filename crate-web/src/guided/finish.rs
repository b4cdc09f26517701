//! Finish: the install checked against the chip, and what to do next (Wi-Fi and pins, device logs,
//! restart, backups, another device), each reaching the expert page's panel or job.

use leptos::prelude::*;

use super::Guided;
use crate::job::Job;
use crate::jobs;
use crate::session::{Outcome, Session};

#[component]
pub fn FinishScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let restarted = move || guided.started.get() == Some(Job::Reboot);
    let restart_result = move || match (restarted(), session.outcome.get()) {
        (true, Some(Outcome::Done(_))) => {
            Some("Restarted: the chip now runs the new firmware.".to_owned())
        }
        (true, Some(Outcome::Failed(text))) => Some(text),
        _ => None,
    };
    let linked = move || session.chip.with(Option::is_some) && !restarted();
    let restart = move |_| {
        guided.mark(Job::Reboot);
        jobs::start_reboot(session);
    };
    let another = move |_| {
        guided.started.set(None);
        guided.at_start.set(true);
    };
    view! {
        <section class="step-card" aria-labelledby="guided-heading">
            <h2 id="guided-heading" tabindex="-1" class="installed">"Installed ✓"</h2>
            <p>"Every sector was checked against the chip."</p>
            <p class="guided-note" role="status">{restart_result}</p>
            <h3>"Next"</h3>
            <ul class="next">
                <li><button type="button" class="link" on:click=move |_| guided.open_expert("inside-title")>"Set up Wi-Fi and pins"</button>" (the pins found in your backup)"</li>
                <li><button type="button" class="link" on:click=move |_| guided.open_expert("device-logs")>"Show device logs"</button></li>
                <li><button id="guided-restart" type="button" class="link" disabled=move || !linked() on:click=restart>"Restart the device"</button></li>
                <li><button type="button" class="link" on:click=move |_| guided.open_expert("backups-title")>"Backups"</button>" · put the original back any time"</li>
                <li><button id="guided-another" type="button" class="link" on:click=another>"Flash another device"</button></li>
            </ul>
        </section>
        <section class="step-card">
            <p><strong>"Then: "</strong>"unplug the adapter, power the device normally, and join its Wi-Fi hotspot (OpenBK… for OpenBeken) to set it up."</p>
        </section>
    }
}
