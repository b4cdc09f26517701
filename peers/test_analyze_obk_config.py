"""`bkflash write FILE --obk-config SETTINGS.json` against bkflash-sim: the OpenBeken config sector it
writes decodes back to the settings with a decoder written here from OpenBeken's own struct
(`mainConfig_t` in src/new_pins.h and `Tiny_CRC8` in src/tiny_crc8.c, built with -fsigned-char on
Beken); a wrong CRC or layout version is refused by that decoder and by `bkflash analyze`.
"""

import json
import struct
import subprocess

import pytest

from analyze_vectors import TIMEOUT_S, analyze, bkflash_bin  # noqa: F401
from conftest import REPO

CONFIG_AT = {"bk7231n": 0x1D1000, "bk7231t": 0x1E1000}
UF2_FOR = {"bk7231n": "bk7231n_cb2s.uf2", "bk7231t": "bk7231t_wb2s.uf2"}
SIZE_V3, SIZE_V4 = 2016, 3584
# Role numbers of the roles the test template uses (OpenBeken's IOR_* enum).
ROLES = {1: "Rel", 3: "Btn", 5: "LED", 6: "LED_n", 9: "WifiLED_n"}
SETTINGS = {
    "wifi_ssid": "home-network",
    "wifi_password": "correct horse battery",
    "mqtt_host": "192.168.1.10",
    "mqtt_port": 1884,
    "mqtt_user": "ha-user",
    "mqtt_password": "mqtt-secret",
    "mqtt_topic": "kitchen_plug",
    "name": "kitchen",
    "template": {"vendor": "Tuya", "pins": {"26": "Rel;1", "10": "Btn;1", "8": "WifiLED_n;0", "6": "LED_n;1"}, "flags": "1024"},
}


def tiny_crc8_signed(data: bytes) -> int:
    def shift(v):  # arithmetic shift of a signed char
        return ((v >> 1) | (v & 0x80)) & 0xFF

    crc = 0
    for byte in data:
        extract = byte
        for _ in range(8):
            mix = (crc ^ extract) & 1
            crc = shift(crc)
            if mix:
                crc ^= 0x8C
            extract = shift(extract)
    return crc


class Refused(Exception):
    pass


def text(raw: bytes, at: int, size: int) -> str:
    return raw[at : at + size].split(b"\0", 1)[0].decode()


def decode(raw: bytes) -> dict:
    """mainConfig_t of a 32-pin Beken build; raises Refused like OpenBeken's CFG_InitAndLoad."""
    if raw[:3] != b"CFG":
        raise Refused("ident")
    version = struct.unpack_from("<i", raw, 4)[0]
    if not 1 <= version <= 5:
        raise Refused(f"version {version}")
    size = SIZE_V3 if version <= 3 else SIZE_V4
    if tiny_crc8_signed(raw[4:size]) != raw[3]:
        raise Refused("crc")
    pins = {}
    for gpio in range(32):
        role = raw[0x33E + gpio]
        if role:
            pins[str(gpio)] = f"{ROLES.get(role, role)};{raw[0x35E + gpio]}"
    return {
        "version": version,
        "flags": struct.unpack_from("<I", raw, 0x08)[0],
        "wifi_ssid": text(raw, 0x14, 64),
        "wifi_password": text(raw, 0x54, 64),
        "mqtt_host": text(raw, 0x94, 256),
        "mqtt_topic": text(raw, 0x194, 64),
        "mqtt_user": text(raw, 0x1D4, 64),
        "mqtt_password": text(raw, 0x214, 128),
        "mqtt_port": struct.unpack_from("<i", raw, 0x294)[0],
        "name": text(raw, 0x2DE, 32),
        "pins": pins,
        "command": text(raw, 0x5E0, 1568),
    }


