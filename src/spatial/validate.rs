//! Geometry validation: every refusal has a typed reason and a location.
//!
//! `validate` checks what `geo` types can hold; an unclosed ring cannot exist in a `geo`
//! polygon, so it is refused earlier, where GeoJSON is read ([`super::geojson`]).

use super::Extent;
use geo::algorithm::line_intersection::{LineIntersection, line_intersection};
use geo::algorithm::validation::{InvalidMultiPolygon, Validation};
use geo::{Contains, Coord, Geometry, Line, LineString, Polygon};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use std::fmt;

/// Why a geometry is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryProblem {
    Empty,
    NonFinite,
    UnclosedRing,
    TooFewPoints {
        needed: usize,
        got: usize,
    },
    SelfIntersection,
    RingsCross,
    HoleOutsideShell,
    PartsOverlap,
    OutsideExtent(Extent),
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
}

impl GeometryProblem {
    /// A stable machine-readable name of the rule.
    pub fn code(&self) -> &'static str {
        match self {
            GeometryProblem::Empty => "empty",
            GeometryProblem::NonFinite => "non_finite",
            GeometryProblem::UnclosedRing => "unclosed_ring",
            GeometryProblem::TooFewPoints { .. } => "too_few_points",
            GeometryProblem::SelfIntersection => "self_intersection",
            GeometryProblem::RingsCross => "rings_cross",
            GeometryProblem::HoleOutsideShell => "hole_outside_shell",
            GeometryProblem::PartsOverlap => "parts_overlap",
            GeometryProblem::OutsideExtent(_) => "outside_extent",
            GeometryProblem::WrongKind { .. } => "wrong_kind",
        }
    }
}

impl fmt::Display for GeometryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeometryProblem::Empty => write!(f, "几何为空"),
            GeometryProblem::NonFinite => write!(f, "坐标不是有限数（NaN 或无穷大）"),
            GeometryProblem::UnclosedRing => write!(f, "环不闭合：首点与末点不同"),
            GeometryProblem::TooFewPoints { needed, got } => {
                write!(f, "点数过少：至少需要 {needed} 个不同的点，只有 {got} 个")
            }
            GeometryProblem::SelfIntersection => write!(f, "边界自相交"),
            GeometryProblem::RingsCross => write!(f, "内环与外环（或两个内环）相交"),
            GeometryProblem::HoleOutsideShell => write!(f, "内环（洞）在外环之外"),
            GeometryProblem::PartsOverlap => write!(f, "多面的各部分相互重叠"),
            GeometryProblem::OutsideExtent(e) => write!(f, "坐标超出辖区范围（{e}）"),
            GeometryProblem::WrongKind { expected, found } => {
                write!(f, "几何类型应为 {expected}，实际为 {found}")
            }
        }
    }
}

/// A refused geometry: the reason, where it was found (a coordinate, if there is one) and the
/// path to it inside the geometry ("第 1 部分 外环 第 5 点").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct Invalid {
    pub problem: GeometryProblem,
    pub at: Option<Coord<f64>>,
    pub path: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "几何无效：{}", self.problem)?;
        if !self.path.is_empty() {
            write!(f, "，位于{}", self.path)?;
        }
        if let Some(c) = self.at {
            write!(f, "（{:.6}, {:.6}）", c.x, c.y)?;
        }
        Ok(())
    }
}

impl Invalid {
    pub fn new(problem: GeometryProblem, at: Option<Coord<f64>>, path: impl Into<String>) -> Self {
        Invalid {
            problem,
            at,
            path: path.into(),
        }
    }
}

/// The name of a geometry's type as users see it.
pub fn kind_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

/// Checks `g` and that every coordinate lies inside `extent`.
pub fn validate(g: &Geometry<f64>, extent: &Extent) -> Result<(), Invalid> {
    match g {
        Geometry::Point(p) => check_coords(std::iter::once(p.0), extent, ""),
        Geometry::MultiPoint(mp) => {
            if mp.0.is_empty() {
                return Err(Invalid::new(GeometryProblem::Empty, None, ""));
            }
            check_coords(mp.0.iter().map(|p| p.0), extent, "")
        }
        Geometry::Line(l) => check_line(&LineString(vec![l.start, l.end]), extent, ""),
        Geometry::LineString(l) => check_line(l, extent, ""),
        Geometry::MultiLineString(m) => {
            if m.0.is_empty() {
                return Err(Invalid::new(GeometryProblem::Empty, None, ""));
            }
            m.0.iter()
                .enumerate()
                .try_for_each(|(i, l)| check_line(l, extent, &part(i)))
        }
        Geometry::Polygon(p) => check_polygon(p, extent, ""),
        Geometry::MultiPolygon(m) => {
            if m.0.is_empty() {
                return Err(Invalid::new(GeometryProblem::Empty, None, ""));
            }
            for (i, p) in m.0.iter().enumerate() {
                check_polygon(p, extent, &part(i))?;
            }
            for e in m.validation_errors() {
                if let InvalidMultiPolygon::ElementsOverlaps(a, b) = e {
                    let at = m.0[b.0].exterior().0.first().copied();
                    let path = format!("第 {} 部分与第 {} 部分", a.0 + 1, b.0 + 1);
                    return Err(Invalid::new(GeometryProblem::PartsOverlap, at, path));
                }
            }
            Ok(())
        }
        Geometry::GeometryCollection(c) => {
            if c.0.is_empty() {
                return Err(Invalid::new(GeometryProblem::Empty, None, ""));
            }
            c.0.iter().try_for_each(|g| validate(g, extent))
        }
        Geometry::Rect(r) => check_coords([r.min(), r.max()].into_iter(), extent, ""),
        Geometry::Triangle(t) => check_polygon(&t.to_polygon(), extent, ""),
    }
}

