//! OpenBeken pin roles: the `IOR_*` numbers stored in the config and the names templates use.
//! Names are OpenBeken's own (`htmlPinRoleNames`, docs/dump-analysis.md §4.2); index = stored value.

/// Role names by stored value; 0 is "no role" (templates may write `None`).
pub(crate) const ROLE_NAMES: [&str; 99] = [
    "None",
    "Rel",
    "Rel_n",
    "Btn",
    "Btn_n",
    "LED",
    "LED_n",
    "PWM",
    "WifiLED",
    "WifiLED_n",
    "Btn_Tgl_All",
    "Btn_Tgl_All_n",
    "dInput",
    "dInput_n",
    "TglChanOnTgl",
    "dInput_NoPullUp",
    "dInput_NoPullUp_n",
    "BL0937SEL",
    "BL0937CF",
    "BL0937CF1",
    "ADC",
    "SM2135DAT",
    "SM2135CLK",
    "BP5758D_DAT",
    "BP5758D_CLK",
    "BP1658CJ_DAT",
    "BP1658CJ_CLK",
    "PWM_n",
    "IRRecv",
    "IRSend",
    "Btn_NextColor",
    "Btn_NextColor_n",
    "Btn_NextDimmer",
    "Btn_NextDimmer_n",
    "AlwaysHigh",
    "AlwaysLow",
    "UCS1912_DIN",
    "SM16703P_DIN",
    "Btn_NextTemperature",
    "Btn_NextTemperature_n",
    "Btn_ScriptOnly",
    "Btn_ScriptOnly_n",
    "DHT11",
    "DHT12",
    "DHT21",
    "DHT22",
    "CHT83XX_SDA",
    "CHT83XX_SCK",
    "SHT3X_SDA",
    "SHT3X_SCK",
    "SoftSDA",
    "SoftSCL",
    "SM2235DAT",
    "SM2235CLK",
    "BridgeFWD",
    "BridgeREV",
    "Btn_SmartLED",
    "Btn_SmartLED_n",
    "DoorSnsrWSleep",
    "DoorSnsrWSleep_nPup",
    "BAT_ADC",
    "BAT_Relay",
    "TM1637_DIO",
    "TM1637_CLK",
    "BL0937SEL_n",
    "DoorSnsrWSleep_pd",
    "SGP_CLK",
    "SGP_DAT",
    "ADC_Button",
    "GN6932_CLK",
    "GN6932_DAT",
    "GN6932_STB",
    "TM1638_CLK",
    "TM1638_DAT",
    "TM1638_STB",
    "BAT_Relay_n",
    "KP18058_CLK",
    "KP18058_DAT",
    "DS1820_IO",
    "PWM_ScriptOnly",
    "PWM_ScriptOnly_n",
    "Counter_f",
    "Counter_r",
    "IRRecv_nPup",
    "StripState",
    "StripState_n",
    "HLW_8112_SCSN",
    "RCRecv",
    "RCRecv_nPup",
    "Btn_pd",
    "Btn_pd_n",
    "TglChanOnTgl_pd",
    "ShutterA",
    "ShutterB",
    "BtnShutterUp",
    "BtnShutterDown",
    "BL0939_SCLK",
    "BL0939_MOSI",
    "BL0939_MISO",
];

/// Old names the template importer still accepts, with their current names (docs/dump-analysis.md §4.1).
const RENAMED: &[(&str, &str)] = &[
    ("Button", "Btn"),
    ("Button_n", "Btn_n"),
    ("Relay", "Rel"),
    ("Relay_n", "Rel_n"),
];

/// The stored value of a role name, case-insensitively as OpenBeken looks it up.
pub(crate) fn role_index(name: &str) -> Option<u8> {
    let name = RENAMED
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(name))
        .map_or(name, |(_, new)| new);
    ROLE_NAMES
        .iter()
        .position(|role| role.eq_ignore_ascii_case(name))
        .map(|i| i as u8)
}

/// The name of a stored role value, if OpenBeken defines one.
pub fn role_name(index: u8) -> Option<&'static str> {
    ROLE_NAMES.get(usize::from(index)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_match_the_reference() {
        assert_eq!(role_index("Rel"), Some(1));
        assert_eq!(role_index("wifiled_n"), Some(9));
        assert_eq!(role_index("BL0937CF1"), Some(19));
        assert_eq!(role_index("BridgeREV"), Some(55));
        assert_eq!(role_index("BL0939_MISO"), Some(98));
        assert_eq!(role_index("Relay"), Some(1));
        assert_eq!(role_index("Button_n"), Some(4));
        assert_eq!(role_index("None"), Some(0));
        assert_eq!(role_index("Teleport"), None);
        assert_eq!(role_name(7), Some("PWM"));
        assert_eq!(role_name(99), None);
    }
}
