//! The face of a sign drawn to scale, in millimetres, for the sign maker: GB 17733's bands
//! (Mongolian above the Chinese and a third of its height, Chinese 3/5 and pinyin 2/5 of a
//! street sign), the building plate's name part (left 3/5) and number panel (right 2/5), the
//! door plate's red face. Pure geometry: `publish::signs` turns a [`Face`] into SVG, PDF or PNG.
//!
//! Mongolian runs in the font's horizontal, left-to-right form on horizontal signs, and is
//! turned 90° clockwise on vertical signs so that it reads top to bottom.

use super::{Sign, SignKind};

/// Colours (GB 17733 and Inner Mongolia's 1998 plate measures).
pub const BLUE: &str = "#0b4ea2";
pub const RED: &str = "#c8102e";
pub const WHITE: &str = "#ffffff";

/// The writing system of a run of text: each has its font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Han,
    Latin,
    Mongolian,
}

/// How a text runs in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Left to right.
    Horizontal,
    /// Characters stacked top to bottom (Chinese on a vertical sign).
    Stacked,
    /// The horizontal line turned 90° clockwise (Mongolian and pinyin on a vertical sign).
    Turned,
}

/// A piece of the face. Coordinates are millimetres from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &'static str,
        /// Stroke colour and width.
        stroke: Option<(&'static str, f64)>,
        radius: f64,
    },
    /// A line of text centred in its box, at `size` mm (the em).
    Text {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        text: String,
        script: Script,
        size: f64,
        fill: &'static str,
        flow: Flow,
    },
    /// A direction arrow filling its box, pointing right (or left).
    Arrow {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &'static str,
        right: bool,
    },
}

/// A sign's face.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    pub width: f64,
    pub height: f64,
    pub items: Vec<Item>,
}

/// Advance of a run in ems, roughly: CJK characters are square, capitals about 0.68 em,
/// Mongolian letters join into about half an em each.
fn ems(text: &str, script: Script) -> f64 {
    let n = text.chars().count() as f64;
    match script {
        Script::Han => n,
        Script::Latin => text
            .chars()
            .map(|c| if c == ' ' || c == '\'' { 0.3 } else { 0.68 })
            .sum(),
        Script::Mongolian => n * 0.5,
    }
}

/// A text that fills its band: as large as the band allows (`fill` of its height), narrowed
/// to fit the band's length.
fn text(
    (x, y, w, h): (f64, f64, f64, f64),
    s: &str,
    script: Script,
    fill: &'static str,
    flow: Flow,
    share: f64,
) -> Item {
    let (across, along) = match flow {
        Flow::Horizontal => (h, w),
        Flow::Stacked | Flow::Turned => (w, h),
    };
    let length = match flow {
        Flow::Stacked => s.chars().count().max(1) as f64,
        _ => ems(s, script).max(0.5),
    };
    let size = (across * share).min(along * 0.92 / length);
    Item::Text {
        x,
        y,
        w,
        h,
        text: s.to_string(),
        script,
        size,
        fill,
        flow,
    }
}

/// The street-sign bands within a box: (Mongolian, Chinese, pinyin) heights, with the
/// Mongolian a third of the Chinese and the Chinese 3/5 of Chinese + pinyin.
pub fn bands(total: f64, with_mn: bool) -> (f64, f64, f64) {
    if with_mn {
        (total / 6.0, total / 2.0, total / 3.0)
    } else {
        (0.0, total * 0.6, total * 0.4)
    }
}

/// Mongolian letters stand in the middle half of their em: the em may fill the band.
const MN_SHARE: f64 = 1.1;

