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
    /// A hole enclosed by neighbouring units and covered by none (no parent known).
    Hole,
    /// A narrow gap between two neighbours that should share an edge (no parent known).
    GapBetween { a: String, b: String },
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

/// Checks a set of neighbouring polygons that should not overlap and leave no holes (no
/// parent known): overlaps between each pair, and holes of their union (gaps enclosed by them).
pub fn check_neighbours(
    units: &[(String, Geometry<f64>)],
    t: Thresholds,
    near_m: f64,
) -> Result<Vec<Finding>, CrsError> {
    let mut out = check_overlaps(units, t)?;
    let union = units.iter().fold(MultiPolygon(vec![]), |acc, (_, g)| {
        acc.union(&polygons(g.clone()))
    });
    let holes: Vec<geo::Polygon<f64>> = union
        .0
        .iter()
        .flat_map(|p| p.interiors().iter().cloned())
        .map(|ring| geo::Polygon::new(ring, vec![]))
        .collect();
    out.extend(findings(MultiPolygon(holes), &Problem::Hole, t)?);
    out.extend(gaps_between(units, t, near_m)?);
    Ok(out)
}

/// Gaps between neighbours that run along each other: what a morphological closing (grow by
/// half of `near_m`, shrink back) of the pair fills that neither covers, and that touches
/// both. Wider bays are not gaps between them, and are left alone. The closing approximates
/// arcs, so regions thinner than 10 cm on average are its noise, not gaps.
fn gaps_between(
    units: &[(String, Geometry<f64>)],
    t: Thresholds,
    near_m: f64,
) -> Result<Vec<Finding>, CrsError> {
    use geo::{Buffer, Distance};
    let polys: Vec<(String, MultiPolygon<f64>)> = units
        .iter()
        .map(|(l, g)| (l.clone(), polygons(g.clone())))
        .collect();
    // The closing radius, in degrees of latitude.
    let r = near_m / 2.0 / M_PER_DEG;
    let t = Thresholds {
        noise_width_m: t.noise_width_m.max(0.1),
        ..t
    };
    let all = polys
        .iter()
        .fold(MultiPolygon(vec![]), |acc, (_, p)| acc.union(p));
    let mut out = Vec::new();
    for (i, (la, a)) in polys.iter().enumerate() {
        for (lb, b) in &polys[i + 1..] {
            let (Some(ra), Some(rb)) = (a.bounding_rect(), b.bounding_rect()) else {
                continue;
            };
            let grown = |x: geo::Rect<f64>| {
                geo::Rect::new(
                    geo::Coord {
                        x: x.min().x - 4.0 * r,
                        y: x.min().y - 4.0 * r,
                    },
                    geo::Coord {
                        x: x.max().x + 4.0 * r,
                        y: x.max().y + 4.0 * r,
                    },
                )
            };
            if !grown(ra).intersects(&grown(rb)) || Euclidean.distance(a, b) > 2.0 * r {
                continue;
            }
            let pair = a.union(b);
            let closed = pair.buffer(r).buffer(-r);
            // What the closing fills that no unit covers (other neighbours' land is not a gap).
            let gap = closed.difference(&all);
            // A gap between the two runs along both: most of its outline lies on one or the
            // other. (Where their outer edges meet at an angle the closing also fills the
            // wedge outside both; its open side is the closing's arc, and it is left alone.)
            let eps = 0.01 / M_PER_DEG;
            let touching: Vec<geo::Polygon<f64>> = gap
                .0
                .into_iter()
                .filter(|g| {
                    let (mut on, mut total) = (0.0, 0.0);
                    for line in g.exterior().lines() {
                        let length = Euclidean.length(&line);
                        let mid = geo::Point((line.start + line.end) / 2.0);
                        total += length;
                        if Euclidean.distance(&mid, a) < eps || Euclidean.distance(&mid, b) < eps {
                            on += length;
                        }
                    }
                    total > 0.0
                        && on / total >= 0.8
                        && Euclidean.distance(g, a) < eps
                        && Euclidean.distance(g, b) < eps
                })
                .collect();
            let problem = Problem::GapBetween {
                a: la.clone(),
                b: lb.clone(),
            };
            out.extend(findings(MultiPolygon(touching), &problem, t)?);
        }
    }
    Ok(out)
}

