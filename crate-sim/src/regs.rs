//! The few chip registers a flasher reads on the ROM class: chip id, the newer chips' device id and
//! the eFuse CTRL/OPTR pair.
//! Other addresses read back what was last written there (0 before), like plain RAM-backed registers.

use alloc::collections::BTreeMap;

pub const CHIP_ID: u32 = 0x0080_0000;
/// The BK7236-class device-id register (protocol.md §5.2).
pub const DEVICE_ID: u32 = 0x4401_0004;
pub const EFUSE_CTRL: u32 = 0x0080_0074;
pub const EFUSE_OPTR: u32 = 0x0080_0078;
/// OPTR bit 8: the data byte is valid.
const OPTR_VALID: u32 = 0x100;
/// CTRL bit 0 starts a read; the model completes it at once, so it always reads back clear.
const CTRL_START: u32 = 0x1;

#[derive(Clone, Debug)]
pub struct Regs {
    chip_id: u32,
    device_id: u32,
    efuse: [u8; 32],
    efuse_ctrl: u32,
    efuse_read: Option<u8>,
    other: BTreeMap<u32, u32>,
}

impl Regs {
    pub fn new(chip_id: u32, device_id: u32, efuse: [u8; 32]) -> Self {
        Self {
            chip_id,
            device_id,
            efuse,
            efuse_ctrl: 0,
            efuse_read: None,
            other: BTreeMap::new(),
        }
    }

    pub fn read(&self, addr: u32) -> u32 {
        match addr {
            CHIP_ID => self.chip_id,
            DEVICE_ID => self.device_id,
            EFUSE_CTRL => self.efuse_ctrl & !CTRL_START,
            EFUSE_OPTR => self
                .efuse_read
                .map_or(0, |byte| OPTR_VALID | u32::from(byte)),
            _ => self.other.get(&addr).copied().unwrap_or(0),
        }
    }

    pub fn write(&mut self, addr: u32, value: u32) {
        match addr {
            CHIP_ID | DEVICE_ID => {}
            EFUSE_CTRL => {
                self.efuse_ctrl = value;
                if value & CTRL_START != 0 {
                    let index = ((value >> 8) & 0x1F) as usize;
                    self.efuse_read = Some(self.efuse[index]);
                }
            }
            _ => {
                self.other.insert(addr, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn efuse_byte_read_sequence() {
        let mut efuse = [0u8; 32];
        efuse[3] = 0x51;
        let mut regs = Regs::new(0x7231C, 0, efuse);
        assert_eq!(regs.read(EFUSE_OPTR), 0, "no read started yet");
        regs.write(EFUSE_CTRL, (3 << 8) | 1);
        assert_eq!(regs.read(EFUSE_CTRL) & 1, 0, "read completes at once");
        assert_eq!(regs.read(EFUSE_OPTR), 0x151);
        assert_eq!(regs.read(CHIP_ID), 0x7231C);
        assert_eq!(regs.read(DEVICE_ID), 0);
    }
}
