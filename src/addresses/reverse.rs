//! Reverse geocoding: a point → the units that contain it (deepest first), the nearest door
//! plate and the nearest street, with geodesic distances in metres.

use crate::model::{Body, CurrentState, Layer, RecordVersion};
use crate::record::RecordId;
use geo::{Closest, ClosestPoint, Coord, Distance, Geodesic, Point};
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

fn distance(point: Coord<f64>, v: &RecordVersion) -> Option<f64> {
    match v.geometry.closest_point(&Point(point)) {
        Closest::Intersection(p) | Closest::SinglePoint(p) => {
            Some(Geodesic.distance(Point(point), p))
        }
        Closest::Indeterminate => None,
    }
}

/// What is at `point`.
pub fn reverse(state: &CurrentState, point: Coord<f64>) -> Reverse {
    let mut units = Vec::new();
    let mut next = state.unit_at(point);
    while let Some(v) = next {
        let Body::AdminUnit(u) = &v.body else { break };
        units.push(Named {
            id: v.id,
            name: u.name.clone(),
            code: Some(u.code.short()),
            distance_m: None,
        });
        next = u.parent.and_then(|p| {
            state
                .layer(Layer::AdminUnit)
                .find(|w| matches!(&w.body, Body::AdminUnit(a) if a.code == p))
        });
    }
    let door_plate = state
        .index()
        .nearest(Layer::DoorPlate, point)
        .and_then(|id| state.get(&id))
        .and_then(|v| {
            let Body::DoorPlate(d) = &v.body else {
                return None;
            };
            let street = state
                .get(&d.street)
                .map(|s| s.body.title())
                .unwrap_or_default();
            Some(Named {
                id: v.id,
                name: format!("{street}{}", d.number),
                code: None,
                distance_m: distance(point, v),
            })
        });
    let street = state
        .index()
        .nearest(Layer::Street, point)
        .and_then(|id| state.get(&id))
        .map(|v| Named {
            id: v.id,
            name: v.body.title(),
            code: None,
            distance_m: distance(point, v),
        });
    Reverse {
        units,
        door_plate,
        street,
    }
}
