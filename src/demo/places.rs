//! Demo landmarks, and a few places with non-standard names for the names audit to find.
//! Positions are approximate (`source = sample`).

use super::date;
use crate::model::{Body, Write};
use crate::names::naming::Naming;
use crate::names::{Place, PlaceCategory};
use crate::record::{RecordId, Source};
use geo::{Geometry, Point, Rect, coord};

fn point(x: f64, y: f64) -> Geometry<f64> {
    Geometry::Point(Point::new(x, y))
}

fn area(w: f64, s: f64, e: f64, n: f64) -> Geometry<f64> {
    Geometry::Polygon(Rect::new(coord! {x: w, y: s}, coord! {x: e, y: n}).to_polygon())
}

pub fn writes() -> Vec<Write> {
    let places = [
        (
            "二连浩特站",
            PlaceCategory::Transport,
            point(111.9795, 43.6530),
        ),
        (
            "二连浩特公路口岸",
            PlaceCategory::Transport,
            point(111.9750, 43.7050),
        ),
        (
            "国门景区",
            PlaceCategory::MemorialOrScenic,
            point(111.9680, 43.7120),
        ),
        (
            "二连浩特恐龙博物馆",
            PlaceCategory::MemorialOrScenic,
            point(111.9900, 43.6400),
        ),
        (
            "二连浩特市人民政府",
            PlaceCategory::Organisation,
            point(111.9720, 43.6500),
        ),
        (
            "伊林驿站遗址",
            PlaceCategory::MemorialOrScenic,
            point(112.0000, 43.6000),
        ),
        (
            "恐龙地质公园",
            PlaceCategory::MemorialOrScenic,
            area(112.035, 43.660, 112.055, 43.672),
        ),
        (
            "二连盐池",
            PlaceCategory::Waters,
            area(112.060, 43.690, 112.085, 43.705),
        ),
        // Non-standard names, as the clean-up campaign (大洋怪重) finds them in the field.
        (
            "曼哈顿国际花园",
            PlaceCategory::Settlement,
            area(111.9405, 43.6560, 111.9445, 43.6585),
        ),
        (
            "帝豪家园",
            PlaceCategory::Settlement,
            area(112.0050, 43.6300, 112.0090, 43.6325),
        ),
        (
            "東城市场",
            PlaceCategory::Building,
            point(112.0080, 43.6620),
        ),
        ("6号仓库", PlaceCategory::Building, point(111.9560, 43.6290)),
        (
            "二连口岸市场",
            PlaceCategory::Building,
            point(111.9700, 43.6700),
        ),
        (
            "老口岸市场",
            PlaceCategory::Building,
            point(111.9850, 43.6680),
        ),
    ];
    places
        .into_iter()
        .map(|(name, category, geometry)| Write::Create {
            id: RecordId::derived(&format!("place/{name}")),
            valid_from: date(2020, 1, 1),
            body: Body::from(Place {
                name: name.into(),
                name_mn: None,
                category,
                source: Source::Sample,
                naming: Naming::default(),
            }),
            geometry,
        })
        .collect()
}
