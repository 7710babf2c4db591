//! The map editor's forms come from the layers' schemas (`/api/layers/{table}/schema`): a form
//! filled from a schema is read by the registry's own types, with every choice it offers; the
//! schema names every attribute the layer's records show; only those who may see a layer get
//! its form.

use crate::support::{TestDb, both_stores, call, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::forms::DRAWN;
use diming::model::{Body, Layer};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Attributes a layer shows that are not typed into its form: set by the registry or by
/// their own tools (photos, renewals, the zones a grave lies in, the sign's measured layout,
/// the street's numbering overrides, the source of the record).
const NOT_IN_FORMS: &[&str] = &[
    "source",
    "photos",
    "renewals",
    "period",
    "zones",
    "moved_to",
    "burial",
    "layout",
    "numbering",
];

/// A value for every field of `schema` (`all`: optional ones too), references taken from
/// `ids` (a layer's table → an id of one of its records).
fn fill(schema: &Value, all: bool, ids: &dyn Fn(&str) -> String) -> Value {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut out = Map::new();
    for (key, s) in schema["properties"].as_object().unwrap() {
        if !all && !required.contains(&key.as_str()) {
            continue;
        }
        let value = if let Some(choices) = s["oneOf"].as_array() {
            choices[0]["const"].clone()
        } else if let Some(layer) = s["x-layer"].as_str() {
            json!(ids(layer))
        } else if let Some(layers) = s["items"]["x-layer"].as_array() {
            json!([ids(layers[0].as_str().unwrap())])
        } else if let Some(e) = s["examples"].as_array() {
            e[0].clone()
        } else {
            match (
                s["type"].as_str(),
                s["format"].as_str(),
                s["pattern"].as_str(),
            ) {
                (Some("object"), _, _) => fill(s, all, ids),
                (_, Some("date"), _) => json!("2026-12-01"),
                (Some("integer"), _, _) => json!(600),
                (Some("number"), _, _) => json!(12.5),
                (Some("boolean"), _, _) => json!(true),
                (_, _, Some("^[0-9]{12}$")) => json!("152501001001"),
                (_, _, Some(p)) => panic!("no example for the pattern {p} of {key}"),
                _ if key.contains("phone") => json!("13847901234"),
                _ => json!("表单测试"),
            }
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

/// Every (path, value) of the choices in `schema`, nested objects included.
fn choices(schema: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    for (key, s) in schema["properties"].as_object().unwrap() {
        if let Some(cs) = s["oneOf"].as_array() {
            for c in cs {
                out.push((format!("{prefix}{key}"), c["const"].clone()));
            }
        } else if s["type"] == "object" {
            choices(s, &format!("{prefix}{key}."), out);
        }
    }
}

fn set(properties: &mut Value, path: &str, value: Value) {
    let mut at = properties;
    let keys: Vec<&str> = path.split('.').collect();
    for k in &keys[..keys.len() - 1] {
        at = &mut at[*k];
    }
    at[keys[keys.len() - 1]] = value;
}

/// The body the registry reads from a form's properties (as the API does: the layer's tag,
/// the source of an officer's edit).
fn read(layer: Layer, properties: &Value) -> Result<Body, String> {
    let mut p = properties.clone();
    p["layer"] = json!(layer);
    p["source"] = json!("survey");
    serde_json::from_value(p).map_err(|e| e.to_string())
}

both_stores!(
    forms_from_the_schemas_are_read_by_the_registry,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let admin = officer(&registry, "管理员", Role::Admin).await;
        // One record of every layer drawn or referenced (read before any await: the
        // registry's state is behind a lock).
        let (firsts, records) = {
            let current = registry.current();
            let firsts: std::collections::HashMap<&str, String> = Layer::ALL
                .iter()
                .filter_map(|l| Some((l.table(), current.layer(*l).next()?.id.to_string())))
                .collect();
            let records: Vec<_> = DRAWN
                .iter()
                .map(|l| current.layer(*l).next().unwrap().clone())
                .collect();
            (firsts, records)
        };
        let ids = |table: &str| {
            firsts
                .get(table)
                .unwrap_or_else(|| panic!("the demo has no {table}"))
                .clone()
        };
        for (layer, record) in DRAWN.into_iter().zip(&records) {
            let table = layer.table();
            let reply = send(
                &app,
                request(
                    "GET",
                    &format!("/api/layers/{table}/schema"),
                    Some(&admin),
                    None,
                ),
                None,
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{table}: {}", reply.body);
            let schema = reply.json();
            let properties = schema["properties"].as_object().unwrap();
            let order: Vec<&str> = schema["x-order"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(order.len(), properties.len(), "{table}: x-order");
            for k in properties.keys() {
                assert!(order.contains(&k.as_str()), "{table}: {k} not in x-order");
                assert!(
                    properties[k]["title"]
                        .as_str()
                        .is_some_and(|t| !t.is_ascii()),
                    "{table}: {k} has no Chinese title"
                );
            }

            // The required fields alone, and every field: both read by the layer's type.
            let least = fill(&schema, false, &ids);
            read(layer, &least).unwrap_or_else(|e| panic!("{table}, required fields: {e}"));
            let most = fill(&schema, true, &ids);
            read(layer, &most).unwrap_or_else(|e| panic!("{table}, every field: {e}"));
            // Every choice the form offers.
            let mut all = Vec::new();
            choices(&schema, "", &mut all);
            assert!(!all.is_empty(), "{table} offers no choice");
            for (path, value) in all {
                let mut p = most.clone();
                set(&mut p, &path, value.clone());
                read(layer, &p).unwrap_or_else(|e| panic!("{table}: {path} = {value}: {e}"));
            }
            // A required field left out is refused by the type too (the form marks it).
            if let Some(first) = schema["required"][0].as_str() {
                let mut p = least.clone();
                p.as_object_mut().unwrap().remove(first);
                if first != "naming" {
                    assert!(read(layer, &p).is_err(), "{table}: {first} is not required");
                }
            }

            // Every attribute a record of the layer shows is in the form, or set otherwise.
            let shown = send(
                &app,
                request(
                    "GET",
                    &format!("/api/records/{}", record.id),
                    Some(&admin),
                    None,
                ),
                None,
            )
            .await
            .json();
            let read_only: Vec<&str> = diming::web::READ_ONLY.to_vec();
            for key in shown["properties"].as_object().unwrap().keys() {
                assert!(
                    properties.contains_key(key)
                        || read_only.contains(&key.as_str())
                        || NOT_IN_FORMS.contains(&key.as_str()),
                    "{table}: the attribute {key} is in no form"
                );
            }

            // Through the server's check (the rules of saving, nothing written): the filled
            // form is read; points and lines drawn in the city pass.
            let geometry = match layer.geometry_kind() {
                diming::model::GeometryKind::MultiLineString => {
                    json!({ "type": "LineString", "coordinates": [[111.9700, 43.6600], [111.9712, 43.6601]] })
                }
                diming::model::GeometryKind::MultiPolygon => {
                    let g = geojson::Geometry::from(&record.geometry);
                    serde_json::to_value(g).unwrap()
                }
                _ => json!({ "type": "Point", "coordinates": [111.9706, 43.6605] }),
            };
            let body = json!({ "reason": "表单检查", "writes": [{ "op": "create", "layer": table,
                "feature": { "type": "Feature", "geometry": geometry, "properties": most } }] });
            let reply = send(
                &app,
                request(
                    "POST",
                    "/api/changesets/check",
                    Some(&admin),
                    Some(body.clone()),
                ),
                Some(body),
            )
            .await;
            let v = reply.json();
            assert!(
                !(v["code"] == "invalid"
                    && v["field"]
                        .as_str()
                        .is_some_and(|f| f.contains(".properties"))),
                "{table}: {}",
                reply.body
            );
            if matches!(
                layer,
                Layer::Street | Layer::Place | Layer::Sign | Layer::Grave
            ) {
                assert_eq!(reply.status, StatusCode::OK, "{table}: {}", reply.body);
            }
        }

        // A layer without a form, an unknown layer, and a layer the caller may not see: 404.
        for (uri, token) in [
            ("/api/layers/burials/schema", Some(admin.as_str())),
            ("/api/layers/nothing/schema", Some(admin.as_str())),
            ("/api/layers/graves/schema", None),
        ] {
            let reply = call(
                &app,
                request("GET", uri, token, None)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}: {}", reply.body);
        }
    }
);

/// Each form as the map editor receives it, as a reviewed snapshot: a field, a label or a
/// choice that changes shows as a diff (`tests/it/snapshots/`, `cargo insta review`).
#[test]
fn every_form_matches_its_snapshot() {
    for layer in DRAWN {
        let schema = diming::forms::schema(layer).expect("a drawn layer has a form");
        insta::assert_json_snapshot!(format!("form-{}", layer.table()), schema);
    }
}
