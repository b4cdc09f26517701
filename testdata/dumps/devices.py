"""The devices inside the synthetic dumps: each Tuya configuration and the OpenBeken template the
project's reference says it should give (docs/dump-analysis.md §4.3, web app rules: PWM channels
1..5, `_lv` ignored, BL0937 roles from ele/vi/sel), written by hand from the reference's tables.
"""

PLUG = {
    "upk": {
        "Jsonver": "1.1.8", "module": "WB2S", "crc": 42, "ch_num": 1, "ch_dpid1": 1,
        "rl1_pin": 26, "rl1_lv": 1, "bt1_pin": 10, "bt1_lv": 0, "bt1_type": 0,
        "led1_pin": 6, "led1_lv": 0, "netled1_pin": 8, "netled1_lv": 0, "nety_led": 1,
    },
    "pins": {"6": "LED;1", "8": "WifiLED_n;0", "10": "Btn;1", "26": "Rel;1"},
    "command": "",
}

BULB = {
    "upk": {
        "Jsonver": "1.1.9", "module": "CB3L", "crc": 55, "category": "0505", "cmod": "rgbcw", "cwtype": 0,
        "r_pin": 26, "r_lv": 1, "g_pin": 24, "g_lv": 1, "b_pin": 6, "b_lv": 1, "c_pin": 8, "c_lv": 1,
        "w_pin": 7, "w_lv": 1, "pwmhz": 1000, "brightmax": 100, "brightmin": 10, "defcolor": "c", "dmod": 0,
    },
    "pins": {"6": "PWM;3", "7": "PWM;5", "8": "PWM;4", "24": "PWM;2", "26": "PWM;1"},
    "command": "PWMFrequency 1000",
}

METER = {
    "upk": {
        "Jsonver": "1.1.8", "module": "WB2S", "crc": 42,
        "rl1_pin": 26, "rl1_lv": 1, "bt1_pin": 10, "bt1_lv": 0, "netled1_pin": 8, "netled1_lv": 0,
        "led1_pin": 6, "led1_lv": 0, "chip_type": 0, "ele_pin": 7, "vi_pin": 24, "sel_pin_pin": 11,
        "sel_pin_lv": 1, "resistor": 1,
    },
    "pins": {"6": "LED;1", "7": "BL0937CF;0", "8": "WifiLED_n;0", "10": "Btn;1", "11": "BL0937SEL;0", "24": "BL0937CF1;0", "26": "Rel;1"},
    "command": "",
}

TUYAMCU = {
    "upk": {"Jsonver": "1.1.0", "module": "WB3S", "crc": 12},
    "pins": {},
    "command": "backlog startDriver TuyaMCU; tuyaMcu_setBaudRate 9600",
}

TUYAMCU_NO_UPK = {"upk": None, "pins": {}, "command": "backlog startDriver TuyaMCU; tuyaMcu_setBaudRate 115200"}

IN_APP = {
    "upk": {"Jsonver": "1.1.8", "module": "WB2S", "crc": 5, "rl1_pin": 14, "rl1_lv": 1, "bt1_pin": 7, "bt1_lv": 0},
    "pins": {"7": "Btn;1", "14": "Rel;1"},
    "command": "",
}

STALE_UPK = {"Jsonver": "1.1.8", "module": "WB2S", "crc": 9, "rl1_pin": 14, "rl1_lv": 1}


def tuya_json(upk: dict) -> str:
    """Tuya's "JSON without quotes", the way devices store user_param_key."""
    return "{" + ",".join(f"{k}:{v}" for k, v in upk.items()) + ",}"
