//! The wiring picture's drawing as data: which wire goes from which adapter pin to which module pad,
//! and the SVG markup that lays them out (adapter left, module right, one straight row per wire).

use std::fmt::Write;

use bkflash_core::modules::{Module, Pad, RX1, SPI, Side, Signal, TX1};

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
    pub to: String,
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

    /// Where the wire ends on the module, in words.
    pub fn end(&self) -> String {
        self.pad.map_or_else(|| String::from("no pad"), Pad::where_)
    }
}

#[allow(clippy::too_many_arguments)]
fn wire(
    module: &Module,
    class: &'static str,
    from: &'static str,
    arrow: &'static str,
    signal: Signal,
    to: String,
    note: &'static str,
    dashed: bool,
) -> Wire {
    Wire {
        class,
        from,
        arrow,
        signal,
        to,
        note,
        dashed,
        pad: module.pad_for(signal),
    }
}

/// The wires of `mode` for `module`, top to bottom.
pub fn wires(module: &Module, mode: WiringMode) -> Vec<Wire> {
    match mode {
        WiringMode::Uart => vec![
            wire(
                module,
                "wire-tx",
                "TX",
                "→",
                RX1,
                "RX1 (P10)".into(),
                "required",
                false,
            ),
            wire(
                module,
                "wire-rx",
                "RX",
                "←",
                TX1,
                "TX1 (P11)".into(),
                "required",
                false,
            ),
            wire(
                module,
                "wire-gnd",
                "GND",
                "—",
                Signal::Gnd,
                "GND".into(),
                "required",
                false,
            ),
            wire(
                module,
                "wire-cen",
                "RTS",
                "⇢",
                Signal::Cen,
                "CEN".into(),
                "optional: automatic reset",
                true,
            ),
        ],
        WiringMode::Spi => {
            let arrows = ["→", "→", "→", "←"];
            let mut list: Vec<Wire> = SPI
                .iter()
                .zip(arrows)
                .zip(["wire-tx", "wire-cs", "wire-mosi", "wire-rx"])
                .map(|(((signal, role), arrow), class)| {
                    wire(
                        module,
                        class,
                        role,
                        arrow,
                        *signal,
                        signal.name(),
                        "required",
                        false,
                    )
                })
                .collect();
            list.push(wire(
                module,
                "wire-gnd",
                "GND",
                "—",
                Signal::Gnd,
                "GND".into(),
                "required",
                false,
            ));
            list.push(wire(
                module,
                "wire-cen",
                "GPIO",
                "⇢",
                Signal::Cen,
                "CEN".into(),
                "optional: a spare programmer pin, or touch CEN to GND",
                true,
            ));
            list
        }
    }
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

const WIDTH: f32 = 360.0;
const BOX_X: f32 = 214.0;
const BOX_W: f32 = 142.0;
const BOX_TOP: f32 = 22.0;
const BOX_H: f32 = 250.0;
const ROW_TOP: f32 = 52.0;
const ROW_STEP: f32 = 28.0;
const HEIGHT: f32 = 280.0;

/// Where `pad` is drawn inside the module box.
fn pad_centre(module: &Module, pad: &Pad) -> (f32, f32) {
    let (sides, bottom) = module.edge_slots;
    let slot = f32::from(pad.slot);
    match pad.side {
        Side::Left | Side::Right => {
            let step = (BOX_H - 70.0) / f32::from(sides.max(1));
            let x = if pad.side == Side::Left {
                BOX_X + 5.0
            } else {
                BOX_X + BOX_W - 5.0
            };
            (x, BOX_TOP + 34.0 + step * (slot + 0.5))
        }
        Side::Bottom => {
            let step = (BOX_W - 10.0) / f32::from(bottom.max(1));
            (BOX_X + 5.0 + step * (slot + 0.5), BOX_TOP + BOX_H - 5.0)
        }
        Side::Back => {
            let column = f32::from(pad.slot % 3);
            let row = f32::from(pad.slot / 3);
            (BOX_X + 44.0 + column * 32.0, BOX_TOP + 150.0 + row * 18.0)
        }
    }
}

/// The picture's inner SVG markup: title, desc, adapter, supply, module and wires.
pub fn markup(module: &Module, mode: WiringMode, id: &str) -> String {
    let wires = wires(module, mode);
    let mut svg = String::new();
    let (title, left) = match mode {
        WiringMode::Uart => ("Wiring for flashing over UART", "USB-UART adapter (3.3 V)"),
        WiringMode::Spi => ("Wiring for SPI recovery", "serprog programmer"),
    };
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{title}: {}</title><desc id="{id}-desc">{}</desc>"#,
        module.name,
        sentence(module, mode)
    );
    let pins = wires.len() + usize::from(mode == WiringMode::Uart);
    let left_h = ROW_STEP * pins as f32 + 8.0;
    let _ = write!(
        svg,
        r#"<rect class="box" x="4" y="{BOX_TOP}" width="70" height="{left_h}" rx="6"/><text class="head" x="6" y="14">{left}</text>"#
    );
    for (row, w) in wires.iter().enumerate() {
        let y = ROW_TOP + ROW_STEP * row as f32;
        let dash = if w.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<text x="10" y="{}">{}</text><line class="wire {}"{dash} x1="74" y1="{y}" x2="{BOX_X}" y2="{y}"/><text class="label" x="80" y="{}">{} · {}</text>"#,
            y + 4.0,
            w.from,
            w.class,
            y - 4.0,
            w.label(),
            w.end()
        );
        if w.dashed {
            let short = w.note.split(',').next().unwrap_or(w.note);
            let _ = write!(
                svg,
                r#"<text class="label" x="80" y="{}">{short}</text>"#,
                y + 12.0
            );
        }
        match w.pad {
            Some(pad) => {
                let (px, py) = pad_centre(module, pad);
                let _ = write!(
                    svg,
                    r#"<line class="wire {}"{dash} x1="{BOX_X}" y1="{y}" x2="{px}" y2="{py}"/>"#,
                    w.class
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r#"<text class="missing" x="{}" y="{}">✗ no pad</text>"#,
                    BOX_X + 4.0,
                    y + 4.0
                );
            }
        }
    }
    supply(&mut svg, module, mode, wires.len());
    module_box(&mut svg, module, &wires);
    svg
}

