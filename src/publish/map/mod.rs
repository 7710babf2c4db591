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

pub mod labels;
pub mod style;

use crate::addresses::StreetClass;
use crate::names::PlaceCategory;
use geo::{
    BooleanOps, BoundingRect, Coord, Geometry, InteriorPoint, MapCoords, MultiPolygon, Rect,
};
use labels::{LabelBox, LabelKind, Labels, Measure, Path, Placed};
use std::fmt::Write as _;
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

/// An SVG path through paper coordinates.
fn path_d(plan: &Plan, g: &Geometry<f64>) -> String {
    let mut d = String::new();
    let mut line = |ls: &geo::LineString<f64>, close: bool| {
        for (i, c) in ls.0.iter().enumerate() {
            let (x, y) = plan.at(*c);
            let _ = write!(d, "{}{x:.2} {y:.2}", if i == 0 { "M" } else { "L" });
        }
        if close {
            d.push('Z');
        }
    };
    match g {
        Geometry::LineString(l) => line(l, false),
        Geometry::MultiLineString(m) => m.0.iter().for_each(|l| line(l, false)),
        Geometry::Polygon(p) => {
            line(p.exterior(), true);
            p.interiors().iter().for_each(|r| line(r, true));
        }
        Geometry::MultiPolygon(m) => m.0.iter().for_each(|p| {
            line(p.exterior(), true);
            p.interiors().iter().for_each(|r| line(r, true));
        }),
        _ => {}
    }
    d
}

/// The parts of a line inside the frame, on paper.
fn paper_lines(plan: &Plan, g: &Geometry<f64>) -> Vec<Vec<(f64, f64)>> {
    let lines = match g {
        Geometry::LineString(l) => geo::MultiLineString(vec![l.clone()]),
        Geometry::MultiLineString(m) => m.clone(),
        _ => return Vec::new(),
    };
    let paper = lines.map_coords(|c| {
        let (x, y) = plan.at(c);
        Coord { x, y }
    });
    let f = &plan.layout.frame;
    let frame = MultiPolygon(vec![
        Rect::new((f.x, f.y), (f.right(), f.bottom())).to_polygon(),
    ]);
    frame
        .clip(&paper, false)
        .0
        .into_iter()
        .map(|l| l.0.into_iter().map(|c| (c.x, c.y)).collect::<Vec<_>>())
        .filter(|l| l.len() >= 2)
        .collect()
}

/// Text drawn on the map, after placement.
enum Text {
    /// One upright character, centred at (x, y).
    Char { x: f64, y: f64, c: char, size: f64 },
    /// A run centred at (x, y), turned by `angle` degrees.
    Run {
        x: f64,
        y: f64,
        angle: f64,
        text: String,
        size: f64,
        mongolian: bool,
    },
}

/// How far below the centre of a line of text its baseline lies, as a part of the size.
const BASELINE: f64 = 0.36;

struct Drawer<'a> {
    /// How much thinner than in the style lines are drawn at this scale.
    thin: f64,
    style: &'a Style,
    measure: &'a Measure,
    labels: Labels,
    /// Each placed label's kind, colour, name and texts.
    texts: Vec<(LabelKind, String, String, Vec<Text>)>,
}

