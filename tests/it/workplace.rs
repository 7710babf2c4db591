//! The officers' daily work through the pages, as each role does it in Chromium, on both
//! stores: the outcome is checked in the registry afterwards, not only on the page.
//! Screenshots of each page at desktop and phone width are kept in
//! `$CARGO_TARGET_TMPDIR/screenshots/` to be looked at.

use crate::browser::{log_in, serve_free, served};
use crate::cdp::Browser;
use crate::support::TestDb;
use diming::accounts::Role;
use diming::cemetery::{Burial, Grave, Notice, NoticeStatus, Plot};

/// The folder the screenshots are kept in.
pub(crate) fn screenshots() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Takes the page as it is at desktop width and again at a phone's width, and checks that at
/// the phone's width nothing makes the page itself wider than the screen (tables scroll in
/// their own box).
///
/// The desktop picture is also the user guide's picture of the page (JPEG, in
/// `$CARGO_TARGET_TMPDIR/guide/`, and in the guide's own folder `docs/guide/` when
/// `DIMING_UPDATE_GUIDE=1`), taken from the SQLite runs.
pub(crate) fn shoot(browser: &mut Browser, name: &str) {
    let dir = screenshots();
    browser.screenshot(&dir.join(format!("{name}.png")));
    if !name.starts_with("postgres-") {
        let guide = name.trim_start_matches("sqlite-");
        let taken = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("guide");
        std::fs::create_dir_all(&taken).unwrap();
        let path = taken.join(format!("{guide}.jpg"));
        browser.screenshot_jpeg(&path);
        let in_guide = diming::publish::guide::GUIDE.pictures().any(|p| p == guide);
        if in_guide && std::env::var("DIMING_UPDATE_GUIDE").is_ok_and(|v| v == "1") {
            let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::copy(&path, docs.join(format!("{guide}.jpg"))).unwrap();
        }
    }
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
    );
    std::thread::sleep(std::time::Duration::from_millis(150));
    let overflow = browser.eval("document.documentElement.scrollWidth - window.innerWidth");
    browser.screenshot(&dir.join(format!("{name}.phone.png")));
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    assert!(
        overflow.as_f64().unwrap_or(0.0) <= 1.0,
        "{name}: at a phone's width the page is {overflow} px wider than the screen"
    );
}

/// Waits for a page at `path` to have loaded with `selector` on it.
fn wait_page(browser: &mut Browser, path: &str, selector: &str) {
    browser.wait_for(
        &format!(
            "location.pathname === {path:?} && document.readyState === 'complete' && !!document.querySelector({selector:?})"
        ),
        path,
    );
}

/// Sets a form control's value as a person picking it would (selects and date fields).
fn set_value(browser: &mut Browser, selector: &str, value: &str) {
    browser.eval(&format!(
        "(() => {{ const e = document.querySelector({selector:?}); e.value = {value:?}; e.dispatchEvent(new Event('change', {{ bubbles: true }})); return e.value; }})()"
    ));
}

