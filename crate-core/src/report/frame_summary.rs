//! One protocol-log line per frame for the hardware report, with every byte that could be the
//! user's data left out: flash contents read or written, register values other than the chip id,
//! and whatever text or noise the chip printed (a firmware may print its Wi-Fi name). Host-chosen
//! parameters (addresses, rates, CRC ranges) and the chip's short answers stay, since they diagnose.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::chips::CHIP_ID_REGISTER;
use crate::progress::Direction;
use crate::protocol::command::{COMMAND_MAGIC, LONG_MARKER};
use crate::protocol::{FrameForm, OPCODES, Opcode};

/// `04 0E`: the start of every chip reply (docs/protocol.md §1.3).
const REPLY_START: [u8; 2] = [0x04, 0x0E];
/// A FlashSpi answer at most this long is an id or status read, not flash data.
const SPI_ANSWER_SHOWN: usize = 6;
/// Bytes of an unrecognised host frame shown in hex.
const HOST_BYTES_SHOWN: usize = 16;

/// The report's line for one frame event.
pub fn summarise_frame(direction: Direction, bytes: &[u8]) -> String {
    let mark = direction.arrow();
    let text = match direction {
        Direction::Sent => command_summary(bytes),
        Direction::Received | Direction::Discarded => reply_summary(bytes),
    };
    format!("{mark} {text}")
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn hex(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(" ")
}

fn opcode(form: FrameForm, code: u8, reply: bool) -> Option<Opcode> {
    OPCODES
        .iter()
        .find(|row| {
            row.form == form
                && if reply {
                    row.reply_code == Some(code)
                } else {
                    row.code == code
                }
        })
        .map(|row| row.opcode)
}

/// What the host sent: every parameter, but never the data of a flash write.
fn command_summary(bytes: &[u8]) -> String {
    let parsed = match bytes {
        [m0, m1, m2, 0xFF, LONG_MARKER, _, _, op, args @ ..]
            if [*m0, *m1, *m2] == COMMAND_MAGIC =>
        {
            opcode(FrameForm::Long, *op, false).map(|op| (op, args))
        }
        [m0, m1, m2, _, code, args @ ..] if [*m0, *m1, *m2] == COMMAND_MAGIC => {
            opcode(FrameForm::Short, *code, false).map(|op| (op, args))
        }
        _ => None,
    };
    let Some((op, args)) = parsed else {
        return unrecognised_host_bytes(bytes);
    };
    let detail = match op {
        Opcode::FlashWrite4K | Opcode::FlashWritePage => le32(args, 0)
            .map(|addr| format!("0x{addr:06X} ({} data bytes)", args.len().saturating_sub(4))),
        Opcode::FlashRead4K | Opcode::ReadReg => le32(args, 0).map(|addr| format!("0x{addr:06X}")),
        Opcode::FlashErase => {
            le32(args, 1).map(|addr| format!("0x{addr:06X}, SPI opcode {:02x}", args[0]))
        }
        Opcode::SetBaudRate => le32(args, 0).map(|baud| {
            let delay = args.get(4).copied().unwrap_or(0);
            format!("{baud} baud, delay {delay} ms")
        }),
        Opcode::CheckCrc => le32(args, 0)
            .zip(le32(args, 4))
            .map(|(start, end)| format!("0x{start:06X}..0x{end:06X}")),
        _ => (!args.is_empty()).then(|| hex(args)),
    };
    match detail {
        Some(detail) => format!("{op} {detail}"),
        None => format!("{op}"),
    }
}

/// Bytes that are not a frame (the software kicks, a cut frame): the host's own, so shown.
fn unrecognised_host_bytes(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(HOST_BYTES_SHOWN)];
    let more = if bytes.len() > HOST_BYTES_SHOWN {
        " …"
    } else {
        ""
    };
    format!("{} bytes: {}{more}", bytes.len(), hex(shown))
}

