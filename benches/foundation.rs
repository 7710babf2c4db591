//! Foundation benchmarks, printed as rates and ratios (run with `cargo bench`):
//!
//! 1. committing 100,000 door plates in changesets of 1,000 into each store;
//! 2. "which unit contains this point" for 1,000,000 random points, from the in-memory rstar
//!    index, side by side with the same query in PostGIS (`ST_Contains` over a GiST index,
//!    prepared statement, one connection).
//!
//! PostgreSQL comes from `DIMING_TEST_PG` (an admin URL, as `.ci/test` sets it) or the local
//! default; the benchmark creates and drops its own databases. `BENCH_POINTS` and
//! `BENCH_PLATES` change the sizes.

use diming::addresses::{DoorNumber, DoorPlate};
use diming::config::Config;
use diming::model::{Body, Changeset, Write};
use diming::record::{RecordId, Source};
use diming::registry::Registry;
use geo::{Geometry, Point, coord};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::time::Instant;

#[path = "support/mod.rs"]
mod support;
use support::{drop_pg, env_usize, fresh_pg};

/// Plates on streets of 5,000 numbers each.
fn plate_changesets(total: usize) -> Vec<Changeset> {
    let mut rng = StdRng::seed_from_u64(7);
    (0..total)
        .collect::<Vec<_>>()
        .chunks(1000)
        .map(|chunk| {
            let mut cs = Changeset::new("bench", "门牌批量登记");
            for &i in chunk {
                cs.writes.push(Write::Create {
                    id: RecordId::new(),
                    valid_from: "2024-01-01".parse().unwrap(),
                    body: Body::from(DoorPlate {
                        street: RecordId::derived(&format!("street/bench/{}", i / 5000)),
                        number: DoorNumber::new((i % 5000) as u32 + 1).unwrap(),
                        source: Source::Sample,
                        kind: Default::default(),
                    }),
                    geometry: Geometry::Point(Point::new(
                        rng.random_range(111.94..112.01),
                        rng.random_range(43.63..43.67),
                    )),
                });
            }
            cs
        })
        .collect()
}

async fn bench_commits(url: &str, plates: usize) -> f64 {
    let registry = Registry::open(url, Config::erenhot()).await.unwrap();
    let changesets = plate_changesets(plates);
    let start = Instant::now();
    registry.commit_all(changesets, |_| {}).await.unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(registry.store().load_current().await.unwrap().len(), plates);
    plates as f64 / seconds
}

#[tokio::main]
async fn main() {
    let plates = env_usize("BENCH_PLATES", 100_000);
    let points = env_usize("BENCH_POINTS", 1_000_000);

    println!("== 1. committing {plates} door plates in changesets of 1,000 ==");
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("bench.gpkg").display());
    let sqlite_rate = bench_commits(&sqlite_url, plates).await;
    println!("SQLite (GeoPackage, WAL, synchronous=FULL): {sqlite_rate:>10.0} plates/s");
    let (pg_url, pg_name) = fresh_pg("commit").await;
    let pg_rate = bench_commits(&pg_url, plates).await;
    drop_pg(&pg_name).await;
    println!("PostgreSQL/PostGIS:                         {pg_rate:>10.0} plates/s");
    println!("ratio SQLite / PostgreSQL: {:.2}", sqlite_rate / pg_rate);

    println!("== 2. which unit contains this point, {points} random points ==");
    let (pg_url, pg_name) = fresh_pg("contains").await;
    let registry = Registry::open(&pg_url, Config::erenhot()).await.unwrap();
    let units = diming::demo::changesets().unwrap().remove(0);
    registry.commit(units).await.unwrap();
    let e = registry.config().jurisdiction.extent;
    let mut rng = StdRng::seed_from_u64(42);
    let sample: Vec<(f64, f64)> = (0..points)
        .map(|_| {
            (
                rng.random_range(e.west..e.east),
                rng.random_range(e.south..e.north),
            )
        })
        .collect();

    let start = Instant::now();
    let mut memory_answers = Vec::with_capacity(points);
    {
        let current = registry.current();
        for &(x, y) in &sample {
            memory_answers.push(current.unit_at(coord! {x: x, y: y}).map(|v| match &v.body {
                Body::AdminUnit(u) => u.code.to_string(),
                _ => unreachable!(),
            }));
        }
    }
    let memory_rate = points as f64 / start.elapsed().as_secs_f64();
    println!("in-memory rstar index:                {memory_rate:>12.0} points/s");

    let pool = match registry.store() {
        diming::store::Store::Postgres(pg) => pg.pool().clone(),
        _ => unreachable!(),
    };
    let mut conn = pool.acquire().await.unwrap();
    let sql = "SELECT code FROM admin_units WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4490)) ORDER BY code DESC LIMIT 1";
    let start = Instant::now();
    let mut agree = 0usize;
    for (i, &(x, y)) in sample.iter().enumerate() {
        let code: Option<String> = sqlx::query_scalar(sql)
            .bind(x)
            .bind(y)
            .fetch_optional(&mut *conn)
            .await
            .unwrap();
        agree += usize::from(code == memory_answers[i]);
    }
    let pg_rate = points as f64 / start.elapsed().as_secs_f64();
    println!("PostGIS ST_Contains (GiST, prepared): {pg_rate:>12.0} points/s");
    println!("answers agree on {agree} of {points} points");
    println!(
        "ratio in-memory / PostGIS: {:.1} (target ≥ 20)",
        memory_rate / pg_rate
    );
    drop(conn);
    drop(registry);
    drop_pg(&pg_name).await;
}
