//! `bkflash spi info|read|write|verify`: SPI flashing through a serprog programmer (docs/spi-unbrick.md),
//! the recovery path for a chip whose flash bootloader is gone. This file only dispatches.

use bkflash_core::flasher::CancelToken;

use super::{spi_info, spi_read, spi_verify, spi_write};
use crate::args::{Global, SpiAction, SpiArgs};
use crate::failure::Failure;

pub fn run(global: &Global, args: &SpiArgs, cancel: &CancelToken) -> Result<(), Failure> {
    match &args.action {
        SpiAction::Info => spi_info::run(global, args, cancel),
        SpiAction::Read(read) => spi_read::run(global, args, read, cancel),
        SpiAction::Write(write) => spi_write::run(global, args, write, cancel),
        SpiAction::Verify(image) => spi_verify::run(global, args, image, cancel),
    }
}
