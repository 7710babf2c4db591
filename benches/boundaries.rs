//! Boundary coverage check of a synthetic province (run with `cargo bench --bench boundaries`):
//! 100 counties of 100 townships each (10,000 units), every township a square with its edges
//! densified and shared exactly with its neighbours, and in every county one township whose
//! east edge stops 2 m short of its neighbour (a sliver gap). diming checks each county's
//! townships (gaps, overlaps, parts outside, unmatched edges) in memory; the peer runs the
//! same checks in PostGIS (`ST_Union` + `ST_Difference` for gaps, `ST_Overlaps` +
//! `ST_Intersection` for overlaps, `ST_CoveredBy` for parts outside; GiST index, one
//! connection; PostGIS 3.3 has no `ST_CoverageInvalidEdges`). `BENCH_COUNTIES` changes the
//! size (default 100).

use diming::spatial::coverage::{self, Thresholds};
use geo::{Coord, Geometry, LineString, Polygon};
use sqlx::postgres::PgPoolOptions;
use std::time::Instant;

#[path = "support/mod.rs"]
mod support;
use support::{drop_pg, env_usize, fresh_pg};

const TOWNSHIP_DEG: f64 = 0.02;
const SIDE: usize = 10;
/// Vertices per side of a township.
const STEPS: usize = 5;

fn square(w: f64, s: f64, e: f64, n: f64) -> Polygon<f64> {
    let mut ring: Vec<Coord<f64>> = Vec::new();
    let corners = [(w, s), (e, s), (e, n), (w, n), (w, s)];
    for pair in corners.windows(2) {
        for k in 0..STEPS {
            let f = k as f64 / STEPS as f64;
            ring.push(Coord {
                x: pair[0].0 + (pair[1].0 - pair[0].0) * f,
                y: pair[0].1 + (pair[1].1 - pair[0].1) * f,
            });
        }
    }
    ring.push(ring[0]);
    Polygon::new(LineString(ring), vec![])
}

/// A county and its townships (label, geometry).
type County = (Geometry<f64>, Vec<(String, Geometry<f64>)>);

/// The counties, in a grid from 108°E 40°N.
fn province(counties: usize) -> Vec<County> {
    let per_row = (counties as f64).sqrt().ceil() as usize;
    let county_deg = TOWNSHIP_DEG * SIDE as f64;
    let gap_deg = 2.0 / (111_320.0 * 41.0_f64.to_radians().cos());
    (0..counties)
        .map(|c| {
            let (x0, y0) = (
                108.0 + (c % per_row) as f64 * county_deg,
                40.0 + (c / per_row) as f64 * county_deg,
            );
            let parent = Geometry::Polygon(square(x0, y0, x0 + county_deg, y0 + county_deg));
            let mut kids = Vec::new();
            for i in 0..SIDE {
                for j in 0..SIDE {
                    let (w, s) = (x0 + i as f64 * TOWNSHIP_DEG, y0 + j as f64 * TOWNSHIP_DEG);
                    // The first township of each county stops 2 m short in the east.
                    let e = w + TOWNSHIP_DEG - if i == 0 && j == 0 { gap_deg } else { 0.0 };
                    kids.push((
                        format!("{c}-{i}-{j}"),
                        Geometry::Polygon(square(w, s, e, s + TOWNSHIP_DEG)),
                    ));
                }
            }
            (parent, kids)
        })
        .collect()
}

fn wkt(g: &Geometry<f64>) -> String {
    let Geometry::Polygon(p) = g else {
        unreachable!()
    };
    let coords: Vec<String> = p
        .exterior()
        .0
        .iter()
        .map(|c| format!("{} {}", c.x, c.y))
        .collect();
    format!("SRID=4490;POLYGON(({}))", coords.join(","))
}

#[tokio::main]
async fn main() {
    let counties = env_usize("BENCH_COUNTIES", 100);
    let data = province(counties);
    let units: usize = data.iter().map(|(_, k)| k.len()).sum();

    let start = Instant::now();
    let mut gaps = 0;
    let mut other = 0;
    let mut unmatched = 0;
    for (parent, kids) in &data {
        for f in coverage::check_tiling(parent, kids, Thresholds::default()).unwrap() {
            match f.problem {
                coverage::Problem::Gap => gaps += 1,
                _ => other += 1,
            }
        }
        unmatched += coverage::unmatched_edges(kids, 50.0, 0.01).len();
    }
    let ours = start.elapsed().as_secs_f64();
    assert_eq!(gaps, counties, "one gap per county");
    assert_eq!(other, 0);
    println!(
        "diming: {units} units in {counties} counties checked in {ours:.2} s \
         ({gaps} gaps, {unmatched} unmatched-edge findings)"
    );

    let (url, name) = fresh_pg("boundaries").await;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    for sql in [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "CREATE TABLE parents (id int PRIMARY KEY, geom geometry(Polygon, 4490))",
        "CREATE TABLE kids (id serial PRIMARY KEY, parent int, geom geometry(Polygon, 4490))",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    for (i, (parent, kids)) in data.iter().enumerate() {
        sqlx::query("INSERT INTO parents VALUES ($1, ST_GeomFromEWKT($2))")
            .bind(i as i32)
            .bind(wkt(parent))
            .execute(&pool)
            .await
            .unwrap();
        let values: Vec<String> = kids
            .iter()
            .map(|(_, g)| format!("({i}, ST_GeomFromEWKT('{}'))", wkt(g)))
            .collect();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO kids (parent, geom) VALUES {}",
            values.join(",")
        )))
        .execute(&pool)
        .await
        .unwrap();
    }
    for sql in [
        "CREATE INDEX ON kids USING gist (geom)",
        "CREATE INDEX ON kids (parent)",
        "ANALYZE",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let start = Instant::now();
    let pg_gaps: Vec<(i32,)> = sqlx::query_as(
        "SELECT p.id FROM parents p JOIN (SELECT parent, ST_Union(geom) AS g FROM kids GROUP BY parent) u \
         ON u.parent = p.id WHERE ST_Area(ST_Difference(p.geom, u.g)::geography) > 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let overlaps: Vec<(i32,)> = sqlx::query_as(
        "SELECT a.id FROM kids a JOIN kids b ON a.parent = b.parent AND a.id < b.id \
         AND a.geom && b.geom AND ST_Overlaps(a.geom, b.geom) \
         WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let outside: Vec<(i32,)> = sqlx::query_as(
        "SELECT k.id FROM kids k JOIN parents p ON k.parent = p.id WHERE NOT ST_CoveredBy(k.geom, p.geom)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let theirs = start.elapsed().as_secs_f64();
    assert_eq!(pg_gaps.len(), counties);
    assert!(overlaps.is_empty() && outside.is_empty());
    println!(
        "PostGIS: the same {units} units in {theirs:.2} s ({} gaps); ratio {:.1} × (target: diming under 10 s)",
        pg_gaps.len(),
        theirs / ours
    );
    pool.close().await;
    drop_pg(&name).await;
}
