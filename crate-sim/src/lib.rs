//! bkflash-sim: a Beken BK72xx chip in download mode, in software, on a virtual clock.
//! no_std + alloc core; host-only extras (the pty server) live behind the `std` feature.
#![no_std]

extern crate alloc;
