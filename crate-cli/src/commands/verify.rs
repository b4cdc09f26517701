//! `bkflash verify FILE`: compare the file's regions with the chip by CRC (read-back where the legacy
//! class cannot CRC the exact range); exit 0 when equal, 4 listing the differing sectors.

use bkflash_core::flasher::CancelToken;

use crate::args::{Global, VerifyArgs};
use crate::commands::write::mismatch_message;
use crate::exit::Exit;
use crate::failure::Failure;
use crate::firmware_file::load;
use crate::session;

const JOB: &str = "verify";

pub fn run(global: &Global, args: &VerifyArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let file = load(JOB, &args.file)?;
    let mut session = session::connect(JOB, global, session::options(global, cancel))?;
    let differ = pollster::block_on(session.flasher.verify(&file.regions, &mut session.view)).map_err(Failure::core(JOB))?;
    session.view.finish();
    if !differ.is_empty() {
        return Err(Failure::plain(Exit::Mismatch, mismatch_message(JOB, &differ)));
    }
    println!("{}: the chip holds all {} bytes in {} regions", file.name, file.total_bytes(), file.regions.len());
    Ok(())
}
