//! Import of 100,000 door plates from a GeoPackage into each store, side by side with
//! `ogr2ogr` loading the same file into PostGIS. diming reads the file through GDAL,
//! validates every geometry, resolves every street by name, checks every number against the
//! street's others, and writes one changeset with its history; ogr2ogr copies rows. Then the
//! layer is exported, every plate moved 10 cm, and imported again: one changeset of updates
//! (no peer: ogr2ogr does not update rows in PostGIS).
//!
//! `BENCH_PLATES` sets the size (default 100,000; the target for 1,000,000 is under 30 s and
//! 2.5 GB of peak memory per store); `BENCH_STORES` the stores, `sqlite`, `postgres` or both
//! (the default), as `sqlite,postgres`; `BENCH_UPDATE=0` leaves out the update of every plate.

mod support;

use diming::config::Config;
use diming::io::{self, ReadOptions};
use diming::model::Layer;
use diming::registry::Registry;
use std::time::Instant;

/// A GeoPackage of `n` new door plates on the demo's streets, written by GDAL from CSV.
fn make_file(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    // The streets' current names (the demo renames one).
    let streets: Vec<String> = {
        let mut names = std::collections::BTreeMap::new();
        for cs in diming::demo::changesets().unwrap() {
            for w in cs.writes {
                match w {
                    diming::model::Write::Create {
                        id,
                        body: diming::model::Body::Street(s),
                        ..
                    }
                    | diming::model::Write::Update {
                        id,
                        body: diming::model::Body::Street(s),
                        ..
                    } => {
                        names.insert(id, s.name);
                    }
                    _ => {}
                }
            }
        }
        let mut v: Vec<String> = names.into_values().collect();
        v.sort();
        v
    };
    let csv = dir.join("plates.csv");
    let mut out = String::from("lon,lat,number,street\n");
    let mut state: u64 = 42;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..n {
        let street = &streets[i % streets.len()];
        // Numbers far above the demo's, so that none is taken.
        let number = 10_000 + i / streets.len();
        let lon = 111.94 + next() * 0.07;
        let lat = 43.63 + next() * 0.04;
        out.push_str(&format!("{lon:.7},{lat:.7},{number},{street}\n"));
    }
    std::fs::write(&csv, out).unwrap();
    let gpkg = dir.join("plates.gpkg");
    let status = std::process::Command::new("ogr2ogr")
        .args([
            "-f",
            "GPKG",
            "-a_srs",
            "EPSG:4490",
            "-oo",
            "X_POSSIBLE_NAMES=lon",
            "-oo",
            "Y_POSSIBLE_NAMES=lat",
        ])
        .arg(&gpkg)
        .arg(&csv)
        .status()
        .expect("ogr2ogr (gdal-bin)");
    assert!(status.success());
    gpkg
}

/// Imports `file` (read, checked, committed) and returns the seconds and the report's counts.
async fn import_file(registry: &Registry, file: &std::path::Path) -> (f64, usize, usize) {
    let start = Instant::now();
    let path = file.to_path_buf();
    let raw = tokio::task::spawn_blocking(move || {
        io::read(&path, &ReadOptions::default(), &mut |_, _| {})
    })
    .await
    .unwrap()
    .unwrap();
    let read = start.elapsed().as_secs_f64();
    let mut report = io::import::plan(
        &registry.current(),
        Layer::DoorPlate,
        &raw.features,
        &[],
        registry.config(),
        chrono::Local::now().date_naive(),
        None,
    );
    assert!(
        report.refused.is_empty(),
        "{:?}",
        &report.refused[..3.min(report.refused.len())]
    );
    let planned = start.elapsed().as_secs_f64();
    let (created, updated) = (report.created, report.updated);
    registry
        .commit(report.take_changeset("bench", "导入").unwrap())
        .await
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "    (read {read:.2} s, check {:.2} s, commit {:.2} s)",
        planned - read,
        secs - planned
    );
    (secs, created, updated)
}

/// The store's door plates exported to a GeoPackage, every one moved 10 cm east: a corrected
/// survey of the whole layer, imported as one changeset of updates.
async fn moved_plates(registry: &Registry, dir: &std::path::Path) -> std::path::PathBuf {
    let features: Vec<io::OutFeature> = {
        let current = registry.current();
        io::export_features(
            &current.layer(Layer::DoorPlate).collect::<Vec<_>>(),
            &current,
        )
    };
    let features = features
        .into_iter()
        .map(|mut f| {
            use geo::Translate;
            f.geometry = f.geometry.translate(0.0000013, 0.0);
            f
        })
        .collect::<Vec<_>>();
    let store = match registry.store() {
        diming::store::Store::Sqlite(_) => "sqlite",
        diming::store::Store::Postgres(_) => "postgres",
    };
    let path = dir.join(format!("moved-{store}.gpkg"));
    let out = path.clone();
    tokio::task::spawn_blocking(move || {
        io::export(
            &out,
            io::Format::Gpkg,
            Layer::DoorPlate.geometry_kind(),
            Layer::DoorPlate.table(),
            &io::export_fields(Layer::DoorPlate),
            &features,
            4490,
        )
    })
    .await
    .unwrap()
    .unwrap();
    path
}