fn part(i: usize) -> String {
    format!("第 {} 部分", i + 1)
}

fn ring_name(r: usize) -> String {
    if r == 0 {
        "外环".to_string()
    } else {
        format!("第 {r} 内环")
    }
}

fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix} {rest}")
    }
}

fn check_coords(
    coords: impl Iterator<Item = Coord<f64>>,
    extent: &Extent,
    path: &str,
) -> Result<(), Invalid> {
    for (i, c) in coords.enumerate() {
        let here = join(path, &format!("第 {} 点", i + 1));
        if !(c.x.is_finite() && c.y.is_finite()) {
            return Err(Invalid::new(GeometryProblem::NonFinite, None, here));
        }
        if !extent.contains(c) {
            return Err(Invalid::new(
                GeometryProblem::OutsideExtent(*extent),
                Some(c),
                here,
            ));
        }
    }
    Ok(())
}

fn distinct(coords: &[Coord<f64>]) -> usize {
    let mut n = 0;
    for (i, c) in coords.iter().enumerate() {
        if !coords[..i].contains(c) {
            n += 1;
        }
    }
    n
}

fn check_line(l: &LineString<f64>, extent: &Extent, path: &str) -> Result<(), Invalid> {
    if l.0.is_empty() {
        return Err(Invalid::new(GeometryProblem::Empty, None, path));
    }
    check_coords(l.0.iter().copied(), extent, path)?;
    let got = distinct(&l.0);
    if got < 2 {
        let at = l.0.first().copied();
        return Err(Invalid::new(
            GeometryProblem::TooFewPoints { needed: 2, got },
            at,
            path,
        ));
    }
    Ok(())
}

fn check_polygon(p: &Polygon<f64>, extent: &Extent, path: &str) -> Result<(), Invalid> {
    if p.exterior().0.is_empty() {
        return Err(Invalid::new(GeometryProblem::Empty, None, path));
    }
    let rings: Vec<&LineString<f64>> = std::iter::once(p.exterior()).chain(p.interiors()).collect();
    for (r, ring) in rings.iter().enumerate() {
        let here = join(path, &ring_name(r));
        check_coords(ring.0.iter().copied(), extent, &here)?;
        let got = distinct(&ring.0);
        if got < 3 {
            let at = ring.0.first().copied();
            return Err(Invalid::new(
                GeometryProblem::TooFewPoints { needed: 3, got },
                at,
                here,
            ));
        }
    }
    check_crossings(&rings, path)?;
    let shell = Polygon::new(p.exterior().clone(), vec![]);
    for (r, hole) in p.interiors().iter().enumerate() {
        // A hole touching the shell at a vertex is allowed; one with a vertex outside is not.
        if let Some(c) = hole
            .0
            .iter()
            .find(|c| !shell.contains(*c) && !on_ring(p.exterior(), **c))
        {
            let here = join(path, &ring_name(r + 1));
            return Err(Invalid::new(
                GeometryProblem::HoleOutsideShell,
                Some(*c),
                here,
            ));
        }
    }
    Ok(())
}

fn on_ring(ring: &LineString<f64>, c: Coord<f64>) -> bool {
    use geo::Intersects;
    ring.intersects(&c)
}

type Segment = GeomWithData<Rectangle<[f64; 2]>, (usize, usize)>;

