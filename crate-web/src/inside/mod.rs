//! "Inside this backup": after a backup, or for a dropped or opened dump, the on-demand analysis
//! module reads the file and shows its partitions, pins, config keys and ready setups in this section.

mod loader;
mod panel;
pub mod view;

use leptos::prelude::*;
use leptos::task::spawn_local;

pub use panel::InsideSection;

/// What the section shows besides its drop zone.
#[derive(Clone, Debug)]
pub enum Shown {
    Nothing,
    /// The file `name` is being analysed.
    Analysing(String),
    /// The module has rendered the report into `#inside-view`.
    Done,
    /// The analysis module could not run on `name`; the sentence says why and what to do.
    Failed(String, String),
}

thread_local! {
    /// One section for the whole page; Arc-backed, so no component's lifetime owns it.
    static SHOWN: ArcRwSignal<Shown> = ArcRwSignal::new(Shown::Nothing);
}

/// The section's state, to read (tracked) or set.
pub fn shown() -> ArcRwSignal<Shown> {
    SHOWN.with(Clone::clone)
}

/// Analyse the file `name` (a backup just taken, or a dump the user gave) and show what is inside;
/// the analysis module is fetched the first time.
pub fn open(name: &str, bytes: &[u8]) {
    let name = name.to_owned();
    let bytes = bytes.to_vec();
    shown().set(Shown::Analysing(name.clone()));
    spawn_local(async move {
        let state = match loader::show(&name, &bytes).await {
            Ok(()) => Shown::Done,
            Err(why) => Shown::Failed(name, why),
        };
        shown().set(state);
    });
}
