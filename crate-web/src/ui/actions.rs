//! Step 4: the jobs. Write (backup first by default), read/back up, erase, verify, restore, reboot;
//! erasing and writing ask once, in plain words.

use core::ops::Range;

use bkflash_core::chips::BOOTLOADER_END;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::backups::picker::ask_where;
use crate::files;
use crate::jobs;
use crate::session::{Outcome, Session};
use crate::ui::plan::plan_words;
use crate::ui::restore::start_restore;

/// "0x11000", "11000" (hex) or "69632"? Only hex: addresses on this page are always hex.
pub fn parse_hex(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    u32::from_str_radix(digits, 16).ok()
}

/// A start and length typed by the user, as a range; `None` with a sentence when unusable.
pub fn parse_range(start: &str, length: &str) -> Result<Range<u32>, String> {
    let start_at = parse_hex(start)
        .ok_or_else(|| format!("Start \"{start}\" is not a hex address such as 0x11000."))?;
    let len = parse_hex(length)
        .ok_or_else(|| format!("Length \"{length}\" is not a hex size such as 0x1000."))?;
    if len == 0 {
        return Err(String::from(
            "Length 0 is an empty range; give the bytes to use, such as 0x1000.",
        ));
    }
    let end = start_at.checked_add(len).ok_or_else(|| {
        format!("Start 0x{start_at:X} plus length 0x{len:X} overflows past 4 GiB; check both.")
    })?;
    Ok(start_at..end)
}

#[component]
pub fn ActionsSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let (start, set_start) = signal(format!("0x{BOOTLOADER_END:X}"));
    let (length, set_length) = signal(String::from("0x1000"));
    let fail = move |message: String| session.outcome.set(Some(Outcome::Failed(message)));
    let regions = move || {
        session.file.with_untracked(|f| {
            f.as_ref()
                .and_then(|f| f.analysis.as_ref().ok())
                .map(|fw| fw.regions.clone())
        })
    };
    let linked = move || session.chip.get().is_some() && session.busy.get().is_none();
    let file_ok = move || session.plan_key().is_some();
    let plan_ready = move || session.ready_plan().is_some();
    let range = move || parse_range(&start.get_untracked(), &length.get_untracked());

    let write = move |_| {
        let (Some(prepared), Some(chip)) = untrack(|| (session.ready_plan(), session.chip.get()))
        else {
            fail(String::from(
                "The write plan is not ready, or no longer matches the chip and the file: wait for the new plan under the file.",
            ));
            return;
        };
        let words = plan_words(&prepared, chip.class, chip.flash_size, false);
        let question = format!(
            "Write {} to the {}, exactly as planned? {} {} {}",
            session
                .file
                .with_untracked(|f| f.as_ref().map(|f| f.name.clone()).unwrap_or_default()),
            chip.family.map_or("chip", |f| f.name()),
            words.erased,
            words.written,
            words.kept
        );
        session.ask_with(question, "Yes, write", true, move || {
            // Opened here, in the click: browsers show a save dialog only during one.
            let backup = session
                .backup_first
                .get_untracked()
                .then(|| ask_where(files::backup_name(&chip)));
            jobs::run(session, "write", async move |f, s| {
                jobs::write(f, s, session, prepared, backup).await
            })
        });
    };
    let verify = move |_| {
        if let Some(regions) = regions() {
            jobs::run(session, "verify", async move |f, s| {
                jobs::verify(f, s, regions).await
            });
        }
    };
    let backup = move |_| {
        let Some(chip) = session.chip.get_untracked() else {
            return;
        };
        let choice = ask_where(files::backup_name(&chip));
        jobs::run(session, "backup", async move |f, s| {
            jobs::backup(f, s, session, choice).await
        })
    };
    let read_range = move |_| match range() {
        Ok(r) => jobs::run(session, "read", async move |f, s| jobs::read(f, s, r).await),
        Err(message) => fail(message),
    };
    let erase_range = move |_| match range() {
        Ok(r) => {
            let question = format!(
                "Erase 0x{:06X}..0x{:06X}? Everything stored there is lost.",
                r.start, r.end
            );
            session.ask(question, "Yes, erase", move || {
                jobs::run(session, "erase", async move |f, s| {
                    jobs::erase(f, s, r).await
                })
            });
        }
        Err(message) => fail(message),
    };
    let erase_all = move |_| {
        let Some(size) = session
            .chip
            .with_untracked(|c| c.as_ref().map(|c| c.flash_size))
        else {
            return;
        };
        let question = format!(
            "Erase everything except the bootloader (0x{BOOTLOADER_END:06X}..0x{size:06X})? The firmware and its settings are lost; the chip will not boot until you write new firmware."
        );
        session.ask(question, "Yes, erase all", move || {
            jobs::run(session, "erase", async move |f, s| {
                jobs::erase(f, s, BOOTLOADER_END..size).await
            })
        });
    };
    let reboot = move |_| {
        jobs::run(session, "reboot", async move |f, s| {
            jobs::reboot(f, s).await
        })
    };
    let on_restore = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|list| list.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            match files::read_file(&file).await {
                Ok(dump) => start_restore(session, file.name(), dump),
                Err(message) => fail(message),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="actions-title">
            <h2 id="actions-title">"4. Actions"</h2>
            <div class="row">
                <button id="write" type="button" class="primary" on:click=write disabled=move || !(linked() && plan_ready())>"Write firmware"</button>
                <label class="check"><input id="backup-first" type="checkbox" prop:checked=move || session.backup_first.get()
                    on:change=move |ev| session.backup_first.set(event_target_checked(&ev)) />"Back up the chip first (recommended)"</label>
            </div>
            <div class="row">
                <button id="verify" type="button" on:click=verify disabled=move || !(linked() && file_ok())>"Verify file against chip"</button>
                <button id="backup" type="button" on:click=backup disabled=move || !linked()>"Back up whole flash"</button>
                <button id="reboot" type="button" on:click=reboot disabled=move || !linked()>"Reboot chip"</button>
            </div>
            <details class="advanced">
                <summary>"More: read or erase a range, restore a backup"</summary>
                <div class="row">
                    <label for="range-start">"Start"</label>
                    <input id="range-start" class="mono" size="10" prop:value=start on:input=move |ev| set_start.set(event_target_value(&ev)) />
                    <label for="range-length">"Length"</label>
                    <input id="range-length" class="mono" size="10" prop:value=length on:input=move |ev| set_length.set(event_target_value(&ev)) />
                    <button id="read-range" type="button" on:click=read_range disabled=move || !linked()>"Read range"</button>
                    <button id="erase-range" type="button" class="danger" on:click=erase_range disabled=move || !linked()>"Erase range"</button>
                </div>
                <div class="row">
                    <button id="erase-all" type="button" class="danger" on:click=erase_all disabled=move || !linked()>"Erase all but bootloader"</button>
                    <label for="restore-file" class="button-like">"Restore a backup…"</label>
                    <input id="restore-file" type="file" class="visually-hidden" on:change=on_restore prop:disabled=move || !linked() />
                </div>
            </details>
        </section>
    }
}
