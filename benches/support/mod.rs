//! What the benchmarks share: sizes from the environment and throw-away PostgreSQL databases.

use sqlx::postgres::PgPoolOptions;

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
