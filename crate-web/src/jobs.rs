//! The user's jobs (connect, prepare, write, read, erase, verify, restore, reboot), one function
//! each: each takes the session's flasher for its run, reports progress, and leaves a plain-words outcome.

use core::ops::Range;
use std::sync::Arc;

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::{Flasher, LINK_BAUD, Options, WriteOptions};
use bkflash_core::plan::Region;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backups::check;
use crate::backups::picker::SaveChoice;
use crate::backups::picker::ask_where;
use crate::backups::take::take_backup;
use crate::device::{Port, VirtualChip, now_ms, open_virtual_port};
use crate::files;
use crate::firmware::{PlanKey, PlanState, PreparedPlan, plan_words};
pub use crate::job::JobError;
use crate::job::{Job, JobResult};
use crate::logs::log_port::claim_flash_port;
use crate::serial::{PortInfo, WebSerialTransport, pick_port};
use crate::session::{Outcome, Progress, Session};
use crate::sink::PageSink;

/// Baud-switch delay for Web Serial (the virtual device's port too), which must close and reopen
/// the port to change rate.
const WEB_SERIAL_SWITCH_DELAY_MS: u8 = 200;

/// Where Connect gets its port.
#[derive(Clone, Copy)]
pub enum Source {
    Serial,
    Virtual(&'static VirtualChip),
}

/// Close the current session's port, if any, and forget the chip.
async fn drop_session(session: Session) {
    let mut old = None;
    session.flasher.update_value(|slot| old = slot.take());
    if let Some(flasher) = old {
        flasher.into_transport().close().await;
    }
    session.chip.set(None);
    session.port_label.set(None);
}

fn begin(session: Session, job: Job) -> bool {
    if session.busy.get_untracked().is_some() {
        return false;
    }
    session.busy.set(Some(job));
    if !job.runs_in_background() {
        session.outcome.set(None);
    }
    session.note.set(None);
    session.progress.set(Progress::default());
    session.cancel.with_value(|token| token.reset());
    true
}

/// End the job: `outcome` replaces the last one (`None` keeps it, for background jobs).
fn finish(session: Session, outcome: Option<Outcome>) {
    let job = session.busy.get_untracked();
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

/// Open a port, link and identify the chip.
pub fn connect(session: Session, source: Source) {
    if !begin(session, Job::Connect) {
        return;
    }
    spawn_local(async move {
        drop_session(session).await;
        session.line.set(None);
        let opened = match source {
            Source::Virtual(chip) => open_virtual(chip).await,
            Source::Serial => open_serial().await,
        };
        let (port, label) = match opened {
            Ok(opened) => opened,
            Err(message) => return finish(session, Some(Outcome::Failed(message))),
        };
        let options = Options {
            baud: session.baud.get_untracked(),
            reset: session.reset.get_untracked(),
            baud_switch_delay_ms: WEB_SERIAL_SWITCH_DELAY_MS,
            cancel: session.cancel.get_value(),
            ..Options::default()
        };
        session
            .link_deadline_ms
            .set(Some(now_ms() + options.link_window.as_secs_f64() * 1000.0));
        session.port_label.set(Some(label));
        let mut flasher = Flasher::new(port, options);
        let mut sink = PageSink::new(session);
        match flasher.connect(&mut sink).await {
            Ok(info) => {
                let message = format!(
                    "Linked to {} at {} baud: {}.",
                    info.family.map_or("the chip", |f| f.name()),
                    info.baud,
                    flasher.rate().1
                );
                session.chip.set(Some(info));
                session.flasher.set_value(Some(flasher));
                session.link_id.update(|link| *link += 1);
                finish(session, Some(Outcome::Done(message)));
            }
            Err(error) => {
                flasher.into_transport().close().await;
                session.port_label.set(None);
                finish(
                    session,
                    Some(Outcome::Failed(error.render().trim_end().to_owned())),
                );
            }
        }
    });
}

async fn open_serial() -> Result<(Port, String), String> {
    let port = pick_port().await.map_err(|e| e.to_string())?;
    claim_flash_port(&port)?;
    let label = format!("Serial port: {}", PortInfo::of(&port));
    let transport = WebSerialTransport::open(port, LINK_BAUD)
        .await
        .map_err(|e| e.to_string())?;
    Ok((transport.into(), label))
}

async fn open_virtual(chip: &VirtualChip) -> Result<(Port, String), String> {
    let port = open_virtual_port(chip.id).await?;
    let label = format!("Virtual device: {}", chip.label);
    let transport = WebSerialTransport::open(port, LINK_BAUD)
        .await
        .map_err(|e| e.to_string())?;
    Ok((transport.into(), label))
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
fn port_lost(error: &Error) -> bool {
    matches!(
        error.kind,
        ErrorKind::Disconnected | ErrorKind::TransportFailed
    )
}

/// Close a port that went away, forget its chip and say so; the user connects again.
async fn close_lost_port(session: Session, flasher: Flasher<Port>, text: &str) {
    flasher.into_transport().close().await;
    session.chip.set(None);
    session.port_label.set(None);
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

/// Make the real plan for `key` with the core's `prepare` (reading partly covered sectors, asking
/// the chip which sectors already match); Write then runs exactly this plan.
pub fn prepare(session: Session, key: PlanKey, regions: Vec<Region>) {
    let mut taken = None;
    if session.busy.get_untracked().is_none() {
        session.flasher.update_value(|slot| taken = slot.take());
    }
    let Some(mut flasher) = taken else { return };
    begin(session, Job::Prepare);
    session.plan.set(PlanState::Preparing(key));
    spawn_local(async move {
        let mut sink = PageSink::new(session);
        let result = flasher
            .prepare(&regions, &WriteOptions { differential: true }, &mut sink)
            .await;
        session.chip.set(flasher.chip().cloned());
        let baud = flasher.chip().map_or(LINK_BAUD, |c| c.baud);
        match result {
            Ok(plan) => {
                session
                    .plan
                    .set(PlanState::Ready(Arc::new(PreparedPlan { key, plan, baud })))
            }
            Err(error) => {
                let text = error.render().trim_end().to_owned();
                session.plan.set(PlanState::Failed(key, text.clone()));
                if port_lost(&error) {
                    return close_lost_port(session, flasher, &text).await;
                }
            }
        }
        session.flasher.set_value(Some(flasher));
        finish(session, None);
    });
}

/// Back up whole flash: ask where to save (inside the click, where browsers allow the dialog), then read.
pub fn start_backup(session: Session) {
    let Some(chip) = session.chip.get_untracked() else {
        return;
    };
    let choice = ask_where(files::backup_name(&chip));
    run(session, Job::Backup, async move |f, s| {
        backup(f, s, session, choice).await
    });
}

/// Read the whole flash and keep it where `choice` says (see `backups::take_backup`).
pub async fn backup(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    choice: SaveChoice,
) -> JobResult {
    let saved = take_backup(flasher, sink, session, choice).await?;
    Ok(saved.sentence())
}

/// Write firmware: ask once, in the plan's words, then back up (where the user chose) and write.
pub fn start_write(session: Session) {
    let (Some(prepared), Some(chip)) =
        (session.ready_plan_untracked(), session.chip.get_untracked())
    else {
        session.fail(String::from(
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
    let saved = match backup {
        Some(choice) => take_backup(flasher, sink, session, choice)
            .await?
            .sentence(),
        None => String::from("No backup was made."),
    };
    let report = flasher
        .execute(&prepared.plan, sink)
        .await
        .map_err(|e| JobError::from(e).after(&saved))?;
    Ok(format!(
        "{saved}\nWritten and verified:\n{}",
        report.summary_lines().join("\n")
    ))
}

/// Read range: the typed range, saved as a download.
pub fn start_read(session: Session, range: Result<Range<u32>, String>) {
    match range {
        Ok(range) => run(session, Job::Read, async move |f, s| {
            read(f, s, range).await
        }),
        Err(message) => session.fail(message),
    }
}

pub async fn read(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    range: Range<u32>,
) -> JobResult {
    let chip = flasher
        .chip()
        .cloned()
        .ok_or_else(|| JobError::Page(String::from("Connect a device first.")))?;
    let bytes = flasher.read(range.clone(), sink).await?;
    let name = files::read_name(&chip, range.start, range.end - range.start);
    files::download(&name, &bytes).map_err(JobError::Page)?;
    Ok(format!("Read {} bytes, saved as {name}.", bytes.len()))
}

/// Erase range: the typed range, after one question.
pub fn start_erase(session: Session, range: Result<Range<u32>, String>) {
    let range = match range {
        Ok(range) => range,
        Err(message) => return session.fail(message),
    };
    let question = format!(
        "Erase 0x{:06X}..0x{:06X}? Everything stored there is lost.",
        range.start, range.end
    );
    session.ask(question, "Yes, erase", move || {
        run(session, Job::Erase, async move |f, s| {
            erase(f, s, range).await
        })
    });
}

/// Erase all but bootloader: everything from `BOOTLOADER_END` to the end of the flash, after one question.
pub fn start_erase_all(session: Session) {
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
        run(session, Job::Erase, async move |f, s| {
            erase(f, s, BOOTLOADER_END..size).await
        })
    });
}

pub async fn erase(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    range: Range<u32>,
) -> JobResult {
    let report = flasher.erase(range, sink).await?;
    Ok(format!("Erased:\n{}", report.summary_lines().join("\n")))
}

/// Verify file against chip: the chosen file's regions, sector by sector.
pub fn start_verify(session: Session) {
    if let Some(regions) = session.file_regions_untracked() {
        run(session, Job::Verify, async move |f, s| {
            verify(f, s, regions).await
        });
    }
}

pub async fn verify(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    regions: Vec<Region>,
) -> JobResult {
    let differing = flasher.verify(&regions, sink).await?;
    if differing.is_empty() {
        return Ok(String::from("Verified: the chip holds this file exactly."));
    }
    let list: Vec<String> = differing.iter().map(|a| format!("0x{a:06X}")).collect();
    Err(JobError::Page(format!(
        "{} sectors differ from the file: {}. Write the file to fix them.",
        differing.len(),
        list.join(", ")
    )))
}

/// Ask the chip whether its bootloader region equals the backup's (restore keeps that region, but
/// it tells chips apart); `Err` names the sectors that differ.
pub async fn check_bootloader_region(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    dump: &[u8],
) -> Result<(), JobError> {
    let Some(region) = check::bootloader_region(dump) else {
        return Ok(());
    };
    let differing = flasher
        .verify(
            &[Region {
                offset: 0,
                data: region.to_vec(),
            }],
            sink,
        )
        .await?;
    if differing.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = differing.iter().map(|a| format!("0x{a:06X}")).collect();
    Err(JobError::Page(format!(
        "its bootloader region (0x000000..0x011000) differs from this chip's in {} of 17 sectors ({}): \
         it was read from another chip",
        differing.len(),
        list.join(", ")
    )))
}

/// Back up (unless `backup` is `None`), then put the backup `dump` back.
pub async fn restore(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    dump: Vec<u8>,
    backup: Option<SaveChoice>,
) -> JobResult {
    let saved = match backup {
        Some(choice) => take_backup(flasher, sink, session, choice)
            .await?
            .sentence(),
        None => String::from("No backup of the flash before the restore was made."),
    };
    let report = flasher
        .restore(&dump, sink)
        .await
        .map_err(|e| JobError::from(e).after(&saved))?;
    Ok(format!(
        "{saved}\nBackup restored and checked:\n{}",
        report.summary_lines().join("\n")
    ))
}

/// Reboot chip: leave download mode and start the firmware.
pub fn start_reboot(session: Session) {
    run(session, Job::Reboot, async move |f, s| reboot(f, s).await);
}

pub async fn reboot(flasher: &mut Flasher<Port>, sink: &mut PageSink) -> JobResult {
    flasher.reboot(sink).await?;
    Ok(String::from(
        "Rebooted: the chip now runs its firmware. Press Connect to flash again.",
    ))
}
