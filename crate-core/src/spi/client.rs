//! The serprog client: synchronise with a programmer, learn what it offers, set it up for SPI and run
//! O_SPIOP frames (docs/spi-unbrick.md §4.3-§4.5). Every reply has a deadline; surprises end in a resync.

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;

use super::info::ProgrammerInfo;
use super::quirks::{self, Quirk};
use super::serprog::{ACK, BUS_SPI, Cmd, CommandMap, INTERFACE_VERSION, NAK, from_u24, u24};
use crate::error::{Error, ErrorKind};
use crate::flasher::transport_error;
use crate::progress::{Direction, Event, ProgressSink};
use crate::transport::Transport;

/// SYNCNOPs sent per synchronisation round before the filler (flashrom tries 8).
const SYNC_TRIES: u32 = 8;
/// How long one SYNCNOP waits for its NAK and ACK.
const SYNC_WAIT: Duration = Duration::from_millis(100);
/// The confirming SYNCNOP must answer within this (flashrom allows 500 ms + 100 ms).
const SYNC_CONFIRM_WAIT: Duration = Duration::from_millis(600);
/// How long a resync first listens for bytes the firmware still sends (left-over replies).
const STRAY_WAIT: Duration = Duration::from_millis(20);
/// Slack on every reply deadline: USB frames, the firmware's main loop, a busy host.
const REPLY_SLACK: Duration = Duration::from_millis(300);
/// A command that may stay unanswered waits this long before it is taken as done.
const SILENT_WAIT: Duration = Duration::from_millis(50);
/// Clock assumed for deadlines when the programmer cannot say its own.
const SLOWEST_ASSUMED_HZ: u32 = 10_000;
/// Largest read phase: flashrom's own chunk when Q_RDNMAXLEN is not offered.
const READ_CAP: usize = 0x1_0000;
/// Host-side receive buffer per `Transport::read`.
const RX_CHUNK: usize = 16 * 1024;

/// A serprog programmer on a transport.
pub struct Serprog<T: Transport> {
    port: T,
    rx: VecDeque<u8>,
    chunk: Vec<u8>,
    map: CommandMap,
    info: ProgrammerInfo,
}

impl<T: Transport> Serprog<T> {
    /// Wrap a port; nothing is sent until `open`.
    pub fn new(port: T) -> Self {
        Self {
            port,
            rx: VecDeque::new(),
            chunk: vec![0; RX_CHUNK],
            map: CommandMap([0; 32]),
            info: ProgrammerInfo::default(),
        }
    }

    pub fn info(&self) -> &ProgrammerInfo {
        &self.info
    }

    pub fn into_port(self) -> T {
        self.port
    }

    pub fn now(&self) -> Duration {
        self.port.now()
    }

    pub async fn sleep(&mut self, duration: Duration) {
        self.port.sleep(duration).await;
    }

