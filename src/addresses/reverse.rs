//! Reverse geocoding: a point → the units that contain it (deepest first), the nearest door
//! plate and the nearest street, with geodesic distances in metres.

use super::{DoorPlate, Street};
use crate::boundaries::AdminUnit;
use crate::record::{RecordId, Records, View};
use geo::{Closest, ClosestPoint, Coord, Distance, Geodesic, Geometry, Point};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub id: RecordId,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reverse {
    /// From the deepest unit up to the city.
    pub units: Vec<Named>,
    pub door_plate: Option<Named>,
    pub street: Option<Named>,
}

fn distance(point: Coord<f64>, geometry: &Geometry<f64>) -> Option<f64> {
    match geometry.closest_point(&Point(point)) {
        Closest::Intersection(p) | Closest::SinglePoint(p) => {
            Some(Geodesic.distance(Point(point), p))
        }
        Closest::Indeterminate => None,
    }
}

/// What is at `point`.
pub fn reverse(
    state: &(impl Records<AdminUnit> + Records<DoorPlate> + Records<Street>),
    point: Coord<f64>,
) -> Reverse {
    let mut units = Vec::new();
    let mut next = crate::boundaries::deepest_at(state, point);
    while let Some(u) = next {
        units.push(Named {
            id: u.id,
            name: u.body.name.clone(),
            code: Some(u.body.code.short()),
            distance_m: None,
        });
        next = u
            .body
            .parent
            .and_then(|p| crate::boundaries::by_code(state, p));
    }
    let door_plate = state.nearest::<DoorPlate>(point).map(|d| {
        let street = state
            .one::<Street>(&d.body.street)
            .map(|s| s.body.name.as_str())
            .unwrap_or_default();
        Named {
            id: d.id,
            name: format!("{street}{}", d.body.number),
            code: None,
            distance_m: distance(point, d.geometry),
        }
    });
    let street = state.nearest::<Street>(point).map(|s| Named {
        id: s.id,
        name: s.body.name.clone(),
        code: None,
        distance_m: distance(point, s.geometry),
    });
    Reverse {
        units,
        door_plate,
        street,
    }
}
