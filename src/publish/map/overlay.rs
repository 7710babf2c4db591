//! Overlays on a map (disputed areas, signs by condition, cemetery plots by status): their
//! symbols, hatching and labels.

use super::{
    BooleanOps, Drawer, Geometry, LabelBox, LabelKind, MultiPolygon, Overlay, Plan, Symbol, around,
    escape, path_d,
};
use geo::{BoundingRect, InteriorPoint};
use std::fmt::Write as _;

pub(super) fn symbol_svg(symbol: Symbol, x: f64, y: f64, size: f64, colour: &str) -> String {
    let h = size / 2.0;
    match symbol {
        Symbol::Circle => format!(
            r##"<circle cx="{x:.2}" cy="{y:.2}" r="{h:.2}" fill="{colour}" stroke="#fff" stroke-width="0.3"/>"##
        ),
        Symbol::Triangle => format!(
            r##"<path d="M{x:.2} {:.2}L{:.2} {:.2}L{:.2} {:.2}Z" fill="{colour}" stroke="#fff" stroke-width="0.3"/>"##,
            y - h,
            x - h,
            y + h * 0.8,
            x + h,
            y + h * 0.8
        ),
        Symbol::Square => format!(
            r##"<rect x="{:.2}" y="{:.2}" width="{size:.2}" height="{size:.2}" fill="{colour}" stroke="#fff" stroke-width="0.3"/>"##,
            x - h,
            y - h
        ),
    }
}

/// An overlay's hatch pattern id.
pub(super) fn hatch_id(o: &Overlay) -> String {
    format!("hatch-{}", o.id)
}

pub(super) fn draw_overlay(svg: &mut String, d: &mut Drawer, plan: &Plan, o: &Overlay) {
    let st = &o.style;
    let dash = st
        .dash
        .as_ref()
        .map(|d| format!(r#" stroke-dasharray="{d}""#))
        .unwrap_or_default();
    let fill = if st.hatch {
        let id = hatch_id(o);
        let _ = write!(
            svg,
            r#"<defs><pattern id="{id}" width="2.2" height="2.2" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="2.2" stroke="{}" stroke-width="0.45"/></pattern></defs>"#,
            st.colour
        );
        format!(r#"fill="url(#{id})""#)
    } else {
        format!(r#"fill="{}" fill-opacity="{}""#, st.colour, st.fill_opacity)
    };
    let _ = write!(svg, r#"<g id="{}" class="overlay">"#, escape(&o.id));
    for (_, g) in &o.features {
        match g {
            Geometry::Point(p) => {
                let (x, y) = plan.at(p.0);
                svg.push_str(&symbol_svg(st.symbol, x, y, st.symbol_size, &st.colour));
                let h = st.symbol_size / 2.0;
                d.labels.try_place(
                    LabelKind::Symbol,
                    &o.legend,
                    vec![LabelBox::around(x, y, h, h)],
                );
            }
            Geometry::LineString(_) | Geometry::MultiLineString(_) => {
                let _ = write!(
                    svg,
                    r#"<path d="{}" fill="none" stroke="{}" stroke-width="{}"{dash}/>"#,
                    path_d(plan, g),
                    st.colour,
                    st.width * 1.5
                );
            }
            _ => {
                let _ = write!(
                    svg,
                    r#"<path d="{}" {fill} stroke="{}" stroke-width="{}"{dash} fill-rule="evenodd"/>"#,
                    path_d(plan, g),
                    st.outline.as_ref().unwrap_or(&st.colour),
                    st.width
                );
            }
        }
    }
    svg.push_str("</g>");
    let colour = st.label_colour.as_ref().unwrap_or(&st.colour);
    for (label, g) in &o.features {
        let Some(label) = label else { continue };
        let size = st.label_size;
        match g {
            Geometry::Point(p) => {
                let (x, y) = plan.at(p.0);
                let gap = st.symbol_size / 2.0 + 0.5;
                let offsets = [
                    (gap, 0.0),
                    (-gap, 0.0),
                    (0.0, -gap - size / 2.0),
                    (0.0, gap + size / 2.0),
                ];
                d.horizontal(
                    LabelKind::Place,
                    colour,
                    label,
                    None,
                    (x, y),
                    size,
                    1.0,
                    &offsets,
                );
            }
            Geometry::LineString(l) => {
                if let Some(c) = l.0.get(l.0.len() / 2) {
                    let at = plan.at(*c);
                    d.horizontal(
                        LabelKind::Place,
                        colour,
                        label,
                        None,
                        at,
                        size,
                        1.0,
                        &around(size),
                    );
                }
            }
            g => {
                let frame = MultiPolygon(vec![plan.ground().to_polygon()]);
                let inside = match g {
                    Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]).intersection(&frame),
                    Geometry::MultiPolygon(m) => m.intersection(&frame),
                    _ => continue,
                };
                let Some(c) = inside.interior_point() else {
                    continue;
                };
                // Inside: only at the middle, and only if the label is narrower than the area;
                // a label too wide falls back to its last part ("12-3" → "3": a plot's
                // number in its row). Otherwise: near the middle, wherever there is room.
                let fits = |text: &str| {
                    inside.bounding_rect().is_some_and(|r| {
                        d.measure.width(text, size, false) <= r.width() / plan.m_per_mm()
                            && size <= r.height() / plan.m_per_mm()
                    })
                };
                let (label, offsets) = if !st.label_inside {
                    (label.as_str(), around(size))
                } else if fits(label) {
                    (label.as_str(), vec![(0.0, 0.0)])
                } else {
                    match label.rsplit('-').next() {
                        Some(short) if fits(short) => (short, vec![(0.0, 0.0)]),
                        _ => continue,
                    }
                };
                d.horizontal(
                    LabelKind::Place,
                    colour,
                    label,
                    None,
                    plan.at(c.0),
                    size,
                    1.0,
                    &offsets,
                );
            }
        }
    }
}
