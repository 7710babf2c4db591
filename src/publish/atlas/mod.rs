//! What each print map shows, gathered from the current state ([`Atlas`]): the frame is
//! planned on the ground (EPSG:4546) from the extent asked for, and every unit, street, place
//! and door plate that meets it is handed to the renderer ([`crate::publish::map`]) in metres,
//! with the overlays of each map: the street map, the dispute map, the sign map, figures for
//! documents, and the cemeteries' maps, plans and relocation notices ([`cemetery`]).
//! Read-only: the CLI and the web hand it the registry's current state.

pub mod cemetery;

use crate::boundaries::marker::Marker;
use crate::model::CurrentState;
use crate::model::{Body, Layer, Variant};
use crate::publish::map::{Layout, MapData, Named, Plan};
use crate::signs::Sign;
use crate::spatial::crs::{from_measure, to_measure};
use geo::{BoundingRect, Coord, Geometry, Rect};

/// Why a map cannot be drawn: an extent, a record or a layout that does not do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct MapError(pub String);

/// The current state as the print maps read it.
pub struct Atlas<'a> {
    state: &'a CurrentState,
    /// The city's name, printed on every map.
    city: &'a str,
}

impl<'a> Atlas<'a> {
    pub fn new(state: &'a CurrentState, city: &'a str) -> Atlas<'a> {
        Atlas { state, city }
    }
}

/// What part of the city a map shows.
#[derive(Debug, Clone)]
pub enum MapExtent {
    /// All the streets (the built-up area).
    Streets,
    /// One unit, by its division code.
    Unit(String),
    /// A box in longitude and latitude (CGCS2000).
    BBox(Rect<f64>),
    /// A box on the ground (EPSG:4546, m).
    Ground(Rect<f64>),
}

pub fn measured(g: &Geometry<f64>) -> Result<Geometry<f64>, MapError> {
    to_measure(g).map_err(|e| MapError(e.to_string()))
}

