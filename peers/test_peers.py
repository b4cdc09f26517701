"""bk7231tools and ltchiptool, unmodified, against bkflash-sim on a pty (docs/protocol.md §11).

Each peer identifies each chip class, writes a random image at 0x11000 and reads it back; the
flash the simulator saves on SIGTERM must hold exactly that image and an untouched rest.
"""

import random

import pytest

APP_START = 0x11000
FLASH_SIZE = 0x200000

# What each peer must report for each chip class (docs/protocol.md §11.3): bk7231tools' summary
# fields, ltchiptool's info table rows.
EXPECTED_INFO = {
    ("bk7231tools", "bk7231n"): {
        "protocol": "FULL", "chip": "BK7231N", "bootloader": "BK7231N_1_0_1", "chip ID": "0x7231c",
        "Flash ID": "eb 60 15", "Flash size": hex(FLASH_SIZE),
    },
    ("bk7231tools", "bk7231t"): {
        "protocol": "BASIC_TUYA", "chip": "BK7231T", "bootloader": "BK7231S_1_0_5", "chip ID": "None",
        "boot version": "BK7231S_1.0.5", "Flash ID": "None", "Flash size": hex(FLASH_SIZE),
    },
    ("ltchiptool", "bk7231n"): {
        "Protocol Type": "FULL", "Chip Type": "BK7231N", "Bootloader Type": "BK7231N 1.0.1", "Chip ID": "0x7231c",
        "Flash ID": "EB 60 15", "Flash Size (by ID)": "2 MiB", "Flash Size (detected)": "2 MiB",
        "Encryption Key": "510fb093 a3cbeadc 5993a17e c7adeb03",
    },
    ("ltchiptool", "bk7231t"): {
        "Protocol Type": "BASIC_TUYA", "Chip Type": "BK7231T", "Bootloader Type": "BK7231T 1.0.5",
        "Chip ID": "N/A", "Boot Version String": "BK7231S_1.0.5", "Flash Size (by BL)": "2 MiB",
        "Flash Size (detected)": "2 MiB",
    },
}

# One write/read case per peer and chip class: image size and the work baud (None = the default).
TRANSFER_CASES = [
    ("bk7231tools", "bk7231n", 0x10000, 921600),
    ("bk7231tools", "bk7231t", 0x10000, None),
    ("ltchiptool", "bk7231n", 0x18000, None),
    ("ltchiptool", "bk7231t", 0x18000, 921600),
]


def bk7231tools_fields(output):
    """The `name: value` fields of bk7231tools' two summary lines after linking."""
    fields = {}
    for line in output.splitlines():
        if line.startswith("BK72xx connected - "):
            parts = line.removeprefix("BK72xx connected - ").split(", ")
        elif line.startswith("Connected! "):
            parts = line.removeprefix("Connected! ").split(" / ")
        else:
            continue
        fields.update(part.split(": ", 1) for part in parts)
    return fields


