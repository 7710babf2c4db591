//! The drawer: how geometry and text land on paper (paths, label placement along streets,
//! Mongolian labels set upright), shared by the renderer and its furniture.

use super::{
    Coord, Geometry, LabelBox, LabelKind, Labels, MapCoords, Measure, MultiPolygon, Path,
    PlaceCategory, Plan, Rect, StreetClass, Style,
};
use geo::BooleanOps;
use std::fmt::Write as _;

/// An SVG path through paper coordinates.
pub(super) fn path_d(plan: &Plan, g: &Geometry<f64>) -> String {
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
pub(super) fn paper_lines(plan: &Plan, g: &Geometry<f64>) -> Vec<Vec<(f64, f64)>> {
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
pub(super) enum Text {
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
pub(super) const BASELINE: f64 = 0.36;

pub(super) struct Drawer<'a> {
    /// How much thinner than in the style lines are drawn at this scale.
    pub(super) thin: f64,
    pub(super) style: &'a Style,
    pub(super) measure: &'a Measure,
    pub(super) labels: Labels,
    /// Each placed label's kind, colour, name and texts.
    pub(super) texts: Vec<(LabelKind, String, String, Vec<Text>)>,
}

impl Drawer<'_> {
    /// The boxes of a run of `len` mm and height `h` mm centred at (x, y) turned by `angle`:
    /// squares along the run, so a slanted run does not claim the whole rectangle around it.
    pub(super) fn run_boxes(x: f64, y: f64, angle: f64, len: f64, h: f64) -> Vec<LabelBox> {
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
    pub(super) fn street_part(
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
    pub(super) fn mongolian_along(
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
    pub(super) fn horizontal(
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
pub(super) fn around(step: f64) -> Vec<(f64, f64)> {
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

pub(super) fn place_fill(style: &Style, c: PlaceCategory) -> Option<&str> {
    let p = &style.places;
    Some(match c {
        PlaceCategory::Waters | PlaceCategory::Sea => &p.water_fill,
        PlaceCategory::Settlement => &p.settlement_fill,
        PlaceCategory::MemorialOrScenic | PlaceCategory::Landform => &p.green_fill,
        PlaceCategory::Building | PlaceCategory::Organisation => &p.building_fill,
        _ => return None,
    })
}