/// The name part of a sign (Mongolian, Chinese, pinyin) in a box.
fn name_part(
    items: &mut Vec<Item>,
    (x, y, w, h): (f64, f64, f64, f64),
    sign: &Sign,
    fill: &'static str,
    vertical: bool,
) {
    let mn = sign.shows.mn.as_deref().filter(|m| !m.trim().is_empty());
    let pinyin = sign.shows.pinyin.as_deref().unwrap_or("");
    if vertical {
        // Columns left to right: Mongolian, Chinese, pinyin (the same shares, across).
        let (m, z, p) = bands(w, mn.is_some());
        if let Some(mn) = mn {
            items.push(text(
                (x, y, m, h),
                mn,
                Script::Mongolian,
                fill,
                Flow::Turned,
                MN_SHARE,
            ));
        }
        items.push(text(
            (x + m, y, z, h),
            &sign.shows.zh,
            Script::Han,
            fill,
            Flow::Stacked,
            0.8,
        ));
        items.push(text(
            (x + m + z, y, p, h),
            pinyin,
            Script::Latin,
            fill,
            Flow::Turned,
            0.6,
        ));
    } else {
        let (m, z, p) = bands(h, mn.is_some());
        if let Some(mn) = mn {
            items.push(text(
                (x, y, w, m),
                mn,
                Script::Mongolian,
                fill,
                Flow::Horizontal,
                MN_SHARE,
            ));
        }
        items.push(text(
            (x, y + m, w, z),
            &sign.shows.zh,
            Script::Han,
            fill,
            Flow::Horizontal,
            0.8,
        ));
        items.push(text(
            (x, y + m + z, w, p),
            pinyin,
            Script::Latin,
            fill,
            Flow::Horizontal,
            0.6,
        ));
    }
}

