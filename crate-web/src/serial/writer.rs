//! The one writer of an open port. At most one chunk is in flight: the next write first waits for
//! the previous one, and `flush` waits for the last one and for the stream to be ready again.

use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::{SerialPort, WritableStreamDefaultWriter};

use super::error::WebSerialError;

const WRITING: &str = "writing to the serial port";

/// Sends byte chunks through `port.writable`.
pub struct ChunkWriter {
    writer: WritableStreamDefaultWriter,
    /// The promise of the last `write()`, until someone waits for it.
    in_flight: Option<JsFuture>,
}

impl ChunkWriter {
    /// Lock the port's writable stream; the port must be open.
    pub fn new(port: &SerialPort) -> Result<Self, WebSerialError> {
        let writer = port
            .writable()
            .get_writer()
            .map_err(|e| WebSerialError::from_js("getting the serial port's writer", &e))?;
        Ok(Self {
            writer,
            in_flight: None,
        })
    }

    /// Queue `data` (copied into a JS buffer) once the previous chunk has gone out.
    pub async fn write(&mut self, data: &[u8]) -> Result<(), WebSerialError> {
        self.wait_in_flight().await?;
        JsFuture::from(self.writer.ready())
            .await
            .map_err(|e| WebSerialError::from_js(WRITING, &e))?;
        let chunk = Uint8Array::from(data);
        self.in_flight = Some(JsFuture::from(self.writer.write_with_chunk(&chunk)));
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
