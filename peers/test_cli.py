"""The `bkflash` CLI end to end against `bkflash-sim` on a pty, for both chip classes.

Each test starts a simulator (fixtures from conftest.py), runs the built `bkflash` binary as a user
would (stdin not a terminal, so `--yes` is needed), and judges the result by the flash the simulator
saves on SIGTERM: it must equal the flash before the job with exactly the planned bytes changed.
"""

import hashlib
import json
import os
import pty
import random
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, cargo_binary

APP_START = 0x11000
# Only stops a hung run; not a timing assertion.
CLI_TIMEOUT_S = 300

CHIPS = {"bk7231n": ("BK7231N", "rom"), "bk7231t": ("BK7231T", "legacy")}
UF2_FOR = {"bk7231n": "bk7231n_cb2s.uf2", "bk7231t": "bk7231t_wb2s.uf2"}
# The CLI's default work rate per chip: LibreTiny's upload rates (field-audit D1).
DEFAULT_BAUD = {"bk7231n": 460800, "bk7231t": 921600}
EXIT_REFUSED = 2
EXIT_MISMATCH = 4


@pytest.fixture(scope="session")
def bkflash_binary() -> Path:
    """Build `bkflash` once per session (BKFLASH_BIN names an already built one instead)."""
    return cargo_binary("bkflash-cli", "bkflash", "BKFLASH_BIN")


@pytest.fixture
def bkflash(bkflash_binary, tmp_path):
    """Run bkflash with the given arguments (stdin closed, as in a script); returns the completed process."""

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(bkflash_binary), *map(str, args)],
            cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CLI_TIMEOUT_S,
        )

    return run


def ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, f"bkflash exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def overlay(flash: bytes, offset: int, data: bytes) -> bytes:
    return flash[:offset] + data + flash[offset + len(data):]


@pytest.mark.parametrize("chip", CHIPS)
def test_info_json_reports_the_chip(chip, start_sim, bkflash, pristine_flash):
    sim = start_sim(chip)
    info = json.loads(ok(bkflash("--port", sim.link, "info", "--json")).stdout)
    name, protocol_class = CHIPS[chip]
    assert (info["chip"], info["class"], info["flash_size"]) == (name, protocol_class, 0x200000)
    assert info["baud"] == DEFAULT_BAUD[chip], "the chip's default work rate, and the simulator follows the switch"
    assert sim.stop() == pristine_flash[chip], "info only reads"


@pytest.mark.parametrize("chip", CHIPS)
def test_write_uf2_backs_up_then_writes_exactly_the_planned_regions(chip, start_sim, bkflash, pristine_flash, tmp_path):
    uf2 = REPO / "testdata" / UF2_FOR[chip]
    regions = json.loads(ok(bkflash("inspect", uf2, "--json")).stdout)["regions"]
    sim = start_sim(chip)
    backups = tmp_path / "backups"
    done = ok(bkflash("--port", sim.link, "--chip", chip, "write", uf2, "--yes", "--backup-dir", backups))
    assert "plan for the" in done.stdout and "verified by CRC" in done.stdout

    expected = pristine_flash[chip]
    for index, region in enumerate(regions):
        out = tmp_path / f"region-{index}.bin"
        ok(bkflash("--port", sim.link, "read", "--start", hex(region["offset"]), "--length", region["length"], "-o", out))
        data = out.read_bytes()
        assert (len(data), sha256(data)) == (region["length"], region["sha256"]), f"region at {region['offset']:#x}"
        expected = overlay(expected, region["offset"], data)

    [backup] = backups.iterdir()
    assert backup.name.startswith(f"bkflash-backup-{chip}-") and backup.suffix == ".bin"
    assert backup.read_bytes() == pristine_flash[chip], "the backup is the flash before the write"
    assert sim.stop() == expected, "only the file's regions changed"


@pytest.mark.parametrize("chip", CHIPS)
def test_restore_puts_the_backup_back_and_keeps_the_bootloader(chip, start_sim, bkflash, pristine_flash, tmp_path):
    uf2 = REPO / "testdata" / UF2_FOR[chip]
    sim = start_sim(chip)
    backups = tmp_path / "backups"
    ok(bkflash("--port", sim.link, "write", uf2, "--yes", "--backup-dir", backups))
    [backup] = backups.iterdir()
    done = ok(bkflash("--port", sim.link, "restore", backup, "--yes", "--no-backup"))
    assert "the whole range verified by CRC" in done.stdout
    assert sim.stop() == pristine_flash[chip], "the flash is back to what the backup holds"


@pytest.mark.parametrize("chip", CHIPS)
def test_restore_refuses_a_file_that_is_not_a_whole_flash(chip, start_sim, bkflash, pristine_flash, tmp_path):
    (tmp_path / "short.bin").write_bytes(b"\xff" * 0x1000)
    sim = start_sim(chip)
    done = bkflash("--port", sim.link, "restore", "short.bin", "--yes", "--no-backup")
    assert done.returncode == EXIT_REFUSED, done.stderr
    assert sim.stop() == pristine_flash[chip]


