//! Browser tests of what keeps the page safe: the plan runs only for the chip, file and flash it was
//! made from (the session's signals). The pure rules are host tests: plan_and_refusal.rs, backup_files.rs.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

mod common;

use bkflash_core::chips::ChipFamily;
use bkflash_core::flasher::LINK_BAUD;
use bkflash_core::plan::Plan;
use bkflash_web::firmware::{PlanState, PreparedPlan, load};
use bkflash_web::session::Session;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn linked(session: Session, family: ChipFamily, file: &'static [u8]) {
    session.chip.set(Some(common::chip(family)));
    session.link_id.update(|l| *l += 1);
    session
        .file
        .set(Some(Arc::new(load(String::from("fw.uf2"), file))));
}

fn ready(session: Session) {
    let key = session.plan_key().expect("a plan may be made");
    session.plan.set(PlanState::Ready(Arc::new(PreparedPlan {
        key,
        plan: Plan::default(),
        baud: LINK_BAUD,
    })));
}

#[wasm_bindgen_test]
fn a_plan_runs_only_for_the_chip_file_and_flash_it_was_made_from() {
    let session = Session::new();
    let file = include_bytes!("../../testdata/bk7231n_cb2s.uf2");
    linked(session, ChipFamily::Bk7231N, file);
    ready(session);
    assert!(session.ready_plan().is_some());

    session
        .file
        .set(Some(Arc::new(load(String::from("fw.uf2"), file))));
    assert!(
        session.ready_plan().is_none(),
        "the same bytes loaded again are another file"
    );
    ready(session);
    session.flash_epoch.update(|e| *e += 1);
    assert!(session.ready_plan().is_none(), "the flash changed");
    ready(session);
    session.link_id.update(|l| *l += 1);
    assert!(session.ready_plan().is_none(), "another Connect");
    ready(session);
    session.chip.set(Some(common::chip(ChipFamily::Bk7231T)));
    assert!(
        session.plan_key().is_none() && session.ready_plan().is_none(),
        "a BK7231N build is not planned for a BK7231T"
    );
}
