//! The serprog protocol's bytes as data (flashrom's serial programmer, docs/spi-unbrick.md §4.2):
//! command opcodes with names and reply lengths, ACK/NAK, the command map and the SPI bus bit.

/// Acknowledge: the command was taken; its return bytes follow.
pub const ACK: u8 = 0x06;
/// Not acknowledged: the command was refused; nothing follows.
pub const NAK: u8 = 0x15;
/// Q_BUSTYPE / S_BUSTYPE bit of the SPI bus.
pub const BUS_SPI: u8 = 0x08;
/// The only interface version the protocol defines.
pub const INTERFACE_VERSION: u16 = 1;

/// The serprog commands bkflash sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmd {
    Nop,
    QIface,
    QCmdMap,
    QPgmName,
    QSerBuf,
    QBusType,
    QWrnMaxLen,
    SyncNop,
    QRdnMaxLen,
    SBusType,
    OSpiOp,
    SSpiFreq,
    SPinState,
    SSpiCs,
}

/// One row of the command table.
#[derive(Clone, Copy, Debug)]
pub struct CmdInfo {
    pub cmd: Cmd,
    pub opcode: u8,
    /// Name shown in errors and the protocol log (the specification's name).
    pub name: &'static str,
    /// Return bytes after the ACK (O_SPIOP: its read length instead).
    pub reply_len: usize,
}

const fn cmd(cmd: Cmd, opcode: u8, name: &'static str, reply_len: usize) -> CmdInfo {
    CmdInfo {
        cmd,
        opcode,
        name,
        reply_len,
    }
}

#[rustfmt::skip]
pub static COMMANDS: &[CmdInfo] = &[
    cmd(Cmd::Nop, 0x00, "NOP", 0),
    cmd(Cmd::QIface, 0x01, "Q_IFACE", 2),
    cmd(Cmd::QCmdMap, 0x02, "Q_CMDMAP", 32),
    cmd(Cmd::QPgmName, 0x03, "Q_PGMNAME", 16),
    cmd(Cmd::QSerBuf, 0x04, "Q_SERBUF", 2),
    cmd(Cmd::QBusType, 0x05, "Q_BUSTYPE", 1),
    cmd(Cmd::QWrnMaxLen, 0x08, "Q_WRNMAXLEN", 3),
    cmd(Cmd::SyncNop, 0x10, "SYNCNOP", 0),
    cmd(Cmd::QRdnMaxLen, 0x11, "Q_RDNMAXLEN", 3),
    cmd(Cmd::SBusType, 0x12, "S_BUSTYPE", 0),
    cmd(Cmd::OSpiOp, 0x13, "O_SPIOP", 0),
    cmd(Cmd::SSpiFreq, 0x14, "S_SPI_FREQ", 4),
    cmd(Cmd::SPinState, 0x15, "S_PIN_STATE", 0),
    cmd(Cmd::SSpiCs, 0x16, "S_SPI_CS", 0),
];

impl Cmd {
    pub fn info(self) -> &'static CmdInfo {
        COMMANDS
            .iter()
            .find(|row| row.cmd == self)
            .expect("every serprog command has a table row")
    }

    pub fn opcode(self) -> u8 {
        self.info().opcode
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }
}

/// The 32-byte Q_CMDMAP bitmap: bit n of byte n / 8 says opcode n is implemented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandMap(pub [u8; 32]);

impl CommandMap {
    pub fn has(&self, cmd: Cmd) -> bool {
        let op = usize::from(cmd.opcode());
        self.0[op / 8] & (1 << (op % 8)) != 0
    }
}

/// A 24-bit little-endian length or address field.
pub fn u24(value: usize) -> [u8; 3] {
    let bytes = (value as u32).to_le_bytes();
    [bytes[0], bytes[1], bytes[2]]
}

/// Decode a 24-bit little-endian field; 0 means 2^24 for the max-length queries.
pub fn from_u24(bytes: &[u8]) -> usize {
    let value = usize::from(bytes[0]) | usize::from(bytes[1]) << 8 | usize::from(bytes[2]) << 16;
    if value == 0 { 1 << 24 } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_are_unique_and_match_the_specification() {
        for (i, row) in COMMANDS.iter().enumerate() {
            assert!(
                COMMANDS[i + 1..]
                    .iter()
                    .all(|other| other.opcode != row.opcode && other.cmd != row.cmd),
                "{}",
                row.name
            );
            assert_eq!(row.cmd.info().opcode, row.opcode);
        }
        assert_eq!(
            (
                Cmd::OSpiOp.opcode(),
                Cmd::SyncNop.opcode(),
                Cmd::SSpiCs.opcode()
            ),
            (0x13, 0x10, 0x16)
        );
    }

    #[test]
    fn command_map_bits_follow_the_opcode() {
        let mut map = [0u8; 32];
        map[2] = 1 << 3;
        let map = CommandMap(map);
        assert!(map.has(Cmd::OSpiOp), "0x13 is byte 2, bit 3");
        assert!(!map.has(Cmd::SSpiFreq));
        assert_eq!(u24(0x01_0203), [0x03, 0x02, 0x01]);
        assert_eq!(from_u24(&[0, 0x10, 0]), 4096);
        assert_eq!(from_u24(&[0, 0, 0]), 1 << 24);
    }
}
