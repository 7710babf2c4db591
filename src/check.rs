//! `diming check`: every validation over the registry as one report (geometries, the tiling
//! of units, door plates, the naming rules and the cemetery check). Each finding names its
//! rule, the record at fault and where it is.

use crate::addresses::numbering;
use crate::boundaries::DivisionCode;
use crate::config::Config;
use crate::model::{Body, CurrentState, Layer, Variant};
use crate::names::WordLists;
use crate::queries::audit;
use crate::record::RecordId;
use crate::spatial::{self, coverage};
use geo::{Centroid, Geometry};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule, e.g. `geometry.self_intersection`, `units.gap`, `door_plates.duplicate`.
    pub rule: String,
    pub layer: Layer,
    pub record: Option<RecordId>,
    pub title: String,
    pub message: String,
    /// Longitude/latitude of the place to look at.
    pub at: Option<(f64, f64)>,
    /// The region at fault (GeoJSON), where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<geojson::Geometry>,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub records: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

fn centre(g: &Geometry<f64>) -> Option<(f64, f64)> {
    g.centroid().map(|p| (p.x(), p.y()))
}

/// Runs every check over the current state.
pub fn run(state: &CurrentState, config: &Config, lists: &WordLists) -> Report {
    let mut report = Report {
        records: state.len(),
        findings: Vec::new(),
    };
    geometries(state, config, &mut report.findings);
    units(state, config, &mut report.findings);
    door_plates(state, config, &mut report.findings);
    names(state, config, lists, &mut report.findings);
    cemeteries(state, config, &mut report.findings);
    report
        .findings
        .sort_by(|a, b| a.rule.cmp(&b.rule).then(a.title.cmp(&b.title)));
    report
}

/// The cemetery check (plot sizes, plots in sections, overlaps, numbers, capacity).
fn cemeteries(state: &CurrentState, config: &Config, out: &mut Vec<Finding>) {
    for f in crate::cemetery::check::check(state, &config.cemetery.plot_limits) {
        let first = f.records.first().and_then(|id| state.get(id));
        out.push(Finding {
            rule: format!(
                "cemetery.{}",
                serde_json::to_value(f.rule)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            layer: first.map_or(crate::cemetery::Plot::LAYER, |v| v.layer()),
            record: f.records.first().copied(),
            title: first.map(|v| v.body.title()).unwrap_or_default(),
            message: f.message,
            at: f.location.as_ref().and_then(centre),
            location: f.location.as_ref().map(crate::spatial::geojson::from_geo),
        });
    }
}

fn geometries(state: &CurrentState, config: &Config, out: &mut Vec<Finding>) {
    for v in state.records() {
        if let Err(invalid) = spatial::validate(&v.geometry, &config.jurisdiction.extent) {
            out.push(Finding {
                rule: format!("geometry.{}", invalid.problem.code()),
                layer: v.layer(),
                record: Some(v.id),
                title: v.body.title(),
                message: invalid.to_string(),
                at: invalid
                    .at
                    .map(|c| (c.x, c.y))
                    .or_else(|| centre(&v.geometry)),
                location: None,
            });
        }
    }
}

fn units(state: &CurrentState, config: &Config, out: &mut Vec<Finding>) {
    let units: HashMap<DivisionCode, (RecordId, &str, &Geometry<f64>)> = state
        .layer(Layer::AdminUnit)
        .filter_map(|v| match &v.body {
            Body::AdminUnit(u) => Some((u.code, (v.id, u.name.as_str(), &v.geometry))),
            _ => None,
        })
        .collect();
    let mut children: BTreeMap<DivisionCode, Vec<(String, Geometry<f64>)>> = BTreeMap::new();
    for v in state.layer(Layer::AdminUnit) {
        let Body::AdminUnit(u) = &v.body else {
            continue;
        };
        let Some(parent) = u.parent else { continue };
        if !units.contains_key(&parent) {
            out.push(Finding {
                rule: "units.missing_parent".into(),
                layer: Layer::AdminUnit,
                record: Some(v.id),
                title: u.name.clone(),
                message: format!("{} {} 的上级 {} 不在登记簿中", u.code, u.name, parent),
                at: centre(&v.geometry),
                location: None,
            });
            continue;
        }
        children
            .entry(parent)
            .or_default()
            .push((format!("{} {}", u.code.short(), u.name), v.geometry.clone()));
    }
    for (parent, kids) in children {
        let (id, name, geometry) = units[&parent];
        let findings = match coverage::check_tiling(geometry, &kids, config.jurisdiction.coverage) {
            Ok(f) => f,
            Err(e) => {
                out.push(Finding {
                    rule: "units.crs".into(),
                    layer: Layer::AdminUnit,
                    record: Some(id),
                    title: name.into(),
                    message: e.to_string(),
                    at: centre(geometry),
                    location: None,
                });
                continue;
            }
        };
        for f in findings {
            let (rule, what) = match &f.problem {
                coverage::Problem::Gap => ("units.gap", "下级区域之间有空隙".to_string()),
                coverage::Problem::Overlap { a, b } => {
                    ("units.overlap", format!("{a} 与 {b} 重叠"))
                }
                coverage::Problem::OutsideParent { child } => {
                    ("units.outside_parent", format!("{child} 超出上级范围"))
                }
                coverage::Problem::Hole => ("units.hole", "相邻区域之间有空洞".to_string()),
                coverage::Problem::GapBetween { a, b } => {
                    ("units.gap_between", format!("{a} 与 {b} 之间有缝隙"))
                }
            };
            let sliver = if f.sliver { "（狭长碎片）" } else { "" };
            out.push(Finding {
                rule: rule.into(),
                layer: Layer::AdminUnit,
                record: Some(id),
                title: name.into(),
                message: format!(
                    "{name}：{what}{sliver}，面积 {:.1} 平方米，平均宽度 {:.1} 米",
                    f.area_m2, f.width_m
                ),
                at: centre(&f.location),
                location: Some(spatial::geojson::from_geo(&f.location)),
            });
        }
    }
}

fn names(state: &CurrentState, config: &Config, lists: &WordLists, out: &mut Vec<Finding>) {
    for row in audit::audit(state, lists, &config.rule_settings()) {
        let Some(v) = state.get(&row.id) else {
            continue;
        };
        for verdict in row.verdicts {
            out.push(Finding {
                rule: format!("names.{}", verdict.rule.id()),
                layer: row.layer,
                record: Some(row.id),
                title: row.name.clone(),
                message: format!("{}：{}", row.name, verdict.explanation),
                at: centre(&v.geometry),
                location: None,
            });
        }
    }
}

fn door_plates(state: &CurrentState, config: &Config, out: &mut Vec<Finding>) {
    for f in numbering::check(state, &config.numbering, None) {
        out.push(Finding {
            rule: format!("door_plates.{}", f.rule.id()),
            layer: Layer::DoorPlate,
            record: Some(f.plate),
            title: format!("{}{}", f.street_name, f.number),
            message: match &f.suggestion {
                Some(s) => format!("{}；按规则应为 {s}", f.message),
                None => f.message.clone(),
            },
            at: Some(f.at),
            location: None,
        });
    }
}
