#!/usr/bin/env python3
"""Regenerate the synthetic Tuya flash dumps in this folder and their expected results.

Run from the repository root with the peer venv (pycryptodome, upk2esphome; peers/requirements.txt):
    .venv/bin/python testdata/dumps/gen_dumps.py [OUTPUT_DIR]   (default: this folder)
Deterministic: two runs give byte-identical files. Each vector is stored gzip-compressed
(`<name>.bin.gz`, mtime 0); `expected.json` holds what bkflash must find in each. Per device
(`expected.json` names it): `<device>.config.json` the device config, `<device>.obk.json` the
OpenBeken template's pins and command (from the reference's tables) and `<device>.yaml` the ESPHome
components exactly as upk2esphome 1.16.2 prints them.
"""

import gzip
import hashlib
import json
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import devices  # noqa: E402
import tuya_flash as tf  # noqa: E402

FLASH = 0x200000
KEY_AT = 0x1EE000
DATA_AT = 0x1EF000
SWAP_AT = 0x1FD000
PROTECTED_AT = 0x1ED000
INNER_T = bytes.fromhex("5a3c961e0f7b2d48c1e2a3b4d5e6f708")
INNER_N = bytes.fromhex("11223344556677889900aabbccddeeff")
# bk7231tools' table: BK7231T bootloader 1.0.5 over 256 bytes, BK7231N 1.0.1 over 257 bytes.
BOOTLOADER_CRC = {"T": (0xBA54C1B8, 256), "N": (0xE14191BA, 257)}
DOWNLOAD = {"T": 0x132000, "N": 0x12A000}
TLV_AT = {"T": 0x1E0000, "N": 0x1D0000}
OBK_AT = {"T": 0x1E1000, "N": 0x1D1000}
BOARD = {"T": "generic-bk7231t-qfn32-tuya", "N": "generic-bk7231n-qfn32-tuya"}
CHIP = {"T": "BK7231T", "N": "BK7231N"}


def synth(seed: str, n: int) -> bytes:
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{i}".encode()).digest()
        i += 1
    return out[:n]


def fal64(name: str, flash: str, offset: int, length: int) -> bytes:
    return b"01PE" + name.encode().ljust(24, b"\0") + flash.encode().ljust(24, b"\0") + struct.pack("<III", offset, length, 0)


def strip_crc(physical: bytes) -> bytes:
    return b"".join(physical[i : i + 32] for i in range(0, len(physical) - 33, 34))


def bootloader(chip: str) -> bytes:
    """Logical 0..0x10000: a payload, the partition table in clear, the RBL header at 0xFFA0; then CRCs.

    Four payload bytes (flash 250..253, in CRC block 7 whose CRC lies at 270, outside the
    fingerprint) are forged so the first 256/257 bytes carry a known bootloader's CRC-32; the RBL
    header is computed over the forged payload, so bk7231tools accepts the container too.
    """
    logical = bytearray(b"\xff" * 0x10000)
    payload = synth(f"bootloader-{chip}", 0x800)
    logical[: len(payload)] = payload
    table = fal64("bootloader", "beken_onchip_crc", 0, 0x10000) + fal64("app", "beken_onchip_crc", 0x10000, 0x108700)
    table += fal64("download", "beken_onchip", DOWNLOAD[chip], 0xA6000)
    logical[0xE000 : 0xE000 + len(table)] = table
    target, length = BOOTLOADER_CRC[chip]
    window = bytearray(tf.add_crc(bytes(logical[:0x120]))[:length])
    tf.forge_crc32(window, 250, target)
    logical[:0x100] = strip_crc(bytes(window) + b"\0" * 0x100)[:0x100]
    payload = bytes(logical[: len(payload)])
    logical[0xFFA0:0x10000] = tf.rbl_header("bootloader", "1.00", payload)
    physical = tf.add_crc(bytes(logical))
    assert tf.zlib.crc32(physical[:length]) == target
    return physical


