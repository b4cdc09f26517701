//! What an SPI write of a whole-flash image changes, worked out before anything is erased: the sectors
//! that differ from the current content, the 64 KiB blocks erased whole, the bootloader share, the SR.

use alloc::string::String;
use alloc::vec::Vec;

use super::differing_sectors;
use super::info::SpiChipInfo;
use crate::chips::BOOTLOADER_END;
use crate::plan::{BLOCK, SECTOR};

const SECTORS_PER_BLOCK: usize = (BLOCK / SECTOR) as usize;

/// The changes a write makes; shown to the user before the first erase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpiPlan {
    /// Sectors whose content changes, ascending.
    pub sectors: Vec<u32>,
    /// 64 KiB blocks in which every sector changes: one block erase each.
    pub block_erases: Vec<u32>,
    /// How many of `sectors` lie in the bootloader region (below 0x11000).
    pub bootloader_sectors: usize,
    /// How many of `sectors` only need erasing (their new content is all 0xFF).
    pub erase_only: usize,
    pub total_sectors: usize,
    /// The status register as found and the value unprotect will write, when it has to.
    pub unprotect: Option<(u16, u16)>,
}

impl SpiPlan {
    /// Compare `image` with `current` (both the whole flash) for the connected `chip`.
    pub fn new(image: &[u8], current: &[u8], chip: &SpiChipInfo) -> Self {
        let sectors = differing_sectors(0, image, current);
        let block_erases = image
            .chunks(BLOCK as usize)
            .enumerate()
            .map(|(i, _)| i as u32 * BLOCK)
            .filter(|&block| {
                sectors
                    .iter()
                    .filter(|&&s| s >= block && s < block + BLOCK)
                    .count()
                    == SECTORS_PER_BLOCK
            })
            .collect();
        let erase_only = sectors
            .iter()
            .filter(|&&s| sector(image, s).iter().all(|&b| b == 0xFF))
            .count();
        let unprotect = chip
            .flash
            .filter(|f| chip.status & f.effective_mask() != 0)
            .map(|f| (chip.status, chip.status & !f.effective_mask()));
        Self {
            bootloader_sectors: sectors.iter().filter(|&&s| s < BOOTLOADER_END).count(),
            erase_only,
            total_sectors: image.len() / SECTOR as usize,
            block_erases,
            sectors,
            unprotect,
        }
    }

    pub fn is_noop(&self) -> bool {
        self.sectors.is_empty()
    }

    /// One line: what is written, erased, kept, and whether the bootloader changes.
    pub fn summary(&self) -> String {
        let mut text = alloc::format!(
            "write {} of {} sectors ({} only erased), keep {}; {} block erases and {} sector erases",
            self.sectors.len(),
            self.total_sectors,
            self.erase_only,
            self.total_sectors - self.sectors.len(),
            self.block_erases.len(),
            self.sectors.len() - self.block_erases.len() * SECTORS_PER_BLOCK
        );
        if self.bootloader_sectors > 0 {
            text.push_str(&alloc::format!(
                "; the bootloader (0x000000..0x{BOOTLOADER_END:06X}) changes in {} sectors",
                self.bootloader_sectors
            ));
        }
        if let Some((found, cleared)) = self.unprotect {
            text.push_str(&alloc::format!(
                "; status register 0x{found:02X} -> 0x{cleared:02X} (unprotect)"
            ));
        }
        text
    }

    /// Whether `addr`'s 64 KiB block is erased whole.
    pub fn block_erased(&self, addr: u32) -> bool {
        self.block_erases.contains(&(addr - addr % BLOCK))
    }
}

/// The 4 KiB of `bytes` at sector address `addr`.
pub fn sector(bytes: &[u8], addr: u32) -> &[u8] {
    &bytes[addr as usize..(addr + SECTOR) as usize]
}
