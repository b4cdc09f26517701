//! The monitor's memory bound, measured: a counting allocator watches the heap while a minute of
//! continuous output at 115200 baud (8N1: 11,520 bytes a second) goes into one monitor buffer.
//! Its own test binary, so no other test allocates meanwhile; one test function for the same reason.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use bkflash_core::monitor::{MonitorBuffer, MonitorLimits};

struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only the counters are added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(live, Ordering::SeqCst);
        // SAFETY: the caller's contract for `alloc` is forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// 115200 baud, 10 bits a byte.
const BYTES_PER_SECOND: usize = 11_520;
const SECONDS: usize = 60;
/// A USB adapter hands over its input in chunks about this big.
const CHUNK: usize = 64;

/// The peak heap the buffer adds while taking `stream`, and the buffer at the end.
fn feed(stream: &[u8], limits: MonitorLimits) -> (usize, MonitorBuffer) {
    let mut buffer = MonitorBuffer::new(limits);
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    for (i, chunk) in stream.chunks(CHUNK).enumerate() {
        let at_ms = (i * CHUNK * 1000 / BYTES_PER_SECOND) as u64;
        buffer.push(at_ms, chunk);
    }
    (PEAK.load(Ordering::SeqCst) - base, buffer)
}

/// An OpenBeken-like status line, over and over, with a counter so no two lines are equal.
fn chatty_text(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 100);
    let mut n = 0u64;
    while out.len() < len {
        out.extend_from_slice(
            format!("Info:MAIN:Time {n}, idle 0/s, free 78312, MQTT 0(0), bWifi 1, socks 2/38\r\n")
                .as_bytes(),
        );
        n += 1;
    }
    out.truncate(len);
    out
}

/// What a monitor at the wrong baud sees: bytes with no line breaks, mostly not UTF-8.
fn wrong_baud_noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_F491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as u8) | 0x80
        })
        .collect()
}

#[test]
fn a_minute_of_continuous_output_stays_within_the_bound() {
    let limits = MonitorLimits::DEFAULT;
    let bound = limits.memory_bound();
    let total = BYTES_PER_SECOND * SECONDS;
    for (name, stream) in [
        ("text", chatty_text(total)),
        ("wrong-baud noise", wrong_baud_noise(total)),
    ] {
        let (peak, buffer) = feed(&stream, limits);
        println!(
            "monitor, {name}: {total} bytes in {SECONDS} s at 115200 -> {} lines kept, {} dropped, \
             held {} bytes, heap now {} bytes, peak {peak} bytes (bound {bound})",
            buffer.line_count(),
            buffer.dropped_lines(),
            buffer.held_bytes(),
            buffer.memory_bytes()
        );
        assert_eq!(buffer.received_bytes(), total as u64);
        assert!(
            buffer.dropped_lines() > 0,
            "{name}: a minute must overflow the buffer"
        );
        assert!(buffer.held_bytes() <= limits.max_bytes, "{name}");
        assert!(buffer.line_count() <= limits.max_lines, "{name}");
        assert!(buffer.memory_bytes() <= bound, "{name}");
        assert!(
            peak <= bound,
            "{name}: peak heap {peak} bytes is over the bound {bound}"
        );

        // A second minute costs nothing more: the buffer is at its steady state.
        let (second_peak, _) = feed(&[stream.as_slice(), &stream].concat(), limits);
        assert!(
            second_peak <= bound,
            "{name}: two minutes peak at {second_peak}"
        );
    }
}
