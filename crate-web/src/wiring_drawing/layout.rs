//! The wiring picture's geometry as data: boxes, pad marks, texts and wire routes. Wires run at right
//! angles through lanes outside the module, so none crosses a pad, a label or another wire's path.

use bkflash_core::modules::{Module, Pad, Side, Signal};

use super::{WiringMode, wires};

/// Where a text hangs from its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text; `class` also sets its size (`www/wiring.css`).
pub struct Text {
    pub x: f32,
    pub y: f32,
    pub class: &'static str,
    pub anchor: Anchor,
    pub content: String,
}

/// An outline: the adapter, the supply, the module or its back.
pub struct Frame {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub class: &'static str,
}

/// A pad drawn as a small square, filled with the colour of the wire that ends on it.
pub struct Mark {
    pub x: f32,
    pub y: f32,
    pub class: &'static str,
}

/// One wire from the adapter (or supply) to the centre of its pad, as a polyline of right angles;
/// a wire the module has no pad for stops short of the lanes.
pub struct Route {
    pub class: &'static str,
    pub dashed: bool,
    pub points: Vec<(f32, f32)>,
}

pub struct Drawing {
    pub width: f32,
    pub height: f32,
    pub frames: Vec<Frame>,
    pub routes: Vec<Route>,
    pub marks: Vec<Mark>,
    pub texts: Vec<Text>,
}

const WIDTH: f32 = 406.0;
/// A pad mark's side.
pub const MARK: f32 = 7.0;

const ADAPTER_X: f32 = 4.0;
const ADAPTER_W: f32 = 48.0;
const SUPPLY_W: f32 = 80.0;
const PIN_X: f32 = 10.0;
const LABEL_X: f32 = 58.0;
/// The leftmost lane; every text on the left ends before it.
const LANE_X: f32 = 214.0;
const LANE_STEP: f32 = 5.0;
const BOX_X: f32 = 250.0;
const BOX_W: f32 = 130.0;
const BOX_TOP: f32 = 22.0;
const BOX_H: f32 = 250.0;
const BOX_BOTTOM: f32 = BOX_TOP + BOX_H;
const RIGHT_LANE_X: f32 = BOX_X + BOX_W + 6.0;
const ROW_TOP: f32 = 52.0;
const ROW_STEP: f32 = 28.0;
const LEVEL_TOP: f32 = BOX_BOTTOM + 8.0;
const LEVEL_STEP: f32 = 5.0;

/// The font size a text class is drawn at (www/wiring.css).
fn font_size(class: &str) -> f32 {
    if class.contains("pad-name") {
        7.5
    } else if class.contains("label") {
        9.5
    } else {
        10.0
    }
}

/// A generous guess of a text's width: wider than the page's sans-serif fonts set it.
fn text_width(text: &Text) -> f32 {
    text.content.chars().count() as f32 * 0.6 * font_size(text.class)
}

fn text(x: f32, y: f32, class: &'static str, anchor: Anchor, content: impl Into<String>) -> Text {
    Text {
        x,
        y,
        class,
        anchor,
        content: content.into(),
    }
}

/// The distance between two pad slots on `side`.
fn slot_step(module: &Module, side: Side) -> f32 {
    let (span, slots) = match side {
        Side::Left | Side::Right => (BOX_H - 70.0, usize::from(module.edge_slots.0)),
        Side::Bottom => (BOX_W - 10.0, usize::from(module.edge_slots.1)),
        Side::Back => (back_width() - 10.0, back_count(module)),
    };
    span / slots.max(1) as f32
}

/// Where `pad` sits: on the module's edges, or on the back panel that starts at `back_top`.
fn pad_centre(module: &Module, pad: &Pad, back_top: f32) -> (f32, f32) {
    let along = slot_step(module, pad.side) * (f32::from(pad.slot) + 0.5);
    match pad.side {
        Side::Left => (BOX_X + 5.0, BOX_TOP + 34.0 + along),
        Side::Right => (BOX_X + BOX_W - 5.0, BOX_TOP + 34.0 + along),
        Side::Bottom => (BOX_X + 5.0 + along, BOX_BOTTOM - 5.0),
        Side::Back => (BOX_X + 5.0 + along, back_top + 6.0),
    }
}

