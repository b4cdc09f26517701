//! The device-logs panel: open a second adapter on UART2 at a chosen rate, its monitor, and the
//! hardware report to copy or save for an issue.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::clock::file_stamp;
use super::log_port::{LOG_BAUD, LogPort, is_virtual};
use super::panel::MonitorPanel;
use super::report::{page_report, remember_chips};
use crate::clipboard::copy_text;
use crate::files;
use crate::session::Session;

static LOG_BAUDS: [u32; 6] = [LOG_BAUD, 9_600, 57_600, 230_400, 460_800, 921_600];

#[component]
pub fn LogsSection(serial_available: bool) -> impl IntoView {
    let session = expect_context::<Session>();
    let log = LogPort::new();
    remember_chips(session);
    let (report, set_report) = signal(None::<String>);
    let (report_note, set_report_note) = signal(None::<String>);
    let make_report = move || {
        let text = page_report(session, log.label.get_untracked());
        set_report.set(Some(text.clone()));
        text
    };
    let copy = move |_| {
        let text = make_report();
        spawn_local(async move {
            let copied = copy_text(&text).await;
            set_report_note.set(Some(String::from(if copied {
                "Copied. Paste it into an issue; it holds no file content and no flash data."
            } else {
                "The browser did not let the page copy. Open \"The report\" below and copy it \
                 by hand, or press Save report and attach the file."
            })));
        });
    };
    let save = move |_| {
        let text = make_report();
        let name = format!("bkflash-report-{}.txt", file_stamp());
        set_report_note.set(Some(match files::download(&name, text.as_bytes()) {
            Ok(()) => format!("Saved as {name}."),
            Err(e) => e,
        }));
    };
    let virtual_connected = move || is_virtual(session.port_label.get());
    let on_baud = move |ev| {
        if let Ok(baud) = event_target_value(&ev).parse() {
            log.baud.set(baud);
        }
    };
    view! {
        <section class="panel" aria-labelledby="logs-title" id="device-logs">
            <h2 id="logs-title">"Device logs (UART2) and hardware report"</h2>
            <p>"BK72xx firmware (LibreTiny, OpenBeken) prints its log on UART2. Wire a second 3.3 V adapter: its RX to the chip's TX2 (P0), GND to GND, and open it here. It stays open while you connect, write and reboot, so the new firmware's boot log appears by itself. With the virtual device, its log port shows what the simulated firmware prints after Reboot."</p>
            <div class="row">
                <label for="log-baud">"Log baud"</label>
                <select id="log-baud" on:change=on_baud prop:disabled=move || log.is_open()>
                    {LOG_BAUDS.iter().map(|b| view! { <option value=b.to_string()>{b.to_string()}</option> }).collect_view()}
                </select>
                <button id="log-open" type="button" on:click=move |_| log.open(session)
                    disabled=move || !serial_available || log.is_open() || log.opening.get()>"Open log port"</button>
                <button id="log-open-virtual" type="button" on:click=move |_| log.open_virtual()
                    disabled=move || !virtual_connected() || log.is_open()>"Virtual device's log port"</button>
                <button id="log-close" type="button" on:click=move |_| log.close()
                    disabled=move || !log.is_open()>"Close log port"</button>
            </div>
            <p id="log-port-label" class="port-name">{move || match log.label.get() {
                Some(label) => format!("Log port: {label}"),
                None => String::from("Log port: none open."),
            }}</p>
            {move || log.problem.get().map(|p| view! { <p id="log-port-problem" class="error" role="alert">{p}</p> })}
            <MonitorPanel state=log.monitor prefix="log" text_id="log-monitor" file_tag="uart2" can_send=Signal::derive(move || log.is_open()) />
            <h3>"Hardware report"</h3>
            <p class="hint">"One text for an issue: browser and OS, both adapters' USB ids, the chip card, the baud rates tried and chosen, the reset method, the last 200 protocol-log lines and the outcome. No file content, no flash data, no keys."</p>
            <div class="row">
                <button id="copy-report" type="button" on:click=copy>"Copy report"</button>
                <button id="save-report" type="button" on:click=save>"Save report"</button>
            </div>
            {move || report_note.get().map(|n| view! { <p id="report-note" class="note" role="status">{n}</p> })}
            {move || report.get().map(|text| view! {
                <details id="report">
                    <summary>"The report"</summary>
                    <pre id="report-text" class="log mono">{text}</pre>
                </details>
            })}
        </section>
    }
}
