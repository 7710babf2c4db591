//! Demo signs: the 124 lightbox street signs re-installed in 2020 (DX-001…DX-124) at the
//! crossings of the main streets, pole street signs (LP-) along the other streets, building
//! plates (LB-) on the demo's residential buildings, place signs (DM-) and guide signs (ZX-),
//! with varied conditions, the spring 2026 inspection of the signs found wanting and their
//! work orders. A few signs do not match their names, as a field survey finds them: wrong or
//! old romanization, a missing apostrophe, Wade–Giles and English, tones and small letters,
//! Mongolian missing or misspelt, Mongolian under the Chinese, bad proportions, a wrong or
//! too small building number; and the signs of 工农街 still show the name it had before its
//! 2021 rename.

use super::date;
use super::streets::{DemoStreet, M_PER_DEG_LAT, m_per_deg_lon, mongolian};
use crate::addresses::{PlateKind, StreetClass};
use crate::model::{Body, Write};
use crate::names::WordLists;
use crate::names::romanize::romanize;
use crate::record::{RecordId, Source};
use crate::signs::{
    Condition, Inspection, MnPosition, Mounting, Sign, SignKind, SignLayout, SignText, WorkKind,
    WorkOrder, WorkStatus,
};
use geo::{Geometry, Point};
use std::collections::BTreeMap;

/// How many lightbox signs the city re-installed in 2020.
pub const LIGHTBOXES: usize = 124;

