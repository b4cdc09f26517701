//! Strict UF2 block and extension-tag parsing (docs/formats.md §1.1, §1.2, §1.8 rules 1-5 and 9).
//! Stricter than ltchiptool: numBlocks, block sequence, flags and family are checked on every block.

use super::families::{self, Uf2Family};
use super::refusal::{Refusal, RefusalKind as K};
use alloc::format;
use alloc::vec::Vec;

pub const BLOCK_SIZE: usize = 512;
const MAGIC_START0: u32 = 0x0A32_4655;
const MAGIC_START1: u32 = 0x9E5D_5157;
const MAGIC_END: u32 = 0x0AB1_6F30;
const DATA_START: usize = 32;
const DATA_END: usize = 508;
const MD5_AREA: usize = 24;
/// Longest payload the LibreTiny device library accepts in a block that also carries tags.
const MAX_TAGGED_PAYLOAD: usize = 468;

pub(crate) const FLAG_NOT_MAIN_FLASH: u32 = 0x0000_0001;
const FLAG_FILE_CONTAINER: u32 = 0x0000_1000;
const FLAG_FAMILY_ID_PRESENT: u32 = 0x0000_2000;
const FLAG_MD5_PRESENT: u32 = 0x0000_4000;
pub(crate) const FLAG_TAGS_PRESENT: u32 = 0x0000_8000;

/// True when `bytes` starts like a UF2 file (both start magics), whatever its length.
pub fn looks_like_uf2(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && le32(bytes, 0) == MAGIC_START0 && le32(bytes, 4) == MAGIC_START1
}

/// One validated 512-byte block, borrowing the file.
#[derive(Clone, Debug)]
pub struct Block<'a> {
    pub index: usize,
    pub flags: u32,
    /// Offset inside the target partition (LibreTiny), not an absolute flash address.
    pub address: u32,
    pub payload: &'a [u8],
    /// Extension tags, already bounds-checked; empty when the TAGS flag is clear.
    pub tags: Vec<Tag<'a>>,
}

/// One extension tag: 24-bit type and its data bytes (padding excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    pub kind: u32,
    pub data: &'a [u8],
}

impl Block<'_> {
    /// A block whose payload goes to flash: payload present and NOT_MAIN_FLASH clear.
    pub fn is_data(&self) -> bool {
        !self.payload.is_empty() && self.flags & FLAG_NOT_MAIN_FLASH == 0
    }

    pub fn tag(&self, kind: u32) -> Option<&[u8]> {
        self.tags
            .iter()
            .find(|tag| tag.kind == kind)
            .map(|tag| tag.data)
    }
}

/// A whole UF2 file that passed the block-level rules.
#[derive(Clone, Debug)]
pub struct Uf2File<'a> {
    pub family: &'static Uf2Family,
    pub blocks: Vec<Block<'a>>,
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Split `bytes` into blocks and check every block-level rule; the first failure is returned.
pub fn parse(bytes: &[u8]) -> Result<Uf2File<'_>, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::new(K::EmptyFile, "the file is empty"));
    }
    if !bytes.len().is_multiple_of(BLOCK_SIZE) {
        let whole = bytes.len() / BLOCK_SIZE;
        return Err(Refusal::new(
            K::TruncatedMidBlock,
            format!(
                "UF2 is truncated: the file ends {} bytes into block {whole} (its length {} is not a multiple of 512)",
                bytes.len() % BLOCK_SIZE,
                bytes.len()
            ),
        ));
    }
    let count = bytes.len() / BLOCK_SIZE;
    check_frame(0, bytes)?;
    let family = check_family(le32(bytes, 28))?;
    let declared = le32(bytes, 24);
    let mut blocks = Vec::with_capacity(count);
    for (index, raw) in bytes.chunks_exact(BLOCK_SIZE).enumerate() {
        check_frame(index, raw)?;
        blocks.push(parse_block(index, raw, family.id, declared)?);
    }
    if declared as usize != count {
        let what = if (declared as usize) > count {
            "is truncated"
        } else {
            "has extra blocks"
        };
        return Err(Refusal::new(
            K::BlockCountMismatch,
            format!("UF2 {what}: its blocks say {declared} blocks, the file has {count}"),
        ));
    }
    Ok(Uf2File { family, blocks })
}

