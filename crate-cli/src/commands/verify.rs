//! `bkflash verify FILE`: compare the file's regions with the chip by CRC (read-back where the legacy
//! class cannot CRC the exact range); exit 0 when equal, 4 listing the differing sectors.

use bkflash_core::flasher::CancelToken;

use crate::args::{Global, VerifyArgs};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::firmware_file::load;
use crate::session;

const JOB: &str = "verify";

pub fn run(global: &Global, args: &VerifyArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let file = load(JOB, &args.file)?;
    let mut session = session::connect(JOB, global, session::options(global, cancel))?;
    let differ = pollster::block_on(session.flasher.verify(&file.regions, &mut session.view))
        .map_err(Failure::core(JOB))?;
    session.view.finish();
    if !differ.is_empty() {
        return Err(Failure::plain(
            Exit::Mismatch,
            mismatch_message(JOB, &differ),
        ));
    }
    println!(
        "{}: the chip holds all {} bytes in {} regions",
        file.name,
        file.total_bytes(),
        file.regions.len()
    );
    Ok(())
}

/// The sectors that differ, named so the user can act on them.
fn mismatch_message(job: &str, differ: &[u32]) -> String {
    let list: Vec<String> = differ.iter().map(|a| format!("0x{a:06X}")).collect();
    format!(
        "bkflash {job}: {} sectors differ from the file: {}; write the file again",
        differ.len(),
        list.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatch_names_every_sector() {
        let mismatch = mismatch_message("verify", &[0x11000, 0x20000]);
        assert_eq!(
            mismatch,
            "bkflash verify: 2 sectors differ from the file: 0x011000, 0x020000; write the file again"
        );
    }
}
