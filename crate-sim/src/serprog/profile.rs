//! Serprog programmer firmwares as data (docs/spi-unbrick.md §4.4, §9.2): command map, name, clock
//! steps, and each firmware's known bug, so the host's workarounds can be tested one by one.

/// What a firmware does with an opcode it does not implement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownCommand {
    Nak,
    /// stm32-vserprog: nothing at all.
    Silent,
}

/// How a firmware turns an S_SPI_FREQ request into a real clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockModel {
    /// RP2040 PIO, 4 system clocks per bit with a fractional divider: about 477 Hz to 31.25 MHz.
    Pio,
    /// RP2040 PL022 (pico-sdk `spi_set_baudrate`): even prescaler 2..254 times a divider 1..256.
    Pl022,
    /// STM32F1 SPI1: 72 MHz / 2..256 in powers of two, 36 MHz down to 281.25 kHz.
    Stm32,
}

/// RP2040 system and peripheral clock.
const RP2040_HZ: u64 = 125_000_000;
const STM32_SPI_HZ: u32 = 72_000_000;

impl ClockModel {
    /// The clock set for a request of `hz` (> 0): the nearest step at or below it, or the slowest.
    pub fn choose(self, hz: u32) -> u32 {
        let hz = u64::from(hz.max(1));
        match self {
            ClockModel::Pio => {
                let slowest = RP2040_HZ / (4 * 65_536);
                hz.clamp(slowest + 1, RP2040_HZ / 4) as u32
            }
            ClockModel::Pl022 => {
                let prescale = (2..=254u64)
                    .step_by(2)
                    .find(|p| RP2040_HZ < p * 256 * hz)
                    .unwrap_or(254);
                let divider = (2..=256u64)
                    .rev()
                    .find(|d| RP2040_HZ / (prescale * (d - 1)) > hz)
                    .unwrap_or(1);
                (RP2040_HZ / (prescale * divider)) as u32
            }
            ClockModel::Stm32 => (1..=8)
                .map(|k| STM32_SPI_HZ >> k)
                .find(|&step| u64::from(step) <= hz)
                .unwrap_or(STM32_SPI_HZ >> 8),
        }
    }
}

/// One serprog firmware, byte-exact where the host can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Firmware {
    /// Profile name for `bkflash-sim --serprog NAME` and test output.
    pub name: &'static str,
    /// Q_PGMNAME, NUL-padded to 16 bytes on the wire.
    pub program_name: &'static str,
    /// Opcodes set in Q_CMDMAP; anything else is unknown to the firmware.
    pub commands: &'static [u8],
    pub unknown: UnknownCommand,
    /// A write phase longer than this overflows the firmware's buffer: it crashes and stays silent.
    pub crash_above: Option<usize>,
    /// Q_WRNMAXLEN and Q_RDNMAXLEN answers; an O_SPIOP beyond them is NAKed.
    pub max_lengths: Option<(usize, usize)>,
    pub clock: ClockModel,
    pub default_hz: u32,
    /// Old kukrimate: S_SPI_FREQ answers without reading its 4 parameter bytes.
    pub freq_params_left_over: bool,
    /// Riku_V: S_SPI_CS with a valid chip select (0..=3) never answers.
    pub chip_select_unanswered: bool,
    /// pico-sdk stdio: every byte is ignored while DTR is not asserted.
    pub silent_until_dtr: bool,
    /// S_PIN_STATE(0) really lets go of the SPI pins (stacksmashing only ACKs it).
    pub pins_can_float: bool,
}

/// NOP..Q_BUSTYPE, SYNCNOP, S_BUSTYPE, O_SPIOP, S_SPI_FREQ, S_PIN_STATE: the map of most builds.
const COMMON_MAP: &[u8] = &[
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x12, 0x13, 0x14, 0x15,
];
const WITH_CHIP_SELECT: &[u8] = &[
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x12, 0x13, 0x14, 0x15, 0x16,
];
const WITH_MAX_LENGTHS: &[u8] = &[
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
];

const STACKSMASHING: Firmware = Firmware {
    name: "pico-serprog",
    program_name: "pico-serprog",
    commands: COMMON_MAP,
    unknown: UnknownCommand::Nak,
    crash_above: Some(4096),
    max_lengths: None,
    clock: ClockModel::Pio,
    default_hz: 1_000_000,
    freq_params_left_over: false,
    chip_select_unanswered: false,
    silent_until_dtr: true,
    pins_can_float: false,
};

#[rustfmt::skip]
pub static FIRMWARES: &[Firmware] = &[
    STACKSMASHING,
    Firmware {
        name: "libreboot-pico-serprog",
        commands: WITH_CHIP_SELECT,
        crash_above: None,
        clock: ClockModel::Pl022,
        default_hz: 12_000_000,
        chip_select_unanswered: true,
        silent_until_dtr: false,
        pins_can_float: true,
        ..STACKSMASHING
    },
    Firmware {
        name: "kukrimate-2021",
        crash_above: None,
        clock: ClockModel::Pl022,
        default_hz: 12_000_000,
        freq_params_left_over: true,
        silent_until_dtr: false,
        ..STACKSMASHING
    },
    Firmware {
        name: "stm32-vserprog",
        program_name: "stm32-vserprog",
        unknown: UnknownCommand::Silent,
        crash_above: None,
        clock: ClockModel::Stm32,
        default_hz: 9_000_000,
        silent_until_dtr: false,
        pins_can_float: true,
        ..STACKSMASHING
    },
    Firmware {
        name: "spec-complete",
        program_name: "serprog-spec",
        commands: WITH_MAX_LENGTHS,
        crash_above: None,
        max_lengths: Some((512, 1024)),
        silent_until_dtr: false,
        ..STACKSMASHING
    },
];

/// The profile called `name`.
pub fn firmware(name: &str) -> Option<&'static Firmware> {
    FIRMWARES.iter().find(|f| f.name == name)
}

impl Firmware {
    pub fn implements(&self, opcode: u8) -> bool {
        self.commands.contains(&opcode)
    }

    /// The Q_CMDMAP bitmap.
    pub(crate) fn command_map(&self) -> [u8; 32] {
        let mut map = [0u8; 32];
        for &op in self.commands {
            map[usize::from(op / 8)] |= 1 << (op % 8);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_steps_follow_each_spi_block() {
        assert_eq!(ClockModel::Pio.choose(1_000_000), 1_000_000);
        assert_eq!(ClockModel::Pio.choose(100), 477);
        assert_eq!(
            ClockModel::Stm32.choose(30_000),
            281_250,
            "stm32-vserprog cannot go below 281.25 kHz"
        );
        assert_eq!(ClockModel::Stm32.choose(1_000_000), 562_500);
        assert_eq!(ClockModel::Stm32.choose(100_000_000), 36_000_000);
        let pl022 = ClockModel::Pl022.choose(1_000_000);
        assert!(pl022 <= 1_000_000 && pl022 > 950_000, "{pl022}");
        let slow = ClockModel::Pl022.choose(30_000);
        assert!(slow <= 30_000 && slow > 29_000, "{slow}");
    }

    #[test]
    fn profiles_are_distinct_and_map_o_spiop() {
        for (i, f) in FIRMWARES.iter().enumerate() {
            assert!(FIRMWARES[i + 1..].iter().all(|o| o.name != f.name));
            assert!(f.implements(0x13) && f.command_map()[2] & 0x08 != 0);
            assert_eq!(firmware(f.name), Some(f));
        }
    }
}