/// Text planted on a sign: (code, what it shows instead). Codes are stable: the generator
/// numbers signs in a fixed order.
enum Plant {
    Pinyin(&'static str),
    Mongolian(Option<&'static str>),
    MnBelow,
    Proportion,
    Number(&'static str),
}

const PLANTED: [(&str, Plant); 16] = [
    ("DX-001", Plant::Pinyin("KANGLING JIE")),
    ("DX-017", Plant::Pinyin("CH'ANGCH'ING CHIEH")),
    ("DX-065", Plant::Pinyin("XINGFU STREET")),
    ("DX-006", Plant::Pinyin("Chēzhàn Lù")),
    ("DX-010", Plant::Mongolian(None)),
    ("DX-026", Plant::Mongolian(Some("ᠤᠯᠠᠨ ᠵᠠᠮ"))),
    ("DX-042", Plant::MnBelow),
    ("LP-016", Plant::Pinyin("YONGAN JIE")),
    ("LP-026", Plant::Pinyin("Guangming Jie")),
    ("LP-031", Plant::Pinyin("WENHUA STREET")),
    ("LP-036", Plant::Pinyin("HSINHUA CHIEH")),
    ("LP-081", Plant::Proportion),
    ("LP-091", Plant::Mongolian(Some("ᠬᠦᠬᠡ ᠵᠠᠮ"))),
    ("LP-111", Plant::Mongolian(None)),
    ("DM-001", Plant::Pinyin("ERLIANHAOTE ZHAN")),
    ("LB-003", Plant::Number("99")),
];

/// A building plate with digits below the 350 mm minimum.
const SMALL_NUMBER: &str = "LB-007";

fn condition(n: usize) -> Condition {
    match n {
        n if n % 23 == 3 => Condition::Damaged,
        n if n % 19 == 5 => Condition::Dirty,
        n if n % 31 == 7 => Condition::Faded,
        n if n % 47 == 11 => Condition::Missing,
        _ => Condition::Good,
    }
}

/// A point `east` and `north` metres from (lon, lat).
fn offset(lon: f64, lat: f64, east: f64, north: f64) -> Geometry<f64> {
    Geometry::Point(Point::new(
        lon + east / m_per_deg_lon(lat),
        lat + north / M_PER_DEG_LAT,
    ))
}

struct Builder {
    lists: WordLists,
    out: Vec<(Sign, Geometry<f64>, RecordId)>,
}

impl Builder {
    fn pinyin(&self, name: &str) -> String {
        romanize(name, &self.lists, false, &BTreeMap::new()).sign
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: String,
        kind: SignKind,
        names: RecordId,
        name: &str,
        number: Option<String>,
        at: Geometry<f64>,
        facing: f64,
        n: usize,
    ) {
        let mn = mongolian(name).map(String::from);
        let (mounting, (w, h), installed) = match kind {
            SignKind::Lightbox => (Mounting::Lightbox, (1200, 450), date(2020, 8, 15)),
            SignKind::Building => (Mounting::Wall, (1100, 600), date(2020, 9, 1)),
            SignKind::Place => (Mounting::Pole, (1500, 500), date(2018, 6, 1)),
            SignKind::Guide => (Mounting::Pole, (1400, 400), date(2019, 7, 1)),
            _ => (Mounting::Pole, (1000, 350), date(2016, 5, 20)),
        };
        let margin = f64::from(w.min(h)) * 0.06;
        let inner = f64::from(h) - 2.0 * margin;
        let (mn_mm, zh_mm, pinyin_mm) = crate::signs::artwork::bands(inner, mn.is_some());
        let mut sign = Sign {
            code: code.clone(),
            kind,
            facing: Some(facing),
            mounting,
            width_mm: w,
            height_mm: h,
            vertical: false,
            material: Some(match kind {
                SignKind::Lightbox => "铝合金灯箱、亚克力面板".into(),
                _ => "铝板反光膜".into(),
            }),
            installer: Some("二连浩特市地名标志设置队（示例）".into()),
            installed: Some(installed),
            names: vec![names],
            shows: SignText {
                zh: name.into(),
                mn: mn.clone(),
                pinyin: Some(self.pinyin(name)),
                number,
            },
            layout: Some(SignLayout {
                mn_position: mn.as_ref().map(|_| MnPosition::Above),
                mn_mm,
                zh_mm,
                pinyin_mm,
                number_mm: if kind == SignKind::Building {
                    400.0
                } else {
                    0.0
                },
            }),
            condition: condition(n),
            photos: Vec::new(),
            source: Source::Sample,
        };
        for (c, plant) in &PLANTED {
            if *c != code {
                continue;
            }
            let layout = sign.layout.as_mut().expect("demo signs have a layout");
            match plant {
                Plant::Pinyin(p) => sign.shows.pinyin = Some((*p).into()),
                Plant::Mongolian(m) => sign.shows.mn = m.map(Into::into),
                Plant::MnBelow => layout.mn_position = Some(MnPosition::Below),
                Plant::Proportion => (layout.zh_mm, layout.pinyin_mm) = (150.0, 150.0),
                Plant::Number(n) => sign.shows.number = Some((*n).into()),
            }
        }
        if code == SMALL_NUMBER {
            sign.layout
                .as_mut()
                .expect("demo signs have a layout")
                .number_mm = 300.0;
        }
        self.out.push((sign, at, names));
    }
}

fn is_main(s: &DemoStreet) -> bool {
    matches!(s.class, StreetClass::Arterial | StreetClass::Secondary)
}

/// The demo signs, their records' ids derived from their codes.
pub fn writes(streets: &[DemoStreet], plates: &[Write], places: &[Write]) -> Vec<Write> {
    let mut b = Builder {
        lists: WordLists::builtin(),
        out: Vec::new(),
    };
    let east_west = |s: &&DemoStreet| s.line.0[0].y == s.line.0[1].y;
    let (ew, ns): (Vec<&DemoStreet>, Vec<&DemoStreet>) = streets.iter().partition(east_west);
    // Lightbox signs at the crossings of main streets: one naming each street, on the
    // north-east corner.
    let mut n = 0;
    'lightboxes: for e in ew.iter().filter(|s| is_main(s)) {
        for s in ns.iter().filter(|s| is_main(s)) {
            let (lon, lat) = (s.line.0[0].x, e.line.0[0].y);
            for (street, facing, east) in [(e, 180.0, 10.0), (s, 90.0, 14.0)] {
                if n == LIGHTBOXES {
                    break 'lightboxes;
                }
                n += 1;
                b.push(
                    format!("DX-{n:03}"),
                    SignKind::Lightbox,
                    street.id(),
                    street.name,
                    None,
                    offset(lon, lat, east, 10.0),
                    facing,
                    n,
                );
            }
        }
    }
    // Pole street signs along the other streets, at every fourth crossing.
    let mut k = 0;
    for (mine, across) in [(&ew, &ns), (&ns, &ew)] {
        for street in mine.iter().filter(|s| !is_main(s)) {
            for other in across.iter().skip(1).step_by(4) {
                let (lon, lat) = if east_west(street) {
                    (other.line.0[0].x, street.line.0[0].y)
                } else {
                    (street.line.0[0].x, other.line.0[0].y)
                };
                k += 1;
                let facing = if east_west(street) { 180.0 } else { 90.0 };
                b.push(
                    format!("LP-{k:03}"),
                    SignKind::Street,
                    street.id(),
                    street.name,
                    None,
                    offset(lon, lat, -10.0, -10.0),
                    facing,
                    k + 200,
                );
            }
        }
    }
    // Building plates: the first 150 residential buildings, beside their door plates.
    let names: BTreeMap<RecordId, &str> = streets.iter().map(|s| (s.id(), s.name)).collect();
    let buildings = plates.iter().filter_map(|w| match w {
        Write::Create {
            id,
            body: Body::DoorPlate(d),
            geometry: Geometry::Point(p),
            ..
        } if d.kind == PlateKind::BuildingLarge => Some((*id, d, *p)),
        _ => None,
    });
    for (i, (id, plate, p)) in buildings.take(150).enumerate() {
        let number = plate.number.to_string();
        let number = number.trim_end_matches('号').to_string();
        b.push(
            format!("LB-{:03}", i + 1),
            SignKind::Building,
            id,
            names[&plate.street],
            Some(number),
            offset(p.x(), p.y(), 3.0, 0.0),
            0.0,
            i + 500,
        );
    }
    // Place signs at the landmarks, and two guide signs 300 m south of each of the first five.
    let landmarks = places.iter().filter_map(|w| match w {
        Write::Create {
            id,
            body: Body::Place(p),
            geometry,
            ..
        } => {
            use geo::Centroid;
            geometry.centroid().map(|c| (*id, p.name.clone(), c))
        }
        _ => None,
    });
    for (i, (id, name, c)) in landmarks.enumerate() {
        b.push(
            format!("DM-{:03}", i + 1),
            SignKind::Place,
            id,
            &name,
            None,
            offset(c.x(), c.y(), 0.0, -20.0),
            180.0,
            i + 700,
        );
        if i < 5 {
            for j in 0..2 {
                b.push(
                    format!("ZX-{:03}", i * 2 + j + 1),
                    SignKind::Guide,
                    id,
                    &name,
                    None,
                    offset(c.x(), c.y(), 60.0 * j as f64 - 30.0, -300.0),
                    0.0,
                    i * 2 + j + 800,
                );
            }
        }
    }
    b.out
        .into_iter()
        .map(|(sign, at, _)| Write::Create {
            id: RecordId::derived(&format!("sign/{}", sign.code)),
            valid_from: sign.installed.unwrap_or(date(2020, 1, 1)),
            body: Body::from(sign),
            geometry: at,
        })
        .collect()
}

/// Cost of a work order in the demo, in fen.
fn cost(kind: WorkKind, sign: SignKind) -> i64 {
    100 * match (kind, sign) {
        (WorkKind::Clean, _) => 150,
        (WorkKind::Repair, SignKind::Lightbox) => 1_200,
        (WorkKind::Repair, _) => 600,
        (WorkKind::Replace, SignKind::Lightbox) => 4_500,
        (WorkKind::Replace, _) => 2_800,
        (WorkKind::Install, _) => 3_200,
    }
}

/// The spring 2026 inspection of every sign not in good condition, and a work order for each:
/// half of them already assigned to the sign maker.
pub fn inspections(signs: &[Write]) -> Vec<Write> {
    let mut out = Vec::new();
    let on = date(2026, 4, 15);
    let mut k = 0;
    for w in signs {
        let Write::Create {
            id,
            body: Body::Sign(sign),
            geometry,
            ..
        } = w
        else {
            continue;
        };
        let Some(kind) = sign.condition.remedy() else {
            continue;
        };
        k += 1;
        out.push(Write::Create {
            id: RecordId::derived(&format!("inspection/{}", sign.code)),
            valid_from: on,
            body: Body::from(Inspection {
                sign: *id,
                date: on,
                inspector: "地名办巡查组（示例）".into(),
                condition: sign.condition,
                notes: format!("{}：{}", sign.code, sign.condition.label()),
                photos: Vec::new(),
                source: Source::Sample,
            }),
            geometry: geometry.clone(),
        });
        let assigned = k % 2 == 0;
        out.push(Write::Create {
            id: RecordId::derived(&format!("work-order/{}", sign.code)),
            valid_from: on,
            body: Body::from(WorkOrder {
                sign: *id,
                kind,
                status: if assigned {
                    WorkStatus::Assigned
                } else {
                    WorkStatus::Open
                },
                reason: format!("condition.{}", sign.condition.as_str()),
                opened: on,
                assignee: assigned.then(|| "二连浩特市标识制作厂（示例）".into()),
                cost_fen: Some(cost(kind, sign.kind)),
                done: None,
                done_photo: None,
                source: Source::Sample,
            }),
            geometry: geometry.clone(),
        });
    }
    out
}