/// Draws the face of `sign` to scale.
pub fn face(sign: &Sign) -> Face {
    let (width, height) = (f64::from(sign.width_mm), f64::from(sign.height_mm));
    let mut items = Vec::new();
    let short = width.min(height);
    let margin = short * 0.06;
    let number = sign.shows.number.as_deref().unwrap_or("");
    let (background, ink) = match sign.kind {
        SignKind::Door => (RED, WHITE),
        _ => (BLUE, WHITE),
    };
    items.push(Item::Rect {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
        fill: background,
        stroke: None,
        radius: short * 0.04,
    });
    // The white border line inside the edge.
    items.push(Item::Rect {
        x: margin / 2.0,
        y: margin / 2.0,
        w: width - margin,
        h: height - margin,
        fill: "none",
        stroke: Some((WHITE, short * 0.012)),
        radius: short * 0.03,
    });
    let inner = (margin, margin, width - 2.0 * margin, height - 2.0 * margin);
    match sign.kind {
        SignKind::Building => {
            // Left 3/5: the street's name; right 2/5: the number, red on white.
            let (x, y, w, h) = inner;
            let left = w * 0.6;
            name_part(&mut items, (x, y, left - margin / 2.0, h), sign, ink, false);
            let panel = (x + left, y, w - left, h);
            items.push(Item::Rect {
                x: panel.0,
                y: panel.1,
                w: panel.2,
                h: panel.3,
                fill: WHITE,
                stroke: None,
                radius: short * 0.02,
            });
            items.push(text(
                panel,
                number,
                Script::Latin,
                RED,
                Flow::Horizontal,
                0.85,
            ));
        }
        SignKind::Door => {
            // The street's name above, the number large below.
            let (x, y, w, h) = inner;
            let top = h * 0.38;
            name_part(&mut items, (x, y, w, top), sign, ink, false);
            items.push(text(
                (x, y + top, w, h - top),
                &format!("{number}号"),
                Script::Han,
                ink,
                Flow::Horizontal,
                0.8,
            ));
        }
        SignKind::Guide => {
            // The name with an arrow towards it on the right.
            let (x, y, w, h) = inner;
            let arrow = (h * 0.8).min(w * 0.22);
            name_part(
                &mut items,
                (x, y, w - arrow - 2.0 * margin, h),
                sign,
                ink,
                false,
            );
            items.push(Item::Arrow {
                x: x + w - arrow - margin / 2.0,
                y: y + (h - arrow * 0.6) / 2.0,
                w: arrow,
                h: arrow * 0.6,
                fill: ink,
                right: true,
            });
        }
        _ => name_part(&mut items, inner, sign, ink, sign.vertical),
    }
    Face {
        width,
        height,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Condition, Mounting, SignText};
    use super::*;
    use crate::record::{RecordId, Source};

    fn sign(kind: SignKind, w: u32, h: u32) -> Sign {
        Sign {
            code: "A".into(),
            kind,
            facing: None,
            mounting: Mounting::Pole,
            width_mm: w,
            height_mm: h,
            vertical: false,
            material: None,
            installer: None,
            installed: None,
            names: vec![RecordId::derived("x")],
            shows: SignText {
                zh: "乌兰路".into(),
                mn: Some("ᠤᠯᠠᠭᠠᠨ ᠵᠠᠮ".into()),
                pinyin: Some("WULAN LU".into()),
                number: Some("12".into()),
            },
            layout: None,
            condition: Condition::Good,
            photos: vec![],
            source: Source::Survey,
        }
    }

    fn texts(f: &Face) -> Vec<(Script, f64, f64, f64, f64)> {
        f.items
            .iter()
            .filter_map(|i| match i {
                Item::Text {
                    script, y, h, x, w, ..
                } => Some((*script, *x, *y, *w, *h)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn street_sign_bands_follow_gb_17733() {
        let f = face(&sign(SignKind::Street, 1200, 450));
        let t = texts(&f);
        let (mn, zh, py) = (t[0], t[1], t[2]);
        assert_eq!(
            (mn.0, zh.0, py.0),
            (Script::Mongolian, Script::Han, Script::Latin)
        );
        // Mongolian above the Chinese, a third of its height; Chinese : pinyin = 3 : 2.
        assert!(mn.2 < zh.2 && zh.2 < py.2);
        assert!((mn.4 - zh.4 / 3.0).abs() < 1e-9);
        assert!((zh.4 / (zh.4 + py.4) - 0.6).abs() < 1e-9);
        // Everything inside the face.
        for (_, x, y, w, h) in t {
            assert!(x >= 0.0 && y >= 0.0 && x + w <= 1200.0 && y + h <= 450.0);
        }
    }

    #[test]
    fn text_never_runs_out_of_its_band() {
        let mut s = sign(SignKind::Lane, 600, 300);
        s.shows.zh = "那达慕大街东段北巷".into();
        s.shows.pinyin = Some("NADAMU DAJIE DONGDUAN BEIXIANG".into());
        for item in face(&s).items {
            if let Item::Text {
                w,
                h,
                size,
                text,
                script,
                flow: Flow::Horizontal,
                ..
            } = item
            {
                assert!(size * ems(&text, script) <= w, "{text} too long");
                // Mongolian letters fill only the middle of their em.
                let share = if script == Script::Mongolian {
                    MN_SHARE
                } else {
                    1.0
                };
                assert!(size <= h * share);
            }
        }
    }

    #[test]
    fn building_plate_splits_three_fifths_to_two() {
        let f = face(&sign(SignKind::Building, 1100, 600));
        let panel = f
            .items
            .iter()
            .find_map(|i| match i {
                Item::Rect {
                    fill: WHITE, x, w, ..
                } => Some((*x, *w)),
                _ => None,
            })
            .unwrap();
        let inner = 1100.0 - 2.0 * 600.0 * 0.06;
        assert!((panel.1 - inner * 0.4).abs() < 1e-6);
        let number = texts(&f).into_iter().last().unwrap();
        assert_eq!(number.0, Script::Latin);
        assert!(number.1 >= panel.0);
    }

    #[test]
    fn vertical_signs_turn_mongolian_and_stack_chinese() {
        let mut s = sign(SignKind::Street, 300, 1000);
        s.vertical = true;
        let flows: Vec<_> = face(&s)
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { flow, script, .. } => Some((*script, *flow)),
                _ => None,
            })
            .collect();
        assert_eq!(
            flows,
            [
                (Script::Mongolian, Flow::Turned),
                (Script::Han, Flow::Stacked),
                (Script::Latin, Flow::Turned)
            ]
        );
    }
}
