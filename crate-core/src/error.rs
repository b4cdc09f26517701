//! The error catalogue as data: every error a user can see, with a one-line cause and a one-line remedy.
//! `Error` carries the kind plus the command, address and flash state that make it precise.

use alloc::string::String;
use core::fmt;

use crate::flasher::sectors::FlashReport;
use crate::protocol::Opcode;

/// Every failure a user can meet; the CLI and the page show `cause` and `remedy` the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NoLink,
    LineEcho,
    Timeout,
    ChipBusy,
    SpiTimeout,
    FlashTimeout,
    BadLength,
    PayloadLack,
    RegionRefused,
    UnknownCommand,
    ChipInternal,
    FlashWriteFailed,
    ProtectedArea,
    UnknownStatus,
    Unsupported,
    WriteCountMismatch,
    CrcMismatch,
    Misdirected,
    EraseFailed,
    UnprotectFailed,
    BootloaderRefused,
    BeyondFlash,
    Unaligned,
    UnknownProtocol,
    PlanRefused,
    BackupSizeMismatch,
    Cancelled,
    Disconnected,
    TransportFailed,
    BootloaderRepaired,
    BootloaderDamaged,
    FlashNotAnswering,
    BlankBootloader,
    UniformRead,
    FlashSizeUnknown,
    ChipNotSupported,
    StatusRegisterLocked,
    ProgrammerSilent,
    ProgrammerUnsupported,
    ProgrammerRefused,
    SpiEntryFailed,
    SpiReadUnstable,
    SpiWriteFailed,
    WriteEnableFailed,
    NotWholeFlashImage,
}

/// One catalogue row.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    pub kind: ErrorKind,
    /// Stable machine name (JSON output, tests).
    pub name: &'static str,
    pub cause: &'static str,
    pub remedy: &'static str,
}

const fn row(
    kind: ErrorKind,
    name: &'static str,
    cause: &'static str,
    remedy: &'static str,
) -> KindInfo {
    KindInfo {
        kind,
        name,
        cause,
        remedy,
    }
}

use ErrorKind as K;

