//! Connect: open a Web Serial port (or the virtual device), link and identify the chip; the port
//! of an earlier session is closed first.

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Flasher, LINK_BAUD, Options};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::runner::{begin, finish};
use crate::device::{Port, VirtualChip, now_ms, open_virtual_port};
use crate::handover;
use crate::job::Job;
use crate::logs::log_port::claim_flash_port;
use crate::serial::{PortInfo, WebSerialTransport, chosen_port, pick_port};
use crate::session::{Outcome, Session};
use crate::sink::PageSink;
use crate::words::link_failure_words;

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
    session.forget_port();
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
        session.virtual_chip.set(match source {
            Source::Virtual(chip) => Some(chip),
            Source::Serial => None,
        });
        let link_seconds = options.link_window.as_secs();
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
                session.forget_port();
                let rendered = error.render();
                let text = if error.kind == ErrorKind::NoLink {
                    let headline = link_failure_words(link_seconds, session.line.get_untracked());
                    format!(
                        "{headline}\nPress Connect to try again.\n\nDetails:\n{}",
                        rendered.trim_end()
                    )
                } else {
                    rendered.trim_end().to_owned()
                };
                finish(session, Some(Outcome::Failed(text)));
            }
        }
    });
}

async fn open_serial() -> Result<(Port, String), String> {
    let port = match handover::take_port_request() {
        Some(request) => chosen_port(request).await,
        None => pick_port().await,
    }
    .map_err(|e| e.to_string())?;
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
