//! A street's door plates as the officer edits them beside the map: in the order they stand
//! along the street, each with its side, the number the conventions would give it and what
//! the numbering check says of it (the same check as the registry's, for this street only).

use super::check::{Numbered, centre_line, check, plates_by_street, point};
use super::conventions::Conventions;
use super::plan::plan;
use crate::addresses::Street;
use crate::record::{RecordId, View};
use serde::Serialize;

/// One plate of the street.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ListedPlate {
    #[schema(value_type = String, format = Uuid)]
    pub id: RecordId,
    /// The version an edit names (If-Match).
    pub version: u32,
    /// 门牌号 as on the wall.
    pub number: String,
    /// 门牌种类.
    pub kind: String,
    /// 左 or 右, looking along the numbering direction; absent when the entrance is on the
    /// centre line (its side cannot be told).
    pub side: Option<&'static str>,
    /// Metres from where the numbering starts.
    pub along_m: Option<f64>,
    /// The number the conventions give this entrance (main numbers only).
    pub by_rule: Option<String>,
    /// What the numbering check says of this plate, in Chinese (empty: conforming).
    pub findings: Vec<String>,
    /// Longitude and latitude of the entrance.
    pub at: [f64; 2],
}

/// The street's plates, in numbering order (left side, then right).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StreetPlates {
    #[schema(value_type = String, format = Uuid)]
    pub street: RecordId,
    pub name: String,
    /// How the numbers run on this street, in words.
    pub rule: String,
    pub plates: Vec<ListedPlate>,
}

/// The plates of `street` with their verdicts, or why there is no list.
pub fn street_plates(
    state: &impl Numbered,
    c: &Conventions,
    street: RecordId,
) -> Result<StreetPlates, String> {
    let s = state
        .one::<Street>(&street)
        .ok_or_else(|| format!("没有现行街路巷 {street}"))?;
    let line = centre_line(s.geometry).ok_or_else(|| format!("{}没有中心线", s.body.name))?;
    let plates = plates_by_street(state).remove(&street).unwrap_or_default();
    let coords: Vec<_> = plates.iter().filter_map(|v| point(v)).collect();
    let planned = if coords.len() == plates.len() {
        plan(&line, &coords, &[], c, &s.body.numbering).ok()
    } else {
        None
    };
    let findings = check(state, c, Some(&[street]));
    let mut listed: Vec<ListedPlate> = plates
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let at = planned
                .as_ref()
                .and_then(|p| p.numbered.iter().find(|n| n.index == i));
            let main = v.body.number.annex().is_none();
            ListedPlate {
                id: v.id,
                version: v.version,
                number: v.body.number.to_string(),
                kind: v.body.kind.label().to_string(),
                side: at.map(|a| a.side.label()),
                along_m: at.map(|a| (a.along_m * 10.0).round() / 10.0),
                by_rule: at.filter(|_| main).map(|a| format!("{}号", a.number)),
                findings: findings
                    .iter()
                    .filter(|f| f.plate == v.id)
                    .map(|f| match &f.suggestion {
                        Some(s) => format!("{}（应为{s}）", f.message),
                        None => f.message.clone(),
                    })
                    .collect(),
                at: point(v).map(|c| [c.x, c.y]).unwrap_or_default(),
            }
        })
        .collect();
    // The odd side first, then the even side, each along the street; plates whose side
    // cannot be told last.
    let odd = planned.as_ref().map(|p| p.odd_side.label());
    let key = |p: &ListedPlate| (p.side.is_none(), p.side != odd, p.along_m.unwrap_or(0.0));
    listed.sort_by(|a, b| {
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let rule = planned
        .as_ref()
        .map(|p| {
            if p.one_sided {
                "单侧连续编号".to_string()
            } else {
                format!("{}侧单号，另一侧双号", p.odd_side.label())
            }
        })
        .unwrap_or_default();
    Ok(StreetPlates {
        street,
        name: s.body.name.clone(),
        rule,
        plates: listed,
    })
}
