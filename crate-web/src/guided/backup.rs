//! Back up: the chip found ("BK7231N · 2 MB flash ✓"), its details folded, and the backup as a
//! required step with one bar; the next screen says where the copy was kept.

use leptos::prelude::*;

use super::Guided;
use super::meter::JobMeter;
use crate::firmware::{backup_seconds, duration_words};
use crate::job::Job;
use crate::jobs;
use crate::session::Session;
use crate::ui::chip::chip_rows;
use crate::words::flash_size_words;
use bkflash_core::progress::Stage;

/// "BK7231N · 2 MB flash ✓" for the linked chip.
pub fn chip_line(session: Session) -> String {
    session.chip.with(|chip| {
        chip.as_ref().map_or_else(String::new, |chip| {
            format!(
                "{} · {} flash ✓",
                chip.family.map_or("Beken chip", |f| f.name()),
                flash_size_words(chip.flash_size)
            )
        })
    })
}

/// The chip's rows, folded under "Chip details".
#[component]
pub fn ChipDetails() -> impl IntoView {
    let session = expect_context::<Session>();
    let rows = move || {
        session.chip.get().map(|chip| {
            chip_rows(&chip)
                .into_iter()
                .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                .collect_view()
        })
    };
    view! {
        <details class="technical">
            <summary>"Chip details"</summary>
            <dl class="facts">{rows}</dl>
        </details>
    }
}

#[component]
pub fn BackupScreen(running: bool) -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let start = move |_| {
        guided.mark(Job::Backup);
        jobs::start_backup(session);
    };
    let estimate = move || {
        session.chip.with(|chip| {
            chip.as_ref().map_or_else(String::new, |chip| {
                duration_words(backup_seconds(chip.flash_size, chip.baud))
            })
        })
    };
    let stage = move || match session.progress.get().stage {
        Some(Stage::Verify) => "Checking the saved copy against the chip…",
        Some(Stage::Read) => "Reading the whole flash…",
        _ => "Starting…",
    };
    let body = if running {
        view! {
            <h2 id="guided-heading" tabindex="-1">"Saving the original firmware"</h2>
            <p role="status">{stage}</p>
            <JobMeter label="Backup progress" />
            <p class="guided-note">"Keep the adapter plugged in and this tab visible."</p>
        }
        .into_any()
    } else {
        view! {
            <h2 id="guided-heading" tabindex="-1">"Save the original firmware"</h2>
            <p>{move || format!("First bkflash reads the whole flash and keeps it, so you can put the original back any time. It takes {}.", estimate())}</p>
            <button id="guided-backup" type="button" class="primary big" on:click=start>"Back up now"</button>
        }
        .into_any()
    };
    view! {
        <section class="step-card chip-found" aria-label="Chip">
            <p class="chip-line"><strong>{move || chip_line(session)}</strong></p>
            <ChipDetails />
        </section>
        <section class="step-card" aria-labelledby="guided-heading">{body}</section>
    }
}
