//! The exit codes of `bkflash`, as one documented table, and which core error ends in which code.
//! `--help` prints the table; scripts can rely on it.

use bkflash_core::error::ErrorKind;
use std::process::ExitCode;

/// How a run of `bkflash` ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok,
    /// The chip or the port failed during the job.
    Failed,
    /// A bad command line, a refused file, or a job refused before anything was sent.
    Refused,
    /// The port could not be opened or the chip never answered.
    NoLink,
    /// `verify` found sectors that differ from the file.
    Mismatch,
    /// Stopped by Ctrl-C at a safe point.
    Cancelled,
}

/// Code and meaning of every exit, as printed by `--help`.
pub static EXIT_CODES: &[(Exit, u8, &str)] = &[
    (Exit::Ok, 0, "done"),
    (
        Exit::Failed,
        1,
        "the job failed on the chip or the port (the flash state is printed)",
    ),
    (
        Exit::Refused,
        2,
        "bad command line, refused file or refused address; nothing was changed",
    ),
    (
        Exit::NoLink,
        3,
        "could not open the port or link to the chip",
    ),
    (Exit::Mismatch, 4, "verify: the chip differs from the file"),
    (Exit::Cancelled, 130, "cancelled by Ctrl-C"),
];

/// Core errors that do not mean "the job failed"; every other kind exits with `Exit::Failed`.
static EXIT_BY_ERROR: &[(ErrorKind, Exit)] = &[
    (ErrorKind::NoLink, Exit::NoLink),
    (ErrorKind::LineEcho, Exit::NoLink),
    (ErrorKind::BootloaderRefused, Exit::Refused),
    (ErrorKind::BeyondFlash, Exit::Refused),
    (ErrorKind::Unaligned, Exit::Refused),
    (ErrorKind::PlanRefused, Exit::Refused),
    (ErrorKind::BackupSizeMismatch, Exit::Refused),
    (ErrorKind::ChipNotSupported, Exit::Refused),
    (ErrorKind::BlankBootloader, Exit::Refused),
    (ErrorKind::Cancelled, Exit::Cancelled),
    (ErrorKind::ProgrammerSilent, Exit::NoLink),
    (ErrorKind::ProgrammerUnsupported, Exit::NoLink),
    (ErrorKind::SpiEntryFailed, Exit::NoLink),
    (ErrorKind::NotWholeFlashImage, Exit::Refused),
];

impl Exit {
    pub fn code(self) -> u8 {
        EXIT_CODES
            .iter()
            .find(|row| row.0 == self)
            .map(|row| row.1)
            .expect("every exit has a code")
    }

    pub fn for_error(kind: ErrorKind) -> Exit {
        EXIT_BY_ERROR
            .iter()
            .find(|row| row.0 == kind)
            .map_or(Exit::Failed, |row| row.1)
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// The table as `--help` shows it.
pub fn exit_code_help() -> String {
    let mut text = String::from("Exit codes:\n");
    for (_, code, meaning) in EXIT_CODES {
        text.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::error::CATALOGUE;

    #[test]
    fn codes_are_unique_and_clap_usage_errors_share_the_refused_code() {
        for (i, row) in EXIT_CODES.iter().enumerate() {
            assert_eq!(row.0.code(), row.1);
            assert!(
                EXIT_CODES[i + 1..]
                    .iter()
                    .all(|other| other.1 != row.1 && other.0 != row.0)
            );
        }
        assert_eq!(
            Exit::Refused.code(),
            2,
            "clap exits 2 on a bad command line"
        );
        assert_eq!(Exit::Ok.code(), 0);
    }

    #[test]
    fn core_errors_map_to_their_exit() {
        assert_eq!(Exit::for_error(ErrorKind::NoLink), Exit::NoLink);
        assert_eq!(Exit::for_error(ErrorKind::Cancelled).code(), 130);
        assert_eq!(Exit::for_error(ErrorKind::BootloaderRefused).code(), 2);
        assert_eq!(Exit::for_error(ErrorKind::CrcMismatch), Exit::Failed);
        assert_eq!(Exit::for_error(ErrorKind::Disconnected), Exit::Failed);
        let failed = CATALOGUE
            .iter()
            .filter(|row| Exit::for_error(row.kind) == Exit::Failed)
            .count();
        assert_eq!(
            failed,
            CATALOGUE.len() - EXIT_BY_ERROR.len(),
            "every mapped kind is in the catalogue once"
        );
    }

    #[test]
    fn help_lists_every_code() {
        let help = exit_code_help();
        for (_, code, meaning) in EXIT_CODES {
            assert!(help.contains(&format!("{code:>3}  {meaning}")), "{help}");
        }
    }
}
