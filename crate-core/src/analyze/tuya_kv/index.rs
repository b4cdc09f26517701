//! Index pages (one per key) and the value they point to: runs of data pages ("parts"), possibly
//! in other blocks, concatenated and cut to the value length (dump-analysis.md §2.3.4).

use super::sectors::{DataBlock, PAGE, PAGES};
use crate::analyze::bytes::{byte_sum, le16, le32};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// One run of data pages, first and last inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub block: u16,
    pub first: u8,
    pub last: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexPage {
    pub name: String,
    /// Byte sum of the value.
    pub sum: u32,
    pub length: u32,
    pub parts: Vec<Part>,
}

const NAME_LEN_AT: usize = 17;
const NAME_AT: usize = 18;

/// Parse page `page` of `block` as an index page; the error says why it is not a valid one.
pub fn index_page(block: &DataBlock, page: usize) -> Result<IndexPage, String> {
    let raw = block.page(page);
    let field = |v: Option<u32>| v.ok_or_else(|| String::from("index page is truncated"));
    let owner = le16(raw, 8).map(u32::from);
    if field(owner)? != u32::from(block.id) || u32::from(raw[10]) != page as u32 {
        return Err(format!(
            "index page {page} of block {} names block {} page {}",
            block.id,
            field(owner)?,
            raw[10]
        ));
    }
    let name_len = usize::from(raw[NAME_LEN_AT]);
    let name_bytes = raw
        .get(NAME_AT..NAME_AT + name_len)
        .filter(|_| name_len > 0)
        .ok_or_else(|| {
            format!(
                "index page {page} of block {}: name length {name_len} does not fit",
                block.id
            )
        })?;
    let name_end = name_bytes
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(name_bytes.len());
    let name = core::str::from_utf8(&name_bytes[..name_end])
        .ok()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            format!(
                "index page {page} of block {}: the key name is not text",
                block.id
            )
        })?;
    let parts_at = NAME_AT + name_len;
    let count = field(le16(raw, 11).map(u32::from))? as usize;
    if count > (PAGE - parts_at) / 4 {
        return Err(format!(
            "key '{name}': {count} parts do not fit in its index page"
        ));
    }
    let parts = (0..count)
        .map(|i| {
            let at = parts_at + 4 * i;
            Part {
                block: u16::from_le_bytes([raw[at], raw[at + 1]]),
                first: raw[at + 2],
                last: raw[at + 3],
            }
        })
        .collect();
    Ok(IndexPage {
        name: String::from(name),
        sum: field(le32(raw, 0))?,
        length: field(le32(raw, 4))?,
        parts,
    })
}

/// The value of `index`, read from the chosen block of each ID; the error says what is missing.
pub fn read_value(
    index: &IndexPage,
    blocks: &BTreeMap<u16, &DataBlock>,
) -> Result<Vec<u8>, String> {
    let mut value = Vec::new();
    for part in &index.parts {
        let block = blocks.get(&part.block).ok_or_else(|| {
            format!(
                "its data is in block {}, which is not in the storage",
                part.block
            )
        })?;
        let (first, last) = (usize::from(part.first), usize::from(part.last));
        if first == 0 || first > last || last >= PAGES {
            return Err(format!(
                "it points to pages {first}..{last} of block {}",
                part.block
            ));
        }
        for page in first..=last {
            if block.is_index_page(page) {
                return Err(format!(
                    "its page {page} of block {} is an index page",
                    part.block
                ));
            }
            value.extend_from_slice(block.page(page));
        }
    }
    let length = index.length as usize;
    if value.len() < length {
        return Err(format!(
            "its parts hold {} bytes but the value is {length} bytes",
            value.len()
        ));
    }
    value.truncate(length);
    Ok(value)
}

/// Whether the value's byte sum matches its index page (bk7231tools does not check it).
pub fn sum_matches(index: &IndexPage, value: &[u8]) -> bool {
    byte_sum(value) == index.sum
}
