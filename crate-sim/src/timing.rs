//! How long the chip takes: wire time per byte and datasheet-class flash work (protocol.md §2.3).
//! Two profiles, typical and worst case; everything is virtual time, nothing here sleeps.

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

    /// Worst-case datasheet figures: slow erases that push peers' 1 s timeouts.
    pub const fn worst() -> Self {
        Self {
            erase_4k: Duration::from_millis(400),
            erase_32k: Duration::from_millis(1_200),
            erase_64k: Duration::from_millis(2_000),
            erase_chip: Duration::from_secs(20),
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
