//! UART2, the chip's log port (TX2 = P0): a LibreTiny- or OpenBeken-like boot log after every app
//! start, status lines back to back in chatty mode, and OpenBeken's answer to a typed command line.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::config::{AppModel, ChipClass, SimConfig};
use crate::wire::Line;

/// Both LibreTiny and OpenBeken log at this rate.
pub const LOG_BAUD: u32 = 115_200;

/// Firmware that prints the boot log of `model`.
fn firmware(model: AppModel) -> Firmware {
    match model {
        AppModel::OpenBeken => Firmware::OpenBeken,
        AppModel::Plain | AppModel::LibreTinyAdr | AppModel::LibreTinyWithoutSerial1 => {
            Firmware::LibreTiny
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Firmware {
    LibreTiny,
    OpenBeken,
}

impl Firmware {
    fn boot_log(self, chip: &str) -> String {
        match self {
            Firmware::LibreTiny => format!(
                "\r\nI [      0.001] LibreTiny v1.8.0 on {chip} @ 120 MHz\r\n\
                 I [      0.002] Reset reason: software reboot\r\n\
                 I [      0.004] Flash: 2 MiB, application at 0x011000\r\n\
                 I [      0.150] WiFi: station mode, scanning\r\n\
                 I [      0.151] setup() done, entering loop()\r\n"
            ),
            Firmware::OpenBeken => format!(
                "\r\nInfo:MAIN:Main_Init_Before_Delay\r\n\
                 Info:MAIN:OpenBeken OpenBK7231x_1.18.50 on {chip} started\r\n\
                 Info:CFG:### Config loaded ###\r\n\
                 Info:MAIN:Main_Init_After_Delay\r\n\
                 Info:GEN:WiFi: no SSID set, starting access point\r\n"
            ),
        }
    }

    fn status_line(self, n: u64) -> String {
        match self {
            Firmware::LibreTiny => format!(
                "D [{:>7}.{:03}] loop {n}: free heap 87312\r\n",
                n / 1000,
                n % 1000
            ),
            Firmware::OpenBeken => format!(
                "Info:MAIN:Time {n}, idle 0/s, free 78312, MQTT 0(0), bWifi 1, socks 2/38\r\n"
            ),
        }
    }

    /// The answer to a command line typed on the log port; LibreTiny has no console there.
    fn answer(self, command: &str) -> Option<String> {
        (self == Firmware::OpenBeken)
            .then(|| format!("Info:CMD:[UART Cmd '{command}'] executed\r\n"))
    }
}

/// The log port of one simulated chip.
#[derive(Clone, Debug)]
pub struct LogUart {
    firmware: Firmware,
    chip: &'static str,
    chatty: bool,
    /// When the app started; `None` while the chip is in reset, its bootloader or download mode.
    running_since: Option<Duration>,
    status_lines: u64,
    to_host: Line,
    host_baud: u32,
    /// A command line typed by the host, up to its CR or LF.
    typed: Vec<u8>,
}

impl LogUart {
    pub fn new(config: &SimConfig, running: bool) -> Self {
        Self {
            firmware: firmware(config.app),
            chip: match config.class {
                ChipClass::Rom => "BK7231N",
                ChipClass::Legacy => "BK7231T",
            },
            chatty: config.log_chatty,
            running_since: running.then_some(Duration::ZERO),
            status_lines: 0,
            to_host: Line::default(),
            host_baud: LOG_BAUD,
            typed: Vec::new(),
        }
    }

    /// The app starts at `t`: it prints its boot log.
    pub fn app_started(&mut self, t: Duration) {
        self.running_since = Some(t);
        let log = self.firmware.boot_log(self.chip);
        self.send(t, log.as_bytes());
    }

    /// CEN low or a reboot: the app stops, and what it had not sent yet is lost.
    pub fn power_down(&mut self, t: Duration) {
        self.running_since = None;
        self.to_host.cut_after(t);
        self.typed.clear();
    }

    /// The host opened its log port at `baud`; bytes sent at another rate arrive garbled.
    pub fn set_host_baud(&mut self, baud: u32) {
        self.host_baud = baud;
    }

    /// Host bytes typed at `t`: a CR or LF ends a command line, which the app may answer.
    pub fn rx(&mut self, t: Duration, bytes: &[u8]) {
        if self.running_since.is_none() {
            return;
        }
        for &byte in bytes {
            if byte == b'\r' || byte == b'\n' {
                let line = String::from_utf8_lossy(&self.typed).into_owned();
                self.typed.clear();
                if let Some(answer) = self
                    .firmware
                    .answer(line.trim())
                    .filter(|_| !line.is_empty())
                {
                    self.send(t, answer.as_bytes());
                }
            } else {
                self.typed.push(byte);
            }
        }
    }

    fn send(&mut self, t: Duration, bytes: &[u8]) {
        for &byte in bytes {
            self.to_host.send(t, byte, LOG_BAUD);
        }
    }

    /// Chatty mode: print status lines until the line is busy past `now` (made lazily, when read).
    fn print_until(&mut self, now: Duration) {
        let Some(since) = self.running_since.filter(|_| self.chatty) else {
            return;
        };
        while self.to_host.free_at().max(since) <= now {
            let line = self.firmware.status_line(self.status_lines);
            self.status_lines += 1;
            let start = self.to_host.free_at().max(since);
            self.send(start, line.as_bytes());
        }
    }

    /// Append every byte that has reached the host by `now`.
    pub fn receive_until(&mut self, now: Duration, out: &mut Vec<u8>) {
        self.print_until(now);
        self.to_host.receive_until(now, self.host_baud, out);
    }

    /// When the next byte reaches the host (chatty mode: it always prints).
    pub fn next_event(&self) -> Option<Duration> {
        let queued = self.to_host.front().map(|(done, _, _)| done);
        let chatty = self
            .running_since
            .filter(|_| self.chatty)
            .map(|since| self.to_host.free_at().max(since));
        queued.or(chatty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::byte_time;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn each_app_prints_its_own_boot_log_at_115200() {
        for (model, banner) in [
            (AppModel::Plain, "LibreTiny v1.8.0 on BK7231N"),
            (
                AppModel::OpenBeken,
                "OpenBeken OpenBK7231x_1.18.50 on BK7231N",
            ),
        ] {
            let mut uart = LogUart::new(&SimConfig::bk7231n().with_app(model), false);
            uart.app_started(Duration::from_millis(5));
            let mut out = Vec::new();
            uart.receive_until(Duration::from_millis(5), &mut out);
            assert!(out.is_empty(), "nothing has crossed the wire yet");
            uart.receive_until(Duration::from_secs(1), &mut out);
            assert!(text(&out).contains(banner), "{model:?}: {}", text(&out));
            let wire = byte_time(LOG_BAUD) * out.len() as u32;
            assert!(uart.to_host.free_at() >= Duration::from_millis(5) + wire);
        }
    }

    #[test]
    fn a_reset_cuts_the_log_and_a_wrong_baud_garbles_it() {
        let mut uart = LogUart::new(&SimConfig::bk7231t(), false);
        uart.app_started(Duration::ZERO);
        uart.power_down(Duration::from_millis(2));
        let mut out = Vec::new();
        uart.receive_until(Duration::from_secs(1), &mut out);
        assert!(
            out.len() < 30,
            "about 23 bytes fit in 2 ms, got {}",
            out.len()
        );

        uart.set_host_baud(921_600);
        uart.app_started(Duration::from_secs(2));
        out.clear();
        uart.receive_until(Duration::from_secs(3), &mut out);
        assert!(!text(&out).contains("LibreTiny"));
    }

    #[test]
    fn chatty_mode_prints_flat_out_and_only_while_the_app_runs() {
        let config = SimConfig::bk7231n()
            .with_app(AppModel::OpenBeken)
            .with_chatty_log();
        let mut uart = LogUart::new(&config, true);
        let mut out = Vec::new();
        uart.receive_until(Duration::from_secs(1), &mut out);
        let per_second = out.len();
        assert!(
            (11_000..=11_520).contains(&per_second),
            "{per_second} bytes in a second"
        );
        assert!(uart.next_event().is_some());
        uart.power_down(Duration::from_secs(1));
        out.clear();
        uart.receive_until(Duration::from_secs(2), &mut out);
        assert!(out.is_empty());
        assert_eq!(uart.next_event(), None);
    }

    #[test]
    fn openbeken_answers_a_command_line_once_it_ends() {
        let mut uart = LogUart::new(&SimConfig::bk7231n().with_app(AppModel::OpenBeken), true);
        uart.rx(Duration::ZERO, b"help");
        let mut out = Vec::new();
        uart.receive_until(Duration::from_secs(1), &mut out);
        assert!(out.is_empty(), "no line ending yet");
        uart.rx(Duration::from_secs(1), b"\r\n");
        uart.receive_until(Duration::from_secs(2), &mut out);
        assert_eq!(text(&out), "Info:CMD:[UART Cmd 'help'] executed\r\n");

        let mut libretiny = LogUart::new(&SimConfig::bk7231n(), true);
        libretiny.rx(Duration::ZERO, b"help\n");
        out.clear();
        libretiny.receive_until(Duration::from_secs(1), &mut out);
        assert!(out.is_empty());
    }
}