/// A stretch of one unit's boundary running along a neighbour's without sharing its
/// vertices: the edge is not matched (接边), and the two lines may cross or leave slivers.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    /// The unit whose vertices are not on the neighbour's.
    pub unit: String,
    pub neighbour: String,
    /// How many of its vertices near the neighbour's boundary are not the neighbour's.
    pub vertices: usize,
    /// The largest distance of one of them from the neighbour's boundary, in metres.
    pub max_offset_m: f64,
    /// The vertices, CGCS2000 longitude/latitude.
    #[serde(skip)]
    pub location: Geometry<f64>,
}

/// Metres per degree of latitude (CGCS2000 ellipsoid, mean): enough to compare small offsets
/// with a tolerance.
const M_PER_DEG: f64 = 111_320.0;

/// Vertices of each unit that lie within `near_m` of a neighbour's boundary (so on a shared
/// edge) but more than `same_m` from every vertex of that neighbour.
pub fn unmatched_edges(
    units: &[(String, Geometry<f64>)],
    near_m: f64,
    same_m: f64,
) -> Vec<Unmatched> {
    use geo::{Coord, CoordsIter, Distance};
    let polys: Vec<(String, MultiPolygon<f64>)> = units
        .iter()
        .map(|(l, g)| (l.clone(), polygons(g.clone())))
        .collect();
    let rings = |m: &MultiPolygon<f64>| -> Vec<geo::LineString<f64>> {
        m.0.iter()
            .flat_map(|p| {
                std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
            })
            .collect()
    };
    let mut out = Vec::new();
    for (i, (la, a)) in polys.iter().enumerate() {
        for (j, (lb, b)) in polys.iter().enumerate() {
            if i == j {
                continue;
            }
            let (Some(ra), Some(rb)) = (a.bounding_rect(), b.bounding_rect()) else {
                continue;
            };
            // Expanded by the tolerance, in degrees (generously, for the longitude).
            let pad = near_m / M_PER_DEG * 2.0;
            let rb = geo::Rect::new(
                Coord {
                    x: rb.min().x - pad,
                    y: rb.min().y - pad,
                },
                Coord {
                    x: rb.max().x + pad,
                    y: rb.max().y + pad,
                },
            );
            if !ra.intersects(&rb) {
                continue;
            }
            let b_rings = rings(b);
            let b_vertices: Vec<Coord<f64>> = b.coords_iter().collect();
            let mut found = Vec::new();
            let mut max = 0.0f64;
            for v in a.coords_iter() {
                if !rb.intersects(&v) {
                    continue;
                }
                let kx = M_PER_DEG * v.y.to_radians().cos();
                let metres = |d: Coord<f64>| (d.x * kx).hypot(d.y * M_PER_DEG);
                let p = geo::Point(v);
                // Distance to the neighbour's boundary, measured in local metres.
                let near = b_rings
                    .iter()
                    .any(|r| Euclidean.distance(&p, r) * kx.min(M_PER_DEG) <= near_m);
                if !near {
                    continue;
                }
                let shared = b_vertices.iter().any(|w| metres(*w - v) <= same_m);
                if shared {
                    continue;
                }
                let offset = b_rings
                    .iter()
                    .map(|r| {
                        use geo::ClosestPoint;
                        match r.closest_point(&p) {
                            geo::Closest::Intersection(c) | geo::Closest::SinglePoint(c) => {
                                metres(c.0 - v)
                            }
                            geo::Closest::Indeterminate => f64::INFINITY,
                        }
                    })
                    .fold(f64::INFINITY, f64::min);
                max = max.max(offset);
                found.push(p);
            }
            if !found.is_empty() {
                out.push(Unmatched {
                    unit: la.clone(),
                    neighbour: lb.clone(),
                    vertices: found.len(),
                    max_offset_m: max,
                    location: Geometry::MultiPoint(geo::MultiPoint(found)),
                });
            }
        }
    }
    out
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
