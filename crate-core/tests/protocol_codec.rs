//! Codec vectors: every frame bkflash sends, byte-exact against protocol.md (§2, §4, §11.3 examples).
//! Also reply matching: codes, echoed addresses and parameters, status and "unknown command" replies.

use bkflash_core::protocol::command::REPLY_TIMEOUT_FLOOR;
use bkflash_core::protocol::{Command, EncodeError, EraseSize, Frame, Match, SECTOR_LEN};

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

#[test]
fn short_commands_match_the_documented_bytes() {
    let cases: &[(Command, &str)] = &[
        (Command::LinkCheck, "01 E0 FC 01 00"),
        (
            Command::SetBaudRate {
                baud: 921_600,
                delay_ms: 20,
            },
            "01 E0 FC 06 0F 00 10 0E 00 14",
        ),
        (
            Command::SetBaudRate {
                baud: 921_600,
                delay_ms: 15,
            },
            "01 E0 FC 06 0F 00 10 0E 00 0F",
        ),
        (
            Command::CheckCrc {
                start: 0,
                end: 0x100,
            },
            "01 E0 FC 09 10 00 00 00 00 00 01 00 00",
        ),
        (
            Command::ReadReg { addr: 0x80_0000 },
            "01 E0 FC 05 03 00 00 80 00",
        ),
        (
            Command::WriteReg {
                addr: 0x80_0074,
                value: 0x301,
            },
            "01 E0 FC 09 01 74 00 80 00 01 03 00 00",
        ),
        (Command::Reboot, "01 E0 FC 02 0E A5"),
        (Command::ReadBootVersion, "01 E0 FC 01 11"),
        (Command::BkregReboot, "01 E0 FC 05 FE 95 27 95 27"),
    ];
    for (command, expected) in cases {
        assert_eq!(command.to_vec(), hex(expected), "{command:?}");
        assert_eq!(command.encoded_len(), hex(expected).len());
    }
}

