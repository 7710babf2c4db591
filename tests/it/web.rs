//! The web server through its router, without a port.

use crate::support::{TestDb, both_stores, load_demo};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

both_stores!(
    the_home_page_shows_the_counts_per_layer_and_the_maps,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry);
        let (status, _, html) = get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("二连浩特市 地名管理信息系统"), "{html}");
        assert!(
            html.contains("<td>门牌</td><td class=\"n\">2960</td>"),
            "{html}"
        );
        assert!(
            html.contains("工农街更名为建设街") && html.contains("二政字〔2021〕35号"),
            "{html}"
        );
        let (status, headers, svg) = get(&app, "/map.svg?view=town").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("image/svg+xml")
        );
        assert!(
            svg.contains("<title>建设街</title>") && svg.contains("东城社区居委会"),
            "town map has streets and communities"
        );
    }
);

#[tokio::test]
async fn the_api_serves_layers_records_with_etags_history_and_the_unit_at_a_point() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry);

    let (_, _, layers) = get(&app, "/api/layers").await;
    let layers: serde_json::Value = serde_json::from_str(&layers).unwrap();
    assert_eq!(layers["layers"][3]["layer"], "door_plates");
    assert_eq!(layers["layers"][3]["count"], 2960);

    let id = diming::record::RecordId::derived("street/工农街");
    let (status, headers, feature) = get(&app, &format!("/api/records/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ETAG], "\"2\"");
    let feature: serde_json::Value = serde_json::from_str(&feature).unwrap();
    assert_eq!(feature["properties"]["name"], "建设街");
    assert_eq!(feature["geometry"]["type"], "MultiLineString");

    let (_, _, history) = get(&app, &format!("/api/records/{id}/history")).await;
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    assert_eq!(history["versions"][0]["properties"]["name"], "工农街");
    assert_eq!(
        history["versions"][1]["changeset"]["document"]["number"],
        "二政字〔2021〕35号（示例）"
    );

    let (status, _, err) = get(&app, "/api/records/not-an-id").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err.contains("not-an-id"));
    let (status, _, _) = get(
        &app,
        &format!("/api/records/{}", diming::record::RecordId::new()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, _, unit) = get(&app, "/api/units/at?lon=111.97667&lat=43.6475").await;
    let unit: serde_json::Value = serde_json::from_str(&unit).unwrap();
    assert_eq!(unit["properties"]["level"], "community");

    let (_, _, near) = get(
        &app,
        "/api/layers/door_plates?bbox=111.970,43.645,111.975,43.650",
    )
    .await;
    let near: serde_json::Value = serde_json::from_str(&near).unwrap();
    let n = near["features"].as_array().unwrap().len();
    assert!(n > 0 && n < 200, "{n} plates in a small box");
    let (status, _, _) = get(&app, "/api/layers/door_plates?bbox=1,2,3").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
