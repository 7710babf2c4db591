//! Hostile HTTP: oversized bodies, deep nesting, absurd coordinates, invalid UTF-8, path
//! traversal in path parameters, a viewer and the public calling every write endpoint. Each is
//! answered with the right status and changes nothing.

use crate::support::{TestDb, call, load_demo, officer, request, send};
use axum::body::Body;
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::record::RecordId;
use std::sync::Arc;

async fn changesets(registry: &diming::registry::Registry) -> usize {
    registry.store().changesets(u32::MAX).await.unwrap().len()
}

/// The demo registry (SQLite) with a names officer and a viewer, served without a port; the
/// store lives as long as the first of them.
async fn demo_app() -> (
    TestDb,
    Arc<diming::registry::Registry>,
    axum::Router,
    [String; 2],
) {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
    let viewer = officer(&registry, "guest", Role::Viewer).await;
    let app = diming::web::app(registry.clone());
    (db, registry, app, [names, viewer])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_are_refused_and_change_nothing() {
    let (_db, registry, app, [officer_token, viewer]) = demo_app().await;
    let before = changesets(&registry).await;
    let street = RecordId::derived("street/康宁街");
    let sign = RecordId::derived("sign/DX-002");
    let order = RecordId::derived("work-order/DX-003");
    let campaign = RecordId::new();
    let changeset = registry.store().changesets(1).await.unwrap()[0].id;

    // Every write endpoint, as a viewer (403) and as the public (401).
    let writes: Vec<(&str, String)> = vec![
        ("POST", "/api/layers/streets/items".into()),
        ("PUT", format!("/api/records/{street}")),
        ("DELETE", format!("/api/records/{street}")),
        ("POST", "/api/changesets".into()),
        ("POST", format!("/api/changesets/{changeset}/revert")),
        ("POST", "/api/campaigns".into()),
        ("POST", format!("/api/campaigns/{campaign}/pins")),
        ("POST", format!("/api/campaigns/{campaign}/approve")),
        ("POST", format!("/api/campaigns/{campaign}/apply")),
        (
            "POST",
            "/api/layers/streets/import?filename=a.geojson".into(),
        ),
        ("POST", format!("/api/signs/{sign}/inspections")),
        ("POST", "/api/attachments".into()),
        ("POST", "/api/work-orders".into()),
        ("POST", "/api/work-orders/from-findings".into()),
        ("PATCH", format!("/api/work-orders/{order}")),
        ("POST", "/ogc/collections/streets/items".into()),
        ("PUT", format!("/ogc/collections/streets/items/{street}")),
        ("PATCH", format!("/ogc/collections/streets/items/{street}")),
        ("DELETE", format!("/ogc/collections/streets/items/{street}")),
    ];
    let body = serde_json::json!({ "reason": "x" });
    for (method, uri) in &writes {
        for (who, token, want) in [
            ("viewer", Some(viewer.as_str()), StatusCode::FORBIDDEN),
            ("public", None, StatusCode::UNAUTHORIZED),
        ] {
            let r = send(
                &app,
                request(method, uri, token, Some(body.clone())).header("if-match", "\"1\""),
                Some(body.clone()),
            )
            .await;
            assert_eq!(r.status, want, "{who} {method} {uri}: {}", r.body);
        }
    }
    assert_eq!(
        changesets(&registry).await,
        before,
        "no refused request wrote anything"
    );

    // An oversized body.
    let huge = vec![b' '; 5 * 1024 * 1024];
    let r = call(
        &app,
        request(
            "POST",
            "/api/layers/streets/items",
            Some(&officer_token),
            None,
        )
        .header("content-type", "application/json")
        .body(Body::from(huge))
        .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Bodies too large for the endpoints that take raw bytes (an OGC feature, a photo, an
    // import file; the last one says its size in its header, as browsers do): the same JSON
    // error with the limit, which the upload page shows, not axum's plain text.
    for (uri, body, declared) in [
        (
            "/ogc/collections/streets/items",
            vec![b' '; 5 * 1024 * 1024],
            None,
        ),
        ("/api/attachments", vec![0xff; 13 * 1024 * 1024], None),
        (
            "/api/layers/streets/import?filename=a.gpkg",
            vec![0; 1024],
            Some(300 * 1024 * 1024),
        ),
    ] {
        let mut b = request("POST", uri, Some(&officer_token), None)
            .header("content-type", "application/octet-stream");
        if let Some(n) = declared {
            b = b.header("content-length", n);
        }
        let r = call(&app, b.body(Body::from(body)).unwrap()).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {}", r.body);
        assert_eq!(r.json()["code"], "too_large", "{uri}");
        assert!(
            r.json()["error"].as_str().unwrap().contains("上限"),
            "{uri}: {}",
            r.body
        );
    }

    // Deeply nested JSON.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = call(
        &app,
        request("POST", "/api/changesets", Some(&officer_token), None)
            .header("content-type", "application/json")
            .body(Body::from(deep))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    // Invalid UTF-8.
    let r = call(
        &app,
        request("POST", "/api/changesets", Some(&officer_token), None)
            .header("content-type", "application/json")
            .body(Body::from(vec![
                b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}',
            ]))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    // Absurd coordinates: refused with the reason, nothing stored.
    for coords in [
        serde_json::json!([[1e308, 43.6], [111.96, 43.61]]),
        serde_json::json!([[111.95, 43.6], [111.96, 91.0]]),
        serde_json::json!([[-200.0, 43.6], [111.96, 43.61]]),
    ] {
        let body = serde_json::json!({ "reason": "x", "feature": {
            "type": "Feature", "geometry": { "type": "LineString", "coordinates": coords },
            "properties": { "name": "怪异路", "class": "lane", "naming": { "status": "proposed" } } } });
        let r = send(
            &app,
            request(
                "POST",
                "/api/layers/streets/items",
                Some(&officer_token),
                Some(body.clone()),
            ),
            Some(body),
        )
        .await;
        assert!(
            r.status.is_client_error(),
            "{coords}: {} {}",
            r.status,
            r.body
        );
    }

    // Path traversal in every kind of path parameter: never a file of the machine.
    for uri in [
        "/static/..%2F..%2FCargo.toml",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/records/..%2F..%2Fetc%2Fpasswd",
        "/api/layers/..%2F..%2Fetc%2Fpasswd",
        "/api/layers/..%2Fsigns/export?format=geojson",
        "/signs/..%2F..%2Fetc%2Fpasswd",
        "/signs/DX-001/..%2F..%2FCargo.toml",
        "/attachments/..%2F..%2Fetc%2Fpasswd",
        "/records/..%2F..%2Fetc%2Fpasswd",
        "/changesets/..%2F..%2Fetc%2Fpasswd",
        "/ogc/collections/..%2F..%2Fetc/items",
        "/glyphs/..%2F..%2Fetc/passwd",
    ] {
        let r = send(&app, request("GET", uri, Some(&officer_token), None), None).await;
        assert!(
            !r.body.contains("root:") && !r.body.contains("[package]"),
            "{uri} leaked a file"
        );
        assert!(
            r.status.is_client_error() || (uri.starts_with("/glyphs") && r.body.is_empty()),
            "{uri}: {}",
            r.status
        );
    }
    assert_eq!(
        changesets(&registry).await,
        before,
        "nothing written by any of it"
    );
}

/// A request body of `chunks` pieces of 1 MiB, counting how many the server has read.
struct Counted {
    left: usize,
    read: Arc<std::sync::atomic::AtomicUsize>,
}

impl http_body::Body for Counted {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        self.read.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        static MIB: [u8; 1 << 20] = [b'x'; 1 << 20];
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(
            axum::body::Bytes::from_static(&MIB),
        ))))
    }
}