#[rustfmt::skip]
pub static CATALOGUE: &[KindInfo] = &[
    row(K::NoLink, "no_link",
        "The chip did not answer link checks, or stopped answering them.",
        "Check TX/RX (crossed), GND and 3.3 V, then reset the chip (CEN to GND briefly) while bkflash is linking."),
    row(K::LineEcho, "line_echo",
        "The line returns our own bytes: RX and TX are joined or the adapter loops back.",
        "Connect adapter TX to chip RX1 (P10) and adapter RX to chip TX1 (P11)."),
    row(K::Timeout, "timeout",
        "The chip did not answer in time.",
        "Try a lower baud rate, a shorter cable or another USB-UART adapter, then retry."),
    row(K::ChipBusy, "chip_busy",
        "The chip reported its flash busy.",
        "Retry; if it persists, power-cycle the chip."),
    row(K::SpiTimeout, "spi_timeout",
        "The chip timed out talking to its SPI flash.",
        "Power-cycle the chip and retry; check the 3.3 V supply."),
    row(K::FlashTimeout, "flash_timeout",
        "The flash did not finish an operation in time.",
        "Power-cycle the chip and retry; check the 3.3 V supply."),
    row(K::BadLength, "bad_length",
        "The chip rejected the frame length.",
        "Retry; if it persists, report it as a bkflash bug."),
    row(K::PayloadLack, "payload_lack",
        "The chip received fewer bytes than the frame promised.",
        "Bytes are being lost on the line: lower the baud rate or change the adapter."),
    row(K::RegionRefused, "region_refused",
        "The bootloader refused the address (its protected region).",
        "Use addresses at or above 0x11000 on this chip."),
    row(K::UnknownCommand, "unknown_command",
        "The chip does not know this command.",
        "This bootloader lacks the feature; choose the chip type explicitly or use another operation."),
    row(K::ChipInternal, "chip_internal",
        "The chip reported an internal error.",
        "Power-cycle the chip and retry."),
    row(K::FlashWriteFailed, "flash_write_failed",
        "The chip could not program its flash.",
        "Power-cycle the chip and retry; if the same address fails again, the flash is worn or write-protected."),
    row(K::ProtectedArea, "protected_area",
        "The chip refused to touch a protected area (a boot partition).",
        "Write and erase only outside the boot partitions, from the application partition on."),
    row(K::UnknownStatus, "unknown_status",
        "The chip replied with a status code bkflash does not know.",
        "Retry; report the status code if it persists."),
    row(K::Unsupported, "unsupported",
        "This chip's bootloader cannot do that operation.",
        "Use another operation, or name the chip type explicitly if bkflash guessed the class wrong."),
    row(K::WriteCountMismatch, "write_count_mismatch",
        "The chip reported writing a different number of bytes.",
        "Retry at a lower baud rate."),
    row(K::CrcMismatch, "crc_mismatch",
        "The flash content still differed from the data after every retry (CRC check).",
        "Retry at a lower baud rate; if it persists, the flash may be protected or worn."),
    row(K::Misdirected, "misdirected",
        "A line fault changed the address of an erase or write: the chip changed flash bkflash did not ask for.",
        "Use a lower baud rate or another cable, run the job again, then restore the named range from a backup."),
    row(K::EraseFailed, "erase_failed",
        "The flash is not blank after erasing.",
        "The flash is probably write-protected; power-cycle and retry, or report the flash id."),
    row(K::UnprotectFailed, "unprotect_failed",
        "The flash status register kept its protection bits.",
        "Power-cycle and retry; report the flash id if it persists."),
    row(K::BootloaderRefused, "bootloader_refused",
        "The operation would touch the bootloader (below 0x11000).",
        "Start at 0x11000; only ROM-class chips (BK7231N, BK7238, ...) allow the override."),
    row(K::BeyondFlash, "beyond_flash",
        "The address range reaches past the end of the flash.",
        "Check the start address and the file size against the flash size."),
    row(K::Unaligned, "unaligned",
        "The range is not aligned to 4 KiB sectors.",
        "Give start and length as multiples of 0x1000."),
    row(K::UnknownProtocol, "unknown_protocol",
        "The bootloader could not be classified.",
        "Choose the chip type explicitly and retry."),
    row(K::PlanRefused, "plan_refused",
        "The file's regions cannot be written as they are (protected, overlapping or past the flash end).",
        "Check the file's start address and size against the chip's flash layout; the detail names the address."),
    row(K::BackupSizeMismatch, "backup_size_mismatch",
        "The backup is not the size of this chip's flash.",
        "Restore a full-flash backup read from this chip (or one with the same flash size)."),
    row(K::Cancelled, "cancelled",
        "Stopped at your request.",
        "Check the flash state shown before rebooting the chip; run the job again to finish it."),
    row(K::Disconnected, "disconnected",
        "The serial port went away.",
        "Reconnect the adapter and run the job again."),
    row(K::TransportFailed, "transport_failed",
        "The serial port reported an error.",
        "Close other programs that use the port, reconnect the adapter and run the job again."),
    row(K::BootloaderRepaired, "bootloader_repaired",
        "A line fault changed the bootloader region (below 0x11000) during the job; bkflash put it back from the copy it read before the job and checked it.",
        "The bootloader is as it was before the job; run the job again, at a lower baud rate or with a shorter cable, before rebooting the chip."),
    row(K::BootloaderDamaged, "bootloader_damaged",
        "The bootloader region (below 0x11000) changed during the job and bkflash could not put it back.",
        "Keep the chip powered and do not reboot it: while it stays in download mode, running a job again on the same connection retries the repair. Keep the backup and the bootloader copy; if the repair keeps failing, write the bootloader back over SPI (docs/spi-unbrick.md)."),
    row(K::FlashNotAnswering, "flash_not_answering",
        "The chip linked but its SPI flash is not answering: it reads as one repeated byte or has no id.",
        "Nothing was read or written; check the flash's 3.3 V supply and its soldering (CS, CLK, DI, DO), power-cycle the chip and link again."),
    row(K::BlankBootloader, "blank_bootloader",
        "The bootloader region reads blank on a legacy-class chip, whose download handler lives there.",
        "Nothing was written; power-cycle and link again, and if it persists check the flash's supply and soldering or recover the chip with an SPI programmer."),
    row(K::UniformRead, "uniform_read",
        "The flash read back as one repeated byte, which is no backup of a working chip.",
        "Nothing was saved or written; check the flash's 3.3 V supply and soldering, link again and read again."),
    row(K::FlashSizeUnknown, "flash_size_unknown",
        "The flash size could not be confirmed: mirrored reads of the bootloader never matched.",
        "Nothing was written; power-cycle the chip, link again at a lower baud rate, and report the bootloader fingerprint if it persists."),
    row(K::ChipNotSupported, "chip_not_supported",
        "This chip is not supported yet: its download handler and flash layout differ from the BK7231 family.",
        "Nothing was written; use Beken's or Easy Flasher's tools for it, bkflash supports BK7231T/U/Q/N/M, BK7238, BK7252 and BK7252N."),
    row(K::StatusRegisterLocked, "status_register_locked",
        "The flash status register locked itself (SRP bits set) after a status write, so bkflash stopped at once.",
        "Power the chip off and on (a volatile lock clears), do not retry with other tools, and report the flash part and the values shown."),
    row(K::ProgrammerSilent, "programmer_silent",
        "The SPI programmer did not answer serprog commands.",
        "Check that the port is the programmer (a Pico with pico-serprog, an STM32 with stm32-vserprog), unplug and replug it, then retry."),
    row(K::ProgrammerUnsupported, "programmer_unsupported",
        "The programmer does not offer what SPI flashing needs (serprog version 1, the SPI bus and O_SPIOP).",
        "Flash a serprog firmware with SPI support onto the programmer (pico-serprog, stm32-vserprog) and retry."),
    row(K::ProgrammerRefused, "programmer_refused",
        "The programmer refused a serprog command (NAK).",
        "Retry; if it persists, update the programmer firmware and report its name."),
    row(K::SpiEntryFailed, "spi_entry_failed",
        "The chip did not enter SPI flashing mode: no plausible flash JEDEC id came back.",
        "Check the wiring (P20 to SCK, P21 to CS, P22 to MOSI, P23 to MISO, GND to GND, the board powered), then reset the chip when asked (CEN to GND briefly, or power-cycle it)."),
    row(K::SpiReadUnstable, "spi_read_unstable",
        "Reading the same flash range twice over SPI gave different bytes.",
        "Shorten the wires, check the ground connection and retry; the SPI clock may be too fast for this chip."),
    row(K::SpiWriteFailed, "spi_write_failed",
        "The flash did not hold the written bytes when read back over SPI.",
        "Retry; if the same sector fails again, the flash is write-protected (status register locked) or worn."),
    row(K::WriteEnableFailed, "write_enable_failed",
        "The flash did not set its write-enable latch after WREN.",
        "Check the MOSI wire (P22) and the ground; if the status register is locked, power-cycle the chip and retry."),
    row(K::NotWholeFlashImage, "not_whole_flash_image",
        "The file is not an image of the whole flash, so it cannot be written over SPI.",
        "Write a full backup of this chip (bkflash read or bkflash spi read), or a donor image of the same flash size with its bootloader."),
];

