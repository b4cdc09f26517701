//! The user's jobs (connect, write, read, erase, verify, restore, reboot), one local action each:
//! each takes the session's flasher for its run, reports progress, and leaves a plain-words outcome.

use core::ops::Range;

use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::{Flasher, LINK_BAUD, Options, WriteOptions};
use bkflash_core::plan::Region;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::device::{Port, SPEEDUP, VirtualChip, now_ms};
use crate::files;
use crate::serial::{PortInfo, WebSerialTransport, pick_port};
use crate::session::{Outcome, PageSink, Progress, Session};

/// Baud-switch delay for Web Serial, which must close and reopen the port to change rate.
const WEB_SERIAL_SWITCH_DELAY_MS: u8 = 200;

/// Why a job stopped: the flasher's error (rendered by the core) or a page-side problem.
pub enum JobError {
    Flasher(Error),
    Page(String),
}

impl From<Error> for JobError {
    fn from(e: Error) -> Self {
        JobError::Flasher(e)
    }
}

type JobResult = Result<String, JobError>;

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

fn begin(session: Session, name: &'static str) -> bool {
    if session.busy.get_untracked().is_some() {
        return false;
    }
    session.busy.set(Some(name));
    session.outcome.set(None);
    session.note.set(None);
    session.progress.set(Progress::default());
    session.cancel.with_value(|token| token.reset());
    true
}

fn finish(session: Session, outcome: Outcome) {
    session.outcome.set(Some(outcome));
    session.busy.set(None);
    session.link_deadline_ms.set(None);
    session.progress.update(|p| p.stage = None);
}

/// Open a port, link and identify the chip.
pub fn connect(session: Session, source: Source) {
    if !begin(session, "connect") {
        return;
    }
    spawn_local(async move {
        drop_session(session).await;
        session.line.set(None);
        let (port, label) = match source {
            Source::Virtual(chip) => (
                Port::new_virtual(chip),
                format!("Virtual device: {}", chip.label),
            ),
            Source::Serial => match open_serial().await {
                Ok(opened) => opened,
                Err(message) => return finish(session, Outcome::Failed(message)),
            },
        };
        let serial = matches!(port, Port::Serial(_));
        let options = Options {
            baud: session.baud.get_untracked(),
            reset: session.reset.get_untracked(),
            baud_switch_delay_ms: if serial {
                WEB_SERIAL_SWITCH_DELAY_MS
            } else {
                Options::default().baud_switch_delay_ms
            },
            cancel: session.cancel.get_value(),
            ..Options::default()
        };
        // The virtual device's clock runs faster than the wall clock, so its window passes sooner.
        let clock_speed = if serial { 1.0 } else { SPEEDUP };
        session.link_deadline_ms.set(Some(
            now_ms() + options.link_window.as_secs_f64() * 1000.0 / clock_speed,
        ));
        session.port_label.set(Some(label));
        let mut flasher = Flasher::new(port, options);
        let mut sink = PageSink::new(session);
        match flasher.connect(&mut sink).await {
            Ok(info) => {
                let message = format!(
                    "Linked to {} at {} baud.",
                    info.family.map_or("the chip", |f| f.name()),
                    info.baud
                );
                session.chip.set(Some(info));
                session.flasher.set_value(Some(flasher));
                finish(session, Outcome::Done(message));
            }
            Err(error) => {
                flasher.into_transport().close().await;
                session.port_label.set(None);
                finish(
                    session,
                    Outcome::Failed(error.render().trim_end().to_owned()),
                );
            }
        }
    });
}

async fn open_serial() -> Result<(Port, String), String> {
    let port = pick_port().await.map_err(|e| e.to_string())?;
    crate::logs::claim_flash_port(&port)?;
    let label = format!("Serial port: {}", PortInfo::of(&port));
    let transport = WebSerialTransport::open(port, LINK_BAUD)
        .await
        .map_err(|e| e.to_string())?;
    Ok((Port::Serial(transport), label))
}

/// Run `job` on the connected flasher; a lost port ends the session so Connect starts afresh.
pub fn run<J>(session: Session, name: &'static str, job: J)
where
    J: AsyncFnOnce(&mut Flasher<Port>, &mut PageSink) -> JobResult + 'static,
{
    let mut taken = None;
    if session.busy.get_untracked().is_none() {
        session.flasher.update_value(|slot| taken = slot.take());
    }
    let Some(mut flasher) = taken else {
        if session.busy.get_untracked().is_none() {
            session.outcome.set(Some(Outcome::Failed(String::from(
                "Connect a device first (step 1).",
            ))));
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
            Err(JobError::Flasher(error)) => {
                if matches!(
                    error.kind,
                    ErrorKind::Disconnected | ErrorKind::TransportFailed
                ) {
                    flasher.into_transport().close().await;
                    session.chip.set(None);
                    session.port_label.set(None);
                    return finish(
                        session,
                        Outcome::Failed(format!(
                            "{}\nThe port was closed: press Connect again.",
                            error.render().trim_end()
                        )),
                    );
                }
                Outcome::Failed(error.render().trim_end().to_owned())
            }
        };
        session.flasher.set_value(Some(flasher));
        finish(session, outcome);
    });
}

/// Read the whole flash and offer it as a backup download.
pub async fn backup(flasher: &mut Flasher<Port>, sink: &mut PageSink) -> JobResult {
    let chip = flasher
        .chip()
        .cloned()
        .ok_or_else(|| JobError::Page(String::from("Connect a device first.")))?;
    let dump = flasher.read(0..chip.flash_size, sink).await?;
    let name = files::backup_name(&chip);
    files::download(&name, &dump).map_err(JobError::Page)?;
    Ok(format!("Backup saved as {name} ({} bytes).", dump.len()))
}

/// Back up (when asked), then write the regions differentially and verify them.
pub async fn write(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    regions: Vec<Region>,
    backup_first: bool,
) -> JobResult {
    let saved = if backup_first {
        format!("{} ", backup(flasher, sink).await?)
    } else {
        String::new()
    };
    let report = flasher
        .write(&regions, &WriteOptions { differential: true }, sink)
        .await?;
    Ok(format!(
        "{saved}Written and verified:\n{}",
        report.summary_lines().join("\n")
    ))
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

pub async fn erase(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    range: Range<u32>,
) -> JobResult {
    let report = flasher.erase(range, sink).await?;
    Ok(format!("Erased:\n{}", report.summary_lines().join("\n")))
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

pub async fn restore(flasher: &mut Flasher<Port>, sink: &mut PageSink, dump: Vec<u8>) -> JobResult {
    let report = flasher.restore(&dump, sink).await?;
    Ok(format!(
        "Backup restored and checked:\n{}",
        report.summary_lines().join("\n")
    ))
}

pub async fn reboot(flasher: &mut Flasher<Port>, sink: &mut PageSink) -> JobResult {
    flasher.reboot(sink).await?;
    Ok(String::from(
        "Rebooted: the chip now runs its firmware. Press Connect to flash again.",
    ))
}
