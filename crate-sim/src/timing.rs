//! How long the chip takes: wire time per byte and datasheet-class flash work (protocol.md §2.3).
//! Two profiles, typical and datasheet maxima; everything is virtual time, nothing here sleeps.

use core::time::Duration;

/// Chip-side durations of flash work. Wire time is not here: it follows from the baud rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub erase_4k: Duration,
    pub erase_32k: Duration,
    pub erase_64k: Duration,
    pub erase_chip: Duration,
    /// One 256-byte page program.
    pub page_program: Duration,
    /// CheckCRC throughput on the chip.
    pub crc_bytes_per_sec: u32,
    /// Fixed handler time before any reply (parsing, dispatch).
    pub command_overhead: Duration,
}

impl Timing {
    /// Typical SPI NOR figures (protocol.md §2.3).
    pub const fn typical() -> Self {
        Self {
            erase_4k: Duration::from_millis(45),
            erase_32k: Duration::from_millis(150),
            erase_64k: Duration::from_millis(300),
            erase_chip: Duration::from_secs(5),
            page_program: Duration::from_micros(700),
            crc_bytes_per_sec: 400_000,
            command_overhead: Duration::from_micros(20),
        }
    }

    /// Datasheet maxima (Winbond W25Q16JV, the slowest common part: 4K erase 400 ms, 32K 1.6 s,
    /// 64K 2 s, chip 25 s, page program 3 ms) and half bk7231tools' CRC budget. Every job must
    /// still succeed at these. With 3 ms page programs a legacy handler takes 256 bytes per 3 ms
    /// (about 850 kbaud), so its 512-byte receive ring overflows during 4 KiB writes at 921600 and
    /// up (`ring.rs`): the flasher has to step down.
    pub const fn worst() -> Self {
        Self {
            erase_4k: Duration::from_millis(400),
            erase_32k: Duration::from_millis(1_600),
            erase_64k: Duration::from_millis(2_000),
            erase_chip: Duration::from_secs(25),
            page_program: Duration::from_millis(3),
            crc_bytes_per_sec: 200_000,
            command_overhead: Duration::from_micros(100),
        }
    }

    /// Time to CRC `len` bytes.
    pub fn crc(&self, len: u64) -> Duration {
        Duration::from_nanos(
            len.saturating_mul(1_000_000_000) / u64::from(self.crc_bytes_per_sec.max(1)),
        )
    }
}

/// Time one byte (start bit, 8 data bits, stop bit) spends on the wire at `baud`.
pub fn byte_time(baud: u32) -> Duration {
    Duration::from_nanos(10_000_000_000 / u64::from(baud.max(1)))
}
