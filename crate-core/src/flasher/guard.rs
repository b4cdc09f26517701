//! The one guard every flash-changing frame passes where it is built: alignment, bounds, flash size,
//! and the bootloader below 0x11000 (never a job's on the legacy class; a repair only writes back its copy).

use super::Flasher;
use super::bootloader_watch::BootCopy;
use crate::chips::{BOOTLOADER_END, ProtocolClass};
use crate::error::{Error, ErrorKind};
use crate::protocol::{Opcode, SECTOR_LEN};
use crate::transport::Transport;

/// Flash page: the most one page write (op 0x06) may program, inside one page.
const PAGE: u32 = 256;

/// Why a flash-changing frame is sent.
#[derive(Clone, Copy)]
pub(super) enum Purpose<'a> {
    /// A unit of the user's job (write, erase, restore).
    Job,
    /// Putting back the bootloader region from the copy read before the job: the only frames that
    /// may reach below 0x11000 on the legacy class, and only with the copy's own bytes.
    Repair(&'a BootCopy),
}

/// One erase or write about to be sent: its opcode, logical address and length, and the bytes a
/// write programs.
#[derive(Clone, Copy)]
pub(super) struct Change<'a> {
    pub opcode: Opcode,
    pub addr: u32,
    pub len: u32,
    pub data: Option<&'a [u8]>,
}

impl<T: Transport> Flasher<T> {
    /// Refuse `change` unless it is aligned to its unit, lies inside the identified flash and keeps
    /// off the bootloader as `purpose` requires. Nothing is sent for a refused change.
    pub(super) fn guard_change(
        &self,
        change: Change<'_>,
        purpose: Purpose<'_>,
    ) -> Result<(), Error> {
        let Change {
            opcode,
            addr,
            len,
            data,
        } = change;
        let refuse =
            |kind, why: &str| Err(Error::new(kind).command(opcode, Some(addr)).detail(why));
        let Some(chip) = self.chip.as_ref() else {
            return refuse(
                ErrorKind::UnknownProtocol,
                "nothing is erased or written before the chip is identified",
            );
        };
        let aligned = match opcode {
            Opcode::FlashErase => len.is_power_of_two() && addr.is_multiple_of(len),
            Opcode::FlashWrite4K => {
                addr.is_multiple_of(SECTOR_LEN as u32) && len == SECTOR_LEN as u32
            }
            Opcode::FlashWritePage => len > 0 && len <= PAGE && addr % PAGE + len <= PAGE,
            _ => false,
        };
        if !aligned || data.is_some_and(|d| d.len() != len as usize) {
            return refuse(
                ErrorKind::Unaligned,
                &alloc::format!("{len} bytes at this address would not stay inside its unit"),
            );
        }
        if u64::from(addr) + u64::from(len) > u64::from(chip.flash_size) {
            return refuse(
                ErrorKind::BeyondFlash,
                &alloc::format!("flash size 0x{:X}", chip.flash_size),
            );
        }
        let below_bootloader_end = addr < BOOTLOADER_END;
        match purpose {
            Purpose::Job if below_bootloader_end && !self.may_change_bootloader() => {
                refuse(ErrorKind::BootloaderRefused, bootloader_refusal(chip.class))
            }
            Purpose::Job => Ok(()),
            Purpose::Repair(copy) if !copy.holds(addr, len, data) => refuse(
                ErrorKind::BootloaderRefused,
                "a repair only writes the bootloader copy back where it was read",
            ),
            Purpose::Repair(_) => Ok(()),
        }
    }

    /// Refuse a job's write or erase of `[start, start + len)` before anything is read or sent: the
    /// bootloader region always on legacy chips and, unless allowed, on ROM chips; anything past the flash.
    pub(super) fn guard_modify(&self, opcode: Opcode, start: u32, len: u32) -> Result<(), Error> {
        let end = u64::from(start) + u64::from(len);
        if end > u64::from(self.flash_size()) {
            return Err(Error::new(ErrorKind::BeyondFlash)
                .command(opcode, Some(start))
                .detail(alloc::format!("flash size 0x{:X}", self.flash_size())));
        }
        if start < BOOTLOADER_END && len > 0 && !self.may_change_bootloader() {
            return Err(Error::new(ErrorKind::BootloaderRefused)
                .command(opcode, Some(start))
                .detail(bootloader_refusal(self.class())));
        }
        Ok(())
    }

    /// Refuse a read past the end of the flash.
    pub(super) fn guard_read(&self, start: u32, len: u32) -> Result<(), Error> {
        if u64::from(start) + u64::from(len) > u64::from(self.flash_size()) {
            return Err(
                Error::new(ErrorKind::BeyondFlash).command(Opcode::FlashRead4K, Some(start))
            );
        }
        Ok(())
    }

    /// Whether this session's jobs may change flash below 0x11000: ROM class with the override only.
    pub(super) fn may_change_bootloader(&self) -> bool {
        self.options.allow_bootloader && self.class_known() == Some(ProtocolClass::Rom)
    }
}

fn bootloader_refusal(class: ProtocolClass) -> &'static str {
    match class {
        ProtocolClass::Legacy => "overwriting a legacy-class bootloader bricks the chip",
        ProtocolClass::Rom => "override not given",
    }
}
