//! The one opcode table: every short command and long flash operation bkflash sends (docs/protocol.md §2).
//! Each row gives the wire code, the frame form, the code of the reply (if any) and where it works.

/// A command or flash operation, independent of its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Opcode {
    LinkCheck,
    WriteReg,
    ReadReg,
    Reboot,
    SetBaudRate,
    CheckCrc,
    ReadBootVersion,
    BkregReboot,
    FlashWritePage,
    FlashWrite4K,
    FlashRead4K,
    FlashReadSr,
    FlashWriteSr,
    FlashSpi,
    FlashErase,
}

/// Short frames carry a 1-byte length; long ("flash operate") frames a 16-bit one (docs/protocol.md §1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameForm {
    Short,
    Long,
}

/// One row of the opcode table.
#[derive(Clone, Copy, Debug)]
pub struct OpcodeInfo {
    pub opcode: Opcode,
    /// Name shown in errors and the protocol log.
    pub name: &'static str,
    pub form: FrameForm,
    /// Command code (short) or flash op code (long).
    pub code: u8,
    /// Code of the reply frame; `None` when the chip never answers.
    pub reply_code: Option<u8>,
    /// Whether legacy-class bootloaders implement it (the ROM class implements every row).
    pub on_legacy: bool,
}

const fn row(
    opcode: Opcode,
    name: &'static str,
    form: FrameForm,
    code: u8,
    reply_code: Option<u8>,
    on_legacy: bool,
) -> OpcodeInfo {
    OpcodeInfo {
        opcode,
        name,
        form,
        code,
        reply_code,
        on_legacy,
    }
}

use FrameForm::{Long, Short};

pub static OPCODES: &[OpcodeInfo] = &[
    row(
        Opcode::LinkCheck,
        "LinkCheck",
        Short,
        0x00,
        Some(0x01),
        true,
    ),
    row(Opcode::WriteReg, "WriteReg", Short, 0x01, Some(0x01), false),
    row(Opcode::ReadReg, "ReadReg", Short, 0x03, Some(0x03), false),
    row(Opcode::Reboot, "Reboot", Short, 0x0E, None, true),
    row(
        Opcode::SetBaudRate,
        "SetBaudRate",
        Short,
        0x0F,
        Some(0x0F),
        true,
    ),
    row(Opcode::CheckCrc, "CheckCRC", Short, 0x10, Some(0x10), true),
    row(
        Opcode::ReadBootVersion,
        "ReadBootVersion",
        Short,
        0x11,
        Some(0x11),
        true,
    ),
    row(Opcode::BkregReboot, "BkregReboot", Short, 0xFE, None, true),
    row(
        Opcode::FlashWritePage,
        "FlashWrite",
        Long,
        0x06,
        Some(0x06),
        true,
    ),
    row(
        Opcode::FlashWrite4K,
        "FlashWrite4K",
        Long,
        0x07,
        Some(0x07),
        true,
    ),
    row(
        Opcode::FlashRead4K,
        "FlashRead4K",
        Long,
        0x09,
        Some(0x09),
        true,
    ),
    row(
        Opcode::FlashReadSr,
        "FlashReadSR",
        Long,
        0x0C,
        Some(0x0C),
        false,
    ),
    row(
        Opcode::FlashWriteSr,
        "FlashWriteSR",
        Long,
        0x0D,
        Some(0x0D),
        false,
    ),
    row(
        Opcode::FlashSpi,
        "FlashGetMID",
        Long,
        0x0E,
        Some(0x0E),
        false,
    ),
    row(
        Opcode::FlashErase,
        "FlashErase",
        Long,
        0x0F,
        Some(0x0F),
        true,
    ),
];

impl Opcode {
    pub fn info(self) -> &'static OpcodeInfo {
        OPCODES
            .iter()
            .find(|row| row.opcode == self)
            .expect("every opcode has a row")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }
}

impl core::fmt::Display for Opcode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_opcode_row_is_consistent() {
        for (i, row) in OPCODES.iter().enumerate() {
            assert_eq!(row.opcode.info().code, row.code, "one row per opcode");
            let same_code = OPCODES
                .iter()
                .skip(i + 1)
                .any(|other| other.form == row.form && other.code == row.code);
            assert!(!same_code, "{} shares its code", row.name);
            if row.form == Long {
                assert_eq!(row.reply_code, Some(row.code), "long replies echo the op");
            }
        }
    }
}
