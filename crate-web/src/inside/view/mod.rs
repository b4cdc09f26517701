//! The panel's content, compiled only into the on-demand analysis module (src/bin/bkflash-analyze.rs):
//! analyse the file and mount its flash map, pins, keys and setups into the page's container.

mod data;
mod flash_bar;
mod module_picture;
mod pins;
mod report;
mod setups;
mod words;

use std::cell::RefCell;

use bkflash_core::analyze::{Options, analyze};
use leptos::mount::mount_to;
use leptos::prelude::*;
use web_sys::HtmlElement;

use data::Analysis;

thread_local! {
    /// The panel now shown; dropping it takes it off the page.
    static MOUNTED: RefCell<Option<Box<dyn std::any::Any>>> = RefCell::default();
}

/// Analyse `bytes` (the file `name`) and show what is inside in `container`, replacing what was there.
pub fn show(container: HtmlElement, name: String, bytes: &[u8]) {
    let analysis = Analysis::new(name, &analyze(bytes, &Options::default()));
    MOUNTED.with_borrow_mut(|mounted| {
        mounted.take();
        let handle = mount_to(
            container,
            move || view! { <report::Report analysis=analysis /> },
        );
        *mounted = Some(Box::new(handle));
    });
}
