//! Labels on a map: how wide a text is once shaped (rustybuzz, the shaper typst and resvg use,
//! with the fonts the map is drawn in) and where labels go so that none overlaps another: every
//! label is a set of boxes on paper, kept in an R-tree, and a label is placed only where all
//! its boxes are free and inside the frame.

use super::style::Area;
use rstar::{AABB, RTree, RTreeObject};

/// The fonts labels are measured with (the map's fonts: Noto Sans CJK, Noto Sans Mongolian).
pub const MAP_FONTS: [&str; 3] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansMongolian-Regular.ttf",
];

/// Text widths from the fonts themselves.
pub struct Measure {
    chinese: Vec<u8>,
    mongolian: Vec<u8>,
}

impl Measure {
    /// The fonts read once per process (a figure in every gazetteer entry must not read
    /// 20 MB of fonts each time).
    pub fn shared() -> Result<&'static Measure, super::MapError> {
        static SHARED: std::sync::OnceLock<Measure> = std::sync::OnceLock::new();
        if let Some(m) = SHARED.get() {
            return Ok(m);
        }
        let m = Measure::load()?;
        Ok(SHARED.get_or_init(|| m))
    }

    pub fn load() -> Result<Measure, super::MapError> {
        let read = |p: &str| std::fs::read(p).map_err(|_| super::MapError::Font(p.to_string()));
        Ok(Measure {
            chinese: read(MAP_FONTS[0])?,
            mongolian: read(MAP_FONTS[2])?,
        })
    }

    /// The advance width in mm of `text` set at `size` mm, shaped as the renderer will shape it
    /// (Mongolian letters take their joined forms).
    pub fn width(&self, text: &str, size: f64, mongolian: bool) -> f64 {
        let data = if mongolian {
            &self.mongolian
        } else {
            &self.chinese
        };
        let Some(face) = rustybuzz::Face::from_slice(data, 0) else {
            return text.chars().count() as f64 * size;
        };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f64 / face.units_per_em() as f64 * size
    }
}

/// A box on paper (mm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    pub min: (f64, f64),
    pub max: (f64, f64),
}

impl LabelBox {
    pub fn around(x: f64, y: f64, half_w: f64, half_h: f64) -> LabelBox {
        LabelBox {
            min: (x - half_w, y - half_h),
            max: (x + half_w, y + half_h),
        }
    }

    pub fn overlaps(&self, other: &LabelBox) -> bool {
        self.min.0 < other.max.0
            && other.min.0 < self.max.0
            && self.min.1 < other.max.1
            && other.min.1 < self.max.1
    }

    /// The box grown by `by` on every side.
    pub fn grown(&self, by: f64) -> LabelBox {
        LabelBox {
            min: (self.min.0 - by, self.min.1 - by),
            max: (self.max.0 + by, self.max.1 + by),
        }
    }

    fn inside(&self, a: &Area) -> bool {
        self.min.0 >= a.x
            && self.min.1 >= a.y
            && self.max.0 <= a.right()
            && self.max.1 <= a.bottom()
    }
}

struct Entry(LabelBox);

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.0.min.0, self.0.min.1], [self.0.max.0, self.0.max.1])
    }
}

/// What kind of thing a label names (for tests and for the SVG's classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Street,
    Unit,
    Place,
    DoorPlate,
    /// A point symbol: kept free like a label, so no label covers it.
    Symbol,
}

/// A label as placed: its text and the boxes it covers.
#[derive(Debug, Clone)]
pub struct Placed {
    pub kind: LabelKind,
    pub text: String,
    pub boxes: Vec<LabelBox>,
}

/// The labels of one map, none overlapping another.
pub struct Labels {
    tree: RTree<Entry>,
    frame: Area,
    padding: f64,
    pub placed: Vec<Placed>,
}

impl Labels {
    pub fn new(frame: Area, padding: f64) -> Labels {
        Labels {
            tree: RTree::new(),
            frame,
            padding,
            placed: Vec::new(),
        }
    }

    /// Whether every box is inside the frame and clear of every placed label (with padding).
    pub fn free(&self, boxes: &[LabelBox]) -> bool {
        boxes.iter().all(|b| {
            b.inside(&self.frame) && {
                let g = b.grown(self.padding);
                let env = AABB::from_corners([g.min.0, g.min.1], [g.max.0, g.max.1]);
                self.tree
                    .locate_in_envelope_intersecting(&env)
                    .next()
                    .is_none()
            }
        })
    }

