//! The pages in a real browser (Debian's headless Chromium) against a real server: what a
//! visitor sees, and what an officer does (typing, clicking and dragging with the mouse).

use crate::support::TestDb;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `diming serve` process, killed when dropped.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `diming serve` on a port the system chooses, and the port, read from the server's own
/// "listening" log line. (Choosing a free port here and passing it raced with other tests'
/// servers: one could take the port first, and a request meant for this server reached
/// another, with another store.)
pub(crate) fn serve_free(db: &str) -> (Server, u16) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info,sqlx=warn")
        .env("DIMING_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start diming serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the log to its end (the server must never block on a full pipe), passing it on.
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let entry: Option<serde_json::Value> = serde_json::from_str(&line).ok();
            let fields = entry.as_ref().map(|e| &e["fields"]);
            if let Some(fields) = fields
                && fields["message"] == "listening"
                && let Some(port) = fields["addr"]
                    .as_str()
                    .and_then(|a| a.rsplit(':').next())
                    .and_then(|p| p.parse::<u16>().ok())
            {
                let _ = tx.send(port);
            }
            eprintln!("{line}");
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server did not start listening within 30 s");
    (server, port)
}

/// Runs headless Chromium with the flags this closed network needs.
fn chromium(profile: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("timeout")
        .arg("120")
        .arg("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium is installed (.ci/install)");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pixels of `png` within a small distance of `rgb`.
fn count_colour(png: &std::path::Path, rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < 12))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_renders_with_its_maps_in_chromium() {
    let db = TestDb::sqlite().await;
    crate::support::load_demo(&db.registry().await).await;
    let (_server, port) = serve_free(db.url());
    let url = format!("http://127.0.0.1:{port}/");
    let dir = tempfile::tempdir().unwrap();

    let dom = chromium(&dir.path().join("profile-dom"), &["--dump-dom", &url]);
    assert!(
        dom.contains("<td>门牌</td><td class=\"n\">3202</td>"),
        "{dom}"
    );
    assert!(
        dom.contains("仅对登录的工作人员显示"),
        "the public is told that changesets are for officers"
    );

    let shot = dir.path().join("home.png");
    chromium(
        &dir.path().join("profile-shot"),
        &[
            "--window-size=1900,1600",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
    );
    // The street colour of the town map and the community fill colours must be on screen:
    // the SVG maps were fetched and drawn, not left as broken images.
    let streets = count_colour(&shot, [0xc8, 0xa0, 0x4a]);
    assert!(streets > 5_000, "only {streets} street pixels");
    let fills = count_colour(&shot, [0xe8, 0xf1, 0xe4]);
    assert!(fills > 5_000, "only {fills} pixels of the first unit fill");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_name_form_checks_as_the_officer_types_in_chromium() {
    let db = TestDb::sqlite().await;
    crate::support::load_demo(&db.registry().await).await;
    let (_server, port) = serve_free(db.url());
    let dir = tempfile::tempdir().unwrap();
    // The page runs its check on load with the name given; the DOM is read once it settles.
    let url = format!(
        "http://127.0.0.1:{port}/names/check?name=%E6%9B%BC%E5%93%88%E9%A1%BF%E8%8A%B1%E5%9B%AD"
    );
    let dom = chromium(
        &dir.path().join("profile"),
        &["--virtual-time-budget=5000", "--dump-dom", &url],
    );
    assert!(dom.contains("data-rule=\"foreign\""), "{dom}");
    assert!(dom.contains("拼写：Manhadun Huayuan"), "{dom}");
    // The verdict names its rule as officers do (洋), never by its code, and says what the
    // name may still be.
    assert!(dom.contains("不符合命名规则（洋）："), "{dom}");
    assert!(!dom.contains("[foreign]"), "{dom}");
    assert!(dom.contains("可作为拟命名登记"), "{dom}");
    let url =
        format!("http://127.0.0.1:{port}/names/check?name=%E9%98%BF%E5%B7%B4%E5%98%8E%E8%B7%AF");
    let dom = chromium(
        &dir.path().join("profile2"),
        &["--virtual-time-budget=5000", "--dump-dom", &url],
    );
    assert!(
        dom.contains("符合命名规则") && dom.contains("ABAG LU"),
        "{dom}"
    );
}

/// Centres the map on `point` (JavaScript giving `[lon, lat]`, awaited) at `zoom` and clicks
/// there with the mouse.
pub(crate) fn click_map_at(browser: &mut crate::cdp::Browser, point: &str, zoom: u32) {
    let at = browser.eval(&format!(
        "(async () => {{
            const p = await ({point});
            const map = window.dimingMap;
            map.jumpTo({{ center: p, zoom: {zoom} }});
            await new Promise(r => map.once('idle', r));
            const px = map.project(p);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + px.x, box.top + px.y];
        }})()"
    ));
    browser.click(at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
}

/// The demo in `db`, an officer `name` with `role`, and the server: the server and its address.
pub(crate) async fn served(
    db: &crate::support::TestDb,
    name: &str,
    role: diming::accounts::Role,
) -> (Server, String) {
    {
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        crate::support::officer(&registry, name, role).await;
    }
    let (server, port) = serve_free(db.url());
    (server, format!("http://127.0.0.1:{port}"))
}

/// The demo registry (SQLite) served on a free port, with `officers` (name, role): the store,
/// the server, its address and the officers' API tokens.
async fn served_demo(
    officers: &[(&str, diming::accounts::Role)],
) -> (TestDb, Server, String, Vec<String>) {
    let db = TestDb::sqlite().await;
    let mut tokens = Vec::new();
    {
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        for (name, role) in officers {
            tokens.push(crate::support::officer(&registry, name, *role).await);
        }
    }
    let (server, port) = serve_free(db.url());
    (db, server, format!("http://127.0.0.1:{port}"), tokens)
}

/// Logs `name` in by typing into the login form and clicking its button, on the way to `next`
/// (the caller waits for that page).
pub(crate) fn log_in(browser: &mut crate::cdp::Browser, base: &str, name: &str, next: &str) {
    browser.goto(&format!("{base}/login?next={next}"));
    browser.type_into("input[name=name]", name);
    browser.type_into("input[name=password]", "test-password-长长的");
    browser.click_on("form.login button");
}

/// JavaScript giving the point `share` of the way along a street record's first line.
/// Picks the layer to draw on the map's editor, as an officer does with the list.
fn choose_draw_layer(browser: &mut crate::cdp::Browser, layer: &str) {
    browser.eval(&format!("(() => {{ const s = document.getElementById('draw-layer'); s.value = '{layer}'; s.dispatchEvent(new Event('change')); return true; }})()"));
}

/// Starts drawing on the map: the hint says what to click.
fn start_drawing(browser: &mut crate::cdp::Browser) {
    browser.click_on("#draw-start");
    browser.wait_for("document.getElementById('draw-hint')", "the drawing hint");
}

/// Checks the new feature's form before saving: every rule of saving passes.
fn check_passes(browser: &mut crate::cdp::Browser) {
    browser.click_on("#check-new");
    let checked = browser.wait_for(
        "document.getElementById('check-result')?.textContent",
        "the check's answer",
    );
    assert_eq!(checked, "检查通过：可以保存");
}

/// The record the map's panel shows, as the API gives it (GeoJSON with its properties).
fn shown_record(browser: &mut crate::cdp::Browser) -> serde_json::Value {
    browser.eval(
        "(async () => { const id = document.getElementById('record-link').getAttribute('href').split('/').pop(); return await (await fetch('/api/records/' + id)).json(); })()",
    )
}

