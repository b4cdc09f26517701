//! The serial console: after a reboot, what the firmware prints, read on the same port at a chosen
//! baud (single-adapter use). Runs as a job until Stop.

use leptos::prelude::*;

use crate::jobs;
use crate::session::Session;

static CONSOLE_BAUDS: [u32; 4] = [115_200, 921_600, 1_500_000, 2_000_000];

#[component]
pub fn ConsoleSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let (baud, set_baud) = signal(CONSOLE_BAUDS[0]);
    let running = move || session.busy.get() == Some("console");
    let can_start = move || session.port_label.get().is_some() && session.busy.get().is_none();
    let start = move |_| {
        let baud = baud.get_untracked();
        jobs::run(session, "console", async move |f, _sink| {
            jobs::console(f, session, baud).await
        });
    };
    let stop = move |_| session.cancel.with_value(|token| token.cancel());
    view! {
        <details id="console-panel">
            <summary>"Serial console (what the firmware prints after a reboot)"</summary>
            <p class="hint">"Reboot the chip first, then open the console on the same port. Firmware logs usually run at 115200 baud."</p>
            <div class="row">
                <label for="console-baud">"Console baud"</label>
                <select id="console-baud" on:change=move |ev| set_baud.set(event_target_value(&ev).parse().unwrap_or(CONSOLE_BAUDS[0]))>
                    {CONSOLE_BAUDS.iter().map(|b| view! { <option value=b.to_string()>{b.to_string()}</option> }).collect_view()}
                </select>
                <button id="console-start" type="button" on:click=start disabled=move || !can_start()>"Open console"</button>
                <button id="console-stop" type="button" on:click=stop disabled=move || !running()>"Stop"</button>
            </div>
            <pre id="console" class="log mono">{move || session.console.get()}</pre>
        </details>
    }
}