impl Drawer<'_> {
    /// The boxes of a run of `len` mm and height `h` mm centred at (x, y) turned by `angle`:
    /// squares along the run, so a slanted run does not claim the whole rectangle around it.
    fn run_boxes(x: f64, y: f64, angle: f64, len: f64, h: f64) -> Vec<LabelBox> {
        let (sin, cos) = angle.to_radians().sin_cos();
        let n = (len / h).ceil().max(1.0) as usize;
        let piece = len / n as f64;
        (0..n)
            .map(|j| {
                let t = -len / 2.0 + (j as f64 + 0.5) * piece;
                let hw = piece / 2.0 * cos.abs() + h / 2.0 * sin.abs();
                let hh = piece / 2.0 * sin.abs() + h / 2.0 * cos.abs();
                LabelBox::around(x + t * cos, y + t * sin, hw, hh)
            })
            .collect()
    }

    /// Names a street on one part of its line (once every `repeat` mm, the first anchor
    /// moved by `stagger` of that step); returns how many labels were placed. The
    /// characters sit on a street wide enough to hold them and beside a narrower one; the
    /// Mongolian form runs along the street on the other side (or beside the characters).
    fn street_part(
        &mut self,
        name: &str,
        name_mn: Option<&str>,
        class: StreetClass,
        path: &Path,
        stagger: f64,
    ) -> usize {
        let st = self.style.streets.of(class);
        let s = st.label_size;
        let pad = self.style.labels.padding;
        let chars: Vec<char> = name.chars().collect();
        let n = chars.len();
        if n == 0 {
            return 0;
        }
        let len = path.length();
        // The widest spacing that fits, down to characters almost touching.
        let Some(pitch) = [st.pitch, (st.pitch + 1.0) / 2.0, 1.08]
            .into_iter()
            .map(|p| p * s)
            .find(|p| (n - 1) as f64 * p + s <= len)
        else {
            return 0;
        };
        let span = (n - 1) as f64 * pitch + s;
        let repeats = ((len / st.repeat).floor() as usize).max(1);
        let step = len / repeats as f64;
        let smn = s * self.style.labels.mongolian_scale;
        let mn_width = name_mn.map(|m| self.measure.width(m, smn, true));
        let width = st.width * self.thin;
        let beside = width < 0.8 * s;
        // Candidate centres around each anchor, a character apart, nearest first.
        let shifts: Vec<f64> = std::iter::once(0.0)
            .chain(
                (1..)
                    .map(|i| i as f64 * s)
                    .take_while(|d| *d <= step / 2.0)
                    .flat_map(|d| [d, -d]),
            )
            .collect();
        let mut placed = 0;
        for k in 0..repeats {
            let anchor = (k as f64 + 0.5 + stagger) * step;
            'candidates: for shift in &shifts {
                let c = anchor + shift;
                let (from, to) = (c - span / 2.0, c + span / 2.0);
                if from < 0.0 || to > len || path.bend(from, to) > 2.5 * s {
                    continue;
                }
                let (a, b) = (path.point(from), path.point(to));
                let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                let reversed = if dx.abs() >= dy.abs() {
                    dx < 0.0
                } else {
                    dy < 0.0
                };
                // The side "above" the reading direction: above a level street, right of an
                // upright one (the Mongolian's positive gap is the other way).
                let (rdx, rdy) = if reversed { (-dx, -dy) } else { (dx, dy) };
                let norm = (rdx * rdx + rdy * rdy).sqrt().max(1e-9);
                let up = (rdy / norm, -rdx / norm);
                let sides: &[f64] = if beside { &[1.0, -1.0] } else { &[0.0] };
                for side in sides {
                    let off = if *side == 0.0 {
                        0.0
                    } else {
                        side * (width / 2.0 + 0.3 + s / 2.0)
                    };
                    let mut texts = Vec::with_capacity(n + 1);
                    let mut boxes = Vec::with_capacity(n + 4);
                    for (i, ch) in chars.iter().enumerate() {
                        let slot = if reversed { n - 1 - i } else { i };
                        let (x, y) = path.point(from + s / 2.0 + slot as f64 * pitch);
                        let (x, y) = (x + up.0 * off, y + up.1 * off);
                        boxes.push(LabelBox::around(x, y, s / 2.0, s / 2.0));
                        texts.push(Text::Char {
                            x,
                            y,
                            c: *ch,
                            size: s,
                        });
                    }
                    if !self.labels.free(&boxes) {
                        continue;
                    }
                    if let (Some(mn), Some(w)) = (name_mn, mn_width) {
                        // Opposite the characters beside a narrow street; either side of them
                        // on a wide one.
                        let gaps: Vec<f64> = if *side == 0.0 {
                            let g = s / 2.0 + pad + 0.2 + smn * 0.6;
                            vec![g, -g]
                        } else {
                            vec![side * (width / 2.0 + pad + 0.2 + smn * 0.6)]
                        };
                        let Some((t, b)) = self.mongolian_along(path, c, w, smn, &gaps, &boxes)
                        else {
                            continue;
                        };
                        texts.push(Text::Run {
                            x: t.0,
                            y: t.1,
                            angle: t.2,
                            text: mn.to_string(),
                            size: smn,
                            mongolian: true,
                        });
                        boxes.extend(b);
                    }
                    if self.labels.try_place(LabelKind::Street, name, boxes) {
                        let colour = self.style.labels.colour.clone();
                        self.texts
                            .push((LabelKind::Street, colour, name.to_string(), texts));
                        placed += 1;
                        break 'candidates;
                    }
                }
            }
        }
        placed
    }

    /// Where the Mongolian form goes beside the Chinese name centred `c` mm along the path:
    /// along the street, reading left to right on a level street and top to bottom on an
    /// upright one (Mongolian's own direction), at the first of `gaps` (mm from the line,
    /// positive below a level street) that is free.
    fn mongolian_along(
        &self,
        path: &Path,
        c: f64,
        w: f64,
        smn: f64,
        gaps: &[f64],
        chinese: &[LabelBox],
    ) -> Option<((f64, f64, f64), Vec<LabelBox>)> {
        let half = (w / 2.0).max(smn);
        let (a, b) = (path.point(c - half), path.point(c + half));
        let (mut dx, mut dy) = (b.0 - a.0, b.1 - a.1);
        if (dx.abs() >= dy.abs() && dx < 0.0) || (dx.abs() < dy.abs() && dy < 0.0) {
            dx = -dx;
            dy = -dy;
        }
        let angle = dy.atan2(dx).to_degrees();
        let (sin, cos) = angle.to_radians().sin_cos();
        let centre = path.point(c);
        let pad = self.style.labels.padding;
        for gap in gaps {
            let (x, y) = (centre.0 - sin * gap, centre.1 + cos * gap);
            let boxes = Drawer::run_boxes(x, y, angle, w, smn * 1.2);
            let clear_of_own = boxes
                .iter()
                .all(|m| chinese.iter().all(|c| !m.grown(pad).overlaps(c)));
            if clear_of_own && self.labels.free(&boxes) {
                return Some(((x, y, angle), boxes));
            }
        }
        None
    }

    /// A horizontal label (Chinese, then the Mongolian form below it) near (x, y), tried at
    /// the point first and then around it.
    #[allow(clippy::too_many_arguments)]
    fn horizontal(
        &mut self,
        kind: LabelKind,
        colour: &str,
        name: &str,
        name_mn: Option<&str>,
        at: (f64, f64),
        size: f64,
        pitch: f64,
        offsets: &[(f64, f64)],
    ) -> bool {
        let chars: Vec<char> = name.chars().collect();
        let n = chars.len();
        if n == 0 {
            return false;
        }
        let uniform = chars.iter().all(|c| !c.is_ascii());
        let width = if uniform {
            (n - 1) as f64 * pitch * size + size
        } else {
            self.measure.width(name, size, false)
        };
        let smn = size * self.style.labels.mongolian_scale;
        let mn_w = name_mn.map(|m| self.measure.width(m, smn, true));
        for (ox, oy) in offsets {
            // An offset to the side moves the label's near edge there, not its centre.
            let x = at.0 + ox + ox.signum() * width / 2.0;
            let y = at.1 + oy;
            let mut boxes = vec![LabelBox::around(x, y, width / 2.0, size / 2.0)];
            let mut texts = Vec::new();
            if uniform {
                for (i, c) in chars.iter().enumerate() {
                    texts.push(Text::Char {
                        x: x - width / 2.0 + size / 2.0 + i as f64 * pitch * size,
                        y,
                        c: *c,
                        size,
                    });
                }
            } else {
                texts.push(Text::Run {
                    x,
                    y,
                    angle: 0.0,
                    text: name.to_string(),
                    size,
                    mongolian: false,
                });
            }
            if let (Some(mn), Some(w)) = (name_mn, mn_w) {
                let my = y + size / 2.0 + 0.4 + smn * 0.6;
                boxes.push(LabelBox::around(x, my, w / 2.0, smn * 0.6));
                texts.push(Text::Run {
                    x,
                    y: my,
                    angle: 0.0,
                    text: mn.to_string(),
                    size: smn,
                    mongolian: true,
                });
            }
            if self.labels.try_place(kind, name, boxes) {
                self.texts
                    .push((kind, colour.to_string(), name.to_string(), texts));
                return true;
            }
        }
        false
    }
}

