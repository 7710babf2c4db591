//! OGC API – Features (Parts 1 and 2) through the router, and through real clients against a
//! running server: GDAL's OAPIF driver (`ogrinfo`, `ogr2ogr`) and OWSLib from PyPI.

use crate::support::{TestDb, both_stores, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::record::RecordId;
use serde_json::Value;
use std::sync::Arc;

async fn get(app: &axum::Router, uri: &str) -> crate::support::Reply {
    send(app, request("GET", uri, None, None), None).await
}

#[tokio::test]
async fn the_ogc_api_serves_collections_items_pages_crss_and_dates() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());

    let landing = get(&app, "/ogc").await.json();
    let rels: Vec<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rels:?}");
    }
    let conformance = get(&app, "/ogc/conformance").await.json();
    assert!(
        conformance["conformsTo"]
            .to_string()
            .contains("ogcapi-features-2/1.0/conf/crs")
    );
    // The service description is this API's own (OpenAPI 3.0), and names every collection.
    let desc = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "service-desc")
        .unwrap()["href"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(desc.ends_with("/ogc/api"), "{desc}");
    assert!(conformance["conformsTo"].to_string().contains("conf/oas30"));
    let api = get(&app, "/ogc/api").await;
    assert_eq!(
        api.headers["content-type"],
        "application/vnd.oai.openapi+json;version=3.0"
    );
    let api = api.json();
    assert_eq!(api["openapi"], "3.0.3");
    for path in [
        "/collections/{collectionId}/items",
        "/collections/{collectionId}/items/{featureId}",
        "/collections/{collectionId}/queryables",
    ] {
        assert!(api["paths"][path].is_object(), "{path}");
    }
    let documented = api["paths"]["/collections/{collectionId}"]["get"]["parameters"][0]["schema"]
        ["enum"]
        .to_string();
    for table in ["streets", "door_plates", "zones"] {
        assert!(documented.contains(table), "{documented}");
    }
    let collections = get(&app, "/ogc/collections").await.json();
    let ids: Vec<&str> = collections["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "admin_units",
            "streets",
            "places",
            "door_plates",
            "signs",
            "boundary_markers",
            "boundary_lines",
            "boundary_agreements",
            "cemeteries",
            "cemetery_sections",
            "zones"
        ],
        "campaigns, inspections, work orders, observations, disputes, plots (they name their \
         holders) and the burial office's personal data are internal"
    );
    let streets = &collections["collections"][1];
    let bbox = &streets["extent"]["spatial"]["bbox"][0];
    assert!((bbox[0].as_f64().unwrap() - 111.937).abs() < 1e-6, "{bbox}");
    assert_eq!(
        streets["storageCrs"],
        "http://www.opengis.net/def/crs/EPSG/0/4490"
    );

    // Pages: 3,202 plates in four pages of 1,000 by their next links.
    let mut next = Some("/ogc/collections/door_plates/items?limit=1000".to_string());
    let mut ids = std::collections::BTreeSet::new();
    while let Some(uri) = next {
        let reply = get(&app, &uri).await;
        assert_eq!(reply.headers["content-type"], "application/geo+json");
        let page = reply.json();
        assert_eq!(page["numberMatched"], 3202);
        for f in page["features"].as_array().unwrap() {
            assert!(ids.insert(f["id"].as_str().unwrap().to_string()));
        }
        next = page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| {
                let href = l["href"].as_str().unwrap();
                href[href.find("/ogc").unwrap()..].to_string()
            });
    }
    assert_eq!(ids.len(), 3202);
    let default = get(&app, "/ogc/collections/door_plates/items").await.json();
    assert_eq!(default["numberReturned"], 100, "a default page");

    // CRS: the same box in CRS84 and in the Gauss–Krüger CRS finds the same plates; EPSG:4490
    // answers latitude first, EPSG:4546 northing first, each named in Content-Crs.
    let t = diming::spatial::crs::Transformer::new("EPSG:4490", "EPSG:4546").unwrap();
    let (w, s) = t.point(111.95, 43.63).unwrap();
    let (e, n) = t.point(111.97, 43.65).unwrap();
    let lonlat = get(
        &app,
        "/ogc/collections/door_plates/items?bbox=111.95,43.63,111.97,43.65&limit=10000",
    )
    .await
    .json();
    let projected = get(
        &app,
        &format!("/ogc/collections/door_plates/items?bbox={s},{w},{n},{e}&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4546&limit=10000"),
    )
    .await
    .json();
    let count = lonlat["numberMatched"].as_u64().unwrap();
    assert!(count > 100, "{count}");
    // The projected box is the envelope of the lon/lat box's corners: the same or a few more.
    let pcount = projected["numberMatched"].as_u64().unwrap();
    assert!(
        pcount >= count && pcount < count + count / 10,
        "{pcount} vs {count}"
    );
    let plate = RecordId::derived("door/前进大街/1");
    let p84 = get(&app, &format!("/ogc/collections/door_plates/items/{plate}")).await;
    assert_eq!(p84.headers["etag"], "\"1\"");
    assert_eq!(
        p84.headers["content-crs"],
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    );
    let lon = p84.json()["geometry"]["coordinates"][0].as_f64().unwrap();
    let lat = p84.json()["geometry"]["coordinates"][1].as_f64().unwrap();
    let p4490 = get(&app, &format!("/ogc/collections/door_plates/items/{plate}?crs=http://www.opengis.net/def/crs/EPSG/0/4490")).await;
    assert_eq!(
        p4490.headers["content-crs"],
        "<http://www.opengis.net/def/crs/EPSG/0/4490>"
    );
    assert_eq!(
        p4490.json()["geometry"]["coordinates"],
        serde_json::json!([lat, lon])
    );
    let p4546 = get(&app, &format!("/ogc/collections/door_plates/items/{plate}?crs=http://www.opengis.net/def/crs/EPSG/0/4546")).await.json();
    let (x, y) = t.point(lon, lat).unwrap();
    let c = &p4546["geometry"]["coordinates"];
    assert!(
        (c[0].as_f64().unwrap() - y).abs() < 0.001 && (c[1].as_f64().unwrap() - x).abs() < 0.001,
        "{c}"
    );
    let bad = get(
        &app,
        "/ogc/collections/streets/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["field"], "crs");

    // datetime against the lifespans: 工农街 until 2021-05-01, 建设街 from then on.
    let names = |v: &Value| -> Vec<String> {
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    let before = get(
        &app,
        "/ogc/collections/streets/items?datetime=2020-12-31&limit=100",
    )
    .await
    .json();
    assert!(
        names(&before).contains(&"工农街".into()) && !names(&before).contains(&"建设街".into())
    );
    let after = get(
        &app,
        "/ogc/collections/streets/items?datetime=2022-01-01T00:00:00Z&limit=100",
    )
    .await
    .json();
    assert!(names(&after).contains(&"建设街".into()) && !names(&after).contains(&"工农街".into()));
    let both = get(
        &app,
        "/ogc/collections/streets/items?datetime=2020-12-01/2021-12-31&limit=100",
    )
    .await
    .json();
    assert!(names(&both).contains(&"工农街".into()) && names(&both).contains(&"建设街".into()));
    let bad = get(&app, "/ogc/collections/streets/items?datetime=yesterday").await;
    assert_eq!(bad.json()["field"], "datetime");

    // HTML views, and what the public may not see.
    let html = send(
        &app,
        request("GET", "/ogc/collections/streets/items?f=html", None, None),
        None,
    )
    .await;
    assert!(html.body.contains("共 40 个要素") && html.body.contains("建设街"));
    assert_eq!(
        get(&app, "/ogc/collections/campaigns/items").await.status,
        StatusCode::NOT_FOUND
    );
    let token = officer(&registry, "王芳", Role::NamesOfficer).await;
    let internal = send(
        &app,
        request("GET", "/ogc/collections", Some(&token), None),
        None,
    )
    .await;
    assert!(internal.body.contains("\"campaigns\""));
    assert_eq!(
        get(&app, "/ogc/collections/streets/items/nonsense")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

fn tools_python() -> std::path::PathBuf {
    let tools = std::env::var("DIMING_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/diming")
        });
    let python = tools.join("venv/bin/python");
    assert!(
        python.exists(),
        "the test clients are missing at {}: run .ci/install",
        python.display()
    );
    python
}

both_stores!(
    gdal_and_owslib_read_the_registry_through_ogc_api_features,
    |db: TestDb| async move {
        load_demo(&db.registry().await).await;
        let (_server, port) = crate::browser::serve_free(db.url());
        let base = format!("http://127.0.0.1:{port}/ogc");

        // GDAL's OAPIF driver lists the collections and copies one to a GeoPackage.
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-so", &format!("OAPIF:{base}"), "streets"])
            .output()
            .expect("ogrinfo (gdal-bin)");
        let info = String::from_utf8_lossy(&out.stdout);
        assert!(
            info.contains("Feature Count: 40") && info.contains("Multi Line String"),
            "{info}"
        );
        let dir = tempfile::tempdir().unwrap();
        let gpkg = dir.path().join("plates.gpkg");
        let out = std::process::Command::new("ogr2ogr")
            .args(["-f", "GPKG"])
            .arg(&gpkg)
            .args([&format!("OAPIF:{base}"), "door_plates"])
            .output()
            .unwrap();
        crate::support::succeeded(&out);
        let out = std::process::Command::new("ogrinfo")
            .args(["-so"])
            .arg(&gpkg)
            .arg("door_plates")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("Feature Count: 3202"));

        // OWSLib.
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/clients/owslib_features.py"
        );
        let out = std::process::Command::new(tools_python())
            .arg(script)
            .arg(&base)
            .output()
            .unwrap();
        crate::support::succeeded(&out);
        let read: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            read["collections"],
            serde_json::json!([
                "admin_units",
                "boundary_agreements",
                "boundary_lines",
                "boundary_markers",
                "cemeteries",
                "cemetery_sections",
                "door_plates",
                "places",
                "signs",
                "streets",
                "zones"
            ])
        );
        assert_eq!(
            (
                read["streets_page"].clone(),
                read["streets_matched"].clone(),
                read["streets_next"].clone()
            ),
            (5.into(), 40.into(), true.into())
        );
        assert!(read["plates_in_box"].as_u64().unwrap() > 100);
        assert!(read["one"].is_string());
        assert_eq!(
            read["filtered"],
            serde_json::json!(["建设街"]),
            "a CQL2 filter through OWSLib"
        );
    }
);

