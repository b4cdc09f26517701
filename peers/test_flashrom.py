"""Debian's flashrom as the referee of the SPI path: `bkflash-sim --serprog` serves a serprog programmer
with a BK7231T (EN25QH16B) behind it on a pty; `bkflash spi` gets the chip into SPI flashing mode through
a scripted manual reset, then flashrom identifies, reads and writes it, and `bkflash spi` and flashrom
check each other's writes. Every result is judged byte for byte against the flash the simulator saves.
"""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import cargo_binary

FLASH_SIZE = 0x200000
BOOTLOADER_END = 0x11000
# The user "resets" the simulated chip this long after the programmer's first byte, and again until
# it is in SPI mode (bkflash-sim --spi-reset-every).
RESET_EVERY_MS = "700"
# Only stops a hung run; not a timing assertion.
TOOL_TIMEOUT_S = 300
EXIT_REFUSED = 2


def crc16_cms(data: bytes) -> int:
    """CRC-16/CMS of a Beken 34-byte block's 32 data bytes (docs/formats.md §2.1)."""
    reg = 0xFFFF
    for byte in data:
        reg ^= byte << 8
        for _ in range(8):
            reg = ((reg << 1) ^ 0x8005) & 0xFFFF if reg & 0x8000 else (reg << 1) & 0xFFFF
    return reg


def raw_flash(seed: int) -> bytearray:
    """A whole 2 MiB flash in raw on-flash form: a CRC-packed bootloader region, noise after it."""
    rng = random.Random(seed)
    image = bytearray(rng.randbytes(FLASH_SIZE))
    for at in range(0, BOOTLOADER_END, 34):
        image[at + 32:at + 34] = crc16_cms(image[at:at + 32]).to_bytes(2, "big")
    return image


def with_changes(image: bytes, seed: int) -> bytes:
    """`image` with a new first bootloader sector (still CRC-packed) and two app sectors changed."""
    rng = random.Random(seed)
    changed = bytearray(image)
    for at in range(0, 0x1000 - 34, 34):
        block = rng.randbytes(32)
        changed[at:at + 34] = block + crc16_cms(block).to_bytes(2, "big")
    for at in (0x30000, 0x1FF000):
        changed[at:at + 0x1000] = rng.randbytes(0x1000)
    return bytes(changed)


@pytest.fixture(scope="session")
def flashrom() -> str:
    path = shutil.which("flashrom")
    if path is None:
        pytest.fail("flashrom is not installed: run bash scripts/bootstrap.sh --test (Debian package flashrom)")
    return path


@pytest.fixture(scope="session")
def bkflash_binary() -> Path:
    return cargo_binary("bkflash-cli", "bkflash", "BKFLASH_BIN")


def run(*command, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TOOL_TIMEOUT_S,
    )


def ok(done: subprocess.CompletedProcess) -> str:
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{done.args[0]} exited {done.returncode}:\n{output}"
    return output


@pytest.fixture
def spi_chip(start_sim, bkflash_binary, tmp_path):
    """A served serprog programmer whose BK7231T holds `raw_flash(1)`, put into SPI mode by `bkflash spi info`."""
    pristine = raw_flash(1)
    flash_in = tmp_path / "pristine.bin"
    flash_in.write_bytes(pristine)
    sim = start_sim(
        "bk7231t", "--serprog", "pico-serprog", "--spi-reset-every", RESET_EVERY_MS, "--flash-in", str(flash_in),
    )
    entered = run(bkflash_binary, "spi", "info", "--json", "--port", sim.link, cwd=tmp_path)
    ok(entered)
    info = json.loads(entered.stdout)
    assert (info["entry"], info["jedec"], info["part"], info["flash_size"]) == (
        "manual", "1c7015", "EN25QH16B", FLASH_SIZE,
    ), info
    assert info["variant"] == {"handshake_bytes": 250, "clock_hz": 1000000, "cen_low_ms": 100}, info
    return sim, bytes(pristine)


def test_flashrom_identifies_reads_and_writes_the_chip_bkflash_put_in_spi_mode(
    spi_chip, flashrom, bkflash_binary, tmp_path
):
    sim, pristine = spi_chip
    programmer = f"serprog:dev={sim.link}:115200"

    identify = ok(run(flashrom, "-p", programmer, cwd=tmp_path))
    assert 'Programmer name is "pico-serprog"' in identify, identify
    assert 'Found Eon flash chip "EN25QH16" (2048 kB, SPI) on serprog.' in identify, identify

    read = tmp_path / "flashrom-read.bin"
    ok(run(flashrom, "-p", programmer, "-r", read, cwd=tmp_path))
    assert read.read_bytes() == pristine, "flashrom reads the raw flash byte for byte"

    new = with_changes(pristine, 2)
    image = tmp_path / "new.bin"
    image.write_bytes(new)
    written = ok(run(flashrom, "-p", programmer, "-w", image, cwd=tmp_path))
    assert "VERIFIED" in written, written

    ok(run(bkflash_binary, "spi", "verify", image, "--port", sim.link, cwd=tmp_path))
    assert sim.stop() == new, "the simulator's flash is what flashrom wrote, byte for byte"


def test_flashrom_verifies_what_bkflash_spi_wrote(spi_chip, flashrom, bkflash_binary, tmp_path):
    sim, pristine = spi_chip
    new = with_changes(pristine, 3)
    image = tmp_path / "new.bin"
    image.write_bytes(new)
    backups = tmp_path / "backups"
    done = ok(run(
        bkflash_binary, "spi", "write", image, "--yes", "--backup-dir", backups, "--port", sim.link, cwd=tmp_path,
    ))
    assert "the bootloader (0x000000..0x011000) changes in 1 sectors" in done, done
    assert "write 3 of 512 sectors" in done, done
    [backup] = backups.iterdir()
    assert backup.read_bytes() == pristine, "the backup taken first is the flash before the write"

    verified = ok(run(flashrom, "-p", f"serprog:dev={sim.link}:115200", "-v", image, cwd=tmp_path))
    assert "VERIFIED" in verified, verified
    assert sim.stop() == new


def test_spi_write_refuses_an_image_that_is_not_the_whole_flash(bkflash_binary, tmp_path):
    partial = tmp_path / "bootloader-only.bin"
    partial.write_bytes(bytes(raw_flash(4)[:BOOTLOADER_END]))
    done = run(bkflash_binary, "spi", "write", partial, "--yes", "--port", tmp_path / "no-port", cwd=tmp_path)
    assert done.returncode == EXIT_REFUSED, done.stderr
    assert "not a flash size" in done.stderr and "bkflash spi write failed" in done.stderr, done.stderr
