//! Tuya key to OpenBeken pin role, as data, in the order the web app's template importer applies
//! them (a later rule wins on the same GPIO); dump-analysis.md §4.3.

/// Where a rule comes from; the report says which converter a role follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// OpenBekenIOT/webapp `templateParser.js`: the reference's recommendation for templates.
    WebApp,
    /// BK7231GUIFlashTool, for keys the web app does not map.
    EasyFlasher,
}

/// The channel a rule gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Fixed(u8),
    /// The number `{n}` in the key.
    FromKey,
}

pub struct Rule {
    /// A key pattern; `{n}` is a channel number 0..9.
    pub key: &'static str,
    pub role: &'static str,
    pub channel: Channel,
    pub source: Source,
}

const fn rule(key: &'static str, role: &'static str, channel: Channel, source: Source) -> Rule {
    Rule {
        key,
        role,
        channel,
        source,
    }
}

use Channel::{Fixed, FromKey};
use Source::{EasyFlasher, WebApp};

/// The web app's order first, then Easy Flasher's extra keys. PWM channels are 1-based (R=1..W=5)
/// like the web app and the device database; OpenBeken also accepts 0-based ones.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    rule("rl{n}_pin", "Rel", FromKey, WebApp),
    rule("netled_pin", "WifiLED_n", Fixed(0), WebApp),
    rule("netled{n}_pin", "WifiLED_n", Fixed(0), WebApp),
    rule("door{n}_magt_pin", "dInput", FromKey, WebApp),
    rule("led{n}_pin", "LED", FromKey, WebApp),
    rule("bt{n}_pin", "Btn", FromKey, WebApp),
    rule("onoff{n}", "TglChanOnTgl", FromKey, WebApp),
    rule("gate_sensor_pin_pin", "dInput", Fixed(0), WebApp),
    rule("ele_pin", "BL0937CF", Fixed(0), WebApp),
    rule("vi_pin", "BL0937CF1", Fixed(0), WebApp),
    rule("sel_pin_pin", "BL0937SEL", Fixed(0), WebApp),
    rule("wfst_pin", "WifiLED_n", Fixed(0), WebApp),
    rule("infrr", "IRRecv", Fixed(0), WebApp),
    rule("infre", "IRSend", Fixed(0), WebApp),
    rule("remote_io", "RCRecv", Fixed(0), WebApp),
    rule("r_pin", "PWM", Fixed(1), WebApp),
    rule("g_pin", "PWM", Fixed(2), WebApp),
    rule("b_pin", "PWM", Fixed(3), WebApp),
    rule("c_pin", "PWM", Fixed(4), WebApp),
    rule("w_pin", "PWM", Fixed(5), WebApp),
    rule("total_bt_pin", "Btn_Tgl_All", Fixed(0), WebApp),
    rule("reset_pin", "Btn", Fixed(0), WebApp),
    rule("key_pin", "Btn_Tgl_All", Fixed(0), WebApp),
    rule("mic", "ADC", Fixed(0), WebApp),
    rule("firstpin_pin", "PWM", Fixed(1), WebApp),
    rule("secpin_pin", "PWM", Fixed(2), WebApp),
    rule("rl_on1_pin", "BridgeFWD", Fixed(1), WebApp),
    rule("rl_off1_pin", "BridgeREV", Fixed(1), WebApp),
    rule("epin", "BL0937CF", Fixed(0), EasyFlasher),
    rule("ivpin", "BL0937CF1", Fixed(0), EasyFlasher),
    rule("ivcpin", "BL0937SEL", Fixed(0), EasyFlasher),
    rule("bt_pin", "Btn", Fixed(0), EasyFlasher),
    rule("k{n}pin_pin", "Btn", FromKey, EasyFlasher),
    rule("irpin", "IRRecv", Fixed(0), EasyFlasher),
    rule("basic_pin_pin", "dInput", Fixed(0), EasyFlasher),
    rule("samp_pin", "BAT_ADC", Fixed(0), EasyFlasher),
    rule("samp_sw_pin", "BAT_Relay", Fixed(0), EasyFlasher),
    rule("backlit_io_pin", "LED", Fixed(0), EasyFlasher),
    rule("mosi", "SM16703P_DIN", Fixed(0), EasyFlasher),
];

/// A role's active level as OpenBeken defines it, and the role for the other level.
pub struct Polarity {
    pub role: &'static str,
    /// The Tuya `_lv` value that matches the role as it is (1 = active high).
    pub level: i64,
    pub inverse: &'static str,
}

pub const POLARITIES: &[Polarity] = &[
    Polarity {
        role: "Rel",
        level: 1,
        inverse: "Rel_n",
    },
    Polarity {
        role: "LED",
        level: 1,
        inverse: "LED_n",
    },
    Polarity {
        role: "PWM",
        level: 1,
        inverse: "PWM_n",
    },
    Polarity {
        role: "Btn",
        level: 0,
        inverse: "Btn_n",
    },
    Polarity {
        role: "Btn_Tgl_All",
        level: 0,
        inverse: "Btn_Tgl_All_n",
    },
    Polarity {
        role: "WifiLED_n",
        level: 0,
        inverse: "WifiLED",
    },
];

/// I2C LED drivers by the current keys that name them, in the web app's order (KP18058 from Easy Flasher).
pub const LED_DRIVERS: &[(&[&str], &str, &str)] = &[
    (&["ehccur", "wampere", "iicccur"], "SM2135", "SM2135"),
    (&["dccur"], "BP5758D_", "BP5758D"),
    (&["cjwcur"], "BP1658CJ_", "BP1658CJ"),
    (&["2235ccur", "2335ccur"], "SM2235", "SM2235"),
    (&["kp58wcur"], "KP18058_", "KP18058"),
];

/// How a current argument is taken from its candidate keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The first key present.
    First,
    /// The largest value present (BP5758D's one white current for cold and warm).
    Largest,
}

/// `<driver>_Current <colour> <white>` arguments, Easy Flasher's keys: (driver, colour keys, white keys, pick).
pub const CURRENTS: &[(&str, &[&str], &[&str], Pick)] = &[
    (
        "SM2135",
        &["ehccur", "iicccur", "campere"],
        &["ehwcur", "iicwcur", "wampere"],
        Pick::First,
    ),
    ("BP5758D", &["drgbcur"], &["dwcur", "dccur"], Pick::Largest),
    ("BP1658CJ", &["cjccur"], &["cjwcur"], Pick::First),
    ("SM2235", &["2235ccur"], &["2235wcur"], Pick::First),
    ("KP18058", &["kp58wcur"], &["kp58ccur"], Pick::First),
];
