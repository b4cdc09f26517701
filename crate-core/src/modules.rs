//! The common Tuya modules around a BK7231T/N: every pad's name, number, place on the board and the
//! chip signal behind it, as data for the wiring picture (docs/modules.md, docs/spi-unbrick.md §2).

use crate::chips::ChipFamily;

/// Where a pad sits, seen from the shield (component) side with the antenna at the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The left edge; `slot` counts from the top.
    Left,
    /// The right edge; `slot` counts from the top.
    Right,
    /// The bottom edge; `slot` counts from the left.
    Bottom,
    /// A test pad on the back, reachable only with a wire soldered to it; `slot` orders them.
    Back,
}

/// The chip signal a pad carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// GPIO `Pn`: P10/P11 are UART1 RX/TX (flashing), P0 is UART2 TX (logs), P20-P23 the SPI port.
    Gpio(u8),
    /// Chip enable: low resets the chip.
    Cen,
    Vcc,
    Gnd,
}

/// One pad of a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pad {
    /// What the module's silkscreen or datasheet calls it: the pad number, or a test pad's name.
    pub name: &'static str,
    pub side: Side,
    pub slot: u8,
    pub signal: Signal,
}

/// One module: its chip, pads and where the facts come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Module {
    pub name: &'static str,
    pub family: ChipFamily,
    /// Pads per edge, so a drawing can space them: (left/right, bottom).
    pub edge_slots: (u8, u8),
    pub pads: &'static [Pad],
    pub source: &'static str,
}

/// UART1 receive: the adapter's TX goes here.
pub const RX1: Signal = Signal::Gpio(10);
/// UART1 transmit: the adapter's RX goes here.
pub const TX1: Signal = Signal::Gpio(11);
/// UART2 transmit: the firmware's log.
pub const TX2: Signal = Signal::Gpio(0);
/// The SPI download port (docs/spi-unbrick.md §2.1): SCK, CS#, MOSI, MISO.
pub const SPI: [(Signal, &str); 4] = [
    (Signal::Gpio(20), "SCK"),
    (Signal::Gpio(21), "CS"),
    (Signal::Gpio(22), "MOSI"),
    (Signal::Gpio(23), "MISO"),
];

const fn pad(name: &'static str, side: Side, slot: u8, signal: Signal) -> Pad {
    Pad {
        name,
        side,
        slot,
        signal,
    }
}

use Side::{Back, Bottom, Left, Right};
use Signal::{Cen, Gnd, Gpio, Vcc};

const LT: &str = "LibreTiny board definitions (boards/*.json, boards/_base/pcb/*.json) and the Tuya datasheet they link";

/// The "2" series (CB2S, WB2S): 11 castellated pads along the bottom edge, pad 11 on the left.
const fn two_series(number: u8, name: &'static str, signal: Signal) -> Pad {
    pad(name, Bottom, 11 - number, signal)
}

/// The ESP-12 footprint (CB3S, WB3S): 1-8 down the left, 9-16 up the right, 17-22 along the bottom.
const fn twelve(number: u8, name: &'static str, signal: Signal) -> Pad {
    match number {
        1..=8 => pad(name, Left, number - 1, signal),
        9..=16 => pad(name, Right, 16 - number, signal),
        _ => pad(name, Bottom, number - 17, signal),
    }
}

/// The "2L" series (CB2L, WB2L): 7 pads along the bottom, pad 1 on the left.
const fn two_l(number: u8, name: &'static str, signal: Signal) -> Pad {
    pad(name, Bottom, number - 1, signal)
}

/// The "U" series (CBU): 1-7 down the left, 8-14 along the bottom, 15-21 up the right.
const fn u_series(number: u8, name: &'static str, signal: Signal) -> Pad {
    match number {
        1..=7 => pad(name, Left, number - 1, signal),
        8..=14 => pad(name, Bottom, number - 8, signal),
        _ => pad(name, Right, 21 - number, signal),
    }
}

