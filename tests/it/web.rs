//! The web server through its router, without a port.

use crate::support::{TestDb, both_stores, load_demo};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    answer(app, Request::get(uri)).await
}

/// The status, headers and body the router answers to `request`.
async fn answer(
    app: &axum::Router,
    request: axum::http::request::Builder,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
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
            html.contains("<span class=\"mongolian\" lang=\"mn-Mong\">ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ</span>"),
            "the city's Mongolian name, set vertically"
        );
        assert!(html.contains("Erenhot Shi"), "{html}");
        assert!(
            html.contains("<td>门牌</td><td class=\"n\">3202</td>"),
            "{html}"
        );
        // Changesets and pending names are for officers (see `accounts`).
        assert!(html.contains("仅对登录的工作人员显示"), "{html}");
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
    assert_eq!(layers["layers"][3]["count"], 3202);

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

async fn json(app: &axum::Router, uri: &str) -> serde_json::Value {
    let (status, _, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn first_names(v: &serde_json::Value, n: usize) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .take(n)
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn search_finds_names_by_characters_pinyin_initials_romanization_and_with_a_typo() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry);
    let top = |q: &str| {
        let app = app.clone();
        let uri = format!("/api/search?q={}&limit=5", encode(q));
        async move { json(&app, &uri).await }
    };
    for (query, expected, matched) in [
        ("前进大街", "前进大街", "name"),
        ("qjdj", "前进大街", "initials"),
        ("qianjin", "前进大街", "pinyin"),
        ("QianJin DaJie", "前进大街", "pinyin"),
        ("前近大街", "前进大街", "typo"),
        ("前进大衔", "前进大街", "typo"),
        ("qianjinfajie", "前进大街", "typo"),
        ("erenhot", "二连浩特市", "romanization"),
        ("陶力", "陶力嘎查", "name"),
        ("工农街", "建设街", "other_name"),
    ] {
        let v = top(query).await;
        assert_eq!(v["hits"][0]["name"], expected, "{query}: {v}");
        assert_eq!(v["hits"][0]["match"], matched, "{query}: {v}");
    }
    let infix = top("大街").await;
    assert!(
        first_names(&infix, 5).iter().all(|n| n.ends_with("大街")),
        "{infix}"
    );
    let nothing = top("纽约").await;
    assert_eq!(nothing["hits"].as_array().unwrap().len(), 0);

    // Among equals, the nearest first: the plates of 友谊大街 seen from its 41号.
    let plate = diming::record::RecordId::derived("door/友谊大街/41");
    let (_, _, feature) = get(&app, &format!("/api/records/{plate}")).await;
    let feature: serde_json::Value = serde_json::from_str(&feature).unwrap();
    let (x, y) = (
        feature["geometry"]["coordinates"][0].as_f64().unwrap(),
        feature["geometry"]["coordinates"][1].as_f64().unwrap(),
    );
    let near = json(
        &app,
        &format!(
            "/api/search?q={}&lon={x}&lat={y}&limit=3",
            encode("友谊大街")
        ),
    )
    .await;
    assert_eq!(
        first_names(&near, 2),
        vec!["友谊大街".to_string(), "友谊大街41号".to_string()],
        "{near}"
    );
    assert!(near["hits"][1]["distance_m"].as_f64().unwrap() < 1.0);

    let (status, _, _) = get(&app, "/api/search?q=x&lon=111.9").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, html) = get(&app, &format!("/search?q={}", encode("qjdj"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<td>前进大街</td>"), "{html}");
}

#[tokio::test]
async fn reverse_geocoding_gives_the_units_and_the_nearest_plate_and_street() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry);
    let v = json(&app, "/api/reverse?lon=111.97667&lat=43.6475").await;
    let units: Vec<&str> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(units.len(), 3, "{v}");
    assert!(units[0].starts_with("152501400") && units[0].len() == 12);
    assert_eq!(&units[1..], ["152501400", "152501"]);
    let plate = v["door_plate"]["distance_m"].as_f64().unwrap();
    let street = v["street"]["distance_m"].as_f64().unwrap();
    assert!(plate < 120.0 && street < 160.0, "{v}");
    assert!(v["door_plate"]["name"].as_str().unwrap().ends_with('号'));
    let (status, _, _) = get(&app, "/api/reverse?lon=116.39&lat=39.9").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_live_check_gives_verdicts_and_the_romanization_as_the_officer_types() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry);
    let v = json(
        &app,
        &format!("/api/names/check?name={}", encode("新前进大街")),
    )
    .await;
    assert_eq!(v["verdicts"][0]["rule"], "derived_duplicate");
    assert_eq!(v["romanization"]["standard"], "Xinqianjin Dajie");
    let v = json(
        &app,
        &format!(
            "/api/names/check?name={}&kind=place&category=settlement",
            encode("维也纳花园")
        ),
    )
    .await;
    assert_eq!(v["verdicts"][0]["rule"], "foreign");
    // A traditional character is refused as the officer types it, with the standard form.
    let v = json(&app, &format!("/api/names/check?name={}", encode("張家路"))).await;
    assert_eq!(v["verdicts"][0]["rule"], "odd");
    assert_eq!(v["verdicts"][0]["severity"], "error");
    assert!(
        v["verdicts"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("张家路"),
        "{v}"
    );
    let v = json(
        &app,
        &format!("/api/names/check?name={}", encode("阿巴嘎路")),
    )
    .await;
    assert_eq!(v["verdicts"].as_array().unwrap().len(), 0);
    assert_eq!(v["romanization"]["sign"], "ABAG LU");
    let (status, _, body) = get(
        &app,
        &format!(
            "/api/names/check?name=x&kind=place&category={}",
            encode("城堡")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("城堡"), "{body}");
}

#[tokio::test]
async fn the_api_suggests_the_number_for_a_new_entrance() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let plate = |n: u32| crate::support::plate_at(&registry.current(), "前进大街", n);
    let (a, b) = (plate(6), plate(8));
    let street = diming::record::RecordId::derived("street/前进大街");
    let app = diming::web::app(registry.clone());
    let v = json(
        &app,
        &format!(
            "/api/numbering/suggest?street={street}&lon={}&lat={}",
            (a.x + b.x) / 2.0,
            (a.y + b.y) / 2.0
        ),
    )
    .await;
    assert_eq!(v["number"], "6附1号");
    let (status, _, body) = get(
        &app,
        &format!(
            "/api/numbering/suggest?street={}&lon=111.97&lat=43.65",
            diming::record::RecordId::new()
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("没有现行街路巷"), "{body}");
}

#[tokio::test]
async fn the_numbering_tool_shows_the_proposal_and_flips_the_direction() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry);
    let street = diming::record::RecordId::derived("street/胜利街");
    let (status, _, html) = get(&app, &format!("/numbering?street={street}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<tr><td>21号</td><td>23号</td></tr>")
            && html.contains("<tr><td>23号</td><td>21号</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"odd\"")
            && html.contains("class=\"even\"")
            && html.contains("左单右双")
    );
    let (_, _, flipped) = get(&app, &format!("/numbering?street={street}&from_end=true")).await;
    let rows = flipped.matches("<tr><td>").count();
    assert!(
        rows > 40,
        "numbered from the other end, most numbers change: {rows}"
    );
    let (status, _, _) = get(&app, "/numbering?street=nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, picker) = get(&app, "/numbering").await;
    assert_eq!(status, StatusCode::OK);
    assert!(picker.contains(">胜利街</option>"));
}

