//! Cremation statistics over a province's burial records (run with `cargo bench --bench
//! cemetery`): 10,000,000 synthetic deaths over 40 years in 1,000 units of residence (a
//! quarter cremated in the early years, rising), counted by year and by unit: deaths,
//! cremations, burials, other, zone deaths and zone cremations. diming aggregates its compact
//! per-death rows in memory (what `registry::cemetery::deaths` extracts from the burial
//! records); the peer runs the same GROUP BY in PostgreSQL over a table of the same rows
//! (`smallint` year, `integer` unit, `smallint` disposition, `boolean` zone; warm cache, parallel
//! workers as configured). The extraction from full burial records is timed separately on
//! 200,000 records. `BENCH_DEATHS` changes the size (default 10,000,000).

use chrono::Utc;
use diming::cemetery::stats::{By, Death, table};
use diming::cemetery::{Burial, Deceased, Disposition, Sex};
use diming::model::{Body, CurrentState, RecordVersion};
use diming::record::{ChangesetId, RecordId, Source};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sqlx::postgres::PgPoolOptions;
use std::time::Instant;

#[path = "support/mod.rs"]
mod support;
use support::{drop_pg, env_usize, fresh_pg};

const UNITS: u32 = 1_000;
const FIRST: i16 = 1990;
const YEARS: i16 = 40;

fn deaths(n: usize) -> Vec<Death> {
    let mut rng = StdRng::seed_from_u64(7);
    (0..n)
        .map(|_| {
            let year = FIRST + rng.random_range(0..YEARS);
            let p_cremation = 0.25 + 0.4 * f64::from(year - FIRST) / f64::from(YEARS);
            let r: f64 = rng.random();
            let disposition = if r < p_cremation {
                Disposition::Cremation
            } else if r < 0.98 {
                Disposition::Burial
            } else {
                Disposition::Other
            };
            Death {
                year,
                unit: rng.random_range(0..UNITS),
                disposition,
                in_zone: rng.random_bool(0.6),
            }
        })
        .collect()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("at least one run"))
}

fn extraction(n: usize) -> f64 {
    let now = Utc::now();
    let state = CurrentState::from_versions((0..n).map(|i| RecordVersion {
        id: RecordId::new(),
        version: 1,
        valid_from: "2020-01-01".parse().unwrap(),
        valid_to: None,
        recorded_at: now,
        superseded_at: None,
        changeset: ChangesetId::new(),
        retired: false,
        body: Body::from(Burial {
            deceased: Deceased {
                name: "示例".into(),
                sex: Sex::Female,
                ethnicity: "汉族".into(),
                id_number: None,
                born: None,
                died: "2020-06-01".parse().unwrap(),
                residence: format!("1525014000{:02}", i % 50),
                place_of_death: String::new(),
            },
            disposition: if i % 3 == 0 {
                Disposition::Cremation
            } else {
                Disposition::Burial
            },
            cremation_certificate: None,
            plot: None,
            in_zone: i % 2 == 0,
            exemption: None,
            relocated_from: None,
            registered_by: "bench".into(),
            registered_on: "2020-06-02".parse().unwrap(),
            documents: vec![],
            source: Source::Sample,
        }),
        geometry: geo::Geometry::Point(geo::Point::new(111.9, 43.6)),
    }));
    let (t, d) = best_of(3, || diming::registry::cemetery::deaths(&state));
    assert_eq!(d.rows.len(), n);
    t
}

#[tokio::main]
async fn main() {
    let n = env_usize("BENCH_DEATHS", 10_000_000);
    let rows = deaths(n);
    let units: Vec<String> = (0..UNITS).map(|u| format!("unit-{u:04}")).collect();
    let last = FIRST + YEARS - 1;
    let (t_year, by_year) = best_of(3, || table(&rows, FIRST, last, By::Year, &units));
    let (t_unit, by_unit) = best_of(3, || table(&rows, FIRST, last, By::Unit, &units));
    assert_eq!(by_year.total.deaths as usize, n);
    assert_eq!(by_unit.total, by_year.total);
    println!("diming: {n} deaths by year {t_year:.3} s, by unit {t_unit:.3} s (target < 2 s)");
    let per = 200_000;
    let t_extract = extraction(per);
    println!(
        "diming: extracting {per} burial records for the statistics {t_extract:.3} s ({:.0} records/s)",
        per as f64 / t_extract
    );

    let (url, name) = fresh_pg("cemetery").await;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .unwrap();
    sqlx::query("CREATE UNLOGGED TABLE deaths (year smallint, unit integer, disposition smallint, in_zone boolean)")
        .execute(&pool)
        .await
        .unwrap();
    let load = Instant::now();
    for chunk in rows.chunks(100_000) {
        let years: Vec<i16> = chunk.iter().map(|d| d.year).collect();
        let unit: Vec<i32> = chunk.iter().map(|d| d.unit as i32).collect();
        let disp: Vec<i16> = chunk
            .iter()
            .map(|d| match d.disposition {
                Disposition::Cremation => 0,
                Disposition::Burial => 1,
                Disposition::Other => 2,
            })
            .collect();
        let zone: Vec<bool> = chunk.iter().map(|d| d.in_zone).collect();
        sqlx::query("INSERT INTO deaths SELECT * FROM unnest($1::smallint[], $2::int[], $3::smallint[], $4::bool[])")
            .bind(&years)
            .bind(&unit)
            .bind(&disp)
            .bind(&zone)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("VACUUM ANALYZE deaths")
        .execute(&pool)
        .await
        .unwrap();
    println!(
        "PostgreSQL: loaded in {:.1} s",
        load.elapsed().as_secs_f64()
    );
    let sql = |key: &str| {
        format!(
            "SELECT {key}::int, count(*), count(*) FILTER (WHERE disposition = 0), \
             count(*) FILTER (WHERE disposition = 1), count(*) FILTER (WHERE disposition = 2), \
             count(*) FILTER (WHERE in_zone), count(*) FILTER (WHERE in_zone AND disposition = 0) \
             FROM deaths GROUP BY {key} ORDER BY {key}"
        )
    };
    type Row = (i32, i64, i64, i64, i64, i64, i64);
    let mut pg = [0.0f64; 2];
    for (i, key) in ["year", "unit"].iter().enumerate() {
        let q = sql(key);
        // Warm the cache once, then take the best of three.
        sqlx::query(sqlx::AssertSqlSafe(q.clone()))
            .fetch_all(&pool)
            .await
            .unwrap();
        let mut best = f64::MAX;
        let mut cremations = 0i64;
        for _ in 0..3 {
            let t = Instant::now();
            let out: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(q.clone()))
                .fetch_all(&pool)
                .await
                .unwrap();
            best = best.min(t.elapsed().as_secs_f64());
            cremations = out.iter().map(|r| r.2).sum();
        }
        assert_eq!(
            cremations as u64, by_year.total.cremations,
            "the peer agrees"
        );
        pg[i] = best;
    }
    println!(
        "PostgreSQL GROUP BY: by year {:.3} s, by unit {:.3} s",
        pg[0], pg[1]
    );
    println!(
        "ratio: by year {:.1} ×, by unit {:.1} × (PostgreSQL time ÷ diming time)",
        pg[0] / t_year,
        pg[1] / t_unit
    );
    pool.close().await;
    drop_pg(&name).await;
}
