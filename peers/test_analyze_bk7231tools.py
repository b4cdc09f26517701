"""bk7231tools' own `dissect_dump` (2.1.2, PyPI) referees bkflash's dump analysis: on every generated
vector it can read, it must extract the same user_param_key and the same value for every key bkflash
says it can see (its 32 KiB window, first copy of each block). Where it stops or crashes, the test
says so and checks bkflash still reads the storage; KVStorage is then asked directly where it can be.
"""

import json
import subprocess
import sys

import pytest
from bk7231tools.analysis.kvstorage import KVStorage

from analyze_vectors import EXPECTED, TIMEOUT_S, analyze, bkflash_bin, unpack  # noqa: F401

FULL = [n for n, e in EXPECTED.items() if not e.get("negative") and not e.get("storage_only")]
READABLE = [n for n in FULL if not EXPECTED[n].get("bk7231tools_fails")]
NEGATIVE = [n for n, e in EXPECTED.items() if e.get("negative")]


def dissect(path, out):
    done = subprocess.run(
        [sys.executable, "-m", "bk7231tools", "dissect_dump", "-e", "-O", str(out), str(path)],
        capture_output=True, text=True, timeout=TIMEOUT_S,
    )
    stem = path.stem
    storage = out / f"{stem}_storage.json"
    upk = out / f"{stem}_user_param_key.json"
    return (
        done,
        json.loads(storage.read_text()) if storage.exists() else None,
        json.loads(upk.read_text()) if upk.exists() else None,
    )


@pytest.mark.parametrize("name", READABLE)
def test_dissect_dump_extracts_the_same_config_and_values(name, bkflash_bin, tmp_path):  # noqa: F811
    path = unpack(name, tmp_path)
    done, theirs, their_upk = dissect(path, tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    ours = analyze(bkflash_bin, path)
    keys = {k["name"]: k for k in ours["storage"]["keys"]}
    for key, entry in keys.items():
        if entry["bk7231tools_sees"]:
            assert theirs.get(key) == entry["value"], f"value of {key}"
        else:
            assert theirs.get(key) != entry["value"], f"bkflash said bk7231tools would not show {key} as it is"
    assert set(theirs) <= set(keys), "bkflash reads every key bk7231tools reads"
    for key in EXPECTED[name].get("beyond_window", []):
        assert not keys[key]["bk7231tools_sees"], f"{key} is beyond bk7231tools' window"
    if their_upk is None:
        assert ours["device"] is None or ours["device"]["config"] == {}, "no user_param_key anywhere"
    else:
        assert ours["device"]["config"] == their_upk
        origin = EXPECTED[name].get("upk_origin", "storage")
        assert ours["device"]["origin"] == origin


def test_dissect_dump_stops_on_an_erased_block_that_bkflash_reads_around(bkflash_bin, tmp_path):  # noqa: F811
    path = unpack("t_erased_blk3", tmp_path)
    done, theirs, _ = dissect(path, tmp_path / "out")
    assert "Couldn't unpack KVStorage" in done.stdout and theirs is None
    ours = analyze(bkflash_bin, path)
    assert ours["storage"]["bk7231tools_fails"]
    plain = analyze(bkflash_bin, unpack("t_plug", tmp_path))
    assert ours["device"]["config"] == plain["device"]["config"]


def test_storage_only_crashes_dissect_dump_but_kvstorage_agrees(bkflash_bin, tmp_path):  # noqa: F811
    path = unpack("storage_only", tmp_path)
    done, _, _ = dissect(path, tmp_path / "out")
    assert done.returncode != 0, "dissect_dump needs a bootloader"
    theirs = KVStorage.decrypt_and_unpack(path.read_bytes(), find=True).read_all_values_parsed()
    ours = analyze(bkflash_bin, path)
    assert {k["name"]: k["value"] for k in ours["storage"]["keys"]} == theirs


# What KVStorage does with each negative vector, next to what bkflash reports.
NEGATIVE_BEHAVIOUR = {
    "neg_key_sum": ("raises", "key sum is wrong"),
    "neg_other_inner_key": ("raises", "no data sector decrypts"),
    "neg_missing_block": ("empty value", None),
    "neg_upk_colon": ("raises", "not Tuya JSON"),
}


@pytest.mark.parametrize("name", NEGATIVE)
def test_negative_vectors(name, bkflash_bin, tmp_path):  # noqa: F811
    path = unpack(name, tmp_path)
    behaviour, note = NEGATIVE_BEHAVIOUR[name]
    ours = analyze(bkflash_bin, path)
    if behaviour == "raises":
        with pytest.raises(Exception):
            KVStorage.decrypt_and_unpack(path.read_bytes(), find=True).read_all_values_parsed()
    else:
        theirs = KVStorage.decrypt_and_unpack(path.read_bytes(), find=True).read_all_values_parsed()
        assert theirs["lost_value"] == "", "bk7231tools warns and returns an empty value"
        assert "lost_value" not in {k["name"] for k in ours["storage"]["keys"]}
        assert any("block 20" in p for p in ours["storage"]["problems"])
    if note:
        assert any(note in n for n in ours["notes"]), ours["notes"]