impl ErrorKind {
    pub fn info(self) -> &'static KindInfo {
        CATALOGUE
            .iter()
            .find(|row| row.kind == self)
            .expect("every error kind has a catalogue row")
    }
}

/// A failure with everything needed to explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The command that failed, when one did.
    pub command: Option<Opcode>,
    /// A command of another protocol (serprog, SPI NOR) that failed, by name.
    pub operation: Option<&'static str>,
    pub address: Option<u32>,
    /// Extra facts (a status byte, an expected and a received CRC, the transport's message).
    pub detail: Option<String>,
    /// What the flash holds now, when a write or erase was under way.
    pub flash: Option<FlashReport>,
}

impl Error {
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            command: None,
            operation: None,
            address: None,
            detail: None,
            flash: None,
        }
    }

    pub fn command(mut self, command: Opcode, address: Option<u32>) -> Self {
        self.command = Some(command);
        self.address = address.or(self.address);
        self
    }

    /// Name the serprog or SPI NOR command that failed (`"O_SPIOP 20 (sector erase)"`).
    pub fn operation(mut self, name: &'static str, address: Option<u32>) -> Self {
        self.operation = Some(name);
        self.address = address.or(self.address);
        self
    }

    pub fn at(mut self, address: u32) -> Self {
        self.address = Some(address);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Attach the job's flash report; sectors the error already named (a misdirected erase or
    /// write) are kept, as `absorb` describes.
    pub fn with_flash(mut self, mut flash: FlashReport) -> Self {
        if let Some(named) = self.flash.take() {
            flash.absorb(&named);
        }
        self.flash = Some(flash);
        self
    }

    pub fn cause(&self) -> &'static str {
        self.kind.info().cause
    }

    pub fn remedy(&self) -> &'static str {
        self.kind.info().remedy
    }

    /// The error as people read it, the same on the page and in the CLI: the cause, what failed
    /// (command, address, detail), what the flash holds now, and what to do next.
    ///
    /// ```text
    /// Error: The chip did not answer in time.
    /// Failed: FlashWrite4K at 0x013000 (no reply within 180 ms)
    /// Flash now:
    ///   0x011000..0x013000 written and verified
    ///   0x013000..0x014000 unknown (an operation on it was cut short)
    /// What to do: Try a lower baud rate, a shorter cable or another USB-UART adapter, then retry.
    /// The flash is only partly written: do not boot it; run the same job again to finish it.
    /// ```
    pub fn render(&self) -> String {
        let mut out = alloc::format!("Error: {}\n", self.cause());
        let failed = self.failed_line();
        if !failed.is_empty() {
            out.push_str(&alloc::format!("Failed:{failed}\n"));
        }
        if let Some(report) = self.flash.as_ref().filter(|r| !r.sectors.is_empty()) {
            out.push_str("Flash now:\n");
            for line in report.summary_lines() {
                out.push_str(&alloc::format!("  {line}\n"));
            }
        }
        out.push_str(&alloc::format!("What to do: {}\n", self.remedy()));
        if self.flash.as_ref().is_some_and(FlashReport::is_incomplete) {
            out.push_str(PARTLY_WRITTEN);
            out.push('\n');
        }
        out
    }

    /// ` Command at 0xADDRESS (detail)`, each part only when known.
    fn failed_line(&self) -> String {
        let mut line = String::new();
        if let Some(command) = self.command {
            line.push_str(&alloc::format!(" {command}"));
        }
        if let Some(operation) = self.operation {
            line.push_str(&alloc::format!(" {operation}"));
        }
        if let Some(address) = self.address {
            line.push_str(&alloc::format!(" at 0x{address:06X}"));
        }
        if let Some(detail) = &self.detail {
            line.push_str(&alloc::format!(" ({detail})"));
        }
        line
    }
}

