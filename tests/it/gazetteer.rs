//! The gazetteer (地名志) and the name table: every standard name in the book and in index
//! order, page references that point at the entry's page, the stroke index in stroke order,
//! fonts embedded, the same state giving the same PDF, an edition as of a date, and the name
//! table in four formats.

use crate::support::{TestDb, both_stores, diming, load_demo, succeeded};
use diming::model::{Body, Layer};
use diming::names::naming::NameStatus;

fn page_text(pdf: &std::path::Path, page: usize) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &std::path::Path) -> usize {
    let out = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The (name, page) lines of an index, in the order printed.
fn index_lines(pdf: &std::path::Path, heading: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for p in 1..=pages(pdf) {
        let text = page_text(pdf, p);
        if !text.lines().take(4).any(|l| l.trim() == heading) {
            continue;
        }
        for line in text.lines() {
            if let Some((name, rest)) = line.split_once("..") {
                let page: String = rest.chars().filter(char::is_ascii_digit).collect();
                if let Ok(n) = page.parse() {
                    out.push((squeeze(name), n));
                }
            }
        }
    }
    out
}

both_stores!(
    the_gazetteer_holds_every_standard_name_with_indexes_that_point_at_their_pages,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        // Approved names the rules object to (an error no document set aside) are not
        // standard: they go to the appendix, not the entries or the indexes.
        let objected: Vec<diming::record::RecordId> = registry
            .name_audit()
            .iter()
            .filter(|row| {
                let overrides = registry.current().get(&row.id).and_then(|v| {
                    v.body
                        .naming()
                        .map(|n| n.overrides.iter().map(|o| o.rule).collect::<Vec<_>>())
                });
                row.verdicts.iter().any(|v| {
                    v.severity == diming::names::rules::Severity::Error
                        && !overrides.as_ref().is_some_and(|o| o.contains(&v.rule))
                })
            })
            .map(|row| row.id)
            .collect();
        let (mut names, mut nonstandard) = (Vec::new(), Vec::new());
        for v in registry.current().records() {
            if let (Body::AdminUnit(_) | Body::Street(_) | Body::Place(_), Some(n)) =
                (&v.body, v.body.naming())
                && matches!(n.status, NameStatus::Approved | NameStatus::Published)
            {
                if objected.contains(&v.id) {
                    nonstandard.push(v.body.title());
                } else {
                    names.push(v.body.title());
                }
            }
        }
        assert!(names.len() >= 60, "{names:?}");
        for planted in ["曼哈顿国际花园", "帝豪家园", "東城市场", "6号仓库"] {
            assert!(nonstandard.iter().any(|n| n == planted), "{nonstandard:?}");
        }
        let last = registry.store().changesets(1).await.unwrap()[0]
            .id
            .0
            .to_string();
        drop(registry);
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("地名志.pdf");
        succeeded(&diming(
            db.url(),
            &[
                "gazetteer",
                "--printed",
                "2026-11-29",
                "-o",
                pdf.to_str().unwrap(),
            ],
        ));

        // Fonts embedded (and subset), Mongolian among them.
        let fonts = std::process::Command::new("pdffonts")
            .arg(&pdf)
            .output()
            .unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 3, "{fonts}");
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {row}");
        }
        assert!(fonts.contains("NotoSansMongolian"), "{fonts}");

        // Every standard name, and the edition's changeset.
        let all = squeeze(&crate::support::pdf_text(&pdf));
        for n in &names {
            assert!(all.contains(&squeeze(n)), "{n} is not in the book");
        }
        assert!(
            all.contains(&last),
            "the copyright page names changeset {last}"
        );
        // The 概述 says where the city lies in the configuration's words.
        assert!(
            all.contains(&squeeze(
                "二连浩特市位于内蒙古自治区中北部，与蒙古国扎门乌德市隔界相望。"
            )),
            "the overview's first sentence"
        );

        // The 凡例 says how names of Mongolian origin are romanized, naming those that still
        // wait for their Mongolian script.
        assert!(
            all.contains(&squeeze("尚缺蒙古文写法")) && all.contains(&squeeze("格日勒敖都苏木、")),
            "the 凡例 on names of Mongolian origin"
        );
        assert!(all.contains(&squeeze("写作 Erenhot")), "a fixed form named");
        // The 凡例 says what the book does with them, and the appendix lists each with the
        // rule it breaks.
        assert!(
            all.contains(&squeeze(&format!(
                "尚待规范的地名 {} 条，不作条目、不入索引",
                nonstandard.len()
            ))),
            "the 凡例 on names under correction"
        );
        let appendix = (1..=pages(&pdf))
            .map(|p| page_text(&pdf, p))
            .filter(|t| t.contains("附录 待规范地名"))
            .map(|t| squeeze(&t))
            .collect::<String>();
        for n in &nonstandard {
            assert!(appendix.contains(&squeeze(n)), "{n} is not in the appendix");
        }
        assert!(
            appendix.contains("洋") && appendix.contains("曼哈顿"),
            "{appendix}"
        );

        // The pinyin index: every name once, in pinyin order, each page showing its entry.
        let pinyin = index_lines(&pdf, "汉语拼音索引");
        assert_eq!(pinyin.len(), names.len(), "{pinyin:?}");
        for n in &nonstandard {
            assert!(!pinyin.iter().any(|(m, _)| m == n), "{n} is in the index");
        }
        let keys: Vec<String> = pinyin
            .iter()
            .map(|(n, _)| diming::names::romanize::toneless(n))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
        for (name, page) in &pinyin {
            let text = squeeze(&page_text(&pdf, *page));
            assert!(text.contains(name.as_str()), "{name} is not on page {page}");
        }
        // The book was typeset in parts: page numbers run on across them (each page's footer
        // is its place in the file), and the contents point at the pages of the headings.
        let total = pages(&pdf);
        for p in 2..=total {
            let text = page_text(&pdf, p);
            assert!(
                text.lines().any(|l| l.trim() == p.to_string()),
                "page {p} has not its number: {text}"
            );
        }
        let contents = index_lines(&pdf, "目录");
        assert!(contents.len() >= 10, "{contents:?}");
        for heading in [
            "凡例",
            "概述",
            "汉语拼音索引",
            "笔画索引",
            "街路巷门牌号码表",
            "校勘记录",
        ] {
            let (_, page) = contents
                .iter()
                .find(|(n, _)| n == heading)
                .unwrap_or_else(|| panic!("{heading} not in the contents: {contents:?}"));
            let text = page_text(&pdf, *page);
            assert!(
                text.lines().take(4).any(|l| l.trim() == heading),
                "{heading} does not begin page {page}: {text}"
            );
        }
        for (heading, page) in &contents {
            assert!(*page <= total, "{heading} on page {page} of {total}");
            assert!(
                squeeze(&page_text(&pdf, *page)).contains(heading.as_str()),
                "{heading} is not on page {page}"
            );
        }
        // The stroke index: by the strokes of the first character (二 2, 工 3, 乌 4, 永 5).
        let strokes = index_lines(&pdf, "笔画索引");
        assert_eq!(strokes.len(), names.len());
        let at = |n: &str| {
            strokes
                .iter()
                .position(|(m, _)| m == n)
                .unwrap_or_else(|| panic!("{n} not in the stroke index"))
        };
        assert!(at("二连浩特市") < at("工业路"));
        assert!(at("工业路") < at("乌兰路"));
        assert!(at("乌兰路") < at("永安街"));
        let counts: Vec<u8> = strokes
            .iter()
            .filter_map(|(n, _)| n.chars().next().and_then(diming::gazetteer::strokes))
            .collect();
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");

        // The same state gives the same book.
        let again = dir.path().join("again.pdf");
        succeeded(&diming(
            db.url(),
            &[
                "gazetteer",
                "--printed",
                "2026-11-29",
                "-o",
                again.to_str().unwrap(),
            ],
        ));
        assert!(
            std::fs::read(&pdf).unwrap() == std::fs::read(&again).unwrap(),
            "two builds differ"
        );

        // As of 2020 the street was still 工农街; today's book records the rename.
        assert!(all.contains("校勘记录") && all.contains("工农街"));
        let old = dir.path().join("2020.pdf");
        succeeded(&diming(
            db.url(),
            &[
                "gazetteer",
                "--as-of",
                "2020-12-31",
                "--categories",
                "streets",
                "-o",
                old.to_str().unwrap(),
            ],
        ));
        let text = squeeze(&crate::support::pdf_text(&old));
        assert!(
            text.contains("工农街") && !text.contains("建设街"),
            "the 2020 edition"
        );
        assert!(
            !text.contains("格日勒敖都苏木Gerile"),
            "units left out by --categories"
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_name_table_goes_out_in_four_formats_with_every_field() {
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    load_demo(&registry).await;
    let count = [Layer::AdminUnit, Layer::Street, Layer::Place]
        .iter()
        .map(|l| registry.current().count(*l))
        .sum::<usize>();
    drop(registry);
    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "xlsx", "json", "gpkg"] {
        let path = dir.path().join(format!("names.{format}"));
        succeeded(&diming(
            db.url(),
            &[
                "export-names",
                "--format",
                format,
                "-o",
                path.to_str().unwrap(),
            ],
        ));
    }
    let csv = std::fs::read_to_string(dir.path().join("names.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("\u{feff}记录号,标准名称,罗马字母拼写"),
        "{header}"
    );
    for field in [
        "蒙古文名称",
        "地名含义",
        "历史沿革",
        "地理实体描述",
        "批准文号",
        "地理位置",
    ] {
        assert!(header.contains(field), "{field}");
    }
    assert_eq!(csv.lines().count(), count + 1);
    assert!(
        csv.contains("二连浩特市,Erenhot Shi"),
        "the Mongolian transcription"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("names.json")).unwrap())
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), count);
    assert!(json[0]["location"].as_str().unwrap().starts_with("东经"));
    // The workbook: Chinese header, frozen panes.
    let file = std::fs::File::open(dir.path().join("names.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains("state=\"frozen\""), "frozen panes");
    let mut shared = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut shared,
    )
    .unwrap();
    assert!(shared.contains("标准名称") && shared.contains("二连浩特市"));
    let info = std::process::Command::new("ogrinfo")
        .args([
            "-so",
            dir.path().join("names.gpkg").to_str().unwrap(),
            "names",
        ])
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains(&format!("Feature Count: {count}")), "{info}");
    assert!(info.contains("romanization: String"), "{info}");
}