fn check_family(id: u32) -> Result<&'static Uf2Family, Refusal> {
    match families::lookup(id) {
        Some(row) if row.chip.is_some() => Ok(row),
        Some(row) => Err(Refusal::new(
            K::WrongFamily,
            format!(
                "this UF2 is for {}, not a Beken BK72xx (family 0x{id:08X})",
                row.name
            ),
        )),
        None => Err(Refusal::new(
            K::UnknownFamily,
            format!("this UF2 is for unknown family 0x{id:08X}, not a Beken BK72xx"),
        )),
    }
}

/// Magics and flags: the rules that decide whether the block's header fields can be trusted at all.
fn check_frame(index: usize, raw: &[u8]) -> Result<(), Refusal> {
    if le32(raw, 0) != MAGIC_START0 || le32(raw, 4) != MAGIC_START1 {
        return Err(Refusal::new(
            K::BadMagicStart,
            format!("UF2 block {index} has a bad start magic"),
        ));
    }
    if le32(raw, DATA_END) != MAGIC_END {
        return Err(Refusal::new(
            K::BadMagicEnd,
            format!("UF2 block {index} has a bad end magic"),
        ));
    }
    let flags = le32(raw, 8);
    if flags & FLAG_FILE_CONTAINER != 0 || flags & FLAG_FAMILY_ID_PRESENT == 0 {
        return Err(Refusal::new(
            K::BadFlags,
            format!("UF2 block {index} has flags 0x{flags:08X} (file container, or no family ID)"),
        ));
    }
    Ok(())
}

fn parse_block(index: usize, raw: &[u8], family: u32, declared: u32) -> Result<Block<'_>, Refusal> {
    let flags = le32(raw, 8);
    let block_family = le32(raw, 28);
    if block_family != family {
        return Err(Refusal::new(
            K::MixedFamily,
            format!(
                "UF2 family changes in block {index} (0x{family:08X} before, 0x{block_family:08X} here)"
            ),
        ));
    }
    let block_no = le32(raw, 20);
    if block_no as usize != index {
        return Err(Refusal::new(
            K::OutOfOrder,
            format!("UF2 block number out of sequence at index {index} (found {block_no})"),
        ));
    }
    let block_count = le32(raw, 24);
    if block_count != declared {
        return Err(Refusal::new(
            K::BlockCountMismatch,
            format!("UF2 block {index} says {block_count} blocks but block 0 says {declared}"),
        ));
    }
    let area_end = if flags & FLAG_MD5_PRESENT != 0 {
        DATA_END - MD5_AREA
    } else {
        DATA_END
    };
    let size = le32(raw, 16) as usize;
    let has_tags = flags & FLAG_TAGS_PRESENT != 0;
    let limit = if has_tags {
        MAX_TAGGED_PAYLOAD.min(area_end - DATA_START)
    } else {
        area_end - DATA_START
    };
    if size > limit {
        return Err(Refusal::new(
            K::BadPayloadSize,
            format!(
                "UF2 block {index} declares a payload of {size} bytes (at most {limit} allowed)"
            ),
        ));
    }
    let payload = &raw[DATA_START..DATA_START + size];
    let tags = if has_tags {
        parse_tags(index, &raw[..area_end], DATA_START + size)?
    } else {
        Vec::new()
    };
    Ok(Block {
        index,
        flags,
        address: le32(raw, 12),
        payload,
        tags,
    })
}

/// Walk the tag list from `start` (rounded up to 4) to a zero-length terminator or the area end.
fn parse_tags(index: usize, area: &[u8], start: usize) -> Result<Vec<Tag<'_>>, Refusal> {
    let mut tags = Vec::new();
    let mut at = start.next_multiple_of(4);
    while at + 4 <= area.len() {
        let len = area[at] as usize;
        if len == 0 {
            break;
        }
        if len < 4 || at + len > area.len() {
            return Err(Refusal::new(
                K::BadTag,
                format!(
                    "UF2 block {index} has a tag of length {len} at byte {at} that overruns its tag area"
                ),
            ));
        }
        let kind = u32::from_le_bytes([area[at + 1], area[at + 2], area[at + 3], 0]);
        tags.push(Tag {
            kind,
            data: &area[at + 4..at + len],
        });
        at += len.next_multiple_of(4);
    }
    Ok(tags)
}
