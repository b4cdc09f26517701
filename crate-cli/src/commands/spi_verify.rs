//! `bkflash spi verify FILE`: compare a whole-flash image with the chip over SPI; exit 0 when equal,
//! 4 listing the differing sectors (each confirmed by a second read).

use bkflash_core::flasher::CancelToken;

use super::spi_session;
use super::spi_write::load_image;
use crate::args::{Global, SpiArgs, SpiImageArgs};
use crate::exit::Exit;
use crate::failure::Failure;

const JOB: &str = "spi verify";

pub fn run(
    global: &Global,
    args: &SpiArgs,
    image: &SpiImageArgs,
    cancel: &CancelToken,
) -> Result<(), Failure> {
    let bytes = load_image(JOB, &image.file)?;
    let mut session = spi_session::connect(JOB, global, args, cancel)?;
    let differ = pollster::block_on(session.flasher.verify(&bytes, &mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    spi_session::leave(JOB, &mut session)?;
    if !differ.is_empty() {
        let list: Vec<String> = differ.iter().map(|a| format!("0x{a:06X}")).collect();
        return Err(Failure::plain(
            Exit::Mismatch,
            format!(
                "bkflash {JOB}: {} sectors differ from {}: {}; write it with bkflash spi write",
                differ.len(),
                image.file.display(),
                list.join(", ")
            ),
        ));
    }
    println!(
        "{}: the chip holds all {} bytes",
        image.file.display(),
        bytes.len()
    );
    Ok(())
}
