//! LibreTiny package partitions: the FAL_PTABLE tag and the stateful OTA_PART_INFO tag (docs/formats.md §1.5).
//! Decodes which partition each image targets for the UART flasher's scheme, FLASHER_SINGLE.

use super::refusal::{Refusal, RefusalKind as K};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// FLASHER_SINGLE is scheme 3: the low nibble of byte 1 in the packed scheme nibbles.
pub(crate) const FLASHER_SINGLE_BYTE: usize = 1;
const SCHEME_COUNT: usize = 6;
const FAL_ENTRY: usize = 48;
const FAL_MAGIC: u32 = 0x4550_3130;

/// One FAL_PTABLE entry: an absolute flash range with a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    pub name: String,
    pub offset: u32,
    pub length: u32,
}

/// A NUL-padded tag or table field as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// Up to 4 little-endian bytes as a number (short values are zero-extended).
pub(crate) fn le_u32(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    let n = bytes.len().min(4);
    word[..n].copy_from_slice(&bytes[..n]);
    u32::from_le_bytes(word)
}

/// The partition table as one line, e.g. `app 0x011000+0x121000, download 0x132000+0xA6000`.
pub(crate) fn describe_partitions(partitions: &[Partition]) -> String {
    let parts: Vec<String> = partitions
        .iter()
        .map(|p| format!("{} 0x{:06X}+0x{:X}", p.name, p.offset, p.length))
        .collect();
    parts.join(", ")
}

pub(crate) fn parse_fal(table: &[u8]) -> Result<Vec<Partition>, Refusal> {
    if table.is_empty() || !table.len().is_multiple_of(FAL_ENTRY) {
        return Err(Refusal::new(
            K::BadPartitionTable,
            format!(
                "the FAL_PTABLE tag is {} bytes long, not a whole number of 48-byte entries",
                table.len()
            ),
        ));
    }
    table
        .chunks_exact(FAL_ENTRY)
        .enumerate()
        .map(|(i, entry)| {
            let name = text(&entry[4..20]);
            if le_u32(&entry[0..4]) != FAL_MAGIC || name.is_empty() {
                return Err(Refusal::new(
                    K::BadPartitionTable,
                    format!("FAL_PTABLE entry {i} is malformed"),
                ));
            }
            Ok(Partition {
                name,
                offset: le_u32(&entry[36..40]),
                length: le_u32(&entry[40..44]),
            })
        })
        .collect()
}

/// Decode OTA_PART_INFO and return the FLASHER_SINGLE partition, `None` when the image is not for it.
pub(crate) fn flasher_target<'p>(
    block: usize,
    info: &[u8],
    partitions: &'p [Partition],
) -> Result<Option<&'p Partition>, Refusal> {
    let bad = |why: &str| {
        Refusal::new(
            K::BadPartInfo,
            format!("UF2 block {block} has a malformed OTA_PART_INFO tag ({why})"),
        )
    };
    if info.len() < 3 {
        return Err(bad("shorter than 3 bytes"));
    }
    let mut names: Vec<&[u8]> = info[3..].split(|&b| b == 0).collect();
    if names.last().is_some_and(|name| name.is_empty()) {
        names.pop();
    }
    let index_of = |scheme: usize| {
        let byte = info[scheme / 2];
        (if scheme.is_multiple_of(2) {
            byte >> 4
        } else {
            byte & 0x0F
        }) as usize
    };
    for scheme in 0..SCHEME_COUNT {
        let index = index_of(scheme);
        if index > SCHEME_COUNT || index > names.len() {
            return Err(bad("partition index out of range"));
        }
        if index > 0 && names[index - 1].is_empty() {
            return Err(bad("empty partition name"));
        }
    }
    let index = index_of(2 * FLASHER_SINGLE_BYTE + 1);
    if index == 0 {
        return Ok(None);
    }
    let name = text(names[index - 1]);
    match partitions.iter().find(|p| p.name == name) {
        Some(partition) => Ok(Some(partition)),
        None => Err(Refusal::new(
            K::UnknownPartition,
            format!("UF2 block {block} targets partition '{name}', which is not in the FAL_PTABLE"),
        )),
    }
}
