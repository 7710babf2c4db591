//! Map definitions read from `maps/`: the style of a map (what is drawn, colours, widths,
//! fonts, label rules) and the print layouts (paper, orientation, the furniture around the
//! frame). The files shipped in `maps/` are built in; another style file can be given.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The street map's style as shipped (`maps/street-map.toml`).
pub const STREET_MAP: &str = include_str!("../../../maps/street-map.toml");
/// The styles shipped in `maps/`, by name. A style may start from another with
/// `extends = "name"` and change only what differs.
pub const STYLES: [(&str, &str); 5] = [
    ("street-map", STREET_MAP),
    (
        "dispute-map",
        include_str!("../../../maps/dispute-map.toml"),
    ),
    ("figure-map", include_str!("../../../maps/figure-map.toml")),
    (
        "locator-map",
        include_str!("../../../maps/locator-map.toml"),
    ),
    ("sign-map", include_str!("../../../maps/sign-map.toml")),
];
/// The print layouts as shipped (`maps/layouts.toml`).
pub const LAYOUTS: &str = include_str!("../../../maps/layouts.toml");

#[derive(Debug, thiserror::Error)]
pub enum StyleError {
    #[error("地图样式文件有误：{0}")]
    Style(String),
    #[error("没有版式“{0}”（可用：A4 至 A0，后接 -landscape 或 -portrait，如 A1-landscape）")]
    Layout(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub title: String,
    pub background: String,
    /// The scale the widths are drawn for; at smaller scales lines are drawn thinner.
    pub reference_scale: f64,
    pub fonts: Fonts,
    pub units: Vec<UnitStyle>,
    pub streets: StreetStyles,
    pub labels: LabelStyle,
    pub door_plates: DoorPlateStyle,
    pub places: PlaceStyle,
    pub grid: GridStyle,
    pub credits: Credits,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub chinese: String,
    pub mongolian: String,
    pub halo: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitStyle {
    pub depth: u8,
    pub stroke: String,
    pub width: f64,
    pub dash: String,
    pub label_size: f64,
    #[serde(default)]
    pub label_colour: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreetStyles {
    pub arterial: StreetStyle,
    pub secondary: StreetStyle,
    pub branch: StreetStyle,
    pub lane: StreetStyle,
}

impl StreetStyles {
    pub fn of(&self, class: crate::addresses::StreetClass) -> &StreetStyle {
        use crate::addresses::StreetClass::*;
        match class {
            Arterial => &self.arterial,
            Secondary => &self.secondary,
            Branch => &self.branch,
            Lane => &self.lane,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreetStyle {
    pub casing: String,
    pub fill: String,
    pub width: f64,
    pub label_size: f64,
    pub pitch: f64,
    pub repeat: f64,
    /// Names are placed at this scale and larger (denominator at most this).
    pub label_max_scale: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelStyle {
    pub colour: String,
    pub mongolian_colour: String,
    pub mongolian_scale: f64,
    pub padding: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoorPlateStyle {
    pub max_scale: f64,
    pub size: f64,
    pub colour: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceStyle {
    pub symbol: f64,
    pub symbol_colour: String,
    pub label_size: f64,
    pub colour: String,
    pub water_fill: String,
    pub water_stroke: String,
    pub settlement_fill: String,
    pub green_fill: String,
    pub building_fill: String,
    pub railway: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridStyle {
    pub colour: String,
    pub width: f64,
    pub label_size: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credits {
    pub approval: String,
}

impl Style {
    /// The street map's style as shipped.
    pub fn street_map() -> Style {
        Style::named("street-map").clone()
    }

    /// A style shipped in `maps/`.
    /// Parsed once per process: a figure in every gazetteer entry asks for one.
    pub fn named(name: &str) -> &'static Style {
        static PARSED: std::sync::OnceLock<Vec<(&str, Style)>> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                STYLES
                    .iter()
                    .map(|(n, text)| {
                        let style = Style::parse(text)
                            .expect("the styles in maps/ are checked by the tests");
                        (*n, style)
                    })
                    .collect()
            })
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("no style {name} in maps/"))
    }

    pub fn parse(text: &str) -> Result<Style, StyleError> {
        let bad = |e: String| StyleError::Style(e);
        let mut table: toml::Table = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        // A style extends a shipped one, which may extend another (at most a few deep).
        for _ in 0..4 {
            let Some(base) = table.remove("extends") else {
                break;
            };
            let base = base
                .as_str()
                .and_then(|b| STYLES.iter().find(|(n, _)| *n == b))
                .ok_or_else(|| bad(format!("extends = {base}：没有这个样式")))?;
            let mut merged: toml::Table = toml::from_str(base.1).map_err(|e| bad(e.to_string()))?;
            merge(&mut merged, table);
            table = merged;
        }
        let style: Style = table
            .try_into()
            .map_err(|e: toml::de::Error| bad(e.to_string()))?;
        for s in [
            &style.streets.arterial,
            &style.streets.secondary,
            &style.streets.branch,
            &style.streets.lane,
        ] {
            if s.pitch < 1.0 || s.label_size <= 0.0 || s.repeat <= 0.0 {
                return Err(StyleError::Style(
                    "街路巷注记的字号与重复间距须为正数，字距（pitch）不小于 1".into(),
                ));
            }
        }
        Ok(style)
    }

    pub fn unit(&self, depth: u8) -> Option<&UnitStyle> {
        self.units.iter().find(|u| u.depth == depth)
    }
}

/// Lays `over` onto `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Furniture {
    margin: f64,
    title_height: f64,
    title_size: f64,
    panel: f64,
    grid_labels: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    paper: BTreeMap<String, [f64; 2]>,
    landscape: Furniture,
    portrait: Furniture,
}

/// A rectangle on paper, in millimetres from the top left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Area {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// A print layout resolved for one paper: where the frame, the title and the panel go.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub name: String,
    pub page: (f64, f64),
    pub landscape: bool,
    /// A figure in a document: the frame is the whole drawing, with a scale bar and a north
    /// arrow inside it and no title, grid, panel or credits.
    pub figure: bool,
    /// How much larger than A4 the furniture is drawn.
    pub k: f64,
    pub title: Area,
    pub title_size: f64,
    /// The map frame (the neatline).
    pub frame: Area,
    /// The panel beside (landscape) or below (portrait) the frame.
    pub panel: Area,
}

impl Layout {
    /// A figure `w` × `h` mm for a document (a notice, a gazetteer entry).
    pub fn figure(w: f64, h: f64) -> Layout {
        let frame = Area {
            x: 0.0,
            y: 0.0,
            w,
            h,
        };
        Layout {
            name: format!("figure-{w}x{h}"),
            page: (w, h),
            landscape: w >= h,
            figure: true,
            k: 1.0,
            title: Area { h: 0.0, ..frame },
            title_size: 0.0,
            frame,
            panel: Area {
                x: w,
                w: 0.0,
                ..frame
            },
        }
    }

    /// Names like `A1-landscape`, `a4-portrait` or just `A3` (landscape).
    pub fn named(name: &str) -> Result<Layout, StyleError> {
        let file: LayoutFile =
            toml::from_str(LAYOUTS).expect("maps/layouts.toml is checked by the tests");
        let (paper, orientation) = name.split_once('-').unwrap_or((name, "landscape"));
        let paper = paper.to_ascii_uppercase();
        let landscape = match orientation.to_ascii_lowercase().as_str() {
            "landscape" | "横" => true,
            "portrait" | "竖" => false,
            _ => return Err(StyleError::Layout(name.into())),
        };
        let [short, long] = *file
            .paper
            .get(&paper)
            .ok_or_else(|| StyleError::Layout(name.into()))?;
        let k = short / 210.0;
        let f = if landscape {
            file.landscape
        } else {
            file.portrait
        };
        let page = if landscape {
            (long, short)
        } else {
            (short, long)
        };
        let m = f.margin * k;
        let g = f.grid_labels * k;
        let title = Area {
            x: m,
            y: m,
            w: page.0 - 2.0 * m,
            h: f.title_height * k,
        };
        let top = title.bottom() + g;
        let (frame, panel) = if landscape {
            let panel_w = f.panel * k;
            let frame = Area {
                x: m + g,
                y: top,
                w: page.0 - 2.0 * m - 2.0 * g - panel_w - m,
                h: page.1 - top - m - g,
            };
            let panel = Area {
                x: frame.right() + g + m,
                y: top - g,
                w: panel_w,
                h: page.1 - top + g - m,
            };
            (frame, panel)
        } else {
            let panel_h = f.panel * k;
            let frame = Area {
                x: m + g,
                y: top,
                w: page.0 - 2.0 * m - 2.0 * g,
                h: page.1 - top - 2.0 * g - panel_h - m,
            };
            let panel = Area {
                x: m,
                y: frame.bottom() + g + m * 0.5,
                w: page.0 - 2.0 * m,
                h: panel_h - m * 0.5,
            };
            (frame, panel)
        };
        Ok(Layout {
            name: format!(
                "{paper}-{}",
                if landscape { "landscape" } else { "portrait" }
            ),
            page,
            landscape,
            figure: false,
            k,
            title,
            title_size: f.title_size * k,
            frame,
            panel,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_and_layouts_fit_their_paper() {
        for (name, _) in STYLES {
            Style::named(name);
        }
        for paper in ["A4", "A3", "A2", "A1", "A0"] {
            for o in ["landscape", "portrait"] {
                let l = Layout::named(&format!("{paper}-{o}")).unwrap();
                for a in [l.title, l.frame, l.panel] {
                    assert!(a.x >= 0.0 && a.y >= 0.0 && a.w > 0.0 && a.h > 0.0, "{l:?}");
                    assert!(a.right() <= l.page.0 + 1e-9 && a.bottom() <= l.page.1 + 1e-9);
                }
                // The frame and the panel do not overlap.
                let (f, p) = (l.frame, l.panel);
                assert!(f.right() <= p.x || f.bottom() <= p.y, "{l:?}");
            }
        }
        assert_eq!(Layout::named("a1").unwrap().page, (841.0, 594.0));
        assert!(Layout::named("B5-landscape").is_err());
        assert!(Layout::named("A4-sideways").is_err());
    }

    #[test]
    fn a_style_extends_another_and_changes_only_what_it_names() {
        let street = Style::street_map();
        let dispute = Style::named("dispute-map");
        assert_ne!(dispute.title, street.title);
        assert_ne!(dispute.streets.arterial.fill, street.streets.arterial.fill);
        // Untouched keys come from the street map.
        assert_eq!(
            dispute.streets.arterial.pitch,
            street.streets.arterial.pitch
        );
        assert_eq!(dispute.fonts.mongolian, street.fonts.mongolian);
        assert!(Style::parse("extends = \"nowhere\"").is_err());
    }

    #[test]
    fn a_style_with_an_unknown_key_is_refused() {
        let bad = STREET_MAP.replace("title = ", "titel = ");
        assert!(Style::parse(&bad).is_err());
    }
}
