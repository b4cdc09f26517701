//! Step 4: the jobs' buttons. Write (backup first by default), read/back up, erase, verify, restore,
//! reboot; each button calls its job's handler in jobs/, which asks first where the job erases.

use bkflash_core::chips::BOOTLOADER_END;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::files;
use crate::jobs;
use crate::jobs::start_restore;
use crate::range::parse_range;
use crate::session::Session;

#[component]
pub fn ActionsSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let (start, set_start) = signal(format!("0x{BOOTLOADER_END:X}"));
    let (length, set_length) = signal(String::from("0x1000"));
    let linked = move || session.chip.get().is_some() && session.busy.get().is_none();
    let file_ok = move || session.plan_key().is_some();
    let plan_ready = move || session.ready_plan().is_some();
    let why = move || {
        if session
            .busy
            .get()
            .is_some_and(|job| !job.runs_in_background())
        {
            "A job is running: the buttons come back when it ends."
        } else if session.chip.get().is_none() {
            "Connect a chip first (step 1)."
        } else if session.file.with(Option::is_none) {
            "Write and Verify need a firmware file (step 3)."
        } else if !file_ok() {
            "This file cannot go to this chip: step 3 says why."
        } else if session.busy.get().is_some() || !plan_ready() {
            "Write waits for the write plan (step 3)."
        } else {
            ""
        }
    };
    let range = move || parse_range(&start.get_untracked(), &length.get_untracked());
    let on_restore = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|list| list.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            match files::read_file(&file).await {
                Ok(dump) => start_restore(session, file.name(), dump),
                Err(message) => session.fail(message),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="actions-title">
            <h2 id="actions-title">"4. Actions"</h2>
            <div class="row">
                <button id="write" type="button" aria-describedby="actions-why" class="primary" on:click=move |_| jobs::start_write(session) disabled=move || !(linked() && plan_ready())>"Write firmware"</button>
                <label class="check"><input id="backup-first" type="checkbox" prop:checked=move || session.backup_first.get()
                    on:change=move |ev| session.backup_first.set(event_target_checked(&ev)) />"Back up the chip first (recommended)"</label>
            </div>
            <div class="row">
                <button id="verify" type="button" aria-describedby="actions-why" on:click=move |_| jobs::start_verify(session) disabled=move || !(linked() && file_ok())>"Verify file against chip"</button>
                <button id="backup" type="button" aria-describedby="actions-why" on:click=move |_| jobs::start_backup(session) disabled=move || !linked()>"Back up whole flash"</button>
                <button id="reboot" type="button" aria-describedby="actions-why" on:click=move |_| jobs::start_reboot(session) disabled=move || !linked()>"Reboot chip"</button>
            </div>
            <p id="actions-why" class="hint">{why}</p>
            <details class="advanced">
                <summary>"More: read or erase a range, restore a backup"</summary>
                <div class="row">
                    <label for="range-start">"Start"</label>
                    <input id="range-start" class="mono" size="10" prop:value=start on:input=move |ev| set_start.set(event_target_value(&ev)) />
                    <label for="range-length">"Length"</label>
                    <input id="range-length" class="mono" size="10" prop:value=length on:input=move |ev| set_length.set(event_target_value(&ev)) />
                    <button id="read-range" type="button" aria-describedby="actions-why" on:click=move |_| jobs::start_read(session, range()) disabled=move || !linked()>"Read range"</button>
                    <button id="erase-range" type="button" aria-describedby="actions-why" class="danger" on:click=move |_| jobs::start_erase(session, range()) disabled=move || !linked()>"Erase range"</button>
                </div>
                <div class="row">
                    <button id="erase-all" type="button" aria-describedby="actions-why" class="danger" on:click=move |_| jobs::start_erase_all(session) disabled=move || !linked()>"Erase all but bootloader"</button>
                    <input id="restore-file" type="file" class="visually-hidden" on:change=on_restore prop:disabled=move || !linked() />
                    <label for="restore-file" class="button-like">"Restore a backup…"</label>
                </div>
            </details>
        </section>
    }
}
