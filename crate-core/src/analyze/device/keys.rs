//! What each `user_param_key` key means, as data (dump-analysis.md §3): GPIO keys, their active
//! levels, settings the converters use, keys whose meaning is known but not converted. Anything else is unknown.

use serde::Serialize;

/// The role of one key in the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyClass {
    /// The value is a GPIO number with this function.
    Pin(&'static str),
    /// The active level (1 = high) of a pin key.
    Level,
    /// A setting a converter uses.
    Setting(&'static str),
    /// Known meaning, nothing to convert.
    Info(&'static str),
}

/// `{n}` stands for one or more digits (a channel number).
#[rustfmt::skip]
pub const KEYS: &[(&str, KeyClass)] = &[
    ("rl{n}_pin", KeyClass::Pin("relay {n}")),
    ("rl_on{n}_pin", KeyClass::Pin("bistable relay {n}, ON coil")),
    ("rl_off{n}_pin", KeyClass::Pin("bistable relay {n}, OFF coil")),
    ("bt{n}_pin", KeyClass::Pin("button {n}")),
    ("bt_pin", KeyClass::Pin("button")),
    ("total_bt_pin", KeyClass::Pin("all-channels / pairing button")),
    ("key_pin", KeyClass::Pin("key 1")),
    ("k{n}pin_pin", KeyClass::Pin("key {n}")),
    ("led{n}_pin", KeyClass::Pin("indicator LED {n}")),
    ("netled_pin", KeyClass::Pin("Wi-Fi status LED")),
    ("netled{n}_pin", KeyClass::Pin("Wi-Fi status LED")),
    ("wfst_pin", KeyClass::Pin("Wi-Fi status LED")),
    ("status_led_pin", KeyClass::Pin("status LED")),
    ("onoff{n}", KeyClass::Pin("toggle switch input {n}")),
    ("r_pin", KeyClass::Pin("PWM red")),
    ("g_pin", KeyClass::Pin("PWM green")),
    ("b_pin", KeyClass::Pin("PWM blue")),
    ("c_pin", KeyClass::Pin("PWM cold white (brightness when cwtype=1)")),
    ("w_pin", KeyClass::Pin("PWM warm white (colour temperature when cwtype=1)")),
    ("iicscl", KeyClass::Pin("I2C LED driver clock")),
    ("iicsda", KeyClass::Pin("I2C LED driver data")),
    ("ele_pin", KeyClass::Pin("power meter CF (BL0937/HLW8012)")),
    ("epin", KeyClass::Pin("power meter CF (BL0937/HLW8012)")),
    ("vi_pin", KeyClass::Pin("power meter CF1 (BL0937/HLW8012)")),
    ("ivpin", KeyClass::Pin("power meter CF1 (BL0937/HLW8012)")),
    ("sel_pin_pin", KeyClass::Pin("power meter SEL (BL0937/HLW8012)")),
    ("ivcpin", KeyClass::Pin("power meter SEL (BL0937/HLW8012)")),
    ("ele_rx", KeyClass::Pin("power meter UART RX (BL0942)")),
    ("ele_tx", KeyClass::Pin("power meter UART TX (BL0942)")),
    ("ir", KeyClass::Pin("IR receiver")),
    ("irpin", KeyClass::Pin("IR receiver")),
    ("infrr", KeyClass::Pin("IR receiver")),
    ("infre", KeyClass::Pin("IR transmitter")),
    ("remote_io", KeyClass::Pin("433 MHz RF receiver")),
    ("door{n}_magt_pin", KeyClass::Pin("door sensor {n}")),
    ("gate_sensor_pin_pin", KeyClass::Pin("gate sensor")),
    ("basic_pin_pin", KeyClass::Pin("PIR sensor")),
    ("samp_pin", KeyClass::Pin("battery ADC")),
    ("samp_sw_pin", KeyClass::Pin("battery ADC enable")),
    ("bz_pin_pin", KeyClass::Pin("buzzer")),
    ("buzzer_io", KeyClass::Pin("buzzer")),
    ("i2c_scl_pin", KeyClass::Pin("sensor I2C clock")),
    ("i2c_sda_pin", KeyClass::Pin("sensor I2C data")),
    ("alt_pin_pin", KeyClass::Pin("sensor alert")),
    ("one_wire_pin", KeyClass::Pin("1-Wire bus")),
    ("backlit_io_pin", KeyClass::Pin("backlight")),
    ("mic", KeyClass::Pin("microphone")),
    ("ctrl_pin", KeyClass::Pin("control pin (function unknown)")),
    ("mosi", KeyClass::Pin("SPI LED data")),
    ("reset_pin", KeyClass::Pin("reset button")),
    ("firstpin_pin", KeyClass::Pin("PWM channel 1")),
    ("secpin_pin", KeyClass::Pin("PWM channel 2")),
    ("rl{n}_lv", KeyClass::Level),
    ("rl_on{n}_lv", KeyClass::Level),
    ("rl_off{n}_lv", KeyClass::Level),
    ("bt{n}_lv", KeyClass::Level),
    ("bt_lv", KeyClass::Level),
    ("total_bt_lv", KeyClass::Level),
    ("key_lv", KeyClass::Level),
    ("k{n}pin_lv", KeyClass::Level),
    ("led{n}_lv", KeyClass::Level),
    ("netled_lv", KeyClass::Level),
    ("netled{n}_lv", KeyClass::Level),
    ("wfst_lv", KeyClass::Level),
    ("status_led_lv", KeyClass::Level),
    ("r_lv", KeyClass::Level),
    ("g_lv", KeyClass::Level),
    ("b_lv", KeyClass::Level),
    ("c_lv", KeyClass::Level),
    ("w_lv", KeyClass::Level),
    ("sel_pin_lv", KeyClass::Level),
    ("cwtype", KeyClass::Setting("1 = c_pin is brightness and w_pin colour temperature")),
    ("cmod", KeyClass::Setting("colour mode (checked against the light found)")),
    ("pwmhz", KeyClass::Setting("PWM frequency")),
    ("iicr", KeyClass::Setting("I2C driver channel of red")),
    ("iicg", KeyClass::Setting("I2C driver channel of green")),
    ("iicb", KeyClass::Setting("I2C driver channel of blue")),
    ("iicc", KeyClass::Setting("I2C driver channel of cold white")),
    ("iicw", KeyClass::Setting("I2C driver channel of warm white")),
    ("2235ccur", KeyClass::Setting("SM2235 colour current")),
    ("2235wcur", KeyClass::Setting("SM2235 white current")),
    ("2335ccur", KeyClass::Setting("SM2235 colour current (variant key)")),
    ("ehccur", KeyClass::Setting("SM2135 colour current")),
    ("ehwcur", KeyClass::Setting("SM2135 white current")),
    ("iicccur", KeyClass::Setting("SM2135 colour current")),
    ("iicwcur", KeyClass::Setting("SM2135 white current")),
    ("campere", KeyClass::Setting("SM2135 colour current (mA)")),
    ("wampere", KeyClass::Setting("SM2135 white current (mA)")),
    ("drgbcur", KeyClass::Setting("BP5758D colour current")),
    ("dccur", KeyClass::Setting("BP5758D cold white current")),
    ("dwcur", KeyClass::Setting("BP5758D warm white current")),
    ("cjccur", KeyClass::Setting("BP1658CJ colour current")),
    ("cjwcur", KeyClass::Setting("BP1658CJ white current")),
    ("kp58wcur", KeyClass::Setting("KP18058 white current")),
    ("kp58ccur", KeyClass::Setting("KP18058 colour current")),
    ("chip_type", KeyClass::Setting("power meter chip: 0 BL0937, 1 HLW8012, 2 HLW8032, 3 BL0942")),
    ("resistor", KeyClass::Setting("power meter shunt (milliohm)")),
    ("sample_resistor", KeyClass::Setting("power meter shunt (milliohm)")),
    ("rl{n}_drvtime", KeyClass::Setting("bistable relay pulse length (ms)")),
    ("netled_reuse", KeyClass::Setting("1 = the status LED also shows the relay")),
    ("module", KeyClass::Setting("Tuya module name")),
    ("Jsonver", KeyClass::Info("format version")),
    ("jv", KeyClass::Info("format version")),
    ("crc", KeyClass::Info("checksum of unknown meaning; nobody checks it")),
    ("category", KeyClass::Info("Tuya category code")),
    ("ch_num", KeyClass::Info("number of channels")),
    ("ch_dpid{n}", KeyClass::Info("data point of channel {n}")),
    ("ch_cddpid{n}", KeyClass::Info("countdown data point of channel {n}")),
    ("bt_type", KeyClass::Info("button type")),
    ("bt{n}_type", KeyClass::Info("button {n} type")),
    ("rl_type", KeyClass::Info("relay type")),
    ("rl{n}_type", KeyClass::Info("relay {n} type")),
    ("total_stat", KeyClass::Info("all-channels button behaviour")),
    ("netn_led", KeyClass::Info("network LED mode")),
    ("nety_led", KeyClass::Info("network LED mode")),
    ("net_trig", KeyClass::Info("pairing trigger")),
    ("reset_t", KeyClass::Info("reset count")),
    ("over_cur", KeyClass::Info("over-current protection")),
    ("over_vol", KeyClass::Info("over-voltage protection")),
    ("lose_vol", KeyClass::Info("under-voltage protection")),
    ("vol_def", KeyClass::Info("default voltage")),
    ("work_voltage", KeyClass::Info("working voltage")),
    ("ele_fun_en", KeyClass::Info("power metering enabled")),
    ("max_V", KeyClass::Info("battery voltage maximum")),
    ("min_V", KeyClass::Info("battery voltage minimum")),
    ("buzzer_pwm", KeyClass::Info("buzzer frequency")),
];

/// Whether `key` matches `pattern`; `{n}` matches one or more digits.
pub fn matches(pattern: &str, key: &str) -> bool {
    match pattern.split_once("{n}") {
        None => pattern == key,
        Some((prefix, suffix)) => key
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())),
    }
}