/// The advice every half-finished write or erase ends with.
const PARTLY_WRITTEN: &str =
    "The flash is only partly written: do not boot it; run the same job again to finish it.";

impl fmt::Display for Error {
    /// One line: cause, then the command and address, then the detail. `render` adds the flash state
    /// and the remedy.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cause())?;
        if let Some(command) = self.command {
            write!(f, " Command: {command}")?;
        }
        if let Some(operation) = self.operation {
            write!(f, " Command: {operation}")?;
        }
        if let Some(address) = self.address {
            write!(f, " at 0x{address:06X}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last `ErrorKind`; a kind added after it must move this line and get a row.
    const LAST_KIND: ErrorKind = ErrorKind::NotWholeFlashImage;

    fn is_sentence(text: &str) -> bool {
        text.len() > 10
            && text.starts_with(|c: char| c.is_ascii_uppercase())
            && text.ends_with('.')
            && !text.contains('\n')
    }

    #[test]
    fn every_catalogue_row_is_complete_and_unique() {
        assert_eq!(CATALOGUE.len(), LAST_KIND as usize + 1, "one row per kind");
        for (i, row) in CATALOGUE.iter().enumerate() {
            assert_eq!(
                row.kind as usize, i,
                "{}: rows in enum order, no gaps",
                row.name
            );
            assert_eq!(row.kind.info().name, row.name);
            assert!(
                CATALOGUE[i + 1..]
                    .iter()
                    .all(|other| other.name != row.name),
                "{}: names are unique",
                row.name
            );
            assert!(
                !row.name.is_empty()
                    && row.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}: names are snake_case",
                row.name
            );
            assert!(
                is_sentence(row.cause),
                "{}: cause {:?}",
                row.name,
                row.cause
            );
            assert!(
                is_sentence(row.remedy),
                "{}: remedy {:?}",
                row.name,
                row.remedy
            );
            assert_ne!(row.cause, row.remedy, "{}", row.name);
        }
    }

    #[test]
    fn render_gives_cause_failure_flash_state_and_remedy() {
        let mut report = FlashReport::new([0x11000, 0x12000, 0x13000]);
        report.set(0x11000, crate::flasher::SectorState::Written);
        report.set(0x12000, crate::flasher::SectorState::Unknown);
        let text = Error::new(ErrorKind::Timeout)
            .command(Opcode::FlashWrite4K, Some(0x12000))
            .detail("no reply within 180 ms")
            .with_flash(report)
            .render();
        let lines: alloc::vec::Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "Error: The chip did not answer in time.",
                "Failed: FlashWrite4K at 0x012000 (no reply within 180 ms)",
                "Flash now:",
                "  0x011000..0x012000 written and verified",
                "  0x012000..0x013000 unknown (an operation on it was cut short)",
                "  0x013000..0x014000 untouched (old content)",
                "What to do: Try a lower baud rate, a shorter cable or another USB-UART adapter, then retry.",
                PARTLY_WRITTEN,
            ]
        );
    }

    #[test]
    fn render_of_a_plain_error_is_cause_and_remedy() {
        let text = Error::new(ErrorKind::Cancelled).render();
        assert_eq!(
            text,
            alloc::format!(
                "Error: {}\nWhat to do: {}\n",
                ErrorKind::Cancelled.info().cause,
                ErrorKind::Cancelled.info().remedy
            )
        );
    }

    #[test]
    fn render_names_a_serprog_or_spi_operation() {
        let text = Error::new(ErrorKind::EraseFailed)
            .operation("O_SPIOP 20 (4 KiB sector erase)", Some(0x1000))
            .detail("12 bytes are not 0xFF after erasing")
            .render();
        assert!(
            text.contains(
                "Failed: O_SPIOP 20 (4 KiB sector erase) at 0x001000 (12 bytes are not 0xFF after erasing)"
            ),
            "{text}"
        );
    }

    #[test]
    fn display_names_command_and_address() {
        let e = Error::new(ErrorKind::Timeout)
            .command(Opcode::FlashErase, Some(0x11000))
            .detail("no reply");
        let text = alloc::format!("{e}");
        assert!(
            text.contains("FlashErase") && text.contains("0x011000") && text.contains("no reply"),
            "{text}"
        );
    }
}
