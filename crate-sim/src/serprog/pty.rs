//! `bkflash-sim --serprog NAME`: the programmer and chip served on a pty, for `bkflash spi` and flashrom.
//! The chip waits for a manual reset (scripted from the host's first byte) or starts in SPI mode.

use core::time::Duration;
use std::io;
use std::prelude::rust_2024::*;

use super::{PortModel, SerprogBoard, firmware};
use crate::pty::clock::{Pacing, ServeClock};
use crate::pty::options::{SerprogMode, ServeOptions};
use crate::pty::pair::PtyPair;
use crate::pty::setup::sim_config;
use crate::pty::signals;
use crate::{Sim, SimTransport};

const READ_CHUNK: usize = 16 * 1024;

/// The board the options describe: the `--chip` preset (a BK7231T carries an EN25QH16B, §1) behind
/// the `--serprog` firmware.
pub fn build_board(options: &ServeOptions, mode: &SerprogMode) -> Result<SerprogBoard, String> {
    let mut config = sim_config(options)?;
    if config.class == crate::ChipClass::Legacy {
        config = config.with_jedec_id([0x1C, 0x70, 0x15]);
    }
    let profile = firmware(&mode.firmware).ok_or_else(|| {
        let names: Vec<&str> = super::FIRMWARES.iter().map(|f| f.name).collect();
        format!(
            "--serprog {:?}: expected one of {}",
            mode.firmware,
            names.join(", ")
        )
    })?;
    let uart = SimTransport::new(Sim::new(config));
    let mut board = SerprogBoard::new(uart, profile, PortModel::default());
    // A pty has no modem lines: the programmer sees DTR asserted, as after a host opened a real port.
    board.set_dtr(true);
    if mode.reset_every.is_zero() {
        board.target_mut().start_in_spi_mode();
    }
    Ok(board)
}

/// Serve `board` on `pair` until SIGTERM/SIGINT. The first host byte starts the manual-reset script.
pub fn serve(
    board: &mut SerprogBoard,
    pair: &PtyPair,
    pacing: Pacing,
    reset_every: Duration,
) -> io::Result<()> {
    let mut clock = ServeClock::start(pacing);
    let mut backlog: Vec<u8> = Vec::new();
    let mut from_host = vec![0u8; READ_CHUNK];
    let mut chunk = vec![0u8; READ_CHUNK];
    let mut started = false;
    while !signals::stop_requested() {
        board.advance_to(clock.now());
        loop {
            let n = board.take_to_host(clock.now(), &mut chunk);
            if n == 0 {
                break;
            }
            backlog.extend_from_slice(&chunk[..n]);
        }
        // Not pacing, a whole reply leaves at once: the clock jumps to its last byte, not byte by byte.
        let event = match pacing {
            Pacing::AsFastAsPossible => board.last_to_host(),
            Pacing::WireTime => board.next_to_host(),
        };
        let wait = clock.wait_before(event, true);
        if !backlog.is_empty() {
            let taken = pair.write_chip_bytes(&backlog)?;
            backlog.drain(..taken);
        }
        if wait.is_zero() && backlog.is_empty() {
            continue;
        }
        if pair.wait(!backlog.is_empty(), wait)? {
            let n = pair.read_host_bytes(&mut from_host)?;
            let now = clock.now();
            board.advance_to(now);
            if n > 0 && !started && !reset_every.is_zero() {
                started = true;
                board.schedule_manual_resets(now + reset_every, Some(reset_every));
            }
            board.host_write(now, &from_host[..n]);
        }
    }
    Ok(())
}