    /// Synchronise and learn the programmer (§4.5): interface version, command map, SPI bus, length
    /// limits, name; then enable its pins and pick `chip_select` if one is given.
    pub async fn open(
        &mut self,
        baud: u32,
        chip_select: Option<u8>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let signals = quirks::assert_dtr();
        self.port
            .set_signals(signals, false)
            .await
            .map_err(transport_error)?;
        self.port.set_baud(baud).await.map_err(transport_error)?;
        self.sync(sink).await?;
        let version = self.command(Cmd::QIface, &[], sink).await?;
        let version = u16::from_le_bytes([version[0], version[1]]);
        if version != INTERFACE_VERSION {
            return Err(unsupported(
                Cmd::QIface,
                alloc::format!("interface version {version}, not 1"),
            ));
        }
        let map = self.command(Cmd::QCmdMap, &[], sink).await?;
        self.map = CommandMap(map.try_into().expect("Q_CMDMAP replies 32 bytes"));
        if !self.map.has(Cmd::OSpiOp) {
            return Err(unsupported(Cmd::OSpiOp, "the command map lacks O_SPIOP"));
        }
        self.info.bus_types = BUS_SPI;
        if self.may_send(Cmd::QBusType) {
            self.info.bus_types = self.command(Cmd::QBusType, &[], sink).await?[0];
            if self.info.bus_types & BUS_SPI == 0 {
                return Err(unsupported(
                    Cmd::QBusType,
                    alloc::format!("bus types 0x{:02X} without SPI", self.info.bus_types),
                ));
            }
        }
        if self.may_send(Cmd::SBusType) {
            self.command(Cmd::SBusType, &[BUS_SPI], sink).await?;
        }
        self.info.max_write = quirks::write_cap();
        if self.may_send(Cmd::QWrnMaxLen) {
            let limit = from_u24(&self.command(Cmd::QWrnMaxLen, &[], sink).await?);
            self.info.max_write = self.info.max_write.min(limit);
        }
        self.info.max_read = READ_CAP;
        if self.may_send(Cmd::QRdnMaxLen) {
            let limit = from_u24(&self.command(Cmd::QRdnMaxLen, &[], sink).await?);
            self.info.max_read = self.info.max_read.min(limit);
        }
        if self.may_send(Cmd::QPgmName) {
            let name = self.command(Cmd::QPgmName, &[], sink).await?;
            let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
            self.info.name = String::from_utf8_lossy(&name[..end]).into_owned();
        }
        if self.may_send(Cmd::QSerBuf) {
            let size = self.command(Cmd::QSerBuf, &[], sink).await?;
            self.info.serial_buffer = Some(u16::from_le_bytes([size[0], size[1]]));
        }
        self.set_pins(true, sink).await?;
        if let Some(cs) = chip_select {
            if !self.map.has(Cmd::SSpiCs) {
                return Err(unsupported(
                    Cmd::SSpiCs,
                    "a chip select was asked for but the programmer has only one",
                ));
            }
            self.command(Cmd::SSpiCs, &[cs], sink).await?;
            self.info.chip_select = Some(cs);
        }
        Ok(())
    }

    /// S_PIN_STATE: drive the SPI pins (`true`) or let go of them so the board can boot with the
    /// programmer attached; a no-op when the programmer lacks it.
    pub async fn set_pins(&mut self, on: bool, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        if self.may_send(Cmd::SPinState) {
            self.command(Cmd::SPinState, &[u8::from(on)], sink).await?;
        }
        Ok(())
    }

    /// S_SPI_FREQ: ask for `hz`; returns the clock the programmer chose, `None` when it cannot be set
    /// or its answer cannot be trusted (then its own default runs).
    pub async fn set_clock(
        &mut self,
        hz: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Option<u32>, Error> {
        if !self.may_send(Cmd::SSpiFreq) {
            self.info.clock_hz = None;
            return Ok(None);
        }
        let reply = self.command(Cmd::SSpiFreq, &hz.to_le_bytes(), sink).await?;
        let chosen = u32::from_le_bytes(reply.try_into().expect("S_SPI_FREQ replies 4 bytes"));
        let trusted = !self
            .info
            .quirks_seen
            .iter()
            .any(|q| Some(*q) == quirks::resync_after(Cmd::SSpiFreq));
        self.info.clock_hz = (trusted && chosen > 0).then_some(chosen);
        Ok(self.info.clock_hz)
    }

    /// One O_SPIOP: a CS frame that clocks out `write`, then reads `read_len` bytes. `name` says what
    /// the frame is, for errors ("O_SPIOP 20 (sector erase)").
    pub async fn spi_op(
        &mut self,
        write: &[u8],
        read_len: usize,
        name: &'static str,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        if write.len() > self.info.max_write || read_len > self.info.max_read {
            return Err(Error::new(ErrorKind::ProgrammerUnsupported)
                .operation(name, None)
                .detail(alloc::format!(
                    "{} bytes out and {read_len} in exceed the programmer's limits of {} and {}",
                    write.len(),
                    self.info.max_write,
                    self.info.max_read
                )));
        }
        let mut params = Vec::with_capacity(6 + write.len());
        params.extend_from_slice(&u24(write.len()));
        params.extend_from_slice(&u24(read_len));
        params.extend_from_slice(write);
        let timeout = self.spi_time(write.len() + read_len) * 2 + REPLY_SLACK;
        self.exchange(Cmd::OSpiOp, &params, read_len, timeout, name, sink)
            .await
    }

