//! Planning the numbers of one street.
//!
//! The street is measured in a local plane (metres east and north of its first point), which
//! over a street's length differs from EPSG:4546 by far less than a plate's width. Its parts
//! are chained end to end; the chain runs the way the conventions say (east → west and
//! south → north by default, by the nearer cardinal direction for an oblique street) unless
//! the street overrides it.

use super::conventions::{Conventions, Heading, Side, StreetOverrides};
use geo::{Coord, MultiLineString};
use serde::Serialize;

const M_PER_DEG: f64 = 111_320.0;

/// A numbered entrance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    /// Position of the entrance in the input.
    pub index: usize,
    pub number: u32,
    pub side: Side,
    /// Distance along the street from where numbering starts, metres.
    pub along_m: f64,
    /// Distance from the centre line, metres.
    pub offset_m: f64,
    /// The entrance is nearer to another street than to this one.
    pub closer_to_other: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// On the centre line: its side cannot be told.
    OnLine { offset_m: f64 },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::OnLine { offset_m } => write!(
                f,
                "入口距中心线仅 {offset_m:.2} 米，无法判断在道路哪一侧；请把入口点放到道路一侧"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refused {
    pub index: usize,
    #[serde(flatten)]
    pub reason: Refusal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Where the numbers run (for a street numbered by compass).
    pub heading: Option<Heading>,
    pub one_sided: bool,
    pub odd_side: Side,
    pub length_m: f64,
    /// In input order.
    pub numbered: Vec<Planned>,
    pub refused: Vec<Refused>,
    /// Numbers kept free for future entrances in long gaps.
    pub reserved: Vec<u32>,
    /// Whether the numbers run from the line's last point towards its first.
    pub reversed: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("街路巷中心线为空或不足两个点")]
    EmptyStreet,
}

/// A point in the local plane: metres east and north of the origin.
#[derive(Debug, Clone, Copy, PartialEq)]
struct P {
    x: f64,
    y: f64,
}

struct Plane {
    origin: Coord<f64>,
    kx: f64,
}

impl Plane {
    fn new(origin: Coord<f64>) -> Self {
        Plane {
            origin,
            kx: M_PER_DEG * origin.y.to_radians().cos(),
        }
    }

    fn p(&self, c: Coord<f64>) -> P {
        P {
            x: (c.x - self.origin.x) * self.kx,
            y: (c.y - self.origin.y) * M_PER_DEG,
        }
    }
}

/// The chained centre line: points in numbering order and their distances from the start.
struct Chain {
    points: Vec<P>,
    at: Vec<f64>,
}

