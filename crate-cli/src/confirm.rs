//! Asking before anything is erased: a y/N prompt on a terminal; without a terminal `--yes` is required,
//! checked before connecting so a script fails at once instead of after linking.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::exit::Exit;
use crate::failure::Failure;

/// True while the prompt waits for an answer: Ctrl-C may then quit at once, nothing has changed yet.
static AT_PROMPT: AtomicBool = AtomicBool::new(false);

pub fn at_prompt() -> bool {
    AT_PROMPT.load(Ordering::Relaxed)
}

/// Fail early when a prompt would be needed but stdin is not a terminal.
pub fn require_consent_possible(job: &'static str, yes: bool) -> Result<(), Failure> {
    if yes || std::io::stdin().is_terminal() {
        return Ok(());
    }
    Err(Failure::plain(
        Exit::Refused,
        format!(
            "bkflash {job}: stdin is not a terminal, so bkflash cannot ask before changing the flash; add --yes to go ahead"
        ),
    ))
}

/// Ask `question` unless `yes`; anything but y/yes declines.
pub fn confirm(job: &'static str, yes: bool, question: &str) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    AT_PROMPT.store(true, Ordering::Relaxed);
    let read = std::io::stdin().lock().read_line(&mut answer);
    AT_PROMPT.store(false, Ordering::Relaxed);
    read.map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!("bkflash {job}: cannot read the answer: {e}"),
        )
    })?;
    if accepts(&answer) {
        Ok(())
    } else {
        Err(Failure::plain(
            Exit::Cancelled,
            format!("bkflash {job}: not confirmed; the flash was not changed"),
        ))
    }
}

fn accepts(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_accepts() {
        assert!(accepts("y\n") && accepts(" YES ") && accepts("Yes\r\n"));
        assert!(!accepts("") && !accepts("n") && !accepts("yep") && !accepts("\n"));
    }

    #[test]
    fn yes_skips_the_prompt() {
        assert!(confirm("erase", true, "Erase?").is_ok());
        assert!(require_consent_possible("erase", true).is_ok());
    }
}