@pytest.mark.parametrize("chip", CHIPS)
def test_raw_write_and_read_round_trip_at_the_app_start(chip, start_sim, bkflash, pristine_flash, tmp_path):
    image = random.Random(chip).randbytes(0x10000)
    (tmp_path / "image.bin").write_bytes(image)
    sim = start_sim(chip)
    ok(bkflash("--port", sim.link, "write", "image.bin", "--raw", "--offset", "0x11000", "--yes", "--no-backup"))
    ok(bkflash("--port", sim.link, "read", "--start", "0x11000", "--length", "0x10000", "-o", "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == image
    verified = bkflash("--port", sim.link, "verify", "image.bin", "--raw", "--offset", "0x11000")
    assert ok(verified).stdout.startswith("image.bin: the chip holds all 65536 bytes")
    assert sim.stop() == overlay(pristine_flash[chip], APP_START, image)


@pytest.mark.parametrize("hint", [[], ["--chip", "bk7231t"]], ids=["detected", "hinted"])
def test_raw_write_to_zero_on_the_legacy_class_is_refused_without_touching_the_flash(hint, start_sim, bkflash, pristine_flash, tmp_path):
    (tmp_path / "boot.bin").write_bytes(bytes(0x1000))
    sim = start_sim("bk7231t")
    done = bkflash("--port", sim.link, *hint, "write", "boot.bin", "--raw", "--offset", "0x0", "--yes", "--no-backup")
    assert done.returncode == EXIT_REFUSED, done.stderr
    assert "below 0x11000" in done.stderr and "never writes there" in done.stderr
    assert sim.stop() == pristine_flash["bk7231t"]


def test_verify_lists_differing_sectors_and_exits_4(start_sim, bkflash, pristine_flash):
    sim = start_sim("bk7231n")
    done = bkflash("--port", sim.link, "verify", REPO / "testdata" / UF2_FOR["bk7231n"])
    assert done.returncode == EXIT_MISMATCH, done.stderr
    assert "sectors differ from the file: 0x011000" in done.stderr
    assert sim.stop() == pristine_flash["bk7231n"]


def test_write_without_a_terminal_needs_yes_and_refuses_before_linking(start_sim, bkflash, pristine_flash):
    sim = start_sim("bk7231n")
    done = bkflash("--port", sim.link, "write", REPO / "testdata" / UF2_FOR["bk7231n"])
    assert done.returncode == EXIT_REFUSED
    assert "add --yes" in done.stderr and "linking" not in done.stderr
    assert sim.stop() == pristine_flash["bk7231n"]


def flash_state_runs(stderr: str) -> list[tuple[int, int, str]]:
    """The `0xSTART..0xEND state` lines under `Flash now:` in the error report."""
    runs = []
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith("0x") and ".." in parts[0]:
            start, end = (int(x, 16) for x in parts[0].split(".."))
            runs.append((start, end, " ".join(parts[1:])))
    return runs


def test_a_chip_that_stops_answering_mid_write_gets_a_true_flash_state_report(start_sim, bkflash, pristine_flash, tmp_path):
    image = random.Random("stall").randbytes(0x20000)
    (tmp_path / "image.bin").write_bytes(image)
    # Connecting takes 58 commands (49 of them read the eFuse key) and the write first reads the
    # bootloader region (18 more, its copy); the 100th falls inside the write.
    sim = start_sim("bk7231n", "--fault", "stall:100")
    done = bkflash(
        "--port", sim.link, "--link-timeout", "2", "write", "image.bin", "--raw", "--offset", "0x11000",
        "--yes", "--no-backup", "--no-differential",
    )
    assert done.returncode == 1, done.stderr
    assert "What to do:" in done.stderr and "Flash now:" in done.stderr
    runs = flash_state_runs(done.stderr)
    assert {state.split()[0] for *_, state in runs} >= {"written", "untouched"}, done.stderr
    assert (runs[0][0], runs[-1][1]) == (APP_START, APP_START + len(image))
    flash = sim.stop()
    for start, end, state in runs:
        if state.startswith("written"):
            assert flash[start:end] == image[start - APP_START:end - APP_START], f"{start:#x} claims written"
        elif state.startswith("untouched"):
            assert flash[start:end] == pristine_flash["bk7231n"][start:end], f"{start:#x} claims untouched"


def run_with_terminal_stdin(bkflash_binary, cwd, answer: bytes, *args) -> subprocess.CompletedProcess:
    """Run bkflash with a pty as stdin (so it prompts) and type `answer` into it."""
    master, slave = pty.openpty()
    try:
        os.write(master, answer)
        return subprocess.run(
            [str(bkflash_binary), *map(str, args)], cwd=cwd, stdin=slave, capture_output=True, text=True, timeout=CLI_TIMEOUT_S
        )
    finally:
        os.close(slave)
        os.close(master)


@pytest.mark.parametrize("answer, code", [(b"n\n", 130), (b"y\n", 0)], ids=["declined", "accepted"])
def test_erase_asks_on_a_terminal_and_changes_nothing_unless_told_yes(answer, code, start_sim, bkflash, bkflash_binary, pristine_flash, tmp_path):
    top = 0x1F0000
    data = random.Random("erase").randbytes(0x10000)
    (tmp_path / "data.bin").write_bytes(data)
    sim = start_sim("bk7231n")
    ok(bkflash("--port", sim.link, "write", "data.bin", "--raw", "--offset", hex(top), "--yes", "--no-backup"))
    done = run_with_terminal_stdin(bkflash_binary, tmp_path, answer, "--port", sim.link, "erase", "--start", hex(top), "--length", "0x10000")
    assert done.returncode == code, done.stderr
    assert "Erase 0x1F0000..0x200000 (64 KiB) of the BK7231N? [y/N]" in done.stderr
    kept = b"\xff" * len(data) if code == 0 else data
    assert sim.stop() == overlay(pristine_flash["bk7231n"], top, kept)
