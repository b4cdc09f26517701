//! Shared helpers of the SPI tests: a bench (serprog programmer, BK7231T, CEN adapter) around the UART
//! simulator, raw flash images with a CRC-packed bootloader, and flashers in both reset setups.
#![allow(dead_code)]

use bkflash_core::image::beken::crc16;
use bkflash_core::spi::{SpiFlasher, SpiOptions};
use bkflash_sim::serprog::{CenLine, PortModel, SerprogBoard, SerprogPort, SharedBoard, firmware};
use bkflash_sim::{Sim, SimConfig, SimTransport};

pub const EN25QH16B: [u8; 3] = [0x1C, 0x70, 0x15];
pub const TH25Q16HB: [u8; 3] = [0xEB, 0x60, 0x15];
pub const FLASH_2M: usize = 0x20_0000;
const BOOTLOADER_END: usize = 0x11000;

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A whole flash in raw on-flash form: the bootloader region as 34-byte blocks with a valid CRC16
/// each (docs/spi-unbrick.md §6), the rest noise.
pub fn raw_flash(seed: u64, size: usize) -> Vec<u8> {
    let mut bytes = noise(seed, size);
    for block in bytes[..BOOTLOADER_END].chunks_exact_mut(34) {
        let crc = crc16(&block[..32]).to_be_bytes();
        block[32..].copy_from_slice(&crc);
    }
    bytes
}

/// A BK7231T with an EN25QH16B (the pairing of docs/spi-unbrick.md §1), protected (SR 0x1C), RTS on CEN.
pub fn bk7231t(seed: u64) -> SimConfig {
    SimConfig::bk7231t()
        .with_jedec_id(EN25QH16B)
        .with_flash_image(raw_flash(seed, FLASH_2M))
}

pub fn unshared(config: SimConfig, firmware_name: &str, model: PortModel) -> SerprogBoard {
    let profile = firmware(firmware_name).expect("a known firmware profile");
    SerprogBoard::new(SimTransport::new(Sim::new(config)), profile, model)
}

pub fn bench(config: SimConfig, firmware_name: &str, model: PortModel) -> SharedBoard {
    unshared(config, firmware_name, model).shared()
}

pub fn with_cen(board: &SharedBoard, options: SpiOptions) -> SpiFlasher<SerprogPort, CenLine> {
    SpiFlasher::with_cen_adapter(
        SerprogPort::new(board.clone()),
        CenLine::new(board.clone()),
        options,
    )
}

pub fn manual(board: &SharedBoard, options: SpiOptions) -> SpiFlasher<SerprogPort, SerprogPort> {
    SpiFlasher::manual(SerprogPort::new(board.clone()), options)
}

/// Frames the chip's flash received with opcode `op`.
pub fn frames_to_flash(board: &SharedBoard, op: u8) -> Vec<bkflash_sim::serprog::SpiFrame> {
    board
        .borrow()
        .frames()
        .iter()
        .filter(|f| f.to_flash && f.head[0] == op)
        .copied()
        .collect()
}

pub fn flash_bytes(board: &SharedBoard) -> Vec<u8> {
    board.borrow().flash().bytes().to_vec()
}

/// Byte-for-byte equality of two flash-sized buffers, failing with the first difference instead of
/// megabytes of output.
#[track_caller]
pub fn assert_same(actual: &[u8], expected: &[u8], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths");
    if let Some(at) = actual.iter().zip(expected).position(|(a, b)| a != b) {
        let differ = actual.iter().zip(expected).filter(|(a, b)| a != b).count();
        panic!(
            "{what}: {differ} bytes differ, the first at 0x{at:06X} ({:02X} instead of {:02X})",
            actual[at], expected[at]
        );
    }
}
