//! The page's hardware report: every progress event goes into one recorder for the whole visit,
//! and "Copy report" renders it with what the page knows (browser, both ports, chip, settings).

use core::cell::RefCell;

use bkflash_core::flasher::ChipInfo;
use bkflash_core::progress::Event;
use bkflash_core::report::{HardwareReport, ReportRecorder, browser_summary};
use leptos::prelude::*;

use crate::session::{Outcome, Session};

thread_local! {
    static RECORDER: RefCell<ReportRecorder> = RefCell::default();
    /// The last chip identified: a reboot ends the session, but the report still names the chip.
    static LAST_CHIP: RefCell<Option<ChipInfo>> = RefCell::default();
}

/// Remember every chip the session identifies (an effect, for the page's lifetime).
pub fn remember_chips(session: Session) {
    Effect::new(move |_| {
        if let Some(chip) = session.chip.get() {
            LAST_CHIP.set(Some(chip));
        }
    });
}

/// Note one progress event of any job (the page's progress sink forwards every one).
pub fn record(event: &Event<'_>) {
    RECORDER.with_borrow_mut(|recorder| recorder.record(event));
}

/// The report as it stands; `log_port` describes the open log port, if any.
pub fn page_report(session: Session, log_port: Option<String>) -> String {
    let user_agent = web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default();
    let tool = format!("bkflash {}, web page", env!("CARGO_PKG_VERSION"));
    let host = browser_summary(&user_agent);
    let flash_port = session.port_label.get_untracked();
    let chip = session
        .chip
        .get_untracked()
        .or_else(|| LAST_CHIP.with_borrow(Clone::clone));
    let outcome = session
        .outcome
        .get_untracked()
        .map(|outcome| match outcome {
            Outcome::Done(text) => format!("done: {text}"),
            Outcome::Failed(text) => format!("failed: {text}"),
        });
    RECORDER.with_borrow(|recorder| {
        HardwareReport {
            tool: &tool,
            host: &host,
            host_detail: Some(&user_agent),
            flash_port: flash_port.as_deref(),
            log_port: log_port.as_deref(),
            chip: chip.as_ref(),
            baud_asked: session.baud.get_untracked(),
            reset: session.reset.get_untracked(),
            recorder,
            outcome: outcome.as_deref(),
        }
        .render()
    })
}