def app(identity: str, upk_text: str = "") -> bytes:
    """The app partition 0x11000..0x129F70: scrambled code in CRC blocks, 0xFF padding, RBL trailer."""
    code = bytearray(b"\x0e\x00\x00\xea\x14\xf0\x9f\xe5")
    code += synth(f"app-{identity}", 0x400)
    code += b"\0" + identity.encode() + b"\0"
    if upk_text:
        code += b"\0" + upk_text.encode() + b"\0"
    code += synth(f"app-tail-{identity}", 0x200)
    code += b"\xff" * (-len(code) % 32) + b"\xff" * 32
    scrambled = tf.scramble(bytes(code), 0x10000)
    container = bytearray(b"\xff" * (0x129F70 - 0x11000))
    crc_app = tf.add_crc(scrambled)
    container[: len(crc_app)] = crc_app
    trailer = tf.add_crc(tf.rbl_header("app", "1.00", scrambled))
    container[-len(trailer) :] = trailer
    return bytes(container)


def tlv(mac: bytes) -> bytes:
    entries = struct.pack("<II", 0x11111101, 12) + b"\x01" * 12 + struct.pack("<II", 0x11111102, 6) + mac
    return b"TLV\0" + struct.pack("<I", 8 + len(entries)) + entries


def storage(keys, inner, generation=5, blocks_erased=(), swap=(), block_count=14) -> dict:
    """{offset: sector} for the key sector, 14 data blocks and the swap sectors."""
    st = tf.Storage(blocks=block_count)
    for name, value, block, *extra in keys:
        st.put(name, value, block, *extra)
    sectors = {KEY_AT: tf.key_sector(inner)}
    for block in range(14):
        sectors[DATA_AT + block * tf.SECTOR] = (
            b"\xff" * tf.SECTOR if block in blocks_erased else st.sector(block, generation, inner)
        )
    for i, sector in enumerate(swap):
        sectors[SWAP_AT + i * tf.SECTOR] = sector
    return sectors


def image(chip: str, identity: str, kv: dict, mac: bytes, extra: dict = None, upk_in_app: str = "") -> bytes:
    flash = bytearray(b"\xff" * FLASH)
    boot = bootloader(chip)
    flash[: len(boot)] = boot
    code = app(identity, upk_in_app)
    flash[0x11000 : 0x11000 + len(code)] = code
    cal = tlv(mac)
    flash[TLV_AT[chip] : TLV_AT[chip] + len(cal)] = cal
    for at, sector in {**kv, **(extra or {})}.items():
        flash[at : at + len(sector)] = sector
    return bytes(flash)


def common_keys(upk: dict, ssid_hint: str):
    gw_bi = {"uuid": "0123456789abcdef", "auth_key": "SyntheticAuthKey0123456789abcdef", "psk_key": "", "ap_ssid": "SmartLife", "fac_pin": "synthetic"}
    gw_di = {"swv": "1.0.0", "bv": "40.00", "pk": "synthprodkey0001", "firmk": "keysynthetic0001", "s_id": "000000synt"}
    keys = [("gw_bi", json.dumps(gw_bi, separators=(",", ":")).encode(), 0)]
    if upk is not None:
        keys.append(("user_param_key", devices.tuya_json(upk).encode(), 0))
    keys.append(("gw_di", json.dumps(gw_di, separators=(",", ":")).encode(), 1))
    keys.append(("gw_wsm", json.dumps({"ssid": ssid_hint, "passwd": "synthetic-pass"}, separators=(",", ":")).encode(), 1))
    return keys


def big_value() -> bytes:
    """A 5000-byte printable value that needs two parts (blocks 1 and 2)."""
    return synth("big", 2500).hex().encode()


VECTORS = {}


def vector(name, chip, device, data, notes, **expect):
    VECTORS[name] = {"chip": chip, "device": device, "data": data, "notes": notes, **expect}


