//! The three kinds of 4 KiB KV sector after decryption: key sector, "protected" decoy, data block
//! (dump-analysis.md §2.3). Each test checks the magic and the byte sum, never the magic alone.

use super::crypto::Ecb;
use crate::analyze::bytes::{byte_sum, is_erased, le16, le32};
use alloc::vec::Vec;

pub const SECTOR: usize = 0x1000;
pub const PAGE: usize = 128;
pub const PAGES: usize = SECTOR / PAGE;
/// Key and protected sectors share this magic; only the sum tells them apart.
pub const MAGIC_KEY: u32 = 0x1357_9753;
/// 0x98761234 in every dump seen; Easy Flasher also accepts the "OS3" 0x135726AB.
pub const DATA_MAGICS: [u32; 2] = [0x9876_1234, 0x1357_26AB];
/// The header's bitmap must end inside page 0.
const MAX_MAP_SIZE: usize = PAGE - 15;

/// A sector encrypted under the master key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MasterSector {
    /// The key sector: its sum covers the 16-byte inner key only.
    Key([u8; 16]),
    /// The optional protected sector: same magic, but its sum covers bytes 8..4095.
    Protected,
    /// The key magic, but neither sum matches: a damaged key sector.
    BadSum,
}

/// Classify `raw` (one sector as stored) under the master key.
pub fn master_sector(master: &Ecb, raw: &[u8]) -> Option<MasterSector> {
    let mut head = [0u8; 32];
    head.copy_from_slice(raw.get(..32)?);
    master.decrypt(&mut head);
    if le32(&head, 0)? != MAGIC_KEY {
        return None;
    }
    let mut inner = [0u8; 16];
    inner.copy_from_slice(&head[8..24]);
    if le32(&head, 4)? == byte_sum(&inner) {
        return Some(MasterSector::Key(inner));
    }
    let mut plain = raw.get(..SECTOR)?.to_vec();
    master.decrypt(&mut plain);
    Some(if le32(&plain, 4)? == byte_sum(&plain[8..]) {
        MasterSector::Protected
    } else {
        MasterSector::BadSum
    })
}

/// A data sector that passed its magic and sum, decrypted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataBlock {
    /// Offset of the sector in the image.
    pub addr: usize,
    pub id: u16,
    /// Easy Flasher's "generation" (bk7231tools: "unknown"): the highest copy of an ID is current.
    pub generation: u32,
    pub plain: Vec<u8>,
}

/// Why a sector in the storage range is not a data block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotData {
    Erased,
    BadMagic,
    BadSum,
    BadHeader,
}

impl NotData {
    pub fn describe(self) -> &'static str {
        match self {
            NotData::Erased => "erased (all 0xFF)",
            NotData::BadMagic => "not a data block (wrong magic after decryption)",
            NotData::BadSum => "damaged data block (byte sum does not match)",
            NotData::BadHeader => "damaged data block (header bitmap runs past page 0)",
        }
    }
}

/// Decrypt one sector under the data key and check it is a data block.
pub fn data_block(data: &Ecb, addr: usize, raw: &[u8]) -> Result<DataBlock, NotData> {
    if is_erased(raw) {
        return Err(NotData::Erased);
    }
    let mut plain = raw.to_vec();
    data.decrypt(&mut plain);
    let magic = le32(&plain, 0).ok_or(NotData::BadMagic)?;
    if !DATA_MAGICS.contains(&magic) {
        return Err(NotData::BadMagic);
    }
    if le32(&plain, 4) != Some(byte_sum(&plain[8..])) {
        return Err(NotData::BadSum);
    }
    if usize::from(plain[14]) > MAX_MAP_SIZE {
        return Err(NotData::BadHeader);
    }
    Ok(DataBlock {
        addr,
        id: le16(&plain, 8).ok_or(NotData::BadHeader)?,
        generation: le32(&plain, 10).ok_or(NotData::BadHeader)?,
        plain,
    })
}

impl DataBlock {
    /// Bit `page % 8` of bitmap byte `page / 8` marks an index page; bytes past `map_size` read as 0.
    pub fn is_index_page(&self, page: usize) -> bool {
        let map_size = usize::from(self.plain[14]);
        let byte = page / 8;
        byte < map_size && self.plain[15 + byte] & (1 << (page % 8)) != 0
    }

    /// Page `page` (1..31) of the block.
    pub fn page(&self, page: usize) -> &[u8] {
        &self.plain[page * PAGE..(page + 1) * PAGE]
    }
}
