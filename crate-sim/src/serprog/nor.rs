//! The flash as the SPI pins see it in SPI flashing mode (docs/spi-unbrick.md §5, §9.5): one CS frame at
//! a time, effects at CS rise, WEL and WIP, exact WRSR bit counts, a lockable SR, over the shared `Flash`.

use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;

use crate::flash::{Flash, PAGE};
use crate::timing::Timing;

/// What MISO reads when the flash does not drive it.
pub const IDLE: u8 = 0xFF;
const SR_WIP: u8 = 0x01;
const SR_WEL: u8 = 0x02;

/// Per-part behaviour the array model does not cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NorModel {
    /// Status-register bytes written by 01 (one-byte parts ignore a 16-bit write).
    pub sr_bytes: u8,
    /// SRP set with WP# low: every status-register write is ignored.
    pub sr_locked: bool,
    /// Busy time of a status-register write.
    pub write_status_time: Duration,
}

/// JEDEC ids of parts whose status register is one byte (docs/spi-unbrick.md §9.5).
const ONE_BYTE_SR: &[[u8; 3]] = &[[0x1C, 0x70, 0x15], [0x85, 0x42, 0x15]];

impl NorModel {
    /// The behaviour of the part with JEDEC id `jedec`.
    pub fn for_part(jedec: [u8; 3]) -> Self {
        Self {
            sr_bytes: if ONE_BYTE_SR.contains(&jedec) { 1 } else { 2 },
            sr_locked: false,
            write_status_time: Duration::from_millis(10),
        }
    }
}

/// The command front end of the flash: volatile state between frames.
#[derive(Clone, Debug)]
pub struct SpiNor {
    pub model: NorModel,
    jedec: [u8; 3],
    wel: bool,
    /// EWSR (0x50) lets the next status-register write through without WEL.
    ewsr: bool,
    busy_until: Duration,
}

impl SpiNor {
    pub fn new(model: NorModel, jedec: [u8; 3]) -> Self {
        Self {
            model,
            jedec,
            wel: false,
            ewsr: false,
            busy_until: Duration::ZERO,
        }
    }

    /// One CS frame of `mosi` from `start` to `end`: returns MISO for every byte, then applies the
    /// command's effect at CS rise. While busy only RDSR answers.
    pub fn frame(
        &mut self,
        flash: &mut Flash,
        timing: &Timing,
        start: Duration,
        end: Duration,
        mosi: &[u8],
    ) -> Vec<u8> {
        let Some(&opcode) = mosi.first() else {
            return Vec::new();
        };
        let busy = start < self.busy_until;
        if busy && opcode != 0x05 {
            return vec![IDLE; mosi.len()];
        }
        let miso = self.output(flash, opcode, mosi, busy);
        if !busy {
            self.apply(flash, timing, end, opcode, mosi);
        }
        miso
    }

    fn output(&self, flash: &Flash, opcode: u8, mosi: &[u8], busy: bool) -> Vec<u8> {
        let address = address(mosi);
        (0..mosi.len())
            .map(|p| match (opcode, p) {
                (_, 0) => IDLE,
                (0x9F, 1..=3) => self.jedec[p - 1],
                (0x05, _) => {
                    let volatile =
                        if busy { SR_WIP } else { 0 } | if self.wel { SR_WEL } else { 0 };
                    flash.status() as u8 | volatile
                }
                (0x35 | 0x15, _) => flash.read_status_opcode(opcode).unwrap_or(IDLE),
                (0x03, 4..) => byte_at(flash, address, p - 4),
                (0x0B, 5..) => byte_at(flash, address, p - 5),
                _ => IDLE,
            })
            .collect()
    }

    fn apply(
        &mut self,
        flash: &mut Flash,
        timing: &Timing,
        end: Duration,
        opcode: u8,
        mosi: &[u8],
    ) {
        let address = address(mosi);
        match opcode {
            0x06 => self.wel = true,
            0x04 => self.wel = false,
            0x50 => self.ewsr = true,
            0x01 | 0x31 | 0x11 => {
                let data = &mosi[1..];
                let width_ok = match opcode {
                    0x01 => data.len() == 1 || (data.len() == 2 && self.model.sr_bytes >= 2),
                    _ => data.len() == 1 && self.model.sr_bytes >= 2,
                };
                if (self.wel || self.ewsr) && width_ok && !self.model.sr_locked {
                    flash.write_status_opcode(opcode, data);
                    self.busy_until = end + self.model.write_status_time;
                }
                self.wel = false;
                self.ewsr = false;
            }
            0x02 => {
                if self.wel && mosi.len() > 4 {
                    let data = &mosi[4..];
                    let last_page = &data[data.len().saturating_sub(PAGE as usize)..];
                    if flash.program_page(address, last_page) {
                        self.busy_until = end + timing.page_program;
                    }
                }
                self.wel = false;
            }
            0x20 | 0x52 | 0xD8 => {
                let (size, time) = match opcode {
                    0x20 => (0x1000, timing.erase_4k),
                    0x52 => (0x8000, timing.erase_32k),
                    _ => (0x1_0000, timing.erase_64k),
                };
                if self.wel && mosi.len() == 4 && flash.erase(address, size) {
                    self.busy_until = end + time;
                }
                self.wel = false;
            }
            0x60 | 0xC7 => {
                if self.wel && mosi.len() == 1 && flash.protected_range().is_empty() {
                    flash.erase(0, flash.size());
                    self.busy_until = end + timing.erase_chip;
                }
                self.wel = false;
            }
            _ => {}
        }
    }
}