/// Finds two segments of the rings that cross or touch where they must not.
fn check_crossings(rings: &[&LineString<f64>], path: &str) -> Result<(), Invalid> {
    let mut segments = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        for (s, line) in ring.lines().enumerate() {
            if line.start == line.end {
                continue; // repeated points are harmless
            }
            let rect =
                Rectangle::from_corners([line.start.x, line.start.y], [line.end.x, line.end.y]);
            segments.push(Segment::new(rect, (r, s)));
        }
    }
    let tree = RTree::bulk_load(segments.clone());
    let line_of =
        |(r, s): (usize, usize)| -> Line<f64> { rings[r].lines().nth(s).expect("indexed") };
    for a in &segments {
        let env: AABB<[f64; 2]> = rstar::RTreeObject::envelope(a.geom());
        for b in tree.locate_in_envelope_intersecting(&env) {
            let ((ra, sa), (rb, sb)) = (a.data, b.data);
            if (ra, sa) >= (rb, sb) {
                continue;
            }
            let (la, lb) = (line_of(a.data), line_of(b.data));
            let Some(hit) = line_intersection(la, lb) else {
                continue;
            };
            let at = match hit {
                LineIntersection::SinglePoint { intersection, .. } => intersection,
                LineIntersection::Collinear { intersection } => intersection.start,
            };
            if ra == rb {
                let n = rings[ra].lines().count();
                let adjacent = sb == sa + 1 || (sa == 0 && sb + 1 == n);
                let shared_vertex = matches!(hit, LineIntersection::SinglePoint { .. })
                    && (at == la.end || at == la.start);
                if adjacent && shared_vertex {
                    continue;
                }
                let here = join(
                    path,
                    &format!("{}第 {} 与第 {} 条边", ring_name(ra), sa + 1, sb + 1),
                );
                return Err(Invalid::new(
                    GeometryProblem::SelfIntersection,
                    Some(at),
                    here,
                ));
            }
            let proper = match hit {
                LineIntersection::SinglePoint { is_proper, .. } => is_proper,
                LineIntersection::Collinear { .. } => true,
            };
            if proper {
                let here = join(path, &format!("{}与{}", ring_name(ra), ring_name(rb)));
                return Err(Invalid::new(GeometryProblem::RingsCross, Some(at), here));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, line_string, point, polygon};

    const EXTENT: Extent = Extent {
        west: 111.0,
        south: 42.0,
        east: 113.0,
        north: 44.0,
    };

    fn problem(g: impl Into<Geometry<f64>>) -> GeometryProblem {
        validate(&g.into(), &EXTENT).unwrap_err().problem
    }

    #[test]
    fn valid_geometries_pass() {
        let square = polygon![(x: 111.9, y: 43.6), (x: 112.0, y: 43.6), (x: 112.0, y: 43.7), (x: 111.9, y: 43.7)];
        assert_eq!(validate(&square.into(), &EXTENT), Ok(()));
        assert_eq!(
            validate(&point!(x: 111.97, y: 43.65).into(), &EXTENT),
            Ok(())
        );
        let street = line_string![(x: 111.9, y: 43.6), (x: 112.0, y: 43.6)];
        assert_eq!(validate(&street.into(), &EXTENT), Ok(()));
    }

    #[test]
    fn a_bow_tie_is_a_self_intersection_located_at_the_crossing() {
        let bow = polygon![(x: 111.9, y: 43.6), (x: 112.0, y: 43.7), (x: 112.0, y: 43.6), (x: 111.9, y: 43.7)];
        let e = validate(&bow.into(), &EXTENT).unwrap_err();
        assert_eq!(e.problem, GeometryProblem::SelfIntersection);
        let at = e.at.unwrap();
        assert!(
            (at.x - 111.95).abs() < 1e-9 && (at.y - 43.65).abs() < 1e-9,
            "{at:?}"
        );
    }

    #[test]
    fn each_invalid_geometry_gets_its_reason() {
        let outer = line_string![(x: 111.9, y: 43.6), (x: 112.0, y: 43.6), (x: 112.0, y: 43.7), (x: 111.9, y: 43.7), (x: 111.9, y: 43.6)];
        let far_hole = line_string![(x: 112.1, y: 43.8), (x: 112.2, y: 43.8), (x: 112.2, y: 43.9), (x: 112.1, y: 43.8)];
        assert_eq!(
            problem(Polygon::new(outer.clone(), vec![far_hole])),
            GeometryProblem::HoleOutsideShell
        );
        let crossing_hole = line_string![(x: 111.95, y: 43.65), (x: 112.05, y: 43.65), (x: 112.05, y: 43.66), (x: 111.95, y: 43.65)];
        assert_eq!(
            problem(Polygon::new(outer, vec![crossing_hole])),
            GeometryProblem::RingsCross
        );
        let sliver = polygon![(x: 111.9, y: 43.6), (x: 112.0, y: 43.6), (x: 111.9, y: 43.6)];
        assert!(matches!(
            problem(sliver),
            GeometryProblem::TooFewPoints { needed: 3, got: 2 }
        ));
        assert!(matches!(
            problem(line_string![(x: 111.9, y: 43.6)]),
            GeometryProblem::TooFewPoints { .. }
        ));
        assert_eq!(
            problem(point!(x: f64::NAN, y: 43.6)),
            GeometryProblem::NonFinite
        );
        assert_eq!(
            problem(point!(x: 111.9, y: f64::INFINITY)),
            GeometryProblem::NonFinite
        );
        assert_eq!(
            problem(geo::MultiPolygon::<f64>(vec![])),
            GeometryProblem::Empty
        );
        let beijing = point!(x: 116.39, y: 39.9);
        let e = validate(&beijing.into(), &EXTENT).unwrap_err();
        assert!(matches!(e.problem, GeometryProblem::OutsideExtent(_)));
        assert_eq!(e.at, Some(coord! {x: 116.39, y: 39.9}));
        assert!(e.to_string().contains("超出辖区范围"), "{e}");
    }
}
