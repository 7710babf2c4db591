//! The print renderer: maps on paper at a true scale in EPSG:4546, drawn as SVG from a style
//! and a layout in `maps/` (see [`style`]), rasterised to PNG by resvg and set as PDF by typst
//! (vector content, fonts embedded). The street map (街区图) is the first map drawn with it:
//! units and their names, water, railway, settlements and parks, streets by class with their
//! names along the line (Chinese in upright characters spaced along the street, the Mongolian
//! form beside it along the street, repeated on long streets), landmarks, door-plate numbers
//! at large scales; around the frame a title, a kilometre grid, an inset of the whole city, a
//! legend, a scale bar of a round length, a north arrow and the credits. No label overlaps
//! another ([`labels`]).
//!
//! The registry gathers what lies inside the frame ([`Plan::ground`]) and hands it over as
//! [`MapData`] in metres; this module knows nothing of stores.

mod drawer;
mod furniture;
pub mod labels;
mod legend;
mod overlay;
mod render;
pub mod style;

use drawer::*;
use furniture::*;
use legend::*;
use overlay::*;
pub use render::render;

use crate::addresses::StreetClass;
use crate::names::PlaceCategory;
use geo::{
    BooleanOps, BoundingRect, Coord, Geometry, InteriorPoint, MapCoords, MultiPolygon, Rect,
};
use labels::{LabelBox, LabelKind, Labels, Measure, Path, Placed};
pub use style::{Area, Layout, Style, StyleError};

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("缺少字体文件 {0}（请安装 fonts-noto-cjk 与 fonts-noto-core）")]
    Font(String),
    #[error(transparent)]
    Style(#[from] StyleError),
    #[error("{0}")]
    Extent(String),
    #[error(transparent)]
    Png(#[from] super::raster::PngError),
    #[error(transparent)]
    Pdf(#[from] super::pdf::PdfError),
}

/// Scales a map is drawn at (denominators): the smallest that fits the extent is chosen.
pub const SCALES: [f64; 20] = [
    500.0,
    1000.0,
    2000.0,
    2500.0,
    5000.0,
    7500.0,
    10_000.0,
    12_500.0,
    15_000.0,
    20_000.0,
    25_000.0,
    50_000.0,
    75_000.0,
    100_000.0,
    150_000.0,
    200_000.0,
    250_000.0,
    500_000.0,
    1_000_000.0,
    2_000_000.0,
];

/// Where on the ground the frame is and at what scale.
#[derive(Debug, Clone)]
pub struct Plan {
    pub layout: Layout,
    /// The scale denominator.
    pub scale: f64,
    /// Easting of the frame's left edge and northing of its top edge (m).
    pub left: f64,
    pub top: f64,
}

impl Plan {
    /// The smallest scale of [`SCALES`] at which `extent` (EPSG:4546, m) fits the frame,
    /// centred; or the scale asked for.
    pub fn new(layout: Layout, extent: Rect<f64>, scale: Option<f64>) -> Result<Plan, MapError> {
        let (w, h) = (extent.width().max(1.0), extent.height().max(1.0));
        let need = (w / layout.frame.w).max(h / layout.frame.h) * 1000.0;
        let scale = match scale {
            Some(s) if s >= 100.0 => s,
            Some(s) => return Err(MapError::Extent(format!("比例尺 1:{s} 不合理"))),
            None => SCALES
                .into_iter()
                .find(|s| *s >= need)
                .ok_or_else(|| MapError::Extent("范围太大，无法在这张纸上按比例绘制".into()))?,
        };
        let m_per_mm = scale / 1000.0;
        let c = extent.center();
        Ok(Plan {
            left: c.x - layout.frame.w / 2.0 * m_per_mm,
            top: c.y + layout.frame.h / 2.0 * m_per_mm,
            layout,
            scale,
        })
    }

    /// Metres on the ground per millimetre on paper.
    pub fn m_per_mm(&self) -> f64 {
        self.scale / 1000.0
    }

    /// The frame's extent on the ground (EPSG:4546).
    pub fn ground(&self) -> Rect<f64> {
        let f = &self.layout.frame;
        Rect::new(
            (self.left, self.top - f.h * self.m_per_mm()),
            (self.left + f.w * self.m_per_mm(), self.top),
        )
    }

    /// A ground coordinate on paper (mm from the page's top left).
    pub fn at(&self, c: Coord<f64>) -> (f64, f64) {
        let f = &self.layout.frame;
        (
            f.x + (c.x - self.left) / self.m_per_mm(),
            f.y + (self.top - c.y) / self.m_per_mm(),
        )
    }
}

/// A named feature in EPSG:4546.
#[derive(Debug, Clone)]
pub struct Named<T> {
    pub name: String,
    pub name_mn: Option<String>,
    pub kind: T,
    pub geometry: Geometry<f64>,
}

/// How a point of an overlay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Circle,
    /// A boundary marker.
    Triangle,
    Square,
}

/// How an overlay draws its features.
#[derive(Debug, Clone)]
pub struct OverlayStyle {
    pub colour: String,
    /// How opaque an area's fill is (0 = outline only).
    pub fill_opacity: f64,
    /// Areas hatched in the colour (a disputed area).
    pub hatch: bool,
    /// Outline or line width (mm).
    pub width: f64,
    pub dash: Option<String>,
    pub symbol: Symbol,
    /// Size of the symbol (mm).
    pub symbol_size: f64,
    pub label_size: f64,
    /// The labels' colour (by default the overlay's own).
    pub label_colour: Option<String>,
    /// The outline's colour (by default the overlay's own).
    pub outline: Option<String>,
    /// An area's label goes inside the area or not at all (plot numbers).
    pub label_inside: bool,
}

impl OverlayStyle {
    /// An area in `colour`, outlined and lightly filled.
    pub fn area(colour: &str) -> OverlayStyle {
        OverlayStyle {
            colour: colour.into(),
            fill_opacity: 0.15,
            hatch: false,
            width: 0.7,
            dash: None,
            symbol: Symbol::Circle,
            symbol_size: 2.0,
            label_size: 3.6,
            label_colour: None,
            outline: None,
            label_inside: false,
        }
    }

    /// Points drawn as `symbol` in `colour`, labelled beside.
    pub fn points(colour: &str, symbol: Symbol) -> OverlayStyle {
        OverlayStyle {
            label_size: 2.6,
            ..OverlayStyle::area(colour).with_symbol(symbol)
        }
    }

    fn with_symbol(mut self, symbol: Symbol) -> OverlayStyle {
        self.symbol = symbol;
        self
    }
}

/// A theme drawn over the base map, with its legend entry: a dispute's claims and disputed
/// area, boundary markers, a relocation area and its graves, a cemetery's plots.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The SVG id of the overlay's group.
    pub id: String,
    pub legend: String,
    pub style: OverlayStyle,
    /// Features (EPSG:4546), each with its label if it has one.
    pub features: Vec<(Option<String>, Geometry<f64>)>,
}