    /// Places the label if it is free; says whether it was.
    pub fn try_place(&mut self, kind: LabelKind, text: &str, boxes: Vec<LabelBox>) -> bool {
        if boxes.is_empty() || !self.free(&boxes) {
            return false;
        }
        for b in &boxes {
            self.tree.insert(Entry(*b));
        }
        self.placed.push(Placed {
            kind,
            text: text.to_string(),
            boxes,
        });
        true
    }
}

/// A polyline on paper with its cumulative lengths, for putting text along it.
pub struct Path {
    points: Vec<(f64, f64)>,
    at: Vec<f64>,
}

impl Path {
    pub fn new(points: Vec<(f64, f64)>) -> Path {
        let mut at = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                let q = points[i - 1];
                total += ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
            }
            at.push(total);
        }
        Path { points, at }
    }

    pub fn length(&self) -> f64 {
        self.at.last().copied().unwrap_or(0.0)
    }

    /// The point `d` mm along the path (clamped to its ends).
    pub fn point(&self, d: f64) -> (f64, f64) {
        let d = d.clamp(0.0, self.length());
        let i = self
            .at
            .partition_point(|a| *a < d)
            .max(1)
            .min(self.points.len() - 1);
        let (a, b) = (self.points[i - 1], self.points[i]);
        let seg = self.at[i] - self.at[i - 1];
        let t = if seg > 0.0 {
            (d - self.at[i - 1]) / seg
        } else {
            0.0
        };
        (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
    }

    /// How far the path bends between `from` and `to` mm: the largest distance of a vertex
    /// from the chord, in mm.
    pub fn bend(&self, from: f64, to: f64) -> f64 {
        let (a, b) = (self.point(from), self.point(to));
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt().max(1e-9);
        self.points
            .iter()
            .zip(&self.at)
            .filter(|(_, d)| **d > from && **d < to)
            .map(|(p, _)| ((b.0 - a.0) * (a.1 - p.1) - (a.0 - p.0) * (b.1 - a.1)).abs() / len)
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_overlap_and_stay_in_the_frame() {
        let frame = Area {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 100.0,
        };
        let mut l = Labels::new(frame, 0.5);
        assert!(l.try_place(
            LabelKind::Street,
            "a",
            vec![LabelBox::around(10.0, 10.0, 2.0, 2.0)]
        ));
        // Touching within the padding is refused; clear of it is placed.
        assert!(!l.try_place(
            LabelKind::Street,
            "b",
            vec![LabelBox::around(14.2, 10.0, 2.0, 2.0)]
        ));
        assert!(l.try_place(
            LabelKind::Street,
            "c",
            vec![LabelBox::around(14.6, 10.0, 2.0, 2.0)]
        ));
        // Outside the frame.
        assert!(!l.try_place(
            LabelKind::Street,
            "d",
            vec![LabelBox::around(99.0, 50.0, 2.0, 2.0)]
        ));
        assert_eq!(l.placed.len(), 2);
    }

    #[test]
    fn points_along_a_path() {
        let p = Path::new(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        assert_eq!(p.length(), 20.0);
        assert_eq!(p.point(5.0), (5.0, 0.0));
        assert_eq!(p.point(15.0), (10.0, 5.0));
        assert_eq!(p.point(25.0), (10.0, 10.0));
        assert!((p.bend(5.0, 15.0) - 3.5355).abs() < 1e-3);
        assert_eq!(p.bend(0.0, 9.0), 0.0);
    }

    #[test]
    fn shaped_widths_come_from_the_fonts() {
        let m = Measure::load().unwrap();
        // Chinese characters are one em wide.
        assert!((m.width("团结路", 4.0, false) - 12.0).abs() < 0.01);
        // Mongolian joins: a word is narrower than its letters set apart.
        let word = m.width("ᠰᠥᠨᠢᠳ", 4.0, true);
        let apart: f64 = "ᠰᠥᠨᠢᠳ"
            .chars()
            .map(|c| m.width(&c.to_string(), 4.0, true))
            .sum();
        assert!(word > 0.0 && word < apart, "{word} {apart}");
    }
}
