//! The map editor's tables and keys in Chromium, on both stores: the attribute table filters,
//! sorts and jumps to a feature; a street's door plates are listed beside the map with the
//! numbering check's verdicts and renumbered in place, a duplicate and a stale edit refused
//! in their rows with what was typed kept; the outcome is checked in the registry.

use crate::browser::{log_in, served};
use crate::cdp::Browser;
use crate::support::TestDb;
use crate::workplace::{shoot, text};
use diming::accounts::Role;
use diming::addresses::DoorPlate;

/// The row of the plate list whose number input holds `number` (as it was listed).
fn plate_input(number: &str) -> String {
    format!("#plate-table input[data-was='{number}']")
}

async fn map_editor_tables(db: TestDb, store: &str) {
    let (_server, base) = served(&db, "wangfang", Role::NamesOfficer).await;
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "wangfang", "/map");
    browser.wait_for(
        "location.pathname === '/map' && window.dimingReady",
        "the map",
    );

    // What is drawn is drawn on top: the draft above every layer of the registry.
    let top = browser.eval("window.dimingMap.getStyle().layers.slice(-2).map(l => l.id)");
    assert_eq!(top, serde_json::json!(["draft-line", "draft-point"]));

    // The attribute table: T opens it; a filter, a sort, a row that takes the map there.
    browser.press("t");
    browser.wait_for(
        "!document.getElementById('table-drawer').hidden && document.querySelector('#attribute-table tbody tr')",
        "the attribute table",
    );
    browser.eval("(() => { const s = document.getElementById('table-layer'); s.value = 'streets'; s.dispatchEvent(new Event('change')); return true; })()");
    browser.wait_for(
        "document.getElementById('table-count').textContent.startsWith('共 40 条')",
        "the streets' table",
    );
    // The street's name is a column of its own, not repeated as a title.
    let heads = browser
        .eval("[...document.querySelectorAll('#attribute-table th')].map(t => t.dataset.col)");
    assert_eq!(heads[0], "名称", "{heads}");
    assert_eq!(
        heads
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| *h == "名称")
            .count(),
        1,
        "{heads}"
    );
    browser.click_on("#attribute-table th[data-col='道路等级']");
    browser.wait_for(
        "document.querySelector('#attribute-table th[data-col=\"道路等级\"]').textContent.endsWith('▲')",
        "the table sorted by grade",
    );
    let grades = browser.eval(
        "(() => { const i = [...document.querySelectorAll('#attribute-table th')].findIndex(t => t.dataset.col === '道路等级'); return [...document.querySelectorAll('#attribute-table tbody tr')].map(r => r.children[i].textContent); })()",
    );
    let grades: Vec<&str> = grades
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    let mut sorted = grades.clone();
    sorted.sort_by(|a, b| natord::compare(a, b));
    assert_eq!(grades, sorted);
    browser.press("/");
    browser.type_into("#table-filter", "乌兰");
    browser.wait_for(
        "document.getElementById('table-count').textContent.startsWith('共 1 条')",
        "the filtered table",
    );
    browser.click_on("#attribute-table tbody tr");
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent === '乌兰路'",
        "the street shown from its row",
    );
    // The map shows the street whole (it runs north from 43.627 to 43.673 at 111.977), and
    // closer than the town (zoom 11 at this size).
    let seen = browser.eval("(() => { const b = window.dimingMap.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), window.dimingMap.getZoom()]; })()");
    let b: Vec<f64> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        b[0] < 111.977 && 111.977 < b[2] && b[1] < 43.627 && 43.673 < b[3] && b[4] > 11.5,
        "the map went to 乌兰路: {seen}"
    );
    shoot(&mut browser, &format!("{store}-map-table"));

    // L: the street's door plates with the check's verdicts, edited in place.
    browser.eval("document.activeElement.blur()");
    browser.press("l");
    browser.wait_for(
        "document.getElementById('plates-title')?.textContent.startsWith('乌兰路的门牌')",
        "the street's plate list",
    );
    let listed = browser
        .eval("[...document.querySelectorAll('#plate-table input[data-plate]')].map(i => i.value)");
    let listed: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(
        listed.contains(&"2号".to_string()) && listed.contains(&"8号".to_string()),
        "{listed:?}"
    );
    assert!(text(&mut browser, "#plate-table").contains("符合"));
    let eight = browser
        .eval(&format!(
            "document.querySelector({:?}).dataset.plate",
            plate_input("8号")
        ))
        .as_str()
        .unwrap()
        .to_string();
    // A number the street already has is refused in its row, and what was typed stays.
    browser.eval(&format!(
        "(() => {{ const i = document.querySelector({:?}); i.value = '2号'; i.focus(); return true; }})()",
        plate_input("8号")
    ));
    browser.press("Enter");
    browser.wait_for("document.querySelector('.plate-refused')", "the refusal");
    assert!(
        text(&mut browser, ".plate-refused").contains("2号"),
        "{}",
        text(&mut browser, ".plate-refused")
    );
    assert_eq!(
        browser.eval(&format!(
            "document.querySelector({:?}).value",
            plate_input("8号")
        )),
        "2号"
    );
    // A number the street does not have is saved; the list comes back with the check's verdict on it.
    browser.eval(&format!(
        "(() => {{ const i = document.querySelector({:?}); i.value = '72号'; return true; }})()",
        plate_input("8号")
    ));
    browser.click_on("#plates-save");
    browser.wait_for(
        "document.getElementById('plates-saved')",
        "the saved number",
    );
    assert!(text(&mut browser, "#plates-saved").contains("8号 → 72号"));
    // 72号 now stands between 6号 and 10号: the check says 10号 comes after it.
    let row = text(
        &mut browser,
        "#plate-table tr:has(input[data-was='10号']) .verdict",
    );
    assert!(
        row.contains("顺序颠倒"),
        "the check's verdict on 10号: {row}"
    );
    shoot(&mut browser, &format!("{store}-map-plates"));

    // Someone else saves the plate first: the list's edit is refused, not written over theirs.
    browser.eval(&format!(
        "(async () => {{
            const rec = await (await fetch('/api/records/{eight}')).json();
            rec.properties.kind = 'door_small';
            const r = await window.dimingEditor.save(rec, {{}}, '另一位工作人员改了种类');
            return r.status;
        }})()"
    ));
    browser.eval(&format!(
        "(() => {{ const i = document.querySelector({:?}); i.value = '74号'; return true; }})()",
        plate_input("72号")
    ));
    browser.click_on("#plates-save");
    browser.wait_for(
        "document.querySelector('.plate-refused')",
        "the stale edit refused",
    );
    assert!(text(&mut browser, ".plate-refused").contains("他人已先修改"));

    // The keys' list opens with ? and closes with Esc.
    browser.eval("document.activeElement.blur()");
    browser.press("?");
    browser.wait_for("!document.getElementById('keys').hidden", "the keys' list");
    browser.press("Escape");
    browser.wait_for(
        "document.getElementById('keys').hidden",
        "the keys' list closed",
    );

    {
        let registry = db.registry().await;
        let state = registry.current();
        let plate = state.get(&eight.parse().unwrap()).unwrap();
        let body = plate.body.of::<DoorPlate>().unwrap();
        assert_eq!(body.number.to_string(), "72号");
        assert_eq!(body.kind.label(), "小门牌");
        assert_eq!(plate.version, 3);
    }

    // A retired plate is hidden until asked for, then drawn grey and says what it was.
    let status = browser.eval(&format!(
        "(async () => {{
            const r = await fetch('/api/records/{eight}', {{ method: 'DELETE', body: JSON.stringify({{ reason: '拆除' }}),
                headers: {{ 'Content-Type': 'application/json', 'X-CSRF-Token': document.getElementById('map').dataset.csrf, 'If-Match': '\"3\"' }} }});
            return r.status;
        }})()"
    ));
    assert_eq!(status, 200);
    browser.click_on("#show-retired");
    browser.wait_for(
        "Number(document.getElementById('map').dataset.retired) > 0",
        "the retired records drawn",
    );
    let point = format!(
        "(async () => (await (await fetch('/api/layers/door_plates?retired=true')).json()).features.find(f => f.id === '{eight}').geometry.coordinates)()"
    );
    crate::browser::click_map_at(&mut browser, &point, 18);
    browser.wait_for(
        "document.getElementById('feature-title')?.textContent.startsWith('已注销：72号')",
        "the retired plate's panel",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_works_through_the_attribute_table_and_a_streets_plates_on_sqlite() {
    map_editor_tables(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_works_through_the_attribute_table_and_a_streets_plates_on_postgres() {
    map_editor_tables(TestDb::postgres().await, "postgres").await;
}