def ltchiptool_rows(output):
    """The `| Name | Value |` rows of ltchiptool's chip info table."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if len(cells) == 2 and cells[0]:
            rows[cells[0]] = cells[1]
    return rows


def baud_args(baud):
    return ["-b", str(baud)] if baud else []


def info_command(peer, chip, link):
    if peer == "bk7231tools":
        return ["chip_info", "-d", str(link)]
    return ["flash", "info", chip, "-d", str(link)]


def write_command(peer, chip, link, image, baud):
    if peer == "bk7231tools":
        return ["write_flash", "-d", str(link), "-s", hex(APP_START), *baud_args(baud), str(image)]
    return ["flash", "write", "-d", str(link), "-f", chip, "-s", hex(APP_START), *baud_args(baud), str(image)]


def read_command(peer, chip, link, out, length, baud):
    if peer == "bk7231tools":
        return ["read_flash", "-d", str(link), "-s", hex(APP_START), "-l", hex(length), *baud_args(baud), str(out)]
    return ["flash", "read", chip, str(out), "-d", str(link), "-s", hex(APP_START), "-l", hex(length),
            *baud_args(baud)]


@pytest.mark.parametrize("pacing", [[], ["--realtime"]], ids=["fast", "realtime"])
@pytest.mark.parametrize("peer", ["bk7231tools", "ltchiptool"])
@pytest.mark.parametrize("chip", ["bk7231n", "bk7231t"])
def test_peer_identifies_chip(peer, chip, pacing, start_sim, run_peer):
    sim = start_sim(chip, *pacing)
    output = run_peer(peer, *info_command(peer, chip, sim.link))
    reported = bk7231tools_fields(output) if peer == "bk7231tools" else ltchiptool_rows(output)
    expected = EXPECTED_INFO[(peer, chip)]
    assert {name: reported.get(name) for name in expected} == expected, output


@pytest.mark.parametrize(("peer", "chip", "length", "baud"), TRANSFER_CASES)
def test_peer_writes_and_reads_back(peer, chip, length, baud, start_sim, run_peer, pristine_flash, tmp_path):
    image = random.Random(f"{peer}-{chip}").randbytes(length)
    image_path = tmp_path / "image.bin"
    image_path.write_bytes(image)
    read_path = tmp_path / "read-back.bin"
    sim = start_sim(chip)

    run_peer(peer, *write_command(peer, chip, sim.link, image_path, baud))
    run_peer(peer, *read_command(peer, chip, sim.link, read_path, length, baud))
    flash = sim.stop()

    assert read_path.read_bytes() == image, f"{peer} read back something else than it wrote"
    pristine = pristine_flash[chip]
    assert len(flash) == len(pristine) == FLASH_SIZE
    assert flash[:APP_START] == pristine[:APP_START], "the bootloader region changed"
    assert flash[APP_START:APP_START + length] == image, "the simulator's flash does not hold the image"
    assert flash[APP_START + length:] == pristine[APP_START + length:], "flash beyond the image changed"


def test_bk7231tools_catches_the_download_window_after_a_manual_reset(start_sim, run_peer):
    sim = start_sim("bk7231n", "--download-after", "300")
    output = run_peer("bk7231tools", *info_command("bk7231tools", "bk7231n", sim.link))
    assert bk7231tools_fields(output)["chip"] == "BK7231N", output


def test_bk7231tools_read_retries_through_a_corrupted_reply_byte(start_sim, run_peer, pristine_flash, tmp_path):
    length = 0x4000
    flash = bytearray(pristine_flash["bk7231n"])
    flash[APP_START:APP_START + length] = random.Random("corrupt").randbytes(length)
    preload = tmp_path / "preload.bin"
    preload.write_bytes(flash)
    read_path = tmp_path / "read-back.bin"
    # Byte 6000 from the chip lies in the data of the second 4K read reply.
    sim = start_sim("bk7231n", "--flash-in", str(preload), "--fault", "chip-byte:6000:corrupt")

    output = run_peer("bk7231tools", *read_command("bk7231tools", "bk7231n", sim.link, read_path, length, None))

    assert "Reading failure @ 0x12000" in output, "the corrupted byte must cost exactly the second block a retry"
    assert read_path.read_bytes() == flash[APP_START:APP_START + length]


def test_ltchiptool_relinks_across_port_reopens(start_sim, run_peer):
    # Silent for 2.5 s: ltchiptool's stages 0 and 1 (1 s + 0.5 s) fail, stage 2 reopens the port and
    # pulses RTS/DTR, stage 3 reopens it again and floods until the chip comes up.
    sim = start_sim("bk7231n", "--download-after", "2500")
    output = run_peer("ltchiptool", *info_command("ltchiptool", "bk7231n", sim.link), shim=True)
    assert "DTR=0" in output and "RTS=0" in output, f"ltchiptool never reached its reset stage:\n{output}"
    assert ltchiptool_rows(output)["Chip Type"] == "BK7231N", output
