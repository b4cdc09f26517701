"""Building blocks of a synthetic Tuya BK7231T/N flash image, written from the project's reference
(docs/dump-analysis.md §6.1, docs/formats.md §2): CRC16 framing, RBL headers, the app scrambler,
RF calibration TLV, the encrypted Tuya KV storage and the OpenBeken config sector.

This is an independent encoder: bkflash's Rust decoder is tested against what it builds, and
bk7231tools' own `dissect_dump` judges both.
"""

import struct
import zlib

from Crypto.Cipher import AES

SECTOR = 0x1000
PAGE = 128

# --- CRC16 framing (formats.md §2.2) -------------------------------------------------------------


def crc16_cms(data: bytes) -> int:
    reg = 0xFFFF
    for byte in data:
        reg ^= byte << 8
        for _ in range(8):
            reg = ((reg << 1) ^ 0x8005) if reg & 0x8000 else (reg << 1)
            reg &= 0xFFFF
    return reg


def add_crc(logical: bytes) -> bytes:
    """32 data bytes + big-endian CRC16 per block; `logical` must be a multiple of 32 bytes."""
    assert len(logical) % 32 == 0
    out = bytearray()
    for i in range(0, len(logical), 32):
        block = logical[i : i + 32]
        out += block + struct.pack(">H", crc16_cms(block))
    return bytes(out)


def to_physical(logical: int) -> int:
    return logical + logical // 32 * 2


# --- RBL header (formats.md §2.4) ----------------------------------------------------------------


def fnv1a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def rbl_header(name: str, version: str, payload: bytes, timestamp: int = 1700000000) -> bytes:
    head = struct.pack(
        "<4sII16s24s24sIIII",
        b"RBL\0",
        0,
        timestamp,
        name.encode(),
        version.encode(),
        b"0" * 23,
        zlib.crc32(payload),
        fnv1a(payload),
        len(payload),
        len(payload),
    )
    return head + struct.pack("<I", zlib.crc32(head))


# --- The code scrambler (formats.md §2.3) ---------------------------------------------------------

TUYA_DEFAULT_KEY = (0x510FB093, 0xA3CBEADC, 0x5993A17E, 0xC7ADEB03)


def _bswap16(x: int) -> int:
    return ((x & 0xFF) << 8) | (x >> 8)


def keystream(key, addr: int) -> int:
    c0, c1, c2, c3 = key
    if (c3 >> 24) in (0x00, 0xFF) or c3 & 0xF == 0xF:
        return 0
    pn15 = pn16 = pn32 = 0
    if c3 & 1 == 0:
        sel = (c3 >> 5) & 3
        hi, lo = addr >> 16 & 0xFFFF, addr & 0xFFFF
        if sel & 2:
            hi = _bswap16(hi)
        if sel & 1:
            lo = _bswap16(lo)
        x = (hi ^ lo ^ (c1 >> 16)) & 0xFFFF
        pn15 = ((((x & 0x7F) << 9) | ((x >> 7) & 0x1FF)) ^ (0x6371 & (((x >> 5) & 0xF) * 0x1111))) & 0xFFFF
    if c3 & 2 == 0:
        sel = (c3 >> 8) & 3
        x = ((addr >> sel) & 0x1FFFF) ^ ((((c1 >> 8) & 0xFF) << 9) | (((c3 >> 4) & 1) << 8) | (c1 & 0xFF))
        bit = lambda n: (x >> n) & 1  # noqa: E731
        b = bit(13) | bit(9) << 1 | bit(5) << 2 | bit(1) << 3
        pn16 = ((((x & 0x3FF) << 7) | ((x >> 10) & 0x7F)) ^ (0x13659 & ((bit(4) << 16) | b * 0x1111))) & 0xFFFF
    if c3 & 4 == 0:
        sel = (c3 >> 11) & 3
        shift = 8 * sel
        y = ((addr >> shift) | (addr << (32 - shift))) & 0xFFFFFFFF if shift else addr
        x = y ^ c0
        pn32 = ((((x & 0x7FFF) << 17) | ((x >> 15) & 0x1FFFF)) ^ (0xE519A4F1 & (((x >> 2) & 0xF) * 0x11111111))) & 0xFFFFFFFF
    rand = c2 if c3 & 8 == 0 else 0
    return pn32 ^ ((pn15 << 16) | pn16) ^ rand


def scramble(data: bytes, base: int, key=TUYA_DEFAULT_KEY) -> bytes:
    out = bytearray(data)
    for i in range(0, len(out) - 3, 4):
        word = struct.unpack_from("<I", out, i)[0] ^ keystream(key, base + i)
        struct.pack_into("<I", out, i, word)
    return bytes(out)


# --- CRC-32 forging, so the first 256/257 bytes carry a known bootloader's CRC ------------------


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else (c >> 1)
        table.append(c)
    return table


CRC_TABLE = _crc_table()
CRC_TOP = {entry >> 24: i for i, entry in enumerate(CRC_TABLE)}


def forge_crc32(data: bytearray, at: int, target: int) -> None:
    """Overwrite data[at:at+4] so that zlib.crc32(data) == target."""
    reg = 0xFFFFFFFF
    for byte in data[:at]:
        reg = CRC_TABLE[(reg ^ byte) & 0xFF] ^ (reg >> 8)
    # Run the register back from the wanted final value to just after the forged bytes.
    want = target ^ 0xFFFFFFFF
    for byte in reversed(data[at + 4 :]):
        index = CRC_TOP[want >> 24]
        want = (((want ^ CRC_TABLE[index]) << 8) | (index ^ byte)) & 0xFFFFFFFF
    # The table indices of the four forged steps follow from the top bytes alone.
    indices = []
    for _ in range(4):
        index = CRC_TOP[want >> 24]
        indices.append(index)
        want = ((want ^ CRC_TABLE[index]) << 8) & 0xFFFFFFFF
    for k, index in enumerate(reversed(indices)):
        data[at + k] = (reg ^ index) & 0xFF
        reg = CRC_TABLE[index] ^ (reg >> 8)
    assert zlib.crc32(bytes(data)) == target, "CRC forging failed"