impl Chain {
    fn build(parts: Vec<Vec<P>>) -> Option<Chain> {
        let mut parts: Vec<Vec<P>> = parts.into_iter().filter(|p| p.len() >= 2).collect();
        if parts.is_empty() {
            return None;
        }
        let mut points = parts.remove(0);
        // Attach the remaining parts by their nearest ends, turning them as needed.
        while !parts.is_empty() {
            let end = *points.last().expect("non-empty");
            let start = points[0];
            let d = |a: P, b: P| (a.x - b.x).hypot(a.y - b.y);
            let (best, _, at_end, flip) = parts
                .iter()
                .enumerate()
                .flat_map(|(i, p)| {
                    let (f, l) = (p[0], *p.last().expect("two points"));
                    [
                        (i, d(end, f), true, false),
                        (i, d(end, l), true, true),
                        (i, d(start, l), false, false),
                        (i, d(start, f), false, true),
                    ]
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("parts left");
            let mut part = parts.remove(best);
            if flip {
                part.reverse();
            }
            if at_end {
                points.extend(part);
            } else {
                part.extend(points);
                points = part;
            }
        }
        let mut at = vec![0.0];
        for w in points.windows(2) {
            let last = *at.last().expect("started");
            at.push(last + (w[1].x - w[0].x).hypot(w[1].y - w[0].y));
        }
        Some(Chain { points, at })
    }

    fn reverse(&mut self) {
        self.points.reverse();
        let total = *self.at.last().expect("non-empty");
        self.at = self.at.iter().rev().map(|a| total - a).collect();
    }

    fn length(&self) -> f64 {
        *self.at.last().expect("non-empty")
    }

    /// Distance along, distance from the line, and the side of `p`.
    fn locate(&self, p: P) -> (f64, f64, Side) {
        let mut best = (f64::INFINITY, 0.0, Side::Left);
        for (i, w) in self.points.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let len2 = dx * dx + dy * dy;
            if len2 == 0.0 {
                continue;
            }
            let t = (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0);
            let (qx, qy) = (a.x + t * dx, a.y + t * dy);
            let dist = (p.x - qx).hypot(p.y - qy);
            if dist < best.0 {
                let cross = dx * (p.y - a.y) - dy * (p.x - a.x);
                let side = if cross > 0.0 { Side::Left } else { Side::Right };
                best = (dist, self.at[i] + t * len2.sqrt(), side);
            }
        }
        (best.1, best.0, best.2)
    }

    fn distance(&self, p: P) -> f64 {
        self.locate(p).1
    }
}

fn parts(plane: &Plane, line: &MultiLineString<f64>) -> Vec<Vec<P>> {
    line.0
        .iter()
        .map(|l| l.0.iter().map(|c| plane.p(*c)).collect())
        .collect()
}

/// Numbers `entrances` along `street`. `others` are neighbouring streets: an entrance nearer to
/// one of them is numbered but flagged.
pub fn plan(
    street: &MultiLineString<f64>,
    entrances: &[Coord<f64>],
    others: &[MultiLineString<f64>],
    c: &Conventions,
    o: &StreetOverrides,
) -> Result<Plan, PlanError> {
    let origin = street
        .0
        .iter()
        .find_map(|l| l.0.first().copied())
        .ok_or(PlanError::EmptyStreet)?;
    let plane = Plane::new(origin);
    let mut chain = Chain::build(parts(&plane, street)).ok_or(PlanError::EmptyStreet)?;
    let other_chains: Vec<Chain> = others
        .iter()
        .filter_map(|l| Chain::build(parts(&plane, l)))
        .collect();

    // Which way the numbers run.
    let (first, last) = (chain.points[0], *chain.points.last().expect("two points"));
    let (dx, dy) = (last.x - first.x, last.y - first.y);
    let heading = if dx.abs() >= dy.abs() {
        c.east_west
    } else {
        c.north_south
    };
    let compass = o.from_start != Some(true) && o.from_end != Some(true);
    let reverse = if o.from_end == Some(true) {
        true
    } else if o.from_start == Some(true) {
        false
    } else {
        match heading {
            Heading::West => dx > 0.0,
            Heading::East => dx < 0.0,
            Heading::North => dy < 0.0,
            Heading::South => dy > 0.0,
        }
    };
    if reverse {
        chain.reverse();
    }

    let mut located = Vec::new();
    let mut refused = Vec::new();
    for (index, e) in entrances.iter().enumerate() {
        let p = plane.p(*e);
        let (along, offset, side) = chain.locate(p);
        if offset < c.on_line_m {
            refused.push(Refused {
                index,
                reason: Refusal::OnLine { offset_m: offset },
            });
            continue;
        }
        let closer = other_chains.iter().any(|o| o.distance(p) < offset);
        located.push((index, along, offset, side, closer));
    }

    let one_sided = o.one_sided.unwrap_or_else(|| {
        let left = located.iter().filter(|l| l.3 == Side::Left).count();
        !located.is_empty() && (left == 0 || left == located.len())
    });
    let odd_side = o.odd_side.unwrap_or(c.odd_side);
    let mut numbered = Vec::new();
    let mut reserved = Vec::new();
    let sides: Vec<(Option<Side>, u32)> = if one_sided {
        vec![(None, 1)]
    } else {
        vec![(Some(odd_side), 1), (Some(odd_side.other()), 2)]
    };
    let step = if one_sided { 1 } else { 2 };
    for (side, start) in sides {
        let mut run: Vec<_> = located
            .iter()
            .filter(|l| side.is_none_or(|s| l.3 == s))
            .collect();
        run.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut next = start;
        let mut previous: Option<f64> = None;
        for &&(index, along, offset, side, closer) in &run {
            if let Some(prev) = previous
                && c.spacing_m > 0.0
            {
                let spare = ((along - prev) / c.spacing_m).floor() as i64 - 1;
                for _ in 0..spare.max(0) {
                    let n = free(next, step, &c.skip);
                    reserved.push(n);
                    next = n + step;
                }
            }
            let number = free(next, step, &c.skip);
            numbered.push(Planned {
                index,
                number,
                side,
                along_m: along,
                offset_m: offset,
                closer_to_other: closer,
            });
            next = number + step;
            previous = Some(along);
        }
    }
    numbered.sort_by_key(|p| p.index);
    reserved.sort_unstable();
    Ok(Plan {
        heading: compass.then_some(heading),
        one_sided,
        odd_side,
        length_m: chain.length(),
        numbered,
        refused,
        reserved,
        reversed: reverse,
    })
}

/// The first number from `n` on, in steps of `step`, that is not skipped.
fn free(mut n: u32, step: u32, skip: &[u32]) -> u32 {
    while skip.contains(&n) {
        n += step;
    }
    n
}
