//! The dispute map for the mediation meeting (争议区域图), A4 landscape at a true scale in
//! EPSG:4546: each party's claimed area, the disputed area hatched, the units' present
//! boundaries, the boundary markers with their numbers, names, a scale bar of a round length,
//! a north arrow, the legend and the figures. SVG, rasterised to PNG by resvg; PDF by typst.

use crate::boundaries::dispute::{Dispute, mu};
use crate::spatial::crs::{CrsError, to_measure};
use geo::{BoundingRect, Centroid, CoordsIter, Geometry, MultiPolygon};
use std::fmt::Write as _;

/// The page (mm) and the map frame on it.
const PAGE: (f64, f64) = (297.0, 210.0);
const FRAME: (f64, f64, f64, f64) = (12.0, 24.0, 205.0, 174.0);

/// Party colours: the first, the second, more.
const COLOURS: [&str; 4] = ["#1f5fa8", "#2e8b57", "#b8860b", "#6a3d9a"];

/// What the map shows beside the dispute.
pub struct MapInput<'a> {
    pub dispute: &'a Dispute,
    pub area: &'a Geometry<f64>,
    /// The parties' present units (name, geometry), in the order of the parties.
    pub units: Vec<(String, Geometry<f64>)>,
    /// Markers (number, position).
    pub markers: Vec<(String, geo::Point<f64>)>,
    pub city: &'a str,
    pub date: chrono::NaiveDate,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A round length (1, 2 or 5 × 10ⁿ metres) no longer than `max_m`.
pub fn round_length(max_m: f64) -> f64 {
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|l| *l <= max_m)
        .unwrap_or(p)
}

/// The map scale denominator: the extent fits the frame, rounded up to a multiple of 500.
pub fn scale_for(width_m: f64, height_m: f64) -> f64 {
    let need = (width_m / (FRAME.2 / 1000.0)).max(height_m / (FRAME.3 / 1000.0));
    ((need / 500.0).ceil() * 500.0).max(500.0)
}

struct Frame {
    x0: f64,
    y1: f64,
    /// Metres per millimetre on paper.
    m_per_mm: f64,
}

impl Frame {
    fn at(&self, c: geo::Coord<f64>) -> (f64, f64) {
        (
            FRAME.0 + (c.x - self.x0) / self.m_per_mm,
            FRAME.1 + (self.y1 - c.y) / self.m_per_mm,
        )
    }