def run(bkflash_bin, *args):  # noqa: F811
    return subprocess.run([str(bkflash_bin), *map(str, args)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=TIMEOUT_S)


@pytest.mark.parametrize("chip", CONFIG_AT)
def test_the_written_config_decodes_to_the_settings(chip, start_sim, bkflash_bin, tmp_path):  # noqa: F811
    settings = tmp_path / "obk.json"
    settings.write_text(json.dumps(SETTINGS))
    sim = start_sim(chip)
    done = run(bkflash_bin, "-v", "--port", sim.link, "--chip", chip, "write", REPO / "testdata" / UF2_FOR[chip],
               "--obk-config", settings, "--yes", "--no-backup")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OpenBeken config at" in done.stdout
    for secret in ("correct horse battery", "mqtt-secret"):
        assert secret not in done.stdout + done.stderr, "passwords are never printed"
    flash = sim.stop()
    at = CONFIG_AT[chip]
    sector = flash[at : at + 0x1000]
    config = decode(sector)
    assert config == {
        "version": 5,
        "flags": 1024,
        "wifi_ssid": "home-network",
        "wifi_password": "correct horse battery",
        "mqtt_host": "192.168.1.10",
        "mqtt_topic": "kitchen_plug",
        "mqtt_user": "ha-user",
        "mqtt_password": "mqtt-secret",
        "mqtt_port": 1884,
        "name": "kitchen",
        "pins": {"6": "LED_n;1", "8": "WifiLED_n;0", "10": "Btn;1", "26": "Rel;1"},
        "command": "",
    }
    assert sector[SIZE_V4:] == b"\xff" * (0x1000 - SIZE_V4), "the rest of the sector stays erased"
    dump = tmp_path / "flash.bin"
    dump.write_bytes(flash)
    report = analyze(bkflash_bin, dump)
    part = next(p for p in report["partitions"] if p["kind"] == "openbeken_config")
    details = {d["label"]: d["value"] for d in part["details"]}
    assert details["Wi-Fi SSID"] == "home-network" and details["Wi-Fi password"] == "(set, hidden)"
    assert "correct horse battery" not in json.dumps(report)


def corrupt(sector: bytes, at: int, value: int) -> bytes:
    return sector[:at] + bytes([value]) + sector[at + 1 :]


def test_a_wrong_crc_or_layout_version_is_refused(start_sim, bkflash_bin, tmp_path):  # noqa: F811
    settings = tmp_path / "obk.json"
    settings.write_text(json.dumps(SETTINGS))
    sim = start_sim("bk7231n")
    done = run(bkflash_bin, "--port", sim.link, "write", REPO / "testdata" / UF2_FOR["bk7231n"],
               "--obk-config", settings, "--yes", "--no-backup")
    assert done.returncode == 0, done.stdout + done.stderr
    flash = sim.stop()
    at = CONFIG_AT["bk7231n"]
    good = flash[at : at + 0x1000]
    bad_crc = corrupt(good, 3, good[3] ^ 0x01)
    bad_version = corrupt(good, 4, 9)
    for sector, reason, message in ((bad_crc, "crc", "CRC-8"), (bad_version, "version 9", "layout version 9")):
        with pytest.raises(Refused, match=reason):
            decode(sector)
        dump = tmp_path / f"flash-{reason}.bin"
        dump.write_bytes(flash[:at] + sector + flash[at + 0x1000 :])
        part = next(p for p in analyze(bkflash_bin, dump)["partitions"] if p["kind"] == "openbeken_config")
        assert part["details"][0]["label"] == "refused" and message in part["details"][0]["value"]


def test_settings_without_a_name_need_the_chip_mac(start_sim, bkflash_bin, pristine_flash, tmp_path):  # noqa: F811
    settings = tmp_path / "obk.json"
    settings.write_text(json.dumps({"wifi_ssid": "home-network", "wifi_password": "pw-never-shown"}))
    sim = start_sim("bk7231n")
    done = run(bkflash_bin, "--port", sim.link, "write", REPO / "testdata" / UF2_FOR["bk7231n"],
               "--obk-config", settings, "--yes", "--no-backup")
    assert done.returncode == 2, done.stdout + done.stderr
    assert 'give a "name"' in done.stderr and "nothing was written" in done.stderr
    assert "pw-never-shown" not in done.stdout + done.stderr
    assert sim.stop() == pristine_flash["bk7231n"], "the simulator has no RF calibration, so no MAC: nothing is written"
