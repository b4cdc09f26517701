//! The one writer of an open port, paced: chunks of `PACE_CHUNK` bytes, never more than `PACE_AHEAD`
//! ahead of the wire at the port's baud, because a bridge without backpressure drops the rest of a
//! burst (field-audit D10). At most one chunk is in flight; `flush` waits for the last one.

use bkflash_core::transport::{PACE_CHUNK, Pacer};
use core::time::Duration;
use gloo_timers::future::TimeoutFuture;
use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::{SerialPort, WritableStreamDefaultWriter};

use super::error::WebSerialError;

const WRITING: &str = "writing to the serial port";

/// Sends byte chunks through `port.writable` at no more than the wire rate.
pub struct ChunkWriter {
    writer: WritableStreamDefaultWriter,
    /// The promise of the last `write()`, until someone waits for it.
    in_flight: Option<JsFuture>,
    pacer: Pacer,
}

impl ChunkWriter {
    /// Lock the port's writable stream; the port must be open at `baud`.
    pub fn new(port: &SerialPort, baud: u32) -> Result<Self, WebSerialError> {
        let writer = port
            .writable()
            .get_writer()
            .map_err(|e| WebSerialError::from_js("getting the serial port's writer", &e))?;
        Ok(Self {
            writer,
            in_flight: None,
            pacer: Pacer::new(baud),
        })
    }

    /// Queue `data` (copied into JS buffers) chunk by chunk, each once the wire has room for it.
    pub async fn write(&mut self, data: &[u8]) -> Result<(), WebSerialError> {
        for chunk in data.chunks(PACE_CHUNK) {
            let wait = self.pacer.wait_before(clock(), chunk.len());
            if !wait.is_zero() {
                TimeoutFuture::new(
                    u32::try_from(wait.as_micros().div_ceil(1000)).unwrap_or(u32::MAX),
                )
                .await;
            }
            self.wait_in_flight().await?;
            JsFuture::from(self.writer.ready())
                .await
                .map_err(|e| WebSerialError::from_js(WRITING, &e))?;
            let bytes = Uint8Array::from(chunk);
            self.in_flight = Some(JsFuture::from(self.writer.write_with_chunk(&bytes)));
            self.pacer.sent(clock(), chunk.len());
        }
        Ok(())
    }

    /// Wait until everything queued has been handed to the adapter.
    pub async fn flush(&mut self) -> Result<(), WebSerialError> {
        self.wait_in_flight().await?;
        JsFuture::from(self.writer.ready())
            .await
            .map(drop)
            .map_err(|e| WebSerialError::from_js("flushing the serial port", &e))
    }

    /// Let the port be closed: wait for the last chunk (its failure no longer matters) and unlock.
    pub async fn release(mut self) {
        let _outcome_irrelevant_when_closing = self.wait_in_flight().await;
        self.writer.release_lock();
    }

    async fn wait_in_flight(&mut self) -> Result<(), WebSerialError> {
        match self.in_flight.take() {
            Some(write) => write
                .await
                .map(drop)
                .map_err(|e| WebSerialError::from_js(WRITING, &e)),
            None => Ok(()),
        }
    }
}

/// The page's monotonic clock, for the pacer.
fn clock() -> Duration {
    let ms = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    Duration::from_secs_f64(ms.max(0.0) / 1000.0)
}