both_stores!(
    an_editor_builds_an_edition_on_the_web_and_earlier_editions_are_kept,
    |db: TestDb| async move {
        use crate::support::{officer, request, send};
        use axum::http::StatusCode;
        use diming::accounts::Role;
        let registry = db.registry().await;
        load_demo(&registry).await;
        let editor = officer(&registry, "出版编辑", Role::Editor).await;
        let viewer = officer(&registry, "查看", Role::Viewer).await;
        let app = diming::web::app(std::sync::Arc::new(registry));
        let body = serde_json::json!({"categories": ["streets"], "paper": "a4"});
        let r = send(
            &app,
            request(
                "POST",
                "/api/gazetteer/editions",
                Some(&viewer),
                Some(body.clone()),
            ),
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = send(
            &app,
            request("POST", "/api/gazetteer/editions", None, Some(body.clone())),
            Some(body.clone()),
        )
        .await;
        assert!(r.status.is_client_error());
        let bad = serde_json::json!({"paper": "b5"});
        let r = send(
            &app,
            request(
                "POST",
                "/api/gazetteer/editions",
                Some(&editor),
                Some(bad.clone()),
            ),
            Some(bad),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

        let mut hrefs = Vec::new();
        for _ in 0..2 {
            let r = send(
                &app,
                request(
                    "POST",
                    "/api/gazetteer/editions",
                    Some(&editor),
                    Some(body.clone()),
                ),
                Some(body.clone()),
            )
            .await;
            assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
            let job = r.json()["href"].as_str().unwrap().to_string();
            let start = std::time::Instant::now();
            let done = loop {
                let j = send(&app, request("GET", &job, Some(&editor), None), None)
                    .await
                    .json();
                match j["state"].as_str() {
                    Some("done") => break j,
                    Some("failed") => panic!("{j}"),
                    _ => {}
                }
                assert!(start.elapsed().as_secs() < 120, "still building: {j}");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            };
            assert_eq!(done["entries"], 40, "the 40 streets");
            hrefs.push(done["href"].as_str().unwrap().to_string());
        }
        // Both editions are kept and downloadable, by anyone.
        for href in &hrefs {
            let pdf = crate::support::get_bytes(&app, href).await;
            assert!(pdf.starts_with(b"%PDF"), "{href}");
        }
        let page = send(
            &app,
            request("GET", "/gazetteer", Some(&editor), None),
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body.matches("下载 PDF").count(), 2, "{}", page.body);
        assert!(
            page.body.contains("id=\"build\""),
            "the editor has the form"
        );
        let page = send(
            &app,
            request("GET", "/gazetteer", Some(&viewer), None),
            None,
        )
        .await;
        assert!(!page.body.contains("id=\"build\""), "a viewer has not");
    }
);
