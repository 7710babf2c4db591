//! Accounts and roles: logging in, sessions and CSRF, API tokens, what each role may write,
//! what the public may see, and the log of refused attempts.

use crate::support::{TestDb, both_stores, call, load_demo, officer, request, send};
use axum::body::Body;
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::model::Layer;
use diming::record::RecordId;
use serde_json::{Value, json};
use std::sync::Arc;

/// A street feature as a client sends it.
/// A street proposed by a names officer (status 拟命名: no document needed).
pub(crate) fn street(name: &str, offset: f64) -> Value {
    json!({
        "type": "Feature",
        "geometry": { "type": "MultiLineString", "coordinates": [[
            [111.9600 + offset, 43.6300], [111.9650 + offset, 43.6300]
        ]] },
        "properties": { "name": name, "class": "lane", "naming": { "status": "proposed" } }
    })
}

fn some_unit(registry: &diming::registry::Registry) -> (RecordId, Value) {
    let current = registry.current();
    let v = current.layer(Layer::AdminUnit).last().expect("a unit");
    let mut f = serde_json::to_value(&v.body).unwrap();
    f.as_object_mut().unwrap().remove("layer");
    let feature = json!({
        "type": "Feature",
        "geometry": diming::spatial::geojson::from_geo(&v.geometry),
        "properties": f,
    });
    (v.id, feature)
}