/// What the registry hands the renderer: the features in or near the frame, in EPSG:4546.
#[derive(Debug, Clone, Default)]
pub struct MapData {
    pub city: String,
    /// The map's title (by default the city's name and the style's title).
    pub title: Option<String>,
    /// Themes over the base map, drawn and labelled before it is labelled.
    pub overlays: Vec<Overlay>,
    /// Figures printed in the panel above the credits.
    pub notes: Vec<String>,
    /// The date of the newest change drawn.
    pub data_date: Option<chrono::NaiveDate>,
    pub made: Option<chrono::NaiveDate>,
    /// The whole city, for the inset.
    pub city_outline: Option<Geometry<f64>>,
    /// Units with their depth (0 = the city).
    pub units: Vec<Named<u8>>,
    pub streets: Vec<Named<StreetClass>>,
    pub places: Vec<Named<PlaceCategory>>,
    /// Door-plate numbers and where the plates are.
    pub door_plates: Vec<(String, Coord<f64>)>,
}

/// A drawn map.
pub struct Rendered {
    pub svg: String,
    pub labels: Vec<Placed>,
    /// Streets inside the frame that could not be named anywhere.
    pub unnamed: Vec<String>,
    pub scale: f64,
    pub page: (f64, f64),
}

use super::escape;