/// The import into a store holding the demo, then the update of every plate: seconds and
/// plates for each.
async fn import_into(url: &str, file: &std::path::Path) -> ((f64, usize), (f64, usize)) {
    let registry = Registry::open(url, Config::erenhot()).await.unwrap();
    registry
        .commit_all(diming::demo::changesets().unwrap(), |_| {})
        .await
        .unwrap();
    let before = registry.current().count(Layer::DoorPlate);
    let (secs, created, _) = import_file(&registry, file).await;
    assert_eq!(created, registry.current().count(Layer::DoorPlate) - before);
    // The import's peak (the process's, since it started: run one store at a time to read it
    // for each, `BENCH_STORES=sqlite` then `postgres`).
    println!(
        "    peak memory after the import {:.0} MB",
        support::memory_mb(std::process::id(), "VmHWM")
    );
    if std::env::var("BENCH_UPDATE").is_ok_and(|v| v == "0") {
        let added = registry.current().count(Layer::DoorPlate) - before;
        return ((secs, added), (f64::NAN, 0));
    }
    // Every plate moved: one changeset that supersedes each current version.
    let dir = file.parent().unwrap();
    let moved = moved_plates(&registry, dir).await;
    let (update, _, updated) = import_file(&registry, &moved).await;
    assert_eq!(updated, registry.current().count(Layer::DoorPlate));
    let added = registry.current().count(Layer::DoorPlate) - before;
    ((secs, added), (update, updated))
}

#[tokio::main]
async fn main() {
    let n = support::env_usize("BENCH_PLATES", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let file = make_file(dir.path(), n);
    println!("import of {n} door plates from a GeoPackage");

    // The peer: ogr2ogr into PostGIS (COPY, spatial index), no validation, no history.
    let (url, name) = support::fresh_pg("ogr").await;
    let pg = url.replace("postgres://", "");
    let (userpass, hostdb) = pg.split_once('@').unwrap();
    let (user, password) = userpass.split_once(':').unwrap();
    let (hostport, db) = hostdb.split_once('/').unwrap();
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, "5432"));
    let conn = format!("PG:host={host} port={port} dbname={db} user={user} password={password}");
    {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .connect(&url)
            .await
            .unwrap();
        sqlx::query("CREATE EXTENSION IF NOT EXISTS postgis")
            .execute(&pool)
            .await
            .unwrap();
    }
    let start = Instant::now();
    let status = std::process::Command::new("ogr2ogr")
        .args(["-f", "PostgreSQL", &conn])
        .arg(&file)
        .args(["-nln", "door_plates_ogr", "-lco", "GEOMETRY_NAME=geom"])
        .status()
        .unwrap();
    assert!(status.success());
    let ogr = start.elapsed().as_secs_f64();
    support::drop_pg(&name).await;
    println!(
        "  ogr2ogr → PostGIS: {ogr:.2} s ({:.0} plates/s)",
        n as f64 / ogr
    );

    let stores = std::env::var("BENCH_STORES").unwrap_or_else(|_| "sqlite,postgres".into());
    if stores.contains("sqlite") {
        let sqlite = dir.path().join("bench.gpkg");
        let ((s, added), (su, updated)) =
            import_into(&format!("sqlite://{}", sqlite.display()), &file).await;
        assert_eq!(added, n);
        println!(
            "  diming → SQLite: {s:.2} s ({:.0} plates/s), ratio to ogr2ogr {:.2} (≥ 1 is faster)",
            n as f64 / s,
            ogr / s
        );
        if updated > 0 {
            println!(
                "  … then every plate moved 10 cm, {updated} updates in one changeset: {su:.2} s ({:.0} plates/s)",
                updated as f64 / su
            );
        }
    }
    if !stores.contains("postgres") {
        return;
    }
    let (url, name) = support::fresh_pg("import").await;
    let ((p, added), (pu, updated)) = import_into(&url, &file).await;
    assert_eq!(added, n);
    support::drop_pg(&name).await;
    println!(
        "  diming → PostgreSQL: {p:.2} s ({:.0} plates/s), ratio to ogr2ogr {:.2} (≥ 1 is faster)",
        n as f64 / p,
        ogr / p
    );
    if updated > 0 {
        println!(
            "  … then every plate moved 10 cm, {updated} updates in one changeset: {pu:.2} s ({:.0} plates/s)",
            updated as f64 / pu
        );
    }
}