fn along(street: diming::record::RecordId, share: f64) -> String {
    format!(
        "(async () => {{
            const line = (await (await fetch('/api/records/{street}')).json()).geometry.coordinates[0];
            const a = line[0], b = line[line.length - 1];
            return [a[0] + (b[0] - a[0]) * {share}, a[1] + (b[1] - a[1]) * {share}];
        }})()"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_logs_in_and_works_on_the_map_the_numbering_tool_and_the_import_page() {
    let db = TestDb::sqlite().await;
    let other: String;
    {
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        crate::support::officer(&registry, "wangfang", diming::accounts::Role::NamesOfficer).await;
        other =
            crate::support::officer(&registry, "batu", diming::accounts::Role::NamesOfficer).await;
    }
    let (_server, port) = serve_free(db.url());
    let base = format!("http://127.0.0.1:{port}");
    let mut browser = crate::cdp::Browser::launch(1400, 900);

    // Log in by typing into the form and clicking its button.
    log_in(&mut browser, &base, "wangfang", "/map");
    browser.wait_for(
        "location.pathname === '/map' && document.readyState === 'complete' && document.getElementById('who')",
        "the map page after logging in",
    );
    assert_eq!(
        browser.eval("document.getElementById('who').textContent"),
        "wangfang（地名管理员）"
    );

    // The map draws every layer the officer may see, with a switch for each.
    browser.wait_for("window.dimingReady === true", "the map's layers");
    let switches = browser
        .eval("[...document.querySelectorAll('#layers label')].map(l => l.textContent.trim())");
    assert_eq!(
        switches,
        serde_json::json!([
            "行政区域（18）",
            "界线（17）",
            "殡葬区划（4）",
            "门牌整编（0）",
            "公墓（2）",
            "墓区（6）",
            "墓位（1134）",
            "街路巷（40）",
            "地名（14）",
            "门牌（3202）",
            "地名标志（418）",
            "界桩（8）"
        ])
    );

    // Mongolian names are HTML labels set vertically, top to bottom: the city's and the six
    // demo streets with Mongolian names.
    let mn = browser.eval("[...document.querySelectorAll('.mn-label')].map(e => [e.textContent, getComputedStyle(e).writingMode]).sort()");
    let mut want: Vec<serde_json::Value> = std::iter::once("ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ")
        .chain([
            "ᠰᠥᠨᠢᠳ ᠵᠠᠮ",
            "ᠰᠠᠶᠢᠬᠠᠨ ᠵᠠᠮ",
            "ᠡᠷᠢᠶᠡᠨ ᠵᠠᠮ",
            "ᠤᠯᠠᠭᠠᠨ ᠵᠠᠮ",
            "ᠬᠥᠬᠡ ᠵᠠᠮ",
            "ᠨᠠᠭᠠᠳᠤᠮ ᠵᠠᠮ",
        ])
        .map(|m| serde_json::json!([m, "vertical-lr"]))
        .collect();
    want.sort_by_key(|v| v[0].as_str().unwrap().to_string());
    assert_eq!(mn, serde_json::Value::Array(want));

    // The map as of a date before the rename shows 工农街; back to the present, 建设街.
    let names = "(async () => (await window.dimingMap.getSource('streets').getData()).features.map(f => f.properties.name))()";
    browser.eval("const d = document.getElementById('as-of'); d.value = '2020-12-31'; d.dispatchEvent(new Event('change'))");
    browser.wait_for(
        "document.getElementById('map').dataset.asOf === '2020-12-31' && window.dimingReady",
        "the map as of 2020-12-31",
    );
    let then: Vec<String> = serde_json::from_value(browser.eval(names)).unwrap();
    assert!(
        then.contains(&"工农街".to_string()) && !then.contains(&"建设街".to_string()),
        "{then:?}"
    );
    browser.click_on("#as-of-clear");
    browser.wait_for(
        "document.getElementById('map').dataset.asOf === '' && window.dimingReady",
        "the present map",
    );
    let now: Vec<String> = serde_json::from_value(browser.eval(names)).unwrap();
    assert!(now.contains(&"建设街".to_string()) && !now.contains(&"工农街".to_string()));

    // Zoom to 建设街 (renamed from 工农街) and click it with the mouse.
    let id = diming::record::RecordId::derived("street/工农街");
    click_map_at(&mut browser, &along(id, 0.37), 17);
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent === '建设街'",
        "the clicked street's attributes",
    );
    let attributes = browser.eval("document.getElementById('attributes').innerText");
    assert!(
        attributes.as_str().unwrap().contains("Jianshe Jie"),
        "{attributes}"
    );
    let history =
        browser.eval("[...document.querySelectorAll('#history li')].map(li => li.innerText)");
    let history: Vec<String> = serde_json::from_value(history).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history[0].contains("第 2 版") && history[0].contains("二政字〔2021〕35号"),
        "{history:?}"
    );
    assert!(
        history[1].contains("第 1 版") && history[1].contains("工农街"),
        "{history:?}"
    );

    // Door plates come as vector tiles from our own server (back from the history view too),
    // drawn as maps/web-map.json says; their features carry their record ids.
    assert_eq!(
        browser.eval("window.dimingMap.getSource('door_plates').type"),
        "vector"
    );
    let plates = browser.eval(
        "window.dimingMap.querySourceFeatures('door_plates', { sourceLayer: 'door_plates' }).filter(f => f.properties.id && f.properties.number).length",
    );
    assert!(
        plates.as_u64().unwrap() > 0,
        "door plates in tiles: {plates}"
    );
    // The layer switch hides door plates from the map.
    browser.click_on("input[data-layer=door_plates]");
    assert_eq!(
        browser.eval("window.dimingMap.getLayoutProperty('door_plates-circle', 'visibility')"),
        "none"
    );
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("map.png");
    browser.screenshot(&shot);
    std::fs::copy(&shot, std::env::temp_dir().join("diming-map-test.png")).ok();
    // The street is drawn in its class's colour and width (a secondary street at zoom 17 is
    // about 20 px wide), not a blank canvas.
    let streets = count_colour(&shot, [0xfd, 0xe3, 0xa0]);
    assert!(streets > 10_000, "only {streets} street pixels");

    // The layers a names officer draws, each with its form from the layer's schema.
    let drawable = browser
        .eval("[...document.querySelectorAll('#draw-layer option')].map(o => o.value).join(',')");
    assert_eq!(drawable, "streets,places,door_plates,signs");
    choose_draw_layer(&mut browser, "streets");
    start_drawing(&mut browser);
    // Draw a street: the first click lands 3 px from 前进大街's end and snaps to it (the
    // positions are taken once the drawing hint is shown, as the clicks will find the page).
    let street_id = diming::record::RecordId::derived("street/前进大街");
    let points = browser.eval(&format!(
        "(async () => {{
            const f = await (await fetch('/api/records/{street_id}')).json();
            const end = f.geometry.coordinates[0][0];
            const map = window.dimingMap;
            map.jumpTo({{ center: end, zoom: 17 }});
            await new Promise(r => map.once('idle', r));
            const box = map.getContainer().getBoundingClientRect();
            const p = map.project(end);
            return {{ end, clicks: [[box.left + p.x + 3, box.top + p.y + 2], [box.left + p.x - 90, box.top + p.y + 140], [box.left + p.x - 200, box.top + p.y + 150]] }};
        }})()"
    ));
    for c in points["clicks"].as_array().unwrap() {
        browser.click(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        std::thread::sleep(std::time::Duration::from_millis(350));
    }
    browser.click_on("#draw-finish");
    browser.wait_for(
        "document.querySelector('#new-form [data-field=name]')",
        "the street form",
    );
    browser.eval("document.querySelector('#new-form [data-field=class]').value = 'lane'; true");
    browser.type_into("#new-form [data-field=name]", "曼哈顿巷");
    let verdict = browser.wait_for(
        "document.querySelector('#name-verdicts [data-rule=foreign]')?.textContent",
        "the naming-rule verdict",
    );
    assert!(verdict.as_str().unwrap().contains("曼哈顿"), "{verdict}");
    // Checked before saving: the rules of saving, nothing written. A proposed name may carry
    // the rules' objection; the check says it may be saved as proposed, not that it "passed".
    browser.click_on("#check-new");
    let checked = browser.wait_for(
        "document.getElementById('check-result')?.textContent",
        "the check's answer",
    );
    assert_eq!(
        checked,
        "可以保存为拟命名；名称不符合命名规则，批准前须更正或凭批准文件"
    );
    browser.click_on("#save-new");
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent === '曼哈顿巷' && document.getElementById('history')",
        "the saved street and its history",
    );
    let history = browser.eval("document.getElementById('history').innerText");
    assert!(
        history.as_str().unwrap().contains("第 1 版")
            && history.as_str().unwrap().contains("wangfang"),
        "{history}"
    );
    let saved = browser.eval(
        "(async () => { const id = document.getElementById('record-link').getAttribute('href').split('/').pop(); return (await (await fetch('/api/records/' + id)).json()).geometry.coordinates; })()",
    );
    assert_eq!(
        saved[0][0], points["end"],
        "the first vertex snapped to the existing street's end"
    );
    assert_eq!(saved[0].as_array().unwrap().len(), 3);

    // Infill: a new entrance between two plates gets the next free 附号 and is written.
    browser.click_on("#add-plate");
    browser.wait_for("document.getElementById('add-hint')", "the infill hint");
    let (one, three) = (
        diming::record::RecordId::derived("door/前进大街/1"),
        diming::record::RecordId::derived("door/前进大街/3"),
    );
    click_map_at(
        &mut browser,
        &format!(
            "(async () => {{
                const a = (await (await fetch('/api/records/{one}')).json()).geometry.coordinates;
                const b = (await (await fetch('/api/records/{three}')).json()).geometry.coordinates;
                return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
            }})()"
        ),
        18,
    );
    let suggested = browser.wait_for(
        "document.getElementById('suggested')?.textContent",
        "the suggested number",
    );
    let suggested = suggested.as_str().unwrap().to_string();
    assert!(
        suggested.contains("前进大街") && suggested.contains("附"),
        "{suggested}"
    );
    browser.click_on("#accept-plate");
    let written = browser.wait_for(
        "document.getElementById('history') && document.getElementById('feature-title').textContent",
        "the new plate's record",
    );
    assert!(
        suggested.contains(written.as_str().unwrap()),
        "{written} vs {suggested}"
    );
    assert!(
        browser
            .eval("document.getElementById('history').innerText")
            .as_str()
            .unwrap()
            .contains("新增门牌")
    );

    // The numbering tool: drag the start point onto the other end to flip the direction,
    // then record the new direction for the street.
    let street = diming::record::RecordId::derived("street/胜利街");
    browser.goto(&format!("{base}/numbering?street={street}"));
    assert!(browser.eval("document.getElementById('unsaved')").is_null());
    browser.eval("document.getElementById('tool').scrollIntoView()");
    let end_cx = browser.eval("document.getElementById('end').getAttribute('cx')");
    let from = browser.centre("#start");
    let to = browser.centre("#end");
    browser.drag(from, to);
    browser.wait_for(
        "location.search.includes('direction=') && document.readyState === 'complete' && document.getElementById('unsaved')",
        "the flipped proposal",
    );
    assert_eq!(
        browser.eval("document.getElementById('start').getAttribute('cx')"),
        end_cx,
        "the numbers now start at the other end"
    );
    let changes = browser.eval("document.querySelectorAll('#changes tr').length");
    assert!(
        changes.as_u64().unwrap() > 40,
        "most numbers change: {changes}"
    );
    browser.click_on("#save-direction");
    browser.wait_for(
        "!location.search.includes('direction=') && document.readyState === 'complete' && document.getElementById('start')",
        "the recorded direction",
    );
    assert!(
        browser.eval("document.getElementById('unsaved')").is_null(),
        "the direction is recorded with the street"
    );
    assert_eq!(
        browser.eval("document.getElementById('start').getAttribute('cx')"),
        end_cx
    );
    let history = browser.eval(&format!(
        "(async () => (await (await fetch('/api/records/{street}/history')).json()).versions.length)()"
    ));
    assert_eq!(history, 2, "one new version of the street");

    // The import page: choose a file, check it, then write it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("新巷.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"名称":"乌兰巷","等级":"巷"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6305],[111.9625,43.6305]]}},
          {"type":"Feature","properties":{"名称":"","等级":"巷"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6315],[111.9625,43.6315]]}}]}"#,
    )
    .unwrap();
    browser.goto(&format!("{base}/import"));
    browser.eval("document.querySelector('select[name=layer]').value = 'streets'");
    browser.choose_file("input[name=file]", &file);
    browser.type_into("input[name=map]", "名称=name,等级=class");
    browser.click_on("button[name=dry]");
    let summary = browser.wait_for(
        "document.getElementById('import-summary')?.textContent",
        "the import report",
    );
    assert!(summary.as_str().unwrap().contains("拒绝 1"), "{summary}");
    let refused = browser.eval("document.getElementById('refused').innerText");
    assert!(refused.as_str().unwrap().contains("name"), "{refused}");
    // Fixed, and written for real.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace(r#""名称":"""#, r#""名称":"赛罕巷""#),
    )
    .unwrap();
    browser.choose_file("input[name=file]", &file);
    browser.click_on("button[name=write]");
    let written = browser.wait_for(
        "document.getElementById('written')?.textContent",
        "the written changeset",
    );
    assert!(
        written.as_str().unwrap().contains("已写入变更集"),
        "{written}"
    );
    let streets = browser.eval(
        "(async () => (await (await fetch('/api/layers')).json()).layers.find(l => l.layer === 'streets').count)()",
    );
    assert_eq!(
        streets, 43,
        "40 demo streets, the drawn one and the two imported"
    );
    // A broken file: the error under the file's own name, and the buttons usable again.
    let broken = dir.path().join("街巷普查.gpkg");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.resize(8192, 0xa5);
    std::fs::write(&broken, bytes).unwrap();
    browser.choose_file("input[name=file]", &broken);
    browser.click_on("button[name=write]");
    let error = browser.wait_for(
        "document.getElementById('import-error')?.textContent",
        "the import error",
    );
    assert!(
        error
            .as_str()
            .unwrap()
            .contains("街巷普查.gpkg：文件不是有效的 GeoPackage 文件"),
        "{error}"
    );
    assert_eq!(
        browser.eval("[...document.querySelectorAll('#import button')].every(b => !b.disabled)"),
        true
    );

    // Two officers edit the same street: the second save meets the first and shows both.
    browser.goto(&format!("{base}/map"));
    browser.wait_for("window.dimingReady === true", "the map's layers");
    click_map_at(&mut browser, &along(id, 0.37), 17);
    browser.wait_for(
        "document.getElementById('edit-attributes')",
        "the edit button",
    );
    browser.click_on("#edit-attributes");
    browser.eval("document.querySelector('[data-field=class]').value = 'arterial'");
    // Meanwhile the other officer records the Mongolian name.
    let status = browser.eval(&format!(
        "(async () => {{
            const r = await fetch('/api/records/{id}');
            const f = await r.json();
            const properties = Object.assign({{}}, f.properties);
            for (const k of ['layer', 'version', 'valid_from', 'valid_to', 'recorded_at', 'retired', 'changeset', 'romanization', 'position']) delete properties[k];
            properties.name_mn = 'ᠪᠦᠲᠦᠭᠡᠨ ᠭᠤᠳᠤᠮᠵᠢ';
            const put = await fetch('/api/records/{id}', {{ method: 'PUT', credentials: 'omit',
                body: JSON.stringify({{ reason: '补录蒙古文', feature: {{ type: 'Feature', geometry: f.geometry, properties }} }}),
                headers: {{ 'Content-Type': 'application/json', 'Authorization': 'Bearer {other}', 'If-Match': r.headers.get('ETag') }} }});
            return put.status;
        }})()"
    ));
    assert_eq!(status, 200);
    browser.click_on("#save-attributes");
    browser.wait_for("document.getElementById('conflict')", "the conflict view");
    let table = browser.eval("document.getElementById('conflict-table').innerText");
    let table = table.as_str().unwrap();
    assert!(
        table.contains("次干路") && table.contains("主干路") && table.contains("ᠪᠦᠲᠦᠭᠡᠨ ᠭᠤᠳᠤᠮᠵᠢ"),
        "{table}"
    );
    browser.click_on("#reapply");
    browser.wait_for(
        "document.getElementById('attributes') && document.getElementById('attributes').innerText.includes('主干路')",
        "the re-applied edit",
    );
    let attributes = browser.eval("document.getElementById('attributes').innerText");
    assert!(
        attributes.as_str().unwrap().contains("ᠪᠦᠲᠦᠭᠡᠨ ᠭᠤᠳᠤᠮᠵᠢ"),
        "the other officer's edit is kept: {attributes}"
    );
    let versions = browser.eval("document.querySelectorAll('#history li').length");
    assert_eq!(
        versions, 4,
        "rename, the other officer's and this officer's versions"
    );

    // Retire the street drawn earlier from the map: it leaves the map, its history stays.
    let drawn = browser.eval(
        "(async () => (await (await fetch('/api/layers/streets')).json()).features.find(f => f.properties.name === '曼哈顿巷'))()",
    );
    let drawn_id = drawn["id"].as_str().unwrap().to_string();
    let c = &drawn["geometry"]["coordinates"][0];
    let middle = format!(
        "[({} + {}) / 2, ({} + {}) / 2]",
        c[0][0], c[1][0], c[0][1], c[1][1]
    );
    click_map_at(&mut browser, &middle, 18);
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent === '曼哈顿巷' && document.getElementById('edit-attributes')",
        "the drawn street's panel",
    );
    browser.click_on("#edit-attributes");
    // The form cannot move the new name along its workflow without its steps and document:
    // 拟命名 → 已审核 (曼 is a foreign name: the check refuses), → 已批准, → 已公告, each refused
    // on save with the step to take, and the street stays a proposal.
    for status in ["checked", "approved", "published"] {
        browser.eval(&format!(
            "document.querySelector('[data-field=\"naming.status\"]').value = '{status}'"
        ));
        browser.eval("document.getElementById('edit-error').textContent = ''");
        browser.click_on("#save-attributes");
        browser.wait_for(
            "document.getElementById('edit-error').textContent !== ''",
            "the refusal",
        );
        let error = browser.eval("document.getElementById('edit-error').textContent");
        let error = error.as_str().unwrap();
        assert!(
            error.contains("命名规则检查未通过") || error.contains("不能由“拟命名”直接改为"),
            "{status}: {error}"
        );
    }
    let status = browser.eval(&format!(
        "(async () => (await (await fetch('/api/records/{drawn_id}')).json()).properties.naming.status)()"
    ));
    assert_eq!(status, "proposed");
    browser.click_on("#retire-feature");
    browser.wait_for("document.getElementById('retired')", "the retirement");
    let gone = browser.eval(&format!(
        "(async () => (await fetch('/api/records/{drawn_id}')).status)()"
    ));
    assert_eq!(gone, 404);
    let kept = browser.eval(&format!(
        "(async () => (await (await fetch('/api/records/{drawn_id}/history')).json()).versions.length)()"
    ));
    assert_eq!(kept, 2, "created and retired, both in the history");
}