/// The text of the first element `selector` matches, trimmed (empty when none does).
pub(crate) fn text(browser: &mut Browser, selector: &str) -> String {
    browser
        .eval(&format!(
            "document.querySelector({selector:?})?.textContent.trim() ?? ''"
        ))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The burial clerk's day at the counter: a death registered into a plot from the form, found
/// again by name and by plot number; a batch of relocation notices issued for a zone, one
/// delivered, registered and moved into a plot; a refused registration keeps what was typed.
async fn burial_office_casework(db: TestDb, store: &str) {
    let (_server, base) = served(&db, "sarula", Role::BurialOfficer).await;
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "sarula", "/cemetery/burials/new");
    wait_page(&mut browser, "/cemetery/burials/new", "#burial-form");
    // A plot the form offers (free or reserved).
    let plot = browser
        .eval("document.querySelector('#free-plots option').value")
        .as_str()
        .unwrap()
        .to_string();
    let name = format!("测{store}逝者");
    // First without the cremation certificate: refused, with what was typed kept.
    browser.type_into("input[name=name]", &name);
    set_value(&mut browser, "select[name=sex]", "女");
    set_value(&mut browser, "input[name=died]", "2026-11-30");
    set_value(&mut browser, "select[name=residence]", "152501200201");
    set_value(&mut browser, "select[name=disposition]", "cremation");
    browser.type_into("input[name=plot]", &plot);
    browser.wait_for(
        "!document.getElementById('plot-plan').hidden",
        "the plan of the chosen plot",
    );
    shoot(&mut browser, &format!("{store}-burial-form"));
    browser.click_on("#register");
    browser.wait_for("document.getElementById('form-error')", "the refusal");
    assert!(
        text(&mut browser, "#form-error").contains("火化证明编号"),
        "{}",
        text(&mut browser, "#form-error")
    );
    assert_eq!(
        browser.eval("document.querySelector('input[name=name]').value"),
        name.as_str()
    );
    assert_eq!(
        browser.eval("document.querySelector('input[name=plot]').value"),
        plot.as_str()
    );
    browser.type_into("input[name=certificate]", "HH2026-0999");
    browser.click_on("#register");
    browser.wait_for(
        "location.pathname.startsWith('/cemetery/burials/') && document.getElementById('done')",
        "the registered burial's page",
    );
    assert_eq!(text(&mut browser, "#done"), "已登记。");
    assert_eq!(text(&mut browser, "#burial-plot"), plot);
    assert!(text(&mut browser, "#burial").contains("陶力嘎查（152501200201）"));
    shoot(&mut browser, &format!("{store}-burial"));

    // Found again by name, then by plot number.
    browser.goto(&format!("{base}/cemetery/burials"));
    browser.type_into("#burial-search input[name=q]", &name);
    browser.click_on("#burial-search button");
    browser.wait_for("location.search.includes('q=')", "the search");
    assert_eq!(text(&mut browser, "#burial-count"), "共 1 条");
    assert!(text(&mut browser, "#burials").contains(&plot));
    shoot(&mut browser, &format!("{store}-burials"));
    browser.goto(&format!("{base}/cemetery/plots"));
    browser.type_into("#plot-search input[name=number]", &plot);
    browser.click_on("#plot-search button");
    browser.wait_for(
        "location.pathname.startsWith('/cemetery/plots/') && document.getElementById('plot-burials')",
        "the plot's own page",
    );
    assert!(text(&mut browser, "#plot-burials").contains(&name));
    shoot(&mut browser, &format!("{store}-plot"));

    // A batch of notices for the graves along the national road.
    browser.goto(&format!("{base}/cemetery/notices"));
    set_value(&mut browser, "select[name=zone]", "G208 国道两侧");
    set_value(&mut browser, "input[name=deadline]", "2027-04-30");
    browser.type_into("input[name=contact]", "市民政局社会事务科 0479-7512345");
    browser.type_into("#issue-form input[name=batch]", "测试批次");
    browser.click_on("#issue");
    browser.wait_for("document.getElementById('done')", "the issued batch");
    let count = text(&mut browser, "#notice-count");
    let issued: usize = count
        .trim_start_matches("共 ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{count}"));
    assert!(issued > 0, "{count}");
    shoot(&mut browser, &format!("{store}-notices"));
    browser.click_on("#notices a");
    wait_page_prefix(&mut browser, "/cemetery/notices/", "#step-form");
    let notice_path = browser
        .eval("location.pathname")
        .as_str()
        .unwrap()
        .to_string();
    set_value(&mut browser, "#step-form select[name=status]", "delivered");
    browser.type_into("#step-form input[name=signed_by]", "坟主本人");
    browser.click_on("#record-step");
    browser.wait_for(
        "document.getElementById('notice-status')?.textContent === '已送达'",
        "the delivery",
    );
    set_value(&mut browser, "#step-form select[name=status]", "registered");
    browser.click_on("#record-step");
    browser.wait_for(
        "document.getElementById('notice-status')?.textContent === '已登记'",
        "the registration",
    );
    let free = {
        let registry = db.registry().await;
        let state = registry.current();
        let mut free: Vec<String> = state
            .versions::<Plot>()
            .filter(|(_, p)| {
                p.status == diming::cemetery::PlotStatus::Available && p.number.section == "F"
            })
            .map(|(_, p)| p.number.to_string())
            .collect();
        free.sort();
        free.first()
            .cloned()
            .expect("a free plot in the relocation area")
    };
    browser.type_into("#relocate-form input[name=plot]", &free);
    browser.eval("document.querySelector('#relocate-form input[name=name]').value = ''");
    browser.type_into("#relocate-form input[name=name]", "迁入测试");
    set_value(
        &mut browser,
        "#relocate-form input[name=died]",
        "1995-06-01",
    );
    browser.click_on("#relocate");
    browser.wait_for(
        "document.getElementById('notice-status')?.textContent === '已迁入公墓'",
        "the move",
    );
    shoot(&mut browser, &format!("{store}-notice"));
    // The batch prints as a ZIP of PDFs.
    let zip = browser.eval(
        "(async () => { const r = await fetch('/cemetery/notices/print?batch=' + encodeURIComponent('测试批次')); return [r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength]; })()",
    );
    assert_eq!(zip[0], 200, "{zip}");
    assert_eq!(zip[1], "application/zip");
    assert!(zip[2].as_u64().unwrap() > 10_000, "{zip}");

    // A ledger: a row with a wrong ID number refuses the whole file, row and column named;
    // corrected, it imports.
    browser.goto(&format!("{base}/cemetery/ledger"));
    wait_page(&mut browser, "/cemetery/ledger", "#ledger-form");
    let header = "姓名,性别,民族,身份证号码,死亡日期,户籍地区划代码,处理方式,火化证明编号,安葬地点经度,安葬地点纬度";
    let good = diming::cemetery::personal::IdNumber::with_check("15250119500315001")
        .unwrap()
        .whole()
        .unwrap()
        .to_string();
    let mut bad = good.clone();
    bad.replace_range(17..18, if good.ends_with('1') { "2" } else { "1" });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("台账.csv");
    std::fs::write(
        &file,
        format!("{header}\n台账甲,男,蒙古族,{bad},2026-11-20,152501400001,火化,HH2026-0201,111.99,43.615\n"),
    )
    .unwrap();
    browser.choose_file("#ledger-form input[type=file]", &file);
    browser.click_on("#ledger-check");
    browser.wait_for(
        "document.getElementById('ledger-outcome')",
        "the ledger's check",
    );
    let refused = text(&mut browser, "#ledger-report");
    assert!(
        refused.contains("整个台账未导入") && refused.contains("身份证号码"),
        "{refused}"
    );
    std::fs::write(
        &file,
        format!(
            "{header}\n台账甲,男,蒙古族,,2026-11-20,152501400001,火化,HH2026-0201,111.99,43.615\n"
        ),
    )
    .unwrap();
    browser.choose_file("#ledger-form input[type=file]", &file);
    browser.click_on("#ledger-import");
    browser.wait_for(
        "document.getElementById('ledger-outcome')?.textContent.startsWith('已导入')",
        "the imported ledger",
    );
    shoot(&mut browser, &format!("{store}-ledger"));

    // The registry holds what the pages did.
    let registry = db.registry().await;
    let state = registry.current();
    assert!(
        state
            .versions::<Burial>()
            .any(|(_, b)| b.deceased.name == "台账甲")
    );
    let (_, burial) = state
        .versions::<Burial>()
        .find(|(_, b)| b.deceased.name == name)
        .expect("the registered burial");
    let (_, in_plot) = state.version::<Plot>(&burial.plot.unwrap()).unwrap();
    assert_eq!(in_plot.number.to_string(), plot);
    assert_eq!(burial.cremation_certificate.as_deref(), Some("HH2026-0999"));
    let batch: Vec<&Notice> = state
        .versions::<Notice>()
        .filter(|(_, n)| n.batch == "测试批次")
        .map(|(_, n)| n)
        .collect();
    assert_eq!(batch.len(), issued);
    let id: diming::record::RecordId = notice_path.rsplit('/').next().unwrap().parse().unwrap();
    let (_, moved) = state.version::<Notice>(&id).unwrap();
    assert_eq!(moved.status, NoticeStatus::Relocated);
    assert_eq!(moved.signed_by.as_deref(), Some("坟主本人"));
    let (_, grave) = state.version::<Grave>(&moved.grave).unwrap();
    let (_, target) = state.version::<Plot>(&grave.moved_to.unwrap()).unwrap();
    assert_eq!(target.number.to_string(), free);
}

