//! bkflash-core: the whole brain of the flasher, with no IO of its own.
//! Protocol codec, async `Flasher` over a `Transport`, chip and flash tables, file formats, planning.
#![no_std]
#![allow(async_fn_in_trait)]

extern crate alloc;

pub mod analyze;
pub mod chips;
pub mod crc;
pub mod error;
pub mod flash;
pub mod flasher;
pub mod image;
pub mod key;
pub mod modules;
pub mod monitor;
pub mod names;
pub mod obk_config;
pub mod plan;
pub mod progress;
mod progress_words;
pub mod protocol;
pub mod report;
pub mod spi;
pub mod transport;
pub mod uniform;