    fn path(&self, g: &Geometry<f64>) -> String {
        let mut d = String::new();
        let rings: Vec<geo::LineString<f64>> = match g {
            Geometry::Polygon(p) => std::iter::once(p.exterior().clone())
                .chain(p.interiors().iter().cloned())
                .collect(),
            Geometry::MultiPolygon(m) => {
                m.0.iter()
                    .flat_map(|p| {
                        std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        for r in rings {
            for (i, c) in r.coords_iter().enumerate() {
                let (x, y) = self.at(c);
                let _ = write!(d, "{}{x:.2},{y:.2} ", if i == 0 { "M" } else { "L" });
            }
            d.push_str("Z ");
        }
        // A claimed line: open.
        let lines: Vec<&geo::LineString<f64>> = match g {
            Geometry::LineString(l) => vec![l],
            Geometry::MultiLineString(m) => m.0.iter().collect(),
            _ => Vec::new(),
        };
        for l in lines {
            for (i, c) in l.coords_iter().enumerate() {
                let (x, y) = self.at(c);
                let _ = write!(d, "{}{x:.2},{y:.2} ", if i == 0 { "M" } else { "L" });
            }
        }
        d
    }
}

/// The map as SVG (page in millimetres).
pub fn svg(input: &MapInput) -> Result<String, CrsError> {
    let d = input.dispute;
    let claims: Vec<Geometry<f64>> = d
        .parties
        .iter()
        .filter_map(|p| Geometry::<f64>::try_from(p.claim.value.clone()).ok())
        .map(|g| to_measure(&g))
        .collect::<Result<_, _>>()?;
    let area = to_measure(input.area)?;
    // The extent: the disputed area with a generous margin, so both claims' edges near it show.
    let r = area
        .bounding_rect()
        .unwrap_or(geo::Rect::new((0.0, 0.0), (1.0, 1.0)));
    let margin = (r.width().max(r.height()) * 0.6).max(200.0);
    let (w_m, h_m) = (r.width() + 2.0 * margin, r.height() + 2.0 * margin);
    let scale = scale_for(w_m, h_m);
    let m_per_mm = scale / 1000.0;
    let (cx, cy) = ((r.min().x + r.max().x) / 2.0, (r.min().y + r.max().y) / 2.0);
    let frame = Frame {
        x0: cx - FRAME.2 / 2.0 * m_per_mm,
        y1: cy + FRAME.3 / 2.0 * m_per_mm,
        m_per_mm,
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{}mm" viewBox="0 0 {} {}" font-family="Noto Sans CJK SC">
<defs><pattern id="hatch" width="2.5" height="2.5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="2.5" stroke="#c0392b" stroke-width="0.5"/></pattern>
<clipPath id="frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>
<rect width="100%" height="100%" fill="#ffffff"/>"##,
        PAGE.0, PAGE.1, PAGE.0, PAGE.1, FRAME.0, FRAME.1, FRAME.2, FRAME.3
    );
    let _ = writeln!(
        s,
        r##"<text x="{}" y="14" font-size="7" font-weight="bold" text-anchor="middle">{}（争议区域图）</text>"##,
        PAGE.0 / 2.0,
        escape(&d.title)
    );
    let _ = writeln!(
        s,
        r##"<g clip-path="url(#frame)"><rect x="{}" y="{}" width="{}" height="{}" fill="#f7f5ef"/>"##,
        FRAME.0, FRAME.1, FRAME.2, FRAME.3
    );
    for (i, (_, g)) in input.units.iter().enumerate() {
        let g = to_measure(g)?;
        let _ = writeln!(
            s,
            r##"<path d="{}" fill="none" stroke="#555" stroke-width="0.45" data-unit="{i}"/>"##,
            frame.path(&g)
        );
    }
    for (i, c) in claims.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let line = matches!(c, Geometry::LineString(_) | Geometry::MultiLineString(_));
        let _ = writeln!(
            s,
            r##"<path d="{}" fill="{}" fill-opacity="0.14" stroke="{colour}" stroke-width="{}" stroke-dasharray="2.5,1.2" fill-rule="evenodd"/>"##,
            frame.path(c),
            if line { "none" } else { colour },
            if line { 1.1 } else { 0.7 }
        );
    }
    let _ = writeln!(
        s,
        r##"<path d="{}" fill="url(#hatch)" stroke="#c0392b" stroke-width="0.9" fill-rule="evenodd" id="disputed"/>"##,
        frame.path(&area)
    );
    for (number, p) in &input.markers {
        let Geometry::Point(m) = to_measure(&Geometry::Point(*p))? else {
            continue;
        };
        let (x, y) = frame.at(m.0);
        let _ = writeln!(
            s,
            r##"<path d="M{x:.2},{:.2} L{:.2},{:.2} L{:.2},{:.2} Z" fill="#111"/><text x="{:.2}" y="{:.2}" font-size="2.6">{}</text>"##,
            y - 1.6,
            x - 1.4,
            y + 1.0,
            x + 1.4,
            y + 1.0,
            x + 1.8,
            y - 1.0,
            escape(number)
        );
    }
    // Names: each party's claim labelled where its claim lies in the frame.
    for (i, (p, c)) in d.parties.iter().zip(&claims).enumerate() {
        let clip = geo::Rect::new(
            (frame.x0, frame.y1 - FRAME.3 * m_per_mm),
            (frame.x0 + FRAME.2 * m_per_mm, frame.y1),
        )
        .to_polygon();
        let at = match c {
            Geometry::Polygon(x) => {
                use geo::BooleanOps;
                MultiPolygon(vec![x.clone()])
                    .intersection(&MultiPolygon(vec![clip]))
                    .centroid()
            }
            Geometry::MultiPolygon(m) => {
                use geo::BooleanOps;
                m.intersection(&MultiPolygon(vec![clip])).centroid()
            }
            // A claimed line is labelled at its middle vertex.
            Geometry::LineString(l) => l.0.get(l.0.len() / 2).map(|c| geo::Point(*c)),
            _ => None,
        };
        let Some(at) = at else {
            continue;
        };
        let (x, y) = frame.at(at.0);
        let _ = writeln!(
            s,
            r##"<text x="{x:.2}" y="{y:.2}" font-size="4" text-anchor="middle" fill="{}" stroke="#fff" stroke-width="0.8" paint-order="stroke">{}主张</text>"##,
            COLOURS[i % COLOURS.len()],
            escape(&p.name)
        );
    }
    s.push_str("</g>\n");
    let _ = writeln!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#222" stroke-width="0.5"/>"##,
        FRAME.0, FRAME.1, FRAME.2, FRAME.3
    );
    // North arrow in the frame's top-right corner.
    let (nx, ny) = (FRAME.0 + FRAME.2 - 10.0, FRAME.1 + 6.0);
    let _ = writeln!(
        s,
        r##"<path d="M{nx},{ny} L{},{} L{nx},{} L{},{} Z" fill="#222"/><text x="{nx}" y="{}" font-size="3.5" text-anchor="middle">北</text>"##,
        nx + 2.5,
        ny + 9.0,
        ny + 6.5,
        nx - 2.5,
        ny + 9.0,
        ny + 13.5
    );
    // The scale bar: a round length, drawn at the map scale.
    let bar_m = round_length(FRAME.2 / 4.0 * m_per_mm);
    let bar_mm = bar_m / m_per_mm;
    let (bx, by) = (FRAME.0 + 5.0, FRAME.1 + FRAME.3 - 8.0);
    let label = if bar_m >= 1000.0 {
        format!("{} 千米", bar_m / 1000.0)
    } else {
        format!("{bar_m} 米")
    };
    let _ = writeln!(
        s,
        r##"<g id="scale-bar" data-length-m="{bar_m}" data-length-mm="{bar_mm:.3}"><rect x="{bx}" y="{by}" width="{:.3}" height="1.6" fill="#222"/><rect x="{:.3}" y="{by}" width="{:.3}" height="1.6" fill="#fff" stroke="#222" stroke-width="0.3"/><text x="{bx}" y="{}" font-size="3">0</text><text x="{:.3}" y="{}" font-size="3" text-anchor="middle">{label}</text></g>"##,
        bar_mm / 2.0,
        bx + bar_mm / 2.0,
        bar_mm / 2.0,
        by - 1.0,
        bx + bar_mm,
        by - 1.0
    );
    // Legend and figures.
    let lx = FRAME.0 + FRAME.2 + 8.0;
    let mut ly = FRAME.1 + 4.0;
    let _ = writeln!(
        s,
        r##"<text x="{lx}" y="{ly}" font-size="4.2" font-weight="bold">图例</text>"##
    );
    for (i, p) in d.parties.iter().enumerate() {
        ly += 8.0;
        let colour = COLOURS[i % COLOURS.len()];
        let _ = writeln!(
            s,
            r##"<rect x="{lx}" y="{}" width="8" height="4.5" fill="{colour}" fill-opacity="0.14" stroke="{colour}" stroke-dasharray="2,1"/><text x="{}" y="{ly}" font-size="3.3">{}主张范围</text>"##,
            ly - 3.6,
            lx + 10.0,
            escape(&p.name)
        );
    }
    ly += 8.0;
    let _ = writeln!(
        s,
        r##"<rect x="{lx}" y="{}" width="8" height="4.5" fill="url(#hatch)" stroke="#c0392b"/><text x="{}" y="{ly}" font-size="3.3">争议区域</text>"##,
        ly - 3.6,
        lx + 10.0
    );
    ly += 8.0;
    let _ = writeln!(
        s,
        r##"<line x1="{lx}" y1="{}" x2="{}" y2="{}" stroke="#555" stroke-width="0.45"/><text x="{}" y="{ly}" font-size="3.3">现行区域界线</text>"##,
        ly - 1.3,
        lx + 8.0,
        ly - 1.3,
        lx + 10.0
    );
    ly += 8.0;
    let _ = writeln!(
        s,
        r##"<path d="M{},{} L{},{} L{},{} Z" fill="#111"/><text x="{}" y="{ly}" font-size="3.3">界桩</text>"##,
        lx + 4.0,
        ly - 4.0,
        lx + 1.5,
        ly,
        lx + 6.5,
        ly,
        lx + 10.0
    );
    let figures = [
        format!("争议面积：{:.0} 平方米", d.area_m2),
        format!(
            "　　　　　{:.2} 亩，{:.4} 平方千米",
            mu(d.area_m2),
            d.area_m2 / 1e6
        ),
        format!(
            "区域内：门牌 {}，地名 {}，街路巷 {}，界桩 {}，墓位 {}，散坟 {}",
            d.contents.door_plates,
            d.contents.places,
            d.contents.streets,
            d.contents.markers,
            d.contents.plots,
            d.contents.graves
        ),
        format!("状态：{}", d.status.label()),
        format!("比例尺 1:{scale:.0}"),
        "坐标系：CGCS2000".to_string(),
        "高斯投影 3° 带，中央子午线 111°E".to_string(),
        format!("{}民政局 {} 制图", input.city, input.date),
    ];
    ly += 10.0;
    for f in figures {
        let _ = writeln!(
            s,
            r##"<text x="{lx}" y="{ly}" font-size="2.9">{}</text>"##,
            escape(&f)
        );
        ly += 6.0;
    }
    s.push_str("</svg>\n");
    Ok(s)
}

/// The map as a one-page PDF (the SVG placed at full size by typst).
pub fn pdf(svg: &str) -> Result<Vec<u8>, super::pdf::PdfError> {
    let source = format!(
        "#set page(width: {}mm, height: {}mm, margin: 0mm)\n#image(bytes({}), format: \"svg\", width: 100%)\n",
        PAGE.0,
        PAGE.1,
        super::pdf::string(svg)
    );
    super::pdf::render(
        &source,
        &super::pdf::Fonts::load_from(&super::signs::SIGN_FONTS)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bars_have_round_lengths_that_fit() {
        assert_eq!(round_length(1234.0), 1000.0);
        assert_eq!(round_length(480.0), 200.0);
        assert_eq!(round_length(5.0), 5.0);
        assert_eq!(round_length(0.7), 0.5);
        // 2 km × 1 km fits a 205 × 174 mm frame at 1:10,000.
        assert_eq!(scale_for(2000.0, 1000.0), 10_000.0);
        assert_eq!(scale_for(2001.0, 10.0), 10_000.0);
    }
}
