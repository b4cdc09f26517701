//! The wiring picture as data: which wire goes from which adapter pin to which module pad, and the
//! same in one sentence; `layout` places it all and `svg` writes the markup.

mod layout;
mod svg;

use bkflash_core::modules::{Module, Pad, RX1, SPI, Signal, TX1};

pub use svg::picture;

/// What the picture shows: flashing over UART, or the SPI recovery wiring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WiringMode {
    Uart,
    Spi,
}

/// One wire: its colour class, what the left end is called, the arrow, the chip signal and a note.
pub struct Wire {
    pub class: &'static str,
    pub from: &'static str,
    pub arrow: &'static str,
    pub signal: Signal,
    /// How the signal is named at the module: "RX1 (P10)", "CEN", "P20".
    pub to: &'static str,
    pub note: &'static str,
    pub dashed: bool,
    /// The pad on this module, `None` when it has none.
    pub pad: Option<&'static Pad>,
}

impl Wire {
    /// "TX→RX1 (P10)": the wire as a guide writes it.
    pub fn label(&self) -> String {
        format!("{}{}{}", self.from, self.arrow, self.to)
    }

    /// The note as the picture prints it, under the label: up to the first comma.
    pub fn picture_note(&self) -> &'static str {
        self.note.split(',').next().unwrap_or(self.note)
    }

    /// Where the wire ends on the module, in words.
    pub fn end(&self) -> String {
        self.pad.map_or_else(|| String::from("no pad"), Pad::where_)
    }
}

/// A row of the wire tables: class, from, arrow, signal, to, note, dashed.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Signal,
    &'static str,
    &'static str,
    bool,
);

#[rustfmt::skip]
const GND: Row = ("wire-gnd", "GND", "—", Signal::Gnd, "GND", "required", false);

#[rustfmt::skip]
const UART_WIRES: [Row; 4] = [
    ("wire-tx", "TX", "→", RX1, "RX1 (P10)", "required", false),
    ("wire-rx", "RX", "←", TX1, "TX1 (P11)", "required", false),
    GND,
    ("wire-cen", "RTS", "⇢", Signal::Cen, "CEN", "optional: automatic reset", true),
];

/// The SPI download port's four wires in `SPI`'s order (a test holds them to it), then ground and CEN.
#[rustfmt::skip]
const SPI_WIRES: [Row; 6] = [
    ("wire-tx", "SCK", "→", SPI[0].0, "P20", "required", false),
    ("wire-cs", "CS", "→", SPI[1].0, "P21", "required", false),
    ("wire-mosi", "MOSI", "→", SPI[2].0, "P22", "required", false),
    ("wire-rx", "MISO", "←", SPI[3].0, "P23", "required", false),
    GND,
    ("wire-cen", "GPIO", "⇢", Signal::Cen, "CEN", "optional: a spare pin, or touch CEN to GND", true),
];

/// The wires of `mode` for `module`, top to bottom.
pub fn wires(module: &Module, mode: WiringMode) -> Vec<Wire> {
    let rows: &[Row] = match mode {
        WiringMode::Uart => &UART_WIRES,
        WiringMode::Spi => &SPI_WIRES,
    };
    rows.iter()
        .map(|&(class, from, arrow, signal, to, note, dashed)| Wire {
            class,
            from,
            arrow,
            signal,
            to,
            note,
            dashed,
            pad: module.pad_for(signal),
        })
        .collect()
}

/// The signals `mode` needs that `module` has no pad for.
pub fn missing(module: &Module, mode: WiringMode) -> Vec<String> {
    wires(module, mode)
        .into_iter()
        .filter(|w| w.pad.is_none())
        .map(|w| format!("{} ({})", w.signal.name(), w.from))
        .collect()
}

/// The whole wiring in one sentence, for the picture's `<desc>`.
pub fn sentence(module: &Module, mode: WiringMode) -> String {
    let parts: Vec<String> = wires(module, mode)
        .iter()
        .map(|w| {
            let optional = if w.dashed { "optionally " } else { "" };
            format!("{optional}{} on {}", w.label(), w.end())
        })
        .collect();
    let side = match mode {
        WiringMode::Uart => "Adapter",
        WiringMode::Spi => "Programmer",
    };
    let power = module
        .pad_for(Signal::Vcc)
        .map_or_else(String::new, Pad::where_);
    let weak = match mode {
        WiringMode::Uart => "; the adapter's own 3V3 pin is too weak",
        WiringMode::Spi => "",
    };
    format!(
        "{side} to {} ({}): {}. Power 3V3 ({power}) from its own 3.3 V supply of at least 300 mA, never 5 V, and share GND{weak}.",
        module.name,
        module.family.name(),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use bkflash_core::modules::module;

    use super::*;

    #[test]
    fn the_sentence_names_the_crossed_uart_lines_and_the_pads() {
        let cb2s = module("CB2S").unwrap();
        let text = sentence(cb2s, WiringMode::Uart);
        assert!(text.contains("TX→RX1 (P10) on pad 5"), "{text}");
        assert!(text.contains("RX←TX1 (P11) on pad 7"), "{text}");
        assert!(text.contains("never 5 V"), "{text}");
    }

    #[test]
    fn the_spi_wires_follow_the_cores_spi_port() {
        for (row, (signal, role)) in SPI_WIRES.iter().zip(SPI) {
            assert_eq!(
                (row.3, row.1, row.4),
                (signal, role, signal.name().as_str())
            );
        }
    }

    #[test]
    fn spi_on_a_cb2s_lacks_p20_and_p22() {
        let cb2s = module("CB2S").unwrap();
        assert_eq!(missing(cb2s, WiringMode::Spi), ["P20 (SCK)", "P22 (MOSI)"]);
        assert!(missing(module("WB3S").unwrap(), WiringMode::Spi).is_empty());
        assert!(missing(cb2s, WiringMode::Uart).is_empty());
    }
}