    /// Wire time of `bytes` SPI bytes at the programmer's clock (a slow guess when it is unknown).
    pub fn spi_time(&self, bytes: usize) -> Duration {
        let hz = self.info.clock_hz.unwrap_or(SLOWEST_ASSUMED_HZ).max(1);
        Duration::from_micros(bytes as u64 * 8 * 1_000_000 / u64::from(hz))
    }

    /// A command with its table reply length and the standard deadline.
    async fn command(
        &mut self,
        cmd: Cmd,
        params: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let reply_len = cmd.info().reply_len;
        self.exchange(cmd, params, reply_len, REPLY_SLACK, cmd.name(), sink)
            .await
    }

    /// Send one command and collect ACK + `reply_len` bytes, applying the quirk table.
    async fn exchange(
        &mut self,
        cmd: Cmd,
        params: &[u8],
        reply_len: usize,
        timeout: Duration,
        name: &'static str,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        if !self.may_send(cmd) {
            return Err(
                unsupported(cmd, "not in the programmer's command map").operation(name, None)
            );
        }
        let mut frame = Vec::with_capacity(1 + params.len());
        frame.push(cmd.opcode());
        frame.extend_from_slice(params);
        self.send(&frame, sink).await?;
        let silent_quirk = quirks::may_stay_silent(cmd);
        let first_wait = if silent_quirk.is_some() {
            SILENT_WAIT
        } else {
            timeout
        };
        let deadline = self.port.now() + first_wait;
        self.fill(1, deadline).await?;
        let Some(first) = self.rx.pop_front() else {
            if let Some(quirk) = silent_quirk {
                self.remember(quirk);
                self.resync(sink).await?;
                return Ok(Vec::new());
            }
            let _ = self.resync(sink).await;
            return Err(Error::new(ErrorKind::ProgrammerSilent)
                .operation(name, None)
                .detail(alloc::format!(
                    "no reply within {} ms",
                    first_wait.as_millis()
                )));
        };
        match first {
            ACK => {}
            NAK => {
                log(sink, Direction::Received, &[NAK]);
                return Err(Error::new(ErrorKind::ProgrammerRefused).operation(name, None));
            }
            other => {
                log(sink, Direction::Discarded, &[other]);
                let _ = self.resync(sink).await;
                return Err(Error::new(ErrorKind::ProgrammerSilent)
                    .operation(name, None)
                    .detail(alloc::format!(
                        "answered 0x{other:02X} instead of ACK or NAK: the byte stream was out of step"
                    )));
            }
        }
        let deadline = (self.port.now() + timeout).max(deadline);
        self.fill(reply_len, deadline).await?;
        if self.rx.len() < reply_len {
            let got = self.rx.len();
            let _ = self.resync(sink).await;
            return Err(Error::new(ErrorKind::ProgrammerSilent)
                .operation(name, None)
                .detail(alloc::format!(
                    "the reply stopped after {got} of {reply_len} bytes"
                )));
        }
        let reply: Vec<u8> = self.rx.drain(..reply_len).collect();
        let mut logged = Vec::with_capacity(1 + reply.len());
        logged.push(ACK);
        logged.extend_from_slice(&reply);
        log(sink, Direction::Received, &logged);
        if let Some(quirk) = quirks::resync_after(cmd)
            && self.resync(sink).await?
        {
            self.remember(quirk);
        }
        Ok(reply)
    }

    async fn send(&mut self, bytes: &[u8], sink: &mut dyn ProgressSink) -> Result<(), Error> {
        log(sink, Direction::Sent, bytes);
        self.port.write_all(bytes).await.map_err(transport_error)
    }

    /// Receive until `want` bytes are buffered or `deadline` passes.
    async fn fill(&mut self, want: usize, deadline: Duration) -> Result<(), Error> {
        while self.rx.len() < want {
            let now = self.port.now();
            if now >= deadline {
                break;
            }
            let n = self
                .port
                .read(&mut self.chunk, deadline - now)
                .await
                .map_err(transport_error)?;
            self.rx.extend(&self.chunk[..n]);
        }
        Ok(())
    }

    /// Bring the byte stream back in step (§4.5): SYNCNOP until NAK ACK comes back, confirmed by one
    /// more SYNCNOP. A second round first sends a filler that completes any write phase a previous
    /// session left open; 0xFF programs nothing on NOR flash.
    pub async fn sync(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        for round in 0..2 {
            if round == 1 {
                let filler = vec![0xFF; quirks::write_cap() + 7];
                self.send(&filler, sink).await?;
                self.drain(STRAY_WAIT, sink).await?;
            }
            for _ in 0..SYNC_TRIES {
                if self.sync_once(sink).await? {
                    return Ok(());
                }
            }
        }
        Err(Error::new(ErrorKind::ProgrammerSilent)
            .operation(Cmd::SyncNop.name(), None)
            .detail("no NAK ACK answer to SYNCNOP"))
    }

    /// One SYNCNOP: true when NAK ACK came back and a second SYNCNOP confirmed it.
    async fn sync_once(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        self.send(&[Cmd::SyncNop.opcode()], sink).await?;
        let deadline = self.port.now() + SYNC_WAIT;
        loop {
            self.fill(self.rx.len() + 1, deadline).await?;
            let seen: Vec<u8> = self.rx.iter().copied().collect();
            if seen.windows(2).any(|w| w == [NAK, ACK]) {
                break;
            }
            if self.port.now() >= deadline {
                self.rx.clear();
                return Ok(false);
            }
        }
        self.drain(STRAY_WAIT, sink).await?;
        self.send(&[Cmd::SyncNop.opcode()], sink).await?;
        let deadline = self.port.now() + SYNC_CONFIRM_WAIT;
        self.fill(2, deadline).await?;
        let confirmed = self.rx.len() >= 2 && self.rx[0] == NAK && self.rx[1] == ACK;
        if confirmed {
            log(sink, Direction::Received, &[NAK, ACK]);
        }
        self.rx.clear();
        Ok(confirmed)
    }

    /// Listen briefly for left-over bytes, drop them, and synchronise; true when there were any.
    pub async fn resync(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        let stray = self.drain(STRAY_WAIT, sink).await?;
        self.sync(sink).await?;
        Ok(stray > 0)
    }

    /// Collect whatever arrives for `quiet`, then drop it all (logged); returns how many bytes that was.
    async fn drain(
        &mut self,
        quiet: Duration,
        sink: &mut dyn ProgressSink,
    ) -> Result<usize, Error> {
        let until = self.port.now() + quiet;
        self.fill(usize::MAX, until).await?;
        let dropped: Vec<u8> = self.rx.drain(..).collect();
        let n = dropped.len();
        if n > 0 {
            log(sink, Direction::Discarded, &dropped);
        }
        self.port.discard_input().await.map_err(transport_error)?;
        Ok(n)
    }

    /// Whether `cmd` may go out: the protocol's always-safe commands, else what the map lists (quirk
    /// table: some firmwares never answer an opcode they lack).
    fn may_send(&self, cmd: Cmd) -> bool {
        matches!(cmd, Cmd::Nop | Cmd::SyncNop | Cmd::QIface | Cmd::QCmdMap)
            || !quirks::only_mapped()
            || self.map.has(cmd)
    }

    fn remember(&mut self, quirk: &'static Quirk) {
        if !self.info.quirks_seen.contains(&quirk) {
            self.info.quirks_seen.push(quirk);
        }
    }
}

fn unsupported(cmd: Cmd, detail: impl Into<String>) -> Error {
    Error::new(ErrorKind::ProgrammerUnsupported)
        .operation(cmd.name(), None)
        .detail(detail)
}

fn log(sink: &mut dyn ProgressSink, direction: Direction, bytes: &[u8]) {
    sink.event(Event::Frame { direction, bytes });
}