#[rustfmt::skip]
static CB2S: [Pad; 14] = [
    two_series(1, "1", Vcc), two_series(2, "2", Gpio(6)), two_series(3, "3", Gnd),
    two_series(4, "4", Gpio(7)), two_series(5, "5", Gpio(10)), two_series(6, "6", Gpio(8)),
    two_series(7, "7", Gpio(11)), two_series(8, "8", Gpio(23)), two_series(9, "9", Gpio(24)),
    two_series(10, "10", Cen), two_series(11, "11", Gpio(26)),
    pad("TRX2", Back, 0, Gpio(1)), pad("TTX2", Back, 1, Gpio(0)), pad("TCSN", Back, 2, Gpio(21)),
];

#[rustfmt::skip]
static WB2S: [Pad; 20] = [
    two_series(1, "1", Vcc), two_series(2, "2", Gpio(8)), two_series(3, "3", Gnd),
    two_series(4, "4", Gpio(7)), two_series(5, "5", Gpio(10)), two_series(6, "6", Gpio(6)),
    two_series(7, "7", Gpio(11)), two_series(8, "8", Gpio(23)), two_series(9, "9", Gpio(24)),
    two_series(10, "10", Cen), two_series(11, "11", Gpio(26)),
    pad("TSCK", Back, 0, Gpio(20)), pad("TCSN", Back, 1, Gpio(21)), pad("TSI", Back, 2, Gpio(22)),
    pad("TSO", Back, 3, Gpio(23)), pad("TRX2", Back, 4, Gpio(1)), pad("TTX2", Back, 5, Gpio(0)),
    pad("TPWM3", Back, 6, Gpio(9)), pad("TVCC", Back, 7, Vcc), pad("TGND", Back, 8, Gnd),
];

#[rustfmt::skip]
static CB3S: [Pad; 20] = [
    twelve(1, "1", Cen), twelve(2, "2", Gpio(23)), twelve(3, "3", Cen), twelve(4, "4", Gpio(14)),
    twelve(5, "5", Gpio(26)), twelve(6, "6", Gpio(24)), twelve(7, "7", Gpio(6)), twelve(8, "8", Vcc),
    twelve(9, "9", Gnd), twelve(10, "10", Gpio(9)), twelve(11, "11", Gpio(0)), twelve(12, "12", Gpio(21)),
    twelve(13, "13", Gpio(8)), twelve(14, "14", Gpio(7)), twelve(15, "15", Gpio(10)), twelve(16, "16", Gpio(11)),
    twelve(17, "17", Gpio(23)), twelve(18, "18", Gpio(22)), twelve(19, "19", Gpio(21)), twelve(20, "20", Gpio(20)),
];

#[rustfmt::skip]
static WB3S: [Pad; 20] = [
    twelve(1, "1", Cen), twelve(2, "2", Gpio(23)), twelve(3, "3", Cen), twelve(4, "4", Gpio(14)),
    twelve(5, "5", Gpio(26)), twelve(6, "6", Gpio(24)), twelve(7, "7", Gpio(6)), twelve(8, "8", Vcc),
    twelve(9, "9", Gnd), twelve(10, "10", Gpio(7)), twelve(11, "11", Gpio(0)), twelve(12, "12", Gpio(1)),
    twelve(13, "13", Gpio(9)), twelve(14, "14", Gpio(8)), twelve(15, "15", Gpio(10)), twelve(16, "16", Gpio(11)),
    twelve(17, "17", Gpio(23)), twelve(18, "18", Gpio(22)), twelve(19, "19", Gpio(21)), twelve(20, "20", Gpio(20)),
];

#[rustfmt::skip]
static CB2L: [Pad; 13] = [
    two_l(1, "1", Gpio(8)), two_l(2, "2", Gpio(7)), two_l(3, "3", Gpio(6)), two_l(4, "4", Gpio(26)),
    two_l(5, "5", Gpio(24)), two_l(6, "6", Gnd), two_l(7, "7", Vcc),
    pad("TRX1", Back, 0, Gpio(10)), pad("TTX1", Back, 1, Gpio(11)), pad("TTX2", Back, 2, Gpio(0)),
    pad("TRST", Back, 3, Cen), pad("TCSN", Back, 4, Gpio(21)), pad("TGND", Back, 5, Gnd),
];

