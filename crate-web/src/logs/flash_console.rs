//! The monitor on the flashing port: after a reboot, what the firmware prints on UART1 at a chosen
//! baud (single-adapter use, e.g. LibreTiny built with its log on UART1). Runs as a job until Stop.

use core::time::Duration;

use bkflash_core::flasher::Flasher;
use bkflash_core::transport::Transport;
use leptos::prelude::*;

use super::monitor_state::MonitorState;
use super::panel::MonitorPanel;
use crate::device::Port;
use crate::job::{Job, JobError};
use crate::jobs;
use crate::session::Session;

static CONSOLE_BAUDS: [u32; 4] = [115_200, 921_600, 1_500_000, 2_000_000];
/// How long one read waits; also how soon Stop and typed lines are noticed.
const READ_WAIT: Duration = Duration::from_millis(100);

/// Show what the chip prints at `baud` until Cancel. The flasher's next job links again from the
/// link baud, so the console may leave the port at any rate.
async fn console(
    flasher: &mut Flasher<Port>,
    session: Session,
    monitor: MonitorState,
    baud: u32,
) -> Result<String, JobError> {
    let cancel = session.cancel.get_value();
    let port = flasher
        .console_port(baud)
        .await
        .map_err(|e| JobError::Page(format!("Opening the console at {baud} baud failed: {e}")))?;
    let mut chunk = [0u8; 1024];
    let stopped = |e| JobError::Page(format!("The console stopped: {e}. Press Connect again."));
    while !cancel.is_cancelled() {
        for line in monitor.take_outbox() {
            port.write_all(&line).await.map_err(stopped)?;
        }
        let n = port.read(&mut chunk, READ_WAIT).await.map_err(stopped)?;
        if n > 0 {
            monitor.push(&chunk[..n]);
        }
    }
    Ok(String::from(
        "Console closed. To flash again, press a job's button: bkflash links again first.",
    ))
}

#[component]
pub fn FlashPortConsole() -> impl IntoView {
    let session = expect_context::<Session>();
    let monitor = MonitorState::new();
    let (baud, set_baud) = signal(CONSOLE_BAUDS[0]);
    let running = move || session.busy.get() == Some(Job::Console);
    let can_start = move || session.port_label.get().is_some() && session.busy.get().is_none();
    let start = move |_| {
        let baud = baud.get_untracked();
        jobs::run(session, Job::Console, async move |f, _sink| {
            console(f, session, monitor, baud).await
        });
    };
    let stop = move |_| session.cancel.with_value(|token| token.cancel());
    view! {
        <details id="console-panel">
            <summary>"Serial console on the flashing port (what the firmware prints after a reboot)"</summary>
            <p class="hint">"Reboot the chip first, then open the console on the same port. Firmware logs usually run at 115200 baud; most BK72xx firmware logs on UART2, which the log port below reads."</p>
            <div class="row">
                <label for="console-baud">"Console baud"</label>
                <select id="console-baud" on:change=move |ev| set_baud.set(event_target_value(&ev).parse().unwrap_or(CONSOLE_BAUDS[0]))>
                    {CONSOLE_BAUDS.iter().map(|b| view! { <option value=b.to_string()>{b.to_string()}</option> }).collect_view()}
                </select>
                <button id="console-start" type="button" on:click=start disabled=move || !can_start()>"Open console"</button>
                <button id="console-stop" type="button" on:click=stop disabled=move || !running()>"Stop"</button>
            </div>
            <MonitorPanel state=monitor prefix="console" text_id="console" file_tag="uart1" can_send=Signal::derive(running) />
        </details>
    }
}
