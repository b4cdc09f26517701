//! Commands with borrowed payloads, encoded into a caller's buffer as short or long frames (docs/protocol.md §1.2).
//! Each command also knows the reply it expects (for matching) and how long to wait for it.

use core::time::Duration;

use super::opcode::{FrameForm, Opcode};

/// Flash sector: the unit of Read4K, Write4K and the smallest erase.
pub const SECTOR_LEN: usize = 4096;
/// Host-to-chip frame prefix (HCI command packet, opcode 0xFCE0).
pub(crate) const COMMAND_MAGIC: [u8; 3] = [0x01, 0xE0, 0xFC];
/// Second byte of a long frame, after the 0xFF length marker.
pub(crate) const LONG_MARKER: u8 = 0xF4;
/// Short header `01 E0 FC L C`; long header `01 E0 FC FF F4 Nlo Nhi O`.
const SHORT_HEADER: usize = 5;
const LONG_HEADER: usize = 8;

/// The shortest wait for any reply: the 1 s every field tool uses (bk7231tools, ESPHome). Datasheet
/// erases, an FTDI latency timer or a busy browser tab can each eat the margins of a computed
/// timeout (field-audit D7); long CRCs and erases get their computed, longer value.
pub const REPLY_TIMEOUT_FLOOR: Duration = Duration::from_secs(1);

/// Erase sizes of op 0x0F, by their SPI opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EraseSize {
    Sector4K,
    Block64K,
}

impl EraseSize {
    pub fn spi_opcode(self) -> u8 {
        match self {
            EraseSize::Sector4K => 0x20,
            EraseSize::Block64K => 0xD8,
        }
    }

    pub fn bytes(self) -> u32 {
        match self {
            EraseSize::Sector4K => 0x1000,
            EraseSize::Block64K => 0x10000,
        }
    }
}

/// One command, borrowing its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command<'a> {
    LinkCheck,
    WriteReg {
        addr: u32,
        value: u32,
    },
    ReadReg {
        addr: u32,
    },
    Reboot,
    /// The chip answers at the new baud after `delay_ms` (docs/protocol.md §4).
    SetBaudRate {
        baud: u32,
        delay_ms: u8,
    },
    /// Both bounds are sent as given; the inclusive/block semantics are the caller's business (§7.2).
    CheckCrc {
        start: u32,
        end: u32,
    },
    ReadBootVersion,
    /// The Beken-SDK "bkreg" reboot frame that kicks a running stock app (§3.5).
    BkregReboot,
    /// At most 256 bytes inside one 256-byte page.
    FlashWritePage {
        addr: u32,
        data: &'a [u8],
    },
    FlashWrite4K {
        addr: u32,
        data: &'a [u8; SECTOR_LEN],
    },
    FlashRead4K {
        addr: u32,
    },
    FlashReadSr {
        spi_opcode: u8,
    },
    FlashWriteSr {
        spi_opcode: u8,
        value: &'a [u8],
    },
    /// Raw SPI bytes clocked in full duplex; `9F 00 00 00` reads the JEDEC id.
    FlashSpi {
        bytes: &'a [u8],
    },
    FlashErase {
        size: EraseSize,
        addr: u32,
    },
}

/// Why a command could not be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// The caller's buffer is shorter than `Command::encoded_len`.
    BufferTooSmall { needed: usize },
    /// The payload does not fit the frame's length field.
    PayloadTooLong,
}

/// Fixed parameter bytes of a command (before any borrowed data).
struct Params {
    bytes: [u8; 9],
    len: usize,
}

impl Params {
    fn new() -> Self {
        Self {
            bytes: [0; 9],
            len: 0,
        }
    }