#[test]
fn long_commands_match_the_documented_bytes() {
    let cases: &[(Command, &str)] = &[
        (
            Command::FlashSpi {
                bytes: &[0x9F, 0, 0, 0],
            },
            "01 E0 FC FF F4 05 00 0E 9F 00 00 00",
        ),
        (
            Command::FlashRead4K { addr: 0x21_1000 },
            "01 E0 FC FF F4 05 00 09 00 10 21 00",
        ),
        (
            Command::FlashErase {
                size: EraseSize::Sector4K,
                addr: 0x21_1000,
            },
            "01 E0 FC FF F4 06 00 0F 20 00 10 21 00",
        ),
        (
            Command::FlashErase {
                size: EraseSize::Block64K,
                addr: 0x2_0000,
            },
            "01 E0 FC FF F4 06 00 0F D8 00 00 02 00",
        ),
        (
            Command::FlashReadSr { spi_opcode: 0x35 },
            "01 E0 FC FF F4 02 00 0C 35",
        ),
        (
            Command::FlashWriteSr {
                spi_opcode: 0x01,
                value: &[0, 0],
            },
            "01 E0 FC FF F4 04 00 0D 01 00 00",
        ),
        (
            Command::FlashWritePage {
                addr: 0x11100,
                data: &[0xAA, 0xBB],
            },
            "01 E0 FC FF F4 07 00 06 00 11 01 00 AA BB",
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(command.to_vec(), hex(expected), "{command:?}");
    }
}

#[test]
fn write_4k_is_4108_bytes_with_n_0x1005() {
    let data = [0x5Au8; SECTOR_LEN];
    let frame = Command::FlashWrite4K {
        addr: 0x11000,
        data: &data,
    }
    .to_vec();
    assert_eq!(frame.len(), 4108);
    assert_eq!(frame[..12], hex("01 E0 FC FF F4 05 10 07 00 10 01 00")[..]);
    assert!(frame[12..].iter().all(|&b| b == 0x5A));
}

#[test]
fn encode_refuses_a_short_buffer_and_an_oversized_payload() {
    let mut small = [0u8; 4];
    assert_eq!(
        Command::LinkCheck.encode(&mut small),
        Err(EncodeError::BufferTooSmall { needed: 5 })
    );
    let big = vec![0u8; 0x1_0000];
    let mut buf = vec![0u8; 0x1_0010];
    assert_eq!(
        Command::FlashSpi { bytes: &big }.encode(&mut buf),
        Err(EncodeError::PayloadTooLong)
    );
}

#[test]
fn timeouts_never_go_below_the_peers_second_and_grow_with_work() {
    let quick = [
        Command::LinkCheck,
        Command::ReadReg { addr: 0x80_0000 },
        Command::FlashRead4K { addr: 0 },
        Command::CheckCrc {
            start: 0,
            end: 0xFFF,
        },
        Command::SetBaudRate {
            baud: 2_000_000,
            delay_ms: 20,
        },
    ];
    for command in quick {
        assert_eq!(
            command.timeout(2_000_000),
            REPLY_TIMEOUT_FLOOR,
            "{command:?}"
        );
    }
    let crc_2m = Command::CheckCrc {
        start: 0,
        end: 0x1F_FFFF,
    }
    .timeout(115_200);
    assert!(
        crc_2m.as_millis() > 2 * 5_243,
        "twice bk7231tools' 400 kB/s budget for 2 MiB: {crc_2m:?}"
    );
    let block = Command::FlashErase {
        size: EraseSize::Block64K,
        addr: 0,
    }
    .timeout(115_200);
    assert!(
        block.as_millis() >= 2000,
        "a datasheet 64 KiB erase: {block:?}"
    );
}

fn short(code: u8, body: &str) -> Frame {
    Frame::Short {
        code,
        body: hex(body),
    }
}

fn long(op: u8, status: u8, body: &str) -> Frame {
    Frame::Long {
        op,
        status,
        body: hex(body),
    }
}

#[test]
fn replies_match_only_their_command() {
    let link = short(0x01, "00");
    assert_eq!(Command::LinkCheck.classify(&link), Match::Reply);
    assert_eq!(
        Command::WriteReg { addr: 0, value: 0 }.classify(&link),
        Match::Foreign,
        "same code as WriteReg, other body"
    );
    assert_eq!(
        Command::CheckCrc {
            start: 0,
            end: 0x100
        }
        .classify(&link),
        Match::Foreign
    );

    let read_reg = Command::ReadReg { addr: 0x80_0000 };
    assert_eq!(
        read_reg.classify(&short(0x03, "00 00 80 00 1C 23 07 00")),
        Match::Reply
    );
    assert_eq!(
        read_reg.classify(&short(0x03, "04 00 80 00 1C 23 07 00")),
        Match::Foreign,
        "other address"
    );
    assert_eq!(read_reg.classify(&short(0x03, "07")), Match::Unsupported);

    let baud = Command::SetBaudRate {
        baud: 921_600,
        delay_ms: 20,
    };
    assert_eq!(baud.classify(&short(0x0F, "00 10 0E 00 14")), Match::Reply);
    assert_eq!(
        baud.classify(&short(0x0F, "00 10 0E 00 15")),
        Match::Foreign
    );

    let version = Command::ReadBootVersion;
    assert_eq!(
        version.classify(&short(0x11, "07")),
        Match::Reply,
        "a bare 07 means no version, not unsupported"
    );

    let erase = Command::FlashErase {
        size: EraseSize::Sector4K,
        addr: 0x21_1000,
    };
    assert_eq!(
        erase.classify(&long(0x0F, 0, "20 00 10 21 00")),
        Match::Reply
    );
    assert_eq!(
        erase.classify(&long(0x0F, 0, "20 00 20 21 00")),
        Match::Foreign,
        "stale erase reply"
    );
    assert_eq!(
        erase.classify(&long(0x0F, 0, "D8 00 10 21 00")),
        Match::Foreign,
        "other erase size"
    );
    assert_eq!(
        erase.classify(&long(0x0F, 6, "")),
        Match::Reply,
        "short error replies are ours"
    );
    assert_eq!(
        erase.classify(&long(0x09, 0, "20 00 10 21 00")),
        Match::Foreign
    );

    let page = Command::FlashWritePage {
        addr: 0x11000,
        data: &[0; 256],
    };
    assert_eq!(
        page.classify(&long(0x06, 0, "00 10 01 00 00")),
        Match::Reply
    );
    let mid = Command::FlashSpi {
        bytes: &[0x9F, 0, 0, 0],
    };
    assert_eq!(mid.classify(&long(0x0E, 0, "00 EB 60 15")), Match::Reply);
    assert_eq!(
        Command::Reboot.classify(&link),
        Match::Foreign,
        "Reboot has no reply"
    );
}

#[test]
fn frames_round_trip_to_their_wire_bytes() {
    assert_eq!(short(0x01, "00").to_bytes(), hex("04 0E 05 01 E0 FC 01 00"));
    assert_eq!(
        long(0x0E, 0, "00 EB 60 15").to_bytes(),
        hex("04 0E FF 01 E0 FC F4 06 00 0E 00 00 EB 60 15")
    );
}