#[rustfmt::skip]
static WB2L: [Pad; 17] = [
    two_l(1, "1", Gpio(8)), two_l(2, "2", Gpio(7)), two_l(3, "3", Gpio(6)), two_l(4, "4", Gpio(26)),
    two_l(5, "5", Gpio(24)), two_l(6, "6", Gnd), two_l(7, "7", Vcc),
    pad("TRX1", Back, 0, Gpio(10)), pad("TTX1", Back, 1, Gpio(11)), pad("TRX2", Back, 2, Gpio(1)),
    pad("TTX2", Back, 3, Gpio(0)), pad("TRST", Back, 4, Cen), pad("TSCK", Back, 5, Gpio(20)),
    pad("TCSN", Back, 6, Gpio(21)), pad("TSI", Back, 7, Gpio(22)), pad("TSO", Back, 8, Gpio(23)),
    pad("TGND", Back, 9, Gnd),
];

#[rustfmt::skip]
static CBU: [Pad; 22] = [
    u_series(1, "1", Gpio(14)), u_series(2, "2", Gpio(16)), u_series(3, "3", Gpio(20)),
    u_series(4, "4", Gpio(22)), u_series(5, "5", Gpio(23)), u_series(6, "6", Gpio(1)),
    u_series(7, "7", Gpio(0)), u_series(8, "8", Gpio(8)), u_series(9, "9", Gpio(7)),
    u_series(10, "10", Gpio(6)), u_series(11, "11", Gpio(26)), u_series(12, "12", Gpio(24)),
    u_series(13, "13", Gnd), u_series(14, "14", Vcc), u_series(15, "15", Gpio(11)),
    u_series(16, "16", Gpio(10)), u_series(17, "17", Gpio(28)), u_series(18, "18", Cen),
    u_series(19, "19", Gpio(9)), u_series(20, "20", Gpio(17)), u_series(21, "21", Gpio(15)),
    pad("TCSN", Back, 0, Gpio(21)),
];

/// The modules the wiring picture offers, most common first.
pub static MODULES: [Module; 7] = [
    Module {
        name: "CB2S",
        family: ChipFamily::Bk7231N,
        edge_slots: (0, 11),
        pads: &CB2S,
        source: LT,
    },
    Module {
        name: "WB2S",
        family: ChipFamily::Bk7231T,
        edge_slots: (0, 11),
        pads: &WB2S,
        source: LT,
    },
    Module {
        name: "CB3S",
        family: ChipFamily::Bk7231N,
        edge_slots: (8, 6),
        pads: &CB3S,
        source: LT,
    },
    Module {
        name: "WB3S",
        family: ChipFamily::Bk7231T,
        edge_slots: (8, 6),
        pads: &WB3S,
        source: LT,
    },
    Module {
        name: "CB2L",
        family: ChipFamily::Bk7231N,
        edge_slots: (0, 7),
        pads: &CB2L,
        source: LT,
    },
    Module {
        name: "WB2L",
        family: ChipFamily::Bk7231T,
        edge_slots: (0, 7),
        pads: &WB2L,
        source: LT,
    },
    Module {
        name: "CBU",
        family: ChipFamily::Bk7231N,
        edge_slots: (7, 7),
        pads: &CBU,
        source: LT,
    },
];

/// The module named `name` (case-insensitive).
pub fn module(name: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

impl Module {
    /// Every pad carrying `signal`, edge pads before test pads.
    pub fn pads_for(&self, signal: Signal) -> impl Iterator<Item = &'static Pad> {
        let pads: &'static [Pad] = self.pads;
        let edge = pads
            .iter()
            .filter(move |p| p.signal == signal && p.side != Back);
        let back = pads
            .iter()
            .filter(move |p| p.signal == signal && p.side == Back);
        edge.chain(back)
    }

    /// The pad to wire for `signal`: an edge pad if there is one, else a test pad.
    pub fn pad_for(&self, signal: Signal) -> Option<&'static Pad> {
        self.pads_for(signal).next()
    }
}

