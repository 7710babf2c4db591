//! What a batch of relocation notices covers: the unmoved scattered graves in an area, in
//! the zones of a kind or name, or listed by number; and the public cemetery that receives
//! them. The command line and the burial office's pages both ask here, so a batch issued
//! from either covers the same graves.

use crate::cemetery::{Cemetery, CemeteryKind, Grave, Zone, ZoneKind};
use crate::model::{CurrentState, Variant};
use crate::record::RecordId;
use geo::{Contains, Geometry};

/// The graves a batch covers, the area drawn on its public notice and the area's name.
#[derive(Debug, Clone)]
pub struct Scope {
    pub graves: Vec<RecordId>,
    pub area: Option<Geometry<f64>>,
    pub name: String,
}

/// The graves not yet moved whose point lies in `area`.
fn unmoved_in(state: &CurrentState, area: &Geometry<f64>) -> Vec<RecordId> {
    state
        .layer(Grave::LAYER)
        .filter(|v| v.of::<Grave>().is_some_and(|g| g.moved_to.is_none()))
        .filter(|v| match (&v.geometry, area) {
            (Geometry::Point(p), Geometry::MultiPolygon(m)) => m.contains(p),
            (Geometry::Point(p), Geometry::Polygon(m)) => m.contains(p),
            _ => false,
        })
        .map(|v| v.id)
        .collect()
}

/// The unmoved graves in `area` (polygons of a drawn or uploaded file).
pub fn in_area(state: &CurrentState, area: Geometry<f64>, name: String) -> Scope {
    Scope {
        graves: unmoved_in(state, &area),
        area: Some(area),
        name,
    }
}

/// The unmoved graves in the zones of a kind (`road_railway`, 道路铁路沿线 …) or of a name.
pub fn in_zones(state: &CurrentState, zone: &str) -> Result<Scope, String> {
    let kind = zone.parse::<ZoneKind>().ok();
    let zones: Vec<_> = state
        .versions::<Zone>()
        .filter(|(_, z)| Some(z.kind) == kind || z.name == zone)
        .collect();
    if zones.is_empty() {
        return Err(format!(
            "没有区域“{zone}”：应为区域类型（如 road_railway）或区域名称"
        ));
    }
    let names: Vec<String> = zones.iter().map(|(_, z)| z.name.clone()).collect();
    let polygons: Vec<geo::Polygon<f64>> = zones
        .iter()
        .flat_map(|(v, _)| match &v.geometry {
            Geometry::MultiPolygon(m) => m.0.clone(),
            Geometry::Polygon(p) => vec![p.clone()],
            _ => vec![],
        })
        .collect();
    Ok(in_area(
        state,
        Geometry::MultiPolygon(geo::MultiPolygon(polygons)),
        names.join("、"),
    ))
}

/// The graves listed by ledger number or record id, separated by commas.
pub fn listed(state: &CurrentState, list: &str) -> Result<Scope, String> {
    let mut graves = Vec::new();
    for key in list
        .split([',', '，', '、', ' ', '\n'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        let v = state
            .layer(Grave::LAYER)
            .find(|v| v.id.to_string() == key || v.of::<Grave>().is_some_and(|g| g.number == key))
            .ok_or_else(|| format!("没有坟墓“{key}”"))?;
        graves.push(v.id);
    }
    Ok(Scope {
        graves,
        area: None,
        name: "所列坟墓".into(),
    })
}

/// The cemetery that receives the graves: the one named, or the only public cemetery.
pub fn destination(state: &CurrentState, name: Option<&str>) -> Result<(RecordId, String), String> {
    let found: Vec<(RecordId, String)> = state
        .versions::<Cemetery>()
        .filter(|(_, c)| name.map_or(c.kind == CemeteryKind::Public, |n| n == c.name))
        .map(|(v, c)| (v.id, c.name.clone()))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(match name {
            Some(n) => format!("没有名为“{n}”的公墓"),
            None => "找不到接收公墓：请给出公墓名称".into(),
        }),
        _ => Err("有多个公益性公墓：请指明接收公墓".into()),
    }
}