/// An import's file is read only after the caller was found allowed to write (the public, a
/// viewer and the wrong officer get their answer with none of it read), and only up to the
/// limit, a piece at a time: a body with no declared length that runs past 256 MiB is cut off
/// there with the JSON 413, having been held in memory one piece at a time. A sign photo is
/// likewise read only for a caller who may upload it, and only to its limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_is_read_only_after_the_role_check_and_only_to_its_limit() {
    let (_db, registry, app, [names, viewer]) = demo_app().await;
    let boundary = officer(&registry, "bater", Role::BoundaryOfficer).await;
    let before = changesets(&registry).await;
    let upload_to = |uri: &'static str, token: Option<&str>, chunks: usize| {
        let read = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let body = Body::new(Counted {
            left: chunks,
            read: read.clone(),
        });
        let r = request("POST", uri, token, None)
            .header("content-type", "application/octet-stream")
            .body(body)
            .unwrap();
        let app = app.clone();
        async move {
            let reply = call(&app, r).await;
            (reply, read.load(std::sync::atomic::Ordering::SeqCst))
        }
    };
    let upload = |token: Option<&str>, chunks: usize| {
        upload_to(
            "/api/layers/streets/import?filename=a.geojson",
            token,
            chunks,
        )
    };
    for (who, token, want) in [
        ("the public", None, StatusCode::UNAUTHORIZED),
        ("a viewer", Some(viewer.as_str()), StatusCode::FORBIDDEN),
        (
            "a boundary officer",
            Some(boundary.as_str()),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (reply, read) = upload(token, 300).await;
        assert_eq!(reply.status, want, "{who}: {}", reply.body);
        assert_eq!(read, 0, "{who}: nothing of the body is read");
    }
    // A photo likewise: the public is refused before any of it is read, an inspector's
    // photo past its limit is cut off there.
    let (reply, read) = upload_to("/api/attachments", None, 300).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(read, 0, "nothing of the photo is read");
    let (reply, read) = upload_to("/api/attachments", Some(&names), 300).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["code"], "too_large");
    assert!(read < 20, "read {read} MiB of a photo limited to 12 MiB");
    let (reply, read) = upload(Some(&names), 300).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["code"], "too_large");
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("超过导入的上限 256 MiB"),
        "{}",
        reply.body
    );
    assert_eq!(
        read, 257,
        "read up to the limit and one piece past it, no further"
    );
    assert_eq!(changesets(&registry).await, before);
}
