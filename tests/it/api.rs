//! Writes through the JSON API: versions named by If-Match (428, 412), bodies checked field
//! by field, invalid geometry refused with its location, all-or-nothing changesets.

use crate::support::{TestDb, both_stores, editable, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::model::Layer;
use diming::record::RecordId;
use serde_json::{Value, json};
use std::sync::Arc;

both_stores!(
    updates_name_their_version_and_stale_ones_change_nothing,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let token = officer(&registry, "王芳", Role::NamesOfficer).await;
        let id = RecordId::derived("door/前进大街/1");
        let (version, mut feature) = editable(&registry, id);
        feature["properties"]["kind"] = json!("door_small");
        let body = json!({ "reason": "更换为小门牌", "feature": feature });
        let uri = format!("/api/records/{id}");
        let put = |if_match: Option<&str>| {
            let b = request("PUT", &uri, Some(&token), Some(body.clone()));
            match if_match {
                Some(m) => b.header("if-match", m),
                None => b,
            }
        };

        // No If-Match: 428, with the field named.
        let reply = send(&app, put(None), Some(body.clone())).await;
        assert_eq!(
            reply.status,
            StatusCode::PRECONDITION_REQUIRED,
            "{}",
            reply.body
        );
        assert_eq!(reply.json()["code"], "if_match_required");
        assert_eq!(reply.json()["field"], "If-Match");
        // A version that is not current: 412, and nothing changes.
        let reply = send(&app, put(Some("\"7\"")), Some(body.clone())).await;
        assert_eq!(
            reply.status,
            StatusCode::PRECONDITION_FAILED,
            "{}",
            reply.body
        );
        assert_eq!(reply.json()["code"], "stale_version");
        assert_eq!(registry.history(id).await.unwrap().len(), 1);
        // The current version: the next version, with its ETag.
        let reply = send(
            &app,
            put(Some(&format!("\"{version}\""))),
            Some(body.clone()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.headers["etag"], format!("\"{}\"", version + 1));
        assert_eq!(reply.json()["properties"]["kind"], "door_small");
        // The same request again is now stale.
        let reply = send(
            &app,
            put(Some(&format!("\"{version}\""))),
            Some(body.clone()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(registry.history(id).await.unwrap().len(), 2);

        // Retiring is a version too; the record leaves the current state, its history stays.
        let retire = json!({ "reason": "房屋拆除" });
        let reply = send(
            &app,
            request("DELETE", &uri, Some(&token), Some(retire.clone()))
                .header("if-match", format!("\"{}\"", version + 1)),
            Some(retire),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(registry.current().get(&id).is_none());
        let history = registry.history(id).await.unwrap();
        assert_eq!(history.len(), 3);
        assert!(history[2].retired);
    }
);

both_stores!(a_changeset_is_all_or_nothing, |db: TestDb| async move {
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let token = officer(&registry, "王芳", Role::NamesOfficer).await;
    let street = RecordId::derived("street/前进大街");
    let new_plate = |number: &str| {
        json!({ "op": "create", "layer": "door_plates", "feature": {
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [111.9701, 43.6452] },
            "properties": { "street": street, "number": number }
        }})
    };
    let plate = RecordId::derived("door/前进大街/1");
    let (version, feature) = editable(&registry, plate);
    let plates = registry.current().count(Layer::DoorPlate);

    // A create and a stale update: refused together.
    let body = json!({ "reason": "补编附号", "writes": [
        new_plate("1附1"),
        { "op": "update", "id": plate, "if_match": version + 5, "feature": feature },
    ]});
    let reply = send(
        &app,
        request("POST", "/api/changesets", Some(&token), Some(body.clone())),
        Some(body),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        reply.body
    );
    assert_eq!(registry.current().count(Layer::DoorPlate), plates);
    // An update without its version: 428, nothing written.
    let body = json!({ "reason": "补编附号", "writes": [
        new_plate("1附1"),
        { "op": "update", "id": plate, "feature": feature },
    ]});
    let reply = send(
        &app,
        request("POST", "/api/changesets", Some(&token), Some(body.clone())),
        Some(body),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::PRECONDITION_REQUIRED,
        "{}",
        reply.body
    );
    assert_eq!(registry.current().count(Layer::DoorPlate), plates);
    // Both right: both written, in one changeset.
    let body = json!({ "reason": "补编附号", "writes": [
        new_plate("1附1"),
        { "op": "update", "id": plate, "if_match": version, "feature": feature },
    ]});
    let reply = send(
        &app,
        request("POST", "/api/changesets", Some(&token), Some(body.clone())),
        Some(body),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["records"].as_array().unwrap().len(), 2);
    assert_eq!(registry.current().count(Layer::DoorPlate), plates + 1);
    let cs: diming::record::ChangesetId =
        serde_json::from_value(answer["changeset"].clone()).unwrap();
    assert_eq!(
        registry
            .store()
            .changeset(cs)
            .await
            .unwrap()
            .unwrap()
            .writes,
        2
    );
});

#[tokio::test]
async fn bodies_are_checked_field_by_field() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let token = officer(&registry, "王芳", Role::NamesOfficer).await;
    let admin = officer(&registry, "管理员", Role::Admin).await;
    let id = RecordId::derived("street/前进大街");
    let (version, feature) = editable(&registry, id);
    let uri = format!("/api/records/{id}");
    let put = |body: &Value, token: &str| {
        request("PUT", &uri, Some(token), Some(body.clone()))
            .header("if-match", format!("\"{version}\""))
    };

    // Nobody sets the version, the author or the recording time through a body.
    let mut f = feature.clone();
    f["properties"]["version"] = json!(99);
    let body = json!({ "reason": "x", "feature": f });
    let reply = send(&app, put(&body, &token), Some(body)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["code"], "invalid_body");
    assert_eq!(reply.json()["field"], "feature.properties.version");
    let body = json!({ "reason": "x", "author": "别人", "feature": feature });
    let reply = send(&app, put(&body, &token), Some(body)).await;
    assert_eq!(reply.json()["field"], "author", "{}", reply.body);
    // A value outside the schema names its field.
    let mut f = feature.clone();
    f["properties"]["class"] = json!("motorway");
    let body = json!({ "reason": "x", "feature": f });
    let reply = send(&app, put(&body, &token), Some(body)).await;
    assert_eq!(
        reply.json()["field"],
        "feature.properties.class",
        "{}",
        reply.body
    );
    // Renaming needs the approval document.
    let mut f = feature.clone();
    f["properties"]["name"] = json!("新前进大街");
    let body = json!({ "reason": "更名", "feature": f });
    let reply = send(&app, put(&body, &token), Some(body)).await;
    assert_eq!(reply.json()["field"], "document", "{}", reply.body);
    // A self-crossing unit outline: refused with the place of the crossing.
    let unit = registry
        .current()
        .layer(Layer::AdminUnit)
        .last()
        .unwrap()
        .id;
    let (unit_version, mut unit_feature) = editable(&registry, unit);
    unit_feature["geometry"] = json!({ "type": "MultiPolygon", "coordinates": [[[
        [111.95, 43.62], [111.99, 43.66], [111.99, 43.62], [111.95, 43.66], [111.95, 43.62]
    ]]]});
    let body = json!({ "reason": "x", "feature": unit_feature });
    let reply = crate::support::put_record(&app, &admin, unit, unit_version, body).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["code"], "invalid_geometry");
    let at = reply.json()["location"]["coordinates"].clone();
    assert!((at[0].as_f64().unwrap() - 111.97).abs() < 1e-9, "{at}");
    // Not JSON, or too large.
    let reply = send(
        &app,
        request("PUT", &uri, Some(&token), None)
            .header("if-match", "\"1\"")
            .header("content-type", "text/plain"),
        None,
    )
    .await;
    assert_eq!(reply.json()["field"], "Content-Type");
    let huge = json!({ "reason": "x".repeat(5 * 1024 * 1024), "feature": feature });
    let reply = send(&app, put(&huge, &token), Some(huge)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // After all that, the street is as it was.
    assert_eq!(registry.current().get(&id).unwrap().version, version);
}

both_stores!(
    a_renumbering_campaign_goes_from_draft_to_applied_through_the_api,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let token = officer(&registry, "王芳", Role::NamesOfficer).await;
        let viewer = officer(&registry, "赵查看", Role::Viewer).await;
        let street = RecordId::derived("street/团结大街");
        let post = |uri: String, token: String, body: Value| {
            let app = app.clone();
            async move {
                send(
                    &app,
                    request("POST", &uri, Some(&token), Some(body.clone())),
                    Some(body),
                )
                .await
            }
        };
        let new = json!({ "name": "团结大街门牌整编", "streets": [street] });
        let reply = post("/api/campaigns".into(), viewer.clone(), new.clone()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = post("/api/campaigns".into(), token.clone(), new).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let campaign = reply.json();
        let id = campaign["id"].as_str().unwrap().to_string();
        assert_eq!(campaign["properties"]["status"], "draft");
        let lines = campaign["properties"]["lines"].as_array().unwrap().clone();
        assert!(
            lines.iter().any(|l| l["old"] != l["new"]),
            "the planted duplicate changes"
        );

        // The officer's page shows the campaign to review.
        let page = send(
            &app,
            request(
                "GET",
                &format!("/numbering?street={street}&campaign={id}"),
                Some(&token),
                None,
            ),
            None,
        )
        .await;
        assert!(
            page.body
                .contains("团结大街门牌整编：<strong>方案草拟</strong>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("id=\"pin\""));

        // Pin the first plate to its old number; the rest re-flows around it.
        let first = &lines[0];
        let pins = json!({ "pins": [{ "plate": first["plate"], "number": first["old"] }] });
        let reply = post(format!("/api/campaigns/{id}/pins"), token.clone(), pins).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let reviewed = reply.json();
        assert_eq!(reviewed["properties"]["status"], "reviewed");
        let pinned = reviewed["properties"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["plate"] == first["plate"])
            .unwrap()
            .clone();
        assert_eq!(
            (pinned["new"].clone(), pinned["pinned"].clone()),
            (first["old"].clone(), json!(true))
        );
        let bad = json!({ "pins": [{ "plate": first["plate"], "number": "七号" }] });
        let reply = post(format!("/api/campaigns/{id}/pins"), token.clone(), bad).await;
        assert_eq!(reply.json()["field"], "pins[0].number", "{}", reply.body);

        // Applying before approval is refused; approved, it writes the new numbers.
        let reply = post(
            format!("/api/campaigns/{id}/apply"),
            token.clone(),
            json!({}),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let approval = json!({ "document": { "issuer": "二连浩特市人民政府", "number": "二政字〔2026〕8号", "date": "2026-11-20" } });
        let reply = post(
            format!("/api/campaigns/{id}/approve"),
            token.clone(),
            approval,
        )
        .await;
        assert_eq!(
            reply.json()["properties"]["status"],
            "approved",
            "{}",
            reply.body
        );
        let reply = post(
            format!("/api/campaigns/{id}/apply"),
            token.clone(),
            json!({}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let applied = reply.json();
        assert_eq!(applied["properties"]["status"], "applied");
        let current = registry.current();
        for l in applied["properties"]["lines"].as_array().unwrap() {
            let plate: RecordId = serde_json::from_value(l["plate"].clone()).unwrap();
            assert_eq!(
                current.get(&plate).unwrap().body.title(),
                l["new"].as_str().unwrap(),
                "the registry has the campaign's numbers"
            );
        }
    }
);

#[tokio::test]
async fn layers_page_with_limit_and_offset_in_a_stable_order() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let mut seen = std::collections::BTreeSet::new();
    let mut next = Some("/api/layers/door_plates?limit=1000".to_string());
    let mut pages = 0;
    while let Some(uri) = next {
        let page = send(&app, request("GET", &uri, None, None), None)
            .await
            .json();
        assert_eq!(page["numberMatched"], 3202);
        for f in page["features"].as_array().unwrap() {
            assert!(
                seen.insert(f["id"].as_str().unwrap().to_string()),
                "pages overlap"
            );
        }
        next = page["links"][0]["href"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!((pages, seen.len()), (4, 3202));
    let last = send(
        &app,
        request(
            "GET",
            "/api/layers/door_plates?limit=1000&offset=3000",
            None,
            None,
        ),
        None,
    )
    .await
    .json();
    assert_eq!(last["numberReturned"], 202);
    assert!(last.get("links").is_none());
    let bad = send(
        &app,
        request("GET", "/api/layers/door_plates?limit=0", None, None),
        None,
    )
    .await;
    assert_eq!(bad.json()["field"], "limit");
    let bad = send(
        &app,
        request("GET", "/api/layers/door_plates?offset=-1", None, None),
        None,
    )
    .await;
    assert_eq!(bad.json()["field"], "offset", "{}", bad.body);
}

both_stores!(
    a_changeset_is_undone_by_a_new_one_unless_later_changes_depend_on_it,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let token = officer(&registry, "王芳", Role::NamesOfficer).await;
        let burial = officer(&registry, "李强", Role::BurialOfficer).await;
        let id = RecordId::derived("door/前进大街/1");
        let (version, mut feature) = editable(&registry, id);
        feature["properties"]["kind"] = json!("door_small");
        let body = json!({ "reason": "换小门牌", "feature": feature });
        let reply = crate::support::put_record(&app, &token, id, version, body).await;
        let changed = reply.json()["changeset"].as_str().unwrap().to_string();
        let revert = |cs: &str, token: &str| {
            let body = json!({ "reason": "换错了" });
            let uri = format!("/api/changesets/{cs}/revert");
            let app = app.clone();
            let token = token.to_string();
            async move {
                send(
                    &app,
                    request("POST", &uri, Some(&token), Some(body.clone())),
                    Some(body),
                )
                .await
            }
        };
        // Not the burial officer's layer.
        assert_eq!(
            revert(&changed, &burial).await.status,
            StatusCode::FORBIDDEN
        );
        let undone = revert(&changed, &token).await;
        assert_eq!(undone.status, StatusCode::CREATED, "{}", undone.body);
        let history = registry.history(id).await.unwrap();
        assert_eq!(
            history.len(),
            version as usize + 2,
            "undoing is a version too"
        );
        assert_eq!(
            history.last().unwrap().body,
            history[history.len() - 3].body
        );
        let summary = registry
            .store()
            .changeset(history.last().unwrap().changeset)
            .await
            .unwrap()
            .unwrap();
        assert!(summary.reason.starts_with("撤销变更集") && summary.author == "王芳");
        // The first change cannot be undone again: the undo changed the record after it.
        let refused = revert(&changed, &token).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert_eq!(refused.json()["code"], "revert_refused");
        assert_eq!(
            registry.history(id).await.unwrap().len(),
            version as usize + 2
        );
        // A created record is retired by the undo.
        let new = json!({ "reason": "新门牌", "feature": {
            "type": "Feature", "geometry": { "type": "Point", "coordinates": [111.9701, 43.6452] },
            "properties": { "street": RecordId::derived("street/前进大街"), "number": "1附7" } } });
        let created = send(
            &app,
            request(
                "POST",
                "/api/layers/door_plates/items",
                Some(&token),
                Some(new.clone()),
            ),
            Some(new),
        )
        .await;
        let new_id: RecordId = serde_json::from_value(created.json()["id"].clone()).unwrap();
        let cs = created.json()["changeset"].as_str().unwrap().to_string();
        assert_eq!(revert(&cs, &token).await.status, StatusCode::CREATED);
        assert!(registry.current().get(&new_id).is_none());
    }
);

both_stores!(
    the_editor_checks_a_change_before_saving_and_nothing_is_written,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let token = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let app = diming::web::app(registry.clone());
        let changesets = registry.store().changesets(1000).await.unwrap().len();
        let check = |writes: Value| check_writes(&app, &token, writes);
        // A street that would be accepted: 200, and nothing written.
        let street = json!({ "op": "create", "layer": "streets", "feature": {
            "type": "Feature", "geometry": { "type": "LineString", "coordinates": [[111.9605, 43.6395], [111.9625, 43.6395]] },
            "properties": { "name": "检查一巷", "class": "lane", "naming": { "status": "proposed" } } } });
        let r = check(json!([street])).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json(), json!({ "ok": true, "writes": 1 }));
        // A geometry outside the city: refused with where.
        let mut far = street.clone();
        far["feature"]["geometry"]["coordinates"] = json!([[116.39, 39.9], [116.40, 39.9]]);
        let r = check(json!([far])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["code"], "invalid_geometry");
        assert!(r.json()["location"].is_object(), "{}", r.body);
        // A number its street already has: which plate holds it.
        let (plate, holder, number) = {
            let state = registry.current();
            let mut plates: Vec<_> = state
                .layer(Layer::DoorPlate)
                .filter_map(|v| match &v.body {
                    diming::model::Body::DoorPlate(p) => {
                        Some((p.street, p.number.to_string(), v.id))
                    }
                    _ => None,
                })
                .collect();
            plates.sort();
            let (a, b) = plates
                .windows(2)
                .find(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
                .map(|w| (w[0].clone(), w[1].clone()))
                .unwrap();
            (b.2, a.2, a.1)
        };
        let (_, mut feature) = editable(&registry, plate);
        feature["properties"]["number"] = json!(number);
        let update = json!({ "op": "update", "id": plate, "if_match": 1, "feature": feature });
        let r = check(json!([update.clone()])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["code"], "duplicate_number");
        assert_eq!(r.json()["conflict"], holder.to_string(), "{}", r.body);
        // The message is for people: the street and the number, no record ids.
        assert!(
            !r.json()["error"]
                .as_str()
                .unwrap()
                .contains(&holder.to_string())
        );
        // A stale version: 412, as saving would answer.
        let mut stale = update;
        stale["if_match"] = json!(7);
        let r = check(json!([stale])).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
        // Nothing of it was written.
        assert_eq!(
            registry.store().changesets(1000).await.unwrap().len(),
            changesets
        );
        assert_eq!(registry.current().get(&plate).unwrap().version, 1);
        // A viewer may not even check.
        let viewer = officer(&registry, "viewer", Role::Viewer).await;
        let body = json!({ "reason": "检查", "writes": [street] });
        let r = send(
            &app,
            request(
                "POST",
                "/api/changesets/check",
                Some(&viewer),
                Some(body.clone()),
            ),
            Some(body),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

/// The map's panel reads each record as its layer declares it: a plot's number and kind are
/// 墓位号 and 墓位类型 (not a door plate's), a marker's number is 界桩编号, a sign is titled by
/// its code and text (not its id), a zone's kind reads 火葬区 under 区划类型.
#[tokio::test]
async fn a_record_reads_in_its_own_layers_words() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let admin = officer(&registry, "admin", Role::Admin).await;
    let first = |layer: Layer| {
        let state = registry.current();
        let v = state.layer(layer).min_by_key(|v| v.id).unwrap();
        (v.id, v.body.title())
    };
    let read = |id: RecordId| {
        let app = app.clone();
        let admin = admin.clone();
        async move {
            let r = send(
                &app,
                request("GET", &format!("/api/records/{id}"), Some(&admin), None),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let f = r.json();
            let rows: Vec<(String, String)> =
                serde_json::from_value(f["attributes"].clone()).unwrap();
            (f, rows)
        }
    };
    let labels = |rows: &[(String, String)]| -> Vec<String> {
        rows.iter().map(|(l, _)| l.clone()).collect()
    };

    let (plot, _) = first(Layer::Plot);
    let (f, rows) = read(plot).await;
    assert!(labels(&rows).contains(&"墓位号".to_string()), "{rows:?}");
    assert!(labels(&rows).contains(&"墓位类型".to_string()), "{rows:?}");
    assert!(
        !labels(&rows).iter().any(|l| l.contains("门牌")),
        "{rows:?}"
    );
    assert_eq!(f["layer_label"], "墓位");

    let (marker, _) = first(Layer::Marker);
    let (f, rows) = read(marker).await;
    assert!(labels(&rows).contains(&"界桩编号".to_string()), "{rows:?}");
    assert!(
        !labels(&rows).iter().any(|l| l.contains("门牌")),
        "{rows:?}"
    );
    assert!(f["title"].as_str().unwrap().starts_with("界桩 "), "{f}");

    let (sign, title) = first(Layer::Sign);
    let (f, rows) = read(sign).await;
    assert_eq!(f["title"], title);
    assert!(!title.contains(&sign.to_string()), "{title}");
    let code = rows.iter().find(|(l, _)| l == "标志编号").unwrap();
    assert!(title.starts_with(&code.1), "{title} {rows:?}");
    // Codes read as their labels, never as the tokens stored.
    assert!(
        rows.iter().all(|(_, v)| !v.contains('_')),
        "a value shown as its code: {rows:?}"
    );

    let cremation = registry
        .current()
        .layer(Layer::Zone)
        .find(|v| matches!(&v.body, diming::model::Body::Zone(z) if z.kind == diming::cemetery::ZoneKind::Cremation))
        .map(|v| v.id)
        .unwrap();
    let (_, rows) = read(cremation).await;
    assert!(
        rows.contains(&("区划类型".to_string(), "火葬区".to_string())),
        "{rows:?}"
    );

    // The history's versions carry their titles too.
    let r = send(
        &app,
        request(
            "GET",
            &format!("/api/records/{sign}/history"),
            Some(&admin),
            None,
        ),
        None,
    )
    .await;
    assert_eq!(r.json()["versions"][0]["title"], title);
}

both_stores!(
    a_rule_refusal_carries_its_own_code_for_scripts,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let check = |token: String, writes: Value| {
            let app = app.clone();
            async move { check_writes(&app, &token, writes).await }
        };
        // A registered marker moved 5 m without an approval document.
        let boundary = officer(&registry, "bateer", Role::BoundaryOfficer).await;
        let marker = registry
            .current()
            .layer(Layer::Marker)
            .map(|v| v.id)
            .min()
            .unwrap();
        let (version, mut feature) = editable(&registry, marker);
        let lon = feature["geometry"]["coordinates"][0].as_f64().unwrap();
        feature["geometry"]["coordinates"][0] = json!(lon + 0.00006);
        let moved =
            json!({ "op": "update", "id": marker, "if_match": version, "feature": feature });
        let r = check(boundary, json!([moved])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["code"], "document_required", "{}", r.body);
        assert!(r.body.contains("批准文件"), "{}", r.body);
        // A plot given the number another plot of its section holds.
        let burials = officer(&registry, "sarula", Role::BurialOfficer).await;
        let (plot, taken) = {
            let state = registry.current();
            let mut plots: Vec<(RecordId, String, RecordId)> = state
                .layer(Layer::Plot)
                .filter_map(|v| match &v.body {
                    diming::model::Body::Plot(p) => Some((p.section, p.number.to_string(), v.id)),
                    _ => None,
                })
                .collect();
            plots.sort();
            let pair = plots.windows(2).find(|w| w[0].0 == w[1].0).unwrap();
            (pair[1].2, pair[0].1.clone())
        };
        let (version, mut feature) = editable(&registry, plot);
        feature["properties"]["number"] = json!(taken);
        let renumbered =
            json!({ "op": "update", "id": plot, "if_match": version, "feature": feature });
        let r = check(burials, json!([renumbered])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["code"], "duplicate_plot_number", "{}", r.body);
        assert!(r.body.contains(&taken), "{}", r.body);
    }
);

/// What `/api/changesets/check` answers `token`'s caller for `writes` (nothing is written).
async fn check_writes(app: &axum::Router, token: &str, writes: Value) -> crate::support::Reply {
    let body = json!({ "reason": "检查", "writes": writes });
    send(
        app,
        request(
            "POST",
            "/api/changesets/check",
            Some(token),
            Some(body.clone()),
        ),
        Some(body),
    )
    .await
}
