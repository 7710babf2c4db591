//! Demo boundary markers (界桩) on the lines between the city's township-level units: the two
//! three-unit junctions (三交点) where the town, the border zone and the sumu meet, two-faced
//! markers along the town's and the zone's edges, and the spring inspection's observations,
//! one of which finds a marker 1.3 m from its registered position.

use super::date;
use crate::boundaries::marker::{Marker, MarkerKind, MarkerState, Observation, Reference};
use crate::model::{Body, Write};
use crate::record::{RecordId, Source};
use geo::{Geometry, Point};

const SUMU: &str = "152501200";
const TOWN: &str = "152501400";
const ZONE: &str = "152501401";

/// (number, kind, units, lon, lat).
const MARKERS: [(&str, MarkerKind, &[&str], f64, f64); 8] = [
    (
        "JZ-001",
        MarkerKind::ThreeFaced,
        &[SUMU, TOWN, ZONE],
        111.965,
        43.675,
    ),
    (
        "JZ-002",
        MarkerKind::ThreeFaced,
        &[SUMU, TOWN, ZONE],
        112.015,
        43.675,
    ),
    (
        "JZ-003",
        MarkerKind::TwoFaced,
        &[SUMU, TOWN],
        111.935,
        43.640,
    ),
    (
        "JZ-004",
        MarkerKind::TwoFaced,
        &[SUMU, TOWN],
        111.935,
        43.660,
    ),
    (
        "JZ-005",
        MarkerKind::TwoFaced,
        &[SUMU, TOWN],
        111.960,
        43.625,
    ),
    (
        "JZ-006",
        MarkerKind::TwoFaced,
        &[SUMU, TOWN],
        111.990,
        43.625,
    ),
    (
        "JZ-007",
        MarkerKind::TwoFaced,
        &[SUMU, ZONE],
        111.965,
        43.695,
    ),
    (
        "JZ-008",
        MarkerKind::TwoFaced,
        &[SUMU, ZONE],
        111.995,
        43.715,
    ),
];

pub fn id(number: &str) -> RecordId {
    RecordId::derived(&format!("marker/{number}"))
}

pub fn writes() -> Vec<Write> {
    MARKERS
        .iter()
        .enumerate()
        .map(|(i, (number, kind, units, lon, lat))| {
            let k = i as f64;
            Write::Create {
                id: id(number),
                valid_from: date(2019, 9, 10),
                body: Body::from(Marker {
                    number: (*number).into(),
                    kind: *kind,
                    units: units.iter().map(|u| (*u).to_string()).collect(),
                    material: "钢筋混凝土".into(),
                    height_m: 1.0,
                    references: vec![
                        Reference {
                            object: "输电线路杆塔".into(),
                            azimuth_deg: (37.0 + 41.0 * k) % 360.0,
                            distance_m: 85.0 + 7.0 * k,
                        },
                        Reference {
                            object: "道路交叉口".into(),
                            azimuth_deg: (152.0 + 23.0 * k) % 360.0,
                            distance_m: 140.0 + 11.0 * k,
                        },
                        Reference {
                            object: "水井".into(),
                            azimuth_deg: (268.0 + 17.0 * k) % 360.0,
                            distance_m: 210.0 + 5.0 * k,
                        },
                    ],
                    description: format!("{}（示例）", kind.label()),
                    installed: Some(date(2019, 9, 10)),
                    photos: Vec::new(),
                    source: Source::Sample,
                }),
                geometry: Geometry::Point(Point::new(*lon, *lat)),
            }
        })
        .collect()
}

/// The spring 2026 joint inspection: JZ-003 in place, JZ-004 found 1.3 m east of its
/// registered position (an alert), JZ-006 damaged.
pub fn observations() -> Vec<Write> {
    let on = date(2026, 4, 20);
    let m_per_deg_lon = 111_320.0 * 43.66_f64.to_radians().cos();
    [
        ("JZ-003", 0.2, MarkerState::Intact, false),
        ("JZ-004", 1.3, MarkerState::Intact, true),
        ("JZ-006", 0.0, MarkerState::Damaged, true),
    ]
    .into_iter()
    .map(|(number, east_m, state, alert)| {
        let (_, _, _, lon, lat) = MARKERS
            .iter()
            .find(|m| m.0 == number)
            .expect("a demo marker");
        Write::Create {
            id: RecordId::derived(&format!("marker-observation/{number}")),
            valid_from: on,
            body: Body::from(Observation {
                marker: id(number),
                date: on,
                observer: "二连浩特市与苏尼特右旗联合检查组（示例）".into(),
                state,
                offset_m: east_m,
                alert,
                notes: String::new(),
                photos: Vec::new(),
                source: Source::Sample,
            }),
            geometry: Geometry::Point(Point::new(lon + east_m / m_per_deg_lon, *lat)),
        }
    })
    .collect()
}