def build():
    mac_t = bytes.fromhex("d8c46a0001f1")
    mac_n = bytes.fromhex("c8478c0002f2")
    plug_keys = common_keys(devices.PLUG["upk"], "home") + [
        ("em_sys_env", b"BK7231S_2M", 1),
        ("tls_ca", big_value(), 1),
    ]
    t_plug = image("T", "tuya_sdk_bk7231s_plug 1.0.0", storage(plug_keys, INNER_T), mac_t)
    vector("t_plug", "T", "PLUG", t_plug, "relay/button/LED plug on WB2S")

    bulb_keys = common_keys(devices.BULB["upk"], "home") + [("em_sys_env", b"bk7231n", 1), ("timer_arr", b"[]", 9)]
    decoy = tf.protected_sector(INNER_N, [("gw_bi", b'{"uuid":"0123456789abcdef"}')])
    n_bulb = image("N", "tuya_sdk_bk7231n_light 2.3.1", storage(bulb_keys, INNER_N), mac_n, {PROTECTED_AT: decoy})
    vector("n_bulb", "N", "BULB", n_bulb, "RGBCW PWM bulb on CB3L; protected decoy sector; a key in block 9", beyond_window=["timer_arr"])

    meter_keys = common_keys(devices.METER["upk"], "home") + [("em_sys_env", b"BK7231S_2M", 1)]
    vector("t_meter", "T", "METER", image("T", "tuya_sdk_bk7231s_plug 1.0.0", storage(meter_keys, INNER_T), mac_t),
           "BL0937 power-metering plug (the reference's §6.1 configuration)")

    mcu_keys = common_keys(devices.TUYAMCU["upk"], "home") + [
        ("uart_adapt_params", b'{"uart_baud":9600,"uart_databit":3,"uart_parity":0,"uart_stopbits":1}', 1)
    ]
    vector("t_tuyamcu", "T", "TUYAMCU", image("T", "tuya_sdk_bk7231s_mcu 1.0.0", storage(mcu_keys, INNER_T), mac_t),
           "TuyaMCU device (uart_adapt_params, 9600 baud)")

    noupk_keys = common_keys(None, "home") + [("baud_cfg", b'{"baud":115200}', 1)]
    vector("n_tuyamcu_noupk", "N", "TUYAMCU_NO_UPK", image("N", "tuya_sdk_bk7231n_mcu 2.3.1", storage(noupk_keys, INNER_N), mac_n),
           "TuyaMCU device without user_param_key (baud_cfg 115200)")

    vector("t_rotated", "T", "PLUG", t_plug[0x11000:] + t_plug[:0x11000], "t_plug read from 0x11000 and wrapped", rotated=True)

    erased = storage(plug_keys + [("ble_beaconkey", b"synthetic-beacon", 4)], INNER_T, blocks_erased=(3,))
    vector("t_erased_blk3", "T", "PLUG", image("T", "tuya_sdk_bk7231s_plug 1.0.0", erased, mac_t),
           "data block 3 erased: bk7231tools stops, bkflash skips it", skipped=[DATA_AT + 3 * tf.SECTOR], bk7231tools_fails=True)

    stale = tf.Storage()
    for name, value, block in common_keys(devices.STALE_UPK, "old"):
        stale.put(name, value, block)
    newer = tf.Storage()
    newer.put("swap_test", b"newer copy, in the swap area", 4)
    older = tf.Storage()
    older.put("swap_test", b"older copy, in the data area", 4)
    kv = storage(plug_keys, INNER_T, swap=[stale.sector(0, 2, INNER_T), newer.sector(4, 9, INNER_T)])
    kv[DATA_AT + 4 * tf.SECTOR] = older.sector(4, 3, INNER_T)
    vector("t_stale_swap", "T", "PLUG", image("T", "tuya_sdk_bk7231s_plug 1.0.0", kv, mac_t),
           "swap holds an older block 0 (other pins) and a newer block 4: the highest generation wins",
           beyond_window=["swap_test"], swap_value="newer copy, in the swap area")

    vector("storage_only", "T", "PLUG", t_plug[KEY_AT:FLASH], "just 0x1EE000..0x200000 of t_plug", storage_only=True)

    obk = tf.obk_config(4, "obk-test-net", {26: ("Rel", 1), 10: ("Btn", 1), 8: ("WifiLED_n", 0)}, "obkplug")
    vector("t_obk", "T", "PLUG", image("T", "OpenBK7231T_1.18.42", storage(plug_keys, INNER_T), mac_t, {OBK_AT["T"]: obk}),
           "OpenBeken installed: its config v4 at 0x1E1000, the Tuya storage still there",
           obk_config={"offset": OBK_AT["T"], "ssid": "obk-test-net", "name": "obkplug", "pins": {"8": "WifiLED_n;0", "10": "Btn;1", "26": "Rel;1"}})

    app_keys = common_keys(None, "home") + [("em_sys_env", b"BK7231S_2M", 1)]
    vector("t_upk_in_app", "T", "IN_APP",
           image("T", "tuya_sdk_bk7231s_switch 1.0.0", storage(app_keys, INNER_T), mac_t, upk_in_app=devices.tuya_json(devices.IN_APP["upk"])[:-2] + "}"),
           "no user_param_key in the storage; the app code holds a default one", upk_origin="app_code")

    neg = {}
    bad_sum = storage(plug_keys, INNER_T)
    bad_sum[KEY_AT] = tf.key_sector(INNER_T, key_sum=sum(INNER_T) + 1)
    neg["neg_key_sum"] = (bad_sum, "key sector with a wrong key sum: no storage")
    other = storage(plug_keys, bytes(16))
    other[KEY_AT] = tf.key_sector(INNER_T)
    neg["neg_other_inner_key"] = (other, "data sectors encrypted under another inner key: every sector skipped")
    missing = storage(common_keys(devices.PLUG["upk"], "home") + [("lost_value", b"x" * 200, 5, 20)], INNER_T)
    neg["neg_missing_block"] = (missing, "an index page whose part points to block 20, which does not exist")
    colon = dict(devices.PLUG["upk"], module="CB:2S")
    neg["neg_upk_colon"] = (storage(common_keys(colon, "home"), INNER_T), "user_param_key with ':' inside a value: not parseable")
    for name, (kv, note) in neg.items():
        data = b"".join(kv[at] for at in sorted(kv))
        vector(name, "T", None, data, note, negative=True)


