//! Opening the programmer (and the CEN adapter), entering SPI mode and saying what was found; and
//! letting go of the chip at the end. Shared by every `bkflash spi` command.

use std::path::Path;
use std::time::Duration;

use bkflash_core::flasher::{CancelToken, Protection};
use bkflash_core::spi::entry::clock_text;
use bkflash_core::spi::wiring::{PICO_PINOUTS, chip_wiring_line};
use bkflash_core::spi::{SpiChipInfo, SpiFlasher, SpiOptions};

use crate::args::{Global, SpiArgs};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::port_pick::choose_port;
use crate::progress_view::ProgressView;
use crate::serial_port::NativePort;

/// Baud of the programmer's port: USB CDC firmwares ignore it, frser-duino on an 8U2 needs 115200.
const PROGRAMMER_BAUD: u32 = 115_200;

/// A chip in SPI mode behind the programmer.
pub struct SpiSession {
    pub flasher: SpiFlasher<NativePort, NativePort>,
    pub view: ProgressView,
    pub chip: SpiChipInfo,
    pub port: String,
}

/// The core options the flags ask for; `cancel` is the token Ctrl-C sets.
pub fn options(global: &Global, args: &SpiArgs, cancel: &CancelToken) -> SpiOptions {
    SpiOptions {
        manual_window: Duration::from_secs(global.link_timeout),
        chip_select: args.spi_cs,
        cancel: cancel.clone(),
        ..SpiOptions::default()
    }
}

fn open(job: &'static str, path: &Path, what: &str) -> Result<NativePort, Failure> {
    let name = path.to_string_lossy().into_owned();
    NativePort::open(&name, PROGRAMMER_BAUD)
        .map_err(|e| Failure::plain(Exit::NoLink, format!("bkflash {job}: {what}: {e}")))
}

/// Open the ports, enter SPI mode and identify the flash; `job` names the command in messages.
pub fn connect(
    job: &'static str,
    global: &Global,
    args: &SpiArgs,
    cancel: &CancelToken,
) -> Result<SpiSession, Failure> {
    let port = choose_port(global.port.as_deref())
        .map_err(|message| Failure::plain(Exit::NoLink, format!("bkflash {job}: {message}")))?;
    let programmer = open(job, &port, "the programmer")?;
    let cen = match &args.cen_port {
        Some(path) => Some(open(job, path, "the CEN adapter (--cen-port)")?),
        None => None,
    };
    let mut view = ProgressView::for_stderr(global.verbose);
    let reset = match &args.cen_port {
        Some(path) => format!("CEN is reset through RTS of {}", path.display()),
        None => String::from("reset the chip by hand when asked"),
    };
    let port = port.to_string_lossy().into_owned();
    view.say(&format!(
        "SPI flashing through the serprog programmer on {port}; {reset}"
    ));
    view.say(&format!("wiring: {}", chip_wiring_line()));
    let pico: Vec<String> = PICO_PINOUTS
        .iter()
        .map(|p| {
            format!(
                "{} SCK {} MOSI {} MISO {} CS {}",
                p.build, p.sck, p.mosi, p.miso, p.cs
            )
        })
        .collect();
    view.say(&format!("programmer pins: {}", pico.join("; ")));
    let mut flasher = SpiFlasher::new(programmer, cen, options(global, args, cancel));
    let chip = pollster::block_on(flasher.connect(&mut view)).map_err(Failure::core(job))?;
    view.finish();
    Ok(SpiSession {
        flasher,
        view,
        chip,
        port,
    })
}

/// What was found, as lines for the terminal.
pub fn describe(chip: &SpiChipInfo) -> Vec<String> {
    let programmer = &chip.programmer;
    let clock = programmer
        .clock_hz
        .map_or_else(|| String::from("its own default clock"), clock_text);
    let mut lines = vec![format!(
        "programmer: {} at {clock} (O_SPIOP up to {} bytes out, {} in)",
        if programmer.name.is_empty() {
            "unnamed"
        } else {
            &programmer.name
        },
        programmer.max_write,
        programmer.max_read
    )];
    for quirk in &programmer.quirks_seen {
        lines.push(format!(
            "  worked around: {} ({})",
            quirk.symptom, quirk.firmware
        ));
    }
    lines.push(format!("SPI mode: {}", chip.entry.describe()));
    lines.push(format!(
        "flash: {}, JEDEC id {:02X} {:02X} {:02X}, {} KiB (0x{:X} bytes)",
        chip.part_name(),
        chip.jedec[0],
        chip.jedec[1],
        chip.jedec[2],
        chip.flash_size / 1024,
        chip.flash_size
    ));
    lines.push(format!(
        "status register: 0x{:02X} ({})",
        chip.status,
        protection_words(chip.protection)
    ));
    lines
}

pub fn protection_words(protection: Protection) -> &'static str {
    match protection {
        Protection::Unprotected => "unprotected",
        Protection::Protected { .. } => "protected: a write unprotects it first",
        Protection::ManagedByBootloader | Protection::Unknown => {
            "unknown part: its protection cannot be read"
        }
    }
}

/// Let go of the chip at the end of a job and say how it boots.
pub fn leave(job: &'static str, session: &mut SpiSession) -> Result<(), Failure> {
    let reset =
        pollster::block_on(session.flasher.leave(&mut session.view)).map_err(Failure::core(job))?;
    session.view.finish();
    if reset {
        println!("CEN reset: the chip leaves SPI mode and boots its firmware now");
    } else {
        println!(
            "power-cycle the chip (or touch CEN to GND) to leave SPI flashing mode and boot it"
        );
    }
    Ok(())
}
