//! Install: where the backup is, the firmware file with its verdict in one sentence (details folded),
//! the install through the shared confirm dialog and write job; then one bar and the stage list.

use std::sync::Arc;

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::image::Firmware;
use bkflash_core::progress::Stage;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Guided;
use super::backup::chip_line;
use super::meter::JobMeter;
use crate::backups::saved::SavedBackup;
use crate::firmware::{
    LoadedFile, chip_refusal, duration_words, kind_words, plan_seconds, plan_words,
};
use crate::job::Job;
use crate::jobs;
use crate::session::{PlanState, Session};
use crate::ui::drop_zone::{DropZone, FileInput};
use crate::ui::firmware::take_file;
use crate::words::size_words;

/// The firmware's own name and version when the file carries them, else the file name.
pub fn firmware_name(file: &LoadedFile) -> String {
    let tag = |key: &str| {
        file.analysis.as_ref().ok().and_then(|fw| {
            fw.tags
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        })
    };
    match (tag("firmware"), tag("version")) {
        (Some(name), Some(version)) => format!("{name} {version}"),
        (Some(name), None) => name,
        _ => file.name.clone(),
    }
}

/// The name of the chosen file's firmware, if a file is chosen.
fn chosen_name(session: Session) -> Option<String> {
    session.file.with(|f| f.as_deref().map(firmware_name))
}

/// Where the backup was kept, in one sentence, from what the backup job did.
fn kept_words(saved: &SavedBackup) -> String {
    let mut places = Vec::new();
    if saved.kept_here {
        places.push(String::from("in this browser (Backups)"));
    }
    if let Some(file) = &saved.chosen_file {
        places.push(format!("as {file} where you chose"));
    }
    if saved.downloaded {
        places.push(format!("as {} in Downloads", saved.name));
    }
    format!("Saved {}.", places.join(" and "))
}

/// What the file does to the chip, in a few words.
fn reach_words(firmware: &Firmware) -> &'static str {
    if firmware.regions.iter().any(|r| r.offset < BOOTLOADER_END) {
        "writes from the start of the flash"
    } else {
        "replaces the app, keeps the bootloader"
    }
}

/// The verdict on the file for the linked chip: one sentence, or the refusal.
#[component]
fn Verdict(file: Arc<LoadedFile>) -> impl IntoView {
    let session = expect_context::<Session>();
    let firmware = match &file.analysis {
        Err(sentence) => {
            return view! { <p id="guided-refusal" class="error" role="alert">{sentence.clone()}</p> }
                .into_any();
        }
        Ok(firmware) => firmware.clone(),
    };
    let name = firmware_name(&file);
    let bytes: usize = firmware.regions.iter().map(|r| r.data.len()).sum();
    let only_for = file.only_for;
    let fw = firmware.clone();
    let refusal = move || {
        session.chip.with(|c| {
            c.as_ref()
                .and_then(|chip| chip_refusal(&fw, only_for, chip))
        })
    };
    let time = move || match (session.plan.get(), session.chip.get()) {
        (PlanState::Ready(prepared), Some(chip)) => {
            duration_words(plan_seconds(&prepared.plan, chip.class, prepared.baud))
        }
        (PlanState::Failed(_, why), _) => why,
        _ => String::from("working out the time…"),
    };
    let made_for = firmware.family.or(only_for).map_or_else(
        || String::from("the file does not name a chip"),
        |f| format!("made for {}", f.name()),
    );
    let summary = format!(
        "{name} · {made_for} · {} · {}",
        reach_words(&firmware),
        size_words(bytes as u64)
    );
    let plan = move || {
        let (PlanState::Ready(prepared), Some(chip)) = (session.plan.get(), session.chip.get())
        else {
            return None;
        };
        let words = plan_words(&prepared, chip.class, chip.flash_size, false);
        Some(view! { <p>{words.erased}" "{words.written}" "{words.kept}</p> })
    };
    let regions = firmware
        .regions
        .iter()
        .map(|r| {
            let text = format!(
                "0x{:06X}..0x{:06X} ({})",
                r.offset,
                r.offset as usize + r.data.len(),
                size_words(r.data.len() as u64)
            );
            view! { <li class="mono">{text}</li> }
        })
        .collect_view();
    let tags = firmware
        .tags
        .iter()
        .map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> })
        .collect_view();
    view! {
        {move || match refusal() {
            Some(sentence) => view! { <p id="guided-mismatch" class="error" role="alert">{sentence}</p> }.into_any(),
            None => view! { <p id="guided-verdict" class="verdict" role="status">{summary.clone()}" · "{time}</p> }.into_any(),
        }}
        <details class="technical">
            <summary>"File details and what will be written"</summary>
            <dl class="facts"><dt>"Kind"</dt><dd>{kind_words(firmware.kind)}</dd>{tags}</dl>
            <ul class="plain">{regions}</ul>
            {plan}
        </details>
    }
    .into_any()
}

