//! The job runner: one job at a time, each lent the session's flasher (the screen kept on meanwhile),
//! its progress shown and its result left as a plain-words outcome; a lost port ends the session.

use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::Flasher;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::wake_lock;
use crate::device::Port;
use crate::files;
use crate::job::{Job, JobError, JobResult};
use crate::session::{Outcome, Progress, Session};
use crate::sink::PageSink;

pub(super) fn begin(session: Session, job: Job) -> bool {
    if session.busy.get_untracked().is_some() {
        return false;
    }
    session.busy.set(Some(job));
    if !job.runs_in_background() {
        session.outcome.set(None);
        wake_lock::hold();
    }
    session.note.set(None);
    session.progress.set(Progress::default());
    session.cancel.with_value(|token| token.reset());
    true
}

/// End the job: `outcome` replaces the last one (`None` keeps it, for background jobs).
pub(super) fn finish(session: Session, outcome: Option<Outcome>) {
    let job = session.busy.get_untracked();
    wake_lock::release();
    if let Some(outcome) = outcome {
        session.outcome.set(Some(outcome));
    }
    session.busy.set(None);
    session.link_deadline_ms.set(None);
    session.progress.update(|p| p.stage = None);
    if job.is_some_and(Job::changes_flash) {
        session.flash_epoch.update(|epoch| *epoch += 1);
    }
}

/// Run `job` on the connected flasher; a lost port ends the session so Connect starts afresh.
pub fn run<J>(session: Session, name: Job, job: J)
where
    J: AsyncFnOnce(&mut Flasher<Port>, &mut PageSink) -> JobResult + 'static,
{
    let mut taken = None;
    if session.busy.get_untracked().is_none() {
        session.flasher.update_value(|slot| taken = slot.take());
    }
    let Some(mut flasher) = taken else {
        if session.busy.get_untracked().is_none() {
            session.fail(String::from("Connect a device first (step 1)."));
        }
        return;
    };
    begin(session, name);
    spawn_local(async move {
        let mut sink = PageSink::new(session);
        let result = job(&mut flasher, &mut sink).await;
        session.chip.set(flasher.chip().cloned());
        session
            .failed_flash
            .set(result.as_ref().err().map(JobError::flash_after));
        let outcome = match result {
            Ok(message) => Outcome::Done(message),
            Err(JobError::Page(message)) => Outcome::Failed(message),
            Err(JobError::Flasher { error, done }) => {
                let done = done.map(|d| format!("{d}\n")).unwrap_or_default();
                let text = format!("{done}{}", error.render().trim_end());
                if port_lost(&error) {
                    return close_lost_port(session, flasher, &text).await;
                }
                Outcome::Failed(with_saved_bootloader(&flasher, &error))
            }
        };
        session.flasher.set_value(Some(flasher));
        finish(session, Some(outcome));
    });
}

/// Whether the error means the adapter is gone (unplugged, or the port failed).
pub(super) fn port_lost(error: &Error) -> bool {
    matches!(
        error.kind,
        ErrorKind::Disconnected | ErrorKind::TransportFailed
    )
}

/// Close a port that went away, forget its chip and say so; the user connects again.
pub(super) async fn close_lost_port(session: Session, flasher: Flasher<Port>, text: &str) {
    flasher.into_transport().close().await;
    session.forget_port();
    finish(
        session,
        Some(Outcome::Failed(format!(
            "{text}\nThe port was closed: press Connect again."
        ))),
    );
}

/// The error as the page shows it. When the bootloader could not be put back, the copy read before
/// the job is offered as a download first: with the backup, it is what an SPI recovery needs.
fn with_saved_bootloader(flasher: &Flasher<Port>, error: &Error) -> String {
    let text = error.render().trim_end().to_owned();
    let (ErrorKind::BootloaderDamaged, Some(copy), Some(chip)) =
        (error.kind, flasher.bootloader_copy(), flasher.chip())
    else {
        return text;
    };
    let name = files::read_name(chip, 0, copy.len() as u32);
    match files::download(&name, copy) {
        Ok(()) => format!("{text}\nThe bootloader copy read before the job was saved as {name}."),
        Err(message) => format!("{text}\n{message}"),
    }
}
