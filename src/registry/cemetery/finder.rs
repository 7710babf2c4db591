//! The public grave finder: where a deceased lies, by name and year; nothing else.

use crate::cemetery::Burial;
use crate::cemetery::Plot;
use crate::model::Variant;
use crate::model::{Body, CurrentState};
use crate::record::RecordId;
use geo::Centroid;

/// A grave found by the public grave finder: name and years, where; nothing else.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GraveHit {
    /// 姓名（生年—卒年）
    pub title: String,
    pub cemetery: String,
    pub section: String,
    pub plot: String,
    #[serde(skip)]
    pub plot_id: RecordId,
    /// The plot's centre, for the map.
    pub lon: f64,
    pub lat: f64,
}

/// The public grave finder: burials in a cemetery plot whose deceased's name contains
/// `name` (at least one character). Graves outside cemeteries are not listed.
pub fn find_graves(state: &CurrentState, name: &str) -> Vec<GraveHit> {
    find_graves_by(state, name, None)
}

/// Graves of the deceased named exactly `name` who died in `year`: what the public may ask
/// (a name and a year, never a part of a name: one character listed the deceased in bulk).
pub fn find_grave_of(state: &CurrentState, name: &str, year: i32) -> Vec<GraveHit> {
    find_graves_by(state, name, Some(year))
}

fn find_graves_by(state: &CurrentState, name: &str, year: Option<i32>) -> Vec<GraveHit> {
    use chrono::Datelike;
    let name = name.trim();
    if name.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<GraveHit> = state
        .layer(Burial::LAYER)
        .filter_map(|v| {
            let b = v.of::<Burial>()?;
            let found = match year {
                None => b.deceased.name.contains(name),
                Some(y) => b.deceased.name == name && b.deceased.died.year() == y,
            };
            if !found {
                return None;
            }
            let plot = state.get(&b.plot?)?;
            let p = plot.of::<Plot>()?;
            let cemetery = match state.get(&p.cemetery).map(|c| &c.body) {
                Some(Body::Cemetery(c)) => c.name.clone(),
                _ => String::new(),
            };
            let section = match state.get(&p.section).map(|c| &c.body) {
                Some(Body::CemeterySection(s)) => format!("{}区 {}", s.code, s.name),
                _ => p.number.section.clone(),
            };
            let centre = plot.geometry.centroid()?;
            Some(GraveHit {
                title: b.public_title(),
                cemetery,
                section,
                plot: p.number.to_string(),
                plot_id: plot.id,
                lon: centre.x(),
                lat: centre.y(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.plot.cmp(&b.plot)));
    out.truncate(100);
    out
}
