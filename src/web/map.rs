//! A plain SVG map of the current state, for the home page (the print renderer and the
//! interactive map come with their own issues). Longitude is scaled by cos(latitude) so that
//! shapes keep their proportions.

use crate::boundaries::UnitLevel;
use crate::model::{Body, CurrentState, Layer};
use geo::{Centroid, Coord, Geometry, Intersects, LineString, Polygon, Rect};
use std::fmt::Write;

/// Text for HTML and SVG, in element content or an attribute value.
use crate::publish::escape as esc;

pub(super) struct Frame {
    rect: Rect<f64>,
    k: f64,
    scale: f64,
    pub(super) height: f64,
}

impl Frame {
    pub(super) fn new(rect: Rect<f64>, width: f64) -> Self {
        let k = rect.center().y.to_radians().cos();
        let scale = width / (rect.width() * k);
        Frame {
            rect,
            k,
            scale,
            height: rect.height() * scale,
        }
    }

    pub(super) fn xy(&self, c: Coord<f64>) -> (f64, f64) {
        (
            (c.x - self.rect.min().x) * self.k * self.scale,
            (self.rect.max().y - c.y) * self.scale,
        )
    }

    fn path(&self, ring: &LineString<f64>, close: bool) -> String {
        let mut d = String::new();
        for (i, c) in ring.0.iter().enumerate() {
            let (x, y) = self.xy(*c);
            let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
        }
        if close {
            d.push('Z');
        }
        d
    }

    fn polygon(&self, p: &Polygon<f64>) -> String {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|r| self.path(r, true))
            .collect()
    }

    pub(super) fn geometry(&self, g: &Geometry<f64>) -> String {
        match g {
            Geometry::Polygon(p) => self.polygon(p),
            Geometry::MultiPolygon(m) => m.iter().map(|p| self.polygon(p)).collect(),
            Geometry::LineString(l) => self.path(l, false),
            Geometry::MultiLineString(m) => m.iter().map(|l| self.path(l, false)).collect(),
            _ => String::new(),
        }
    }
}

const FILLS: [&str; 6] = [
    "#e8f1e4", "#f3ead8", "#e2ecf5", "#f4e1e1", "#ece4f3", "#f6f3dc",
];

/// Draws the registry inside `rect`, `width` pixels wide. `detail` adds streets, door plates
/// and labels.
/// `visible` says which records the viewer may see (the public sees public records only).
pub fn render(
    state: &CurrentState,
    rect: Rect<f64>,
    width: f64,
    detail: bool,
    visible: &dyn Fn(&Body) -> bool,
) -> String {
    let f = Frame::new(rect, width);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{h:.0}" viewBox="0 0 {width:.0} {h:.0}" font-family="Noto Sans CJK SC, sans-serif"><rect width="100%" height="100%" fill="#fbfbf8"/>"##,
        h = f.height
    );
    let mut units: Vec<_> = state
        .versions::<crate::boundaries::AdminUnit>()
        .filter(|(v, _)| visible(&v.body))
        .map(|(v, u)| (u, v))
        .collect();
    units.sort_by_key(|(u, _)| (u.level.depth(), u.code));
    for (i, (u, v)) in units.iter().enumerate() {
        let fill = if u.level.depth() == 2 {
            FILLS[i % FILLS.len()]
        } else {
            "none"
        };
        let stroke = ["#333", "#666", "#999"][usize::from(u.level.depth())];
        let _ = write!(
            svg,
            r##"<path d="{}" fill="{fill}" stroke="{stroke}" stroke-width="{}" fill-rule="evenodd"><title>{} {}</title></path>"##,
            f.geometry(&v.geometry),
            2.0 - 0.5 * f64::from(u.level.depth()),
            u.code.short(),
            esc(&u.name)
        );
    }
    if detail {
        for v in state
            .index()
            .intersecting(Layer::Street, rect)
            .iter()
            .filter_map(|id| state.get(id))
            .filter(|v| visible(&v.body))
        {
            let _ = write!(
                svg,
                r##"<path d="{}" fill="none" stroke="#c8a04a" stroke-width="3"><title>{}</title></path>"##,
                f.geometry(&v.geometry),
                esc(&v.body.title())
            );
        }
        for v in state
            .index()
            .intersecting(Layer::DoorPlate, rect)
            .iter()
            .filter_map(|id| state.get(id))
            .filter(|v| visible(&v.body))
        {
            if let Geometry::Point(p) = &v.geometry {
                let (x, y) = f.xy(p.0);
                let _ = write!(
                    svg,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="1.2" fill="#b33"/>"##
                );
            }
        }
    }
    for v in state.layer(Layer::Place).filter(|v| visible(&v.body)) {
        let Some(c) = v.geometry.centroid() else {
            continue;
        };
        if !rect.intersects(&c) {
            continue;
        }
        let (x, y) = f.xy(c.0);
        let name = esc(&v.body.title());
        // Names only where there is room for them; the overview shows dots with tooltips.
        let label = if detail {
            format!(
                r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#1f3f68">{name}</text>"##,
                x + 6.0,
                y + 4.0
            )
        } else {
            String::new()
        };
        let _ = write!(
            svg,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#1f5fa8"><title>{name}</title></circle>{label}"##
        );
    }
    // Community names on the town map, 嘎查 names on the overview.
    let labelled = if detail {
        UnitLevel::Community
    } else {
        UnitLevel::Village
    };
    for (u, v) in units.iter().filter(|(u, _)| u.level == labelled) {
        let Some(c) = geo::InteriorPoint::interior_point(&v.geometry) else {
            continue;
        };
        if !rect.intersects(&c) {
            continue;
        }
        let (x, y) = f.xy(c.0);
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{y:.1}" font-size="13" text-anchor="middle" fill="#444" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
            esc(&u.name)
        );
    }
    svg.push_str("</svg>");
    svg
}
