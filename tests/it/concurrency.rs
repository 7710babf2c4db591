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
