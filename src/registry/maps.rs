//! What a print map shows, gathered from the current state: the frame is planned on the
//! ground (EPSG:4546) from the extent asked for, and every unit, street, place and door plate
//! that meets it is handed to the renderer (`publish::map`) in metres.

use super::{Registry, RegistryError};
use crate::layers::{Body, Layer};
use crate::publish::map::{Layout, MapData, Named, Plan};
use crate::record::CurrentState;
use crate::spatial::crs::{from_measure, to_measure};
use geo::{BoundingRect, Coord, Geometry, Rect};

/// What part of the city a map shows.
#[derive(Debug, Clone)]
pub enum MapExtent {
    /// All the streets (the built-up area).
    Streets,
    /// One unit, by its division code.
    Unit(String),
    /// A box in longitude and latitude (CGCS2000).
    BBox(Rect<f64>),
}

fn measured(g: &Geometry<f64>) -> Result<Geometry<f64>, RegistryError> {
    to_measure(g).map_err(|e| RegistryError::Invalid(e.to_string()))
}

fn measured_rect(r: Rect<f64>) -> Result<Rect<f64>, RegistryError> {
    measured(&Geometry::Polygon(r.to_polygon()))?
        .bounding_rect()
        .ok_or_else(|| RegistryError::Invalid("范围为空".into()))
}

fn envelope(rects: impl Iterator<Item = Rect<f64>>) -> Option<Rect<f64>> {
    rects.reduce(|a, b| {
        Rect::new(
            (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
            (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
        )
    })
}

/// The extent on the ground (EPSG:4546, m).
fn ground_extent(state: &CurrentState, extent: &MapExtent) -> Result<Rect<f64>, RegistryError> {
    let r = match extent {
        MapExtent::Streets => {
            let r = envelope(
                state
                    .layer(Layer::Street)
                    .filter_map(|v| v.geometry.bounding_rect()),
            )
            .ok_or_else(|| {
                RegistryError::Invalid("登记簿中没有街路巷，无法确定街区图的范围".into())
            })?;
            let r = measured_rect(r)?;
            // A margin of 3 % around the streets.
            let (dx, dy) = (r.width() * 0.03, r.height() * 0.03);
            Rect::new(
                (r.min().x - dx, r.min().y - dy),
                (r.max().x + dx, r.max().y + dy),
            )
        }
        MapExtent::Unit(code) => {
            let v = state
                .layer(Layer::AdminUnit)
                .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == *code || u.code.to_string() == *code))
                .ok_or_else(|| RegistryError::Invalid(format!("登记簿中没有区划代码为 {code} 的单位")))?;
            measured(&v.geometry)?
                .bounding_rect()
                .ok_or_else(|| RegistryError::Invalid(format!("单位 {code} 没有范围")))?
        }
        MapExtent::BBox(r) => {
            if r.width() <= 0.0 || r.height() <= 0.0 {
                return Err(RegistryError::Invalid(
                    "范围须为 西经度,南纬度,东经度,北纬度 且面积不为零".into(),
                ));
            }
            measured_rect(*r)?
        }
    };
    Ok(r)
}

impl Registry {
    /// Plans a street map on `layout` over `extent` (at `scale`, or the largest scale that
    /// fits) and gathers what it shows.
    pub fn street_map(
        &self,
        layout: Layout,
        extent: &MapExtent,
        scale: Option<f64>,
        made: chrono::NaiveDate,
    ) -> Result<(Plan, MapData), RegistryError> {
        let state = self.current();
        let plan = Plan::new(layout, ground_extent(&state, extent)?, scale)
            .map_err(|e| RegistryError::Invalid(e.to_string()))?;
        let view = from_measure(&Geometry::Polygon(plan.ground().to_polygon()))
            .map_err(|e| RegistryError::Invalid(e.to_string()))?
            .bounding_rect()
            .ok_or_else(|| RegistryError::Invalid("范围为空".into()))?;
        let mut data = MapData {
            city: self.config().jurisdiction.name.clone(),
            made: Some(made),
            ..MapData::default()
        };
        let ids = |layer| {
            let mut ids = state.index().intersecting(layer, view);
            ids.sort();
            ids
        };
        let mut newest = None;
        for layer in [
            Layer::AdminUnit,
            Layer::Street,
            Layer::Place,
            Layer::DoorPlate,
        ] {
            for id in ids(layer) {
                let Some(v) = state.get(&id) else { continue };
                newest = newest.max(Some(v.valid_from));
                match &v.body {
                    Body::AdminUnit(u) => data.units.push(Named {
                        name: u.name.clone(),
                        name_mn: u.name_mn.clone(),
                        kind: u.level.depth(),
                        geometry: measured(&v.geometry)?,
                    }),
                    Body::Street(s) => data.streets.push(Named {
                        name: s.name.clone(),
                        name_mn: s.name_mn.clone(),
                        kind: s.class,
                        geometry: measured(&v.geometry)?,
                    }),
                    Body::Place(p) => data.places.push(Named {
                        name: p.name.clone(),
                        name_mn: p.name_mn.clone(),
                        kind: p.category,
                        geometry: measured(&v.geometry)?,
                    }),
                    Body::DoorPlate(d) => {
                        if let Geometry::Point(pt) = measured(&v.geometry)? {
                            data.door_plates
                                .push((d.number.to_string(), Coord::from(pt)));
                        }
                    }
                    _ => {}
                }
            }
        }
        data.data_date = newest;
        data.city_outline = state
            .layer(Layer::AdminUnit)
            .filter(|v| matches!(&v.body, Body::AdminUnit(u) if u.level.depth() == 0))
            .min_by_key(|v| v.id)
            .map(|v| measured(&v.geometry))
            .transpose()?;
        Ok((plan, data))
    }
}