/// Offsets (mm) tried around a point, nearest first.
fn around(step: f64) -> Vec<(f64, f64)> {
    let mut out = vec![(0.0, 0.0)];
    for r in 1..=4 {
        let d = r as f64 * step;
        out.extend([
            (0.0, d),
            (0.0, -d),
            (d, 0.0),
            (-d, 0.0),
            (d, d),
            (-d, -d),
            (d, -d),
            (-d, d),
        ]);
    }
    out
}

fn place_fill(style: &Style, c: PlaceCategory) -> Option<&str> {
    let p = &style.places;
    Some(match c {
        PlaceCategory::Waters | PlaceCategory::Sea => &p.water_fill,
        PlaceCategory::Settlement => &p.settlement_fill,
        PlaceCategory::MemorialOrScenic | PlaceCategory::Landform => &p.green_fill,
        PlaceCategory::Building | PlaceCategory::Organisation => &p.building_fill,
        _ => return None,
    })
}

/// Draws the map.
pub fn render(plan: &Plan, style: &Style, data: &MapData, measure: &Measure) -> Rendered {
    let l = &plan.layout;
    let f = l.frame;
    let (pw, ph) = l.page;
    let mut d = Drawer {
        thin: (style.reference_scale / plan.scale).sqrt().clamp(0.4, 1.0),
        style,
        measure,
        labels: Labels::new(f, style.labels.padding),
        texts: Vec::new(),
    };
    let mut svg = String::with_capacity(1 << 20);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{pw}mm" height="{ph}mm" viewBox="0 0 {pw} {ph}" font-family="{}"><rect width="{pw}" height="{ph}" fill="#ffffff"/><defs><clipPath id="frame"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"/></clipPath></defs>"##,
        escape(&style.fonts.chinese),
        f.x,
        f.y,
        f.w,
        f.h
    );
    let _ = write!(
        svg,
        r##"<g clip-path="url(#frame)"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{}"/>"##,
        f.x, f.y, f.w, f.h, style.background
    );
    // Areas: settlements, parks, water.
    for p in &data.places {
        if matches!(p.geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_))
            && let Some(fill) = place_fill(style, p.kind)
        {
            let stroke = if matches!(p.kind, PlaceCategory::Waters | PlaceCategory::Sea) {
                style.places.water_stroke.as_str()
            } else {
                "none"
            };
            let _ = write!(
                svg,
                r#"<path class="area" d="{}" fill="{fill}" stroke="{stroke}" stroke-width="0.3" fill-rule="evenodd"/>"#,
                path_d(plan, &p.geometry)
            );
        }
    }
    // Water lines and railways.
    for p in &data.places {
        if !matches!(
            p.geometry,
            Geometry::LineString(_) | Geometry::MultiLineString(_)
        ) {
            continue;
        }
        let dp = path_d(plan, &p.geometry);
        match p.kind {
            PlaceCategory::Waters => {
                let _ = write!(
                    svg,
                    r#"<path class="water" d="{dp}" fill="none" stroke="{}" stroke-width="0.8"/>"#,
                    style.places.water_stroke
                );
            }
            PlaceCategory::Transport => {
                let _ = write!(
                    svg,
                    r##"<path class="railway" d="{dp}" fill="none" stroke="{r}" stroke-width="1.1"/><path d="{dp}" fill="none" stroke="#ffffff" stroke-width="0.7" stroke-dasharray="3,3"/>"##,
                    r = style.places.railway
                );
            }
            _ => {}
        }
    }
    // Unit boundaries, the smallest units first so the larger boundaries lie on top.
    for depth in [2u8, 1, 0] {
        let Some(us) = style.unit(depth) else {
            continue;
        };
        for u in data.units.iter().filter(|u| u.kind == depth) {
            let _ = write!(
                svg,
                r#"<path class="unit" d="{}" fill="none" stroke="{}" stroke-width="{}" stroke-dasharray="{}"/>"#,
                path_d(plan, &u.geometry),
                us.stroke,
                us.width * d.thin,
                us.dash
            );
        }
    }
    // Streets: casings from the lowest class up, then fills.
    let classes = [
        StreetClass::Lane,
        StreetClass::Branch,
        StreetClass::Secondary,
        StreetClass::Arterial,
    ];
    for casing in [true, false] {
        for class in classes {
            let st = style.streets.of(class);
            for s in data.streets.iter().filter(|s| s.kind == class) {
                let (colour, width) = if casing {
                    (&st.casing, (st.width + 0.5) * d.thin)
                } else {
                    (&st.fill, st.width * d.thin)
                };
                let _ = write!(
                    svg,
                    r#"<path class="street {}" d="{}" fill="none" stroke="{colour}" stroke-width="{width:.2}" stroke-linecap="round" stroke-linejoin="round"/>"#,
                    class.as_str(),
                    path_d(plan, &s.geometry)
                );
            }
        }
    }
    // A figure's scale bar and north arrow lie inside the frame: no label goes under them.
    if l.figure {
        for b in figure_furniture(plan).1 {
            d.labels.try_place(LabelKind::Symbol, "", vec![b]);
        }
    }
    // Overlays over the streets, their labels and symbols placed before any other label.
    for o in &data.overlays {
        draw_overlay(&mut svg, &mut d, plan, o);
    }
    // Landmark symbols, kept free of labels.
    let sym = style.places.symbol;
    for p in &data.places {
        if let Geometry::Point(pt) = p.geometry {
            let (x, y) = plan.at(pt.0);
            d.labels.try_place(
                LabelKind::Symbol,
                &p.name,
                vec![LabelBox::around(x, y, sym / 2.0, sym / 2.0)],
            );
            let _ = write!(
                svg,
                r##"<circle class="landmark" cx="{x:.2}" cy="{y:.2}" r="{:.2}" fill="{}" stroke="#ffffff" stroke-width="0.3"/>"##,
                sym / 2.0,
                style.places.symbol_colour
            );
        }
    }
    // Labels: streets (the higher classes and the longer streets first), landmarks, units,
    // door-plate numbers.
    let mut streets: Vec<(&Named<StreetClass>, Vec<Path>)> = data
        .streets
        .iter()
        .map(|s| {
            let parts = paper_lines(plan, &s.geometry)
                .into_iter()
                .map(Path::new)
                .collect();
            (s, parts)
        })
        .collect();
    streets.sort_by(|a, b| {
        let rank = |c: StreetClass| classes.iter().position(|x| *x == c);
        let len = |p: &Vec<Path>| p.iter().map(Path::length).sum::<f64>();
        rank(b.0.kind)
            .cmp(&rank(a.0.kind))
            .then(len(&b.1).total_cmp(&len(&a.1)))
    });
    let mut unnamed = Vec::new();
    for (i, (s, parts)) in streets.iter().enumerate() {
        // Streets of a class are named only at the scales its style names them.
        if parts.is_empty() || plan.scale > style.streets.of(s.kind).label_max_scale {
            continue;
        }
        let mut placed = 0;
        // Neighbouring parallel streets do not all put their names at the same place.
        let stagger = [0.0, 0.2, -0.2, 0.35, -0.35][i % 5];
        for part in parts {
            placed += d.street_part(&s.name, s.name_mn.as_deref(), s.kind, part, stagger);
        }
        if placed == 0 {
            // Without the Mongolian form, rather than not at all.
            for part in parts {
                placed += d.street_part(&s.name, None, s.kind, part, stagger);
            }
        }
        if placed == 0 {
            unnamed.push(s.name.clone());
        }
    }
    let ls = style.places.label_size;
    // A label size of 0 leaves places unnamed (small figures).
    for p in data.places.iter().filter(|_| ls > 0.0) {
        let at = match &p.geometry {
            Geometry::Point(pt) => {
                let (x, y) = plan.at(pt.0);
                let gap = sym / 2.0 + 0.6;
                // Beside the symbol: right, left, above, below.
                let offsets = [
                    (gap, 0.0),
                    (-gap, 0.0),
                    (0.0, -gap - ls / 2.0),
                    (0.0, gap + ls / 2.0),
                ];
                let colour = style.places.colour.clone();
                d.horizontal(
                    LabelKind::Place,
                    &colour,
                    &p.name,
                    p.name_mn.as_deref(),
                    (x, y),
                    ls,
                    1.0,
                    &offsets,
                );
                continue;
            }
            g => g.interior_point().map(|c| plan.at(c.0)),
        };
        if let Some(at) = at {
            let colour = style.places.colour.clone();
            d.horizontal(
                LabelKind::Place,
                &colour,
                &p.name,
                p.name_mn.as_deref(),
                at,
                ls,
                1.0,
                &around(ls),
            );
        }
    }
    for depth in [1u8, 2] {
        let Some(us) = style.unit(depth) else {
            continue;
        };
        if us.label_size <= 0.0 {
            continue;
        }
        for u in data.units.iter().filter(|u| u.kind == depth) {
            let frame = plan.ground().to_polygon();
            let inside = match &u.geometry {
                Geometry::Polygon(p) => {
                    MultiPolygon(vec![p.clone()]).intersection(&MultiPolygon(vec![frame]))
                }
                Geometry::MultiPolygon(m) => m.intersection(&MultiPolygon(vec![frame])),
                _ => continue,
            };
            let Some(c) = inside.interior_point() else {
                continue;
            };
            d.horizontal(
                LabelKind::Unit,
                &us.label_colour,
                &u.name,
                u.name_mn.as_deref(),
                plan.at(c.0),
                us.label_size,
                1.5,
                &around(us.label_size),
            );
        }
    }
    let door_plates_shown = plan.scale <= style.door_plates.max_scale;
    if door_plates_shown {
        let s = style.door_plates.size;
        for (number, c) in &data.door_plates {
            // On the map a plate shows its number without 号.
            let number = number.strip_suffix('号').unwrap_or(number).to_string();
            let (x, y) = plan.at(*c);
            let w = measure.width(&number, s, false);
            let boxes = vec![LabelBox::around(x, y, w / 2.0, s / 2.0)];
            if d.labels.try_place(LabelKind::DoorPlate, &number, boxes) {
                d.texts.push((
                    LabelKind::DoorPlate,
                    style.door_plates.colour.clone(),
                    number.clone(),
                    vec![Text::Run {
                        x,
                        y,
                        angle: 0.0,
                        text: number.clone(),
                        size: s,
                        mongolian: false,
                    }],
                ));
            }
        }
    }
    // The kilometre grid, under the labels.
    let grid = grid_interval(plan);
    let ground = plan.ground();
    let mut gridlines = String::new();
    let mut e = (ground.min().x / grid).ceil() * grid;
    while e <= ground.max().x {
        let (x, _) = plan.at(Coord { x: e, y: 0.0 });
        let _ = write!(
            gridlines,
            r#"<line class="grid" data-metres="{e}" x1="{x:.3}" y1="{:.2}" x2="{x:.3}" y2="{:.2}"/>"#,
            f.y,
            f.bottom()
        );
        e += grid;
    }
    let mut n = (ground.min().y / grid).ceil() * grid;
    while n <= ground.max().y {
        let (_, y) = plan.at(Coord { x: 0.0, y: n });
        let _ = write!(
            gridlines,
            r#"<line class="grid" data-metres="{n}" x1="{:.2}" y1="{y:.3}" x2="{:.2}" y2="{y:.3}"/>"#,
            f.x,
            f.right()
        );
        n += grid;
    }
    if !l.figure {
        let _ = write!(
            svg,
            r#"<g stroke="{}" stroke-width="{}">{gridlines}</g>"#,
            style.grid.colour, style.grid.width
        );
    }
    // Labels, each with a halo.
    let _ = write!(
        svg,
        r#"<g class="labels" stroke="{}" stroke-linejoin="round" paint-order="stroke" text-anchor="middle">"#,
        style.fonts.halo
    );
    for (kind, colour, name, texts) in &d.texts {
        let class = match kind {
            LabelKind::Street => "street",
            LabelKind::Unit => "unit",
            LabelKind::Place => "place",
            LabelKind::DoorPlate => "door-plate",
            LabelKind::Symbol => "symbol",
        };
        let _ = write!(
            svg,
            r#"<g class="label {class}" data-name="{}" fill="{colour}">"#,
            escape(name)
        );
        for t in texts {
            match t {
                Text::Char { x, y, c, size } => {
                    let _ = write!(
                        svg,
                        r#"<text x="{x:.2}" y="{:.2}" font-size="{size:.2}" stroke-width="{:.2}">{}</text>"#,
                        y + size * BASELINE,
                        size * 0.25,
                        escape(&c.to_string())
                    );
                }
                Text::Run {
                    x,
                    y,
                    angle,
                    text,
                    size,
                    mongolian,
                } => {
                    let font = if *mongolian {
                        format!(
                            r#" font-family="{}" fill="{}""#,
                            escape(&style.fonts.mongolian),
                            style.labels.mongolian_colour
                        )
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        svg,
                        r#"<text transform="translate({x:.2} {y:.2}) rotate({angle:.1})" y="{:.2}" font-size="{size:.2}" stroke-width="{:.2}"{font}>{}</text>"#,
                        size * BASELINE,
                        size * 0.25,
                        escape(text)
                    );
                }
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</g></g>");
    if l.figure {
        svg.push_str(&figure_furniture(plan).0);
        let _ = write!(
            svg,
            r##"<rect x="0.15" y="0.15" width="{:.2}" height="{:.2}" fill="none" stroke="#333" stroke-width="0.3"/>"##,
            f.w - 0.3,
            f.h - 0.3
        );
    } else {
        sheet_furniture(&mut svg, plan, style, data, grid, door_plates_shown);
    }
    svg.push_str("</svg>\n");
    let labels = d
        .labels
        .placed
        .into_iter()
        .filter(|p| p.kind != LabelKind::Symbol)
        .collect();
    Rendered {
        svg,
        labels,
        unnamed,
        scale: plan.scale,
        page: l.page,
    }
}

fn symbol_svg(symbol: Symbol, x: f64, y: f64, size: f64, colour: &str) -> String {
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
fn hatch_id(o: &Overlay) -> String {
    format!("hatch-{}", o.id)
}

fn draw_overlay(svg: &mut String, d: &mut Drawer, plan: &Plan, o: &Overlay) {
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

/// Around a sheet's frame: the neatline, the grid's values, the title and the panel.
fn sheet_furniture(
    svg: &mut String,
    plan: &Plan,
    style: &Style,
    data: &MapData,
    grid: f64,
    door_plates: bool,
) {
    // The neatline: a thin inner line and a heavy outer one.
    let (l, f) = (&plan.layout, plan.layout.frame);
    let o = 1.2 * l.k;
    let _ = write!(
        svg,
        r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#222" stroke-width="0.25"/><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#222" stroke-width="{:.2}"/>"##,
        f.x,
        f.y,
        f.w,
        f.h,
        f.x - o,
        f.y - o,
        f.w + 2.0 * o,
        f.h + 2.0 * o,
        0.6 * l.k
    );
    grid_labels(svg, plan, style, grid);
    // The title.
    let _ = write!(
        svg,
        r##"<text x="{:.2}" y="{:.2}" font-size="{:.2}" font-weight="bold" text-anchor="middle" letter-spacing="{:.2}" fill="#111">{}</text>"##,
        l.title.x + l.title.w / 2.0,
        l.title.y + l.title.h * 0.72,
        l.title_size,
        l.title_size * 0.3,
        escape(
            &data
                .title
                .clone()
                .unwrap_or_else(|| format!("{}{}", data.city, style.title))
        )
    );
    panel(svg, plan, style, data, door_plates);
}

/// A figure's scale bar (bottom left), scale (bottom right) and north arrow (top right), and
/// the boxes they take.
fn figure_furniture(plan: &Plan) -> (String, Vec<LabelBox>) {
    let f = plan.layout.frame;
    let fs = 2.4;
    let m_per_mm = plan.m_per_mm();
    let length = round_length(f.w / 3.0 * m_per_mm);
    let bar = length / m_per_mm;
    let (bx, by) = (f.x + 3.0, f.bottom() - 3.5);
    let (nx, ny) = (f.right() - 6.0, f.y + 2.0);
    let scale = scale_text(plan.scale);
    let svg = format!(
        r##"<g class="furniture" fill="#111"><rect class="scale-bar" data-metres="{length}" x="{bx:.2}" y="{by:.2}" width="{bar:.4}" height="1" fill="#111"/><text x="{bx:.2}" y="{:.2}" font-size="{fs}" stroke="#fff" stroke-width="0.5" paint-order="stroke">{}</text><text x="{:.2}" y="{:.2}" font-size="{fs}" text-anchor="end" stroke="#fff" stroke-width="0.5" paint-order="stroke">{scale}</text><path d="M{nx:.2} {ny:.2}L{:.2} {:.2}L{nx:.2} {:.2}L{:.2} {:.2}Z"/><text x="{nx:.2}" y="{:.2}" font-size="{fs}" text-anchor="middle">北</text></g>"##,
        by - 0.8,
        length_text(length),
        f.right() - 2.5,
        f.bottom() - 2.5,
        nx + 1.8,
        ny + 7.0,
        ny + 5.5,
        nx - 1.8,
        ny + 7.0,
        ny + 7.0 + fs * 1.1,
    );
    let boxes = vec![
        LabelBox {
            min: (bx - 0.5, by - 0.8 - fs),
            max: (bx + bar.max(fs * 4.0) + 0.5, by + 1.5),
        },
        LabelBox {
            min: (f.right() - 2.5 - fs * 4.0, f.bottom() - 2.5 - fs),
            max: (f.right(), f.bottom()),
        },
        LabelBox {
            min: (nx - 2.5, ny - 0.5),
            max: (nx + 2.5, ny + 7.5 + fs * 1.2),
        },
    ];
    (svg, boxes)
}

/// A grid interval (m) that puts lines about 10 cm apart on paper.
fn grid_interval(plan: &Plan) -> f64 {
    let target = 100.0 * plan.m_per_mm();
    [
        100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 2500.0, 5000.0, 10_000.0, 20_000.0, 50_000.0,
    ]
    .into_iter()
    .min_by(|a, b| (a - target).abs().total_cmp(&(b - target).abs()))
    .unwrap_or(1000.0)
}

/// Grid values along the frame's edges: kilometres (with the metres when the grid is finer).
fn grid_labels(svg: &mut String, plan: &Plan, style: &Style, grid: f64) {
    let f = plan.layout.frame;
    let size = style.grid.label_size * plan.layout.k.sqrt();
    let g = plan.ground();
    let text = |m: f64| {
        if grid >= 1000.0 {
            format!("{:.0}", m / 1000.0)
        } else {
            format!("{:.1}", m / 1000.0)
        }
    };
    let _ = write!(
        svg,
        r##"<g font-size="{size:.2}" fill="#333" text-anchor="middle">"##
    );
    let mut e = (g.min().x / grid).ceil() * grid;
    while e <= g.max().x {
        let (x, _) = plan.at(Coord { x: e, y: 0.0 });
        for y in [f.y - size * 0.6, f.bottom() + size * 1.3] {
            let _ = write!(svg, r#"<text x="{x:.2}" y="{y:.2}">{}</text>"#, text(e));
        }
        e += grid;
    }
    let mut n = (g.min().y / grid).ceil() * grid;
    while n <= g.max().y {
        let (_, y) = plan.at(Coord { x: 0.0, y: n });
        for x in [f.x - size * 0.9, f.right() + size * 0.9] {
            let _ = write!(
                svg,
                r#"<text transform="translate({x:.2} {y:.2}) rotate(-90)" y="{:.2}">{}</text>"#,
                size * BASELINE,
                text(n)
            );
        }
        n += grid;
    }
    svg.push_str("</g>");
}

/// The panel: north arrow and scale, the inset, the legend, the scale bar and the credits.
fn panel(svg: &mut String, plan: &Plan, style: &Style, data: &MapData, door_plates: bool) {
    let l = &plan.layout;
    let p = l.panel;
    let k = l.k;
    // Four blocks: stacked in a landscape layout, side by side in a portrait one. The last
    // (scale bar, figures, credits) takes what its lines need, the legend the rest.
    let fs = 2.6 * k;
    let cs = 2.2 * k;
    let credit_lines = data.notes.len() + 6;
    let last = if l.landscape {
        ((fs * 4.4 + credit_lines as f64 * cs * 1.45) / p.h).max(0.18)
    } else {
        0.26
    };
    let shares = [0.14, 0.26, 0.60 - last, last];
    let mut blocks = Vec::new();
    let mut at = 0.0;
    for s in shares {
        blocks.push(if l.landscape {
            Area {
                x: p.x,
                y: p.y + at * p.h,
                w: p.w,
                h: s * p.h,
            }
        } else {
            Area {
                x: p.x + at * p.w,
                y: p.y,
                w: s * p.w,
                h: p.h,
            }
        });
        at += s;
    }
    // North arrow and the scale in figures.
    let b = blocks[0];
    let (ax, ay, ah) = (
        b.x + b.w * 0.2,
        b.y + 2.0 * k,
        (b.h - 4.0 * k).min(14.0 * k),
    );
    let _ = write!(
        svg,
        r##"<g class="north"><path d="M{ax:.2} {ay:.2} L{:.2} {:.2} L{ax:.2} {:.2} Z" fill="#111"/><path d="M{ax:.2} {ay:.2} L{:.2} {:.2} L{ax:.2} {:.2} Z" fill="#fff" stroke="#111" stroke-width="{:.2}"/><text x="{ax:.2}" y="{:.2}" font-size="{fs:.2}" text-anchor="middle">北</text></g>"##,
        ax + ah * 0.22,
        ay + ah,
        ay + ah * 0.75,
        ax - ah * 0.22,
        ay + ah,
        ay + ah * 0.75,
        0.2 * k,
        ay + ah + fs * 1.1,
    );
    let _ = write!(
        svg,
        r##"<text class="scale-figure" x="{:.2}" y="{:.2}" font-size="{:.2}" fill="#111">{}</text>"##,
        b.x + b.w * 0.42,
        b.y + b.h * 0.5,
        fs * 1.5,
        scale_text(plan.scale)
    );
    // The inset: the whole city and where the map lies in it.
    let b = blocks[1];
    inset(svg, plan, data, b);
    // The legend.
    let b = blocks[2];
    legend(svg, style, data, plan.ground(), door_plates, b, k);
    // The scale bar and the credits.
    let b = blocks[3];
    let m_per_mm = plan.m_per_mm();
    let length = round_length(b.w * 0.8 * m_per_mm);
    let bar = length / m_per_mm;
    let (bx, by) = (b.x + (b.w - bar) / 2.0, b.y + fs * 2.2);
    let bh = 1.2 * k;
    let _ = write!(
        svg,
        r##"<g class="scale-bar-group"><rect class="scale-bar" data-metres="{length}" x="{bx:.3}" y="{by:.3}" width="{bar:.4}" height="{bh:.3}" fill="#fff" stroke="#111" stroke-width="{:.2}"/>"##,
        0.2 * k
    );
    for i in (0..4).step_by(2) {
        let _ = write!(
            svg,
            r##"<rect x="{:.3}" y="{by:.3}" width="{:.4}" height="{bh:.3}" fill="#111"/>"##,
            bx + i as f64 * bar / 4.0,
            bar / 4.0
        );
    }
    for (i, t) in [
        (0.0, "0".to_string()),
        (0.5, format!("{}", length / 2.0)),
        (1.0, length_text(length)),
    ] {
        let _ = write!(
            svg,
            r##"<text x="{:.2}" y="{:.2}" font-size="{fs:.2}" text-anchor="middle">{t}</text>"##,
            bx + i * bar,
            by - fs * 0.4
        );
    }
    svg.push_str("</g>");
    let mut credits = data.notes.clone();
    credits.extend([
        "2000 国家大地坐标系（CGCS2000）".to_string(),
        "高斯-克吕格投影，3° 带，中央子午线 111°E".to_string(),
        format!("方里网间隔 {}", length_text(grid_interval(plan))),
    ]);
    if let Some(date) = data.data_date {
        credits.push(format!("数据截至 {}", date.format("%Y年%-m月%-d日")));
    }
    let made = data
        .made
        .map(|d| format!("  {}", d.format("%Y年%-m月")))
        .unwrap_or_default();
    credits.push(format!("{}民政局 编制{made}", data.city));
    credits.push(format!(
        "审图号：{}",
        if style.credits.approval.is_empty() {
            "　　　　　　　　"
        } else {
            &style.credits.approval
        }
    ));
    let mut y = by + bh + fs * 2.0;
    for c in credits {
        let _ = write!(
            svg,
            r##"<text class="credit" x="{:.2}" y="{y:.2}" font-size="{cs:.2}" fill="#333">{}</text>"##,
            b.x,
            escape(&c)
        );
        y += cs * 1.45;
    }
}

fn inset(svg: &mut String, plan: &Plan, data: &MapData, b: Area) {
    let k = plan.layout.k;
    let _ = write!(
        svg,
        r##"<rect class="inset" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="#fff" stroke="#555" stroke-width="{:.2}"/>"##,
        b.x,
        b.y,
        b.w,
        b.h - 2.0 * k,
        0.25 * k
    );
    let ground = plan.ground();
    let whole = data
        .city_outline
        .as_ref()
        .and_then(|g| g.bounding_rect())
        .map(|r| {
            Rect::new(
                (r.min().x.min(ground.min().x), r.min().y.min(ground.min().y)),
                (r.max().x.max(ground.max().x), r.max().y.max(ground.max().y)),
            )
        })
        .unwrap_or(ground);
    let pad = 3.0 * k;
    let (w, h) = (b.w - 2.0 * pad, b.h - 2.0 * k - 2.0 * pad);
    let m = (whole.width() / w).max(whole.height() / h);
    let (ox, oy) = (
        b.x + pad + (w - whole.width() / m) / 2.0,
        b.y + pad + (h - whole.height() / m) / 2.0,
    );
    let at = |c: Coord<f64>| {
        (
            ox + (c.x - whole.min().x) / m,
            oy + (whole.max().y - c.y) / m,
        )
    };
    if let Some(g) = &data.city_outline {
        let mut d = String::new();
        let polys: Vec<&geo::Polygon<f64>> = match g {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
            _ => Vec::new(),
        };
        for p in polys {
            for (i, c) in p.exterior().0.iter().enumerate() {
                let (x, y) = at(*c);
                let _ = write!(d, "{}{x:.2} {y:.2}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="#f1ece0" stroke="#7b3f8c" stroke-width="{:.2}"/>"##,
            0.3 * k
        );
    }
    let (x0, y0) = at(Coord {
        x: ground.min().x,
        y: ground.max().y,
    });
    let (x1, y1) = at(Coord {
        x: ground.max().x,
        y: ground.min().y,
    });
    let _ = write!(
        svg,
        r##"<rect x="{x0:.2}" y="{y0:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#c0392b" stroke-width="{:.2}"/><text x="{:.2}" y="{:.2}" font-size="{:.2}" fill="#555">{}全图</text>"##,
        (x1 - x0).max(0.6),
        (y1 - y0).max(0.6),
        0.4 * k,
        b.x + pad * 0.6,
        b.y + pad * 0.6 + 2.2 * k,
        2.2 * k,
        escape(&data.city)
    );
}

/// Whether a unit's boundary passes through the frame (a unit that holds the whole frame
/// draws no line on it).
fn boundary_in(g: &Geometry<f64>, ground: Rect<f64>) -> bool {
    use geo::Intersects;
    let rings: Vec<&geo::LineString<f64>> = match g {
        Geometry::Polygon(p) => std::iter::once(p.exterior()).chain(p.interiors()).collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .collect()
        }
        _ => Vec::new(),
    };
    rings.into_iter().any(|r| r.intersects(&ground))
}

#[allow(clippy::too_many_arguments)]
fn legend(
    svg: &mut String,
    style: &Style,
    data: &MapData,
    ground: Rect<f64>,
    door_plates: bool,
    b: Area,
    k: f64,
) {
    let fs = 2.4 * k;
    let row = 4.6 * k;
    let sw = 9.0 * k;
    let mut rows: Vec<(String, String)> = Vec::new();
    for o in &data.overlays {
        let st = &o.style;
        let points = o
            .features
            .iter()
            .all(|(_, g)| matches!(g, Geometry::Point(_)));
        let sample = if points {
            symbol_svg(
                st.symbol,
                sw / 2.0,
                0.0,
                st.symbol_size * k.sqrt(),
                &st.colour,
            )
        } else {
            let fill = if st.hatch {
                format!(r#"fill="url(#{})""#, hatch_id(o))
            } else {
                format!(r#"fill="{}" fill-opacity="{}""#, st.colour, st.fill_opacity)
            };
            format!(
                r#"<rect x="0" y="{:.2}" width="{sw:.2}" height="{:.2}" {fill} stroke="{}" stroke-width="{:.2}"{}/>"#,
                -row * 0.3,
                row * 0.6,
                st.outline.as_ref().unwrap_or(&st.colour),
                st.width,
                st.dash
                    .as_ref()
                    .map(|d| format!(r#" stroke-dasharray="{d}""#))
                    .unwrap_or_default()
            )
        };
        rows.push((sample, o.legend.clone()));
    }
    let line = |stroke: &str, width: f64, dash: &str| {
        format!(
            r#"<path d="M0 0 L{sw:.2} 0" stroke="{stroke}" stroke-width="{:.2}" stroke-dasharray="{dash}" fill="none"/>"#,
            width * k.sqrt()
        )
    };
    for (class, label) in [
        (StreetClass::Arterial, "主干路"),
        (StreetClass::Secondary, "次干路"),
        (StreetClass::Branch, "支路"),
        (StreetClass::Lane, "巷"),
    ] {
        if data.streets.iter().any(|s| s.kind == class) {
            let st = style.streets.of(class);
            rows.push((
                format!(
                    "{}{}",
                    line(&st.casing, st.width + 0.5, "none"),
                    line(&st.fill, st.width, "none")
                ),
                label.into(),
            ));
        }
    }
    for (depth, label) in [(0u8, "市界"), (1, "苏木、镇、区界"), (2, "嘎查、社区界")]
    {
        if let Some(u) = style.unit(depth)
            && data
                .units
                .iter()
                .any(|x| x.kind == depth && boundary_in(&x.geometry, ground))
        {
            rows.push((line(&u.stroke, u.width, &u.dash), label.into()));
        }
    }
    let swatch = |fill: &str, stroke: &str| {
        format!(
            r#"<rect x="0" y="{:.2}" width="{sw:.2}" height="{:.2}" fill="{fill}" stroke="{stroke}" stroke-width="0.3"/>"#,
            -row * 0.3,
            row * 0.6
        )
    };
    let has = |f: &dyn Fn(PlaceCategory) -> bool, polygon: bool| {
        data.places.iter().any(|p| {
            f(p.kind)
                && matches!(p.geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_)) == polygon
        })
    };
    let p = &style.places;
    if has(
        &|c| matches!(c, PlaceCategory::Waters | PlaceCategory::Sea),
        true,
    ) {
        rows.push((swatch(&p.water_fill, &p.water_stroke), "水域".into()));
    }
    if has(&|c| c == PlaceCategory::Settlement, true) {
        rows.push((swatch(&p.settlement_fill, "none"), "居民区".into()));
    }
    if has(
        &|c| matches!(c, PlaceCategory::MemorialOrScenic | PlaceCategory::Landform),
        true,
    ) {
        rows.push((swatch(&p.green_fill, "none"), "景区、公园".into()));
    }
    if data.places.iter().any(|x| {
        x.kind == PlaceCategory::Transport
            && matches!(
                x.geometry,
                Geometry::LineString(_) | Geometry::MultiLineString(_)
            )
    }) {
        rows.push((
            format!(
                "{}{}",
                line(&p.railway, 1.1, "none"),
                line("#ffffff", 0.7, "3,3")
            ),
            "铁路".into(),
        ));
    }
    if data
        .places
        .iter()
        .any(|x| matches!(x.geometry, Geometry::Point(_)))
    {
        rows.push((
            format!(
                r##"<circle cx="{:.2}" cy="0" r="{:.2}" fill="{}"/>"##,
                sw / 2.0,
                p.symbol / 2.0 * k.sqrt(),
                p.symbol_colour
            ),
            "重要地物".into(),
        ));
    }
    if door_plates {
        rows.push((
            format!(
                r#"<text x="{:.2}" y="{:.2}" font-size="{:.2}" text-anchor="middle" fill="{}">12</text>"#,
                sw / 2.0,
                fs * 0.35,
                fs,
                style.door_plates.colour
            ),
            "门牌号".into(),
        ));
    }
    let _ = write!(
        svg,
        r##"<text x="{:.2}" y="{:.2}" font-size="{:.2}" font-weight="bold">图　例</text>"##,
        b.x,
        b.y + fs,
        fs * 1.2
    );
    let top = b.y + fs * 2.6;
    // Rows close up (to three quarters) before the legend takes a second column.
    let row = row
        .min((b.bottom() - top) / rows.len().max(1) as f64)
        .max(row * 0.75);
    let per_col = (((b.bottom() - top) / row).floor() as usize).max(1);
    let cols = rows.len().div_ceil(per_col).max(1);
    let col_w = b.w / cols as f64;
    for (i, (sample, label)) in rows.iter().enumerate() {
        let (c, r) = (i / per_col, i % per_col);
        let (x, y) = (b.x + c as f64 * col_w, top + r as f64 * row + row / 2.0);
        let _ = write!(
            svg,
            r#"<g class="legend-row" transform="translate({x:.2} {y:.2})">{sample}<text x="{:.2}" y="{:.2}" font-size="{fs:.2}">{}</text></g>"#,
            sw + 2.0 * k,
            fs * BASELINE,
            escape(label)
        );
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