both_stores!(
    ogc_transactions_name_their_version_and_check_the_role,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let names = officer(&registry, "王芳", Role::NamesOfficer).await;
        let boundary = officer(&registry, "巴特尔", Role::BoundaryOfficer).await;
        let street = RecordId::derived("street/前进大街");
        let plate = serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [111.9701, 43.6452] },
            "properties": { "street": street, "number": "1附8" }
        });
        let post = |token: Option<&str>| {
            request(
                "POST",
                "/ogc/collections/door_plates/items",
                token,
                Some(plate.clone()),
            )
            .header("content-type", "application/geo+json")
            // 补编附号, percent-encoded as headers are ASCII.
            .header("diming-reason", "%E8%A1%A5%E7%BC%96%E9%99%84%E5%8F%B7")
        };
        assert_eq!(
            send(&app, post(None), Some(plate.clone())).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            send(&app, post(Some(&boundary)), Some(plate.clone()))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let created = send(&app, post(Some(&names)), Some(plate.clone())).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.headers["etag"], "\"1\"");
        let location = created.headers["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/ogc/collections/door_plates/items/"),
            "{location}"
        );
        let id: RecordId = location.rsplit('/').next().unwrap().parse().unwrap();
        let cs = registry.history(id).await.unwrap()[0].changeset;
        let summary = registry.store().changeset(cs).await.unwrap().unwrap();
        assert_eq!(
            (summary.author.as_str(), summary.reason.as_str()),
            ("王芳", "补编附号")
        );

        // PUT what a GET returned (bookkeeping and all): If-Match decides.
        let mut feature = get(&app, &location).await.json();
        feature["properties"]["kind"] = "door_small".into();
        let put = |m: Option<&str>| {
            let b = request("PUT", &location, Some(&names), Some(feature.clone()))
                .header("content-type", "application/geo+json");
            match m {
                Some(m) => b.header("if-match", m),
                None => b,
            }
        };
        assert_eq!(
            send(&app, put(None), Some(feature.clone())).await.status,
            StatusCode::PRECONDITION_REQUIRED
        );
        assert_eq!(
            send(&app, put(Some("\"9\"")), Some(feature.clone()))
                .await
                .status,
            StatusCode::PRECONDITION_FAILED
        );
        assert_eq!(
            registry.history(id).await.unwrap().len(),
            1,
            "nothing changed"
        );
        let replaced = send(&app, put(Some("\"1\"")), Some(feature.clone())).await;
        assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
        assert_eq!(replaced.headers["etag"], "\"2\"");

        // PATCH merges.
        let patch = serde_json::json!({ "properties": { "kind": "side_door" } });
        let patched = send(
            &app,
            request("PATCH", &location, Some(&names), Some(patch.clone()))
                .header("content-type", "application/merge-patch+json")
                .header("if-match", "\"2\""),
            Some(patch),
        )
        .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        let now = get(&app, &location).await.json();
        assert_eq!(
            (
                now["properties"]["kind"].as_str(),
                now["properties"]["number"].as_str()
            ),
            (Some("side_door"), Some("1附8号"))
        );

        // DELETE retires.
        let delete = |m: Option<&str>| {
            let b = request("DELETE", &location, Some(&names), None);
            match m {
                Some(m) => b.header("if-match", m),
                None => b,
            }
        };
        assert_eq!(
            send(&app, delete(None), None).await.status,
            StatusCode::PRECONDITION_REQUIRED
        );
        assert_eq!(
            send(&app, delete(Some("\"2\"")), None).await.status,
            StatusCode::PRECONDITION_FAILED
        );
        assert_eq!(
            send(&app, delete(Some("\"3\"")), None).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(get(&app, &location).await.status, StatusCode::NOT_FOUND);
        assert!(registry.history(id).await.unwrap()[3].retired);
        // A feature of another collection through this one: not found.
        let unit = registry
            .current()
            .layer(diming::model::Layer::AdminUnit)
            .next()
            .unwrap()
            .id;
        let wrong = send(
            &app,
            request(
                "DELETE",
                &format!("/ogc/collections/streets/items/{unit}"),
                Some(&names),
                None,
            )
            .header("if-match", "\"1\""),
            None,
        )
        .await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owslib_writes_with_if_match() {
    let db = TestDb::sqlite().await;
    let token = {
        let registry = db.registry().await;
        load_demo(&registry).await;
        officer(&registry, "王芳", Role::NamesOfficer).await
    };
    let (_server, port) = crate::browser::serve_free(db.url());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/owslib_transactions.py"
    );
    let out = std::process::Command::new(tools_python())
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/ogc"))
        .arg(&token)
        .arg(RecordId::derived("street/前进大街").to_string())
        .output()
        .unwrap();
    crate::support::succeeded(&out);
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["created_etag"], "\"1\"");
    assert_eq!(done["updated_etag"], "\"2\"");
    assert_eq!(done["stale"], "stale_version");
    assert_eq!(done["after_delete"], "gone");
    let registry = db.registry().await;
    assert_eq!(
        registry.current().count(diming::model::Layer::DoorPlate),
        3202
    );
}