/// A round length (1, 2 or 5 × 10ⁿ m) no longer than `max_m`.
pub fn round_length(max_m: f64) -> f64 {
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|l| *l <= max_m)
        .unwrap_or(p)
}

/// "1:10 000": the scale as printed, thousands set apart by a thin space.
pub fn scale_text(scale: f64) -> String {
    let digits = format!("{:.0}", scale);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("1:{out}")
}

fn length_text(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} 千米", m / 1000.0)
    } else {
        format!("{m} 米")
    }
}

/// The map as a PNG at `dpi` dots per inch.
pub fn png(r: &Rendered, dpi: f64) -> Result<Vec<u8>, MapError> {
    let width = (r.page.0 / 25.4 * dpi).round() as u32;
    Ok(super::raster::svg_to_png_with(
        &r.svg,
        width,
        &labels::MAP_FONTS,
    )?)
}

/// The map as a one-page PDF: the SVG placed at full size by typst, its lines and text kept
/// as vectors and its fonts embedded.
pub fn pdf(r: &Rendered) -> Result<Vec<u8>, MapError> {
    let source = format!(
        "#set page(width: {}mm, height: {}mm, margin: 0mm)\n#image(bytes({}), format: \"svg\", width: 100%)\n",
        r.page.0,
        r.page.1,
        super::pdf::string(&r.svg)
    );
    Ok(super::pdf::render(
        &source,
        &super::pdf::Fonts::load_from(&labels::MAP_FONTS)?,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_chosen_to_fit_and_printed_with_spaces() {
        let l = Layout::named("A4-landscape").unwrap();
        let f = l.frame;
        // An extent just the frame's size at 1:10 000 fits at 1:10 000, a little more does not.
        let at = |s: f64| Rect::new((0.0, 0.0), (f.w * s / 1000.0, f.h * s / 1000.0));
        assert_eq!(
            Plan::new(l.clone(), at(10_000.0), None).unwrap().scale,
            10_000.0
        );
        assert_eq!(
            Plan::new(l.clone(), at(10_001.0), None).unwrap().scale,
            12_500.0
        );
        assert_eq!(scale_text(10_000.0), "1:10 000");
        assert_eq!(scale_text(2500.0), "1:2 500");
        assert_eq!(round_length(1234.0), 1000.0);
        assert_eq!(round_length(480.0), 200.0);
    }

    #[test]
    fn ground_and_paper_agree() {
        let l = Layout::named("A3-portrait").unwrap();
        let p = Plan::new(
            l,
            Rect::new((500_000.0, 4_800_000.0), (502_000.0, 4_803_000.0)),
            None,
        )
        .unwrap();
        let g = p.ground();
        let (x0, y0) = p.at(Coord {
            x: g.min().x,
            y: g.max().y,
        });
        let (x1, y1) = p.at(Coord {
            x: g.max().x,
            y: g.min().y,
        });
        let f = p.layout.frame;
        assert!((x0 - f.x).abs() < 1e-9 && (y0 - f.y).abs() < 1e-9);
        assert!((x1 - f.right()).abs() < 1e-6 && (y1 - f.bottom()).abs() < 1e-6);
        // 1 000 m on the ground is 1000 / scale m on paper.
        let (a, _) = p.at(Coord {
            x: 501_000.0,
            y: 0.0,
        });
        let (b, _) = p.at(Coord {
            x: 502_000.0,
            y: 0.0,
        });
        assert!((b - a - 1_000_000.0 / p.scale).abs() < 1e-9);
    }
}
