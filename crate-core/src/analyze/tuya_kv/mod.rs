//! Tuya's encrypted key-value storage: find the key sector anywhere in the image, read every data
//! and swap sector after it, keep the highest generation of each block, and never abort on one bad sector.

pub mod crypto;
pub mod index;
pub mod sectors;
pub mod tuya_json;
pub mod value;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use crypto::{Ecb, MASTER_KEY, data_key};
use index::{IndexPage, index_page, read_value, sum_matches};
use sectors::{DataBlock, MasterSector, NotData, PAGES, SECTOR, data_block, master_sector};

/// Key sector + 14 data sectors + 3 swap sectors (dump-analysis.md §1.1).
const STORAGE_SPAN: usize = 0x12000;
/// bk7231tools reads only this much from the key sector on (dump-analysis.md §1.4).
const BK7231TOOLS_WINDOW: usize = 0x8000;
/// AES(master key, 16 x 0xFF): bytes 32..47 of a key sector, bk7231tools' search pattern.
const KEY_SECTOR_PATTERN: [u8; 16] = [
    0x46, 0xdc, 0xed, 0x0e, 0x67, 0x2f, 0x3b, 0x70, 0xae, 0x12, 0x76, 0xa3, 0xf8, 0x71, 0x2e, 0x03,
];

/// What one sector after the key sector turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectorUse {
    /// The current copy of a block.
    Current {
        id: u16,
        generation: u32,
    },
    /// An older copy of a block whose current copy is elsewhere.
    Replaced {
        id: u16,
        generation: u32,
        by: usize,
    },
    Skipped(NotData),
}

/// One key of the storage with its raw value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub block: u16,
    /// Image offset of its index page.
    pub index_at: usize,
    pub value: Vec<u8>,
    /// The value's byte sum matches the index page.
    pub sum_ok: bool,
    /// bk7231tools would read the same value (every sector involved is the one it picks in its window).
    pub bk7231tools_sees: bool,
}

/// The storage as read from one key sector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Storage {
    pub key_sector: usize,
    /// Other sectors that decrypt under the master key with the key magic but are not key sectors.
    pub protected: Vec<usize>,
    /// Other valid key sectors (another storage copy); only the one with most data blocks is read.
    pub other_key_sectors: Vec<usize>,
    /// Every sector from the key sector + 0x1000 to the end of the storage span (or of the image).
    pub sectors: Vec<(usize, SectorUse)>,
    pub entries: Vec<Entry>,
    /// Keys that could not be read, and why.
    pub problems: Vec<String>,
    /// bk7231tools would stop with an error on this storage (a bad sector or page in its window).
    pub bk7231tools_fails: bool,
}

/// Find and read the storage. Without a key sector, the error lists the sectors that carry the
/// key magic but fail both sums (a damaged key sector), possibly none.
pub fn read(image: &[u8]) -> Result<Storage, Vec<usize>> {
    let master = Ecb::new(&MASTER_KEY);
    let mut keys = Vec::new();
    let mut protected = Vec::new();
    let mut damaged = Vec::new();
    for at in key_sector_candidates(image) {
        match master_sector(&master, &image[at..]) {
            Some(MasterSector::Key(inner)) => keys.push((at, inner)),
            Some(MasterSector::Protected) => protected.push(at),
            Some(MasterSector::BadSum) => damaged.push(at),
            None => {}
        }
    }
    let mut best: Option<Storage> = None;
    for &(at, inner) in &keys {
        let storage = read_from(image, at, &inner);
        if best
            .as_ref()
            .is_none_or(|b| count_blocks(&storage) > count_blocks(b))
        {
            best = Some(storage);
        }
    }
    let Some(mut storage) = best else {
        return Err(damaged);
    };
    storage.protected = protected;
    storage.other_key_sectors = keys
        .iter()
        .map(|k| k.0)
        .filter(|&a| a != storage.key_sector)
        .collect();
    Ok(storage)
}

/// Sector-aligned offsets, plus bk7231tools' pattern hits (minus 32) for images not aligned to sectors.
fn key_sector_candidates(image: &[u8]) -> Vec<usize> {
    let mut found: Vec<usize> = (0..image.len().saturating_sub(SECTOR - 1))
        .step_by(SECTOR)
        .collect();
    let unaligned = (32..image.len().saturating_sub(SECTOR - 32)).filter(|&at| {
        at % SECTOR != 32
            && image[at] == KEY_SECTOR_PATTERN[0]
            && image[at..at + 16] == KEY_SECTOR_PATTERN
    });
    found.extend(unaligned.map(|at| at - 32));
    found
}

