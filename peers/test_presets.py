"""The field-hazard presets of `bkflash-sim` against the peers and the `bkflash` CLI (issue 14).

Where a peer copes with a preset, it must see what field reports show (ltchiptool prints the all-zero
key of a BK7231M, bk7231tools reads JEDEC 00 00 00 from a dead flash, bk7231tools' two-byte status
write locks the BK7238's Puya part as in its PR #29); bkflash must name each case in one sentence
and leave the flash as it found it, or write it correctly.
"""

import json
import random

from test_cli import bkflash, bkflash_binary, ok  # noqa: F401  (pytest fixtures)
from test_peers import bk7231tools_fields, ltchiptool_rows

APP_START = 0x11000
EXIT_FAILED = 1
EXIT_REFUSED = 2


def test_bk7231m_key_is_seen_by_ltchiptool_and_bkflash(start_sim, run_peer, bkflash):
    sim = start_sim("bk7231m")
    rows = ltchiptool_rows(run_peer("ltchiptool", "flash", "info", "bk7231n", "-d", str(sim.link)))
    assert rows["Chip ID"] == "0x7231c"
    assert rows["Encryption Key"] == "00000000 00000000 00000000 00000000"
    info = json.loads(ok(bkflash("--port", sim.link, "info", "--json")).stdout)
    assert (info["chip"], info["efuse_key"]) == ("BK7231M", "00000000 00000000 00000000 00000000")


def test_a_tuya_key_build_is_refused_on_a_bk7231m(start_sim, bkflash):
    from conftest import REPO

    sim = start_sim("bk7231m")
    uf2 = REPO / "testdata" / "bk7231n_cb2s.uf2"
    done = bkflash("--port", sim.link, "write", uf2, "--yes", "--no-backup")
    assert done.returncode == EXIT_REFUSED, done.stdout + done.stderr
    assert "This BK7231M has an all-zero eFuse key" in done.stderr, done.stderr
    assert "OpenBK7231M" in done.stderr


def test_dead_flash_reads_zero_for_bk7231tools_and_stops_bkflash(start_sim, run_peer, bkflash):
    sim = start_sim("dead-flash")
    fields = bk7231tools_fields(run_peer("bk7231tools", "chip_info", "-d", str(sim.link)))
    assert fields["Flash ID"] == "00 00 00", "the bk7231tools #30 log"
    sim.stop()
    sim = start_sim("dead-flash")
    done = bkflash("--port", sim.link, "read", "-o", "dump.bin")
    assert done.returncode == EXIT_FAILED, done.stdout + done.stderr
    assert "flash is not answering" in done.stderr, done.stderr


def test_bk7236_is_refused_not_timed_out(start_sim, bkflash):
    sim = start_sim("bk7236")
    done = bkflash("--port", sim.link, "info")
    assert done.returncode == EXIT_REFUSED, done.stdout + done.stderr
    assert "not supported yet" in done.stderr and "BK7236/BK7258" in done.stderr, done.stderr


def test_bk7238_puya_lock_hits_bk7231tools_but_not_bkflash(start_sim, run_peer, bkflash, tmp_path):
    image = random.Random(14).randbytes(0x2000)
    path = tmp_path / "image.bin"
    path.write_bytes(image)
    sim = start_sim("bk7238")
    info = bk7231tools_fields(run_peer("bk7231tools", "chip_info", "-d", str(sim.link)))
    assert (info["chip"], info["Flash ID"]) == ("BK7238", "85 20 15")
    sim.stop()

    sim = start_sim("bk7238")
    output = run_peer("bk7231tools", "write_flash", "-d", str(sim.link), "-s", hex(APP_START), str(path),
                      expect_ok=False)
    assert "Writing Status Register failed" in output, "bk7231tools PR #29 and #19"
    assert sim.stop()[APP_START:APP_START + len(image)] == b"\xff" * len(image)

    sim = start_sim("bk7238")
    ok(bkflash("--port", sim.link, "write", path, "--raw", "--offset", hex(APP_START), "--yes", "--no-backup"))
    flash = sim.stop()
    assert flash[APP_START:APP_START + len(image)] == image


def test_bk7252_4_mib_is_sized_and_read_right(start_sim, run_peer, bkflash, tmp_path):
    sim = start_sim("bk7252")
    fields = bk7231tools_fields(run_peer("bk7231tools", "chip_info", "-d", str(sim.link)))
    assert (fields["chip"], fields["Flash size"]) == ("BK7252", "0x200000"), "docs/field-audit.md D9: a blank app fools it"
    rows = ltchiptool_rows(run_peer("ltchiptool", "flash", "info", "bk7231t", "-d", str(sim.link)))
    assert rows["Flash Size (detected)"] == "2 MiB", "the same probe in ltchiptool"
    info = json.loads(ok(bkflash("--port", sim.link, "info", "--json")).stdout)
    assert (info["chip"], info["class"], info["flash_size"]) == ("BK7252", "legacy", 0x400000)
    ok(bkflash("--port", sim.link, "read", "--start", "0", "--length", "0x1000", "-o", tmp_path / "boot.bin"))
    flash = sim.stop()
    assert (tmp_path / "boot.bin").read_bytes() == flash[:0x1000], "the bootloader, not a mirror of blank flash"


def test_a_uniform_flash_is_not_saved_as_a_backup(start_sim, bkflash, tmp_path):
    blank = tmp_path / "blank.bin"
    blank.write_bytes(b"\xff" * 0x200000)
    image = tmp_path / "image.bin"
    image.write_bytes(random.Random(15).randbytes(0x1000))
    sim = start_sim("bk7231n", "--flash-in", str(blank))
    info = json.loads(ok(bkflash("--port", sim.link, "info", "--json")).stdout)
    assert info["bootloader_blank"] is True, "a ROM chip links without a bootloader"
    backups = tmp_path / "backups"
    done = bkflash("--port", sim.link, "write", image, "--raw", "--offset", hex(APP_START), "--yes",
                   "--backup-dir", backups)
    assert done.returncode == EXIT_FAILED, done.stdout + done.stderr
    assert "one repeated byte" in done.stderr and "all 2097152 bytes read 0xFF" in done.stderr, done.stderr
    assert not backups.exists() or not any(backups.iterdir()), "no backup file"
    done = bkflash("--port", sim.link, "read", "-o", tmp_path / "dump.bin")
    assert done.returncode == EXIT_FAILED and "one repeated byte" in done.stderr, done.stdout + done.stderr
    assert not (tmp_path / "dump.bin").exists(), "a whole-flash read is a backup too"
    assert sim.stop() == blank.read_bytes(), "nothing written"
