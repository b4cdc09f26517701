//! The background job that makes the write plan: the core's `prepare` on the linked chip, stored in
//! the session with what it was made from; the last outcome stays on the page.

use std::sync::Arc;

use bkflash_core::flasher::{LINK_BAUD, WriteOptions};
use bkflash_core::plan::Region;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::runner::{begin, close_lost_port, finish, port_lost};
use crate::firmware::{PlanKey, PlanState, PreparedPlan};
use crate::job::Job;
use crate::session::Session;
use crate::sink::PageSink;

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
