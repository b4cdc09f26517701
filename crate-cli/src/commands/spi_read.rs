//! `bkflash spi read -o FILE`: back up the whole flash over SPI, every chunk read until two reads agree,
//! then let go of the chip.

use std::time::Instant;

use bkflash_core::flasher::CancelToken;

use super::spi_session;
use crate::args::{Global, SpiArgs, SpiReadArgs};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::summary::rate;

const JOB: &str = "spi read";

pub fn run(
    global: &Global,
    args: &SpiArgs,
    read: &SpiReadArgs,
    cancel: &CancelToken,
) -> Result<(), Failure> {
    let mut session = spi_session::connect(JOB, global, args, cancel)?;
    let started = Instant::now();
    let bytes = pollster::block_on(session.flasher.backup(&mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    std::fs::write(&read.output, &bytes).map_err(|e| {
        Failure::plain(
            Exit::Failed,
            format!(
                "bkflash {JOB}: cannot save {}: {e}; check the path",
                read.output.display()
            ),
        )
    })?;
    println!(
        "read the whole flash ({} bytes, every chunk read twice) to {} in {}",
        bytes.len(),
        read.output.display(),
        rate(bytes.len() as u64, started.elapsed())
    );
    spi_session::leave(JOB, &mut session)
}
