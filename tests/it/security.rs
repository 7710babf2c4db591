//! What an attack on the running server found (issue 29), each as the attacker tried it:
//! one GET that aborted the server, a name that ran as script, rules waived or skipped by a
//! generic write, login guessing in parallel, burials seen through changesets, an open
//! redirect, unbounded work, proposals leaking to the public, formulas in CSV, and the lower
//! findings (cookies and headers, tokens after a password change, attachments, files).

use crate::accounts::street as proposed_street;
use crate::support::{
    TestDb, both_stores, call, editable, load_demo, officer, put_record, request, send,
};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::cemetery::Disposition;
use diming::model::{Body as Record, Layer};
use diming::record::RecordId;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

/// A street proposed as `token`: its id.
async fn propose(app: &axum::Router, token: &str, name: &str, offset: f64) -> RecordId {
    let body = json!({ "reason": "拟命名", "feature": proposed_street(name, offset) });
    let r = post(app, "/api/layers/streets/items", token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_str().unwrap().parse().unwrap()
}

/// A GET as `token` (or the public), from `addr` when given (as the server's socket says).
async fn get(
    app: &axum::Router,
    uri: &str,
    token: Option<&str>,
    addr: Option<&str>,
) -> crate::support::Reply {
    let mut r = request("GET", uri, token, None)
        .body(Body::empty())
        .unwrap();
    if let Some(a) = addr {
        r.extensions_mut()
            .insert(ConnectInfo(a.parse::<SocketAddr>().unwrap()));
    }
    call(app, r).await
}

/// Every inline script in an HTML page (a `<script>` without `src`, or an `on…=` handler).
fn inline_scripts(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split("<script").skip(1) {
        let head = tag.split('>').next().unwrap_or("");
        if !head.contains("src=") {
            found.push(format!("<script{}", &tag[..tag.len().min(80)]));
        }
    }
    for (i, _) in html.match_indices(" on") {
        let rest = &html[i + 3..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        if !word.is_empty() && rest[word.len()..].starts_with("=\"") {
            found.push(html[i..(i + 40).min(html.len())].to_string());
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_never_runs_as_script_and_every_page_forbids_inline_script() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
    let admin = officer(&registry, "admin2", Role::Admin).await;
    let burial = officer(&registry, "liqiang", Role::BurialOfficer).await;
    // The attack: a street only proposed, named to close the page's script and open another.
    let hostile = "测试</script><script>document.title='pwned'</script>路";
    let street = propose(&app, &names, hostile, 0.0).await;

    let burial_id = registry
        .current()
        .layer(Layer::Burial)
        .next()
        .map(|v| v.id)
        .unwrap();
    let changeset = registry.store().changesets(1).await.unwrap()[0].id;
    let pages = [
        "/".to_string(),
        "/map".into(),
        "/names/check".into(),
        "/numbering".into(),
        format!("/numbering?street={street}"),
        format!("/numbering?street={}", RecordId::derived("street/康宁街")),
        "/signs".into(),
        "/signs/DX-001".into(),
        "/boundaries".into(),
        "/cemetery".into(),
        "/graves".into(),
        "/gazetteer".into(),
        "/import".into(),
        "/history".into(),
        format!("/changesets/{changeset}"),
        format!("/records/{street}"),
        "/login".into(),
        "/search?q=%E6%B5%8B%E8%AF%95".into(),
        "/ogc?f=html".into(),
        "/ogc/collections?f=html".into(),
        "/ogc/collections/streets?f=html".into(),
        "/ogc/collections/streets/items?f=html&limit=5".into(),
        format!("/ogc/collections/streets/items/{street}?f=html"),
        format!("/cemetery/burials/{burial_id}"),
        "/cemetery/burials".into(),
        "/cemetery/burials/new".into(),
        "/cemetery/plots?number=A".into(),
        "/cemetery/notices".into(),
    ];
    for page in &pages {
        let token = if page.starts_with("/cemetery") {
            &burial
        } else {
            &admin
        };
        let r = get(&app, page, Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"));
        assert_eq!(script_src, Some("script-src 'self'"), "{page}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{page}: {csp}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{page}");
        assert_eq!(r.headers["referrer-policy"], "same-origin", "{page}");
        assert_eq!(r.headers["x-frame-options"], "DENY", "{page}");
        let inline = inline_scripts(&r.body);
        assert!(inline.is_empty(), "{page} has inline script: {inline:?}");
        assert!(
            !r.body.contains("</script><script>document"),
            "{page}: the name came out as markup"
        );
    }
    // The name is on the numbering page as text, escaped, in the officer's drop-down.
    let r = get(
        &app,
        &format!("/numbering?street={street}"),
        Some(&admin),
        None,
    )
    .await;
    assert!(
        r.body.contains("测试&lt;&#x2F;script&gt;") || r.body.contains("测试&lt;/script&gt;"),
        "{}",
        r.body
    );
    // A Host header is not written into the OGC pages' links as markup.
    let r = call(
        &app,
        request("GET", "/ogc/collections?f=html", None, None)
            .header("host", "x\"><img src=x>")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(!r.body.contains("<img src=x>"), "{}", r.body);
    // The API and the other answers carry the headers too.
    let r = get(&app, "/api/layers", None, None).await;
    assert!(r.headers.contains_key("content-security-policy"));
}

both_stores!(
    a_cremation_needs_its_certificate_whatever_the_source_says,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let office = officer(&registry, "liqiang", Role::BurialOfficer).await;
        let cremated = registry
            .current()
            .layer(Layer::Burial)
            .find(|v| matches!(&v.body, Record::Burial(b) if b.disposition == Disposition::Cremation && b.plot.is_none()))
            .map(|v| v.id)
            .unwrap();
        let before = registry.store().changesets(u32::MAX).await.unwrap().len();
        // Stripping the certificate from a registered cremation, with "source": "sample".
        let (version, mut feature) = editable(&registry, cremated);
        feature["properties"]
            .as_object_mut()
            .unwrap()
            .remove("cremation_certificate");
        feature["properties"]["source"] = "sample".into();
        let r = put_record(
            &app,
            &office,
            cremated,
            version,
            json!({"reason": "x", "feature": feature.clone()}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("火化须填写火化证明编号"), "{}", r.body);
        // A new cremation without one, through the record API, a changeset and OGC.
        let mut new = feature.clone();
        let p = new["properties"].as_object_mut().unwrap();
        p.remove("id");
        p["deceased"].as_object_mut().unwrap().remove("id_number");
        let create = json!({"reason": "x", "feature": new.clone()});
        let r = post(&app, "/api/layers/burials/items", &office, &create).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let cs = json!({"reason": "x", "writes": [{"op": "create", "layer": "burials", "feature": new.clone()}]});
        let r = post(&app, "/api/changesets", &office, &cs).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = post(&app, "/ogc/collections/burials/items", &office, &new).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            registry.store().changesets(u32::MAX).await.unwrap().len(),
            before
        );
    }
);

both_stores!(
    a_standard_name_moves_only_through_the_workflow_on_every_entry_point,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let street = propose(&app, &names, "曼哈顿大街", 0.0).await;
        let before = registry.store().changesets(u32::MAX).await.unwrap().len();
        let status = |s: &str| {
            let (version, mut f) = editable(&registry, street);
            f["properties"]["naming"]["status"] = s.into();
            (version, f)
        };
        // The attack: 拟命名 → 已审核 → 已批准 → 已公告 through the generic form, no document.
        let (v, f) = status("checked");
        let r = put_record(
            &app,
            &names,
            street,
            v,
            json!({"reason": "x", "feature": f}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("命名规则检查未通过"), "{}", r.body);
        for s in ["approved", "published"] {
            let (v, f) = status(s);
            let r = put_record(
                &app,
                &names,
                street,
                v,
                json!({"reason": "x", "feature": f}),
            )
            .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{s}: {}",
                r.body
            );
            assert!(r.body.contains("不能由“拟命名”直接改为"), "{}", r.body);
        }
        // Nor through OGC (PATCH), nor with a document that skips the review.
        let patch = json!({"properties": {"naming": {"status": "published"}}});
        let r = send(
            &app,
            request(
                "PATCH",
                &format!("/ogc/collections/streets/items/{street}"),
                Some(&names),
                Some(patch.clone()),
            )
            .header("if-match", "\"1\""),
            Some(patch),
        )
        .await;
        assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
        let (v, f) = status("published");
        let doc = json!({"issuer": "二连浩特市人民政府", "number": "二政字〔2026〕9号", "date": "2026-01-05"});
        let r = put_record(
            &app,
            &names,
            street,
            v,
            json!({"reason": "x", "document": doc, "feature": f}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // The editor's check says the same as the save.
        let (v, f) = status("published");
        let check = json!({"reason": "x", "writes": [{"op": "update", "id": street, "if_match": v, "feature": f}]});
        let r = post(&app, "/api/changesets/check", &names, &check).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // A new street created as already published needs the document.
        let mut published = proposed_street("前进大街", 0.01);
        published["properties"]["naming"]["status"] = "published".into();
        let body = json!({"reason": "x", "feature": published});
        let r = post(&app, "/api/layers/streets/items", &names, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("须附批准文件"), "{}", r.body);
        assert_eq!(
            registry.store().changesets(u32::MAX).await.unwrap().len(),
            before
        );
        let status = registry
            .current()
            .get(&street)
            .and_then(|v| v.body.naming().map(|n| n.status));
        assert_eq!(status, Some(diming::names::naming::NameStatus::Proposed));

        // An import row that registers a standard name without a document is refused at its row.
        let file = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": proposed_street("x", 0.02)["geometry"].clone(),
             "properties": {"name": "和平巷", "status": "已公告"}},
            {"type": "Feature", "geometry": proposed_street("x", 0.03)["geometry"].clone(),
             "properties": {"name": "友谊巷"}}
        ]});
        let r = upload(
            &app,
            &names,
            "/api/layers/streets/import?filename=s.geojson&dry_run=true",
            &file,
        )
        .await;
        let report = r.json();
        let refused = report["refused"].as_array().unwrap();
        assert_eq!(refused.len(), 1, "{report}");
        assert_eq!(refused[0]["row"], 1);
        assert!(
            refused[0]["reason"]
                .as_str()
                .unwrap()
                .contains("须附批准文件"),
            "{report}"
        );
        // The same file citing its document: the standard name is registered as published,
        // the other as a proposal; the changeset names the document.
        let r = upload(&app, &names, format!(
                    "/api/layers/streets/import?filename=s.geojson&doc_issuer={}&doc_number={}&doc_date=2018-06-30",
                    urlencode("二连浩特市人民政府"),
                    urlencode("二政字〔2018〕20号")
                ), &file).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let changeset: diming::record::ChangesetId =
            serde_json::from_value(r.json()["changeset"].clone()).unwrap();
        let summary = registry
            .store()
            .changeset(changeset)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(summary.document.unwrap().number, "二政字〔2018〕20号");
        let statuses: Vec<(String, diming::names::naming::NameStatus)> = registry
            .current()
            .layer(Layer::Street)
            .filter(|v| ["和平巷", "友谊巷"].contains(&v.body.title().as_str()))
            .map(|v| (v.body.title(), v.body.naming().unwrap().status))
            .collect();
        use diming::names::naming::NameStatus::{Proposed, Published};
        assert!(
            statuses.contains(&("和平巷".into(), Published)),
            "{statuses:?}"
        );
        assert!(
            statuses.contains(&("友谊巷".into(), Proposed)),
            "{statuses:?}"
        );
    }
);

/// A JSON body POSTed to `uri` as `token`.
async fn post(
    app: &axum::Router,
    uri: impl AsRef<str>,
    token: &str,
    body: &Value,
) -> crate::support::Reply {
    send(
        app,
        request("POST", uri.as_ref(), Some(token), Some(body.clone())),
        Some(body.clone()),
    )
    .await
}

/// A file uploaded to the import API as `token`, at `uri` (which names the layer and options).
async fn upload(
    app: &axum::Router,
    token: &str,
    uri: impl AsRef<str>,
    file: &Value,
) -> crate::support::Reply {
    call(
        app,
        request("POST", uri.as_ref(), Some(token), None)
            .header("content-type", "application/octet-stream")
            .body(Body::from(file.to_string()))
            .unwrap(),
    )
    .await
}

/// A login as a browser posts it, from `addr` when given.
async fn login(app: &axum::Router, fields: &str, addr: Option<&str>) -> crate::support::Reply {
    let (cookie, token) = crate::accounts::login_page(app, None).await;
    let mut r = axum::http::Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(Body::from(format!("{fields}&login_token={token}")))
        .unwrap();
    if let Some(a) = addr {
        r.extensions_mut()
            .insert(ConnectInfo(a.parse::<SocketAddr>().unwrap()));
    }
    call(app, r).await
}

/// An address no other test uses (the login limits are kept per process).
fn fresh_addr() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("10.{}.{}.{}:4000", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

const PASSWORD: &str = "test-password-%E9%95%BF%E9%95%BF%E7%9A%84";

both_stores!(
    password_guessing_is_held_at_its_limits_even_in_parallel,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        officer(&registry, "guessed", Role::Viewer).await;
        officer(&registry, "admin2", Role::Admin).await;

        // Five posts without the login page's token (from anywhere, even another site) do
        // not lock the account: the right password still logs in.
        for _ in 0..5 {
            let r = call(
                &app,
                axum::http::Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from("name=admin2&password=x&login_token=forged"))
                    .unwrap(),
            )
            .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let r = login(&app, &format!("name=admin2&password={PASSWORD}"), None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // 50 guesses at once, the right password the last of them: it does not get in.
        let mut tasks = Vec::new();
        for i in 0..50 {
            let app = app.clone();
            let password = if i == 49 {
                PASSWORD.to_string()
            } else {
                format!("guess-{i}")
            };
            tasks.push(tokio::spawn(async move {
                login(&app, &format!("name=guessed&password={password}"), None)
                    .await
                    .status
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        let failed = statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count();
        assert!(failed <= 5, "{failed} passwords were checked: {statuses:?}");
        assert!(!statuses.contains(&StatusCode::SEE_OTHER), "{statuses:?}");

        // One address trying many accounts is held too; another address is not.
        let guesser = fresh_addr();
        let (ip, _) = guesser.rsplit_once(':').unwrap();
        let same_host = format!("{ip}:4001");
        for i in 0..20 {
            let r = login(&app, &format!("name=nobody{i}&password=x"), Some(&guesser)).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let r = login(
            &app,
            &format!("name=admin2&password={PASSWORD}"),
            Some(&same_host),
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        let r = login(
            &app,
            &format!("name=admin2&password={PASSWORD}"),
            Some(&fresh_addr()),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_login_the_browser_goes_only_to_a_path_of_this_site() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    officer(&registry, "wangfang", Role::NamesOfficer).await;
    // The attack: a tab that browsers drop, making `/\t/host` into `//host`.
    for next in [
        "/%09/127.0.0.1:18081/",
        "/%0a/evil.example",
        "/%5cevil.example",
        "//evil.example",
    ] {
        let r = get(&app, &format!("/login?next={next}"), None, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{next}: {}", r.body);
        let r = login(
            &app,
            &format!("name=wangfang&password={PASSWORD}&next={next}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{next}: {}", r.body);
    }
    let r = login(
        &app,
        &format!("name=wangfang&password={PASSWORD}&next=%2Fmap%3Fz%3D3"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/map?z=3");
}

both_stores!(
    changesets_show_only_what_the_caller_may_read,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let viewer = officer(&registry, "guest", Role::Viewer).await;
        let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let office = officer(&registry, "liqiang", Role::BurialOfficer).await;
        // A changeset of burials only, as the demo has.
        let burials_only = registry
            .store()
            .changesets(u32::MAX)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.reason.contains("殡葬登记") || c.reason.contains("死亡"))
            .map(|c| c.id)
            .expect("a changeset of burial registrations");
        let versions = registry
            .store()
            .changeset_versions(burials_only)
            .await
            .unwrap();
        assert!(
            versions.iter().all(|v| v.layer() == Layer::Burial),
            "the demo's changeset holds burials only"
        );
        let someone = match &versions[0].body {
            Record::Burial(b) => b.deceased.name.clone(),
            _ => unreachable!(),
        };
        for token in [&viewer, &names] {
            let r = get(
                &app,
                &format!("/changesets/{burials_only}"),
                Some(token),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
            assert!(!r.body.contains(&someone));
            let list = get(&app, "/api/changesets?limit=1000", Some(token), None).await;
            assert!(
                !list.body.contains(&burials_only.to_string()),
                "listed to a non-burial role"
            );
            let page = get(&app, "/history", Some(token), None).await;
            assert!(!page.body.contains(&burials_only.to_string()));
        }
        let r = get(
            &app,
            &format!("/changesets/{burials_only}"),
            Some(&office),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(&someone));
    }
);

/// A line of `n` vertices zig-zagging across the town.
fn long_line(n: usize) -> Value {
    let coords: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            [
                111.95 + 0.02 * (i as f64 / n as f64),
                43.63 + 0.0001 * ((i % 2) as f64),
            ]
        })
        .collect();
    json!({"type": "MultiLineString", "coordinates": [coords]})
}

both_stores!(
    work_beyond_the_limits_is_refused_early_with_what_was_too_large,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let limit = registry.config().server.limits.vertices;
        // One geometry over the limit: to the editor's check, to a save, and in a file.
        let mut feature = proposed_street("长线巷", 0.0);
        feature["geometry"] = long_line(limit + 1);
        let check = json!({"reason": "x", "writes": [{"op": "create", "layer": "streets", "feature": feature.clone()}]});
        let r = post(&app, "/api/changesets/check", &names, &check).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
        assert!(r.body.contains(&format!("超过上限 {limit}")), "{}", r.body);
        let body = json!({"reason": "x", "feature": feature.clone()});
        let r = post(&app, "/api/layers/streets/items", &names, &body).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
        let file = json!({"type": "FeatureCollection", "features": [feature]});
        let r = upload(
            &app,
            &names,
            "/api/layers/streets/import?filename=s.geojson&dry_run=true",
            &file,
        )
        .await;
        assert!(r.body.contains("第 1 个要素的几何有"), "{}", r.body);
        // A query longer than a name: refused, not searched.
        let long = "测".repeat(5_000);
        let r = get(
            &app,
            &format!("/api/search?q={}", urlencode(&long)),
            None,
            None,
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{}",
            &r.body[..r.body.len().min(300)]
        );
        let r = get(
            &app,
            &format!("/api/names/check?name={}", urlencode(&long)),
            None,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }
);

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

both_stores!(
    names_in_the_workflow_stay_internal,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let street = propose(&app, &names, "迎宾大道", 0.0).await;
        // The public numbering page lists no proposal and will not show it.
        let r = get(&app, "/numbering", None, None).await;
        assert!(!r.body.contains("迎宾大道") && !r.body.contains(&street.to_string()));
        let r = get(&app, &format!("/numbering?street={street}"), None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // The public check neither confirms it nor names it, even read the same way.
        for q in ["迎宾大道", "营宾大道"] {
            let r = get(
                &app,
                &format!("/api/names/check?name={}", urlencode(q)),
                None,
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(
                !r.body.contains(&street.to_string())
                    && !r.body.contains("重名")
                    && !r.body.contains("同音"),
                "{q}: {}",
                r.body
            );
        }
        // An officer is told.
        let r = get(
            &app,
            &format!("/api/names/check?name={}", urlencode("迎宾大道")),
            Some(&names),
            None,
        )
        .await;
        assert!(r.body.contains(&street.to_string()), "{}", r.body);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_formula_in_a_name_goes_out_as_text_in_every_csv() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let names = officer(&registry, "wangfang", Role::NamesOfficer).await;
    // A standard name registered on a document, beginning with what a spreadsheet runs.
    let mut f = proposed_street("=HYPERLINK(\"http://evil.example\",\"点此\")", 0.0);
    f["properties"]["naming"] = json!({"status": "published", "published_on": "2026-01-05",
        "approval": {"issuer": "二连浩特市人民政府", "number": "二政字〔2026〕9号", "date": "2026-01-05"}});
    let doc = json!({"issuer": "二连浩特市人民政府", "number": "二政字〔2026〕9号", "date": "2026-01-05"});
    let body = json!({"reason": "x", "document": doc, "feature": f});
    let r = post(&app, "/api/layers/streets/items", &names, &body).await;
    if r.status != StatusCode::CREATED {
        // The naming rules may refuse the characters; then the formula goes in as a proposal.
        panic!("{}", r.body);
    }
    let r = get(&app, "/api/layers/streets/export?format=csv", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("'=HYPERLINK"), "{}", r.body);
    assert!(
        !r.body.contains(",=HYPERLINK") && !r.body.contains("\"=HYPERLINK"),
        "{}",
        r.body
    );
    // The name table (export-names) too.
    let out = crate::support::diming(
        db.url(),
        &["export-names", "--format", "csv", "-o", "/dev/stdout"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("'=HYPERLINK") && !text.contains(",=HYPERLINK"),
        "{text}"
    );
}

/// One hostile request to a real server (as `token`, or the public): its status, after how
/// long.
fn timed(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (Option<u16>, std::time::Duration) {
    let started = std::time::Instant::now();
    let status = crate::support::http(port, method, path, token, body).map(|(s, _)| s);
    (status, started.elapsed())
}

/// The hostile-request suite against a real `diming serve` (a worker's stack overflow aborts
/// the whole process, which an in-process router would not show): each request is answered
/// with a 4xx within a second, and `/healthz` answers after each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_are_answered_quickly_and_the_server_stays_up() {
    let db = TestDb::sqlite().await;
    let names = {
        let registry = db.registry().await;
        load_demo(&registry).await;
        officer(&registry, "wangfang", Role::NamesOfficer).await
    };
    let (mut server, port) = crate::browser::serve_free(db.url());
    let enc = |s: &str| urlencode(s);
    // The attack that aborted the server, and its variants, as text filters.
    let filters = [
        format!("\"'\" = 1 AND version = {}1", "-".repeat(2000)),
        format!("\"'\" = 1 AND {}", "(".repeat(21)),
        format!("name = '\"' AND {}", "(".repeat(21)),
        format!("\"a\"\"'\" = 1 AND version = {}1", "- ".repeat(2000)),
        format!("{}name = 'a'", "NOT ".repeat(2000)),
        format!("version = {}1", "+-".repeat(2000)),
        "(".repeat(4000),
    ];
    let deep_json = format!(
        "{}{}",
        "{\"op\":\"not\",\"args\":[".repeat(3000),
        "]}".repeat(3000)
    );
    let items = "/ogc/collections/streets/items?filter=";
    let gets = filters.iter().map(|f| format!("{items}{}", enc(f))).chain([
        format!("{items}{}&filter-lang=cql2-json", enc(&deep_json)),
        format!("/api/search?q={}", enc(&"测".repeat(56_000 / 3))),
        format!("/login?next={}", enc("/\t/127.0.0.1:18081/")),
        format!("/login?next={}", enc("/\n/x")),
        "/api/layers/streets/export?format=csv&crs=EPSG:0".into(),
    ]);
    let mut hostile: Vec<(String, &str, String)> =
        gets.map(|path| (path, "GET", String::new())).collect();
    // Many vertices, to the editor's check (an officer's request: the public's is refused
    // before its body is read).
    let many = json!({"reason": "x", "writes": [{"op": "create", "layer": "streets",
        "feature": {"type": "Feature", "geometry": long_line(25_000), "properties": {"name": "长线巷"}}}]});
    hostile.push(("/api/changesets/check".into(), "POST", many.to_string()));
    for (path, method, body) in &hostile {
        let token = (path == "/api/changesets/check").then_some(names.as_str());
        let (status, took) = timed(port, method, path, token, body);
        let shown = &path[..path.len().min(90)];
        let status = status.unwrap_or_else(|| panic!("no answer to {shown}: the server died"));
        assert!((400..500).contains(&status), "{shown}: {status}");
        assert!(
            took < std::time::Duration::from_secs(1),
            "{shown}: {took:?}"
        );
        let (health, _) = timed(port, "GET", "/healthz", None, "");
        assert_eq!(health, Some(200), "after {shown}");
    }
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server is still running"
    );
}

both_stores!(the_lower_findings_hold, |db: TestDb| async move {
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let admin = officer(&registry, "admin2", Role::Admin).await;
    let signs = officer(&registry, "signs", Role::NamesOfficer).await;
    let boundary = officer(&registry, "bateer", Role::BoundaryOfficer).await;
    let office = officer(&registry, "liqiang", Role::BurialOfficer).await;

    // An API token ends with the password that made it.
    let r = get(&app, "/api/changesets?limit=1", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK);
    registry
        .store()
        .set_password(
            "admin2",
            &diming::accounts::hash_password("another-password-长长的"),
        )
        .await
        .unwrap();
    let r = get(&app, "/api/changesets?limit=1", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

    // Export to a coordinate system PROJ does not know: the request's fault.
    let r = get(
        &app,
        "/api/layers/streets/export?format=geojson&crs=EPSG:0",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    // A photo: a boundary officer may upload one; a grave's photo is for the burial office.
    let png = {
        let mut out = Vec::new();
        let img = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 10, 10]));
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    let upload = |token: &str| {
        request("POST", "/api/attachments", Some(token), None)
            .header("content-type", "image/png")
            .header("content-length", png.len())
            .body(Body::from(png.clone()))
            .unwrap()
    };
    let r = call(&app, upload(&boundary)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = call(&app, upload(&office)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let sha = r.json()["sha256"].as_str().unwrap().to_string();
    let grave = registry
        .current()
        .layer(Layer::Grave)
        .next()
        .map(|v| v.id)
        .unwrap();
    let (version, mut feature) = editable(&registry, grave);
    feature["properties"]["photos"] = json!([sha]);
    let r = put_record(
        &app,
        &office,
        grave,
        version,
        json!({"reason": "照片", "feature": feature}),
    )
    .await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = get(&app, &format!("/attachments/{sha}"), Some(&signs), None).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a names officer sees a grave's photo"
    );
    let r = get(&app, &format!("/attachments/{sha}"), Some(&office), None).await;
    assert_eq!(r.status, StatusCode::OK);

    // A new record given the id of one the caller may not see is answered as for one they
    // may: nothing about the hidden record.
    let hidden = registry
        .current()
        .layer(Layer::Burial)
        .next()
        .map(|v| v.id)
        .unwrap();
    let visible = RecordId::derived("street/康宁街");
    let mut answers = Vec::new();
    for id in [hidden, visible] {
        let mut f = proposed_street("试验巷", 0.0);
        f["id"] = json!(id);
        let body = json!({"reason": "x", "feature": f});
        let r = post(&app, "/api/layers/streets/items", &signs, &body).await;
        answers.push((r.status, r.body.replace(&id.to_string(), "ID")));
    }
    assert_eq!(answers[0], answers[1]);
    assert!(
        !answers[0].1.contains("殡葬") && !answers[0].1.contains("已存在"),
        "{:?}",
        answers[0]
    );

    // The burial office's page of whole numbers is never cached.
    let burial = registry
        .current()
        .layer(Layer::Burial)
        .next()
        .map(|v| v.id)
        .unwrap();
    let r = get(
        &app,
        &format!("/cemetery/burials/{burial}"),
        Some(&office),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["cache-control"], "no-store");

    // /metrics: for loopback and the administrator, not for anyone on the network.
    let r = get(&app, "/metrics", None, Some("203.0.113.5:5000")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(&app, "/metrics", None, Some("127.0.0.1:5000")).await;
    assert_eq!(r.status, StatusCode::OK);

    // The public grave finder: a whole name and a year, never a part of a name in bulk.
    let (name, year) = registry
        .current()
        .layer(Layer::Burial)
        .find_map(|v| match &v.body {
            Record::Burial(b) if b.plot.is_some() => {
                use chrono::Datelike;
                Some((b.deceased.name.clone(), b.deceased.died.year()))
            }
            _ => None,
        })
        .unwrap();
    let (reader, scraper) = (fresh_addr(), fresh_addr());
    let first: String = name.chars().next().unwrap().to_string();
    let r = get(
        &app,
        &format!("/graves?q={}", urlencode(&first)),
        None,
        Some(&reader),
    )
    .await;
    assert!(
        r.body.contains("need-year") && !r.body.contains("<ol id=\"graves\">"),
        "{}",
        r.body
    );
    let r = get(
        &app,
        &format!("/graves?q={}&year={year}", urlencode(&name)),
        None,
        Some(&reader),
    )
    .await;
    assert!(
        r.body.contains("<ol id=\"graves\">") && r.body.contains(&name),
        "{}",
        r.body
    );
    for _ in 0..30 {
        get(
            &app,
            &format!("/graves?q={}&year={year}", urlencode(&name)),
            None,
            Some(&scraper),
        )
        .await;
    }
    let r = get(
        &app,
        &format!("/graves?q={}&year={year}", urlencode(&name)),
        None,
        Some(&scraper),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // An officer of the burial office still searches by part of a name.
    let r = get(
        &app,
        &format!("/graves?q={}", urlencode(&first)),
        Some(&office),
        None,
    )
    .await;
    assert!(r.body.contains("<ol id=\"graves\">"), "{}", r.body);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_and_hsts_is_sent_behind_a_tls_proxy() {
    let db = TestDb::sqlite().await;
    let mut config = diming::config::Config::erenhot();
    config.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let registry = Arc::new(
        diming::registry::Registry::open(db.url(), config)
            .await
            .unwrap(),
    );
    let app = diming::web::app(registry.clone());
    let mut r = request("GET", "/login", None, None)
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    r.extensions_mut()
        .insert(ConnectInfo("127.0.0.1:9".parse::<SocketAddr>().unwrap()));
    let reply = call(&app, r).await;
    assert!(
        reply.headers["set-cookie"]
            .to_str()
            .unwrap()
            .ends_with("; Secure")
    );
    assert_eq!(
        reply.headers["strict-transport-security"],
        "max-age=31536000"
    );
    // The same header from anyone else is not believed.
    let mut r = request("GET", "/login", None, None)
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    r.extensions_mut()
        .insert(ConnectInfo("192.0.2.1:9".parse::<SocketAddr>().unwrap()));
    let reply = call(&app, r).await;
    assert!(
        !reply.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
    assert!(!reply.headers.contains_key("strict-transport-security"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_file_and_its_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.gpkg");
    let url = format!("sqlite://{}", path.display());
    let out = crate::support::diming(&url, &["demo"]);
    crate::support::succeeded(&out);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    for name in ["backup.jsonl", "backup.gpkg"] {
        let backup = dir.path().join(name);
        let out = crate::support::diming(&url, &["backup", "-o", backup.to_str().unwrap()]);
        crate::support::succeeded(&out);
        assert_eq!(mode(&backup), 0o600, "{name}");
    }
    // A store an earlier version left readable by others is tightened when it opens.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = crate::support::diming(&url, &["check"]);
    let _ = out;
    assert_eq!(mode(&path), 0o600);
}
