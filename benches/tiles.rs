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

use diming::addresses::{DoorNumber, DoorPlate, Street, StreetClass};
use diming::config::Config;
use diming::model::{Body, Changeset, Write};
use diming::record::{RecordId, Source};
use diming::registry::Registry;
use diming::spatial::tiles::tile_of;
use geo::{Coord, Geometry, LineString, MultiLineString, Point};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[path = "support/mod.rs"]
mod support;
use support::{drop_pg, env_usize, fresh_pg, memory_mb};

const CONNECTIONS: usize = 4;

/// One GET on a keep-alive connection: the status.
fn get(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    write!(
        reader.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n"
    )?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
    }
    Ok(status)
}

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

fn wait_for(port: u16, path: &str, child: &mut Child) {
    for _ in 0..600 {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
            let mut r = BufReader::new(s);
            if matches!(get(&mut r, path), Ok(200)) {
                return;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server on port {port} stopped: {status}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the server on port {port} did not answer {path}");
}

fn diming_server(url: &str, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args(["--db", url, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(port, "/healthz", &mut child);
    child
}

fn martin_server(martin: &str, url: &str, port: u16) -> Child {
    let mut child = Command::new(martin)
        .args([url, "--listen-addresses", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start martin ({martin}): {e}; install it with `cargo install martin@1.14.0 --locked` or set BENCH_MARTIN"));
    wait_for(port, "/health", &mut child);
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

/// The south-west and north-east corners of the jurisdiction's extent.
fn corners(config: &Config) -> (Coord<f64>, Coord<f64>) {
    let e = config.jurisdiction.extent;
    (
        Coord {
            x: e.west,
            y: e.south,
        },
        Coord {
            x: e.east,
            y: e.north,
        },
    )
}

/// A synthetic province's streets and door plates over the city's extent.
fn province(plates: usize, streets: usize, extent: (Coord<f64>, Coord<f64>)) -> Vec<Changeset> {
    let mut rng = StdRng::seed_from_u64(11);
    let mut out = Vec::new();
    let per_street = plates.div_ceil(streets.max(1));
    let ids: Vec<RecordId> = (0..streets).map(|_| RecordId::new()).collect();
    let mut starts = Vec::with_capacity(streets);
    for chunk in (0..streets).collect::<Vec<_>>().chunks(2000) {
        let mut cs = Changeset::new("bench", "全省街路巷");
        for &i in chunk {
            // Kept clear of the extent's edges by more than a plate's offset from its street.
            let x = rng.random_range(extent.0.x + 0.01..extent.1.x - 0.03);
            let y = rng.random_range(extent.0.y + 0.01..extent.1.y - 0.03);
            let (dx, dy) = if i % 2 == 0 {
                (0.012, 0.0)
            } else {
                (0.0, 0.009)
            };
            let line = LineString::from(vec![
                (x, y),
                (x + dx / 2.0, y + dy / 2.0 + 0.0004),
                (x + dx, y + dy),
            ]);
            starts.push((x, y, dx, dy));
            cs.writes.push(Write::Create {
                id: ids[i],
                valid_from: "2024-01-01".parse().unwrap(),
                body: Body::Street(Street {
                    name: format!("街{i}"),
                    name_mn: None,
                    class: [
                        StreetClass::Arterial,
                        StreetClass::Secondary,
                        StreetClass::Branch,
                        StreetClass::Lane,
                    ][i % 4],
                    source: Source::Sample,
                    naming: Default::default(),
                    numbering: Default::default(),
                }),
                geometry: Geometry::MultiLineString(MultiLineString(vec![line])),
            });
        }
        out.push(cs);
    }
    for chunk in (0..plates).collect::<Vec<_>>().chunks(5000) {
        let mut cs = Changeset::new("bench", "全省门牌");
        for &i in chunk {
            let s = i / per_street;
            let (x, y, dx, dy) = starts[s.min(streets - 1)];
            let t = (i % per_street) as f64 / per_street as f64;
            let side = if i % 2 == 0 { 0.0001 } else { -0.0001 };
            cs.writes.push(Write::Create {
                id: RecordId::new(),
                valid_from: "2024-01-01".parse().unwrap(),
                body: Body::DoorPlate(DoorPlate {
                    street: ids[s.min(streets - 1)],
                    number: DoorNumber::new((i % per_street) as u32 + 1).unwrap(),
                    source: Source::Sample,
                    kind: Default::default(),
                }),
                geometry: Geometry::Point(Point::new(
                    x + dx * t + if dy != 0.0 { side } else { 0.0 },
                    y + dy * t + if dx != 0.0 { side } else { 0.0 },
                )),
            });
        }
        out.push(cs);
    }
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
                diming_server(&url, port)
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