fn enc(s: &str) -> String {
    // Percent-encodes a filter for a query string.
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn cql2_filters_select_records_and_refuse_everything_else_with_the_position() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let count = |collection: &str, filter: &str, lang: &str| {
        let uri = format!(
            "/ogc/collections/{collection}/items?limit=10000&filter-lang={lang}&filter={}",
            enc(filter)
        );
        let app = app.clone();
        let filter = filter.to_string();
        async move {
            let reply = get(&app, &uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{filter}: {}", reply.body);
            reply.json()["numberMatched"].as_u64().unwrap()
        }
    };
    let text = "cql2-text";
    // What the registry holds, counted by hand.
    let (mut arterial_or_secondary, mut ending_jie, mut lanes) = (0, 0, 0);
    for v in registry.current().layer(diming::model::Layer::Street) {
        if let diming::model::Body::Street(s) = &v.body {
            let class = s.class.as_str();
            arterial_or_secondary += u64::from(class == "arterial" || class == "secondary");
            lanes += u64::from(class == "lane");
            ending_jie += u64::from(s.name.ends_with('街'));
        }
    }
    assert_eq!(count("streets", "name = '建设街'", text).await, 1);
    assert_eq!(
        count("streets", "class IN ('arterial', 'secondary')", text).await,
        arterial_or_secondary
    );
    assert_eq!(count("streets", "name LIKE '%街'", text).await, ending_jie);
    assert_eq!(
        count("streets", "NOT (class = 'lane')", text).await,
        40 - lanes
    );
    let street = RecordId::derived("street/前进大街");
    assert_eq!(
        count(
            "door_plates",
            &format!("street = '{street}' AND number_value BETWEEN 1 AND 10"),
            text
        )
        .await,
        10
    );
    let boxed = count(
        "door_plates",
        "S_INTERSECTS(geometry, POLYGON((111.95 43.63, 111.97 43.63, 111.97 43.65, 111.95 43.65, 111.95 43.63)))",
        text,
    )
    .await;
    let by_bbox = get(
        &app,
        "/ogc/collections/door_plates/items?bbox=111.95,43.63,111.97,43.65&limit=1",
    )
    .await
    .json();
    assert_eq!(boxed, by_bbox["numberMatched"].as_u64().unwrap());
    let json = r#"{"op": "=", "args": [{"property": "name"}, "建设街"]}"#;
    assert_eq!(count("streets", json, "cql2-json").await, 1);

    // Unknown properties, unknown functions, bad syntax: 400, naming the fault and where.
    let refused = |collection: &str, filter: &str| {
        let uri = format!("/ogc/collections/{collection}/items?filter={}", enc(filter));
        let app = app.clone();
        let filter = filter.to_string();
        async move {
            let start = std::time::Instant::now();
            let reply = get(&app, &uri).await;
            assert!(
                start.elapsed() < std::time::Duration::from_secs(1),
                "{filter} took long"
            );
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{filter}: {}",
                reply.body
            );
            assert_eq!(reply.json()["field"], "filter");
            reply.json()["error"].as_str().unwrap().to_string()
        }
    };
    let e = refused("streets", "colour = 'red'").await;
    assert!(
        e.contains("colour") && e.contains("第 1 个字符处") && e.contains("可查询"),
        "{e}"
    );
    let e = refused("streets", "name = '建设街' AND password = 'x'").await;
    assert!(
        e.contains("password") && e.contains("第 18 个字符处"),
        "{e}"
    );
    let e = refused("streets", "name = ").await;
    assert!(e.contains("无法解析"), "{e}");
    // An injection set: none of it is SQL here, and none of it passes.
    for attack in [
        "name = 'a'; DROP TABLE streets",
        "name = 'a' -- comment",
        "name = 'a' /* comment */",
        "name = 'a' UNION SELECT * FROM users",
        "pg_sleep(10) = 1",
        "name = 'x' OR pg_sleep(10) = 1",
        "\"name; DROP TABLE streets\" = 'x'",
        "\"1=1) OR (1\" = 1",
        "1=1; SELECT 1",
    ] {
        refused("streets", attack).await;
    }
    assert_eq!(registry.current().count(diming::model::Layer::Street), 40);
    // Queryables say what may be named.
    let q = get(&app, "/ogc/collections/streets/queryables").await;
    assert_eq!(q.headers["content-type"], "application/schema+json");
    assert!(
        q.json()["properties"]["class"].is_object()
            && q.json()["properties"]["geometry"].is_object()
    );
}