# --- Tuya KV storage (dump-analysis.md §2) -------------------------------------------------------

MASTER_KEY = b"qwertyuiopasdfgh"
MAGIC_KEY = 0x13579753
MAGIC_DATA = 0x98761234


def data_key(inner: bytes) -> bytes:
    p1, p2 = b"8710", b"HHRRQbyemofrtytf"
    return bytes((p1[i & 3] + p2[i] + inner[i]) & 0xFF for i in range(16))


def ecb(key: bytes, data: bytes) -> bytes:
    return AES.new(key, AES.MODE_ECB).encrypt(data)


def key_sector(inner: bytes, key_sum=None) -> bytes:
    plain = struct.pack("<II", MAGIC_KEY, sum(inner) if key_sum is None else key_sum) + inner
    plain += b"\xff" * (SECTOR - len(plain))
    return ecb(MASTER_KEY, plain)


def protected_sector(inner: bytes, entries) -> bytes:
    """The optional decoy: master-key outer layer, data-key inner list of {len, name[32], value}."""
    body = b"".join(struct.pack("<I", len(v)) + name.encode().ljust(32, b"\0") + v for name, v in entries)
    inner_plain = (body + b"\0" * (SECTOR - 32 - len(body)))
    inner_enc = ecb(data_key(inner), inner_plain)
    after_sum = inner + struct.pack("<II", len(body), 0xFFFFFFFF) + inner_enc
    plain = struct.pack("<II", MAGIC_KEY, sum(after_sum) & 0xFFFFFFFF) + after_sum
    assert len(plain) == SECTOR
    return ecb(MASTER_KEY, plain)


class Storage:
    """Keys placed as Tuya does: an index page followed by its data pages, spilling into the next block."""

    def __init__(self, blocks: int = 14):
        self.pages = {b: [None] * 32 for b in range(blocks)}
        self.index_pages = {b: set() for b in range(blocks)}
        self.element = 0x00410000

    def _free_pages(self, block: int):
        return [i for i in range(1, 32) if self.pages[block][i] is None]

    def put(self, name: str, value: bytes, block: int, part_block=None) -> None:
        """Store `value` under `name`; `part_block` rewrites the parts' block ID (a broken index)."""
        index_page = self._free_pages(block)[0]
        self.pages[block][index_page] = b""
        self.index_pages[block].add(index_page)
        chunks = [value[i : i + PAGE].ljust(PAGE, b"\0") for i in range(0, len(value), PAGE)] or [b"\0" * PAGE]
        parts = []
        current = block
        while chunks:
            free = self._free_pages(current)
            if not free:
                current += 1
                continue
            first = last = free[0]
            self.pages[current][first] = chunks.pop(0)
            while chunks and last + 1 < 32 and self.pages[current][last + 1] is None:
                last += 1
                self.pages[current][last] = chunks.pop(0)
            parts.append((current if part_block is None else part_block, first, last))
        self.element += 0x40
        raw_name = name.encode() + b"\0"
        page = struct.pack("<IIHBHIB", sum(value) & 0xFFFFFFFF, len(value), block, index_page, len(parts), self.element, len(raw_name))
        page += raw_name + b"".join(struct.pack("<HBB", *p) for p in parts)
        assert len(page) <= PAGE
        self.pages[block][index_page] = page.ljust(PAGE, b"\xff")

    def block_plain(self, block: int, generation: int) -> bytes:
        bitmap = sum(1 << i for i in self.index_pages[block])
        body = b"".join(page if page is not None else b"\xff" * PAGE for page in self.pages[block][1:])
        header = (struct.pack("<HIB", block, generation, 4) + struct.pack("<I", bitmap)).ljust(PAGE - 8, b"\xff")
        after_sum = header + body
        return struct.pack("<II", MAGIC_DATA, sum(after_sum) & 0xFFFFFFFF) + after_sum

    def sector(self, block: int, generation: int, inner: bytes) -> bytes:
        return ecb(data_key(inner), self.block_plain(block, generation))


# --- OpenBeken config (OpenBeken src/new_pins.h, dump-analysis.md §1.6) ---------------------------


def tiny_crc8_signed(data: bytes) -> int:
    def sar(v):
        return ((v >> 1) | (v & 0x80)) & 0xFF

    crc = 0
    for byte in data:
        extract = byte
        for _ in range(8):
            s = (crc ^ extract) & 1
            crc = sar(crc)
            if s:
                crc ^= 0x8C
            extract = sar(extract)
    return crc


ROLES = {"Rel": 1, "Btn": 3, "LED": 5, "LED_n": 6, "WifiLED_n": 9, "PWM": 7}


def obk_config(version: int, ssid: str, pins: dict, name: str) -> bytes:
    raw = bytearray(3584)
    raw[0:3] = b"CFG"
    struct.pack_into("<i", raw, 4, version)
    struct.pack_into("<I", raw, 8, 1 << 10)
    raw[0x14 : 0x14 + len(ssid)] = ssid.encode()
    struct.pack_into("<i", raw, 0x294, 1883)
    raw[0x2DE : 0x2DE + len(name)] = name.encode()
    for gpio, (role, channel) in pins.items():
        raw[0x33E + gpio] = ROLES[role]
        raw[0x35E + gpio] = channel
    raw[3] = tiny_crc8_signed(bytes(raw[4:]))
    return bytes(raw) + b"\xff" * (SECTOR - len(raw))