/// The class of `key`, or `None` when its meaning is unknown.
pub fn classify(key: &str) -> Option<KeyClass> {
    KEYS.iter()
        .find(|(pattern, _)| matches(pattern, key))
        .map(|(_, class)| *class)
}

/// The channel number `{n}` stands for in `key`, when its pattern has one.
pub fn channel_of(key: &str) -> Option<&str> {
    KEYS.iter()
        .find(|(pattern, _)| matches(pattern, key))
        .and_then(|(pattern, _)| {
            let (prefix, suffix) = pattern.split_once("{n}")?;
            key.strip_prefix(prefix)?.strip_suffix(suffix)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_channels_and_nothing_else() {
        assert_eq!(classify("rl1_pin"), Some(KeyClass::Pin("relay {n}")));
        assert_eq!(channel_of("rl12_pin"), Some("12"));
        assert_eq!(classify("rl_pin"), None);
        assert_eq!(classify("rlx_pin"), None);
        assert_eq!(
            classify("netled_pin"),
            Some(KeyClass::Pin("Wi-Fi status LED"))
        );
        assert_eq!(classify("bt1_lv"), Some(KeyClass::Level));
        assert_eq!(classify("brightmax"), None);
        assert_eq!(
            classify("onoff2"),
            Some(KeyClass::Pin("toggle switch input {n}"))
        );
    }
}
