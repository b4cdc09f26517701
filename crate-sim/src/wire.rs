//! The UART lines between host and chip: bytes with the time each finishes arriving, and the
//! deterministic garbling a receiver at the wrong baud sees.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use crate::timing::byte_time;

/// A byte received at the wrong baud: deterministic junk (a bijection, so lengths and timing stay).
pub fn garble(byte: u8) -> u8 {
    byte.rotate_left(3) ^ 0xA5
}

/// Bytes in flight on one direction of the line, in arrival order.
#[derive(Clone, Debug, Default)]
pub struct Line {
    /// (time the byte has fully arrived, byte, baud it was sent at)
    queue: VecDeque<(Duration, u8, u32)>,
    /// When the sender's shift register is free again.
    free_at: Duration,
}

impl Line {
    /// Send `byte` at `baud` no earlier than `start`; returns when it has arrived.
    pub fn send(&mut self, start: Duration, byte: u8, baud: u32) -> Duration {
        let done = start.max(self.free_at) + byte_time(baud);
        self.queue.push_back((done, byte, baud));
        self.free_at = done;
        done
    }

    /// A byte that takes wire time but never arrives (dropped).
    pub fn skip(&mut self, start: Duration, baud: u32) -> Duration {
        self.free_at = start.max(self.free_at) + byte_time(baud);
        self.free_at
    }

    /// Put a second copy of a byte at the same arrival time (a duplicated byte).
    pub fn repeat_last(&mut self) {
        if let Some(&last) = self.queue.back() {
            self.queue.push_back(last);
        }
    }

    pub fn free_at(&self) -> Duration {
        self.free_at
    }

    pub fn front(&self) -> Option<(Duration, u8, u32)> {
        self.queue.front().copied()
    }

    pub fn pop(&mut self) -> Option<(Duration, u8, u32)> {
        self.queue.pop_front()
    }

    /// Move every byte arrived by `now` to `out`, garbled if the receiver runs at another baud.
    pub fn receive_until(&mut self, now: Duration, receiver_baud: u32, out: &mut Vec<u8>) {
        while let Some(&(done, byte, baud)) = self.queue.front() {
            if done > now {
                break;
            }
            out.push(if baud == receiver_baud {
                byte
            } else {
                garble(byte)
            });
            self.queue.pop_front();
        }
    }

    /// The sender stops at `now` (reset): bytes not fully sent by then never arrive.
    pub fn cut_after(&mut self, now: Duration) {
        while self.queue.back().is_some_and(|&(done, _, _)| done > now) {
            self.queue.pop_back();
        }
        self.free_at = self.free_at.min(now);
    }

    /// The receiver is reset at `now`: whatever arrived and was not yet taken is lost.
    pub fn drop_arrived(&mut self, now: Duration) {
        while self.queue.front().is_some_and(|&(done, _, _)| done <= now) {
            self.queue.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_queue_back_to_back_and_garble_at_wrong_baud() {
        let mut line = Line::default();
        let first = line.send(Duration::ZERO, 0x01, 115_200);
        let second = line.send(Duration::ZERO, 0x02, 115_200);
        assert_eq!(second - first, byte_time(115_200));
        let mut out = Vec::new();
        line.receive_until(second, 921_600, &mut out);
        assert_eq!(out, [garble(0x01), garble(0x02)]);
        assert_ne!(garble(0x01), 0x01);
    }
}
