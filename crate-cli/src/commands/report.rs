//! `bkflash report`: link and identify as `info` does, then print the hardware report (host,
//! adapter ids, chip card, rates, reset, protocol log, outcome) to paste into an issue.

use bkflash_core::flasher::CancelToken;

use crate::args::Global;
use crate::failure::Failure;
use crate::report;
use crate::session;

pub fn run(global: &Global, cancel: &CancelToken) -> Result<(), Failure> {
    let linked = session::connect("report", global, session::options(global, cancel));
    let outcome = match &linked {
        Ok(_) => String::from("linked and identified"),
        Err(failure) => failure.lines().join("\n"),
    };
    print!("{}", report::render(global, &outcome));
    linked.map(drop)
}