fn back_count(module: &Module) -> usize {
    module.pads.iter().filter(|p| p.side == Side::Back).count()
}

fn back_width() -> f32 {
    WIDTH - 4.0 - BOX_X
}

/// One wire before routing: where it leaves the left side and the pad it goes to.
struct Start {
    class: &'static str,
    dashed: bool,
    at: (f32, f32),
    pad: Option<&'static Pad>,
}

/// Lay out the picture of `mode` for `module`.
pub fn layout(module: &Module, mode: WiringMode) -> Drawing {
    let mut d = Drawing {
        width: WIDTH,
        height: 0.0,
        frames: Vec::new(),
        routes: Vec::new(),
        marks: Vec::new(),
        texts: Vec::new(),
    };
    let starts = left_side(&mut d, module, mode);
    let below = starts
        .iter()
        .filter(|s| s.pad.is_some_and(|p| p.side != Side::Left))
        .count();
    let levels_end = LEVEL_TOP + LEVEL_STEP * below.saturating_sub(1) as f32;
    let back_top = levels_end + 8.0;
    route(&mut d, module, &starts, back_top);
    module_box(&mut d, module);
    let back_staggered = needs_stagger(module, Side::Back);
    let bottom = if back_count(module) > 0 {
        back_panel(&mut d, back_top, back_staggered)
    } else {
        levels_end
    };
    pads(&mut d, module, &starts, back_top, back_staggered);
    d.height = bottom.max(BOX_BOTTOM) + 6.0;
    d
}

/// The adapter with one row per wire, the separate supply under it, and where each wire starts.
fn left_side(d: &mut Drawing, module: &Module, mode: WiringMode) -> Vec<Start> {
    let wires = wires(module, mode);
    let heading = match mode {
        WiringMode::Uart => "USB-UART adapter (3.3 V)",
        WiringMode::Spi => "serprog programmer",
    };
    d.texts
        .push(text(6.0, 14.0, "head", Anchor::Start, heading));
    let pins = wires.len() + usize::from(mode == WiringMode::Uart);
    d.frames.push(Frame {
        x: ADAPTER_X,
        y: BOX_TOP,
        w: ADAPTER_W,
        h: ROW_STEP * pins as f32 + 16.0,
        class: "box",
    });
    let mut starts = Vec::new();
    for (row, w) in wires.iter().enumerate() {
        let y = ROW_TOP + ROW_STEP * row as f32;
        let end = w
            .pad
            .map_or_else(|| String::from("no pad"), |p| format!("pad {}", p.name));
        d.texts
            .push(text(PIN_X, y + 4.0, "", Anchor::Start, w.from));
        d.texts.push(text(
            LABEL_X,
            y - 5.0,
            "label",
            Anchor::Start,
            format!("{} · {end}", w.label()),
        ));
        if w.dashed {
            d.texts.push(text(
                LABEL_X,
                y + 12.0,
                "label",
                Anchor::Start,
                w.picture_note(),
            ));
        }
        if w.pad.is_none() {
            d.texts
                .push(text(LANE_X - 9.0, y + 4.0, "missing", Anchor::Start, "✗"));
            d.routes.push(Route {
                class: w.class,
                dashed: w.dashed,
                points: vec![(ADAPTER_X + ADAPTER_W, y), (LANE_X - 12.0, y)],
            });
        }
        starts.push(Start {
            class: w.class,
            dashed: w.dashed,
            at: (ADAPTER_X + ADAPTER_W, y),
            pad: w.pad,
        });
    }
    let mut top = ROW_TOP + ROW_STEP * wires.len() as f32;
    if mode == WiringMode::Uart {
        d.texts
            .push(text(PIN_X, top + 4.0, "weak", Anchor::Start, "3V3"));
        d.texts.push(text(
            LABEL_X,
            top + 4.0,
            "label weak",
            Anchor::Start,
            "✗ adapter 3V3: too weak",
        ));
        top += 22.0;
    } else {
        top -= 6.0;
    }
    d.frames.push(Frame {
        x: ADAPTER_X,
        y: top,
        w: SUPPLY_W,
        h: 44.0,
        class: "box supply",
    });
    for (dy, class, words) in [
        (13.0, "head", "3.3 V supply"),
        (26.0, "label", "≥ 300 mA"),
        (39.0, "label", "never 5 V"),
    ] {
        d.texts
            .push(text(8.0, top + dy, class, Anchor::Start, words));
    }
    let power = module.pad_for(Signal::Vcc);
    let y = top + 22.0;
    if let Some(pad) = power {
        d.texts.push(text(
            ADAPTER_X + SUPPLY_W + 6.0,
            y - 5.0,
            "label",
            Anchor::Start,
            format!("+3.3 V → 3V3 · pad {}", pad.name),
        ));
    }
    starts.push(Start {
        class: "wire-power",
        dashed: false,
        at: (ADAPTER_X + SUPPLY_W, y),
        pad: power,
    });
    starts.retain(|s| s.pad.is_some());
    starts
}

