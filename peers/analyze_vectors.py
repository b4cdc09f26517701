"""Shared helpers for the dump-analysis peer tests: the generated vectors (testdata/dumps) and a
built `bkflash` that analyses them."""

import gzip
import json
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, cargo_binary

DUMPS = REPO / "testdata" / "dumps"
EXPECTED = json.loads((DUMPS / "expected.json").read_text())
# Only stops a hung run; not a timing assertion.
TIMEOUT_S = 120


@pytest.fixture(scope="session")
def bkflash_bin() -> Path:
    return cargo_binary("bkflash-cli", "bkflash", "BKFLASH_BIN")


def unpack(name: str, folder: Path) -> Path:
    """Write vector `name` decompressed into `folder` and return its path."""
    path = folder / f"{name}.bin"
    path.write_bytes(gzip.decompress((DUMPS / f"{name}.bin.gz").read_bytes()))
    return path


def analyze(bkflash_bin: Path, path: Path, *extra: str) -> dict:
    """`bkflash --json analyze PATH` as a dict (secrets shown, so values can be compared)."""
    done = subprocess.run(
        [str(bkflash_bin), "--json", "analyze", str(path), "--show-secrets", *extra],
        capture_output=True, text=True, timeout=TIMEOUT_S,
    )
    assert done.stdout, f"bkflash analyze printed nothing (exit {done.returncode}): {done.stderr}"
    return json.loads(done.stdout)