fn measured_rect(r: Rect<f64>) -> Result<Rect<f64>, MapError> {
    measured(&Geometry::Polygon(r.to_polygon()))?
        .bounding_rect()
        .ok_or_else(|| MapError("范围为空".into()))
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
fn ground_extent(state: &CurrentState, extent: &MapExtent) -> Result<Rect<f64>, MapError> {
    let r = match extent {
        MapExtent::Streets => {
            let r = envelope(
                state
                    .layer(Layer::Street)
                    .filter_map(|v| v.geometry.bounding_rect()),
            )
            .ok_or_else(|| MapError("登记簿中没有街路巷，无法确定街区图的范围".into()))?;
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
                .ok_or_else(|| MapError(format!("登记簿中没有区划代码为 {code} 的单位")))?;
            measured(&v.geometry)?
                .bounding_rect()
                .ok_or_else(|| MapError(format!("单位 {code} 没有范围")))?
        }
        MapExtent::Ground(r) => *r,
        MapExtent::BBox(r) => {
            if r.width() <= 0.0 || r.height() <= 0.0 {
                return Err(MapError(
                    "范围须为 西经度,南纬度,东经度,北纬度 且面积不为零".into(),
                ));
            }
            measured_rect(*r)?
        }
    };
    Ok(r)
}

/// Party colours on the dispute map: the first, the second, more.
const PARTY_COLOURS: [&str; 4] = ["#1f5fa8", "#2e8b57", "#b8860b", "#6a3d9a"];

impl Atlas<'_> {
    /// Plans a street map on `layout` over `extent` (at `scale`, or the largest scale that
    /// fits) and gathers what it shows.
    pub fn street_map(
        &self,
        layout: Layout,
        extent: &MapExtent,
        scale: Option<f64>,
        made: chrono::NaiveDate,
    ) -> Result<(Plan, MapData), MapError> {
        let state = self.state;
        let plan = Plan::new(layout, ground_extent(state, extent)?, scale)
            .map_err(|e| MapError(e.to_string()))?;
        let data = self.base_map(&plan, made, true)?;
        Ok((plan, data))
    }

    /// The dispute map for the mediation meeting (争议区域图): the disputed area hatched, each
    /// party's claim in its colour, the boundary markers with their numbers, over the muted
    /// street map, with the dispute's figures in the panel.
    pub fn dispute_map(
        &self,
        id: crate::record::RecordId,
        layout: Layout,
        made: chrono::NaiveDate,
    ) -> Result<(Plan, MapData), MapError> {
        use crate::boundaries::dispute::mu;
        use crate::publish::map::{Overlay, OverlayStyle, Symbol};
        let state = self.state;
        let v = state
            .get(&id)
            .ok_or_else(|| MapError(format!("没有争议 {id}")))?;
        let Body::Dispute(d) = &v.body else {
            return Err(MapError(format!("{id} 不是边界争议")));
        };
        let area = measured(&v.geometry)?;
        // The disputed area with a generous margin, so both claims' edges near it show.
        let r = area
            .bounding_rect()
            .ok_or_else(|| MapError("争议区域为空".into()))?;
        let margin = (r.width().max(r.height()) * 0.6).max(200.0);
        let extent = Rect::new(
            (r.min().x - margin, r.min().y - margin),
            (r.max().x + margin, r.max().y + margin),
        );
        let plan = Plan::new(layout, extent, None).map_err(|e| MapError(e.to_string()))?;
        let mut data = self.base_map(&plan, made, false)?;
        for (i, p) in d.parties.iter().enumerate() {
            let claim = Geometry::<f64>::try_from(p.claim.value.clone())
                .map_err(|e| MapError(format!("{} 的主张：{e}", p.name)))?;
            let mut style = OverlayStyle::area(PARTY_COLOURS[i % PARTY_COLOURS.len()]);
            style.dash = Some("2.5,1.2".into());
            data.overlays.push(Overlay {
                id: format!("claim-{}", i + 1),
                legend: format!("{}主张范围", p.name),
                style,
                features: vec![(Some(format!("{}主张", p.name)), measured(&claim)?)],
            });
        }
        let mut hatched = OverlayStyle::area("#c0392b");
        hatched.hatch = true;
        hatched.width = 0.9;
        data.overlays.push(Overlay {
            id: "disputed".into(),
            legend: "争议区域".into(),
            style: hatched,
            features: vec![(None, area)],
        });
        let mut markers = Vec::new();
        for mid in sorted(state, Marker::LAYER, plan_view(&plan)?) {
            if let Some((m, x)) = state.version::<Marker>(&mid) {
                markers.push((Some(x.number.clone()), measured(&m.geometry)?));
            }
        }
        if !markers.is_empty() {
            data.overlays.push(Overlay {
                id: "markers".into(),
                legend: "界桩".into(),
                style: OverlayStyle::points("#111111", Symbol::Triangle),
                features: markers,
            });
        }
        data.title = Some(format!("{}（争议区域图）", d.title));
        data.notes = vec![
            format!("争议面积：{:.0} 平方米", d.area_m2),
            format!(
                "　　{:.2} 亩，{:.4} 平方千米",
                mu(d.area_m2),
                d.area_m2 / 1e6
            ),
            format!(
                "区域内：门牌 {}，地名 {}，街路巷 {}",
                d.contents.door_plates, d.contents.places, d.contents.streets
            ),
            format!(
                "　　界桩 {}，墓位 {}，散坟 {}",
                d.contents.markers, d.contents.plots, d.contents.graves
            ),
            format!("状态：{}", d.status.label()),
        ];
        Ok((plan, data))
    }

    /// The base map within the plan's frame: units, streets, places, door plates (when
    /// `plates`), the city outline for the inset, and the date of the newest change among them.
    fn base_map(
        &self,
        plan: &Plan,
        made: chrono::NaiveDate,
        plates: bool,
    ) -> Result<MapData, MapError> {
        let state = self.state;
        let view = plan_view(plan)?;
        let mut data = MapData {
            city: self.city.to_string(),
            made: Some(made),
            ..MapData::default()
        };
        let mut newest = None;
        for layer in [
            Layer::AdminUnit,
            Layer::Street,
            Layer::Place,
            Layer::DoorPlate,
        ] {
            if layer == Layer::DoorPlate && !plates {
                continue;
            }
            for id in sorted(state, layer, view) {
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
        Ok(data)
    }
}

/// The frame in longitude and latitude, to ask the index with.
fn plan_view(plan: &Plan) -> Result<Rect<f64>, MapError> {
    from_measure(&Geometry::Polygon(plan.ground().to_polygon()))
        .map_err(|e| MapError(e.to_string()))?
        .bounding_rect()
        .ok_or_else(|| MapError("范围为空".into()))
}

/// The records of `layer` meeting `view`, in a stable order.
fn sorted(state: &CurrentState, layer: Layer, view: Rect<f64>) -> Vec<crate::record::RecordId> {
    let mut ids = state.index().intersecting(layer, view);
    ids.sort();
    ids
}

impl Atlas<'_> {
    /// A figure `w` × `h` mm for a document: the base map around `extent` (EPSG:4546) in
    /// `style` (one of `maps/`), with `overlays` over it; the SVG.
    pub fn figure(
        &self,
        extent: Rect<f64>,
        overlays: Vec<crate::publish::map::Overlay>,
        (w, h): (f64, f64),
        style: &str,
    ) -> Result<String, MapError> {
        use crate::publish::map::{self, Style, labels::Measure};
        let plan =
            Plan::new(Layout::figure(w, h), extent, None).map_err(|e| MapError(e.to_string()))?;
        let mut data = self.base_map(&plan, chrono::NaiveDate::MIN, false)?;
        data.overlays = overlays;
        let measure = Measure::shared().map_err(|e| MapError(e.to_string()))?;
        Ok(map::render(&plan, Style::named(style), &data, measure).svg)
    }
}

/// `r` grown to at least `min_w` × `min_h` metres around its centre, and by `pad` on each side.
pub fn around(r: Rect<f64>, pad: f64, min_w: f64, min_h: f64) -> Rect<f64> {
    let c = r.center();
    let (w, h) = (
        (r.width() + 2.0 * pad).max(min_w),
        (r.height() + 2.0 * pad).max(min_h),
    );
    Rect::new(
        (c.x - w / 2.0, c.y - h / 2.0),
        (c.x + w / 2.0, c.y + h / 2.0),
    )
}

impl Atlas<'_> {
    /// The sign map (地名标志分布图): the street map, muted, with every sign as a dot in the
    /// colour of its condition and its code beside it where there is room; the counts by
    /// condition in the panel.
    pub fn sign_map(
        &self,
        layout: Layout,
        extent: &MapExtent,
        scale: Option<f64>,
        made: chrono::NaiveDate,
    ) -> Result<(Plan, MapData), MapError> {
        use crate::publish::map::{Overlay, OverlayStyle, Symbol};
        use crate::signs::Condition;
        let (plan, mut data) = self.street_map(layout, extent, scale, made)?;
        data.door_plates.clear();
        let state = self.state;
        let view = plan_view(&plan)?;
        let ids = sorted(state, Sign::LAYER, view);
        for condition in Condition::ALL {
            let mut style = OverlayStyle::points(condition.colour(), Symbol::Circle);
            style.symbol_size = 1.6;
            style.label_size = 1.8;
            style.label_colour = Some("#333333".into());
            let mut features = Vec::new();
            for id in &ids {
                if let Some((v, s)) = state.version::<Sign>(id)
                    && s.condition == condition
                {
                    features.push((Some(s.code.clone()), measured(&v.geometry)?));
                }
            }
            data.notes
                .push(format!("{}：{} 块", condition.label(), features.len()));
            if !features.is_empty() {
                data.overlays.push(Overlay {
                    id: format!("signs-{}", condition.as_str()),
                    legend: format!("地名标志：{}", condition.label()),
                    style,
                    features,
                });
            }
        }
        data.title = Some(format!("{}地名标志分布图", data.city));
        Ok((plan, data))
    }
}
