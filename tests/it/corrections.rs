//! A burial record corrected at the counter in Chromium, on both stores: a wrong ID number
//! refused in its field with what was typed kept, the correction saved with its reason (the
//! first registration kept in the history), and a correction made from a version someone
//! else has since changed refused with the record as it is now.

use crate::browser::{log_in, served};
use crate::cdp::Browser;
use crate::support::TestDb;
use crate::workplace::shoot;
use diming::accounts::Role;
use diming::cemetery::{Burial, Disposition};

fn value(browser: &mut Browser, selector: &str) -> String {
    browser
        .eval(&format!(
            "document.querySelector({selector:?})?.value ?? ''"
        ))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn set(browser: &mut Browser, selector: &str, to: &str) {
    browser.eval(&format!(
        "(() => {{ const e = document.querySelector({selector:?}); e.value = {to:?}; return true; }})()"
    ));
}

async fn burial_correction(db: TestDb, store: &str) {
    let (_server, base) = served(&db, "sarula", Role::BurialOfficer).await;
    // A cremation registered in the demo.
    let id = {
        let registry = db.registry().await;
        let state = registry.current();
        state
            .versions::<Burial>()
            .find(|(_, b)| b.disposition == Disposition::Cremation && b.plot.is_some())
            .map(|(v, _)| v.id)
            .unwrap()
    };
    let page = format!("/cemetery/burials/{id}");
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "sarula", &page);
    browser.wait_for(
        &format!("location.pathname === {page:?} && !!document.getElementById('correct-form')"),
        "the burial's page",
    );
    browser.eval("document.getElementById('correct').open = true");
    // A wrong ID number: refused, the field marked, everything typed still there.
    set(
        &mut browser,
        "#correct-form [name=certificate]",
        "HZ-2026-0999",
    );
    set(
        &mut browser,
        "#correct-form [name=id_number]",
        "152501199001011230",
    );
    set(
        &mut browser,
        "#correct-form [name=reason]",
        "火化证明编号录入错误",
    );
    browser.click_on("#correct-burial");
    browser.wait_for("document.getElementById('refused')", "the refusal");
    assert!(
        browser.eval(
            "document.querySelector('#correct-form [name=id_number]').classList.contains('invalid')"
        ) == true,
        "the ID number is marked"
    );
    assert_eq!(
        value(&mut browser, "#correct-form [name=certificate]"),
        "HZ-2026-0999"
    );
    assert_eq!(
        value(&mut browser, "#correct-form [name=reason]"),
        "火化证明编号录入错误"
    );
    // Put right, and saved.
    set(&mut browser, "#correct-form [name=id_number]", "");
    browser.click_on("#correct-burial");
    browser.wait_for(
        "document.getElementById('done')?.textContent.startsWith('已更正')",
        "the correction saved",
    );
    assert!(
        browser
            .eval("document.getElementById('burial').textContent")
            .as_str()
            .unwrap()
            .contains("HZ-2026-0999")
    );
    shoot(&mut browser, &format!("{store}-burial-corrected"));

    // Someone else corrects the record meanwhile: this page's correction is refused and the
    // page shows the record as it is now, the correction as typed.
    browser.eval("document.getElementById('correct').open = true");
    set(
        &mut browser,
        "#correct-form [name=place_of_death]",
        "锡林郭勒盟中心医院东院",
    );
    set(&mut browser, "#correct-form [name=reason]", "补录死亡地点");
    // (In another tab: the record's next version through the JSON API.)
    let status = browser.eval(&format!(
        "(async () => {{
            const rec = await (await fetch('/api/records/{id}')).json();
            const p = rec.properties, version = p.version;
            for (const k of ['layer', 'version', 'valid_from', 'valid_to', 'recorded_at', 'retired', 'changeset']) delete p[k];
            p.cremation_certificate = 'HZ-2026-1000';
            const r = await fetch('/api/records/{id}', {{ method: 'PUT',
                headers: {{ 'Content-Type': 'application/json', 'If-Match': '\"' + version + '\"',
                           'X-CSRF-Token': document.querySelector('#correct-form [name=csrf]').value }},
                body: JSON.stringify({{ reason: '另一位工作人员的更正', feature: {{ type: 'Feature', geometry: rec.geometry, properties: p }} }}) }});
            return r.status + ' ' + await r.text();
        }})()"
    ));
    assert!(status.as_str().unwrap().starts_with("200"), "{status}");
    browser.click_on("#correct-burial");
    browser.wait_for(
        "document.getElementById('refused')",
        "the stale correction refused",
    );
    let refused = browser
        .eval("document.getElementById('refused').textContent")
        .as_str()
        .unwrap()
        .to_string();
    assert!(refused.contains("他人已先修改"), "{refused}");
    assert!(
        browser
            .eval("document.getElementById('burial').textContent")
            .as_str()
            .unwrap()
            .contains("HZ-2026-1000")
    );
    assert_eq!(
        value(&mut browser, "#correct-form [name=place_of_death]"),
        "锡林郭勒盟中心医院东院"
    );

    let registry = db.registry().await;
    let history = registry.history(id).await.unwrap();
    assert_eq!(
        history.len(),
        3,
        "the first registration and two corrections"
    );
    let state = registry.current();
    let (v, b) = state.version::<Burial>(&id).unwrap();
    assert_eq!(b.cremation_certificate.as_deref(), Some("HZ-2026-1000"));
    assert_ne!(
        b.deceased.place_of_death, "锡林郭勒盟中心医院东院",
        "the stale correction wrote nothing"
    );
    assert_eq!(v.version, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burial_clerk_corrects_a_registration_with_its_reason_on_sqlite() {
    burial_correction(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burial_clerk_corrects_a_registration_with_its_reason_on_postgres() {
    burial_correction(TestDb::postgres().await, "postgres").await;
}
