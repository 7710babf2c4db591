//! A province on one process (run with `cargo bench --bench province`): the demo city and a
//! synthetic province (`BENCH_PLATES` door plates, default 1,000,000, on `BENCH_STREETS`
//! streets, default 100,000: 1.1 million records) in each store, then served by `diming serve`:
//!
//! - **start-up**: from launching the server until it answers `/healthz` (the store read, the
//!   spatial and search indexes built);
//! - **memory**: the server's resident memory once started (target ≤ 1,200 MB) and its peak
//!   after the load below;
//! - **the mixed load** of `benches/load.lua` (nine reads in ten, one write) for
//!   `BENCH_SECONDS` (default 20) over 4 connections, with the province loaded;
//! - **freshness**: with that load running, how long after a write's answer the change is
//!   visible in search, in OGC API items and in a vector tile (`benches/freshness.py`,
//!   `BENCH_PROBES` writes, default 100; target p99 ≤ 1 s): SQLite on one server, PostgreSQL
//!   on one server and across two servers sharing the database.
//!
//! `BENCH_KEEP=DIR` keeps the stores for the next run (`DIR/province.gpkg` and the database
//! `diming_province_kept`), loading each only when it is not there yet.
//!
//! Needs `wrk` and `python3` (`benches/freshness.sh` installs wrk) and PostgreSQL with PostGIS
//! (`.ci/postgres`).

use diming::config::Config;
use diming::registry::Registry;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/mod.rs"]
mod support;
use support::http::diming_server;
use support::province::{corners, province};
use support::{drop_pg, env_usize, fresh_pg, memory_mb};

const BIN: &str = env!("CARGO_BIN_EXE_diming");

/// Writes the demo city and the province into the store at `url`: the number of records.
async fn load(url: &str, plates: usize, streets: usize) -> usize {
    let started = Instant::now();
    let registry = Registry::open(url, Config::erenhot()).await.unwrap();
    registry
        .commit_all(diming::demo::changesets().unwrap(), |_| {})
        .await
        .unwrap();
    let changesets = province(plates, streets, corners(&Config::erenhot()));
    registry.commit_all(changesets, |_| {}).await.unwrap();
    let n = registry.current().len();
    println!(
        "   loaded {n} records in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    n
}

/// A names officer's API token in the store at `url`.
fn officer(url: &str) -> String {
    let mut add = Command::new(BIN)
        .args([
            "--db",
            url,
            "user",
            "add",
            "fresh",
            "--role",
            "names_officer",
        ])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    add.stdin
        .take()
        .unwrap()
        .write_all("province-密码-长长的\n".as_bytes())
        .unwrap();
    // A kept store has its officer already.
    add.wait().unwrap();
    let out = Command::new(BIN)
        .args(["--db", url, "user", "token", "fresh", "--label", "province"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find(|w| w.len() == 64 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("no token in: {text}"))
        .to_string()
}

/// Starts a server on `port`: the server and its start-up time.
fn serve(url: &str, port: u16) -> (Child, Duration) {
    let started = Instant::now();
    let child = diming_server(url, port, 900);
    (child, started.elapsed())
}

/// `wrk` with the mixed load on `port` for `seconds` (its summary line), or running until
/// killed when `seconds` is 0.
fn wrk(port: u16, token: &str, seconds: usize) -> Child {
    let duration = if seconds == 0 { 3600 } else { seconds };
    Command::new("wrk")
        .args([
            "-t2",
            "-c4",
            &format!("-d{duration}s"),
            "-s",
            "benches/load.lua",
        ])
        .arg(format!("http://127.0.0.1:{port}"))
        .env("DIMING_TOKEN", token)
        .stdout(if seconds == 0 {
            Stdio::null()
        } else {
            Stdio::piped()
        })
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("wrk is needed (apt-get install wrk): {e}"))
}

/// Freshness probes written on `write` and read on `read` while the mixed load runs on
/// `write`.
fn freshness(label: &str, write: u16, read: u16, token: &str, probes: usize) {
    println!("   freshness, {label}:");
    let mut load = wrk(write, token, 0);
    std::thread::sleep(Duration::from_secs(2));
    let out = Command::new("python3")
        .arg("benches/freshness.py")
        .arg(format!("http://127.0.0.1:{write}"))
        .arg(format!("http://127.0.0.1:{read}"))
        .arg(token)
        .arg(probes.to_string())
        .output()
        .unwrap();
    load.kill().ok();
    load.wait().ok();
    assert!(
        out.status.success(),
        "freshness.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        println!("     {line}");
    }
}

#[tokio::main]
async fn main() {
    let plates = env_usize("BENCH_PLATES", 1_000_000);
    let streets = env_usize("BENCH_STREETS", 100_000);
    let seconds = env_usize("BENCH_SECONDS", 20);
    let probes = env_usize("BENCH_PROBES", 100);
    let kept = std::env::var("BENCH_KEEP").ok();
    let dir = tempfile::tempdir().unwrap();
    let folder = kept
        .as_deref()
        .map_or(dir.path().to_path_buf(), std::path::PathBuf::from);
    let file = folder.join("province.gpkg");
    let sqlite_loaded = kept.is_some() && file.exists();
    let sqlite = format!("sqlite://{}", file.display());
    let (pg, db, pg_loaded) = match &kept {
        Some(_) => {
            let name = "diming_province_kept";
            let (url, existed) = support::kept_pg(name).await;
            (url, name.to_string(), existed)
        }
        None => {
            let (url, db) = fresh_pg("province").await;
            (url, db, false)
        }
    };
    for (store, url, port, loaded) in [
        ("SQLite", &sqlite, 8301, sqlite_loaded),
        ("PostgreSQL", &pg, 8311, pg_loaded),
    ] {
        println!(
            "== {store}: the demo city and a province of {plates} plates on {streets} streets"
        );
        if !loaded {
            load(url, plates, streets).await;
        }
        let token = officer(url);
        let (mut server, startup) = serve(url, port);
        println!(
            "   start-up {:.1} s; memory once started {:.0} MB (peak so far {:.0} MB)",
            startup.as_secs_f64(),
            memory_mb(server.id(), "VmRSS"),
            memory_mb(server.id(), "VmHWM")
        );
        let out = wrk(port, &token, seconds).wait_with_output().unwrap();
        print!(
            "   mixed load ({seconds} s, 4 connections): {}",
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find(|l| l.starts_with("requests"))
                .map(|l| format!("{l}\n"))
                .unwrap_or_else(|| "no summary from wrk\n".into())
        );
        freshness("one server", port, port, &token, probes);
        let mut other = None;
        if store == "PostgreSQL" {
            let (second, startup) = serve(url, port + 1);
            println!(
                "   a second server started in {:.1} s",
                startup.as_secs_f64()
            );
            freshness(
                "written on one server, read on another",
                port,
                port + 1,
                &token,
                probes,
            );
            other = Some(second);
        }
        println!(
            "   memory now {:.0} MB, peak {:.0} MB",
            memory_mb(server.id(), "VmRSS"),
            memory_mb(server.id(), "VmHWM")
        );
        for child in std::iter::once(&mut server).chain(other.as_mut()) {
            child.kill().ok();
            child.wait().ok();
        }
    }
    if kept.is_none() {
        drop_pg(&db).await;
    }
}
