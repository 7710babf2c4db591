//! Concurrent officers: many clients write the same record with the same version at once;
//! exactly one wins, the others are told the version is stale (412), and the history gains one
//! version. On both stores, through the HTTP API as clients use it.

use crate::support::{TestDb, both_stores, editable, load_demo, officer, request, send};
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
        let (version, feature) = editable(&registry, street);
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
                crate::support::put_record(&app, &token, street, version, body)
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
        let (_, mut feature) = editable(&registry, street);
        feature["properties"]["class"] = serde_json::json!("secondary");
        let body = serde_json::json!({ "reason": "改等级", "feature": feature });
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

/// The door plates of `street` as (number, id), in number order.
fn plates_of(registry: &diming::registry::Registry, street: RecordId) -> Vec<(String, RecordId)> {
    let current = registry.current();
    let mut plates: Vec<(String, RecordId)> = current
        .layer(diming::model::Layer::DoorPlate)
        .filter_map(|v| match &v.body {
            diming::model::Body::DoorPlate(p) if p.street == street => {
                Some((p.number.to_string(), v.id))
            }
            _ => None,
        })
        .collect();
    plates.sort();
    plates
}

both_stores!(
    twenty_officers_renumber_overlapping_streets_and_no_number_is_given_twice,
    |db: TestDb| async move {
        use serde_json::json;
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let token = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let app = diming::web::app(registry.clone());
        // Five streets with several plates and no doubled number (the demo plants some).
        let mut streets: Vec<(String, RecordId)> = registry
            .current()
            .layer(diming::model::Layer::Street)
            .map(|v| (v.body.title(), v.id))
            .collect();
        streets.sort();
        let streets: Vec<RecordId> = streets
            .into_iter()
            .map(|(_, id)| id)
            .filter(|s| {
                let plates = plates_of(&registry, *s);
                let mut numbers: Vec<&String> = plates.iter().map(|(n, _)| n).collect();
                numbers.dedup();
                plates.len() >= 6 && numbers.len() == plates.len()
            })
            .take(5)
            .collect();
        assert_eq!(streets.len(), 5);
        let post = |uri: String, body: serde_json::Value| {
            let (app, token) = (app.clone(), token.clone());
            async move {
                send(
                    &app,
                    request("POST", &uri, Some(&token), Some(body.clone())),
                    Some(body),
                )
                .await
            }
        };
        // Twenty campaigns, each over two neighbouring streets of the five (so every street
        // is in four of them); each pins a different plate of its first street to 300, the
        // number every campaign on that street wants.
        let mut campaigns = Vec::new();
        for i in 0..20 {
            let (a, b) = (streets[i % 5], streets[(i + 1) % 5]);
            let reply = post(
                "/api/campaigns".into(),
                json!({ "name": format!("整编 {i}"), "streets": [a, b] }),
            )
            .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            let id = reply.json()["id"].as_str().unwrap().to_string();
            let plate = plates_of(&registry, a)[i / 5].1;
            let reply = post(
                format!("/api/campaigns/{id}/pins"),
                json!({ "pins": [{ "plate": plate, "number": "300" }] }),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let approval = json!({ "document": { "issuer": "二连浩特市民政局", "number": format!("二民字〔2026〕{i}号"), "date": "2026-11-20" } });
            let reply = post(format!("/api/campaigns/{id}/approve"), approval).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            campaigns.push(id);
        }
        // All twenty apply at once.
        let tasks: Vec<_> = campaigns
            .iter()
            .map(|id| {
                let apply = post(format!("/api/campaigns/{id}/apply"), json!({}));
                tokio::spawn(apply)
            })
            .collect();
        let mut applied = Vec::new();
        for (id, task) in campaigns.iter().zip(tasks) {
            let reply = task.await.unwrap();
            match reply.status {
                StatusCode::OK => applied.push(id.clone()),
                StatusCode::PRECONDITION_FAILED | StatusCode::UNPROCESSABLE_ENTITY => {
                    // Refused whole: the campaign is still only approved.
                    let campaign: RecordId = id.parse().unwrap();
                    let current = registry.current();
                    let v = current.get(&campaign).unwrap();
                    let body = serde_json::to_value(&v.body).unwrap();
                    assert_eq!(body["status"], "approved", "{}", reply.body);
                }
                other => panic!("{other}: {}", reply.body),
            }
        }
        assert!(!applied.is_empty());
        // No street has a number twice, and 300 was given at most once per street.
        for s in &streets {
            let plates = plates_of(&registry, *s);
            let twice: Vec<&(String, RecordId)> = plates
                .windows(2)
                .filter(|w| w[0].0 == w[1].0)
                .map(|w| &w[1])
                .collect();
            assert!(twice.is_empty(), "numbers given twice: {twice:?}");
        }
        // The store agrees with memory: reloaded, the numbers are the same.
        let reloaded = db.registry().await;
        for s in &streets {
            assert_eq!(plates_of(&reloaded, *s), plates_of(&registry, *s));
        }
        // One officer giving a plate a number its street already has is told which plate
        // holds it.
        let (taken, holder) = plates_of(&registry, streets[0])[0].clone();
        let (_, plate) = plates_of(&registry, streets[0])[1];
        let (version, mut feature) = editable(&registry, plate);
        feature["properties"]["number"] = json!(taken);
        let body = json!({ "reason": "改号", "feature": feature });
        let reply = crate::support::put_record(&app, &token, plate, version, body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let error = reply.json();
        assert_eq!(error["code"], "duplicate_number");
        assert_eq!(error["conflict"], holder.to_string(), "{error}");
        assert_eq!(registry.current().get(&plate).unwrap().version, version);
    }
);
