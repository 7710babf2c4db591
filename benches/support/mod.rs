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

/// A pool of one connection to the administrator's database.
async fn admin_pool() -> sqlx::PgPool {
    let admin = admin_url();
    PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is needed at {admin} (run .ci/postgres): {e}"))
}

async fn execute(pool: &sqlx::PgPool, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(pool)
        .await
        .unwrap();
}

/// The URL of the database `name` beside the administrator's.
fn database_url(name: &str) -> String {
    let admin = admin_url();
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

/// A fresh PostgreSQL database; dropped by [`drop_pg`].
pub async fn fresh_pg(tag: &str) -> (String, String) {
    let pool = admin_pool().await;
    let name = format!("diming_bench_{tag}_{}", std::process::id());
    execute(
        &pool,
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
    execute(&pool, format!("CREATE DATABASE {name}")).await;
    (database_url(&name), name)
}

/// The database `name`, created if missing (kept between runs): its URL, and whether it
/// existed.
#[allow(dead_code)] // not every benchmark keeps its data
pub async fn kept_pg(name: &str) -> (String, bool) {
    let pool = admin_pool().await;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&pool)
            .await
            .unwrap();
    if !exists {
        execute(&pool, format!("CREATE DATABASE {name}")).await;
    }
    (database_url(name), exists)
}

pub async fn drop_pg(name: &str) {
    let pool = admin_pool().await;
    execute(
        &pool,
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
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
