//! Demo streets on the town's grid and their door plates, numbered by the Inner Mongolia rule:
//! east → west and south → north, odd numbers on the left looking along the numbering
//! direction (左单右双).

use super::date;
use super::units::BUILT_UP;
use crate::addresses::{DoorNumber, DoorPlate, PlateKind, Street, StreetClass};
use crate::model::{Body, Write};
use crate::names::naming::Naming;
use crate::record::{ApprovalDocument, RecordId, Source};
use geo::{Geometry, LineString, Point, coord};

/// East–west streets, south to north.
const EAST_WEST: [&str; 20] = [
    "康宁街",
    "振兴街",
    "长青街",
    "富民街",
    "安康街",
    "兴业街",
    "永安街",
    "朝阳街",
    "育才街",
    "光明街",
    "幸福街",
    "文化街",
    "工农街",
    "新华街",
    "胜利街",
    "和平大街",
    "团结大街",
    "友谊大街",
    "前进大街",
    "口岸大街",
];
/// North–south streets, west to east.
const NORTH_SOUTH: [&str; 20] = [
    "环城西路",
    "西园路",
    "锡林路",
    "苏尼特路",
    "民族路",
    "车站路",
    "迎宾路",
    "恐龙路",
    "赛罕路",
    "额仁路",
    "乌兰路",
    "呼和路",
    "北疆路",
    "商贸路",
    "物流路",
    "工业路",
    "园林路",
    "草原路",
    "那达慕路",
    "环城东路",
];

/// The street renamed in the demo's history, and its new name.
const RENAMED: (&str, &str) = ("工农街", "建设街");

/// Plates stand this far from the centre line (metres) and this far apart along it.
pub(super) const OFFSET_M: f64 = 12.0;
const SPACING_M: f64 = 115.0;
/// Entrances this near another street are on its corner, and left out.
const CORNER_M: f64 = 30.0;
pub(super) const M_PER_DEG_LAT: f64 = 111_320.0;

pub(super) fn m_per_deg_lon(lat: f64) -> f64 {
    M_PER_DEG_LAT * lat.to_radians().cos()
}

pub struct DemoStreet {
    pub name: &'static str,
    pub class: StreetClass,
    /// Drawn in the numbering direction: east → west or south → north.
    pub line: LineString<f64>,
}

impl DemoStreet {
    pub fn id(&self) -> RecordId {
        RecordId::derived(&format!("street/{}", self.name))
    }
}

fn class(i: usize) -> StreetClass {
    match i % 5 {
        0 => StreetClass::Arterial,
        2 => StreetClass::Secondary,
        _ => StreetClass::Branch,
    }
}

pub fn streets() -> Vec<DemoStreet> {
    let (w, s, e, n) = BUILT_UP;
    let margin = 0.002;
    let mut out = Vec::new();
    for (i, name) in EAST_WEST.iter().enumerate() {
        let lat = s + margin + (n - s - 2.0 * margin) * i as f64 / 19.0;
        out.push(DemoStreet {
            name,
            class: class(i),
            line: LineString::new(vec![
                coord! {x: e - margin, y: lat},
                coord! {x: w + margin, y: lat},
            ]),
        });
    }
    for (i, name) in NORTH_SOUTH.iter().enumerate() {
        let lon = w + margin + (e - w - 2.0 * margin) * i as f64 / 19.0;
        out.push(DemoStreet {
            name,
            class: class(i),
            line: LineString::new(vec![
                coord! {x: lon, y: s + margin},
                coord! {x: lon, y: n - margin},
            ]),
        });
    }
    out
}

/// Mongolian forms of the demo streets whose names are Mongolian words (sample data: the
/// word, then ᠵᠠᠮ "road"). Streets with Chinese names have none in the demo.
pub const MONGOLIAN: [(&str, &str); 6] = [
    ("苏尼特路", "ᠰᠥᠨᠢᠳ ᠵᠠᠮ"),
    ("赛罕路", "ᠰᠠᠶᠢᠬᠠᠨ ᠵᠠᠮ"),
    ("额仁路", "ᠡᠷᠢᠶᠡᠨ ᠵᠠᠮ"),
    ("乌兰路", "ᠤᠯᠠᠭᠠᠨ ᠵᠠᠮ"),
    ("呼和路", "ᠬᠥᠬᠡ ᠵᠠᠮ"),
    ("那达慕路", "ᠨᠠᠭᠠᠳᠤᠮ ᠵᠠᠮ"),
];

pub fn mongolian(name: &str) -> Option<&'static str> {
    MONGOLIAN.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

