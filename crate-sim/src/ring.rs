//! The legacy bootloader's UART receive ring: 512 bytes, filled by the RX interrupt, emptied by the
//! handler, which stops reading while it programs a page of a 4 KiB write (field-audit S4, D1).

use alloc::collections::VecDeque;
use core::time::Duration;

/// `u8 bim_uart_rx_buf[512]` in the legacy handler source; it wraps without an overflow check, so a
/// byte arriving into a full ring is lost.
pub const LEGACY_RX_RING: usize = 512;

/// Which received bytes a ring of `capacity` keeps, given when the handler takes each one.
#[derive(Clone, Debug)]
pub struct RxRing {
    capacity: usize,
    /// When the handler takes each byte still counted in the ring, oldest first.
    taken_at: VecDeque<Duration>,
}

impl RxRing {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            taken_at: VecDeque::with_capacity(capacity),
        }
    }

    /// A byte arrived at `arrival` and the handler would take it at `taken` (later if it was busy).
    /// False when the ring was full on arrival: the byte is lost.
    pub fn admit(&mut self, arrival: Duration, taken: Duration) -> bool {
        while self.taken_at.front().is_some_and(|&t| t <= arrival) {
            self.taken_at.pop_front();
        }
        if self.taken_at.len() >= self.capacity {
            return false;
        }
        self.taken_at.push_back(taken);
        true
    }

    /// A reset empties the ring.
    pub fn clear(&mut self) {
        self.taken_at.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_beyond_the_ring_are_lost_while_the_handler_is_busy() {
        let mut ring = RxRing::new(4);
        let busy_until = Duration::from_millis(10);
        let kept: usize = (0..6)
            .filter(|&i| ring.admit(Duration::from_millis(i), busy_until))
            .count();
        assert_eq!(kept, 4);
        assert!(
            ring.admit(Duration::from_millis(11), Duration::from_millis(11)),
            "the handler emptied the ring at 10 ms"
        );
    }
}