/// The drop zone and the file input (before its label, so the label shows the input's focus ring).
#[component]
fn FilePicker() -> impl IntoView {
    let session = expect_context::<Session>();
    let on_file = Callback::new(move |file| spawn_local(take_file(session, file)));
    view! {
        <DropZone id="guided-drop" on_file=on_file>
            <p>"Drop the firmware file here, or"</p>
            <FileInput id="guided-file" on_file=on_file />
            <label for="guided-file" class="button-like">"Choose a file…"</label>
            <p class="hint">"OpenBeken: OpenBK7231N_QIO_….bin (or OpenBK7231T_UA_….bin) · ESPHome: firmware.uf2"</p>
        </DropZone>
    }
}

#[component]
pub fn InstallScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let saved = move || session.link_backup().map(|saved| kept_words(&saved));
    let from_manifest = move || {
        session
            .file
            .with(|f| f.as_ref().is_some_and(|f| f.only_for.is_some()))
    };
    let ready = move || session.ready_plan().is_some();
    let install = move |_| {
        let name = untrack(|| chosen_name(session)).unwrap_or_default();
        let chip = untrack(|| chip_line(session));
        let question = format!(
            "Install {name} on this chip ({})? Your original firmware is saved (Backups).",
            chip.trim_end_matches(" ✓")
        );
        guided.mark(Job::Write);
        jobs::start_guided_write(session, question, "Install");
    };
    view! {
        <section class="step-card" aria-label="Backup">
            <p class="chip-line"><strong>{move || chip_line(session)}</strong></p>
            <p><strong>"Original firmware saved ✓"</strong></p>
            <p id="guided-saved">{saved}</p>
            <button type="button" class="link" on:click=move |_| guided.open_expert("inside-title")>"Look inside this backup"</button>
        </section>
        <section class="step-card" aria-labelledby="guided-heading">
            <h2 id="guided-heading" tabindex="-1">"Choose the new firmware"</h2>
            <Show when=move || !from_manifest()>
                <FilePicker />
            </Show>
            {move || session.file.get().map(|file| view! { <Verdict file=file /> })}
            <button id="guided-install" type="button" class="primary big" disabled=move || !ready()
                on:click=install>{move || format!("Install {}", chosen_name(session).unwrap_or_else(|| String::from("firmware")))}</button>
        </section>
    }
}

/// The install's stages, and which of them a progress stage belongs to.
const INSTALL_STAGES: [&str; 3] = [
    "Backup saved",
    "Unlocking the flash",
    "Erasing, writing and checking every sector",
];

fn install_stage(stage: Option<Stage>) -> usize {
    match stage {
        None | Some(Stage::Read) => 0,
        Some(Stage::Write | Stage::Erase | Stage::Verify) => 2,
        Some(_) => 1,
    }
}

#[component]
pub fn InstallingScreen() -> impl IntoView {
    let session = expect_context::<Session>();
    let name = untrack(|| chosen_name(session)).unwrap_or_default();
    let stages = move || {
        let now = install_stage(session.progress.get().stage);
        INSTALL_STAGES
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let (mark, class, state) = if i < now {
                    ("✓", "done", "done")
                } else if i == now {
                    ("●", "now", "now")
                } else {
                    ("○", "later", "to come")
                };
                view! { <li class=class><span aria-hidden="true">{mark}" "</span>{*text}<span class="visually-hidden">{format!(" ({state})")}</span></li> }
            })
            .collect_view()
    };
    view! {
        <section class="step-card" aria-labelledby="guided-heading">
            <h2 id="guided-heading" tabindex="-1">{format!("Installing {name}…")}</h2>
            <JobMeter label="Install progress" />
            <ul class="stages">{stages}</ul>
            <p class="guided-note">"Keep the adapter plugged in and this tab visible. If it stops, nothing is lost: run it again."</p>
            <button id="guided-stop" type="button" class="big" on:click=move |_| session.cancel.with_value(|t| t.cancel())>"Stop after this sector"</button>
        </section>
    }
}
