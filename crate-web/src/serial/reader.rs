//! The one long-lived reader of an open port: reads are raced against a timer, and a read that
//! loses the race stays pending for the next call, because a dropped `read()` would lose its chunk.

use core::future::poll_fn;
use core::pin::Pin;
use core::task::Poll;
use core::time::Duration;
use std::collections::VecDeque;
use std::future::Future;

use gloo_timers::future::TimeoutFuture;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, SerialPort};

use super::error::{WebSerialError, js_error_parts};

const READING: &str = "reading from the serial port";

/// Line errors after which the browser replaces `port.readable` and the port stays usable.
static RECOVERABLE_READ_ERRORS: [&str; 4] = [
    "BufferOverrunError",
    "BreakError",
    "FramingError",
    "ParityError",
];

/// Reads chunks from `port.readable` into a local buffer that callers drain.
pub struct ChunkReader {
    port: SerialPort,
    reader: ReadableStreamDefaultReader,
    /// The `read()` that lost its race against a timer; it still owns the next chunk.
    pending: Option<JsFuture>,
    received: VecDeque<u8>,
}

impl ChunkReader {
    /// Lock the port's readable stream; the port must be open.
    pub fn new(port: &SerialPort) -> Self {
        Self {
            port: port.clone(),
            reader: port.readable().get_reader().unchecked_into(),
            pending: None,
            received: VecDeque::new(),
        }
    }

    /// Copy received bytes into `buf`, waiting up to `timeout` when none are buffered yet.
    pub async fn read(
        &mut self,
        buf: &mut [u8],
        timeout: Duration,
    ) -> Result<usize, WebSerialError> {
        if self.received.is_empty() && !buf.is_empty() {
            self.receive_chunk(timeout).await?;
        }
        let count = buf.len().min(self.received.len());
        for (slot, byte) in buf.iter_mut().zip(self.received.drain(..count)) {
            *slot = byte;
        }
        Ok(count)
    }

    /// Drop everything buffered, then every chunk the browser already holds (bounded, so a chip
    /// that never stops talking cannot keep this loop alive).
    pub async fn discard(&mut self) -> Result<(), WebSerialError> {
        const MAX_CHUNKS: usize = 256;
        for _ in 0..MAX_CHUNKS {
            self.received.clear();
            if !self.receive_chunk(Duration::ZERO).await? {
                break;
            }
        }
        self.received.clear();
        Ok(())
    }

    /// Give the stream back so the port can be closed: cancel the reader and release its lock.
    /// The pending read resolves as `done` because of the cancel, so it is dropped unread.
    pub async fn release(self) {
        let _already_closed = JsFuture::from(self.reader.cancel()).await;
        self.reader.release_lock();
    }

    /// Wait up to `timeout` for one chunk; `Ok(false)` when the timer won.
    async fn receive_chunk(&mut self, timeout: Duration) -> Result<bool, WebSerialError> {
        let reader = &self.reader;
        let pending = self
            .pending
            .get_or_insert_with(|| JsFuture::from(reader.read()));
        let mut timer = TimeoutFuture::new(timeout_millis(timeout));
        let outcome = poll_fn(|cx| {
            if let Poll::Ready(result) = Pin::new(&mut *pending).poll(cx) {
                return Poll::Ready(Some(result));
            }
            if Pin::new(&mut timer).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            Poll::Pending
        })
        .await;
        let Some(result) = outcome else {
            return Ok(false);
        };
        self.pending = None;
        match result {
            Ok(chunk) => self.accept(&chunk).map(|()| true),
            Err(error) => Err(self.recover_or_fail(&error)),
        }
    }

    /// A `{done, value}` read result: `done` means the stream ended, which only a lost device does
    /// while we hold the reader.
    fn accept(&mut self, chunk: &JsValue) -> Result<(), WebSerialError> {
        let done = js_sys::Reflect::get(chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Err(WebSerialError::disconnected(
                READING,
                "the port's input stream ended",
            ));
        }
        let value =
            js_sys::Reflect::get(chunk, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        self.received
            .extend(value.unchecked_into::<Uint8Array>().to_vec());
        Ok(())
    }

    /// After a line error the browser offers a fresh `port.readable`: take it, and report the
    /// error so the flasher retries the command whose reply was damaged.
    fn recover_or_fail(&mut self, error: &JsValue) -> WebSerialError {
        let (name, _) = js_error_parts(error);
        if RECOVERABLE_READ_ERRORS.contains(&name.as_str()) {
            self.reader.release_lock();
            self.reader = self.port.readable().get_reader().unchecked_into();
        }
        WebSerialError::from_js(READING, error)
    }
}

/// Timer resolution is a millisecond; round up so a tiny timeout still waits a tick.
fn timeout_millis(timeout: Duration) -> u32 {
    u32::try_from(timeout.as_micros().div_ceil(1000)).unwrap_or(u32::MAX)
}
