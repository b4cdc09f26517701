//! `bkflash read [--start A] [--length L | --all] -o FILE`: read flash to a file, CRC-checked.
//! Without a length it reads up to the end of the flash the chip reports. A whole-flash read is a
//! backup (`restore` takes it), so one that is a single repeated byte is refused, not saved.

use std::time::Instant;

use bkflash_core::flasher::CancelToken;
use bkflash_core::uniform::check_backup;

use crate::args::{Global, ReadArgs};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::session;
use crate::summary::rate;

/// End of the read: `start + length`, or the end of the flash.
pub fn read_end(args: &ReadArgs, flash_size: u32) -> Result<u32, String> {
    let end = match args.length {
        Some(length) => u64::from(args.start) + u64::from(length),
        None => u64::from(flash_size),
    };
    if args.start >= flash_size || end > u64::from(flash_size) || end <= u64::from(args.start) {
        return Err(format!(
            "0x{:X}..0x{end:X} is not inside the 0x{flash_size:X}-byte flash; check --start and --length",
            args.start
        ));
    }
    Ok(end as u32)
}

pub fn run(global: &Global, args: &ReadArgs, cancel: &CancelToken) -> Result<(), Failure> {
    let mut session = session::connect("read", global, session::options(global, cancel))?;
    let end = read_end(args, session.chip.flash_size)
        .map_err(|m| Failure::plain(Exit::Refused, format!("bkflash read: {m}")))?;
    let started = Instant::now();
    let bytes = pollster::block_on(session.flasher.read(args.start..end, &mut session.view))
        .map_err(Failure::core("read"))?;
    session.view.finish();
    if args.start == 0 && end == session.chip.flash_size {
        check_backup(&bytes).map_err(Failure::core("read"))?;
    }
    std::fs::write(&args.output, &bytes).map_err(|e| {
        Failure::plain(
            Exit::Failed,
            format!(
                "bkflash read: cannot save {}: {e}; check the path",
                args.output.display()
            ),
        )
    })?;
    println!(
        "read 0x{:06X}..0x{end:06X} ({} bytes) to {} in {}",
        args.start,
        bytes.len(),
        args.output.display(),
        rate(bytes.len() as u64, started.elapsed())
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn args(start: u32, length: Option<u32>) -> ReadArgs {
        ReadArgs {
            start,
            length,
            all: false,
            output: PathBuf::from("x"),
        }
    }

    #[test]
    fn default_length_reaches_the_end_of_the_flash() {
        assert_eq!(read_end(&args(0, None), 0x20_0000), Ok(0x20_0000));
        assert_eq!(read_end(&args(0x11000, None), 0x20_0000), Ok(0x20_0000));
        assert_eq!(
            read_end(&args(0x11000, Some(0x1000)), 0x20_0000),
            Ok(0x12000)
        );
    }

    #[test]
    fn ranges_outside_the_flash_are_refused() {
        assert!(read_end(&args(0x20_0000, None), 0x20_0000).is_err());
        assert!(
            read_end(&args(0x1F_F000, Some(0x2000)), 0x20_0000)
                .unwrap_err()
                .contains("0x1FF000..0x201000")
        );
        assert!(read_end(&args(0x1000, Some(0)), 0x20_0000).is_err());
        assert!(read_end(&args(0xFFFF_F000, Some(0xFFFF_F000)), 0x20_0000).is_err());
    }
}
