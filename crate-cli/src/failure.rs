//! Why a command failed, and how it is told to the user: the core's `Error::render` (the same text the
//! page shows: cause, failed command and address, flash state, remedy) plus the CLI option that helps.

use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::image::Refusal;

use crate::exit::Exit;

/// A failed `bkflash` job; `report` prints it and `exit` says how the process ends.
#[derive(Debug)]
pub enum Failure {
    /// The core failed while doing `job` ("write", "read", ...).
    Core { job: &'static str, error: Error },
    /// A file was refused before anything was sent.
    Refused {
        job: &'static str,
        file: String,
        refusal: Refusal,
    },
    /// Anything else the user must fix, with its exit code.
    Plain { exit: Exit, message: String },
}

impl Failure {
    pub fn core(job: &'static str) -> impl FnOnce(Error) -> Failure {
        move |error| Failure::Core { job, error }
    }

    pub fn plain(exit: Exit, message: impl Into<String>) -> Failure {
        Failure::Plain {
            exit,
            message: message.into(),
        }
    }

    pub fn exit(&self) -> Exit {
        match self {
            // Losing the chip half way through a job is a failed job: the flash state matters more.
            Failure::Core { error, .. } => match Exit::for_error(error.kind) {
                Exit::NoLink if error.flash.is_some() => Exit::Failed,
                exit => exit,
            },
            Failure::Refused { .. } => Exit::Refused,
            Failure::Plain { exit, .. } => *exit,
        }
    }

    /// The lines shown on stderr.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Failure::Core { job, error } => {
                let mut lines = vec![format!("bkflash {job} failed.")];
                lines.extend(error.render().lines().map(String::from));
                if let Some((_, hint)) = CLI_HINTS.iter().find(|row| row.0 == error.kind) {
                    lines.push(format!("With bkflash: {hint}"));
                }
                lines
            }
            Failure::Refused { job, file, refusal } => {
                vec![format!(
                    "bkflash {job}: {file} is refused ({}): {}",
                    refusal.kind.name(),
                    refusal.message
                )]
            }
            Failure::Plain { message, .. } => vec![message.clone()],
        }
    }
}

/// The options of this CLI that carry out a catalogue remedy.
static CLI_HINTS: &[(ErrorKind, &str)] = &[
    (
        ErrorKind::NoLink,
        "--reset manual and reset the chip by hand, or --link-timeout SECS to wait longer",
    ),
    (ErrorKind::Timeout, "--baud 115200 keeps the link rate"),
    (ErrorKind::PayloadLack, "--baud 115200 keeps the link rate"),
    (ErrorKind::CrcMismatch, "--baud 115200 keeps the link rate"),
    (
        ErrorKind::BootloaderRefused,
        "a --raw write with --allow-bootloader may start below 0x11000 on ROM-class chips",
    ),
    (ErrorKind::UnknownProtocol, "--chip NAME names the chip"),
    (
        ErrorKind::BootloaderDamaged,
        "a new bkflash run has no copy of the bootloader to repair from: leave the chip powered; the backup saved before the write holds it for SPI flashing",
    ),
    (
        ErrorKind::SpiEntryFailed,
        "--link-timeout SECS gives each entry variant a longer countdown; --cen-port PATH resets the chip through a second adapter's RTS",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::flasher::{FlashReport, SectorState};
    use bkflash_core::protocol::Opcode;

    #[test]
    fn core_failures_show_cause_remedy_and_flash_state() {
        let mut flash = FlashReport::new([0x11000, 0x12000, 0x13000]);
        flash.set(0x11000, SectorState::Written);
        flash.set(0x12000, SectorState::Unknown);
        let error = Error::new(ErrorKind::Timeout)
            .command(Opcode::FlashWrite4K, Some(0x12000))
            .with_flash(flash);
        let failure = Failure::core("write")(error);
        let text = failure.lines().join("\n");
        assert!(
            text.starts_with("bkflash write failed.\nError: The chip did not answer in time."),
            "{text}"
        );
        assert!(text.contains("What to do: Try a lower baud rate"), "{text}");
        assert!(text.contains("With bkflash: --baud 115200"), "{text}");
        assert!(
            text.contains("0x011000..0x012000 written and verified"),
            "{text}"
        );
        assert!(text.contains("0x012000..0x013000 unknown"), "{text}");
        assert!(text.contains("0x013000..0x014000 untouched"), "{text}");
        assert!(text.contains("run the same job again"), "{text}");
        assert_eq!(failure.exit(), Exit::Failed);
    }

    #[test]
    fn cancel_and_refusals_keep_their_exit_codes() {
        assert_eq!(
            Failure::core("read")(Error::new(ErrorKind::Cancelled))
                .exit()
                .code(),
            130
        );
        assert_eq!(
            Failure::core("write")(Error::new(ErrorKind::BootloaderRefused)).exit(),
            Exit::Refused
        );
        assert_eq!(Failure::plain(Exit::NoLink, "no port").exit().code(), 3);
        assert_eq!(
            Failure::core("info")(Error::new(ErrorKind::NoLink)).exit(),
            Exit::NoLink
        );
        let lost_mid_write = Error::new(ErrorKind::NoLink).with_flash(FlashReport::new([0x11000]));
        assert_eq!(Failure::core("write")(lost_mid_write).exit(), Exit::Failed);
    }
}
