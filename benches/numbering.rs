//! Numbering benchmark (run with `cargo bench --bench numbering`): plan entrances on synthetic
//! streets, 25 entrances a street on average, at 50,000, 500,000 and 5,000,000 entrances, to
//! see that the time grows linearly. Target: 500,000 entrances on 20,000 streets under 5 s.
//! `BENCH_SIZES` (comma-separated entrance counts) changes the sizes.

use diming::addresses::numbering::{Conventions, StreetOverrides, plan};
use geo::{Coord, LineString, MultiLineString, coord};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::time::Instant;

const PER_STREET: usize = 25;

/// A street of 3 to 6 vertices wandering from a random start, and its entrances 8–20 m to
/// either side.
fn street(rng: &mut StdRng) -> (MultiLineString<f64>, Vec<Coord<f64>>) {
    let (x0, y0) = (rng.random_range(111.4..112.4), rng.random_range(43.0..43.8));
    let east_west = rng.random_bool(0.5);
    let mut points = vec![coord! {x: x0, y: y0}];
    for _ in 0..rng.random_range(2..6) {
        let last = *points.last().unwrap();
        let (dx, dy) = if east_west {
            (
                rng.random_range(0.001..0.003),
                rng.random_range(-0.0005..0.0005),
            )
        } else {
            (
                rng.random_range(-0.0005..0.0005),
                rng.random_range(0.001..0.003),
            )
        };
        points.push(coord! {x: last.x + dx, y: last.y + dy});
    }
    let line = LineString(points.clone());
    let mut entrances = Vec::with_capacity(PER_STREET);
    for _ in 0..PER_STREET {
        let i = rng.random_range(0..points.len() - 1);
        let t: f64 = rng.random_range(0.05..0.95);
        let (a, b): (Coord<f64>, Coord<f64>) = (points[i], points[i + 1]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy);
        let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        let off = rng.random_range(0.00008..0.0002) * side;
        entrances.push(coord! {x: a.x + t * dx - dy / len * off, y: a.y + t * dy + dx / len * off});
    }
    (MultiLineString(vec![line]), entrances)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![50_000, 500_000, 5_000_000]);
    let conventions = Conventions::default();
    let overrides = StreetOverrides::default();
    println!(
        "{:>12} {:>9} {:>10} {:>16}",
        "entrances", "streets", "seconds", "entrances/s"
    );
    for n in sizes {
        let mut rng = StdRng::seed_from_u64(n as u64);
        let streets: Vec<_> = (0..n / PER_STREET).map(|_| street(&mut rng)).collect();
        let start = Instant::now();
        let mut numbered = 0;
        for (line, entrances) in &streets {
            let p = plan(line, entrances, &[], &conventions, &overrides).unwrap();
            numbered += p.numbered.len();
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{n:>12} {:>9} {seconds:>10.3} {:>16.0}",
            streets.len(),
            numbered as f64 / seconds
        );
    }
}
