//! Concurrent officers: many clients write the same record with the same version at once;
//! exactly one wins, the others are told the version is stale (412), and the history gains one
//! version. On both stores, through the HTTP API as clients use it.

use crate::support::{TestDb, both_stores, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::record::RecordId;
use std::sync::Arc;

both_stores!(
    a_hundred_officers_change_one_street_and_exactly_one_wins,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let token = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let app = diming::web::app(registry.clone());
        let street = RecordId::derived("street/康宁街");
        let feature = {
            let current = registry.current();
            let v = current.get(&street).unwrap();
            let mut p = serde_json::to_value(&v.body).unwrap();
            p.as_object_mut().unwrap().remove("layer");
            serde_json::json!({
                "type": "Feature",
                "geometry": diming::spatial::geojson::from_geo(&v.geometry),
                "properties": p,
            })
        };
        let version = registry.current().get(&street).unwrap().version;
        let mut tasks = Vec::new();
        for i in 0..100 {
            let app = app.clone();
            let token = token.clone();
            let mut feature = feature.clone();
            feature["properties"]["class"] =
                serde_json::json!(if i % 2 == 0 { "secondary" } else { "branch" });
            tasks.push(tokio::spawn(async move {
                let body =
                    serde_json::json!({ "reason": format!("并发修改 {i}"), "feature": feature });
                send(
                    &app,
                    request(
                        "PUT",
                        &format!("/api/records/{street}"),
                        Some(&token),
                        Some(body.clone()),
                    )
                    .header("if-match", format!("\"{version}\"")),
                    Some(body),
                )
                .await
                .status
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        let stale = statuses
            .iter()
            .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
            .count();
        assert_eq!((ok, stale), (1, 99), "{statuses:?}");
        let history = registry.history(street).await.unwrap();
        assert_eq!(
            history.len(),
            version as usize + 1,
            "exactly one new version"
        );
        assert_eq!(
            registry.current().get(&street).unwrap().version,
            version + 1
        );
        // The store agrees with memory.
        let stored = registry.store().history(street).await.unwrap();
        assert_eq!(
            stored.last().unwrap().body,
            registry.current().get(&street).unwrap().body
        );
    }
);

/// With PostgreSQL unreachable, writes answer 503 at once and change nothing, reads go on from
/// memory, and writes work again when the database comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_postgresql_goes_away_writes_fail_cleanly_and_reads_go_on() {
    use sqlx::postgres::PgPoolOptions;
    let db = TestDb::postgres().await;
    let crate::support::TestDb::Postgres { name, .. } = &db else {
        unreachable!()
    };
    let name = name.clone();
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let token = officer(&registry, "wangfang", Role::NamesOfficer).await;
    let app = diming::web::app(registry.clone());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&crate::support::pg_admin_url())
        .await
        .unwrap();
    let street = RecordId::derived("street/康宁街");
    let put = |version: u32| {
        let v = registry.current().get(&street).unwrap().clone();
        let mut p = serde_json::to_value(&v.body).unwrap();
        p.as_object_mut().unwrap().remove("layer");
        p["class"] = serde_json::json!("secondary");
        let body = serde_json::json!({ "reason": "改等级", "feature": {
            "type": "Feature", "geometry": diming::spatial::geojson::from_geo(&v.geometry), "properties": p } });
        (
            request(
                "PUT",
                &format!("/api/records/{street}"),
                Some(&token),
                Some(body.clone()),
            )
            .header("if-match", format!("\"{version}\"")),
            body,
        )
    };
    let version = registry.current().get(&street).unwrap().version;

    // The database stops accepting connections and drops the ones it has.
    for sql in [
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
        format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&admin)
            .await
            .unwrap();
    }
    let started = std::time::Instant::now();
    let (b, body) = put(version);
    let refused = send(&app, b, Some(body)).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "answered promptly"
    );
    let read = send(
        &app,
        request("GET", "/api/layers/streets", None, None),
        None,
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "reads go on from memory");
    assert_eq!(read.json()["features"].as_array().unwrap().len(), 40);
    assert_eq!(
        registry.current().get(&street).unwrap().version,
        version,
        "nothing half-written"
    );

    // It comes back: the same write goes through.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS true"
    )))
    .execute(&admin)
    .await
    .unwrap();
    let (b, body) = put(version);
    let ok = send(&app, b, Some(body)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        registry.current().get(&street).unwrap().version,
        version + 1
    );
}
