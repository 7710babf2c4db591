//! Planning numbers from files, as an officer does before touching the registry.

use std::process::Command;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A point `x` metres east and `y` metres north of 111.97°E 43.65°N.
fn at(x: f64, y: f64) -> [f64; 2] {
    [
        111.97 + x / (111_320.0 * 43.65f64.to_radians().cos()),
        43.65 + y / 111_320.0,
    ]
}

fn entrances(points: &[(f64, f64, &str)]) -> String {
    let features: Vec<serde_json::Value> = points
        .iter()
        .map(|&(x, y, id)| serde_json::json!({"type": "Feature", "properties": {"楼号": id}, "geometry": {"type": "Point", "coordinates": at(x, y)}}))
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn plan(args: &[&str]) -> (serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args(["numbering", "plan"])
        .args(args)
        .output()
        .unwrap();
    crate::support::succeeded(&out);
    (
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_plan_from_files_numbers_each_entrance_and_keeps_its_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let street = write(dir.path(), "street.geojson", &serde_json::json!({"type": "Feature", "properties": {"name": "前进大街"}, "geometry": {"type": "LineString", "coordinates": [at(0.0, 0.0), at(400.0, 0.0)]}}).to_string());
    let e = write(
        dir.path(),
        "entrances.geojson",
        &entrances(&[
            (350.0, -15.0, "甲"),
            (250.0, -15.0, "乙"),
            (350.0, 15.0, "丙"),
            (200.0, 0.1, "丁"),
        ]),
    );
    let (v, stderr) = plan(&["--street", &street, "--entrances", &e]);
    let got: Vec<(String, String, String)> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["楼号"].as_str().unwrap().into(),
                f["properties"]["number"].as_str().unwrap().into(),
                f["properties"]["side"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("甲", "1号", "左"),
        ("乙", "3号", "左"),
        ("丙", "2号", "右"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, expected);
    assert!(
        stderr.contains("第 4 个入口未编号") && stderr.contains("无法判断"),
        "{stderr}"
    );
    let along = v["features"][1]["properties"]["along_m"].as_f64().unwrap();
    assert!((along - 150.0).abs() < 0.1, "{along}");

    // The Beijing convention from a file: the north side is odd.
    let bj = write(
        dir.path(),
        "beijing.toml",
        "east_west = \"west\"\nnorth_south = \"south\"\nodd_side = \"right\"\nskip = [4, 13, 14]\n",
    );
    let (v, _) = plan(&["--street", &street, "--entrances", &e, "--conventions", &bj]);
    assert_eq!(v["features"][2]["properties"]["number"], "1号");
    let bad = write(dir.path(), "bad.toml", "odd_side = \"up\"\n");
    let out = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args([
            "numbering",
            "plan",
            "--street",
            &street,
            "--entrances",
            &e,
            "--conventions",
            &bad,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("bad.toml"));

    let csv = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args([
            "numbering",
            "plan",
            "--street",
            &street,
            "--entrances",
            &e,
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.starts_with("序号,经度,纬度,门牌号,侧") && text.contains(",1号,左,"),
        "{text}"
    );
}

#[test]
fn files_outside_the_city_or_of_the_wrong_kind_are_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let beijing = write(
        dir.path(),
        "beijing.geojson",
        r#"{"type":"LineString","coordinates":[[116.39,39.9],[116.40,39.9]]}"#,
    );
    let e = write(dir.path(), "e.geojson", &entrances(&[(10.0, 10.0, "甲")]));
    let out = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args(["numbering", "plan", "--street", &beijing, "--entrances", &e])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && stderr.contains("beijing.geojson")
            && stderr.contains("超出辖区范围"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_demo_plates_pass_the_numbering_check_except_the_planted_errors() {
    let db = crate::support::TestDb::sqlite().await;
    let run = |args: &[&str]| crate::support::diming(db.url(), args);
    assert!(run(&["demo"]).status.success());
    let out = run(&["numbering", "check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<String> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}{} {}",
                f["street_name"].as_str().unwrap(),
                f["number"].as_str().unwrap(),
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "和平大街199号 wrong_side",
            "和平大街6号 gap",
            "团结大街11号 gap",
            "团结大街7号 duplicate",
            "胜利街21号 out_of_order",
        ]
    );
    let wrong = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "wrong_side")
        .unwrap();
    assert_eq!(
        wrong["suggestion"], "4号",
        "the engine's number for that entrance"
    );
    let one = run(&["numbering", "check", "--street", "前进大街"]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stdout)
    );
}

#[tokio::test]
async fn a_new_entrance_gets_the_next_free_annex_between_its_neighbours() {
    let db = crate::support::TestDb::sqlite().await;
    let registry = db.registry().await;
    crate::support::load_demo(&registry).await;
    let current = registry.current();
    let street = diming::record::RecordId::derived("street/前进大街");
    let plate = |n: u32| crate::support::plate_at(&current, "前进大街", n);
    // Between 5号 and 7号, on their side.
    let (a, b) = (plate(5), plate(7));
    let between = geo::coord! {x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0};
    let c = &registry.config().numbering;
    let n = diming::addresses::numbering::suggest(
        &current,
        c,
        street,
        between,
        diming::addresses::SubStyle::Annex,
    )
    .unwrap();
    assert_eq!(n.to_string(), "5附1号");
    let n = diming::addresses::numbering::suggest(
        &current,
        c,
        street,
        between,
        diming::addresses::SubStyle::Zhi,
    )
    .unwrap();
    assert_eq!(n.to_string(), "5之一号");
    // On the centre line: refused with the reason.
    let on_line = geo::coord! {x: (a.x + b.x) / 2.0, y: 43.627 + 0.046 * 18.0 / 19.0};
    let e = diming::addresses::numbering::suggest(
        &current,
        c,
        street,
        on_line,
        diming::addresses::SubStyle::Annex,
    )
    .unwrap_err();
    assert!(e.contains("无法判断"), "{e}");
}

#[tokio::test]
async fn a_renumbering_gives_the_crosswalk_and_is_applied_as_one_changeset() {
    let db = crate::support::TestDb::sqlite().await;
    let run = |args: &[&str]| crate::support::diming(db.url(), args);
    assert!(run(&["demo"]).status.success());
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("对照表.csv").display().to_string();
    let out = run(&["numbering", "renumber", "--all", "--crosswalk", &csv_path]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("3202 个门牌，4 个号码变更"), "{text}");
    assert!(
        text.contains("和平大街：199号 → 4号") && text.contains("团结大街：7号 → 9号"),
        "{text}"
    );
    let csv = std::fs::read(&csv_path).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "a BOM so that Excel reads UTF-8"
    );
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(csv.starts_with("街路巷,原门牌号,新门牌号,是否变更,所在社区/嘎查"));
    assert_eq!(csv.lines().filter(|l| l.contains(",是,")).count(), 4);

    let xlsx_path = dir.path().join("对照表.xlsx").display().to_string();
    assert!(
        run(&[
            "numbering",
            "renumber",
            "--street",
            "胜利街",
            "--crosswalk",
            &xlsx_path
        ])
        .status
        .success()
    );
    let xlsx = std::fs::read(&xlsx_path).unwrap();
    assert!(xlsx.starts_with(b"PK\x03\x04"), "an OOXML zip");
    let contains = |needle: &[u8]| xlsx.windows(needle.len()).any(|w| w == needle);
    assert!(
        contains(b"xl/worksheets/sheet5.xml"),
        "a sheet per department"
    );

    // Without a document nothing is written.
    let refused = run(&["numbering", "renumber", "--all", "--apply"]);
    assert!(!refused.status.success());
    let applied = run(&[
        "numbering",
        "renumber",
        "--all",
        "--apply",
        "--issuer",
        "二连浩特市人民政府",
        "--number",
        "二政字〔2026〕8号",
        "--date",
        "2026-05-01",
    ]);
    crate::support::succeeded(&applied);
    assert!(
        run(&["numbering", "check"]).status.success(),
        "after the renumbering the check is clean"
    );
    let history = run(&[
        "history",
        &diming::record::RecordId::derived("door/团结大街/9").to_string(),
    ]);
    let history = String::from_utf8_lossy(&history.stdout).into_owned();
    assert!(
        history.contains("第 2 版：9号") && history.contains("二政字〔2026〕8号"),
        "{history}"
    );

    // A pinned number holds and the rest flow around it: 7号 pinned to 9 swaps with 9号.
    let plate = diming::record::RecordId::derived("door/前进大街/7");
    let pinned = run(&[
        "numbering",
        "renumber",
        "--street",
        "前进大街",
        "--pin",
        &format!("{plate}=9号"),
    ]);
    let text = String::from_utf8_lossy(&pinned.stdout).into_owned();
    assert!(
        text.contains("2 个号码变更")
            && text.contains("前进大街：7号 → 9号")
            && text.contains("前进大街：9号 → 7号"),
        "{text}"
    );
}

#[tokio::test]
async fn certificates_are_a_pdf_page_per_plate_with_fonts_embedded_and_the_old_number() {
    let db = crate::support::TestDb::sqlite().await;
    let run = |args: &[&str]| crate::support::diming(db.url(), args);
    assert!(run(&["demo"]).status.success());
    let applied = run(&[
        "numbering",
        "renumber",
        "--street",
        "团结大街",
        "--apply",
        "--issuer",
        "二连浩特市人民政府",
        "--number",
        "二政字〔2026〕8号",
        "--date",
        "2026-05-01",
    ]);
    crate::support::succeeded(&applied);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("证.pdf").display().to_string();
    let out = run(&[
        "numbering",
        "certificate",
        "--street",
        "团结大街",
        "-o",
        &pdf,
    ]);
    crate::support::succeeded(&out);
    let plates = {
        let registry = db.registry().await;
        let street = diming::record::RecordId::derived("street/团结大街");
        registry
            .current()
            .layer(diming::model::Layer::DoorPlate)
            .filter(|v| matches!(&v.body, diming::model::Body::DoorPlate(d) if d.street == street))
            .count()
    };
    let info = String::from_utf8(
        Command::new("pdfinfo")
            .arg(&pdf)
            .output()
            .expect("pdfinfo (poppler-utils)")
            .stdout,
    )
    .unwrap();
    assert!(
        info.contains(&format!("Pages:           {plates}")),
        "{info}"
    );
    let fonts =
        String::from_utf8(Command::new("pdffonts").arg(&pdf).output().unwrap().stdout).unwrap();
    let cjk: Vec<&str> = fonts
        .lines()
        .filter(|l| l.contains("NotoSerifCJK"))
        .collect();
    assert!(
        !cjk.is_empty() && cjk.iter().all(|l| l.contains(" yes yes ")),
        "embedded and subset: {fonts}"
    );
    // Page 9 is 团结大街9号, which was 7号 before the renumbering.
    let text = Command::new("pdftotext")
        .args(["-f", "9", "-l", "9", &pdf, "-"])
        .output()
        .unwrap()
        .stdout;
    let text: String = String::from_utf8(text)
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        text.contains("二连浩特市团结大街9号") && text.contains("原门牌号团结大街7号"),
        "{text}"
    );
    // A picture of the page: the certificate is on it, not a blank page.
    let png = dir.path().join("p");
    assert!(
        Command::new("pdftoppm")
            .args(["-png", "-r", "40", "-f", "9", "-l", "9", &pdf])
            .arg(&png)
            .status()
            .unwrap()
            .success()
    );
    let shot = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .unwrap();
    assert!(std::fs::metadata(shot.path()).unwrap().len() > 3_000);
}

#[tokio::test]
async fn notices_to_residents_list_each_streets_changes() {
    let db = crate::support::TestDb::sqlite().await;
    let run = |args: &[&str]| crate::support::diming(db.url(), args);
    assert!(run(&["demo"]).status.success());
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("公告.pdf").display().to_string();
    let out = run(&[
        "numbering",
        "notice",
        "--all",
        "--effective",
        "2026-06-01",
        "--contact",
        "区划地名科 0479-7520000",
        "-o",
        &pdf,
    ]);
    crate::support::succeeded(&out);
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(
        info.contains("Pages:           3"),
        "a page for each street with changes: {info}"
    );
    let text = Command::new("pdftotext")
        .args([&pdf, "-"])
        .output()
        .unwrap()
        .stdout;
    let text: String = String::from_utf8(text)
        .unwrap()
        .split_whitespace()
        .collect();
    for expected in [
        "关于和平大街门牌号码重新编排的公告",
        "199号4号",
        "左单右双",
        "2026年06月01日起启用",
        "区划地名科0479-7520000",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[tokio::test]
async fn the_plate_order_counts_plates_by_kind_and_size() {
    let db = crate::support::TestDb::sqlite().await;
    let run = |args: &[&str]| crate::support::diming(db.url(), args);
    assert!(run(&["demo"]).status.success());
    let all: serde_json::Value =
        serde_json::from_slice(&run(&["numbering", "order", "--all", "--format", "json"]).stdout)
            .unwrap();
    let total: u64 = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 3202, "re-plating the whole city");
    let large = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "door_large")
        .unwrap();
    assert_eq!(large["size_cm"], serde_json::json!([35.0, 25.0]));
    assert!(all.as_array().unwrap().iter().any(
        |r| r["kind"] == "building_large" && r["colours"].as_str().unwrap().starts_with("蓝底")
    ));
    let changed: serde_json::Value = serde_json::from_slice(
        &run(&[
            "numbering",
            "order",
            "--all",
            "--changed-only",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    let total: u64 = changed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 4, "only the planted errors change number");
}

mod campaign {
    use crate::support::{TestDb, both_stores, load_demo};
    use diming::addresses::numbering::CampaignStatus;
    use diming::model::Body;
    use diming::record::{ApprovalDocument, RecordId};
    use diming::registry::RegistryError;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    both_stores!(
        a_campaign_goes_from_draft_to_closed_with_one_changeset_to_apply,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            let streets = vec![
                RecordId::derived("street/胜利街"),
                RecordId::derived("street/团结大街"),
            ];
            let id = registry
                .create_campaign(
                    "2026年城区门牌整编（一期）",
                    streets,
                    "张三",
                    day("2026-03-01"),
                )
                .await
                .unwrap();
            let campaign =
                |r: &diming::registry::Registry| match &r.current().get(&id).unwrap().body {
                    Body::Campaign(c) => c.clone(),
                    _ => unreachable!(),
                };
            let c = campaign(&registry);
            assert_eq!(
                (c.status, c.changed()),
                (CampaignStatus::Draft, 3),
                "胜利街's swap and 团结大街's duplicate"
            );

            // Pin 团结大街's plate 11 to 13: the rest re-flows around it.
            let plate11 = RecordId::derived("door/团结大街/11");
            registry
                .pin_campaign(
                    id,
                    &[(plate11, "13号".parse().unwrap())],
                    "张三",
                    day("2026-03-05"),
                )
                .await
                .unwrap();
            let c = campaign(&registry);
            assert_eq!(c.status, CampaignStatus::Reviewed);
            let line = c.lines.iter().find(|l| l.plate == plate11).unwrap();
            assert_eq!(
                (line.new.to_string(), line.pinned),
                ("13号".to_string(), true)
            );
            let numbers: std::collections::HashSet<String> = c
                .lines
                .iter()
                .filter(|l| l.street == RecordId::derived("street/团结大街"))
                .map(|l| l.new.to_string())
                .collect();
            assert_eq!(
                numbers.len(),
                c.lines
                    .iter()
                    .filter(|l| l.street == RecordId::derived("street/团结大街"))
                    .count(),
                "no number twice"
            );

            let early = registry
                .apply_campaign(id, "张三", day("2026-03-06"))
                .await
                .unwrap_err();
            assert!(
                matches!(early, RegistryError::Campaign { .. }),
                "not approved yet: {early}"
            );
            let document = ApprovalDocument {
                issuer: "二连浩特市人民政府".into(),
                number: "二政字〔2026〕8号".into(),
                date: day("2026-04-01"),
            };
            registry
                .approve_campaign(id, document, "李四", day("2026-04-01"))
                .await
                .unwrap();
            let changed = campaign(&registry).changed();
            let applied = registry
                .apply_campaign(id, "李四", day("2026-05-01"))
                .await
                .unwrap();
            let cs = registry.store().changeset(applied).await.unwrap().unwrap();
            assert_eq!(
                cs.writes,
                changed + 1,
                "the plates and the campaign in one changeset"
            );
            assert_eq!(cs.document.unwrap().number, "二政字〔2026〕8号");
            let report = diming::addresses::numbering::check(
                &registry.current(),
                &registry.config().numbering,
                None,
            );
            // 胜利街 is clean; on 团结大街 the duplicate is gone, and the officer's pin shows as the
            // out-of-order number it is.
            assert!(
                !report.iter().any(|f| f.street_name == "胜利街"),
                "{report:?}"
            );
            let tuanjie: Vec<_> = report
                .iter()
                .filter(|f| f.street_name == "团结大街")
                .map(|f| f.rule.id())
                .collect();
            assert_eq!(tuanjie, ["out_of_order"]);

            let plates: Vec<RecordId> = campaign(&registry).lines.iter().map(|l| l.plate).collect();
            registry
                .install_campaign(id, &plates[..10], day("2026-05-10"), "王五")
                .await
                .unwrap();
            let not_yet = registry
                .close_campaign(id, "王五", day("2026-05-11"))
                .await
                .unwrap_err();
            assert!(not_yet.to_string().contains("未安装"), "{not_yet}");
            let progress = registry.campaign_progress(id).unwrap();
            let (total, installed) = progress
                .iter()
                .fold((0, 0), |(a, b), (_, n, i)| (a + n, b + i));
            assert_eq!((total, installed), (plates.len(), 10));
            registry
                .install_campaign(id, &plates[10..], day("2026-05-20"), "王五")
                .await
                .unwrap();
            registry
                .close_campaign(id, "王五", day("2026-05-21"))
                .await
                .unwrap();
            let reopened = db.registry().await;
            assert_eq!(campaign(&reopened).status, CampaignStatus::Closed);
            assert_eq!(
                reopened.history(id).await.unwrap().len(),
                7,
                "every stage is a version"
            );
        }
    );
}
