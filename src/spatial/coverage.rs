//! Coverage checks: do child units tile their parent? Gaps, overlaps and parts outside the
//! parent, each with its area in m², its mean width in metres and its location.
//!
//! The boolean operations run in storage coordinates, where the stored edges are straight;
//! only the resulting regions are projected to be measured. (Projecting first would bend the
//! long edges differently in parent and child, and report slivers that are not there.)

use super::crs::CrsError;
use super::measure;
use geo::{Area, BooleanOps, BoundingRect, Euclidean, Geometry, Intersects, Length, MultiPolygon};
use serde::{Deserialize, Serialize};

/// A region smaller than `min_area_m2`, or thinner on average than `noise_width_m`, is not
/// reported: the first is below what matters, the second is floating-point noise (a vertex
/// moved by 0.2 mm at the end of a 40 km edge leaves a "gap" of 2 m² that is 0.1 mm wide).
/// A region narrower than `sliver_width_m` is called a sliver.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Thresholds {
    pub min_area_m2: f64,
    pub noise_width_m: f64,
    pub sliver_width_m: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_area_m2: 1.0,
            noise_width_m: 0.001,
            sliver_width_m: 5.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// Part of the parent covered by no child.
    Gap,
    /// Part covered by two children.
    Overlap { a: String, b: String },
    /// Part of a child outside its parent.
    OutsideParent { child: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub problem: Problem,
    pub area_m2: f64,
    /// Mean width (area ÷ half the perimeter), the measure of a sliver.
    pub width_m: f64,
    pub sliver: bool,
    /// The region, CGCS2000 longitude/latitude.
    #[serde(skip)]
    pub location: Geometry<f64>,
}

fn polygons(g: Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p]),
        Geometry::MultiPolygon(m) => m,
        _ => MultiPolygon(vec![]),
    }
}

fn findings(
    region: MultiPolygon<f64>,
    problem: &Problem,
    t: Thresholds,
) -> Result<Vec<Finding>, CrsError> {
    let mut out = Vec::new();
    for lonlat in region {
        let Geometry::Polygon(p) = measure::project(&Geometry::Polygon(lonlat.clone()))? else {
            continue;
        };
        let area = p.unsigned_area();
        if area < t.min_area_m2 {
            continue;
        }
        let perimeter = Euclidean.length(p.exterior())
            + p.interiors()
                .iter()
                .map(|r| Euclidean.length(r))
                .sum::<f64>();
        let width = if perimeter > 0.0 {
            2.0 * area / perimeter
        } else {
            0.0
        };
        if width < t.noise_width_m {
            continue;
        }
        out.push(Finding {
            problem: problem.clone(),
            area_m2: area,
            width_m: width,
            sliver: width < t.sliver_width_m,
            location: Geometry::Polygon(lonlat),
        });
    }
    Ok(out)
}

/// Checks that `children` (label, geometry in storage coordinates) tile `parent`.
pub fn check_tiling(
    parent: &Geometry<f64>,
    children: &[(String, Geometry<f64>)],
    t: Thresholds,
) -> Result<Vec<Finding>, CrsError> {
    let parent = polygons(parent.clone());
    let kids: Vec<(String, MultiPolygon<f64>)> = children
        .iter()
        .map(|(label, g)| (label.clone(), polygons(g.clone())))
        .collect();
    let mut out = Vec::new();
    let union = kids
        .iter()
        .fold(MultiPolygon(vec![]), |acc, (_, k)| acc.union(k));
    out.extend(findings(parent.difference(&union), &Problem::Gap, t)?);
    for (i, (la, a)) in kids.iter().enumerate() {
        for (lb, b) in &kids[i + 1..] {
            let (Some(ra), Some(rb)) = (a.bounding_rect(), b.bounding_rect()) else {
                continue;
            };
            if !ra.intersects(&rb) {
                continue;
            }
            let problem = Problem::Overlap {
                a: la.clone(),
                b: lb.clone(),
            };
            out.extend(findings(a.intersection(b), &problem, t)?);
        }
        let problem = Problem::OutsideParent { child: la.clone() };
        out.extend(findings(a.difference(&parent), &problem, t)?);
    }
    Ok(out)
}

/// Checks a set of neighbouring polygons that should not overlap (no parent known): overlaps
/// only.
pub fn check_overlaps(
    units: &[(String, Geometry<f64>)],
    t: Thresholds,
) -> Result<Vec<Finding>, CrsError> {
    let mut out = Vec::new();
    let projected: Vec<(String, MultiPolygon<f64>)> = units
        .iter()
        .map(|(l, g)| (l.clone(), polygons(g.clone())))
        .collect();
    for (i, (la, a)) in projected.iter().enumerate() {
        for (lb, b) in &projected[i + 1..] {
            let problem = Problem::Overlap {
                a: la.clone(),
                b: lb.clone(),
            };
            out.extend(findings(a.intersection(b), &problem, t)?);
        }
    }
    Ok(out)
}
