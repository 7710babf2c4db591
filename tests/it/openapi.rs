//! The OpenAPI document matches what the server does: every operation it lists answers with
//! a status it documents and a body its schema accepts; schemathesis (PyPI) fuzzes it against
//! a running server and finds no server error and no schema violation.

use crate::support::{TestDb, both_stores, call, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::record::RecordId;
use serde_json::{Value, json};
use std::sync::Arc;

/// Checks `value` against the parts of JSON Schema the document uses.
fn validate(doc: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return validate(doc, &doc["components"]["schemas"][name], value, path);
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        return Err(format!("{path}: {value} is not {c}"));
    }
    if let Some(e) = schema["enum"].as_array()
        && !e.contains(value)
    {
        return Err(format!("{path}: {value} not in {e:?}"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !ok {
            return Err(format!("{path}: {actual} is not {types:?}"));
        }
    }
    if let (Some(required), Value::Object(map)) = (schema["required"].as_array(), value) {
        for r in required {
            let key = r.as_str().unwrap();
            if !map.contains_key(key) {
                return Err(format!("{path}: missing {key}"));
            }
        }
    }
    if let (Some(props), Value::Object(map)) = (schema["properties"].as_object(), value) {
        for (k, s) in props {
            if let Some(v) = map.get(k) {
                validate(doc, s, v, &format!("{path}.{k}"))?;
            }
        }
    }
    if let (Some(items), Value::Array(vs)) = (schema.get("items"), value) {
        for (i, v) in vs.iter().enumerate() {
            validate(doc, items, v, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

both_stores!(
    every_documented_operation_answers_as_documented,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let token = officer(&registry, "管理员", Role::Admin).await;
        let doc = send(&app, request("GET", "/api/openapi.json", None, None), None)
            .await
            .json();
        assert_eq!(doc["openapi"], "3.1.0");
        let campaign = registry
            .create_campaign(
                "文档整编",
                vec![RecordId::derived("street/团结大街")],
                "测试",
                chrono::Local::now().date_naive(),
            )
            .await
            .unwrap();
        let first_line = match &registry.current().get(&campaign).unwrap().body {
            diming::model::Body::Campaign(c) => (c.lines[0].plate, c.lines[0].old.to_string()),
            _ => unreachable!(),
        };
        // A changeset to undo through the API.
        let to_revert = {
            let plate = RecordId::derived("door/前进大街/5");
            let v = registry.current().get(&plate).unwrap().clone();
            let mut body = v.body.clone();
            if let diming::model::Body::DoorPlate(d) = &mut body {
                d.kind = diming::addresses::PlateKind::DoorSmall;
            }
            let mut cs = diming::model::Changeset::new("测试", "换小门牌");
            cs.push(diming::model::Write::Update {
                id: plate,
                base_version: v.version,
                valid_from: v.valid_from,
                body,
                geometry: v.geometry.clone(),
            });
            registry.commit(cs).await.unwrap()
        };
        // A dispute to move on and to draw: the sumu claims a strip of the town's west edge.
        let dispute = {
            use diming::boundaries::dispute::Party;
            let unit = |code: &str| {
                registry
                    .current()
                    .layer(diming::model::Layer::AdminUnit)
                    .find(|v| matches!(&v.body, diming::model::Body::AdminUnit(u) if u.code.short() == code))
                    .unwrap()
                    .geometry
                    .clone()
            };
            let strip = geo::Rect::new((111.930, 43.630), (111.939, 43.670)).to_polygon();
            let parties = vec![
                Party {
                    code: "152501200".into(),
                    name: "格日勒敖都苏木".into(),
                    claim: diming::spatial::geojson::from_geo(&geo::Geometry::Polygon(strip)),
                },
                Party {
                    code: "152501400".into(),
                    name: "二连浩特市社区建设管理局".into(),
                    claim: diming::spatial::geojson::from_geo(&unit("152501400")),
                },
            ];
            let filed = "2026-03-01".parse().unwrap();
            registry
                .file_dispute("测试", "西界争议", parties, Vec::new(), filed)
                .await
                .unwrap()
                .0
        };
        let street = RecordId::derived("street/前进大街");
        let plate = RecordId::derived("door/前进大街/3");
        let (_, street_feature) = crate::support::editable(&registry, street);
        let photo = {
            let img = image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3]));
            let mut out = Vec::new();
            img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .unwrap();
            out
        };
        let photo_sha = diming::store::attachments::digest(&photo);
        // A gazetteer build to follow (it runs in the background).
        let job = {
            let body = json!({ "paper": "16k" });
            let started = send(
                &app,
                request(
                    "POST",
                    "/api/gazetteer/editions",
                    Some(&token),
                    Some(body.clone()),
                ),
                Some(body),
            )
            .await;
            assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
            started.json()["job"].as_str().unwrap().to_string()
        };
        let geojson = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"文档巷","class":"lane"},"geometry":{"type":"LineString","coordinates":[[111.9605,43.6305],[111.9625,43.6305]]}}]}"#.as_bytes().to_vec();
        // One realistic call per documented operation, in an order where writes do not
        // disturb later calls.
        let calls: Vec<(&str, String, Option<Value>, Option<&str>)> = vec![
            ("get", "/api/layers".into(), None, None),
            ("get", "/api/boundaries/check".into(), None, None),
            ("get", format!("/api/gazetteer/jobs/{job}"), None, None),
            (
                "post",
                "/api/gazetteer/editions".into(),
                Some(json!({ "paper": "a4" })),
                None,
            ),
            (
                "get",
                "/api/layers/streets?bbox=111.9,43.6,112.1,43.7".into(),
                None,
                None,
            ),
            ("get", "/api/layers/plots/schema".into(), None, None),
            (
                "get",
                "/api/layers/streets/rows?q=%E8%B7%AF&sort=%E9%81%93%E8%B7%AF%E7%AD%89%E7%BA%A7&desc=true&limit=5".into(),
                None,
                None,
            ),
            ("get", format!("/api/streets/{street}/plates"), None, None),
            ("get", format!("/api/records/{street}"), None, None),
            ("get", format!("/api/records/{street}/history"), None, None),
            (
                "get",
                "/api/units/at?lon=111.9701&lat=43.6452".into(),
                None,
                None,
            ),
            (
                "get",
                "/api/reverse?lon=111.9701&lat=43.6452".into(),
                None,
                None,
            ),
            ("get", "/api/search?q=qianjin".into(), None, None),
            (
                "get",
                "/api/names/check?name=%E6%9B%BC%E5%93%88%E9%A1%BF".into(),
                None,
                None,
            ),
            (
                "get",
                format!("/api/numbering/suggest?street={street}&lon=111.9701&lat=43.6452"),
                None,
                None,
            ),
            (
                "get",
                "/api/layers/streets/export?format=geojson".into(),
                None,
                None,
            ),
            ("get", "/api/openapi.json".into(), None, None),
            ("get", "/api/changesets?layer=streets".into(), None, None),
            (
                "post",
                format!("/api/changesets/{}/revert", to_revert.0),
                Some(json!({ "reason": "换错了" })),
                None,
            ),
            (
                "post",
                "/api/layers/streets/items".into(),
                Some(json!({ "reason": "文档", "feature": {
                "type": "Feature", "geometry": { "type": "LineString", "coordinates": [[111.9605, 43.6395], [111.9625, 43.6395]] },
                "properties": { "name": "文档一巷", "class": "lane", "naming": { "status": "proposed" } } } })),
                None,
            ),
            (
                "put",
                format!("/api/records/{street}"),
                Some(json!({ "reason": "文档", "feature": street_feature })),
                Some("\"1\""),
            ),
            (
                "post",
                "/api/changesets/check".into(),
                Some(json!({ "reason": "文档", "writes": [
                { "op": "retire", "id": plate, "if_match": 1 } ] })),
                None,
            ),
            (
                "post",
                "/api/changesets".into(),
                Some(json!({ "reason": "文档", "writes": [
                { "op": "retire", "id": plate, "if_match": 1 } ] })),
                None,
            ),
            (
                "delete",
                format!("/api/records/{street}"),
                Some(json!({ "reason": "文档" })),
                Some("\"2\""),
            ),
            (
                "post",
                "/api/campaigns".into(),
                Some(
                    json!({ "name": "胜利街整编", "streets": [RecordId::derived("street/胜利街")] }),
                ),
                None,
            ),
            (
                "post",
                format!("/api/campaigns/{campaign}/pins"),
                Some(json!({ "pins": [{ "plate": first_line.0, "number": first_line.1 }] })),
                None,
            ),
            (
                "post",
                format!("/api/campaigns/{campaign}/approve"),
                Some(
                    json!({ "document": { "issuer": "二连浩特市人民政府", "number": "二政字〔2026〕9号", "date": "2026-11-20" } }),
                ),
                None,
            ),
            (
                "post",
                format!("/api/campaigns/{campaign}/apply"),
                Some(json!({})),
                None,
            ),
            (
                "post",
                "/api/layers/streets/import?filename=a.geojson&dry_run=true".into(),
                None,
                None,
            ),
            ("get", "/api/signs/check?findings=1".into(), None, None),
            ("get", "/api/signs/report".into(), None, None),
            (
                "get",
                "/api/cemetery/stats?from=2016&to=2020&reported=2016-2020:51.8%25".into(),
                None,
                None,
            ),
            (
                "post",
                "/api/markers/JZ-003/observations".into(),
                Some(
                    serde_json::json!({ "lon": 111.935, "lat": 43.640, "state": "intact", "date": "2026-11-20" }),
                ),
                None,
            ),
            (
                "post",
                format!("/api/disputes/{dispute}/steps"),
                Some(json!({ "status": "consultation", "date": "2026-03-10", "note": "文档" })),
                Some("\"1\""),
            ),
            (
                "get",
                format!("/api/disputes/{dispute}/map.pdf"),
                None,
                None,
            ),
            ("post", "/api/attachments".into(), None, None),
            (
                "post",
                format!(
                    "/api/signs/{}/inspections",
                    RecordId::derived("sign/DX-004")
                ),
                Some(
                    json!({ "condition": "dirty", "notes": "文档", "photos": [photo_sha.clone()] }),
                ),
                Some("\"1\""),
            ),
            ("get", "/api/work-orders".into(), None, None),
            (
                "post",
                "/api/work-orders".into(),
                Some(
                    json!({ "sign": "DX-004", "kind": "repair", "reason": "文档", "cost_fen": 50000 }),
                ),
                None,
            ),
            (
                "post",
                "/api/work-orders/from-findings".into(),
                Some(json!({})),
                None,
            ),
            (
                "patch",
                format!(
                    "/api/work-orders/{}",
                    RecordId::derived("work-order/DX-003")
                ),
                Some(json!({ "status": "cancelled" })),
                Some("\"1\""),
            ),
            // Last: its area is frozen from then on.
            (
                "post",
                "/api/disputes".into(),
                Some(
                    json!({ "title": "文档争议", "filed": "2026-03-01", "parties": [
                    { "code": "152501200", "claim": { "type": "Polygon", "coordinates": [[[111.930, 43.630], [111.939, 43.630], [111.939, 43.670], [111.930, 43.670], [111.930, 43.630]]] } },
                    { "code": "152501400", "claim": { "type": "Polygon", "coordinates": [[[111.935, 43.630], [111.945, 43.630], [111.945, 43.670], [111.935, 43.670], [111.935, 43.630]]] } }
                ] }),
                ),
                None,
            ),
        ];
        let mut covered = std::collections::BTreeSet::new();
        for (method, uri, body, if_match) in calls {
            let path = uri.split('?').next().unwrap().to_string();
            let template = doc["paths"]
                .as_object()
                .unwrap()
                .keys()
                .find(|t| {
                    let a: Vec<&str> = t.split('/').collect();
                    let b: Vec<&str> = path.split('/').collect();
                    a.len() == b.len()
                        && a.iter().zip(&b).all(|(x, y)| x.starts_with('{') || x == y)
                })
                .unwrap_or_else(|| panic!("{path} is not documented"))
                .clone();
            covered.insert(format!("{method} {template}"));
            let operation = &doc["paths"][&template][method];
            assert!(
                operation.is_object(),
                "{method} {template} is not documented"
            );
            let mut b = request(&method.to_uppercase(), &uri, Some(&token), body.clone());
            if let Some(m) = if_match {
                b = b.header("if-match", m);
            }
            let reply = if template == "/api/attachments" {
                call(
                    &app,
                    b.header("content-type", "image/png")
                        .body(axum::body::Body::from(photo.clone()))
                        .unwrap(),
                )
                .await
            } else if template.ends_with("/import") {
                call(
                    &app,
                    b.header("content-type", "application/octet-stream")
                        .body(axum::body::Body::from(geojson.clone()))
                        .unwrap(),
                )
                .await
            } else {
                send(&app, b, body).await
            };
            let status = reply.status.as_u16().to_string();
            let documented = &operation["responses"][&status];
            assert!(
                documented.is_object(),
                "{method} {uri} answered {status}, not documented: {}",
                reply.body
            );
            assert!(
                reply.status.is_success(),
                "{method} {uri}: {} {}",
                reply.status,
                reply.body
            );
            if let Some(schema) = documented["content"]["application/json"].get("schema") {
                validate(&doc, schema, &reply.json(), &format!("{method} {uri}"))
                    .unwrap_or_else(|e| panic!("{e}\n{}", reply.body));
            }
        }
        // Every documented operation was called.
        for (template, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                assert!(
                    covered.contains(&format!("{method} {template}")),
                    "{method} {template} was not tried"
                );
            }
        }
        // Errors are JSON with a code and a Chinese message, as documented.
        let reply = send(
            &app,
            request("GET", "/api/layers/streets?as_of=yesterday", None, None),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json()["field"], "as_of");
        validate(
            &doc,
            &json!({ "$ref": "#/components/schemas/Error" }),
            &reply.json(),
            "error",
        )
        .unwrap();
        let reply = send(
            &app,
            request("GET", "/api/records/not-an-id", None, None),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json()["code"], "bad_request");
    }
);