/// A sign inspection in the field: on a phone-sized screen, the officer opens a sign's page,
/// picks the condition, takes a photo and submits; the page shows the new condition, the
/// photo and the work order it opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_inspects_a_sign_from_a_phone() {
    let db = TestDb::sqlite().await;
    {
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        crate::support::officer(&registry, "wangfang", diming::accounts::Role::NamesOfficer).await;
    }
    let (_server, port) = serve_free(db.url());
    let base = format!("http://127.0.0.1:{port}");
    let mut browser = crate::cdp::Browser::launch(390, 844);
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true }),
    );
    browser.call(
        "Emulation.setTouchEmulationEnabled",
        serde_json::json!({ "enabled": true }),
    );

    log_in(&mut browser, &base, "wangfang", "/signs/DX-002");
    browser.wait_for(
        "location.pathname === '/signs/DX-002' && document.readyState === 'complete' && document.getElementById('inspect')",
        "the sign's page after logging in",
    );
    // The face and the form fit the phone's width: nothing to scroll sideways.
    let fits = browser.eval(
        "['face', 'inspect'].every(id => document.getElementById(id).getBoundingClientRect().right <= window.innerWidth)",
    );
    assert_eq!(fits, serde_json::json!(true));
    assert_eq!(
        browser.eval("document.getElementById('condition').textContent"),
        "完好"
    );

    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("现场.png");
    image::RgbImage::from_fn(120, 90, |x, y| image::Rgb([x as u8, y as u8, 140]))
        .save(&photo)
        .unwrap();
    browser.click_on("#inspect input[value=damaged]");
    browser.choose_file("#inspect input[name=photos]", &photo);
    browser.type_into("#inspect textarea[name=notes]", "灯箱面板破裂");
    browser.click_on("#inspect button");
    browser.wait_for(
        "document.readyState === 'complete' && document.getElementById('condition')?.textContent === '残缺'",
        "the page showing the new condition",
    );
    let row = browser.eval("document.querySelector('#inspections tr:nth-child(2)').textContent");
    assert!(row.as_str().unwrap().contains("灯箱面板破裂"), "{row}");
    browser.wait_for(
        "[...document.querySelectorAll('#inspections img')].some(i => i.complete && i.naturalWidth === 120)",
        "the photo served back",
    );
    let orders = browser.eval("document.getElementById('orders').textContent");
    assert!(orders.as_str().unwrap().contains("维修"), "{orders}");
}

