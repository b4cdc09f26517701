//! `bkflash`: flash, read, erase and verify Beken BK72xx chips from a terminal.
//! The same core as the web page, on native serial ports.

fn main() {
    println!("bkflash {}", env!("CARGO_PKG_VERSION"));
}