/// What the chip sent: the reply's command and its short facts, never flash data or text.
fn reply_summary(bytes: &[u8]) -> String {
    let Some(rest) = bytes.strip_prefix(&REPLY_START[..]) else {
        return chip_bytes(bytes);
    };
    match rest {
        [
            0xFF,
            0x01,
            0xE0,
            0xFC,
            LONG_MARKER,
            _,
            _,
            op,
            status,
            body @ ..,
        ] => match opcode(FrameForm::Long, *op, true) {
            Some(opcode) => long_reply(opcode, *status, body),
            None => format!(
                "reply to flash op {op:02x}, status {status} ({} bytes)",
                body.len()
            ),
        },
        [_, 0x01, 0xE0, 0xFC, code, body @ ..] => short_reply(*code, body),
        _ => chip_bytes(bytes),
    }
}

fn long_reply(op: Opcode, status: u8, body: &[u8]) -> String {
    let detail = match op {
        Opcode::FlashRead4K => le32(body, 0)
            .map(|addr| format!("0x{addr:06X} ({} data bytes)", body.len().saturating_sub(4))),
        Opcode::FlashWrite4K | Opcode::FlashWritePage => {
            le32(body, 0).map(|addr| format!("0x{addr:06X}"))
        }
        Opcode::FlashErase => le32(body, 1).map(|addr| format!("0x{addr:06X}")),
        Opcode::FlashSpi if body.len() > SPI_ANSWER_SHOWN => {
            Some(format!("({} bytes)", body.len()))
        }
        _ => (!body.is_empty()).then(|| hex(body)),
    };
    match detail {
        Some(detail) => format!("{op} {detail}, status {status}"),
        None => format!("{op}, status {status}"),
    }
}

fn short_reply(code: u8, body: &[u8]) -> String {
    // LinkCheck and WriteReg share reply code 0x01; the LinkCheck answer is the single byte 00.
    let op = if code == 0x01 && body == [0x00] {
        Some(Opcode::LinkCheck)
    } else {
        opcode(FrameForm::Short, code, true)
    };
    let Some(op) = op else {
        return format!("reply code {code:02x} ({} bytes)", body.len());
    };
    match op {
        Opcode::LinkCheck => String::from("LinkCheck answered"),
        Opcode::ReadReg | Opcode::WriteReg => match (le32(body, 0), le32(body, 4)) {
            (Some(CHIP_ID_REGISTER), Some(value)) => {
                format!("{op} 0x{CHIP_ID_REGISTER:08X} = 0x{value:08X}")
            }
            (Some(addr), _) => format!("{op} 0x{addr:08X} = (value left out)"),
            _ => format!("{op} ({} bytes)", body.len()),
        },
        Opcode::SetBaudRate => match le32(body, 0) {
            Some(baud) => format!("{op} echo {baud} baud"),
            None => format!("{op} echo ({} bytes)", body.len()),
        },
        Opcode::CheckCrc => match le32(body, 0) {
            Some(crc) => format!("{op} = 0x{crc:08X}"),
            None => format!("{op} ({} bytes)", body.len()),
        },
        Opcode::ReadBootVersion => {
            let printable: String = body
                .iter()
                .take_while(|&&b| b != 0)
                .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
                .collect();
            format!("{op} \"{printable}\"")
        }
        _ => format!("{op} {}", hex(body)),
    }
}