def expected_yaml(device: dict, kind: str) -> str:
    from upk2esphome.generator import upk2esphome
    from upk2esphome.opts import Opts

    opts = Opts(esphome_block=False, common=False, web_server=False, restart=False, uptime=False, lt_version=False)
    data = {"gw_bi": {}}
    if device["upk"] is not None:
        data["user_param_key"] = device["upk"]
    if kind == "TUYAMCU":
        data["uart_adapt_params"] = {"uart_baud": 9600}
    if kind == "TUYAMCU_NO_UPK":
        data["baud_cfg"] = {"baud": 115200}
    result = upk2esphome(data, opts)
    return "" if result.errors else result.text


def main(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    build()
    summary = {}
    for name, spec in VECTORS.items():
        (out / f"{name}.bin.gz").write_bytes(gzip.compress(spec["data"], 9, mtime=0))
        entry = {
            "notes": spec["notes"],
            "size": len(spec["data"]),
            "sha256": hashlib.sha256(spec["data"]).hexdigest(),
            "chip": None if spec.get("storage_only") or spec.get("negative") else CHIP[spec["chip"]],
        }
        for key in ("rotated", "storage_only", "negative", "beyond_window", "skipped", "bk7231tools_fails", "upk_origin", "obk_config", "swap_value"):
            if key in spec:
                entry[key] = spec[key]
        if spec["device"]:
            kind = spec["device"]
            device = getattr(devices, kind)
            entry["device"] = kind.lower()
            entry["board"] = BOARD[spec["chip"]]
            stem = out / kind.lower()
            stem.with_suffix(".config.json").write_text(json.dumps(device["upk"], indent=2, sort_keys=True) + "\n")
            template = {"pins": device["pins"], "command": device["command"]}
            stem.with_suffix(".obk.json").write_text(json.dumps(template, indent=2, sort_keys=True) + "\n")
            stem.with_suffix(".yaml").write_text(expected_yaml(device, kind))
        summary[name] = entry
    (out / "expected.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