fn schemathesis() -> std::path::PathBuf {
    let tools = std::env::var("DIMING_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/diming")
        });
    let bin = tools.join("venv/bin/schemathesis");
    assert!(
        bin.exists(),
        "schemathesis is missing at {}: run .ci/install (it installs it from PyPI)",
        bin.display()
    );
    bin
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    run_schemathesis("/api/openapi.json").await;
}

/// The OGC API's own description (`/ogc/api`, its service-desc): schemathesis calls every
/// operation, reads and writes, with filters, CRSs and ids it makes up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_in_the_ogc_api() {
    run_schemathesis("/ogc/api").await;
}

async fn run_schemathesis(schema: &str) {
    let bin = schemathesis();
    let db = TestDb::sqlite().await;
    let token = {
        let registry = db.registry().await;
        load_demo(&registry).await;
        officer(&registry, "fuzz", Role::Admin).await
    };
    let (_server, port) = crate::browser::serve_free(db.url());
    let report = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("timeout")
        .arg("600")
        .arg(bin)
        .args([
            "run",
            &format!("http://127.0.0.1:{port}{schema}"),
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            "30",
            // Each gazetteer build typesets the whole book in the background: called once by
            // the test above, not thirty times here.
            "--exclude-path",
            "/api/gazetteer/editions",
            "--seed",
            "20261129",
            "--header",
            &format!("Authorization: Bearer {token}"),
            "--report-dir",
            report.path().to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        // Its cache goes into the test's own folder, not the clone.
        .current_dir(report.path())
        .output()
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("15 passed") || text.contains("passed"),
        "{text}"
    );
}