/// Chip bytes that are no reply: counted, and said to be text or not, but not shown.
fn chip_bytes(bytes: &[u8]) -> String {
    let printable = bytes
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    let kind = if printable * 10 >= bytes.len() * 9 {
        "text"
    } else {
        "not text"
    };
    format!("{} bytes of {kind} (left out)", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Command;
    use crate::protocol::frame::Frame;

    fn sent(command: Command<'_>) -> String {
        let mut frame = alloc::vec![0; command.encoded_len()];
        let len = command.encode(&mut frame).unwrap();
        summarise_frame(Direction::Sent, &frame[..len])
    }

    fn received(frame: Frame) -> String {
        summarise_frame(Direction::Received, &frame.to_bytes())
    }

    #[test]
    fn commands_show_their_parameters() {
        assert_eq!(sent(Command::LinkCheck), "→ LinkCheck");
        assert_eq!(
            sent(Command::SetBaudRate {
                baud: 921_600,
                delay_ms: 20
            }),
            "→ SetBaudRate 921600 baud, delay 20 ms"
        );
        assert_eq!(
            sent(Command::CheckCrc {
                start: 0,
                end: 0xFF
            }),
            "→ CheckCRC 0x000000..0x0000FF"
        );
        assert_eq!(
            sent(Command::ReadReg { addr: 0x80_0000 }),
            "→ ReadReg 0x800000"
        );
        assert_eq!(
            sent(Command::FlashErase {
                size: crate::protocol::EraseSize::Block64K,
                addr: 0x20000
            }),
            "→ FlashErase 0x020000, SPI opcode d8"
        );
        assert_eq!(
            summarise_frame(Direction::Sent, b"reboot\n"),
            "→ 7 bytes: 72 65 62 6f 6f 74 0a"
        );
    }

    #[test]
    fn written_data_is_left_out() {
        let data = [0x5Au8; 4096];
        let line = sent(Command::FlashWrite4K {
            addr: 0x11000,
            data: &data,
        });
        assert_eq!(line, "→ FlashWrite4K 0x011000 (4096 data bytes)");
        let page = sent(Command::FlashWritePage {
            addr: 0x11100,
            data: &data[..256],
        });
        assert_eq!(page, "→ FlashWrite 0x011100 (256 data bytes)");
    }

    #[test]
    fn read_data_and_register_values_are_left_out() {
        let mut body = 0x11000u32.to_le_bytes().to_vec();
        body.extend_from_slice(&[0xA7; 4096]);
        let read = received(Frame::Long {
            op: 0x09,
            status: 0,
            body,
        });
        assert_eq!(read, "← FlashRead4K 0x011000 (4096 data bytes), status 0");

        let key_word = 0x510f_b093u32;
        let mut efuse = 0x4488_0000u32.to_le_bytes().to_vec();
        efuse.extend_from_slice(&key_word.to_le_bytes());
        let hidden = received(Frame::Short {
            code: 0x03,
            body: efuse,
        });
        assert_eq!(hidden, "← ReadReg 0x44880000 = (value left out)");

        let mut chip_id = CHIP_ID_REGISTER.to_le_bytes().to_vec();
        chip_id.extend_from_slice(&0x7231Cu32.to_le_bytes());
        let shown = received(Frame::Short {
            code: 0x03,
            body: chip_id,
        });
        assert_eq!(shown, "← ReadReg 0x00800000 = 0x0007231C");
    }

    #[test]
    fn short_answers_diagnose() {
        assert_eq!(
            received(Frame::Short {
                code: 0x01,
                body: alloc::vec![0]
            }),
            "← LinkCheck answered"
        );
        let mut echo = 921_600u32.to_le_bytes().to_vec();
        echo.push(20);
        assert_eq!(
            received(Frame::Short {
                code: 0x0F,
                body: echo
            }),
            "← SetBaudRate echo 921600 baud"
        );
        let crc = 0x1234_ABCDu32.to_le_bytes().to_vec();
        assert_eq!(
            received(Frame::Short {
                code: 0x10,
                body: crc
            }),
            "← CheckCRC = 0x1234ABCD"
        );
        let mut version = b"BK7231S_1.0.5".to_vec();
        version.resize(16, 0);
        assert_eq!(
            received(Frame::Short {
                code: 0x11,
                body: version
            }),
            "← ReadBootVersion \"BK7231S_1.0.5\""
        );
        let jedec = received(Frame::Long {
            op: 0x0E,
            status: 0,
            body: alloc::vec![0x9F, 0xEB, 0x60, 0x15],
        });
        assert!(jedec.ends_with("9f eb 60 15, status 0"), "{jedec}");
    }

    #[test]
    fn chip_text_and_noise_are_counted_not_shown() {
        let text = summarise_frame(Direction::Discarded, b"wifi ssid MyHome\r\n");
        assert_eq!(text, "✕ 18 bytes of text (left out)");
        let noise = summarise_frame(Direction::Discarded, &[0x80, 0x81, 0x01]);
        assert_eq!(noise, "✕ 3 bytes of not text (left out)");
    }
}
