//! The wiring picture's SVG: the laid-out drawing written as markup (outlines, wires, pads, then texts
//! on top), with a title and a one-sentence description for screen readers.

use std::fmt::Write;

use bkflash_core::modules::Module;

use super::layout::{Anchor, Drawing, MARK, layout};
use super::{WiringMode, sentence};

/// The picture for `module`: its viewBox (drawing units; it scales to the width it gets) and its
/// inner markup, whose title and description ids start with `id`.
pub fn picture(module: &Module, mode: WiringMode, id: &str) -> (String, String) {
    let title = match mode {
        WiringMode::Uart => "Wiring for flashing over UART",
        WiringMode::Spi => "Wiring for SPI recovery",
    };
    let drawing = layout(module, mode);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{title}: {}</title><desc id="{id}-desc">{}</desc>"#,
        module.name,
        sentence(module, mode)
    );
    draw(&mut svg, &drawing);
    (format!("0 0 {} {}", drawing.width, drawing.height), svg)
}

fn draw(svg: &mut String, d: &Drawing) {
    for f in &d.frames {
        let _ = write!(
            svg,
            r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="5"/>"#,
            f.class, f.x, f.y, f.w, f.h
        );
    }
    for r in &d.routes {
        let dash = if r.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let points: Vec<String> = r.points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = write!(
            svg,
            r#"<polyline class="wire {}"{dash} points="{}"/>"#,
            r.class,
            points.join(" ")
        );
    }
    for m in &d.marks {
        let _ = write!(
            svg,
            r#"<rect class="pad-mark {}" x="{}" y="{}" width="{MARK}" height="{MARK}"/>"#,
            m.class,
            m.x - MARK / 2.0,
            m.y - MARK / 2.0
        );
    }
    for t in &d.texts {
        let anchor = match t.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let _ = write!(
            svg,
            r#"<text class="{}" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
            t.class, t.x, t.y, t.content
        );
    }
}