fn count_blocks(storage: &Storage) -> usize {
    storage
        .sectors
        .iter()
        .filter(|(_, u)| !matches!(u, SectorUse::Skipped(_)))
        .count()
}

fn read_from(image: &[u8], key_at: usize, inner: &[u8; 16]) -> Storage {
    let cipher = Ecb::new(&data_key(inner));
    let end = image.len().min(key_at + STORAGE_SPAN);
    let mut valid = Vec::new();
    let mut sectors = Vec::new();
    for at in (key_at + SECTOR..end)
        .step_by(SECTOR)
        .filter(|at| at + SECTOR <= end)
    {
        match data_block(&cipher, at, &image[at..at + SECTOR]) {
            Ok(block) => valid.push(block),
            Err(why) => sectors.push((at, SectorUse::Skipped(why))),
        }
    }
    let current = current_blocks(&valid);
    for block in &valid {
        let best = current[&block.id];
        let usage = if best.addr == block.addr {
            SectorUse::Current {
                id: block.id,
                generation: block.generation,
            }
        } else {
            SectorUse::Replaced {
                id: block.id,
                generation: block.generation,
                by: best.addr,
            }
        };
        sectors.push((block.addr, usage));
    }
    crate::analyze::order::sort_by_key(&mut sectors, |s| s.0);
    let window_end = key_at + BK7231TOOLS_WINDOW;
    let bk_choice = bk7231tools_blocks(&valid, window_end);
    let bk7231tools_fails = sectors
        .iter()
        .any(|(at, usage)| *at < window_end && matches!(usage, SectorUse::Skipped(_)));
    let (entries, problems) = read_entries(&current, &bk_choice);
    Storage {
        key_sector: key_at,
        protected: Vec::new(),
        other_key_sectors: Vec::new(),
        sectors,
        entries,
        problems,
        bk7231tools_fails,
    }
}

/// For each block ID the copy with the highest generation; on a tie the lower address.
fn current_blocks(valid: &[DataBlock]) -> BTreeMap<u16, &DataBlock> {
    let mut current: BTreeMap<u16, &DataBlock> = BTreeMap::new();
    for block in valid {
        let better = current
            .get(&block.id)
            .is_none_or(|best| block.generation > best.generation);
        if better {
            current.insert(block.id, block);
        }
    }
    current
}

/// What bk7231tools keeps: the first copy of each ID inside its window.
fn bk7231tools_blocks(valid: &[DataBlock], window_end: usize) -> BTreeMap<u16, usize> {
    let mut first = BTreeMap::new();
    for block in valid.iter().filter(|b| b.addr + SECTOR <= window_end) {
        first.entry(block.id).or_insert(block.addr);
    }
    first
}

fn read_entries(
    current: &BTreeMap<u16, &DataBlock>,
    bk_choice: &BTreeMap<u16, usize>,
) -> (Vec<Entry>, Vec<String>) {
    let mut by_address: Vec<&DataBlock> = current.values().copied().collect();
    crate::analyze::order::sort_by_key(&mut by_address, |b| b.addr);
    let mut entries: Vec<Entry> = Vec::new();
    let mut problems = Vec::new();
    for block in by_address {
        for page in (1..PAGES).filter(|&p| block.is_index_page(p)) {
            let index = match index_page(block, page) {
                Ok(index) => index,
                Err(why) => {
                    problems.push(why);
                    continue;
                }
            };
            if let Some(first) = entries.iter().find(|e| e.name == index.name) {
                problems.push(format!(
                    "key '{}' has a second index page in block {}; the one in block {} is kept",
                    index.name, block.id, first.block
                ));
                continue;
            }
            match read_value(&index, current) {
                Ok(value) => entries.push(entry(block, page, &index, value, current, bk_choice)),
                Err(why) => problems.push(format!("key '{}' cannot be read: {why}", index.name)),
            }
        }
    }
    (entries, problems)
}

fn entry(
    block: &DataBlock,
    page: usize,
    index: &IndexPage,
    value: Vec<u8>,
    current: &BTreeMap<u16, &DataBlock>,
    bk_choice: &BTreeMap<u16, usize>,
) -> Entry {
    let same_as_bk = |id: u16| {
        bk_choice
            .get(&id)
            .is_some_and(|&addr| current.get(&id).is_some_and(|b| b.addr == addr))
    };
    Entry {
        name: index.name.clone(),
        block: block.id,
        index_at: block.addr + page * sectors::PAGE,
        sum_ok: sum_matches(index, &value),
        value,
        bk7231tools_sees: same_as_bk(block.id) && index.parts.iter().all(|p| same_as_bk(p.block)),
    }
}
