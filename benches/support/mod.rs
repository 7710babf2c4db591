//! What the benchmarks share: sizes from the environment and throw-away PostgreSQL databases.

use sqlx::postgres::PgPoolOptions;

#[allow(dead_code)] // not every benchmark speaks HTTP
pub mod http;
#[allow(dead_code)] // not every benchmark loads the province
pub mod province;

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn admin_url() -> String {
    std::env::var("DIMING_TEST_PG")
        .unwrap_or_else(|_| "postgres://diming:diming@127.0.0.1:5432/postgres".into())
}

/// A fresh PostgreSQL database; dropped by [`drop_pg`].
pub async fn fresh_pg(tag: &str) -> (String, String) {
    let admin = admin_url();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is needed at {admin} (run .ci/postgres): {e}"));
    let name = format!("diming_bench_{tag}_{}", std::process::id());
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&pool)
        .await
        .unwrap();
    let sql = format!("CREATE DATABASE {name}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&pool)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').unwrap().0;
    (format!("{base}/{name}"), name)
}

pub async fn drop_pg(name: &str) {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin_url())
        .await
        .unwrap();
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&pool)
        .await
        .unwrap();
}

/// The demo city in a throw-away SQLite registry (keep the directory while it is used).
#[allow(dead_code)] // not every benchmark starts from the demo
pub async fn demo_sqlite() -> (tempfile::TempDir, diming::registry::Registry) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.gpkg").display());
    let registry = diming::registry::Registry::open(&url, diming::config::Config::erenhot())
        .await
        .unwrap();
    registry
        .commit_all(diming::demo::changesets().unwrap(), |_| {})
        .await
        .unwrap();
    (dir, registry)
}

/// A process's memory in MB from `/proc/PID/status`: `VmRSS` (now) or `VmHWM` (peak).
#[allow(dead_code)] // not every benchmark measures memory
pub fn memory_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
