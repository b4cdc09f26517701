//! The hardware report a user sends with an issue: host, adapters, chip card, baud rates, reset
//! method, the last protocol-log lines and the outcome. Never file content, flash data or keys.

mod card;
mod frame_summary;
mod recorder;
mod user_agent;

use alloc::format;
use alloc::string::String;

pub use card::card_lines;
pub use frame_summary::summarise_frame;
pub use recorder::{REPORT_LOG_LINES, ReportRecorder};
pub use user_agent::browser_summary;

use crate::flasher::{ChipInfo, LINK_BAUD, ResetMethod, WorkBaud};

/// Everything one report says; each tool fills in what it knows.
#[derive(Clone, Copy, Debug)]
pub struct HardwareReport<'a> {
    /// "bkflash 0.1.0, web page" or "bkflash 0.1.0, command line".
    pub tool: &'a str,
    /// Browser, version and OS (the page), or OS and architecture (the CLI).
    pub host: &'a str,
    /// Lines of detail under the host (the page's user agent).
    pub host_detail: Option<&'a str>,
    /// The flashing port: USB ids (and name), or the virtual device.
    pub flash_port: Option<&'a str>,
    /// The second adapter on UART2, if one is open.
    pub log_port: Option<&'a str>,
    pub chip: Option<&'a ChipInfo>,
    /// The work rate asked for.
    pub baud_asked: WorkBaud,
    pub reset: ResetMethod,
    pub recorder: &'a ReportRecorder,
    /// How the last job ended, in the tool's words.
    pub outcome: Option<&'a str>,
}