/// Route every wire that has a pad: right to its own lane (the top row takes the rightmost, so
/// rows never cross a lane), then to a left pad directly, or under the module on its own level to
/// a bottom pad, a back pad, or up its own lane outside the right edge to a right pad. Wires to the
/// back take the lowest levels, so their drops never meet the rises to the bottom edge.
fn route(d: &mut Drawing, module: &Module, starts: &[Start], back_top: f32) {
    let lanes = starts.len();
    let side = |s: &Start| s.pad.map(|p| p.side);
    let under: Vec<usize> = (0..lanes)
        .filter(|&i| matches!(side(&starts[i]), Some(Side::Bottom | Side::Right)))
        .chain((0..lanes).filter(|&i| side(&starts[i]) == Some(Side::Back)))
        .collect();
    let mut right = 0;
    for (index, start) in starts.iter().enumerate() {
        let Some(pad) = start.pad else { continue };
        let lane = LANE_X + LANE_STEP * (lanes - 1 - index) as f32;
        let (x, y) = start.at;
        let (px, py) = pad_centre(module, pad, back_top);
        let mut points = vec![(x, y), (lane, y)];
        match under.iter().position(|&i| i == index) {
            None => points.extend([(lane, py), (px, py)]),
            Some(level) => {
                let ly = LEVEL_TOP + LEVEL_STEP * level as f32;
                points.push((lane, ly));
                if pad.side == Side::Right {
                    let rx = RIGHT_LANE_X + LANE_STEP * right as f32;
                    right += 1;
                    points.extend([(rx, ly), (rx, py), (px, py)]);
                } else {
                    points.extend([(px, ly), (px, py)]);
                }
            }
        }
        d.routes.push(Route {
            class: start.class,
            dashed: start.dashed,
            points,
        });
    }
}

fn module_box(d: &mut Drawing, module: &Module) {
    d.frames.push(Frame {
        x: BOX_X,
        y: BOX_TOP,
        w: BOX_W,
        h: BOX_H,
        class: "box module",
    });
    d.texts.push(text(
        BOX_X + 6.0,
        BOX_TOP + 12.0,
        "head",
        Anchor::Start,
        format!("{} · {}", module.name, module.family.name()),
    ));
    d.texts.push(text(
        BOX_X + BOX_W - 6.0,
        BOX_TOP + 24.0,
        "label",
        Anchor::End,
        "antenna end",
    ));
}