/// An editor builds the gazetteer from its page in Chromium: the progress shows, the edition
/// appears in the list and downloads as a PDF; a burial officer finds the statistics page with
/// its chart, and the public finds a grave.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_builds_the_gazetteer_and_the_public_finds_a_grave_in_chromium() {
    let db = TestDb::sqlite().await;
    // The public asks for one person: the whole name and the year of death.
    let (name, year) = {
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        crate::support::officer(&registry, "editor", diming::accounts::Role::Editor).await;
        registry
            .current()
            .layer(diming::model::Layer::Burial)
            .find_map(|v| match &v.body {
                diming::model::Body::Burial(b)
                    if b.plot.is_some() && b.deceased.name.contains("巴特尔") =>
                {
                    use chrono::Datelike;
                    Some((b.deceased.name.clone(), b.deceased.died.year()))
                }
                _ => None,
            })
            .expect("a 巴特尔 buried in the cemetery")
    };
    let (_server, port) = serve_free(db.url());
    let base = format!("http://127.0.0.1:{port}");
    let mut browser = crate::cdp::Browser::launch(1200, 900);
    browser.goto(&format!("{base}/graves?q={name}&year={year}"));
    browser.wait_for("document.readyState === 'complete'", "the grave finder");
    let found = browser.eval("document.querySelectorAll('#graves li').length");
    assert!(found.as_u64().unwrap() >= 1, "{found}");
    let marked = browser.eval("document.querySelector('#graves li svg #found') !== null");
    assert_eq!(
        marked,
        serde_json::json!(true),
        "the plot is marked on the plan"
    );

    log_in(&mut browser, &base, "editor", "/gazetteer");
    browser.wait_for(
        "location.pathname === '/gazetteer' && document.readyState === 'complete' && document.getElementById('build')",
        "the gazetteer page with its form",
    );
    browser.type_into("#build input[name=categories]", "streets,settlement");
    browser.click_on("#build button");
    browser.wait_for(
        "document.getElementById('progress') && !document.getElementById('progress').hidden",
        "the progress",
    );
    browser.wait_for(
        "document.getElementById('new-edition') !== null",
        "the finished edition",
    );
    // The editor learns that approved names the rules object to are not entries, and where
    // to see them (曼哈顿国际花园 and 帝豪家园 among the settlements).
    let said = browser.eval("document.getElementById('nonstandard').textContent");
    assert_eq!(said.as_str(), Some("待规范地名 2 条"), "{said}");
    browser.wait_for(
        "document.readyState === 'complete' && document.querySelectorAll('#editions tr').length === 2",
        "the list with the new edition",
    );
    let href = browser.eval("document.querySelector('#editions a').href");
    let path = href.as_str().unwrap().trim_start_matches(&base).to_string();
    let (status, answer) = crate::support::http(port, "GET", &path, None, "").unwrap();
    assert_eq!(status, 200);
    assert!(crate::support::http_body(&answer).starts_with(b"%PDF"));
}

