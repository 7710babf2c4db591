//! Suggested repairs of a parent's coverage: a gap joined to the neighbour it borders most, an
//! overlap given to one side or the other. They are proposals: an officer accepts one into a
//! changeset with a document; nothing is repaired silently.

use crate::spatial::coverage::{Finding, Problem};
use geo::{BooleanOps, Buffer, Geometry, Length, MultiPolygon};
use serde::Serialize;

/// One proposal: what to do, and the units' new geometries.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// What it does, in words.
    pub description: String,
    /// The parent whose children it changes.
    pub parent: String,
    /// (unit label, new geometry).
    #[serde(skip)]
    pub changes: Vec<(String, Geometry<f64>)>,
    pub area_m2: f64,
}

fn polygons(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        _ => MultiPolygon(vec![]),
    }
}

/// Length (degrees, comparable between neighbours of one region) of the region's outline that
/// runs along `unit`.
fn border_with(region: &MultiPolygon<f64>, unit: &MultiPolygon<f64>) -> f64 {
    let outline = geo::MultiLineString(region.0.iter().map(|p| p.exterior().clone()).collect());
    // Within a few centimetres of the unit.
    let near = unit.buffer(0.05 / 111_320.0);
    near.clip(&outline, false)
        .0
        .iter()
        .map(|l| geo::Euclidean.length(l))
        .sum()
}

/// Proposals for the findings of one parent's coverage check. `children` are the labels and
/// geometries the check was run on.
pub fn propose(
    parent: &str,
    children: &[(String, Geometry<f64>)],
    findings: &[Finding],
) -> Vec<Proposal> {
    let kids: Vec<(String, MultiPolygon<f64>)> = children
        .iter()
        .map(|(l, g)| (l.clone(), polygons(g)))
        .collect();
    let mut out = Vec::new();
    for f in findings {
        let region = polygons(&f.location);
        match &f.problem {
            Problem::Gap => {
                let best = kids
                    .iter()
                    .map(|(l, g)| (l, g, border_with(&region, g)))
                    .filter(|(_, _, len)| *len > 0.0)
                    .max_by(|a, b| a.2.total_cmp(&b.2));
                if let Some((label, g, _)) = best {
                    out.push(Proposal {
                        description: format!(
                            "{parent}：把 {:.1} 平方米的空隙并入 {label}",
                            f.area_m2
                        ),
                        parent: parent.to_string(),
                        changes: vec![(label.clone(), Geometry::MultiPolygon(g.union(&region)))],
                        area_m2: f.area_m2,
                    });
                }
            }
            Problem::Overlap { a, b } => {
                for (keep, lose) in [(a, b), (b, a)] {
                    let Some((_, g)) = kids.iter().find(|(l, _)| l == lose) else {
                        continue;
                    };
                    out.push(Proposal {
                        description: format!(
                            "{parent}：{:.1} 平方米的重叠部分归 {keep}，从 {lose} 中划出",
                            f.area_m2
                        ),
                        parent: parent.to_string(),
                        changes: vec![(
                            lose.clone(),
                            Geometry::MultiPolygon(g.difference(&region)),
                        )],
                        area_m2: f.area_m2,
                    });
                }
            }
            Problem::OutsideParent { child } => {
                if let Some((_, g)) = kids.iter().find(|(l, _)| l == child) {
                    out.push(Proposal {
                        description: format!(
                            "{parent}：把 {child} 超出上级范围的 {:.1} 平方米划出",
                            f.area_m2
                        ),
                        parent: parent.to_string(),
                        changes: vec![(
                            child.clone(),
                            Geometry::MultiPolygon(g.difference(&region)),
                        )],
                        area_m2: f.area_m2,
                    });
                }
            }
            Problem::Hole | Problem::GapBetween { .. } => {}
        }
    }
    out
}
