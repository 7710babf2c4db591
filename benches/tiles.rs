//! Vector tiles side by side with martin (run with `cargo bench --bench tiles`): the same data
//! in one PostGIS database, served by diming (tiles cut from its in-memory index) and by
//! martin (`ST_AsMVT` over the same tables), both over HTTP on loopback, requested by the same
//! client (4 keep-alive connections). For each layer the client asks every tile of a fixed
//! list once with both servers freshly started (cold: nothing cached) and then again (warm).
//! Printed: tiles/s, p99 latency, and diming ÷ martin. Target: diming ≥ 2 × martin cold.
//!
//! Data: the demo city, then a synthetic province (`BENCH_PLATES` door plates, default
//! 1,000,000, and `BENCH_STREETS` streets, default 100,000, spread over the city's extent;
//! `BENCH_PLATES=0` skips it). martin comes from `BENCH_MARTIN` or the PATH
//! (`cargo install martin@1.14.0 --locked`: 1.14 is the last release for rustc 1.95).
//! `BENCH_TILES` caps the tiles per layer and zoom range (default 4,000).

use diming::config::Config;
use diming::model::Changeset;
use diming::registry::Registry;
use diming::spatial::tiles::tile_of;
use geo::Coord;
use rand::seq::SliceRandom;
use rand::{SeedableRng, rngs::StdRng};
use std::io::BufReader;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[path = "support/mod.rs"]
mod support;
use support::http::{diming_server, get, wait_for};
use support::province::{corners, province};
use support::{drop_pg, env_usize, fresh_pg, memory_mb};

const CONNECTIONS: usize = 4;

struct Run {
    tiles_per_s: f64,
    p99_ms: f64,
    errors: usize,
    with_data: usize,
}