/// A boundary officer records a field observation from the boundaries page: the form starts
/// from the registered position, the answer tells the offset and raises the alert, and the
/// table shows the new observation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boundary_officer_records_a_marker_observation_in_chromium() {
    let (_db, _server, base, _) =
        served_demo(&[("bater", diming::accounts::Role::BoundaryOfficer)]).await;
    let mut browser = crate::cdp::Browser::launch(1200, 900);
    log_in(&mut browser, &base, "bater", "/boundaries");
    browser.wait_for(
        "location.pathname === '/boundaries' && document.readyState === 'complete' && document.getElementById('observe')",
        "the boundaries page with the form",
    );
    browser.eval("(() => { const s = document.querySelector('#observe select[name=number]'); s.value = 'JZ-007'; s.dispatchEvent(new Event('change')); })()");
    let lon = browser.eval("document.querySelector('#observe input[name=lon]').value");
    assert!(lon.as_str().unwrap().starts_with("111.965"), "{lon}");
    // Found 2 m north of its registered place.
    browser.eval(
        "document.querySelector('#observe input[name=lat]').value = String(43.695 + 2 / 110574)",
    );
    browser.click_on("#observe button");
    browser.wait_for(
        "document.getElementById('observed') && document.getElementById('observed').textContent.includes('已报警')",
        "the answer with the alert",
    );
    let text = browser.eval("document.getElementById('observed').textContent");
    assert!(
        text.as_str().unwrap().contains("偏离登记位置 2.0"),
        "{text}"
    );
    browser.wait_for(
        "document.readyState === 'complete' && [...document.querySelectorAll('#markers tr')].some(r => r.textContent.includes('JZ-007') && r.querySelector('td.alert'))",
        "the table with the new observation",
    );
}

/// A boundary officer files a dispute on the boundaries page: one party's claim clicked on the
/// map vertex by vertex, the other's read from a GeoJSON file; the page tells the disputed
/// area and, reloaded, lists the dispute and draws both claims.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boundary_officer_files_a_dispute_by_drawing_a_claim_in_chromium() {
    let (db, _server, base, _) =
        served_demo(&[("bater", diming::accounts::Role::BoundaryOfficer)]).await;
    let town = {
        let registry = db.registry().await;
        let state = registry.current();
        state
            .layer(diming::model::Layer::AdminUnit)
            .find(|v| {
                matches!(&v.body, diming::model::Body::AdminUnit(u) if u.code.short() == "152501400")
            })
            .map(|v| diming::spatial::geojson::from_geo(&v.geometry))
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let claim_file = dir.path().join("城区主张.geojson");
    std::fs::write(
        &claim_file,
        serde_json::json!({ "type": "Feature", "geometry": town, "properties": {} }).to_string(),
    )
    .unwrap();
    let mut browser = crate::cdp::Browser::launch(1200, 900);
    log_in(&mut browser, &base, "bater", "/boundaries");
    browser.wait_for(
        "location.pathname === '/boundaries' && document.readyState === 'complete' && document.getElementById('boundary-map').dataset.ready === '1'",
        "the boundaries page with its map",
    );
    browser.type_into("#file-dispute input[name=title]", "西界争议");
    browser.eval("(() => { const s = document.querySelectorAll('#file-dispute select[name=code]'); s[0].value = '152501200'; s[1].value = '152501400'; })()");
    // The sumu's claim: a strip along the town's west edge, clicked corner by corner.
    browser.eval("window.boundaryMap.jumpTo({ center: [111.936, 43.650], zoom: 12 }); true");
    browser.wait_for(
        "window.boundaryMap.loaded() && !window.boundaryMap.isMoving()",
        "the map at the strip",
    );
    browser.click_on(".party[data-index='0'] button.draw");
    // Three corners clicked, the fourth double-clicked to finish the polygon.
    let corners = [
        (111.930, 43.630),
        (111.939, 43.630),
        (111.939, 43.670),
        (111.930, 43.670),
    ];
    for (k, (lon, lat)) in corners.into_iter().enumerate() {
        let at = browser.eval(&format!(
            "(() => {{ const r = document.getElementById('boundary-map').getBoundingClientRect(); const p = window.boundaryMap.project([{lon}, {lat}]); return [r.x + p.x, r.y + p.y]; }})()"
        ));
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        if k == 3 {
            browser.double_click(x, y);
        } else {
            browser.click(x, y);
        }
    }
    let state =
        browser.eval("document.querySelector(\".party[data-index='0'] .claim-state\").textContent");
    assert_eq!(state, "已绘制（4 个顶点）");
    // The town's claim from a file.
    browser.choose_file(".party[data-index='1'] input.claim-file", &claim_file);
    browser.eval("document.querySelector(\".party[data-index='1'] input.claim-file\").dispatchEvent(new Event('change'))");
    browser.wait_for(
        "document.querySelector(\".party[data-index='1'] .claim-state\").textContent.includes('已读入')",
        "the file read",
    );
    browser.click_on("#file-dispute > fieldset > button");
    browser.wait_for(
        "document.querySelector('#file-dispute output').textContent.length > 0",
        "the answer",
    );
    let answer = browser.eval("document.querySelector('#file-dispute output').textContent");
    assert!(
        answer.as_str().unwrap().starts_with("已受理：争议区域"),
        "{answer}"
    );
    // Reloaded: the dispute is listed and both claims are drawn.
    browser.wait_for(
        "document.readyState === 'complete' && document.querySelector('#disputes') && document.querySelector('#disputes').textContent.includes('西界争议') && document.getElementById('boundary-map').dataset.ready === '1'",
        "the page listing the dispute",
    );
    let claims = browser.eval(
        "JSON.parse(document.getElementById('boundary-map').dataset.boundaries).claims.features.map(f => f.properties.party)",
    );
    assert_eq!(
        claims,
        serde_json::json!(["格日勒敖都苏木", "二连浩特市社区建设管理局"])
    );
    if let Ok(path) = std::env::var("DIMING_SCREENSHOT") {
        browser.eval("window.boundaryMap.jumpTo({ center: [111.936, 43.650], zoom: 12 }); document.getElementById('boundary-map').scrollIntoView(); true");
        std::thread::sleep(std::time::Duration::from_millis(800));
        browser.screenshot(std::path::Path::new(&path));
        browser.eval("document.getElementById('file-dispute').scrollIntoView(); true");
        browser.screenshot(&std::path::Path::new(&path).with_extension("form.png"));
    }
}

