//! The boundary office's registers in Chromium, on both stores: a marker entered (refused
//! while incomplete, with what was typed kept) and moved (refused without its document); a
//! 平安边界 agreement registered (refused when its renewal is not after its signing), a joint
//! meeting recorded and the agreement renewed. The outcome is checked in the registry.

use crate::browser::{log_in, served};
use crate::cdp::Browser;
use crate::support::TestDb;
use crate::workplace::{shoot, text};
use diming::accounts::Role;
use diming::boundaries::line::{Agreement, BoundaryLine};
use diming::boundaries::marker::Marker;

/// Sets the fields of the form `form` (name → value) as typed or picked.
fn fill(browser: &mut Browser, form: &str, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        browser.eval(&format!(
            "(() => {{ const e = document.querySelector('{form} [name={name}]'); e.value = {value:?}; e.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()"
        ));
    }
}

/// Waits for a page under `path` (a refused form answers at the address it was sent to)
/// showing `selector`.
fn page_is(browser: &mut Browser, path: &str, selector: &str) {
    browser.wait_for(
        &format!("location.pathname.startsWith({path:?}) && document.readyState === 'complete' && !!document.querySelector({selector:?})"),
        path,
    );
}

async fn boundary_registers(db: TestDb, store: &str) {
    let (_server, base) = served(&db, "bateer", Role::BoundaryOfficer).await;
    // Two neighbours with a line between them, and a point on it.
    let (left, right, lon, lat) = {
        let registry = db.registry().await;
        let state = registry.current();
        let (v, l) = state.versions::<BoundaryLine>().next().unwrap();
        let geo::Geometry::MultiLineString(m) = &v.geometry else {
            panic!("a line");
        };
        let c = m.0[0].0[m.0[0].0.len() / 2];
        (l.left.clone(), l.right.clone(), c.x, c.y)
    };
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "bateer", "/boundaries");
    page_is(&mut browser, "/boundaries", "#boundaries-nav");
    // The boundary map says what a click hits: JZ-004 with its observation's alarm.
    browser.wait_for(
        "document.getElementById('boundary-map').dataset.ready === '1' && window.boundaryMap.loaded()",
        "the boundary map",
    );
    let at = browser.eval(
        "(async () => {
            const map = window.boundaryMap;
            map.jumpTo({ center: [111.935, 43.66], zoom: 13 });
            await new Promise(r => map.once('idle', r));
            const px = map.project([111.935, 43.66]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + px.x, box.top + px.y];
        })()",
    );
    browser.click(at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    let popup = browser.wait_for(
        "document.querySelector('.maplibregl-popup-content')?.textContent",
        "the marker's popup",
    );
    assert!(
        popup.as_str().unwrap().contains("界桩 JZ-004")
            && popup.as_str().unwrap().contains("观测报警"),
        "{popup}"
    );
    browser.click_on("#boundaries-nav a[href='/boundaries/markers']");
    page_is(&mut browser, "/boundaries/markers", "#register");

    // Two reference objects are not enough: refused, and what was typed is still there.
    let (lon_s, lat_s) = (format!("{lon:.7}"), format!("{lat:.7}"));
    fill(
        &mut browser,
        "#register",
        &[
            ("number", "JZ-101"),
            ("unit1", &left),
            ("unit2", &right),
            ("lon", &lon_s),
            ("lat", &lat_s),
            ("installed", "2026-11-20"),
            ("ref1", "水井，45，120"),
            ("ref2", "电杆，200，35.5"),
        ],
    );
    browser.click_on("#register-marker");
    page_is(&mut browser, "/boundaries/markers", "#refused");
    assert!(
        text(&mut browser, "#refused").contains("至少有 3 个方位物"),
        "{}",
        text(&mut browser, "#refused")
    );
    assert_eq!(
        browser.eval("document.querySelector('#register [name=ref2]').value"),
        "电杆，200，35.5"
    );
    assert_eq!(
        browser.eval("document.querySelector('#register [name=unit2]').value"),
        right.as_str()
    );
    fill(&mut browser, "#register", &[("ref3", "石堆，310，60")]);
    browser.click_on("#register-marker");
    browser.wait_for(
        "document.getElementById('done')?.textContent.includes('已登记界桩 JZ-101')",
        "the marker registered",
    );
    let id = browser
        .eval("[...document.querySelectorAll('#marker-register tr')].find(r => r.textContent.includes('JZ-101')).id.slice(2)")
        .as_str()
        .unwrap()
        .to_string();

    // Moving it without a document is refused by the registry's rule; with one it moves.
    let form = format!("#m-{id} form");
    browser.eval(&format!(
        "document.querySelector('#m-{id} details').open = true"
    ));
    let (to_lon, to_lat) = (format!("{:.7}", lon + 0.0001), format!("{:.7}", lat));
    fill(
        &mut browser,
        &form,
        &[("lon", &to_lon), ("lat", &to_lat), ("on", "2026-12-01")],
    );
    browser.click_on(&format!("{form} button"));
    page_is(&mut browser, "/boundaries/markers", "#refused");
    assert!(text(&mut browser, "#refused").contains("须附批准文件"));
    // The form that was refused is open again with the new position typed.
    assert_eq!(
        browser.eval(&format!(
            "document.querySelector('{form} [name=lon]').value"
        )),
        to_lon.as_str()
    );
    fill(
        &mut browser,
        &form,
        &[
            ("issuer", "二连浩特市人民政府"),
            ("doc_number", "二政字〔2026〕91号"),
            ("doc_date", "2026-11-30"),
        ],
    );
    browser.click_on(&format!("{form} button"));
    browser.wait_for(
        "document.getElementById('done')?.textContent.includes('已迁移界桩')",
        "the marker moved",
    );
    shoot(&mut browser, &format!("{store}-boundary-markers"));

    // A 平安边界 agreement: refused while its renewal is before its signing, then registered.
    browser.click_on("#boundaries-nav a[href='/boundaries/agreements']");
    page_is(&mut browser, "/boundaries/agreements", "#new");
    fill(
        &mut browser,
        "#new",
        &[
            ("title", "平安边界协议（第二期）"),
            ("party1", &left),
            ("party2", &right),
            ("signed", "2026-12-01"),
            ("renewal", "2025-12-01"),
            ("summary", "共同维护界桩，纠纷先协商"),
        ],
    );
    browser.click_on("#add-agreement");
    page_is(&mut browser, "/boundaries/agreements", "#refused");
    assert!(
        text(&mut browser, "#refused").contains("应晚于签订日期"),
        "{}",
        text(&mut browser, "#refused")
    );
    assert_eq!(
        browser.eval("document.querySelector('#new [name=title]').value"),
        "平安边界协议（第二期）"
    );
    fill(&mut browser, "#new", &[("renewal", "2031-12-01")]);
    browser.click_on("#add-agreement");
    browser.wait_for(
        "document.getElementById('done')?.textContent.includes('已登记协议')",
        "the agreement registered",
    );
    let section = browser
        .eval("[...document.querySelectorAll('section.agreement')].find(s => s.textContent.includes('第二期')).id")
        .as_str()
        .unwrap()
        .to_string();
    fill(
        &mut browser,
        &format!("#{section} .meeting-form"),
        &[
            ("date", "2026-12-03"),
            ("place", "格日勒敖都苏木"),
            ("summary", "共同巡查界桩 JZ-101"),
        ],
    );
    browser.click_on(&format!("#{section} .meeting-form button"));
    browser.wait_for(
        &format!("document.querySelector('#{section} .meetings')?.textContent.includes('共同巡查界桩 JZ-101')"),
        "the meeting recorded",
    );
    fill(
        &mut browser,
        &format!("#{section} .renew-form"),
        &[("date", "2026-12-05"), ("renewal", "2031-12-05")],
    );
    browser.click_on(&format!("#{section} .renew-form button"));
    browser.wait_for(
        &format!("document.querySelector('#{section} .renewal')?.textContent === '2031-12-05'"),
        "the agreement renewed",
    );
    shoot(&mut browser, &format!("{store}-boundary-agreements"));

    let registry = db.registry().await;
    let changeset = {
        let state = registry.current();
        let (v, m) = state.version::<Marker>(&id.parse().unwrap()).unwrap();
        assert_eq!(m.number, "JZ-101");
        assert_eq!(m.references.len(), 3);
        assert_eq!(v.version, 2);
        let geo::Geometry::Point(p) = v.geometry else {
            panic!("a point")
        };
        assert!((p.x() - (lon + 0.0001)).abs() < 1e-7);
        let (_, a) = state
            .versions::<Agreement>()
            .find(|(_, a)| a.title == "平安边界协议（第二期）")
            .unwrap();
        assert_eq!(a.party_names.len(), 2);
        assert_eq!(a.meetings.len(), 1);
        assert_eq!(a.signed.to_string(), "2026-12-05");
        assert_eq!(a.renewal.to_string(), "2031-12-05");
        v.changeset
    };
    let moved = registry
        .store()
        .changeset(changeset)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.document.unwrap().number, "二政字〔2026〕91号");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boundary_officer_keeps_the_marker_register_and_the_agreements_on_sqlite() {
    boundary_registers(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boundary_officer_keeps_the_marker_register_and_the_agreements_on_postgres() {
    boundary_registers(TestDb::postgres().await, "postgres").await;
}
