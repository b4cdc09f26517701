//! The write plan's place in the page: what a plan was made from (so it never runs against another
//! chip, file or flash state), and whether one is being made, ready, or failed.

use std::sync::Arc;

use bkflash_core::plan::Plan;

/// What a plan was made from; a plan runs only while all of it is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanKey {
    /// Which link (Connect) the plan read the chip in.
    pub link: u64,
    pub file: u64,
    /// Bumped by every job that may change the flash.
    pub flash: u64,
}

/// A plan made by the core's `prepare` on the linked chip, with what it was made from.
#[derive(Debug)]
pub struct PreparedPlan {
    pub key: PlanKey,
    pub plan: Plan,
    /// The chip's baud when the plan was made, for the time estimate.
    pub baud: u32,
}

/// The write plan for the linked chip and the chosen file.
#[derive(Clone, Debug, Default)]
pub enum PlanState {
    /// No chip, no file, or a file this chip must not get.
    #[default]
    None,
    Preparing(PlanKey),
    Ready(Arc<PreparedPlan>),
    Failed(PlanKey, String),
}

impl PlanState {
    /// The inputs this state belongs to.
    pub fn key(&self) -> Option<PlanKey> {
        match self {
            PlanState::None => None,
            PlanState::Preparing(key) | PlanState::Failed(key, _) => Some(*key),
            PlanState::Ready(prepared) => Some(prepared.key),
        }
    }
}