fn street(name: &str, class: StreetClass) -> Street {
    Street {
        name: name.into(),
        name_mn: mongolian(name).map(Into::into),
        class,
        source: Source::Sample,
        naming: Naming::default(),
        numbering: Default::default(),
    }
}

pub fn create(s: &DemoStreet) -> Write {
    Write::Create {
        id: s.id(),
        valid_from: date(2020, 6, 30),
        body: Body::from(street(s.name, s.class)),
        geometry: Geometry::LineString(s.line.clone()),
    }
}

/// The rename of 工农街 to 建设街 in 2021, a version of the same record, and the (sample)
/// document that approved it.
pub fn rename() -> (Write, ApprovalDocument) {
    let old = streets()
        .into_iter()
        .find(|s| s.name == RENAMED.0)
        .expect("the renamed street is in the list");
    let document = ApprovalDocument {
        issuer: "二连浩特市人民政府".into(),
        number: "二政字〔2021〕35号（示例）".into(),
        date: date(2021, 4, 20),
    };
    let on = date(2021, 5, 1);
    let mut renamed = street(RENAMED.1, old.class);
    renamed.naming = Naming::default()
        .renamed(RENAMED.0, on, document.clone())
        .and_then(|n| n.reported(date(2021, 4, 28)))
        .and_then(|n| n.publish(on))
        .expect("a published street can be renamed");
    let write = Write::Update {
        id: old.id(),
        base_version: 1,
        valid_from: on,
        body: Body::from(renamed),
        geometry: Geometry::LineString(old.line),
    };
    (write, document)
}

/// Errors planted for `diming numbering check` to find, as a field survey finds them: a
/// repeated number, an odd number on the even side, two numbers swapped.
pub const PLANTED: [(&str, u32, u32); 4] = [
    ("团结大街", 9, 7),
    ("和平大街", 4, 199),
    ("胜利街", 21, 23),
    ("胜利街", 23, 21),
];

fn planted(street: &str, number: u32) -> u32 {
    PLANTED
        .iter()
        .find(|(s, n, _)| *s == street && *n == number)
        .map_or(number, |(_, _, to)| *to)
}

/// Plates along both sides of every street: odd on the left of the numbering direction.
pub fn door_plates(streets: &[DemoStreet]) -> Vec<Write> {
    let mut out = Vec::new();
    for s in streets {
        let (a, b) = (s.line.0[0], s.line.0[1]);
        let lat = (a.y + b.y) / 2.0;
        let (kx, ky) = (m_per_deg_lon(lat), M_PER_DEG_LAT);
        let (dx, dy) = ((b.x - a.x) * kx, (b.y - a.y) * ky);
        let length = dx.hypot(dy);
        let (ux, uy) = (dx / length, dy / length);
        // Left of the direction of travel is the direction rotated a quarter turn anticlockwise.
        let (lx, ly) = (-uy, ux);
        let count = (length / SPACING_M) as u32;
        // Corners belong to the cross street: no entrance within CORNER_M of another street.
        let near_other = |x: f64, y: f64| {
            streets.iter().filter(|o| o.name != s.name).any(|o| {
                let (p, q) = (o.line.0[0], o.line.0[1]);
                let (px, py) = ((p.x - x) * kx, (p.y - y) * ky);
                let (dx, dy) = ((q.x - p.x) * kx, (q.y - p.y) * ky);
                let t = (-(px * dx + py * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
                (px + t * dx).hypot(py + t * dy) < CORNER_M
            })
        };
        let (mut odd, mut even) = (1, 2);
        for k in 0..count {
            let along = SPACING_M * (f64::from(k) + 0.5);
            for side in [1.0, -1.0] {
                let x = a.x + (ux * along + lx * OFFSET_M * side) / kx;
                let y = a.y + (uy * along + ly * OFFSET_M * side) / ky;
                if near_other(x, y) {
                    continue;
                }
                let next = if side > 0.0 { &mut odd } else { &mut even };
                let number = *next;
                *next += 2;
                out.push(Write::Create {
                    id: RecordId::derived(&format!("door/{}/{number}", s.name)),
                    valid_from: date(2020, 9, 1),
                    body: Body::from(DoorPlate {
                        street: s.id(),
                        number: DoorNumber::new(planted(s.name, number))
                            .expect("demo numbers stay below 1,000"),
                        source: Source::Sample,
                        // Some residential buildings and small doors among the shops.
                        kind: match number % 10 {
                            0 => PlateKind::BuildingLarge,
                            7 => PlateKind::DoorSmall,
                            _ => PlateKind::DoorLarge,
                        },
                    }),
                    geometry: Geometry::Point(Point::new(x, y)),
                });
            }
        }
    }
    out
}
