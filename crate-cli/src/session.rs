//! Opening the port and connecting: the global options become core `Options`, the flasher links,
//! switches baud and identifies the chip, and the `--chip` hint is checked against what answered.

use std::time::Duration;

use bkflash_core::chips::{ChipFamily, ProtocolClass};
use bkflash_core::flasher::{CancelToken, ChipInfo, Flasher, LINK_BAUD, Options};

use crate::args::Global;
use crate::exit::Exit;
use crate::failure::Failure;
use crate::port_pick::choose_port;
use crate::progress_view::ProgressView;
use crate::serial_port::NativePort;

/// A connected chip: the flasher, the progress view its jobs report to, and what was found.
pub struct Session {
    pub flasher: Flasher<NativePort>,
    pub view: ProgressView,
    pub chip: ChipInfo,
}

/// The core options the global flags ask for; `cancel` is the token Ctrl-C sets.
pub fn options(global: &Global, cancel: &CancelToken) -> Options {
    Options {
        baud: global.baud,
        reset: global.reset.method(),
        link_window: Duration::from_secs(global.link_timeout),
        cancel: cancel.clone(),
        ..Options::default()
    }
}

/// Open the port and connect with `options`; `job` names the command in error messages.
pub fn connect(job: &'static str, global: &Global, options: Options) -> Result<Session, Failure> {
    let port = choose_port(global.port.as_deref())
        .map_err(|message| Failure::plain(Exit::NoLink, format!("bkflash {job}: {message}")))?;
    let name = port.to_string_lossy().into_owned();
    crate::report::note_port(&name);
    let transport = NativePort::open(&name, LINK_BAUD)
        .map_err(|e| Failure::plain(Exit::NoLink, format!("bkflash {job}: {e}")))?;
    let mut view = ProgressView::for_stderr(global.verbose);
    view.say(&format!(
        "linking on {name} (reset the chip if nothing happens within a few seconds)"
    ));
    let mut flasher = Flasher::new(transport, options);
    let chip = pollster::block_on(flasher.connect(&mut view)).map_err(Failure::core(job))?;
    view.finish();
    crate::report::note_chip(&chip);
    check_hint(global.chip, &chip)
        .map_err(|message| Failure::plain(Exit::Refused, format!("bkflash {job}: {message}")))?;
    Ok(Session {
        flasher,
        view,
        chip,
    })
}

/// Display name of the connected chip: its family, or its class when the family is unknown.
pub fn chip_name(chip: &ChipInfo) -> &'static str {
    match (chip.family, chip.class) {
        (Some(family), _) => family.name(),
        (None, ProtocolClass::Rom) => "unknown ROM-class chip",
        (None, ProtocolClass::Legacy) => "unknown legacy-class chip",
    }
}

/// `--chip` must agree with the chip that answered: the same family or one that runs the same
/// builds (BK7231T/U); with the family unknown, at least the protocol class.
pub fn check_hint(hint: Option<ChipFamily>, chip: &ChipInfo) -> Result<(), String> {
    let Some(hint) = hint else { return Ok(()) };
    let agrees = match chip.family {
        Some(found) => hint.runs_same_builds(found),
        None => hint.class() == chip.class,
    };
    if agrees {
        return Ok(());
    }
    Err(format!(
        "--chip says {} but the connected chip is {}; drop --chip or check that the right device is connected",
        hint.name(),
        chip_name(chip)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Cli;
    use bkflash_core::flasher::{Protection, ResetMethod, WorkBaud};
    use clap::Parser;

    fn chip(family: Option<ChipFamily>, class: ProtocolClass) -> ChipInfo {
        ChipInfo {
            family,
            class,
            bootloader: None,
            bootloader_crc: 0,
            boot_version: None,
            chip_id: None,
            jedec: None,
            flash: None,
            flash_size: 0x20_0000,
            protection: Protection::Unknown,
            key: None,
            blank_bootloader: false,
            baud: LINK_BAUD,
        }
    }

    #[test]
    fn global_flags_become_core_options() {
        let cli = Cli::parse_from([
            "bkflash",
            "info",
            "--baud",
            "115200",
            "--reset",
            "manual",
            "--link-timeout",
            "5",
        ]);
        let cancel = CancelToken::new();
        let options = options(&cli.global, &cancel);
        assert_eq!(
            (options.baud, options.reset, options.link_window),
            (
                WorkBaud::Fixed(115_200),
                ResetMethod::Manual,
                Duration::from_secs(5)
            )
        );
        cancel.cancel();
        assert!(
            options.cancel.is_cancelled(),
            "Ctrl-C reaches the flasher through the shared token"
        );
        assert!(!options.allow_bootloader);
    }

    #[test]
    fn chip_hint_must_match_the_detected_chip() {
        let n = chip(Some(ChipFamily::Bk7231N), ProtocolClass::Rom);
        let t = chip(Some(ChipFamily::Bk7231T), ProtocolClass::Legacy);
        assert_eq!(check_hint(None, &n), Ok(()));
        assert_eq!(check_hint(Some(ChipFamily::Bk7231N), &n), Ok(()));
        assert_eq!(
            check_hint(Some(ChipFamily::Bk7231U), &t),
            Ok(()),
            "T and U run the same builds"
        );
        let error = check_hint(Some(ChipFamily::Bk7231T), &n).unwrap_err();
        assert!(
            error.contains("--chip says BK7231T but the connected chip is BK7231N"),
            "{error}"
        );
        let unknown_rom = chip(None, ProtocolClass::Rom);
        assert_eq!(check_hint(Some(ChipFamily::Bk7238), &unknown_rom), Ok(()));
        assert!(
            check_hint(Some(ChipFamily::Bk7231T), &unknown_rom)
                .unwrap_err()
                .contains("unknown ROM-class chip")
        );
    }
}
