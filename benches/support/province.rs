//! A synthetic province: streets and door plates spread over the city's extent.

use diming::addresses::{DoorNumber, DoorPlate, Street, StreetClass};
use diming::config::Config;
use diming::model::{Body, Changeset, Write};
use diming::record::{RecordId, Source};
use geo::{Coord, Geometry, LineString, MultiLineString, Point};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// The south-west and north-east corners of the jurisdiction's extent.
pub fn corners(config: &Config) -> (Coord<f64>, Coord<f64>) {
    let e = config.jurisdiction.extent;
    (
        Coord {
            x: e.west,
            y: e.south,
        },
        Coord {
            x: e.east,
            y: e.north,
        },
    )
}

/// A synthetic province's streets and door plates over the city's extent.
pub fn province(plates: usize, streets: usize, extent: (Coord<f64>, Coord<f64>)) -> Vec<Changeset> {
    let mut rng = StdRng::seed_from_u64(11);
    let mut out = Vec::new();
    let per_street = plates.div_ceil(streets.max(1));
    let ids: Vec<RecordId> = (0..streets).map(|_| RecordId::new()).collect();
    let mut starts = Vec::with_capacity(streets);
    for chunk in (0..streets).collect::<Vec<_>>().chunks(2000) {
        let mut cs = Changeset::new("bench", "全省街路巷");
        // Standard names are registered on an approval's authority.
        cs.document = Some(diming::record::ApprovalDocument {
            issuer: "某省民政厅".into(),
            number: "地名普查成果（合成）".into(),
            date: "2018-06-30".parse().unwrap(),
        });
        for &i in chunk {
            // Kept clear of the extent's edges by more than a plate's offset from its street.
            let x = rng.random_range(extent.0.x + 0.01..extent.1.x - 0.03);
            let y = rng.random_range(extent.0.y + 0.01..extent.1.y - 0.03);
            let (dx, dy) = if i % 2 == 0 {
                (0.012, 0.0)
            } else {
                (0.0, 0.009)
            };
            let line = LineString::from(vec![
                (x, y),
                (x + dx / 2.0, y + dy / 2.0 + 0.0004),
                (x + dx, y + dy),
            ]);
            starts.push((x, y, dx, dy));
            cs.writes.push(Write::Create {
                id: ids[i],
                valid_from: "2024-01-01".parse().unwrap(),
                body: Body::from(Street {
                    name: format!("街{i}"),
                    name_mn: None,
                    class: [
                        StreetClass::Arterial,
                        StreetClass::Secondary,
                        StreetClass::Branch,
                        StreetClass::Lane,
                    ][i % 4],
                    source: Source::Sample,
                    naming: Default::default(),
                    numbering: Default::default(),
                }),
                geometry: Geometry::MultiLineString(MultiLineString(vec![line])),
            });
        }
        out.push(cs);
    }
    for chunk in (0..plates).collect::<Vec<_>>().chunks(5000) {
        let mut cs = Changeset::new("bench", "全省门牌");
        for &i in chunk {
            let s = i / per_street;
            let (x, y, dx, dy) = starts[s.min(streets - 1)];
            let t = (i % per_street) as f64 / per_street as f64;
            let side = if i % 2 == 0 { 0.0001 } else { -0.0001 };
            cs.writes.push(Write::Create {
                id: RecordId::new(),
                valid_from: "2024-01-01".parse().unwrap(),
                body: Body::from(DoorPlate {
                    street: ids[s.min(streets - 1)],
                    number: DoorNumber::new((i % per_street) as u32 + 1).unwrap(),
                    source: Source::Sample,
                    kind: Default::default(),
                }),
                geometry: Geometry::Point(Point::new(
                    x + dx * t + if dy != 0.0 { side } else { 0.0 },
                    y + dy * t + if dx != 0.0 { side } else { 0.0 },
                )),
            });
        }
        out.push(cs);
    }
    out
}
