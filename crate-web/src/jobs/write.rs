//! Write firmware: the button's handler asks once, in the plan's words, and opens the backup's save
//! dialog inside the click; the job backs up, then runs exactly the plan the user was shown.

use std::sync::Arc;

use bkflash_core::flasher::{ChipInfo, Flasher};
use leptos::prelude::*;

use super::backup::backup_first;
use super::runner::run;
use crate::backups::picker::{SaveChoice, ask_where};
use crate::device::Port;
use crate::files;
use crate::firmware::{PreparedPlan, plan_words};
use crate::job::{Job, JobError, JobResult};
use crate::session::Session;
use crate::sink::PageSink;

/// The plan and the chip to write, or `None` after saying why not.
fn ready(session: Session) -> Option<(Arc<PreparedPlan>, ChipInfo)> {
    let ready = session
        .ready_plan_untracked()
        .zip(session.chip.get_untracked());
    if ready.is_none() {
        session.fail(String::from(
            "The write plan is not ready, or no longer matches the chip and the file: wait for the new plan under the file.",
        ));
    }
    ready
}

/// Write firmware: ask once, in the plan's words, then back up (where the user chose) and write.
pub fn start_write(session: Session) {
    let Some((prepared, chip)) = ready(session) else {
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
        run(session, Job::Write, async move |f, s| {
            write(f, s, session, prepared, backup).await
        })
    });
}

/// Install from the guided flow: ask `question`, then back up first only when this chip has no
/// backup from this visit yet (the guided Back up step takes it), and write.
pub fn start_guided_write(session: Session, question: String, yes: &str) {
    let Some((prepared, chip)) = ready(session) else {
        return;
    };
    session.ask_with(question, yes, false, move || {
        // Opened here, in the click, like the expert page's backup.
        let backup = untrack(|| session.link_backup())
            .is_none()
            .then(|| ask_where(files::backup_name(&chip)));
        run(session, Job::Write, async move |f, s| {
            write(f, s, session, prepared, backup).await
        })
    });
}

/// Back up (unless `backup` is `None`), then run exactly the plan the user was shown.
pub async fn write(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    prepared: Arc<PreparedPlan>,
    backup: Option<SaveChoice>,
) -> JobResult {
    let saved = backup_first(flasher, sink, session, backup, "No backup was made.").await?;
    let report = flasher
        .execute(&prepared.plan, sink)
        .await
        .map_err(|e| JobError::from(e).after(&saved))?;
    Ok(format!(
        "{saved}\nWritten and verified:\n{}",
        report.summary_lines().join("\n")
    ))
}