fn wait_page_prefix(browser: &mut Browser, prefix: &str, selector: &str) {
    browser.wait_for(
        &format!(
            "location.pathname.startsWith({prefix:?}) && document.readyState === 'complete' && !!document.querySelector({selector:?})"
        ),
        prefix,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burial_clerk_registers_finds_and_relocates_through_the_pages_on_sqlite() {
    burial_office_casework(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burial_clerk_registers_finds_and_relocates_through_the_pages_on_postgres() {
    burial_office_casework(TestDb::postgres().await, "postgres").await;
}

/// The names officer takes a new name from proposal to publication through the pages: the
/// approval is refused without its document and given with it; the names audit lists the
/// city's problem names and downloads as CSV.
async fn names_office_workflow(db: TestDb, store: &str) {
    let (_server, base) = served(&db, "wangfang", Role::NamesOfficer).await;
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "wangfang", "/names");
    wait_page(&mut browser, "/names", "#propose-form");
    browser.type_into("#propose-form input[name=name]", "口岸物流园");
    set_value(
        &mut browser,
        "#propose-form select[name=category]",
        "building",
    );
    browser.type_into("#propose-form input[name=at]", "111.9755,43.6521");
    browser.type_into("#propose-form input[name=meaning]", "位于口岸物流区");
    shoot(&mut browser, &format!("{store}-names"));
    browser.click_on("#propose");
    wait_page_prefix(&mut browser, "/names/", "#review");
    assert_eq!(text(&mut browser, "#name-status"), "拟命名");
    let path = browser
        .eval("location.pathname")
        .as_str()
        .unwrap()
        .to_string();
    browser.click_on("#review");
    browser.wait_for(
        "document.getElementById('name-status')?.textContent === '已审核' && document.getElementById('approve')",
        "the reviewed name",
    );
    // Without its document the approval is refused, and the name stays as it was.
    browser.click_on("#approve");
    browser.wait_for("document.getElementById('refused')", "the refusal");
    assert!(
        text(&mut browser, "#refused").contains("批准须附批准文件"),
        "{}",
        text(&mut browser, "#refused")
    );
    assert_eq!(text(&mut browser, "#name-status"), "已审核");
    browser.type_into("#approve-form input[name=issuer]", "二连浩特市人民政府");
    browser.type_into("#approve-form input[name=number]", "二政字〔2026〕88号");
    set_value(&mut browser, "#approve-form input[name=date]", "2026-12-01");
    browser.click_on("#approve");
    browser.wait_for(
        "document.getElementById('name-status')?.textContent === '已批准' && document.getElementById('publish')",
        "the approved name",
    );
    assert!(text(&mut browser, "#approval").contains("二政字〔2026〕88号"));
    set_value(&mut browser, "#publish-form input[name=on]", "2026-12-05");
    browser.click_on("#publish");
    browser.wait_for(
        "document.getElementById('name-status')?.textContent === '已公告' && document.getElementById('report')",
        "the published name, its report still due",
    );
    shoot(&mut browser, &format!("{store}-name"));
    browser.click_on("#report");
    browser.wait_for(
        "document.getElementById('name-status') && !document.getElementById('report')",
        "the report recorded",
    );
    // The names audit, with its work list and its download.
    browser.goto(&format!("{base}/names/audit"));
    assert!(text(&mut browser, "#audit").contains("曼哈顿国际花园"));
    shoot(&mut browser, &format!("{store}-names-audit"));
    let csv = browser.eval(
        "(async () => { const r = await fetch('/names/audit?format=csv'); return [r.status, r.headers.get('content-type'), await r.text()]; })()",
    );
    assert_eq!(csv[0], 200);
    assert!(csv[2].as_str().unwrap().contains("曼哈顿国际花园"), "{csv}");
    // A name of Mongolian origin without its script says so beside its romanization.
    let sumu = {
        let registry = db.registry().await;
        let state = registry.current();
        state
            .records()
            .find(|v| v.body.title() == "格日勒敖都苏木")
            .expect("the sumu")
            .id
    };
    browser.goto(&format!("{base}/names/{sumu}"));
    wait_page_prefix(&mut browser, "/names/", "#origin-note");
    assert!(text(&mut browser, "#origin-note").contains("缺蒙古文"));
    // A street named in Mongolian is marked so by the names officer, through the registry's
    // step: its romanization then comes from the Mongolian, and says how; the mark comes off
    // the same way.
    let street = diming::record::RecordId::derived("street/那达慕路");
    browser.goto(&format!("{base}/names/{street}"));
    wait_page_prefix(&mut browser, "/names/", "#set-origin");
    assert!(text(&mut browser, "#set-origin").contains("标明为蒙古语地名"));
    browser.click_on("#set-origin");
    browser.wait_for("document.getElementById('origin-note')", "the mark put on");
    assert!(text(&mut browser, "#origin-note").contains("蒙古语地名"));
    {
        let registry = db.registry().await;
        let state = registry.current();
        let naming = state.get(&street).unwrap().body.naming().unwrap().clone();
        assert!(naming.mongolian_origin);
    }
    browser.click_on("#set-origin");
    browser.wait_for(
        "!document.getElementById('origin-note') && document.getElementById('set-origin')",
        "the mark taken off",
    );

    let registry = db.registry().await;
    let id: diming::record::RecordId = path.rsplit('/').next().unwrap().parse().unwrap();
    let state = registry.current();
    let naming = state.get(&id).unwrap().body.naming().unwrap().clone();
    assert_eq!(naming.status, diming::names::naming::NameStatus::Published);
    assert_eq!(naming.approval.unwrap().number, "二政字〔2026〕88号");
    assert_eq!(naming.published_on.unwrap().to_string(), "2026-12-05");
    assert!(naming.reported_on.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_names_officer_takes_a_name_to_publication_through_the_pages_on_sqlite() {
    names_office_workflow(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_names_officer_takes_a_name_to_publication_through_the_pages_on_postgres() {
    names_office_workflow(TestDb::postgres().await, "postgres").await;
}

/// The boundary officer records a joint inspection of a line from the page and decides a
/// dispute there: refused without the decision's document, then the disputed area goes to
/// the party named.
async fn boundary_office_work(db: TestDb, store: &str) {
    use diming::boundaries::dispute::{Dispute, DisputeStatus, Party};
    use diming::boundaries::{AdminUnit, line::LineInspection};
    use geo::{Centroid, Contains, Geometry, Rect, coord};
    let dispute = {
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        crate::support::officer(&registry, "bateer", Role::BoundaryOfficer).await;
        let town = registry
            .current()
            .versions::<AdminUnit>()
            .find(|(_, u)| u.code.short() == "152501400")
            .map(|(v, _)| v.geometry.clone())
            .unwrap();
        let strip = Geometry::Polygon(
            Rect::new(
                coord! {x: 111.930, y: 43.630},
                coord! {x: 111.939, y: 43.670},
            )
            .to_polygon(),
        );
        let parties = vec![
            Party {
                code: "152501200".into(),
                name: "格日勒敖都苏木".into(),
                claim: diming::spatial::geojson::from_geo(&strip),
            },
            Party {
                code: "152501400".into(),
                name: "二连浩特市社区建设管理局".into(),
                claim: diming::spatial::geojson::from_geo(&town),
            },
        ];
        let filed = "2026-03-01".parse().unwrap();
        registry
            .file_dispute("bateer", "西界争议", parties, Vec::new(), filed)
            .await
            .unwrap()
            .0
    };
    let (_server, port) = serve_free(db.url());
    let base = format!("http://127.0.0.1:{port}");
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "bateer", "/boundaries");
    wait_page(&mut browser, "/boundaries", "#inspect");
    // A due inspection leads to the form with its line chosen.
    let due = browser.eval("document.querySelector('a.due-action')?.getAttribute('href') ?? ''");
    let line = browser
        .eval("document.querySelector('#inspect select[name=line]').value")
        .as_str()
        .unwrap()
        .to_string();
    if let Some(href) = due.as_str().filter(|h| !h.is_empty()) {
        browser.goto(&format!("{base}{href}"));
        wait_page(&mut browser, "/boundaries", "#inspect");
        let chosen = browser.eval("document.querySelector('#inspect select[name=line]').value");
        assert!(href.contains(chosen.as_str().unwrap()), "{href} {chosen}");
    }
    let line = browser
        .eval("document.querySelector('#inspect select[name=line]').value")
        .as_str()
        .map_or(line, str::to_string);
    browser.type_into("#inspect input[name=inspectors]", "巴特尔，王强");
    browser.type_into(
        "#inspect textarea[name=findings]",
        "JZ-004：界桩倾斜，须扶正",
    );
    browser.click_on("#record-inspection");
    browser.wait_for("document.getElementById('done')", "the recorded inspection");
    assert!(text(&mut browser, "#inspection-list").contains("界桩倾斜，须扶正"));
    shoot(&mut browser, &format!("{store}-boundaries"));

    // The parties consult (the page's step form), then the decision: refused without its
    // document, then given.
    let step = format!("form.dispute-step[data-id='{dispute}']");
    set_value(
        &mut browser,
        &format!("{step} select[name=status]"),
        "consultation",
    );
    browser.click_on(&format!("{step} button"));
    let form = format!("form.decide-form[data-id='{dispute}']");
    browser.wait_for(
        &format!("document.readyState === 'complete' && !!document.querySelector({form:?})"),
        "the decision form once the parties consult",
    );
    browser.click_on(&format!("{form} button.decide"));
    browser.wait_for("document.getElementById('refused')", "the refusal");
    assert!(text(&mut browser, "#refused").contains("裁决须附裁决文件"));
    set_value(
        &mut browser,
        &format!("{form} select[name=winner]"),
        "152501200",
    );
    browser.type_into(&format!("{form} input[name=issuer]"), "二连浩特市人民政府");
    browser.type_into(&format!("{form} input[name=number]"), "二政发〔2026〕77号");
    browser.click_on(&format!("{form} button.decide"));
    browser.wait_for(
        "document.getElementById('done')?.textContent.startsWith('已裁决')",
        "the decision",
    );

    let registry = db.registry().await;
    let state = registry.current();
    let (area, decided) = state
        .version::<Dispute>(&dispute)
        .map(|(v, d)| (v.geometry.clone(), d.status))
        .unwrap();
    assert_eq!(decided, DisputeStatus::Decided);
    let inside = area.centroid().unwrap();
    let holds = |code: &str| {
        state
            .versions::<AdminUnit>()
            .find(|(_, u)| u.code.short() == code)
            .is_some_and(|(v, _)| v.geometry.contains(&inside))
    };
    assert!(holds("152501200"), "the sumu holds the disputed area");
    assert!(!holds("152501400"), "the town no longer holds it");
    let line: diming::record::RecordId = line.parse().unwrap();
    assert!(
        state
            .versions::<LineInspection>()
            .any(|(_, i)| i.line == line && i.findings.iter().any(|f| f.at == "JZ-004"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boundary_officer_inspects_a_line_and_decides_a_dispute_through_the_pages_on_sqlite() {
    boundary_office_work(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boundary_officer_inspects_a_line_and_decides_a_dispute_through_the_pages_on_postgres() {
    boundary_office_work(TestDb::postgres().await, "postgres").await;
}

/// The editor prints the street map of one community from the web: previewed on the page,
/// downloaded as a PDF that renders (pdftoppm) with the streets drawn.
async fn editor_prints_the_street_map(db: TestDb, store: &str) {
    use base64::Engine;
    let (_server, base) = served(&db, "editor", Role::Editor).await;
    let mut browser = Browser::launch(1280, 900);
    log_in(&mut browser, &base, "editor", "/print");
    wait_page(&mut browser, "/print", "#print-form");
    set_value(&mut browser, "#print-form select[name=map]", "street");
    set_value(
        &mut browser,
        "#print-form select[name=layout]",
        "A4-landscape",
    );
    set_value(
        &mut browser,
        "#print-form select[name=unit]",
        "152501400001",
    );
    browser.click_on("#preview");
    browser.wait_for(
        "location.search.includes('map=street') && !!document.querySelector('#print-preview svg')",
        "the preview",
    );
    let summary = text(&mut browser, "#print-summary");
    assert!(
        summary.contains("街区图") && summary.contains("A4"),
        "{summary}"
    );
    shoot(&mut browser, &format!("{store}-print"));
    let pdf = browser.eval(
        "(async () => { const r = await fetch(document.getElementById('download-pdf').getAttribute('href')); const b = new Uint8Array(await r.arrayBuffer()); let s = ''; for (const x of b) s += String.fromCharCode(x); return [r.status, r.headers.get('content-type'), btoa(s)]; })()",
    );
    assert_eq!(pdf[0], 200);
    assert_eq!(pdf[1], "application/pdf");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pdf[2].as_str().unwrap())
        .unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let dir = crate::workplace::screenshots();
    let file = dir.join(format!("{store}-street-map.pdf"));
    std::fs::write(&file, &bytes).unwrap();
    let prefix = dir.join(format!("{store}-street-map"));
    let out = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-singlefile"])
        .arg(&file)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = prefix.with_extension("png");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let inked = buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|c| *c < 200))
        .count();
    let share = inked as f64 / (info.width * info.height) as f64;
    assert!(
        share > 0.01,
        "the printed map is nearly blank: {share:.4} inked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_prints_the_street_map_from_the_web_on_sqlite() {
    editor_prints_the_street_map(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_prints_the_street_map_from_the_web_on_postgres() {
    editor_prints_the_street_map(TestDb::postgres().await, "postgres").await;
}

/// The administrator creates an account from the page (refused with a short password first),
/// gives it another role, disables it, and reads the refused-access log in Chinese.
async fn administrator_manages_accounts(db: TestDb, store: &str) {
    {
        let registry = db.registry().await;
        crate::support::officer(&registry, "root", Role::Admin).await;
    }
    let (_server, port) = serve_free(db.url());
    let base = format!("http://127.0.0.1:{port}");
    let mut browser = Browser::launch(1280, 900);
    // A write tried without logging in, for the log.
    browser.goto(&format!("{base}/"));
    let status = browser.eval(
        "(async () => (await fetch('/api/changesets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status)()",
    );
    assert_eq!(status, 401);
    log_in(&mut browser, &base, "root", "/admin");
    wait_page(&mut browser, "/admin", "#add-user");
    browser.type_into("#add-user input[name=name]", "乌兰");
    set_value(&mut browser, "#add-user select[name=role]", "viewer");
    browser.type_into("#add-user input[name=password]", "short");
    browser.click_on("#add");
    browser.wait_for("document.getElementById('refused')", "the refusal");
    assert!(text(&mut browser, "#refused").contains("密码太短"));
    browser.type_into("#add-user input[name=name]", "乌兰");
    set_value(&mut browser, "#add-user select[name=role]", "viewer");
    browser.type_into("#add-user input[name=password]", "足够长的初始密码-2026");
    browser.click_on("#add");
    browser.wait_for("document.getElementById('done')", "the new account");
    assert!(text(&mut browser, "#users").contains("乌兰"));
    // Another role, then disabled, from its row.
    let row = "(() => [...document.querySelectorAll('form.set-user')].find(f => f.elements.name.value === '乌兰'))()";
    browser.eval(&format!(
        "(() => {{ const f = {row}; f.elements.role.value = 'burial_officer'; f.elements.state.value = 'disable'; return true; }})()"
    ));
    browser.eval(&format!("{row}.querySelector('button').click()"));
    browser.wait_for(
        "document.getElementById('done')?.textContent.includes('已更新')",
        "the changed account",
    );
    let shown = text(&mut browser, "#users");
    assert!(shown.contains("乌兰殡葬管理员已停用"), "{shown}");
    let log = text(&mut browser, "#refusals");
    assert!(log.contains("（未登录）修改数据/api/changesets"), "{log}");
    shoot(&mut browser, &format!("{store}-admin"));
    let registry = db.registry().await;
    let users = registry.store().users().await.unwrap();
    let wulan = users.iter().find(|u| u.name == "乌兰").unwrap();
    assert_eq!(wulan.role, Role::BurialOfficer);
    assert!(wulan.disabled_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_manages_accounts_through_the_page_on_sqlite() {
    administrator_manages_accounts(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_manages_accounts_through_the_page_on_postgres() {
    administrator_manages_accounts(TestDb::postgres().await, "postgres").await;
}