/// Requests every path once over `CONNECTIONS` connections.
fn run(port: u16, paths: &[String]) -> Run {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let results: Vec<(Vec<f64>, usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                s.spawn(|| {
                    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    stream.set_nodelay(true).unwrap();
                    let mut reader = BufReader::new(stream);
                    let (mut times, mut errors, mut with_data) = (Vec::new(), 0, 0);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        let t = Instant::now();
                        match get(&mut reader, path) {
                            Ok(200) => with_data += 1,
                            Ok(204) => {}
                            _ => errors += 1,
                        }
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    (times, errors, with_data)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let mut times: Vec<f64> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    times.sort_by(f64::total_cmp);
    Run {
        tiles_per_s: paths.len() as f64 / seconds,
        p99_ms: times[(times.len() * 99 / 100).min(times.len() - 1)],
        errors: results.iter().map(|r| r.1).sum(),
        with_data: results.iter().map(|r| r.2).sum(),
    }
}

fn martin_server(martin: &str, url: &str, port: u16) -> Child {
    let mut child = Command::new(martin)
        .args([url, "--listen-addresses", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start martin ({martin}): {e}; install it with `cargo install martin@1.14.0 --locked` or set BENCH_MARTIN"));
    wait_for(port, "/health", &mut child, 300);
    child
}

/// Every tile of zooms `zooms` over the box, shuffled, at most `cap`.
fn tile_list(
    b: (Coord<f64>, Coord<f64>),
    zooms: std::ops::RangeInclusive<u8>,
    cap: usize,
) -> Vec<(u8, u32, u32)> {
    let mut out = Vec::new();
    for z in zooms {
        let (x0, y0) = tile_of(Coord { x: b.0.x, y: b.1.y }, z);
        let (x1, y1) = tile_of(Coord { x: b.1.x, y: b.0.y }, z);
        for x in x0..=x1 {
            for y in y0..=y1 {
                out.push((z, x, y));
            }
        }
    }
    out.shuffle(&mut StdRng::seed_from_u64(5));
    out.truncate(cap);
    out
}

async fn scenario(
    name: &str,
    martin: &str,
    changesets: Vec<Changeset>,
    zooms: [(u8, u8); 2],
    cap: usize,
) {
    let (url, db) = fresh_pg("tiles").await;
    let started = Instant::now();
    let n;
    let extent;
    {
        let registry = Registry::open(&url, Config::erenhot()).await.unwrap();
        registry.commit_all(changesets, |_| {}).await.unwrap();
        n = registry.current().len();
        extent = corners(registry.config());
    }
    println!(
        "== {name}: {n} records in PostGIS ({:.0} s to load)",
        started.elapsed().as_secs_f64()
    );
    // The streets' box bounds the tiles worth asking for.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    let (x0, y0, x1, y1): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry e FROM door_plates) s",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or((extent.0.x, extent.0.y, extent.1.x, extent.1.y));
    pool.close().await;
    let b = (Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 });
    println!(
        "{:<12} {:<7} {:>6} {:>6} | {:>10} {:>9} | {:>10} {:>9} | {:>7}",
        "layer", "zooms", "tiles", "data", "diming t/s", "p99 ms", "martin t/s", "p99 ms", "ratio"
    );
    for (layer, (z0, z1)) in [("door_plates", zooms[0]), ("streets", zooms[1])] {
        let tiles = tile_list(b, z0..=z1, cap);
        let ours: Vec<String> = tiles
            .iter()
            .map(|(z, x, y)| format!("/tiles/{layer}/{z}/{x}/{y}.mvt"))
            .collect();
        let theirs: Vec<String> = tiles
            .iter()
            .map(|(z, x, y)| format!("/{layer}/{z}/{x}/{y}"))
            .collect();
        let mut results = Vec::new();
        for (who, paths) in [("diming", &ours), ("martin", &theirs)] {
            let port = if who == "diming" { 8191 } else { 8192 };
            let mut child = if who == "diming" {
                diming_server(&url, port, 300)
            } else {
                martin_server(martin, &url, port)
            };
            let loaded = memory_mb(child.id(), "VmRSS");
            let cold = run(port, paths);
            let warm = run(port, paths);
            if who == "diming" {
                println!(
                    "   diming server memory: {loaded:.0} MB with the registry loaded, peak {:.0} MB after serving {layer}",
                    memory_mb(child.id(), "VmHWM")
                );
            }
            child.kill().ok();
            child.wait().ok();
            results.push((cold, warm));
        }
        for (i, label) in ["cold", "warm"].iter().enumerate() {
            let pick = |r: &(Run, Run)| {
                if i == 0 {
                    (r.0.tiles_per_s, r.0.p99_ms, r.0.errors, r.0.with_data)
                } else {
                    (r.1.tiles_per_s, r.1.p99_ms, r.1.errors, r.1.with_data)
                }
            };
            let (a, b) = (pick(&results[0]), pick(&results[1]));
            println!(
                "{:<12} {:<7} {:>6} {:>6} | {:>10.0} {:>9.1} | {:>10.0} {:>9.1} | {:>6.2}× {label}{}",
                layer,
                format!("{z0}–{z1}"),
                tiles.len(),
                a.3,
                a.0,
                a.1,
                b.0,
                b.1,
                a.0 / b.0,
                if a.2 + b.2 > 0 {
                    format!("  errors: diming {}, martin {}", a.2, b.2)
                } else {
                    String::new()
                }
            );
        }
    }
    drop_pg(&db).await;
}

#[tokio::main]
async fn main() {
    let martin = std::env::var("BENCH_MARTIN").unwrap_or_else(|_| "martin".into());
    let cap = env_usize("BENCH_TILES", 4000);
    scenario(
        "demo city",
        &martin,
        diming::demo::changesets().unwrap(),
        [(13, 18), (12, 17)],
        cap,
    )
    .await;
    let plates = env_usize("BENCH_PLATES", 1_000_000);
    if plates > 0 {
        let streets = env_usize("BENCH_STREETS", 100_000);
        let changesets = province(plates, streets, corners(&Config::erenhot()));
        scenario(
            &format!("synthetic province ({plates} plates, {streets} streets)"),
            &martin,
            changesets,
            [(12, 16), (10, 15)],
            cap,
        )
        .await;
    }
}