/// Two burial officers edit the same plot: the one who saves second sees both versions side
/// by side, re-applies the edit on the newer one, and nothing of the other's is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_burial_officers_edit_one_plot_and_the_second_sees_the_conflict_in_chromium() {
    use diming::accounts::Role::BurialOfficer;
    let (_db, _server, base, tokens) =
        served_demo(&[("saren", BurialOfficer), ("bayar", BurialOfficer)]).await;
    let other = &tokens[1];
    let mut browser = crate::cdp::Browser::launch(1400, 900);
    log_in(&mut browser, &base, "saren", "/map");
    browser.wait_for(
        "location.pathname === '/map' && window.dimingReady === true",
        "the map's layers",
    );
    // An available plot, clicked on the map.
    let plot = browser.eval(
        "(async () => (await (await fetch('/api/layers/plots?limit=2000')).json()).features.find(f => f.properties.status === 'available'))()",
    );
    let id = plot["id"].as_str().unwrap().to_string();
    let ring = &plot["geometry"]["coordinates"][0][0];
    let n = ring.as_array().unwrap().len() - 1;
    let (mut x, mut y) = (0.0, 0.0);
    for c in ring.as_array().unwrap().iter().take(n) {
        x += c[0].as_f64().unwrap() / n as f64;
        y += c[1].as_f64().unwrap() / n as f64;
    }
    click_map_at(&mut browser, &format!("[{x}, {y}]"), 21);
    browser.wait_for(
        "document.getElementById('edit-attributes')",
        "the plot's panel with the edit button",
    );
    browser.click_on("#edit-attributes");
    browser.eval("document.querySelector('[data-field=status]').value = 'reserved'; document.querySelector('[data-field=holder]').value = '巴特尔'; true");
    // Meanwhile the other officer records a telephone for the plot.
    let status = browser.eval(&format!(
        "(async () => {{
            const r = await fetch('/api/records/{id}');
            const f = await r.json();
            const properties = Object.assign({{}}, f.properties);
            for (const k of ['layer', 'version', 'valid_from', 'valid_to', 'recorded_at', 'retired', 'changeset', 'position']) delete properties[k];
            properties.holder_phone = '13847905555';
            const put = await fetch('/api/records/{id}', {{ method: 'PUT', credentials: 'omit',
                body: JSON.stringify({{ reason: '登记联系电话', feature: {{ type: 'Feature', geometry: f.geometry, properties }} }}),
                headers: {{ 'Content-Type': 'application/json', 'Authorization': 'Bearer {other}', 'If-Match': r.headers.get('ETag') }} }});
            return [put.status, await put.text()];
        }})()"
    ));
    assert_eq!(status[0], 200, "{status}");
    browser.click_on("#save-attributes");
    browser.wait_for("document.getElementById('conflict')", "the conflict view");
    let table = browser
        .eval("document.getElementById('conflict-table').innerText")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        table.contains("已预订") && table.contains("巴特尔") && table.contains("138****5555"),
        "{table}"
    );
    browser.click_on("#reapply");
    browser.wait_for(
        "document.getElementById('attributes') && document.getElementById('attributes').innerText.includes('已预订')",
        "the re-applied edit",
    );
    let attributes = browser.eval("document.getElementById('attributes').innerText");
    let attributes = attributes.as_str().unwrap();
    assert!(
        attributes.contains("巴特尔") && attributes.contains("138****5555"),
        "both edits kept: {attributes}"
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('#history li').length"),
        3,
        "laid out, the other officer's telephone, this officer's reservation"
    );
}

/// A names officer reshapes a street on the map: one end dragged to another street's vertex
/// takes that vertex exactly, the other dragged near the other street's line lands on it; the
/// check passes and the saved version has the snapped geometry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_reshapes_a_street_with_snapping_in_chromium() {
    let (_db, _server, base, _) =
        served_demo(&[("wangfang", diming::accounts::Role::NamesOfficer)]).await;
    let mut browser = crate::cdp::Browser::launch(1400, 900);
    log_in(&mut browser, &base, "wangfang", "/map");
    browser.wait_for(
        "location.pathname === '/map' && window.dimingReady === true",
        "the map's layers",
    );
    let a = diming::record::RecordId::derived("street/康宁街");
    let b = diming::record::RecordId::derived("street/前进大街");
    click_map_at(&mut browser, &along(a, 0.5), 17);
    browser.wait_for(
        "document.getElementById('edit-attributes')",
        "the street's panel",
    );
    browser.click_on("#edit-attributes");
    browser.click_on("#reshape");
    browser.wait_for(
        "document.getElementById('reshape-hint')",
        "the reshaping panel",
    );
    // Both streets in view; where the handles are and where to drop them.
    let at = browser.eval(&format!(
        "(async () => {{
            const a = (await (await fetch('/api/records/{a}')).json()).geometry.coordinates[0];
            const b = (await (await fetch('/api/records/{b}')).json()).geometry.coordinates[0];
            const map = window.dimingMap;
            const all = a.concat(b);
            const xs = all.map(c => c[0]), ys = all.map(c => c[1]);
            map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], {{ padding: 120, duration: 0 }});
            await new Promise(r => map.once('idle', r));
            const box = map.getContainer().getBoundingClientRect();
            const px = (c) => {{ const p = map.project(c); return [box.left + p.x, box.top + p.y]; }};
            // A point of its line away from crossings (a crossing street's edge is as near).
            const mid = [b[0][0] + 0.3 * (b[1][0] - b[0][0]), b[0][1] + 0.3 * (b[1][1] - b[0][1])];
            return {{ first: px(a[0]), last: px(a[a.length - 1]), vertex: px(b[0]), edge: px(mid), b }};
        }})()"
    ));
    let pt = |v: &serde_json::Value| (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
    // The first end 4 px off the other street's vertex, the last 5 px off its line.
    let (vx, vy) = pt(&at["vertex"]);
    browser.drag(pt(&at["first"]), (vx + 4.0, vy - 2.0));
    let (ex, ey) = pt(&at["edge"]);
    browser.drag(pt(&at["last"]), (ex + 3.0, ey + 4.0));
    assert_eq!(
        browser.eval("document.getElementById('reshape-moved').textContent"),
        "2"
    );
    browser.click_on("#check-geometry");
    let checked = browser.wait_for(
        "document.getElementById('check-result')?.textContent",
        "the check",
    );
    assert_eq!(checked, "检查通过：可以保存");
    browser.click_on("#save-geometry");
    browser.wait_for(
        "document.getElementById('attributes') && document.getElementById('history')",
        "the saved street",
    );
    let saved = browser.eval(&format!(
        "(async () => (await (await fetch('/api/records/{a}')).json()))()"
    ));
    assert_eq!(saved["properties"]["version"], 2, "{saved}");
    let line = saved["geometry"]["coordinates"][0]
        .as_array()
        .unwrap()
        .clone();
    let b0 = &at["b"][0];
    let b1 = &at["b"][1];
    // The first end is the other street's vertex, exactly.
    assert_eq!(&line[0], b0, "{line:?}");
    // The last end lies on the other street's line.
    let c = line.last().unwrap();
    let f = |v: &serde_json::Value, i: usize| v[i].as_f64().unwrap();
    let cross =
        (f(b1, 0) - f(b0, 0)) * (f(c, 1) - f(b0, 1)) - (f(b1, 1) - f(b0, 1)) * (f(c, 0) - f(b0, 0));
    let length = (f(b1, 0) - f(b0, 0)).hypot(f(b1, 1) - f(b0, 1));
    assert!(
        (cross / length).abs() < 1e-9,
        "{c:?} is {} degrees off the line",
        cross / length
    );
}

