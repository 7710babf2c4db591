//! Demo landmarks. Positions are approximate (`source = sample`).

use super::date;
use crate::layers::{Body, Source};
use crate::names::{Place, PlaceCategory};
use crate::record::{RecordId, Write};
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
    ];
    places
        .into_iter()
        .map(|(name, category, geometry)| Write::Create {
            id: RecordId::derived(&format!("place/{name}")),
            valid_from: date(2020, 1, 1),
            body: Body::Place(Place {
                name: name.into(),
                name_mn: None,
                category,
                source: Source::Sample,
            }),
            geometry,
        })
        .collect()
}