impl HardwareReport<'_> {
    /// The report as plain text, ready to paste into an issue.
    pub fn render(&self) -> String {
        let mut out = String::from("bkflash hardware report\n");
        let mut row = |label: &str, value: &str| {
            out.push_str(&format!("{:<14}{value}\n", format!("{label}:")));
        };
        row("tool", self.tool);
        row("host", self.host);
        if let Some(detail) = self.host_detail {
            row("user agent", detail);
        }
        row("flash port", self.flash_port.unwrap_or("none"));
        row("log port", self.log_port.unwrap_or("none"));
        match self.chip {
            Some(chip) => {
                for (label, value) in card_lines(chip) {
                    row(label, &value);
                }
            }
            None => row("chip", "not identified"),
        }
        row("baud", &self.rates());
        row("reset", self.reset.words());
        let outcome = self.outcome.unwrap_or("no job run yet");
        let mut lines = outcome.lines();
        row("outcome", lines.next().unwrap_or(""));
        for line in lines {
            out.push_str(&format!("{:14}{line}\n", ""));
        }
        out.push_str(&format!(
            "protocol log (last {REPORT_LOG_LINES} lines, flash data and chip text left out):\n"
        ));
        for line in self.recorder.log_lines() {
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    fn rates(&self) -> String {
        let asked = match self.baud_asked {
            WorkBaud::ChipDefault => String::from("the chip's default"),
            WorkBaud::Fast => String::from("auto"),
            WorkBaud::Fixed(baud) => format!("{baud}"),
        };
        let tried: alloc::vec::Vec<String> = self
            .recorder
            .rates_tried()
            .iter()
            .map(|rate| format!("{rate}"))
            .collect();
        let tried = if tried.is_empty() {
            String::from("none")
        } else {
            tried.join(", ")
        };
        let chosen = self
            .chip
            .map_or_else(|| String::from("none"), |chip| format!("{}", chip.baud));
        format!("asked {asked}, linked at {LINK_BAUD}, tried {tried}, chosen {chosen}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chips::{ChipFamily, ProtocolClass};
    use crate::flasher::Protection;
    use crate::progress::{Direction, Event};
    use crate::protocol::Command;

    fn chip() -> ChipInfo {
        ChipInfo {
            family: Some(ChipFamily::Bk7231N),
            class: ProtocolClass::Rom,
            bootloader: None,
            bootloader_crc: 0x1234_5678,
            boot_version: None,
            chip_id: Some(0x7231C),
            jedec: Some([0xEB, 0x60, 0x15]),
            flash: None,
            flash_size: 0x20_0000,
            protection: Protection::Protected { sr: 0x1C },
            key: Some(crate::key::ChipKey {
                words: [0x510f_b093, 0xa3cb_eadc, 0x5993_a17e, 0xc7ad_eb03],
            }),
            blank_bootloader: false,
            baud: 921_600,
        }
    }

    fn encoded(command: Command<'_>) -> alloc::vec::Vec<u8> {
        let mut bytes = alloc::vec![0; command.encoded_len()];
        let len = command.encode(&mut bytes).unwrap();
        bytes.truncate(len);
        bytes
    }

    #[test]
    fn the_report_has_every_field_and_no_file_content() {
        let mut recorder = ReportRecorder::new();
        let firmware: alloc::vec::Vec<u8> = (0..4096u32)
            .map(|i| b"OPENBK-FIRMWARE!"[i as usize % 16])
            .collect();
        let data: &[u8; 4096] = firmware.as_slice().try_into().unwrap();
        for command in [
            Command::LinkCheck,
            Command::SetBaudRate {
                baud: 921_600,
                delay_ms: 20,
            },
            Command::FlashWrite4K {
                addr: 0x11000,
                data,
            },
        ] {
            let bytes = encoded(command);
            recorder.record(&Event::Frame {
                direction: Direction::Sent,
                bytes: &bytes,
            });
        }
        let chip = chip();
        let report = HardwareReport {
            tool: "bkflash 0.1.0, web page",
            host: "Chrome 140 on Linux",
            host_detail: Some("Mozilla/5.0 (X11; Linux x86_64)"),
            flash_port: Some("USB 1a86:7523 (CH340)"),
            log_port: Some("USB 10c4:ea60 (CP210x)"),
            chip: Some(&chip),
            baud_asked: WorkBaud::Fast,
            reset: ResetMethod::Auto,
            recorder: &recorder,
            outcome: Some("Written and verified:\n  0x011000..0x012000 written"),
        }
        .render();
        for field in [
            "host:         Chrome 140 on Linux",
            "flash port:   USB 1a86:7523 (CH340)",
            "log port:     USB 10c4:ea60 (CP210x)",
            "chip:         BK7231N (ROM class)",
            "chip id:      0x0007231C",
            "flash id:     eb6015",
            "protection:   protected (status register 0x001C)",
            "baud:         asked auto, linked at 115200, tried 921600, chosen 921600",
            "reset:        auto",
            "outcome:      Written and verified:\n                0x011000..0x012000 written",
            "  → FlashWrite4K 0x011000 (4096 data bytes)",
        ] {
            assert!(report.contains(field), "missing {field:?} in\n{report}");
        }
        assert!(
            !report.to_ascii_lowercase().contains("510fb093"),
            "no key material: {report}"
        );
        let firmware_hex = "4f 50 45 4e";
        assert!(
            !report.contains("OPENBK") && !report.contains(firmware_hex),
            "{report}"
        );
    }

    #[test]
    fn a_report_before_any_chip_says_so() {
        let recorder = ReportRecorder::new();
        let report = HardwareReport {
            tool: "bkflash 0.1.0, command line",
            host: "linux x86_64",
            host_detail: None,
            flash_port: None,
            log_port: None,
            chip: None,
            baud_asked: WorkBaud::Fixed(921_600),
            reset: ResetMethod::Manual,
            recorder: &recorder,
            outcome: None,
        }
        .render();
        assert!(report.contains("chip:         not identified"), "{report}");
        assert!(
            report
                .contains("baud:         asked 921600, linked at 115200, tried none, chosen none")
        );
        assert!(report.contains("outcome:      no job run yet"));
        assert!(report.contains("reset:        manual (by hand)"));
    }
}