/// A names officer splits a street where its eastern part takes another name: the record
/// keeps the part before the clicked point, the rest becomes a new street with its proposed
/// name, both in one changeset, meeting exactly at the point.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_splits_a_street_in_chromium() {
    let (_db, _server, base, _) =
        served_demo(&[("wangfang", diming::accounts::Role::NamesOfficer)]).await;
    let mut browser = crate::cdp::Browser::launch(1400, 900);
    log_in(&mut browser, &base, "wangfang", "/map");
    browser.wait_for(
        "location.pathname === '/map' && window.dimingReady === true",
        "the map's layers",
    );
    let street = diming::record::RecordId::derived("street/康宁街");
    let before = browser.eval(&format!(
        "(async () => (await (await fetch('/api/records/{street}')).json()).geometry.coordinates[0])()"
    ));
    click_map_at(&mut browser, &along(street, 0.3), 17);
    browser.wait_for(
        "document.getElementById('edit-attributes')",
        "the street's panel",
    );
    browser.click_on("#edit-attributes");
    browser.click_on("#split");
    browser.wait_for("document.getElementById('split-hint')", "the split hint");
    click_map_at(&mut browser, &along(street, 0.6), 17);
    browser.wait_for("document.getElementById('split-name')", "the split form");
    browser.type_into("#split-name", "和睦巷");
    // The naming rules answer first (the buttons move down under their answer).
    browser.wait_for(
        "document.getElementById('name-verdicts').textContent.includes('Hemu Xiang')",
        "the naming rules' answer",
    );
    browser.click_on("#check-split");
    let checked = browser.wait_for(
        "document.getElementById('check-result')?.textContent",
        "the check",
    );
    assert_eq!(checked, "检查通过：可以保存");
    browser.click_on("#save-split");
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent === '和睦巷'",
        "the new street's panel",
    );
    let parts = browser.eval(&format!(
        "(async () => {{
            const a = (await (await fetch('/api/records/{street}')).json());
            const b = (await (await fetch('/api/layers/streets')).json()).features.find(f => f.properties.name === '和睦巷');
            return [a.properties.version, a.geometry.coordinates[0], b.geometry.coordinates[0], b.properties.naming.status];
        }})()"
    ));
    assert_eq!(parts[0], 2);
    assert_eq!(parts[3], "proposed");
    let (kept, rest) = (parts[1].as_array().unwrap(), parts[2].as_array().unwrap());
    // They meet at the split point, which lies on the old line; together they are the old line.
    assert_eq!(kept.last(), rest.first());
    assert_eq!(kept.first(), before.as_array().unwrap().first());
    assert_eq!(rest.last(), before.as_array().unwrap().last());
    let len = |l: &[serde_json::Value]| {
        l.windows(2)
            .map(|w| {
                (w[1][0].as_f64().unwrap() - w[0][0].as_f64().unwrap())
                    .hypot(w[1][1].as_f64().unwrap() - w[0][1].as_f64().unwrap())
            })
            .sum::<f64>()
    };
    let whole = len(before.as_array().unwrap());
    assert!(
        (len(kept) + len(rest) - whole).abs() < 1e-9,
        "{kept:?} {rest:?}"
    );
    assert!(len(kept) > 0.4 * whole && len(kept) < 0.8 * whole);
}