/// The module's back, drawn as its own panel under the wire levels; returns where it ends.
fn back_panel(d: &mut Drawing, top: f32, staggered: bool) -> f32 {
    let heading_y = top + if staggered { 40.0 } else { 31.0 };
    let h = heading_y + 5.0 - top;
    d.frames.push(Frame {
        x: BOX_X,
        y: top,
        w: back_width(),
        h,
        class: "box back",
    });
    d.texts.push(text(
        BOX_X + 6.0,
        heading_y,
        "label",
        Anchor::Start,
        "test pads on the back",
    ));
    top + h
}

/// Whether the names of the pads on `side` are too wide to sit side by side.
fn needs_stagger(module: &Module, side: Side) -> bool {
    let step = slot_step(module, side);
    module.pads.iter().filter(|p| p.side == side).any(|p| {
        let name = text(0.0, 0.0, "pad-name", Anchor::Middle, p.name);
        text_width(&name) > step - 2.0
    })
}

/// Every pad's mark and name; a wired pad takes its wire's colour, the power pad red.
fn pads(d: &mut Drawing, module: &Module, starts: &[Start], back_top: f32, back_staggered: bool) {
    let bottom_staggered = needs_stagger(module, Side::Bottom);
    for pad in module.pads {
        let (x, y) = pad_centre(module, pad, back_top);
        let class = starts
            .iter()
            .find(|s| s.pad == Some(pad))
            .map_or("pad", |s| s.class);
        d.marks.push(Mark { x, y, class });
        let second_row = pad.slot % 2 == 1;
        let (label_x, label_y, anchor) = match pad.side {
            Side::Left => (x + 6.0, y + 3.0, Anchor::Start),
            Side::Right => (x - 6.0, y + 3.0, Anchor::End),
            Side::Bottom if bottom_staggered && second_row => (x, y - 15.0, Anchor::Middle),
            Side::Bottom => (x, y - 7.0, Anchor::Middle),
            Side::Back if back_staggered && second_row => (x, y + 21.0, Anchor::Middle),
            Side::Back => (x, y + 12.0, Anchor::Middle),
        };
        d.texts
            .push(text(label_x, label_y, "pad-name", anchor, pad.name));
    }
}

#[cfg(test)]
mod tests {
    use bkflash_core::modules::MODULES;

    use super::*;

    /// A box as (left, top, right, bottom).
    type Rect = (f32, f32, f32, f32);

    /// Half a wire's stroke (`.wire` in www/wiring.css).
    const HALF_STROKE: f32 = 1.2;

    fn mark_rect(m: &Mark) -> Rect {
        let half = MARK / 2.0;
        (m.x - half, m.y - half, m.x + half, m.y + half)
    }

