//! `bkflash reboot`: link, then leave download mode so the chip starts its firmware.
//! Linking first matters: a chip that is not in download mode ignores the Reboot frame.

use bkflash_core::flasher::{CancelToken, LINK_BAUD, WorkBaud};

use crate::args::Global;
use crate::failure::Failure;
use crate::session::{self, chip_name};

pub fn run(global: &Global, cancel: &CancelToken) -> Result<(), Failure> {
    // Two frames need no fast baud; staying at the link rate saves the switch.
    let options = bkflash_core::flasher::Options {
        baud: WorkBaud::Fixed(LINK_BAUD),
        ..session::options(global, cancel)
    };
    let mut session = session::connect("reboot", global, options)?;
    pollster::block_on(session.flasher.reboot(&mut session.view))
        .map_err(Failure::core("reboot"))?;
    session.view.finish();
    println!(
        "rebooted the {}: its firmware starts now",
        chip_name(&session.chip)
    );
    Ok(())
}