/// The 24-bit big-endian address after the opcode (0 when the frame is shorter).
fn address(mosi: &[u8]) -> u32 {
    match mosi.get(1..4) {
        Some(a) => u32::from_be_bytes([0, a[0], a[1], a[2]]),
        None => 0,
    }
}

fn byte_at(flash: &Flash, address: u32, offset: usize) -> u8 {
    let mut byte = [0u8];
    flash.read(address.wrapping_add(offset as u32), &mut byte);
    byte[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN25QH16B: [u8; 3] = [0x1C, 0x70, 0x15];
    const TH25Q16HB: [u8; 3] = [0xEB, 0x60, 0x15];

    fn part(jedec: [u8; 3], status: u32) -> (SpiNor, Flash) {
        (
            SpiNor::new(NorModel::for_part(jedec), jedec),
            Flash::new(0x20_0000, &[], status, jedec),
        )
    }

    fn run(nor: &mut SpiNor, flash: &mut Flash, at_ms: u64, mosi: &[u8]) -> Vec<u8> {
        let at = Duration::from_millis(at_ms);
        nor.frame(flash, &Timing::typical(), at, at, mosi)
    }

    #[test]
    fn jedec_status_and_read_answer_after_the_command_bytes() {
        let (mut nor, mut flash) = part(EN25QH16B, 0x1C);
        flash.bytes_mut()[0x11000..0x11004].copy_from_slice(&[1, 2, 3, 4]);
        assert_eq!(
            run(&mut nor, &mut flash, 0, &[0x9F, 0, 0, 0]),
            [IDLE, 0x1C, 0x70, 0x15]
        );
        assert_eq!(run(&mut nor, &mut flash, 0, &[0x05, 0]), [IDLE, 0x1C]);
        assert_eq!(
            run(&mut nor, &mut flash, 0, &[0x03, 0x01, 0x10, 0x00, 0, 0]),
            [IDLE, IDLE, IDLE, IDLE, 1, 2]
        );
    }

    #[test]
    fn write_status_needs_wel_and_the_exact_byte_count() {
        let (mut nor, mut flash) = part(EN25QH16B, 0x1C);
        run(&mut nor, &mut flash, 0, &[0x01, 0x00]);
        assert_eq!(flash.status(), 0x1C, "no WREN, no write");
        run(&mut nor, &mut flash, 0, &[0x06]);
        run(&mut nor, &mut flash, 0, &[0x01, 0x00, 0x00]);
        assert_eq!(
            flash.status(),
            0x1C,
            "16 bits on a one-byte part are ignored"
        );
        run(&mut nor, &mut flash, 0, &[0x06]);
        run(&mut nor, &mut flash, 0, &[0x01, 0x00]);
        assert_eq!(flash.status(), 0x00);

        let (mut nor, mut flash) = part(TH25Q16HB, 0x4004);
        run(&mut nor, &mut flash, 0, &[0x06]);
        run(&mut nor, &mut flash, 0, &[0x01, 0x00, 0x00]);
        assert_eq!(
            flash.status(),
            0,
            "two-byte parts take SR1 and SR2 (CMP) at once"
        );
    }

    #[test]
    fn busy_flash_answers_only_rdsr_and_protected_writes_do_nothing() {
        let (mut nor, mut flash) = part(TH25Q16HB, 0x1C);
        run(&mut nor, &mut flash, 0, &[0x06]);
        run(&mut nor, &mut flash, 0, &[0x20, 0x01, 0x10, 0x00]);
        assert_eq!(
            run(&mut nor, &mut flash, 1, &[0x05, 0]),
            [IDLE, 0x1C],
            "a protected erase is ignored, not busy"
        );
        flash.set_status(0);
        flash.bytes_mut()[0x11000] = 0;
        run(&mut nor, &mut flash, 0, &[0x06]);
        run(&mut nor, &mut flash, 0, &[0x20, 0x01, 0x10, 0x00]);
        assert_eq!(run(&mut nor, &mut flash, 1, &[0x05, 0]), [IDLE, SR_WIP]);
        assert_eq!(run(&mut nor, &mut flash, 1, &[0x9F, 0, 0, 0]), [IDLE; 4]);
        assert_eq!(run(&mut nor, &mut flash, 100, &[0x05, 0]), [IDLE, 0]);
        assert_eq!(flash.bytes()[0x11000], 0xFF);
    }
}