    fn push(mut self, data: &[u8]) -> Self {
        self.bytes[self.len..self.len + data.len()].copy_from_slice(data);
        self.len += data.len();
        self
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl<'a> Command<'a> {
    pub fn opcode(&self) -> Opcode {
        match self {
            Command::LinkCheck => Opcode::LinkCheck,
            Command::WriteReg { .. } => Opcode::WriteReg,
            Command::ReadReg { .. } => Opcode::ReadReg,
            Command::Reboot => Opcode::Reboot,
            Command::SetBaudRate { .. } => Opcode::SetBaudRate,
            Command::CheckCrc { .. } => Opcode::CheckCrc,
            Command::ReadBootVersion => Opcode::ReadBootVersion,
            Command::BkregReboot => Opcode::BkregReboot,
            Command::FlashWritePage { .. } => Opcode::FlashWritePage,
            Command::FlashWrite4K { .. } => Opcode::FlashWrite4K,
            Command::FlashRead4K { .. } => Opcode::FlashRead4K,
            Command::FlashReadSr { .. } => Opcode::FlashReadSr,
            Command::FlashWriteSr { .. } => Opcode::FlashWriteSr,
            Command::FlashSpi { .. } => Opcode::FlashSpi,
            Command::FlashErase { .. } => Opcode::FlashErase,
        }
    }

    /// The flash or register address the command acts on, for error reports.
    pub fn address(&self) -> Option<u32> {
        match *self {
            Command::WriteReg { addr, .. }
            | Command::ReadReg { addr }
            | Command::FlashWritePage { addr, .. }
            | Command::FlashWrite4K { addr, .. }
            | Command::FlashRead4K { addr }
            | Command::FlashErase { addr, .. } => Some(addr),
            Command::CheckCrc { start, .. } => Some(start),
            _ => None,
        }
    }

    fn params(&self) -> (Params, &'a [u8]) {
        let p = Params::new();
        match *self {
            Command::LinkCheck | Command::ReadBootVersion => (p, &[]),
            Command::WriteReg { addr, value } => {
                (p.push(&addr.to_le_bytes()).push(&value.to_le_bytes()), &[])
            }
            Command::ReadReg { addr } | Command::FlashRead4K { addr } => {
                (p.push(&addr.to_le_bytes()), &[])
            }
            Command::Reboot => (p.push(&[0xA5]), &[]),
            Command::SetBaudRate { baud, delay_ms } => {
                (p.push(&baud.to_le_bytes()).push(&[delay_ms]), &[])
            }
            Command::CheckCrc { start, end } => {
                (p.push(&start.to_le_bytes()).push(&end.to_le_bytes()), &[])
            }
            Command::BkregReboot => (p.push(&[0x95, 0x27, 0x95, 0x27]), &[]),
            Command::FlashWritePage { addr, data } => (p.push(&addr.to_le_bytes()), data),
            Command::FlashWrite4K { addr, data } => (p.push(&addr.to_le_bytes()), &data[..]),
            Command::FlashReadSr { spi_opcode } => (p.push(&[spi_opcode]), &[]),
            Command::FlashWriteSr { spi_opcode, value } => (p.push(&[spi_opcode]), value),
            Command::FlashSpi { bytes } => (p, bytes),
            Command::FlashErase { size, addr } => {
                (p.push(&[size.spi_opcode()]).push(&addr.to_le_bytes()), &[])
            }
        }
    }

    fn payload_len(&self) -> usize {
        let (params, data) = self.params();
        params.len + data.len()
    }

    /// Bytes the whole frame takes on the wire.
    pub fn encoded_len(&self) -> usize {
        let header = match self.opcode().info().form {
            FrameForm::Short => SHORT_HEADER,
            FrameForm::Long => LONG_HEADER,
        };
        header + self.payload_len()
    }

    /// Write the frame into `buf`; returns its length.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let info = self.opcode().info();
        let (params, data) = self.params();
        let length_field = 1 + params.len + data.len();
        let needed = self.encoded_len();
        if buf.len() < needed {
            return Err(EncodeError::BufferTooSmall { needed });
        }
        buf[..3].copy_from_slice(&COMMAND_MAGIC);
        let body_at = match info.form {
            FrameForm::Short => {
                if length_field >= 0xFF {
                    return Err(EncodeError::PayloadTooLong);
                }
                buf[3] = length_field as u8;
                buf[4] = info.code;
                SHORT_HEADER
            }
            FrameForm::Long => {
                let n = u16::try_from(length_field).map_err(|_| EncodeError::PayloadTooLong)?;
                buf[3] = 0xFF;
                buf[4] = LONG_MARKER;
                buf[5..7].copy_from_slice(&n.to_le_bytes());
                buf[7] = info.code;
                LONG_HEADER
            }
        };
        buf[body_at..body_at + params.len].copy_from_slice(params.as_slice());
        buf[body_at + params.len..needed].copy_from_slice(data);
        Ok(needed)
    }

    /// The frame as a new vector (convenience for tests and logs).
    pub fn to_vec(&self) -> alloc::vec::Vec<u8> {
        let mut frame = alloc::vec![0u8; self.encoded_len()];
        let len = self
            .encode(&mut frame)
            .expect("buffer sized by encoded_len");
        frame.truncate(len);
        frame
    }

    /// Bytes of the successful reply on the wire (0 for commands without a reply).
    pub fn reply_len(&self) -> usize {
        match *self {
            Command::LinkCheck => 8,
            Command::WriteReg { .. } | Command::ReadReg { .. } => 15,
            Command::Reboot | Command::BkregReboot => 0,
            Command::SetBaudRate { .. } => 12,
            Command::CheckCrc { .. } => 11,
            Command::ReadBootVersion => 7 + 32,
            Command::FlashWritePage { .. } => 16,
            Command::FlashWrite4K { .. } => 15,
            Command::FlashRead4K { .. } => 15 + SECTOR_LEN,
            Command::FlashReadSr { .. } => 13,
            Command::FlashWriteSr { value, .. } => 12 + value.len(),
            Command::FlashSpi { bytes } => 11 + bytes.len(),
            Command::FlashErase { .. } => 16,
        }
    }

    /// How long to wait for the reply at `baud`: host latency, twice the wire time of request and
    /// reply, and the chip's worst-case work (docs/protocol.md §2.3), never less than `REPLY_TIMEOUT_FLOOR`.
    pub fn timeout(&self, baud: u32) -> Duration {
        const HOST_LATENCY_MS: u64 = 100;
        // CheckCRC: the chip manages about 400 kB/s (bk7231tools' budget); allow half that.
        const CRC_BYTES_PER_MS: u64 = 200;
        let chip_work_ms = match *self {
            Command::CheckCrc { start, end } => {
                u64::from(end.wrapping_sub(start)) / CRC_BYTES_PER_MS
            }
            Command::FlashErase {
                size: EraseSize::Sector4K,
                ..
            } => 500,
            Command::FlashErase {
                size: EraseSize::Block64K,
                ..
            } => 2500,
            Command::FlashWrite4K { .. } => 16 * 5,
            Command::FlashWritePage { .. } => 5,
            Command::FlashRead4K { .. } => 20,
            Command::FlashWriteSr { .. } => 50,
            Command::SetBaudRate { delay_ms, .. } => 2 * (u64::from(delay_ms) + 1),
            _ => 0,
        };
        let wire_bytes = (self.encoded_len() + self.reply_len()) as u64;
        let wire_ms = wire_bytes * 10 * 1000 / u64::from(baud.max(1));
        Duration::from_millis(HOST_LATENCY_MS + 2 * wire_ms + chip_work_ms).max(REPLY_TIMEOUT_FLOOR)
    }
}