both_stores!(
    a_layer_can_be_read_as_it_was_on_a_date,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry);
        let names = |v: serde_json::Value| -> Vec<String> {
            v["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
                .collect()
        };
        let before = json(&app, "/api/layers/streets?as_of=2021-04-30").await;
        let after = json(&app, "/api/layers/streets?as_of=2021-05-01").await;
        assert!(
            names(before.clone()).contains(&"工农街".to_string())
                && !names(before).contains(&"建设街".to_string())
        );
        assert!(
            names(after.clone()).contains(&"建设街".to_string())
                && !names(after).contains(&"工农街".to_string())
        );
        let none = json(&app, "/api/layers/streets?as_of=2019-01-01").await;
        assert_eq!(
            none["features"].as_array().unwrap().len(),
            0,
            "the streets were drawn in 2020"
        );
        let (status, _, _) = get(&app, "/api/layers/streets?as_of=yesterday").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
);

crate::support::both_stores!(
    the_history_browser_filters_changesets_and_compares_versions,
    |db: TestDb| async move {
        use crate::support::{officer, request, send};
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let token = officer(&registry, "王芳", diming::accounts::Role::NamesOfficer).await;
        let list = |q: &str| {
            let uri = format!("/api/changesets?{q}");
            let app = app.clone();
            let token = token.clone();
            async move {
                send(&app, request("GET", &uri, Some(&token), None), None)
                    .await
                    .json()
            }
        };
        let public = send(&app, request("GET", "/api/changesets", None, None), None).await;
        assert_eq!(public.status, StatusCode::UNAUTHORIZED);
        let all = list("limit=500").await;
        let total = all["numberMatched"].as_u64().unwrap();
        assert!(total > 3);
        let by_doc = list("document=35%E5%8F%B7").await; // "35号"
        assert_eq!(by_doc["numberMatched"], 1, "{by_doc}");
        assert!(
            by_doc["changesets"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("建设街")
        );
        assert_eq!(
            by_doc["changesets"][0]["layers"],
            serde_json::json!(["streets"])
        );
        let streets = list("layer=streets").await["numberMatched"]
            .as_u64()
            .unwrap();
        assert!(streets >= 2 && streets < total, "{streets} of {total}");
        assert_eq!(list("from=2099-01-01").await["numberMatched"], 0);
        assert_eq!(list("author=nobody").await["numberMatched"], 0);
        let page = send(
            &app,
            request("GET", "/history?document=35%E5%8F%B7", Some(&token), None),
            None,
        )
        .await;
        assert!(
            page.body.contains("共 1 个变更集") && page.body.contains("二政字〔2021〕35号"),
            "{}",
            page.body
        );
        // The public is refused; a browser is led to log in and back.
        let refused = send(&app, request("GET", "/history", None, None), None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        let redirect = send(
            &app,
            request("GET", "/history", None, None).header("accept", "text/html"),
            None,
        )
        .await;
        assert_eq!(redirect.status, StatusCode::SEE_OTHER);
        assert_eq!(redirect.headers["location"], "/login?next=%2Fhistory");

        // One record's versions and the diff between them.
        let id = diming::record::RecordId::derived("street/工农街");
        let page = send(
            &app,
            request("GET", &format!("/records/{id}?a=1&b=2"), Some(&token), None),
            None,
        )
        .await;
        // Compared as people read a record: Chinese labels, codes as words.
        assert!(
            page.body
                .contains("<td>名称</td><td>工农街</td><td>建设街</td>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<td>道路等级</td>"), "{}", page.body);
        assert!(!page.body.contains("<td>name</td>"), "{}", page.body);
        assert!(page.body.contains("几何没有变化"));
        // Move the street a little: the diff shows both geometries.
        let (version, mut feature) = crate::support::editable(&registry, id);
        let c = &mut feature["geometry"]["coordinates"][0][0][1];
        *c = serde_json::json!(c.as_f64().unwrap() + 0.0005);
        let body = serde_json::json!({ "reason": "中心线修测", "feature": feature });
        let reply = crate::support::put_record(&app, &token, id, version, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let page = send(
            &app,
            request("GET", &format!("/records/{id}"), Some(&token), None),
            None,
        )
        .await;
        assert!(
            page.body.contains("几何有变化")
                && page.body.contains("id=\"geometry-a\"")
                && page.body.contains("id=\"geometry-b\""),
            "{}",
            page.body
        );
        assert!(page.body.contains("中心线修测") && page.body.contains("王芳"));
        // The public sees the timeline without authors.
        let public = send(
            &app,
            request("GET", &format!("/records/{id}"), None, None),
            None,
        )
        .await;
        assert!(public.body.contains("中心线修测") && !public.body.contains("王芳"));
    }
);

crate::support::both_stores!(
    health_and_metrics_answer_for_operators,
    |db: crate::support::TestDb| async move {
        use crate::support::{request, send};
        let registry = std::sync::Arc::new(db.registry().await);
        crate::support::load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let health = send(&app, request("GET", "/healthz", None, None), None).await;
        assert_eq!(health.status, axum::http::StatusCode::OK);
        let h = health.json();
        assert_eq!(h["status"], "ok");
        assert!(h["changesets"].as_i64().unwrap() > 5);
        let _ = send(&app, request("GET", "/no-such-page", None, None), None).await;
        let metrics = send(&app, request("GET", "/metrics", None, None), None).await;
        assert_eq!(metrics.status, axum::http::StatusCode::OK);
        assert!(
            metrics.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let body = metrics.body;
        assert!(
            body.contains("diming_records{layer=\"door_plates\"} 3202"),
            "{body}"
        );
        assert!(
            body.contains("diming_store_up{store=") && body.contains("} 1\n"),
            "{body}"
        );
        // The demo loads in order, one changeset after the other: nothing was grouped.
        assert!(body.contains("diming_group_commits_total 0\n"), "{body}");
        // Every line is a comment or `name{labels} value` with a number.
        for line in body.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
        assert!(
            body.contains("diming_http_responses_total{class=\"4xx\"}"),
            "{body}"
        );
    }
);

/// A request as a browser sends it when a person navigates, optionally signed in (`token`).
async fn navigate(
    app: &axum::Router,
    uri: &str,
    token: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::get(uri).header(
        header::ACCEPT,
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    );
    if let Some(t) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    answer(app, request).await
}

both_stores!(
    people_who_navigate_get_pages_in_chinese_and_programs_keep_json,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let token =
            crate::support::officer(&registry, "wangfang", diming::accounts::Role::NamesOfficer)
                .await;
        let app = diming::web::app(registry.clone());
        let is_html = |h: &axum::http::HeaderMap| {
            h[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        };
        // A dead link: a page in Chinese that says so, in the site's frame.
        let (status, headers, html) = navigate(&app, "/no/such/page", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(is_html(&headers), "{headers:?}");
        assert!(html.contains("没有这个页面"), "{html}");
        // (tera writes the slashes as `&#x2F;`, which the browser shows as `/`)
        assert!(
            html.contains("没有“&#x2F;no&#x2F;such&#x2F;page”"),
            "{html}"
        );
        assert!(html.contains("二连浩特市 地名管理信息系统"), "{html}");
        // The same address asked for by a program: JSON, as every API error.
        let (status, headers, body) = get(&app, "/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!is_html(&headers));
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["code"], "not_found");
        // An officers' page for the public: to the login page, and back after it.
        let (status, headers, _) = navigate(&app, "/cemetery?from=2016", None).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            headers[header::LOCATION],
            "/login?next=%2Fcemetery%3Ffrom%3D2016"
        );
        // The API under /api keeps its JSON, even for a browser.
        let (status, headers, _) = navigate(&app, "/api/cemetery/stats", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(!is_html(&headers));
        // A malformed address: what is wrong, in a page, not raw JSON.
        let (status, headers, html) = navigate(&app, "/changesets/not-an-id", Some(&token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(is_html(&headers), "{html}");
        assert!(
            html.contains("请求有误") && !html.contains("\"code\""),
            "{html}"
        );
        // A filter form sent with its optional fields blank is a filter with none of them.
        let (status, _, html) = navigate(
            &app,
            "/history?author=&layer=&from=&to=&document=",
            Some(&token),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        // Times are China's (UTC+8), on the changeset list and the home page.
        let latest = registry.store().changesets(1).await.unwrap().remove(0);
        let beijing = latest
            .recorded_at
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .format("%Y-%m-%d %H:%M")
            .to_string();
        assert!(html.contains(&beijing), "{beijing} not in {html}");
        assert!(!html.contains("UTC"), "{html}");
        let (_, _, home) = navigate(&app, "/", Some(&token)).await;
        assert!(home.contains(&beijing), "{beijing} not on the home page");
    }
);

both_stores!(
    pages_speak_chinese_count_their_results_and_show_what_the_role_can_do,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let viewer =
            crate::support::officer(&registry, "guest", diming::accounts::Role::Viewer).await;
        let names =
            crate::support::officer(&registry, "wangfang", diming::accounts::Role::NamesOfficer)
                .await;
        let burials =
            crate::support::officer(&registry, "sarula", diming::accounts::Role::BurialOfficer)
                .await;
        let app = diming::web::app(registry.clone());
        // How a name was matched is said in Chinese; each hit opens its record's page.
        let (status, _, html) = navigate(&app, "/search?q=qjdj", Some(&names)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("<td>拼音首字母</td>"), "{html}");
        assert!(!html.contains("<td>initials</td>"), "{html}");
        assert!(html.contains("href=\"/records/"), "{html}");
        assert!(!html.contains("/api/records/"), "{html}");
        // A query with many answers says how many and pages through them.
        let (_, _, html) = navigate(&app, "/search?q=街", Some(&names)).await;
        let total: usize = html
            .split("共 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count in {html}"));
        assert!(total > 50, "{total}");
        assert!(html.contains("第 1 / "), "{html}");
        assert_eq!(html.matches("<tr><td>").count(), 50, "a page of fifty");
        let (_, _, second) = navigate(&app, "/search?q=街&page=2", Some(&names)).await;
        assert!(second.contains("第 51–"), "{second}");
        // The statistics open on the years that hold deaths, and say which those are.
        let (_, _, html) = navigate(&app, "/cemetery", Some(&burials)).await;
        assert!(html.contains("火化统计（2016—2020）"), "{html}");
        assert!(
            html.contains("有殡葬登记的年份：2005—2007、2016—2020"),
            "{html}"
        );
        // A burial's record page reads in Chinese: labels and words, not field names and codes.
        let burial = registry
            .current()
            .layer(diming::model::Layer::Burial)
            .map(|v| v.id)
            .min()
            .unwrap();
        let (status, _, html) = navigate(&app, &format!("/records/{burial}"), Some(&burials)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("<td>性别</td>"), "{html}");
        assert!(
            !html.contains("deceased.") && !html.contains(">male<"),
            "{html}"
        );
        // The import page is offered to those who may import, not to a viewer.
        let (_, _, home) = navigate(&app, "/", Some(&viewer)).await;
        assert!(!home.contains("href=\"/import\""), "{home}");
        let (_, _, home) = navigate(&app, "/", Some(&names)).await;
        assert!(home.contains("href=\"/import\""), "{home}");
    }
);
