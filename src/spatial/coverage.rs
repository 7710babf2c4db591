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

/// Property tests: a parent cut into random columns and rows of children is tiled exactly;
/// taking one child away leaves a gap of its area; growing one child overlaps its neighbours
/// (or leaves the parent) by exactly the strip it grew, measured as a sliver of its width.
#[cfg(test)]
mod properties {
    use super::*;
    use geo::{Rect, coord};
    use proptest::prelude::*;

    /// The parent: about 1.6 km × 1.7 km in Erenhot.
    const WEST: f64 = 111.95;
    const SOUTH: f64 = 43.62;
    const DX: f64 = 0.02;
    const DY: f64 = 0.015;

    fn rect(w: f64, s: f64, e: f64, n: f64) -> Rect<f64> {
        Rect::new(coord! {x: w, y: s}, coord! {x: e, y: n})
    }

    /// Projected area in m² (EPSG:4546), as the check measures it.
    fn area(r: Rect<f64>) -> f64 {
        match measure::project(&Geometry::Polygon(r.to_polygon())).unwrap() {
            Geometry::Polygon(p) => p.unsigned_area(),
            _ => unreachable!(),
        }
    }

    /// Cut positions as fractions, at least 5 % apart and from the ends.
    fn cuts(max: usize) -> impl Strategy<Value = Vec<f64>> {
        proptest::collection::btree_set(1u32..20, 0..=max)
            .prop_map(|s| s.into_iter().map(|k| f64::from(k) * 0.05).collect())
    }

    /// Children as rectangles, with the column each is in: columns cut at `xs`, each column
    /// cut into rows at its own fractions.
    fn children(xs: &[f64], rows: &[Vec<f64>]) -> Vec<(usize, Rect<f64>)> {
        let edges = |c: &[f64]| {
            let mut v = vec![0.0];
            v.extend_from_slice(c);
            v.push(1.0);
            v
        };
        let xe = edges(xs);
        let mut out = Vec::new();
        for (col, xw) in xe.windows(2).enumerate() {
            let ye = edges(&rows[col % rows.len()]);
            for yw in ye.windows(2) {
                out.push((
                    col,
                    rect(
                        WEST + xw[0] * DX,
                        SOUTH + yw[0] * DY,
                        WEST + xw[1] * DX,
                        SOUTH + yw[1] * DY,
                    ),
                ));
            }
        }
        out
    }

    fn labelled(kids: &[(usize, Rect<f64>)]) -> Vec<(String, Geometry<f64>)> {
        kids.iter()
            .enumerate()
            .map(|(i, (_, r))| (format!("c{i}"), Geometry::Polygon(r.to_polygon())))
            .collect()
    }

    fn parent() -> Geometry<f64> {
        Geometry::Polygon(rect(WEST, SOUTH, WEST + DX, SOUTH + DY).to_polygon())
    }

    fn close(found: f64, expected: f64) -> bool {
        (found - expected).abs() <= expected * 1e-3 + 0.01
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn an_exact_tiling_has_no_findings(
            xs in cuts(3),
            rows in proptest::collection::vec(cuts(3), 4),
        ) {
            let kids = labelled(&children(&xs, &rows));
            let t = Thresholds::default();
            let found = check_tiling(&parent(), &kids, t).unwrap();
            prop_assert!(found.is_empty(), "{found:?}");
            let found = check_neighbours(&kids, t, 50.0).unwrap();
            prop_assert!(found.is_empty(), "{found:?}");
        }

        #[test]
        fn a_missing_child_is_a_gap_of_its_area(
            xs in cuts(3),
            rows in proptest::collection::vec(cuts(3), 4),
            pick in any::<proptest::sample::Index>(),
        ) {
            let mut kids = children(&xs, &rows);
            prop_assume!(kids.len() > 1);
            let (_, gone) = kids.remove(pick.index(kids.len()));
            let found = check_tiling(&parent(), &labelled(&kids), Thresholds::default()).unwrap();
            prop_assert!(found.iter().all(|f| f.problem == Problem::Gap), "{found:?}");
            let total: f64 = found.iter().map(|f| f.area_m2).sum();
            prop_assert!(close(total, area(gone)), "{total} vs {}", area(gone));
        }

        #[test]
        fn a_child_grown_east_overlaps_by_the_strip_it_grew(
            xs in cuts(3),
            rows in proptest::collection::vec(cuts(3), 4),
            pick in any::<proptest::sample::Index>(),
            metres in 0.5f64..60.0,
        ) {
            let mut kids = children(&xs, &rows);
            let k = pick.index(kids.len());
            let (col, r) = kids[k];
            // Metres to degrees of longitude at this latitude, closely enough: the strip is
            // measured back in metres below.
            let grow = metres / (111_320.0 * SOUTH.to_radians().cos());
            let strip = rect(r.max().x, r.min().y, r.max().x + grow, r.max().y);
            kids[k].1 = rect(r.min().x, r.min().y, r.max().x + grow, r.max().y);
            let last = col == xs.len();
            let label = format!("c{k}");
            let found = check_tiling(&parent(), &labelled(&kids), Thresholds::default()).unwrap();
            prop_assert!(!found.is_empty());
            for f in &found {
                match &f.problem {
                    Problem::Overlap { a, b } => {
                        prop_assert!(!last);
                        prop_assert!(*a == label || *b == label, "{f:?}");
                    }
                    Problem::OutsideParent { child } => {
                        prop_assert!(last);
                        prop_assert_eq!(child, &label);
                    }
                    other => prop_assert!(false, "unexpected {other:?}"),
                }
                // Each piece is the strip's width (or, beside a neighbour's short side, a
                // shorter piece no wider than the strip), and a sliver below 5 m.
                prop_assert!(f.width_m <= metres * 1.01, "{} > {metres}", f.width_m);
                prop_assert_eq!(f.sliver, f.width_m < 5.0);
            }
            let total: f64 = found.iter().map(|f| f.area_m2).sum();
            prop_assert!(close(total, area(strip)), "{total} vs {}", area(strip));
        }
    }
}
