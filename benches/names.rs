//! Names benchmarks (run with `cargo bench --bench names`):
//!
//! 1. search over 1,000,000 synthetic names: latency p50/p99 of the in-memory index, side by
//!    side with PostgreSQL `pg_trgm` similarity search (GIN index) on the same names, and the
//!    throughput of both;
//! 2. reverse geocoding of random points in the town: the in-memory answer (units, nearest
//!    plate, nearest street), side by side with the same three questions in one PostGIS query.
//!
//! `BENCH_NAMES` and `BENCH_QUERIES` change the sizes; `BENCH_PEERS=0` runs diming's search
//! alone; PostgreSQL as in `foundation.rs`.

use chrono::Utc;
use diming::config::Config;
use diming::model::{Body, CurrentState, RecordVersion};
use diming::names::{Place, PlaceCategory, WordLists};
use diming::queries::search::{MERGE_FROM, SearchIndex};
use diming::record::{ChangesetId, RecordId, Source};
use diming::registry::Registry;
use geo::{Geometry, Point, coord};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sqlx::postgres::PgPoolOptions;

#[path = "support/mod.rs"]
mod support;
use std::time::Instant;
use support::{drop_pg, env_usize, fresh_pg};

const CHARS: &str = "前进友谊团结和平胜利新华建设文化幸福光明育才朝阳永安兴业安康富民长青振兴康宁民族车站迎宾赛罕额仁乌兰呼和锡林北疆商贸物流工业园林草原那达慕东西南北中金银宝泰恒达顺昌盛隆丰源海天山水河湖泉石松柏桃李杏梅兰竹菊春夏秋冬星月阳光明德仁义礼智信忠孝";
const GENERICS: [&str; 10] = [
    "路", "街", "大街", "巷", "小区", "家园", "村", "大厦", "广场", "花园",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn names(n: usize) -> Vec<String> {
    let chars: Vec<char> = CHARS.chars().collect();
    let mut rng = StdRng::seed_from_u64(11);
    (0..n)
        .map(|_| {
            let len = rng.random_range(2..=3);
            let specific: String = (0..len)
                .map(|_| chars[rng.random_range(0..chars.len())])
                .collect();
            format!(
                "{specific}{}",
                GENERICS[rng.random_range(0..GENERICS.len())]
            )
        })
        .collect()
}

fn state_of(names: &[String]) -> CurrentState {
    let now = Utc::now();
    let mut rng = StdRng::seed_from_u64(12);
    CurrentState::from_versions(names.iter().map(|name| RecordVersion {
        id: RecordId::new(),
        version: 1,
        valid_from: "2024-01-01".parse().unwrap(),
        valid_to: None,
        recorded_at: now,
        superseded_at: None,
        changeset: ChangesetId::new(),
        retired: false,
        body: Body::from(Place {
            name: name.clone(),
            name_mn: None,
            category: PlaceCategory::Settlement,
            source: Source::Sample,
            naming: Default::default(),
        }),
        geometry: Geometry::Point(Point::new(
            rng.random_range(111.4..112.4),
            rng.random_range(43.0..43.8),
        )),
    }))
}

/// Queries as officers type them: whole names, the first characters, pinyin, initials, and
/// names with one wrong character.
fn queries(names: &[String], n: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(13);
    let chars: Vec<char> = CHARS.chars().collect();
    (0..n)
        .map(|i| {
            let name = &names[rng.random_range(0..names.len())];
            match i % 4 {
                0 => name.clone(),
                1 => name.chars().take(2).collect(),
                2 => diming::names::romanize::toneless(name),
                _ => {
                    let mut cs: Vec<char> = name.chars().collect();
                    let at = rng.random_range(0..cs.len());
                    cs[at] = chars[rng.random_range(0..chars.len())];
                    cs.into_iter().collect()
                }
            }
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let n = env_usize("BENCH_NAMES", 1_000_000);
    let q = env_usize("BENCH_QUERIES", 2_000);
    println!("== 1. search over {n} names, {q} queries ==");
    let names = names(n);
    let state = state_of(&names);
    let start = Instant::now();
    let index = SearchIndex::build(&state, &WordLists::builtin());
    let build_s = start.elapsed().as_secs_f64();
    println!("index built in {build_s:.1} s ({} entries)", index.len());
    let queries = queries(&names, q);
    let mut ours = Vec::with_capacity(q);
    let mut by_kind: [Vec<f64>; 4] = Default::default();
    let mut found = 0;
    let all = Instant::now();
    for (i, query) in queries.iter().enumerate() {
        let t = Instant::now();
        found += usize::from(!index.search(query, None, 20).is_empty());
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        ours.push(ms);
        by_kind[i % 4].push(ms);
    }
    let ours_rate = q as f64 / all.elapsed().as_secs_f64();
    ours.sort_by(f64::total_cmp);
    for (kind, mut times) in [
        "whole name",
        "first two characters",
        "pinyin",
        "one wrong character",
    ]
    .iter()
    .zip(by_kind)
    {
        times.sort_by(f64::total_cmp);
        println!(
            "  {kind:<22} p50 {:.3} ms  p99 {:.3} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    println!(
        "diming:  p50 {:.3} ms  p99 {:.3} ms  {ours_rate:.0} queries/s  ({found} of {q} found something)",
        percentile(&ours, 0.5),
        percentile(&ours, 0.99)
    );

    // What a commit costs the index now that it follows each changeset: one renamed record at
    // a time, against building the whole index again (what the first search after a change
    // did before).
    let lists = WordLists::builtin();
    let mut state = state;
    let ids: Vec<RecordId> = state.records().map(|v| v.id).take(MERGE_FROM).collect();
    let mut index = index;
    let all = Instant::now();
    let mut updates = Vec::with_capacity(ids.len());
    for (n, id) in ids.iter().enumerate() {
        let mut v = state.get(id).unwrap().clone();
        v.version += 1;
        if let Body::Place(p) = &mut v.body {
            p.name = format!("改名{n}{}", p.name);
        }
        let t = Instant::now();
        let changed = diming::queries::search::affected(&state, std::slice::from_ref(&v));
        state.apply_versions([v]);
        index = index.with_records(&state, changed, &lists);
        updates.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let per_update = all.elapsed().as_secs_f64() * 1000.0 / ids.len() as f64;
    updates.sort_by(f64::total_cmp);
    let t = Instant::now();
    let mut with_delta = Vec::with_capacity(q);
    for query in &queries {
        let t = Instant::now();
        index.search(query, None, 20);
        with_delta.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let delta_rate = q as f64 / t.elapsed().as_secs_f64();
    with_delta.sort_by(f64::total_cmp);
    let t = Instant::now();
    let merged = index.merged(&lists);
    let merge_s = t.elapsed().as_secs_f64();
    assert_eq!(merged.len(), index.len());
    assert!(!merged.search("改名0", None, 5).is_empty());
    println!(
        "index kept by commits: {} renames, {per_update:.3} ms each (p99 {:.3} ms) against {:.1} s to build it whole; \
         searches with {} changes pending p50 {:.3} ms p99 {:.3} ms {delta_rate:.0} queries/s; merged off the request path in {merge_s:.1} s",
        ids.len(),
        percentile(&updates, 0.99),
        build_s,
        index.pending(),
        percentile(&with_delta, 0.5),
        percentile(&with_delta, 0.99),
    );

    if std::env::var("BENCH_PEERS").as_deref() == Ok("0") {
        return; // diming alone, for profiling
    }
    let (url, db) = fresh_pg("names").await;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql("CREATE EXTENSION pg_trgm; CREATE TABLE names (id serial PRIMARY KEY, name text NOT NULL, pinyin text NOT NULL)").execute(&pool).await.unwrap();
    for chunk in names.chunks(20_000) {
        let pinyin: Vec<String> = chunk
            .iter()
            .map(|s| diming::names::romanize::toneless(s))
            .collect();
        sqlx::query(
            "INSERT INTO names (name, pinyin) SELECT * FROM UNNEST($1::text[], $2::text[])",
        )
        .bind(chunk)
        .bind(&pinyin)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::raw_sql("CREATE INDEX ON names USING gin (name gin_trgm_ops); CREATE INDEX ON names USING gin (pinyin gin_trgm_ops); ANALYZE names")
        .execute(&pool).await.unwrap();
    let mut theirs = Vec::with_capacity(q);
    let all = Instant::now();
    for query in &queries {
        let column = if query.is_ascii() { "pinyin" } else { "name" };
        let sql =
            format!("SELECT id FROM names WHERE {column} % $1 ORDER BY {column} <-> $1 LIMIT 20");
        let t = Instant::now();
        let _: Vec<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(query)
            .fetch_all(&pool)
            .await
            .unwrap();
        theirs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let theirs_rate = q as f64 / all.elapsed().as_secs_f64();
    theirs.sort_by(f64::total_cmp);
    println!(
        "pg_trgm: p50 {:.3} ms  p99 {:.3} ms  {theirs_rate:.0} queries/s",
        percentile(&theirs, 0.5),
        percentile(&theirs, 0.99)
    );
    println!(
        "throughput ratio diming / pg_trgm: {:.1} (target ≥ 10); p99 target < 5 ms",
        ours_rate / theirs_rate
    );
    pool.close().await;
    drop(state);
    drop_pg(&db).await;

    println!("== 2. reverse geocoding ==");
    let (url, db) = fresh_pg("reverse").await;
    let registry = Registry::open(&url, Config::erenhot()).await.unwrap();
    registry
        .commit_all(diming::demo::changesets().unwrap(), |_| {})
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(14);
    let points: Vec<(f64, f64)> = (0..q * 10)
        .map(|_| {
            (
                rng.random_range(111.937..112.013),
                rng.random_range(43.627..43.673),
            )
        })
        .collect();
    let all = Instant::now();
    {
        let current = registry.current();
        for &(x, y) in &points {
            std::hint::black_box(diming::addresses::reverse::reverse(
                &current,
                coord! {x: x, y: y},
            ));
        }
    }
    let ours = points.len() as f64 / all.elapsed().as_secs_f64();
    let pool = match registry.store() {
        diming::store::Store::Postgres(pg) => pg.pool().clone(),
        _ => unreachable!(),
    };
    let sql = "WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4490) AS g) SELECT \
        (SELECT array_agg(code ORDER BY code DESC) FROM admin_units, p WHERE ST_Contains(geom, p.g)) AS units, \
        (SELECT id FROM door_plates, p ORDER BY geom <-> p.g LIMIT 1) AS plate, \
        (SELECT id FROM streets, p ORDER BY geom <-> p.g LIMIT 1) AS street";
    let all = Instant::now();
    for &(x, y) in &points {
        sqlx::query(sql)
            .bind(x)
            .bind(y)
            .fetch_one(&pool)
            .await
            .unwrap();
    }
    let theirs = points.len() as f64 / all.elapsed().as_secs_f64();
    println!(
        "diming in memory: {ours:.0} points/s; PostGIS: {theirs:.0} points/s; ratio {:.1} (target ≥ 10)",
        ours / theirs
    );
    drop(registry);
    drop_pg(&db).await;
}