/// The separate 3.3 V supply under the adapter, and the adapter's own 3V3 pin greyed out (UART).
fn supply(svg: &mut String, module: &Module, mode: WiringMode, rows: usize) {
    let weak_row = ROW_TOP + ROW_STEP * rows as f32;
    let top = match mode {
        WiringMode::Uart => {
            let _ = write!(
                svg,
                r#"<g class="weak"><text x="10" y="{}">3V3</text><text class="label" x="80" y="{}">✗ adapter 3V3: too weak</text></g>"#,
                weak_row + 4.0,
                weak_row + 4.0
            );
            weak_row + 22.0
        }
        WiringMode::Spi => weak_row - 6.0,
    };
    let y = top + 22.0;
    let _ = write!(
        svg,
        r#"<rect class="box supply" x="4" y="{top}" width="70" height="44" rx="6"/><text class="head" x="8" y="{}">3.3 V supply</text><text class="label" x="8" y="{}">≥ 300 mA</text><text class="label" x="8" y="{}">never 5 V</text>"#,
        top + 13.0,
        top + 26.0,
        top + 39.0
    );
    if let Some(pad) = module.pad_for(Signal::Vcc) {
        let (px, py) = pad_centre(module, pad);
        let _ = write!(
            svg,
            r#"<line class="wire wire-power" x1="74" y1="{y}" x2="{BOX_X}" y2="{y}"/><line class="wire wire-power" x1="{BOX_X}" y1="{y}" x2="{px}" y2="{py}"/><text class="label" x="80" y="{}">+3.3 V → 3V3 · {}</text>"#,
            y - 4.0,
            pad.where_()
        );
    }
}

/// The module outline with every pad, the wired ones filled with their wire's colour.
fn module_box(svg: &mut String, module: &Module, wires: &[Wire]) {
    let _ = write!(
        svg,
        r#"<rect class="box module" x="{BOX_X}" y="{BOX_TOP}" width="{BOX_W}" height="{BOX_H}" rx="4"/><text class="head" x="{}" y="{}">{} · {}</text><text class="label" x="{}" y="{}" text-anchor="end">antenna end</text>"#,
        BOX_X + 6.0,
        BOX_TOP + 12.0,
        module.name,
        module.family.name(),
        BOX_X + BOX_W - 6.0,
        BOX_TOP + 24.0,
    );
    if module.pads.iter().any(|p| p.side == Side::Back) {
        let _ = write!(
            svg,
            r#"<text class="label" x="{}" y="{}">test pads on the back:</text>"#,
            BOX_X + 24.0,
            BOX_TOP + 134.0
        );
    }
    for pad in module.pads {
        let (x, y) = pad_centre(module, pad);
        let class = wires
            .iter()
            .find(|w| w.pad == Some(pad))
            .map(|w| w.class)
            .or_else(|| (module.pad_for(Signal::Vcc) == Some(pad)).then_some("wire-power"))
            .unwrap_or("pad");
        let (label_x, anchor) = match pad.side {
            Side::Left => (x + 6.0, "start"),
            Side::Right => (x - 6.0, "end"),
            Side::Bottom | Side::Back => (x, "middle"),
        };
        let label_y = match pad.side {
            Side::Bottom => y - 7.0,
            Side::Back => y + 10.0,
            _ => y + 3.0,
        };
        let _ = write!(
            svg,
            r#"<rect class="pad-mark {class}" x="{}" y="{}" width="7" height="7"/><text class="pad-name" x="{label_x}" y="{label_y}" text-anchor="{anchor}">{}</text>"#,
            x - 3.5,
            y - 3.5,
            pad.name
        );
    }
}

/// The picture's viewBox: fixed drawing units, scaled to the width it gets.
pub fn view_box() -> String {
    format!("0 0 {WIDTH} {HEIGHT}")
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
    fn spi_on_a_cb2s_lacks_p20_and_p22() {
        let cb2s = module("CB2S").unwrap();
        assert_eq!(missing(cb2s, WiringMode::Spi), ["P20 (SCK)", "P22 (MOSI)"]);
        assert!(missing(module("WB3S").unwrap(), WiringMode::Spi).is_empty());
        assert!(missing(cb2s, WiringMode::Uart).is_empty());
    }
}