impl Signal {
    /// The name a wiring guide uses: "P10", "CEN", "3V3", "GND".
    pub fn name(self) -> alloc::string::String {
        match self {
            Gpio(n) => alloc::format!("P{n}"),
            Cen => "CEN".into(),
            Vcc => "3V3".into(),
            Gnd => "GND".into(),
        }
    }
}

impl Pad {
    /// "pad 7" for an edge pad, "test pad TCSN" for one on the back.
    pub fn where_(&self) -> alloc::string::String {
        if self.side == Back {
            alloc::format!("test pad {}", self.name)
        } else {
            alloc::format!("pad {}", self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::*;

    #[test]
    fn every_module_has_uart1_ground_and_power() {
        for m in &MODULES {
            for signal in [RX1, TX1, Gnd, Vcc] {
                assert!(m.pad_for(signal).is_some(), "{} has no {signal:?}", m.name);
            }
        }
    }

    #[test]
    fn pads_sit_in_distinct_places_within_their_edge() {
        for m in &MODULES {
            for (i, a) in m.pads.iter().enumerate() {
                let limit = match a.side {
                    Left | Right => m.edge_slots.0,
                    Bottom => m.edge_slots.1,
                    Back => u8::MAX,
                };
                assert!(a.slot < limit, "{} pad {} is off its edge", m.name, a.name);
                assert!(
                    m.pads[i + 1..]
                        .iter()
                        .all(|b| (b.side, b.slot) != (a.side, a.slot) && b.name != a.name),
                    "{} pad {} is listed twice",
                    m.name,
                    a.name
                );
            }
        }
    }

    /// Where each module has P20, P21, P22, P23 and CEN, copied from docs/spi-unbrick.md §2.1
    /// ("-" = not on a pad).
    const SPI_TABLE: [(&str, [&str; 5]); 6] = [
        ("WB3S", ["20", "19", "18", "2 17", "1 3"]),
        ("CB3S", ["20", "12 19", "18", "2 17", "1 3"]),
        ("WB2S", ["TSCK", "TCSN", "TSI", "8 TSO", "10"]),
        ("WB2L", ["TSCK", "TCSN", "TSI", "TSO", "TRST"]),
        ("CB2S", ["-", "TCSN", "-", "8", "10"]),
        ("CB2L", ["-", "TCSN", "-", "-", "-"]),
    ];

    fn pads_named(m: &Module, signal: Signal) -> String {
        let names: Vec<&str> = m.pads_for(signal).map(|p| p.name).collect();
        if names.is_empty() {
            String::from("-")
        } else {
            names.join(" ")
        }
    }

    #[test]
    fn spi_pads_match_the_spi_unbrick_table() {
        for (name, expected) in SPI_TABLE {
            let m = module(name).unwrap();
            let signals = [Gpio(20), Gpio(21), Gpio(22), Gpio(23), Cen];
            for (signal, want) in signals.into_iter().zip(expected) {
                if (name, signal) == ("CB2L", Cen) {
                    continue; // see cb2l_cen_is_on_its_reset_test_pad
                }
                assert_eq!(pads_named(m, signal), want, "{name} {signal:?}");
            }
        }
    }

    /// The §2.1 table counts only pads with a chip pin number; LibreTiny's CB2L gives its TRST test
    /// pad the CEN role without one, so the picture offers it (docs/modules.md).
    #[test]
    fn cb2l_cen_is_on_its_reset_test_pad() {
        let pad = module("cb2l").unwrap().pad_for(Cen).unwrap();
        assert_eq!((pad.name, pad.side), ("TRST", Back));
    }

    #[test]
    fn the_two_series_puts_pad_one_at_the_right_end() {
        let cb2s = module("CB2S").unwrap();
        let vcc = cb2s.pad_for(Vcc).unwrap();
        assert_eq!((vcc.name, vcc.side, vcc.slot), ("1", Bottom, 10));
        assert_eq!(cb2s.pad_for(TX1).unwrap().where_(), "pad 7");
        assert_eq!(cb2s.pad_for(TX2).unwrap().where_(), "test pad TTX2");
    }
}