both_stores!(
    each_role_writes_its_own_layers_and_every_refusal_is_logged,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let names = officer(&registry, "王芳", Role::NamesOfficer).await;
        let boundary = officer(&registry, "巴特尔", Role::BoundaryOfficer).await;
        let burial = officer(&registry, "李强", Role::BurialOfficer).await;
        let editor = officer(&registry, "张编辑", Role::Editor).await;
        let viewer = officer(&registry, "赵查看", Role::Viewer).await;
        let admin = officer(&registry, "管理员", Role::Admin).await;

        // Creating a street: names officers and the administrator only.
        let create = |token: Option<&str>, name: &str, offset: f64| {
            let body = json!({ "reason": "新建巷道", "feature": street(name, offset) });
            (
                request(
                    "POST",
                    "/api/layers/streets/items",
                    token,
                    Some(body.clone()),
                ),
                body,
            )
        };
        for (token, expected) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some(burial.as_str()), StatusCode::FORBIDDEN),
            (Some(editor.as_str()), StatusCode::FORBIDDEN),
            (Some(viewer.as_str()), StatusCode::FORBIDDEN),
            (Some(boundary.as_str()), StatusCode::FORBIDDEN),
        ] {
            let (req, body) = create(token, "试验巷", 0.0);
            let reply = send(&app, req, Some(body)).await;
            assert_eq!(reply.status, expected, "{}", reply.body);
        }
        let (req, body) = create(Some(&names), "试验一巷", 0.0);
        let reply = send(&app, req, Some(body)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let (req, body) = create(Some(&admin), "试验二巷", 0.001);
        assert_eq!(
            send(&app, req, Some(body)).await.status,
            StatusCode::CREATED
        );
        assert_eq!(registry.current().count(Layer::Street), 42);

        // A unit (found by its id, whatever the request claims): boundary officers only. A
        // names officer is refused even when sending a valid unit body for it.
        let (unit, feature) = some_unit(&registry);
        let update = json!({ "reason": "界线勘定后修正", "feature": feature });
        let uri = format!("/api/records/{unit}");
        let reply = send(
            &app,
            request("PUT", &uri, Some(&names), Some(update.clone())).header("if-match", "\"1\""),
            Some(update.clone()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        assert!(reply.json()["error"].as_str().unwrap().contains("行政区域"));
        let reply = send(
            &app,
            request("PUT", &uri, Some(&boundary), Some(update.clone())).header("if-match", "\"1\""),
            Some(update),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.headers["etag"], "\"2\"");

        // A burial officer cannot retire a door plate through its guessed id.
        let plate = RecordId::derived("door/前进大街/1");
        let reply = send(
            &app,
            request(
                "DELETE",
                &format!("/api/records/{plate}"),
                Some(&burial),
                Some(json!({})),
            )
            .header("if-match", "\"1\""),
            Some(json!({ "reason": "拆除" })),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        assert!(registry.current().get(&plate).is_some());

        // Every refusal is in the log, with who and why.
        let refusals = registry.store().refusals(50).await.unwrap();
        assert_eq!(refusals.len(), 7, "{refusals:?}");
        assert!(
            refusals
                .iter()
                .any(|r| r.user.is_none() && r.reason == "未登录")
        );
        assert!(
            refusals
                .iter()
                .any(|r| r.user.as_deref() == Some("李强") && r.target.contains(&plate.to_string()))
        );
        assert!(
            refusals
                .iter()
                .any(|r| r.user.as_deref() == Some("王芳") && r.reason.contains("行政区域"))
        );
    }
);

both_stores!(the_public_sees_public_data_only, |db: TestDb| async move {
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let names = officer(&registry, "王芳", Role::NamesOfficer).await;
    let body = json!({ "reason": "拟命名", "feature": street("拟建巷", 0.0) });
    let reply = send(
        &app,
        request(
            "POST",
            "/api/layers/streets/items",
            Some(&names),
            Some(body.clone()),
        ),
        Some(body),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let proposed = reply.json()["id"].as_str().unwrap().to_string();

    // The proposal is internal: the public does not see it, in the layer, by id or in search.
    let public_layer = send(
        &app,
        request("GET", "/api/layers/streets", None, None),
        None,
    )
    .await;
    assert_eq!(
        public_layer.json()["features"].as_array().unwrap().len(),
        40
    );
    let officer_layer = send(
        &app,
        request("GET", "/api/layers/streets", Some(&names), None),
        None,
    )
    .await;
    assert_eq!(
        officer_layer.json()["features"].as_array().unwrap().len(),
        41
    );
    let by_id = send(
        &app,
        request("GET", &format!("/api/records/{proposed}"), None, None),
        None,
    )
    .await;
    assert_eq!(by_id.status, StatusCode::NOT_FOUND);
    let found = send(
        &app,
        request("GET", "/api/search?q=%E6%8B%9F%E5%BB%BA", None, None),
        None,
    )
    .await;
    assert!(!found.body.contains(&proposed), "{}", found.body);

    let svg = send(&app, request("GET", "/map.svg?view=town", None, None), None).await;
    assert!(
        !svg.body.contains("拟建巷"),
        "the public map leaves the proposal out"
    );
    let svg = send(
        &app,
        request("GET", "/map.svg?view=town", Some(&names), None),
        None,
    )
    .await;
    assert!(svg.body.contains("<title>拟建巷</title>"));

    // Renumbering campaigns are internal work: no such layer for the public.
    let campaigns = send(
        &app,
        request("GET", "/api/layers/campaigns", None, None),
        None,
    )
    .await;
    assert_eq!(campaigns.status, StatusCode::NOT_FOUND);
    let layers = send(&app, request("GET", "/api/layers", None, None), None).await;
    assert!(!layers.body.contains("campaigns"));

    // History: the public sees what changed and why, not who changed it.
    let renamed = RecordId::derived("street/工农街");
    let uri = format!("/api/records/{renamed}/history");
    let public = send(&app, request("GET", &uri, None, None), None)
        .await
        .json();
    assert_eq!(public["versions"].as_array().unwrap().len(), 2);
    assert!(public["versions"][1]["changeset"]["author"].is_null());
    assert!(
        public["versions"][1]["changeset"]["reason"]
            .as_str()
            .unwrap()
            .contains("建设街")
    );
    let internal = send(&app, request("GET", &uri, Some(&names), None), None)
        .await
        .json();
    assert!(internal["versions"][1]["changeset"]["author"].is_string());

    // The home page: counts for everyone, the latest changesets for officers only.
    let home = send(&app, request("GET", "/", None, None), None).await.body;
    assert!(
        home.contains("<td>门牌</td><td class=\"n\">3202</td>"),
        "{home}"
    );
    // Who changed what is internal: the latest changesets are not listed for the public.
    assert!(!home.contains("示例数据：地名标志") && home.contains("仅对登录的工作人员显示"));
    // Pages follow the roles too: the import page is for officers, and offers only the
    // layers the officer may write.
    let import = send(&app, request("GET", "/import", None, None), None).await;
    assert_eq!(import.status, StatusCode::UNAUTHORIZED);
    let import = send(
        &app,
        request("GET", "/import", None, None).header("accept", "text/html"),
        None,
    )
    .await;
    assert_eq!(import.headers["location"], "/login?next=%2Fimport");
    let viewer = officer(&registry, "赵查看", Role::Viewer).await;
    let import = send(&app, request("GET", "/import", Some(&viewer), None), None).await;
    assert!(import.body.contains("不能修改任何图层"), "{}", import.body);
    let import = send(&app, request("GET", "/import", Some(&names), None), None).await;
    assert!(
        import.body.contains("value=\"streets\"") && !import.body.contains("value=\"admin_units\"")
    );
    let map = send(&app, request("GET", "/map", Some(&viewer), None), None).await;
    assert!(
        !map.body.contains("id=\"add-plate\"") && !map.body.contains("id=\"draw-start\""),
        "a viewer sees no edit tools"
    );
    let map = send(&app, request("GET", "/map", Some(&names), None), None).await;
    assert!(map.body.contains("id=\"add-plate\""));
    let home = send(&app, request("GET", "/", Some(&names), None), None)
        .await
        .body;
    assert!(
        home.contains("示例数据：5 座坟墓迁入") && home.contains("王芳（地名管理员）"),
        "{home}"
    );
});

/// The cookie a login answer sets, as `name=value`.
fn session_cookie(reply: &crate::support::Reply) -> String {
    let set = reply.headers["set-cookie"].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

/// Opens the login page (with the cookies a browser already holds): its login cookie and the
/// token of its form.
pub(crate) async fn login_page(app: &axum::Router, held: Option<&str>) -> (String, String) {
    let mut request = axum::http::Request::get("/login");
    if let Some(c) = held {
        request = request.header("cookie", c);
    }
    let page = call(app, request.body(Body::empty()).unwrap()).await;
    let cookie = page.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = page
        .body
        .split("name=\"login_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    (cookie, token)
}

/// Opens the login page (its cookie and token) and posts `fields` with them, as a browser does.
async fn login(app: &axum::Router, fields: &str) -> crate::support::Reply {
    let (cookie, token) = login_page(app, None).await;
    call(
        app,
        form(
            "/login",
            Some(&cookie),
            &format!("{fields}&login_token={token}"),
        ),
    )
    .await
}

fn form(uri: &str, cookie: Option<&str>, body: &str) -> axum::http::Request<Body> {
    let mut b =
        axum::http::Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

both_stores!(
    sessions_need_the_csrf_token_for_every_write,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        officer(&registry, "wangfang", Role::NamesOfficer).await;

        // A login posted from elsewhere (without the login page's cookie and token): refused.
        let reply = call(
            &app,
            form(
                "/login",
                None,
                "name=wangfang&password=x&login_token=forged",
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);

        // A wrong password: 401, the form again, a logged refusal, no session cookie.
        let reply = login(&app, "name=wangfang&password=guess&next=%2Fmap").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.body.contains("用户名或密码错误"));
        assert!(
            !reply.headers["set-cookie"]
                .to_str()
                .unwrap()
                .contains("diming_session")
        );
        let refusals = registry.store().refusals(5).await.unwrap();
        assert_eq!(refusals[0].action, "login");
        // Guessing stops after five failures in fifteen minutes, even with the right password.
        officer(&registry, "guessed", Role::Viewer).await;
        for _ in 0..5 {
            let reply = login(&app, "name=guessed&password=wrong-guess").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        }
        let right = "name=guessed&password=test-password-%E9%95%BF%E9%95%BF%E7%9A%84";
        let reply = login(&app, right).await;
        assert_eq!(
            reply.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            reply.body
        );
        assert!(reply.body.contains("已暂停登录"));
        assert!(
            !reply.headers["set-cookie"]
                .to_str()
                .unwrap()
                .contains("diming_session")
        );
        // An unknown user is answered the same way.
        let reply = login(&app, "name=nobody&password=guess").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

        // The right password: a session cookie and back to where the officer was going; never
        // to another site.
        let password = "test-password-%E9%95%BF%E9%95%BF%E7%9A%84";
        let reply = login(
            &app,
            &format!("name=wangfang&password={password}&next=%2Fmap"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(reply.headers["location"], "/map");
        let cookie = session_cookie(&reply);
        let reply = login(
            &app,
            &format!("name=wangfang&password={password}&next=%2F%2Fevil.example"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);

        // The page knows the officer and carries the CSRF token for its forms.
        let page = call(
            &app,
            axum::http::Request::get("/map")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(
            page.body.contains("wangfang（地名管理员）"),
            "{}",
            page.body
        );
        let csrf = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the logout form carries the CSRF token")
            .to_string();
        assert_eq!(csrf.len(), 64);

        // A write with the session but without the token is refused, and changes nothing.
        let id = RecordId::derived("street/前进大街");
        let before = registry.current().get(&id).unwrap().clone();
        let mut properties = serde_json::to_value(&before.body).unwrap();
        properties.as_object_mut().unwrap().remove("layer");
        let body = json!({ "reason": "调整走向", "feature": {
            "type": "Feature",
            "geometry": diming::spatial::geojson::from_geo(&before.geometry),
            "properties": properties,
        }});
        let put = |token: Option<&str>| {
            let mut b = axum::http::Request::put(format!("/api/records/{id}"))
                .header("content-type", "application/json")
                .header("cookie", &cookie)
                .header("if-match", format!("\"{}\"", before.version));
            if let Some(t) = token {
                b = b.header("x-csrf-token", t);
            }
            b.body(Body::from(body.to_string())).unwrap()
        };
        let reply = call(&app, put(None)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        assert_eq!(reply.json()["code"], "forbidden");
        let reply = call(&app, put(Some(&"0".repeat(64)))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(registry.current().get(&id).unwrap().version, before.version);
        let reply = call(&app, put(Some(&csrf))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let history = registry.history(id).await.unwrap();
        let cs = registry
            .store()
            .changeset(history.last().unwrap().changeset)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cs.author, "wangfang", "the author is the logged-in officer");

        // Logging out needs the token too; afterwards the cookie is worth nothing.
        let reply = call(&app, form("/logout", Some(&cookie), "")).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = call(
            &app,
            form("/logout", Some(&cookie), &format!("csrf={csrf}")),
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert!(
            reply.headers["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let reply = call(&app, put(Some(&csrf))).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    }
);

#[tokio::test]
async fn accounts_are_managed_from_the_command_line() {
    use crate::support::diming;
    let db = TestDb::sqlite().await;
    let url = db.url().to_string();
    let add = |name: &str, role: &str, password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_diming"))
            .args([
                "--db",
                &url,
                "user",
                "add",
                name,
                "--role",
                role,
                "--password-stdin",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = add("王芳", "names_officer", "short");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("至少 10"));
    let out = add("王芳", "root", "long-enough-password");
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有角色“root”"));
    let out = add("王芳", "names_officer", "long-enough-password");
    crate::support::succeeded(&out);
    let out = add("王芳", "viewer", "long-enough-password");
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));

    let list = diming(&url, &["user", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("王芳\t地名管理员\t正常"));

    // A token from the command line opens the API; revoked, it opens nothing.
    let out = diming(&url, &["user", "token", "王芳", "--label", "qgis"]);
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(token.len(), 64);
    let registry = Arc::new(db.registry().await);
    let app = diming::web::app(registry.clone());
    let layers = send(
        &app,
        request("GET", "/api/layers", Some(&token), None),
        None,
    )
    .await;
    assert!(
        layers.body.contains("campaigns"),
        "an officer sees internal layers"
    );
    diming(
        &url,
        &["user", "token", "王芳", "--label", "qgis", "--revoke"],
    );
    let layers = send(
        &app,
        request("GET", "/api/layers", Some(&token), None),
        None,
    )
    .await;
    assert_eq!(layers.status, StatusCode::UNAUTHORIZED);

    // A disabled account cannot use its tokens.
    let out = diming(&url, &["user", "token", "王芳"]);
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    diming(&url, &["user", "set", "王芳", "--disable"]);
    let layers = send(
        &app,
        request("GET", "/api/layers", Some(&token), None),
        None,
    )
    .await;
    assert_eq!(layers.status, StatusCode::UNAUTHORIZED);
    let refusals = diming(&url, &["user", "refusals"]);
    assert!(String::from_utf8_lossy(&refusals.stdout).contains("接口令牌无效或已吊销"));
}

both_stores!(
    a_session_planted_before_login_is_never_the_officers_session,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        officer(&registry, "wangfang", Role::NamesOfficer).await;
        officer(&registry, "mallory", Role::Viewer).await;
        let password = "test-password-%E9%95%BF%E9%95%BF%E7%9A%84";
        // The attacker's own session, and one made up.
        let reply = login(&app, &format!("name=mallory&password={password}")).await;
        let planted = session_cookie(&reply);
        for fixed in [
            planted.clone(),
            "diming_session=attacker-chosen-value".to_string(),
        ] {
            // The officer's browser carries the fixed cookie when it logs in.
            let (login_cookie, token) = login_page(&app, Some(&fixed)).await;
            let reply = call(
                &app,
                form(
                    "/login",
                    Some(&format!("{login_cookie}; {fixed}")),
                    &format!("name=wangfang&password={password}&login_token={token}"),
                ),
            )
            .await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
            // A new session, never the fixed one.
            let issued = session_cookie(&reply);
            assert_ne!(issued, fixed);
            let who = |cookie: String| {
                let app = app.clone();
                async move {
                    call(
                        &app,
                        axum::http::Request::get("/map")
                            .header("cookie", cookie)
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await
                    .body
                }
            };
            assert!(who(issued).await.contains("wangfang（地名管理员）"));
            // The fixed cookie is still whatever it was (the attacker's viewer, or nobody).
            let fixed_page = who(fixed.clone()).await;
            assert!(!fixed_page.contains("wangfang"), "{fixed}");
        }
    }
);
