//! The firmware model: a file given to the page, analysed at once, whether it may go to the linked
//! chip, and the write plan made for it. No browser and no signals: session, jobs and ui build on it.

mod loaded;
mod plan;
mod plan_words;
mod refusal;

pub use loaded::{LoadedFile, kind_words, load, promised_kind_refusal};
pub use plan::{PlanKey, PlanState, PreparedPlan};
pub use plan_words::{
    PlanWords, backup_seconds, duration_words, erase_counts, plan_seconds, plan_words,
};
pub use refusal::chip_refusal;