/// A names officer draws a place as an area and a door plate as a point, each with the form
/// its layer's schema gives: the choices with their Chinese labels, the street chosen among
/// the nearest, the check, the save and the record's first version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_draws_a_place_and_a_door_plate_with_forms_from_the_schemas_in_chromium() {
    let (_db, _server, base, _) =
        served_demo(&[("wangfang", diming::accounts::Role::NamesOfficer)]).await;
    let mut browser = crate::cdp::Browser::launch(1400, 900);
    log_in(&mut browser, &base, "wangfang", "/map");
    browser.wait_for(
        "location.pathname === '/map' && window.dimingReady === true",
        "the map's layers",
    );
    let street = diming::record::RecordId::derived("street/前进大街");
    // Screen points around a point 40 % along 前进大街, at zoom 17: the area's corners well
    // off the street, and a spot 12 px beside it for the door plate.
    let spots = browser.eval(&format!(
        "(async () => {{
            const p = await ({});
            const map = window.dimingMap;
            map.jumpTo({{ center: p, zoom: 17 }});
            await new Promise(r => map.once('idle', r));
            const box = map.getContainer().getBoundingClientRect();
            const c = map.project(p);
            const at = (dx, dy) => [box.left + c.x + dx, box.top + c.y + dy];
            return {{ area: [at(60, 60), at(160, 60), at(160, 140), at(60, 140)], plate: at(0, 12) }};
        }})()",
        along(street, 0.4)
    ));

    // A place, drawn as an area: the layer asks which shape.
    choose_draw_layer(&mut browser, "places");
    browser.wait_for(
        "!document.getElementById('draw-shape').hidden",
        "the shape choice of a layer of points, lines and areas",
    );
    browser.eval("document.getElementById('draw-shape').value = 'Polygon'; true");
    start_drawing(&mut browser);
    for c in spots["area"].as_array().unwrap() {
        browser.click(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    browser.click_on("#draw-finish");
    browser.wait_for(
        "document.querySelector('#new-form [data-field=category]')",
        "the place's form",
    );
    let categories = browser.eval("[...document.querySelectorAll('#new-form [data-field=category] option')].map(o => o.textContent)");
    assert_eq!(categories.as_array().unwrap().len(), 12, "{categories}");
    assert!(
        categories.to_string().contains("纪念地旅游景点"),
        "{categories}"
    );
    // The name's group: the status a new name begins with, and the gazetteer's texts.
    assert_eq!(
        browser.eval("document.querySelector('#new-form [data-field=\"naming.status\"]').value"),
        "proposed"
    );
    browser.type_into("#new-form [data-field=name]", "晨曦广场");
    // The naming rules answer as the name is typed, with its romanization.
    browser.wait_for(
        "document.getElementById('name-verdicts').textContent.includes('Chenxi Guangchang')",
        "the romanization of the name typed",
    );
    browser.eval("document.querySelector('#new-form [data-field=category]').value = 'memorial_or_scenic'; true");
    browser.type_into(
        "#new-form [data-field=\"naming.meaning\"]",
        "寓意城市朝气蓬勃。",
    );
    check_passes(&mut browser);
    browser.click_on("#save-new");
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent === '晨曦广场' && document.getElementById('history')",
        "the saved place and its history",
    );
    let place = shown_record(&mut browser);
    assert_eq!(place["geometry"]["type"], "Polygon", "{place}");
    assert_eq!(
        place["geometry"]["coordinates"][0]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(place["properties"]["category"], "memorial_or_scenic");
    assert_eq!(place["properties"]["naming"]["status"], "proposed");
    assert_eq!(
        place["properties"]["naming"]["meaning"],
        "寓意城市朝气蓬勃。"
    );

    // A door plate beside the street: one click, and the street offered first is the nearest.
    choose_draw_layer(&mut browser, "door_plates");
    start_drawing(&mut browser);
    let p = &spots["plate"];
    browser.click(p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
    browser.wait_for(
        &format!("document.querySelector('#new-form [data-field=street]')?.value === '{street}'"),
        "the nearest street chosen",
    );
    let kinds = browser.eval("[...document.querySelectorAll('#new-form [data-field=kind] option')].map(o => o.textContent).join(',')");
    assert!(kinds.as_str().unwrap().contains("大门牌"), "{kinds}");
    browser.type_into("#new-form [data-field=number]", "999");
    browser.click_on("#save-new");
    browser.wait_for(
        "document.getElementById('history') && document.getElementById('record-link')",
        "the saved door plate",
    );
    let plate = shown_record(&mut browser);
    assert_eq!(plate["properties"]["street"], street.to_string(), "{plate}");
    assert_eq!(plate["properties"]["number"], "999号");
    assert_eq!(plate["properties"]["kind"], "door_large");
}

/// A burial officer draws a plot in a section's free ground: the section around it is offered
/// first, the cemetery follows the section, the size rules are checked before saving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burial_officer_draws_a_plot_in_its_section_in_chromium() {
    let (_db, _server, base, _) =
        served_demo(&[("saren", diming::accounts::Role::BurialOfficer)]).await;
    let mut browser = crate::cdp::Browser::launch(1400, 900);
    log_in(&mut browser, &base, "saren", "/map");
    browser.wait_for(
        "location.pathname === '/map' && window.dimingReady === true",
        "the map's layers",
    );
    // A spot inside a section with no plot within 3 m, and the corners of a 0.8 m square
    // around it on the screen at zoom 22.
    let spot = browser.eval(
        "(async () => {
            const sections = (await (await fetch('/api/layers/cemetery_sections')).json()).features;
            const plots = (await (await fetch('/api/layers/plots?limit=5000')).json()).features;
            const centres = plots.map(p => p.geometry.coordinates[0][0][0]);
            const inside = (pt, ring) => { let odd = false; for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) { const [xi, yi] = ring[i], [xj, yj] = ring[j]; if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < (xj - xi) * (pt[1] - yi) / (yj - yi) + xi) odd = !odd; } return odd; };
            for (const s of sections) {
                const ring = s.geometry.coordinates[0][0];
                const xs = ring.map(c => c[0]), ys = ring.map(c => c[1]);
                for (let fx = 0.1; fx < 0.9; fx += 0.05) for (let fy = 0.1; fy < 0.9; fy += 0.05) {
                    const pt = [Math.min(...xs) + fx * (Math.max(...xs) - Math.min(...xs)), Math.min(...ys) + fy * (Math.max(...ys) - Math.min(...ys))];
                    if (!inside(pt, ring)) continue;
                    const near = plots.some(p => { const r = p.geometry.coordinates[0][0]; return inside(pt, r) || r.some(c => Math.hypot((c[0] - pt[0]) * 72000, (c[1] - pt[1]) * 111000) < 3); });
                    if (near) continue;
                    const map = window.dimingMap;
                    map.jumpTo({ center: pt, zoom: 22 });
                    await new Promise(r => map.once('idle', r));
                    const box = map.getContainer().getBoundingClientRect();
                    const half = 0.4 / 111000, c = map.project(pt);
                    const a = map.project([pt[0] + half * 1.38, pt[1] + half]);
                    const dx = a.x - c.x, dy = c.y - a.y;
                    const at = (sx, sy) => [box.left + c.x + sx * dx, box.top + c.y - sy * dy];
                    return { section: s.id, cemetery: s.properties.cemetery, code: s.properties.code, corners: [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)] };
                }
            }
            return null;
        })()",
    );
    assert!(spot.is_object(), "no free ground in any section");
    choose_draw_layer(&mut browser, "plots");
    start_drawing(&mut browser);
    for c in spot["corners"].as_array().unwrap() {
        browser.click(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    browser.click_on("#draw-finish");
    let section = spot["section"].as_str().unwrap();
    let cemetery = spot["cemetery"].as_str().unwrap();
    browser.wait_for(
        &format!("document.querySelector('#new-form [data-field=section]')?.value === '{section}' && document.querySelector('#new-form [data-field=cemetery]')?.value === '{cemetery}'"),
        "the section around the plot, and its cemetery",
    );
    let number = format!("{}-99-1", spot["code"].as_str().unwrap());
    browser.type_into("#new-form [data-field=number]", &number);
    browser.eval(
        "document.querySelector('#new-form [data-field=laid_out]').value = '2026-12-01'; true",
    );
    check_passes(&mut browser);
    browser.click_on("#save-new");
    browser.wait_for(
        "document.getElementById('history') && document.getElementById('record-link')",
        "the saved plot",
    );
    let plot = shown_record(&mut browser);
    assert_eq!(plot["properties"]["section"], section, "{plot}");
    assert_eq!(plot["properties"]["cemetery"], cemetery, "{plot}");
    assert_eq!(plot["properties"]["number"], number.as_str());
    assert_eq!(plot["properties"]["status"], "available");
}

/// A person who opens an officers' page without being signed in is sent to the login page and
/// brought back to it; a dead link shows a page in Chinese, not a browser's or a server's
/// English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_is_led_to_log_in_and_a_dead_link_reads_in_chinese_in_chromium() {
    let (_db, _server, base, _) =
        served_demo(&[("sarula", diming::accounts::Role::BurialOfficer)]).await;
    let mut browser = crate::cdp::Browser::launch(1280, 900);
    browser.goto(&format!("{base}/cemetery"));
    browser.wait_for(
        "location.pathname === '/login' && document.readyState === 'complete'",
        "the login page",
    );
    assert_eq!(browser.eval("location.search"), "?next=%2Fcemetery");
    browser.type_into("input[name=name]", "sarula");
    browser.type_into("input[name=password]", "test-password-长长的");
    browser.click_on("form.login button");
    browser.wait_for(
        "location.pathname === '/cemetery' && document.readyState === 'complete'",
        "the cemetery page after logging in",
    );
    browser.goto(&format!("{base}/cemetery/no-such-page"));
    browser.wait_for("document.readyState === 'complete'", "the error page");
    assert_eq!(
        browser.eval("document.getElementById('error-heading')?.textContent"),
        "没有这个页面"
    );
    // Still signed in, with the navigation of the role.
    assert_eq!(
        browser.eval("document.getElementById('who')?.textContent.startsWith('sarula')"),
        true
    );
}
