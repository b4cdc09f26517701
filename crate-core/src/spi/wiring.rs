//! Which wire goes where for SPI flashing (docs/spi-unbrick.md §2), as data for the CLI and the page:
//! the chip's download pins with their pad labels, and the pinouts of the common serprog builds.

/// One chip-side signal of the SPI download port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChipPin {
    /// What the programmer side calls it.
    pub role: &'static str,
    /// BK pin name.
    pub pin: &'static str,
    /// The JTAG pad label many boards print.
    pub pad: &'static str,
    /// Pin number on the BK7231T/N QFN32 package.
    pub qfn32: u8,
}

#[rustfmt::skip]
pub static CHIP_PINS: &[ChipPin] = &[
    ChipPin { role: "SCK", pin: "P20", pad: "TCK", qfn32: 20 },
    ChipPin { role: "CS", pin: "P21", pad: "TMS", qfn32: 19 },
    ChipPin { role: "MOSI", pin: "P22", pad: "TDI", qfn32: 18 },
    ChipPin { role: "MISO", pin: "P23", pad: "TDO", qfn32: 17 },
];

/// The GPIOs one serprog build uses (they all call themselves "pico-serprog").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgrammerPinout {
    pub build: &'static str,
    pub sck: &'static str,
    pub mosi: &'static str,
    pub miso: &'static str,
    pub cs: &'static str,
}

#[rustfmt::skip]
pub static PICO_PINOUTS: &[ProgrammerPinout] = &[
    ProgrammerPinout { build: "stacksmashing pico-serprog", sck: "GP2", mosi: "GP3", miso: "GP4", cs: "GP1" },
    ProgrammerPinout { build: "Libreboot / Riku_V pico-serprog", sck: "GP2", mosi: "GP3", miso: "GP4", cs: "GP5" },
    ProgrammerPinout { build: "kukrimate pico-serprog (since 2021)", sck: "GP2", mosi: "GP3", miso: "GP4", cs: "GP5" },
];

/// The wiring as one line: "P20 (TCK) to SCK, ..., GND to GND; CEN to GND briefly to reset".
pub fn chip_wiring_line() -> alloc::string::String {
    let mut parts: alloc::vec::Vec<alloc::string::String> = CHIP_PINS
        .iter()
        .map(|p| alloc::format!("{} ({}) to {}", p.pin, p.pad, p.role))
        .collect();
    parts.push(alloc::string::String::from("GND to GND"));
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_download_pins_are_listed_once_each() {
        let roles: alloc::vec::Vec<&str> = CHIP_PINS.iter().map(|p| p.role).collect();
        assert_eq!(roles, ["SCK", "CS", "MOSI", "MISO"]);
        assert_eq!(
            chip_wiring_line(),
            "P20 (TCK) to SCK, P21 (TMS) to CS, P22 (TDI) to MOSI, P23 (TDO) to MISO, GND to GND"
        );
        assert!(
            PICO_PINOUTS.iter().any(|p| p.cs == "GP1")
                && PICO_PINOUTS.iter().any(|p| p.cs == "GP5")
        );
    }
}