    /// The mark a route ends on, if it ends on one.
    fn target<'a>(d: &'a Drawing, route: &Route) -> Option<&'a Mark> {
        let end = route.points.last()?;
        d.marks.iter().find(|m| (m.x, m.y) == *end)
    }

    fn text_rect(t: &Text) -> Rect {
        let w = text_width(t);
        let size = font_size(t.class);
        let left = match t.anchor {
            Anchor::Start => t.x,
            Anchor::Middle => t.x - w / 2.0,
            Anchor::End => t.x - w,
        };
        (left, t.y - 0.8 * size, left + w, t.y + 0.25 * size)
    }

    fn segment_rect(a: (f32, f32), b: (f32, f32)) -> Rect {
        (
            a.0.min(b.0) - HALF_STROKE,
            a.1.min(b.1) - HALF_STROKE,
            a.0.max(b.0) + HALF_STROKE,
            a.1.max(b.1) + HALF_STROKE,
        )
    }

    fn overlap(a: Rect, b: Rect) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    fn segments(route: &Route) -> impl Iterator<Item = ((f32, f32), (f32, f32))> + '_ {
        route.points.windows(2).map(|w| (w[0], w[1]))
    }

    fn every_drawing() -> impl Iterator<Item = (String, Drawing)> {
        MODULES.iter().flat_map(|m| {
            [WiringMode::Uart, WiringMode::Spi]
                .into_iter()
                .map(move |mode| (format!("{} {mode:?}", m.name), layout(m, mode)))
        })
    }

    #[test]
    fn every_wire_runs_at_right_angles_and_ends_on_its_own_pad() {
        for (name, d) in every_drawing() {
            for route in &d.routes {
                for (a, b) in segments(route) {
                    assert!(
                        a.0 == b.0 || a.1 == b.1,
                        "{name}: a slanted segment {a:?}-{b:?}"
                    );
                }
                let end = route.points.last().unwrap();
                match target(&d, route) {
                    Some(mark) => assert_eq!(
                        mark.class, route.class,
                        "{name}: the pad at {end:?} takes its wire's colour"
                    ),
                    None => assert!(
                        end.0 < LANE_X,
                        "{name}: the {} wire ends on no pad at {end:?}",
                        route.class
                    ),
                }
            }
        }
    }

    #[test]
    fn no_wire_crosses_a_pad_other_than_its_own() {
        for (name, d) in every_drawing() {
            for route in &d.routes {
                let own = target(&d, route).map(|m| (m.x, m.y));
                for mark in d.marks.iter().filter(|m| Some((m.x, m.y)) != own) {
                    for (a, b) in segments(route) {
                        assert!(
                            !overlap(segment_rect(a, b), mark_rect(mark)),
                            "{name}: the {} wire crosses the pad at ({}, {})",
                            route.class,
                            mark.x,
                            mark.y
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn no_two_wires_run_along_each_other() {
        for (name, d) in every_drawing() {
            for (i, one) in d.routes.iter().enumerate() {
                for other in &d.routes[i + 1..] {
                    for (a, b) in segments(one) {
                        for (c, e) in segments(other) {
                            let both_level =
                                a.1 == b.1 && c.1 == e.1 && (a.1 - c.1).abs() < 2.0 * HALF_STROKE;
                            let both_upright =
                                a.0 == b.0 && c.0 == e.0 && (a.0 - c.0).abs() < 2.0 * HALF_STROKE;
                            let shared = overlap(segment_rect(a, b), segment_rect(c, e));
                            assert!(
                                !(shared && (both_level || both_upright)),
                                "{name}: {} and {} run along each other at {a:?}-{b:?}",
                                one.class,
                                other.class
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn no_text_touches_a_wire_a_pad_or_another_text_and_all_fits() {
        for (name, d) in every_drawing() {
            for (i, t) in d.texts.iter().enumerate() {
                let r = text_rect(t);
                assert!(
                    r.0 >= 0.0 && r.1 >= 0.0 && r.2 <= d.width && r.3 <= d.height,
                    "{name}: '{}' leaves the picture",
                    t.content
                );
                for other in &d.texts[i + 1..] {
                    assert!(
                        !overlap(r, text_rect(other)),
                        "{name}: '{}' overlaps '{}'",
                        t.content,
                        other.content
                    );
                }
                for mark in &d.marks {
                    assert!(
                        !overlap(r, mark_rect(mark)),
                        "{name}: '{}' covers the pad at ({}, {})",
                        t.content,
                        mark.x,
                        mark.y
                    );
                }
                for route in &d.routes {
                    for (a, b) in segments(route) {
                        assert!(
                            !overlap(r, segment_rect(a, b)),
                            "{name}: the {} wire crosses '{}'",
                            route.class,
                            t.content
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn left_texts_end_before_the_first_lane() {
        for (name, d) in every_drawing() {
            for t in d.texts.iter().filter(|t| t.x < LANE_X) {
                assert!(
                    text_rect(t).2 < LANE_X - 2.0,
                    "{name}: '{}' runs into the lanes",
                    t.content
                );
            }
        }
    }
}
