//! Street signs: the demo's register and its planted mismatches, the drafts a rename or a
//! renumbering makes, artwork snapshots, inspections with photos and work orders over HTTP,
//! and the `diming signs` commands.

use crate::support::{TestDb, both_stores, call, diming, load_demo, officer, request, send};
use axum::body::Body as HttpBody;
use axum::http::StatusCode;
use chrono::NaiveDate;
use diming::accounts::Role;
use diming::model::{Body, Changeset, Layer, Write};
use diming::record::{RecordId, Source};
use diming::registry::NameAction;
use diming::signs::{
    Condition, Mounting, Sign, SignKind, SignText, WorkKind, WorkOrder, WorkStatus,
};
use serde_json::json;
use std::collections::BTreeSet;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// (sign code, rule id) of every finding that is not about condition.
fn text_findings(reports: &[diming::signs::SignReport]) -> BTreeSet<(String, String)> {
    reports
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .filter(|f| !f.rule.id().starts_with("condition."))
                .map(|f| (r.code.clone(), f.rule.id().to_string()))
        })
        .collect()
}

both_stores!(
    the_demo_has_124_lightbox_signs_and_its_planted_mismatches_are_found,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let reports = registry.check_signs(None);
        let lightboxes = reports
            .iter()
            .filter(|r| r.kind == SignKind::Lightbox)
            .count();
        assert_eq!(lightboxes, diming::demo::LIGHTBOXES);
        assert_eq!(lightboxes, 124);
        assert!(reports.len() > 300, "a few hundred other signs");

        let found = text_findings(&reports);
        let planted = [
            ("DX-001", "pinyin.spelling"),
            ("DX-006", "pinyin.tones"),
            ("DX-006", "pinyin.case"),
            ("DX-010", "text.mn.missing"),
            ("DX-017", "pinyin.foreign"),
            ("DX-026", "text.mn.wrong"),
            ("DX-042", "layout.mn_position"),
            ("DX-065", "pinyin.foreign"),
            ("LP-016", "pinyin.apostrophe"),
            ("LP-026", "pinyin.case"),
            ("LP-031", "pinyin.foreign"),
            ("LP-036", "pinyin.foreign"),
            ("LP-081", "layout.proportion"),
            ("LP-091", "text.mn.wrong"),
            ("LP-111", "text.mn.missing"),
            ("DM-001", "pinyin.spelling"),
            ("LB-003", "text.number"),
            ("LB-007", "layout.number_height"),
        ];
        for (code, rule) in planted {
            assert!(
                found.contains(&(code.to_string(), rule.to_string())),
                "{code} {rule} not found"
            );
        }
        // Everything else found is the old name of 工农街 (renamed 建设街 in 2021), still on its
        // signs and building plates: nothing invented.
        let state = registry.current();
        let gongnong = RecordId::derived("street/工农街");
        for (code, rule) in &found {
            if planted.contains(&(code.as_str(), rule.as_str())) {
                continue;
            }
            let r = reports.iter().find(|r| &r.code == code).unwrap();
            assert_eq!(r.shows.zh, "工农街", "{code} {rule}");
            assert!(["text.zh", "pinyin.spelling"].contains(&rule.as_str()));
            let names = match &state.get(&r.id).unwrap().body {
                Body::Sign(s) => s.names[0],
                _ => unreachable!(),
            };
            let street = match &state.get(&names).unwrap().body {
                Body::DoorPlate(d) => d.street,
                _ => names,
            };
            assert_eq!(street, gongnong, "{code}");
        }
        // Conditions: the spring inspection left one open order per sign in bad condition.
        let bad = reports
            .iter()
            .filter(|r| r.condition != Condition::Good)
            .count();
        let open = state
            .layer(Layer::WorkOrder)
            .filter(|v| matches!(&v.body, Body::WorkOrder(o) if o.status.is_open()))
            .count();
        assert!(bad > 20);
        assert_eq!(open, bad);
        // A unit filter keeps the signs standing in it.
        let one = &reports[0];
        let code = one.unit_code.clone().unwrap();
        let within = registry.check_signs(Some(&code));
        assert!(!within.is_empty() && within.len() < reports.len());
        assert!(within.iter().all(|r| r.unit_code.as_deref() == Some(&code)));
    }
);

/// Signs naming `street` or one of its door plates.
fn signs_showing(state: &diming::model::CurrentState, street: RecordId) -> BTreeSet<RecordId> {
    state
        .layer(Layer::Sign)
        .filter(|v| {
            let Body::Sign(s) = &v.body else { return false };
            s.names.iter().any(|n| {
                *n == street
                    || matches!(state.get(n).map(|p| &p.body), Some(Body::DoorPlate(d)) if d.street == street)
            })
        })
        .map(|v| v.id)
        .collect()
}

fn drafted(state: &diming::model::CurrentState) -> Vec<(RecordId, WorkOrder)> {
    state
        .layer(Layer::WorkOrder)
        .filter_map(|v| match &v.body {
            Body::WorkOrder(o) if o.status == WorkStatus::Draft => Some((v.id, (**o).clone())),
            _ => None,
        })
        .collect()
}

both_stores!(
    a_rename_or_renumbering_drafts_replacements_for_exactly_the_signs_that_show_it,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let street = RecordId::derived("street/乌兰路");
        let expected = signs_showing(&registry.current(), street);
        assert!(
            expected.len() > 5,
            "乌兰路 has lightboxes and building plates"
        );
        assert!(drafted(&registry.current()).is_empty());

        let document = diming::record::ApprovalDocument {
            issuer: "二连浩特市人民政府".into(),
            number: "二政字〔2026〕9号".into(),
            date: day("2026-05-01"),
        };
        let cs = registry
            .name_step(
                street,
                1,
                NameAction::Rename {
                    name: "白音路".into(),
                    on: day("2026-06-01"),
                    document,
                },
                "张三",
                day("2026-06-01"),
            )
            .await
            .unwrap();
        let drafts = drafted(&registry.current());
        let flagged: BTreeSet<RecordId> = drafts.iter().map(|(_, o)| o.sign).collect();
        assert_eq!(flagged, expected, "exactly the signs that show 乌兰路");
        assert_eq!(drafts.len(), expected.len(), "one order per sign");
        for (id, o) in &drafts {
            assert_eq!(o.kind, WorkKind::Replace);
            assert!(o.reason.contains("乌兰路 更名为 白音路"), "{}", o.reason);
            let history = registry.history(*id).await.unwrap();
            assert_eq!(
                history[0].changeset, cs,
                "drafted in the rename's changeset"
            );
        }
        // The check now finds each of them showing the old name.
        let reports = registry.check_signs(None);
        for r in reports.iter().filter(|r| expected.contains(&r.id)) {
            assert!(
                r.findings.iter().any(|f| f.rule.id() == "text.zh"),
                "{}",
                r.code
            );
        }

        // Renumbering the door plate of building plate LB-001 drafts its replacement only.
        let lb = RecordId::derived("sign/LB-001");
        let plate = {
            let state = registry.current();
            let Body::Sign(s) = &state.get(&lb).unwrap().body else {
                unreachable!()
            };
            state.get(&s.names[0]).unwrap().clone()
        };
        let Body::DoorPlate(mut d) = plate.body.clone() else {
            unreachable!()
        };
        d.number = "999".parse().unwrap();
        let mut renumber = Changeset::new("张三", "门牌改号");
        renumber.push(Write::Update {
            id: plate.id,
            base_version: plate.version,
            valid_from: day("2026-06-02"),
            body: Body::DoorPlate(d),
            geometry: plate.geometry.clone(),
        });
        registry.commit(renumber).await.unwrap();
        let after = drafted(&registry.current());
        let new: Vec<_> = after
            .iter()
            .filter(|(id, _)| !drafts.iter().any(|(d, _)| d == id))
            .collect();
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].1.sign, lb);
        assert!(new[0].1.reason.contains("改为 999"), "{}", new[0].1.reason);
    }
);

fn test_sign(kind: SignKind, w: u32, h: u32, vertical: bool) -> Sign {
    let (zh, mn, pinyin, number) = match kind {
        SignKind::Building | SignKind::Door => {
            ("乌兰路", Some("ᠤᠯᠠᠭᠠᠨ ᠵᠠᠮ"), "WULAN LU", Some("12"))
        }
        SignKind::Place => (
            "二连浩特恐龙博物馆",
            None,
            "ERENHOT KONGLONG BOWUGUAN",
            None,
        ),
        SignKind::Lane => ("育才巷", None, "YUCAI XIANG", None),
        _ => ("那达慕路", Some("ᠨᠠᠭᠠᠳᠤᠮ ᠵᠠᠮ"), "NADAMU LU", None),
    };
    Sign {
        code: "T".into(),
        kind,
        facing: None,
        mounting: Mounting::Pole,
        width_mm: w,
        height_mm: h,
        vertical,
        material: None,
        installer: None,
        installed: None,
        names: vec![RecordId::derived("x")],
        shows: SignText {
            zh: zh.into(),
            mn: mn.map(Into::into),
            pinyin: Some(pinyin.into()),
            number: number.map(Into::into),
        },
        layout: None,
        condition: Condition::Good,
        photos: vec![],
        source: Source::Survey,
    }
}

#[test]
fn artwork_of_every_kind_matches_its_snapshot_and_renders() {
    let cases = [
        ("street", test_sign(SignKind::Street, 1000, 350, false)),
        (
            "street-vertical",
            test_sign(SignKind::Street, 350, 1200, true),
        ),
        ("lane", test_sign(SignKind::Lane, 800, 300, false)),
        ("lightbox", test_sign(SignKind::Lightbox, 1200, 450, false)),
        ("building", test_sign(SignKind::Building, 1100, 600, false)),
        ("door", test_sign(SignKind::Door, 350, 250, false)),
        ("place", test_sign(SignKind::Place, 1500, 500, false)),
        ("guide", test_sign(SignKind::Guide, 1400, 400, false)),
    ];
    for (name, sign) in &cases {
        let face = diming::signs::artwork::face(sign);
        let svg = diming::publish::signs::svg(&face);
        // A change of the drawing shows as a reviewed diff (`cargo insta review`).
        insta::assert_snapshot!(format!("sign-{name}"), svg);
        // The Mongolian goes above the Chinese on horizontal signs, in the font's own form;
        // on the vertical sign it is turned a quarter clockwise.
        if let (Some(mn), Some(zh)) = (
            svg.find("Noto Sans Mongolian"),
            svg.find(sign.shows.zh.as_str()),
        ) {
            let _ = zh;
            assert_eq!(svg[mn..].contains("rotate(90)"), sign.vertical, "{name}");
        }
        // Rasterised: blue (or red) face with white lettering, nothing blank.
        let png = diming::publish::signs::png(&face, 400).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        let white = img
            .pixels()
            .filter(|p| p.0.iter().all(|c| *c > 230))
            .count();
        let total = (img.width() * img.height()) as usize;
        assert!(
            white * 50 > total,
            "{name}: lettering drawn ({white} of {total})"
        );
        let background = if sign.kind == SignKind::Door {
            [200, 16, 46]
        } else {
            [11, 78, 162]
        };
        let face_pixels = img
            .pixels()
            .filter(|p| {
                p.0.iter()
                    .zip(background)
                    .all(|(c, b)| (*c as i32 - b).abs() < 12)
            })
            .count();
        assert!(face_pixels * 3 > total, "{name}: face colour");
    }
}

#[test]
fn a_sign_pdf_embeds_its_fonts_and_shows_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let face = diming::signs::artwork::face(&test_sign(SignKind::Lightbox, 1200, 450, false));
    let pdf = diming::publish::signs::pdf(&face).unwrap();
    let path = dir.path().join("sign.pdf");
    std::fs::write(&path, pdf).unwrap();
    let fonts = std::process::Command::new("pdffonts")
        .arg(&path)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("NotoSansMongolian"), "{fonts}");
    assert!(fonts.contains("NotoSansCJK"), "{fonts}");
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes yes ")),
        "all embedded: {fonts}"
    );
    let text = crate::support::pdf_text(&path);
    assert!(
        text.contains("那达慕路") && text.contains("NADAMU LU"),
        "{text}"
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    // 1200 × 450 mm = 3401.6 × 1275.6 pt.
    assert!(info.contains("3401.57 x 1275.59 pts"), "{info}");
}

fn png_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload(
    app: &axum::Router,
    token: Option<&str>,
    media: &str,
    bytes: Vec<u8>,
) -> crate::support::Reply {
    let b = request("POST", "/api/attachments", token, None).header("content-type", media);
    call(app, b.body(HttpBody::from(bytes)).unwrap()).await
}

both_stores!(
    officers_inspect_signs_with_photos_and_carry_work_orders_to_done,
    |db: TestDb| async move {
        let registry = std::sync::Arc::new(db.registry().await);
        load_demo(&registry).await;
        let officer = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let viewer = officer_token(&registry, "viewer", Role::Viewer).await;
        let app = diming::web::app(registry.clone());
        let sign = RecordId::derived("sign/DX-002");
        assert_eq!(condition(&registry, sign), Condition::Good);

        // Photos: real images only, within the limit, and only from the sign office.
        let photo = png_photo();
        let up = upload(&app, Some(&officer), "image/png", photo.clone()).await;
        assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
        let sha = up.json()["sha256"].as_str().unwrap().to_string();
        assert_eq!(sha, diming::store::attachments::digest(&photo));
        let fake = upload(
            &app,
            Some(&officer),
            "image/jpeg",
            b"MZ\x90\x00 this is no photo".to_vec(),
        )
        .await;
        assert_eq!(fake.status, StatusCode::BAD_REQUEST, "{}", fake.body);
        assert!(fake.json()["error"].as_str().unwrap().contains("不是 JPEG"));
        let huge = upload(
            &app,
            Some(&officer),
            "image/jpeg",
            vec![0xff; 13 * 1024 * 1024],
        )
        .await;
        assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            upload(&app, None, "image/png", photo.clone()).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            upload(&app, Some(&viewer), "image/png", photo.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let got = send(
            &app,
            request("GET", &format!("/attachments/{sha}"), Some(&officer), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.headers["content-type"], "image/png");
        let public = send(
            &app,
            request("GET", &format!("/attachments/{sha}"), None, None),
            None,
        )
        .await;
        assert_eq!(
            public.status,
            StatusCode::NOT_FOUND,
            "photos are the office's"
        );
        let traversal = send(
            &app,
            request(
                "GET",
                "/attachments/..%2F..%2Fetc%2Fpasswd",
                Some(&officer),
                None,
            ),
            None,
        )
        .await;
        assert_eq!(traversal.status, StatusCode::NOT_FOUND);

        // An inspection finds the sign dirty: the sign, the inspection and an open cleaning
        // order in one changeset.
        let body = json!({"condition": "dirty", "notes": "面板积尘", "photos": [sha]});
        let uri = format!("/api/signs/{sign}/inspections");
        let no_version = send(
            &app,
            request("POST", &uri, Some(&officer), Some(body.clone())),
            Some(body.clone()),
        )
        .await;
        assert_eq!(no_version.status, StatusCode::PRECONDITION_REQUIRED);
        let stale = send(
            &app,
            request("POST", &uri, Some(&officer), Some(body.clone())).header("if-match", "\"7\""),
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            stale.status,
            StatusCode::PRECONDITION_FAILED,
            "{}",
            stale.body
        );
        let refused = send(
            &app,
            request("POST", &uri, Some(&viewer), Some(body.clone())).header("if-match", "\"1\""),
            Some(body.clone()),
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let unknown_photo = json!({"condition": "dirty", "photos": ["0".repeat(64)]});
        let r = send(
            &app,
            request("POST", &uri, Some(&officer), Some(unknown_photo.clone()))
                .header("if-match", "\"1\""),
            Some(unknown_photo),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(
            condition(&registry, sign),
            Condition::Good,
            "nothing written"
        );
        let ok = send(
            &app,
            request("POST", &uri, Some(&officer), Some(body.clone())).header("if-match", "\"1\""),
            Some(body),
        )
        .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        assert_eq!(condition(&registry, sign), Condition::Dirty);
        let orders = send(
            &app,
            request("GET", "/api/work-orders", Some(&officer), None),
            None,
        )
        .await
        .json();
        let order = orders
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["sign"] == json!(sign) && o["open"] == json!(true))
            .expect("an open order for the sign")
            .clone();
        assert_eq!(order["kind"], "clean");
        assert_eq!(
            send(&app, request("GET", "/api/work-orders", None, None), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );

        // Assign without a contractor: refused; then assigned and priced; done needs a photo.
        let oid = order["id"].as_str().unwrap();
        let patch = |v: u64, body: serde_json::Value| {
            request(
                "PATCH",
                &format!("/api/work-orders/{oid}"),
                Some(&officer),
                Some(body.clone()),
            )
            .header("if-match", format!("\"{v}\""))
        };
        let b = json!({"status": "assigned"});
        let r = send(&app, patch(1, b.clone()), Some(b)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.json()["error"].as_str().unwrap().contains("施工单位"));
        let b = json!({"status": "assigned", "assignee": "市标识制作厂", "cost_fen": 15000});
        let r = send(&app, patch(1, b.clone()), Some(b)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let b = json!({"status": "done"});
        let r = send(&app, patch(2, b.clone()), Some(b)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let b = json!({"status": "done", "done_photo": sha});
        let r = send(&app, patch(1, b.clone()), Some(b.clone())).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "stale");
        let r = send(&app, patch(2, b.clone()), Some(b)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["order"]["status"], "done");
        assert_eq!(
            condition(&registry, sign),
            Condition::Good,
            "finished work puts the sign right"
        );

        // The report counts it; the public sees counts but no costs.
        let report = send(
            &app,
            request("GET", "/api/signs/report", Some(&officer), None),
            None,
        )
        .await
        .json();
        assert_eq!(report["done_orders"], 1);
        assert_eq!(report["done_cost_fen"], 15000);
        let public = send(&app, request("GET", "/api/signs/report", None, None), None)
            .await
            .json();
        assert_eq!(public["lightbox"][0], 124);
        assert!(public.get("done_cost_fen").is_none());

        // Pages: the register and the sign, with its face drawn inline.
        // By number, as an inspector types it in the field.
        let go = send(&app, request("GET", "/signs?code=dx-010", None, None), None).await;
        assert_eq!(go.status, StatusCode::SEE_OTHER);
        assert_eq!(go.headers["location"], "/signs/DX-010");
        let none = send(&app, request("GET", "/signs?code=DX-999", None, None), None).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        let page = send(
            &app,
            request("GET", "/signs?findings=1", Some(&officer), None),
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("DX-010") && page.body.contains("内蒙古地名标志须同时使用蒙古文")
        );
        let page = send(
            &app,
            request("GET", "/signs/DX-002", Some(&officer), None),
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<svg") && page.body.contains("面板积尘"),
            "{}",
            page.body
        );
        let art = send(
            &app,
            request("GET", "/signs/DX-010/artwork.pdf", None, None),
            None,
        )
        .await;
        assert_eq!(art.status, StatusCode::OK);
        assert_eq!(art.headers["content-type"], "application/pdf");
        let bad = send(
            &app,
            request("GET", "/signs/DX-010/artwork.exe", None, None),
            None,
        )
        .await;
        assert_eq!(bad.status, StatusCode::NOT_FOUND);
    }
);

async fn officer_token(registry: &diming::registry::Registry, name: &str, role: Role) -> String {
    officer(registry, name, role).await
}

fn condition(registry: &diming::registry::Registry, sign: RecordId) -> Condition {
    match &registry.current().get(&sign).unwrap().body {
        Body::Sign(s) => s.condition,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn the_signs_commands_check_draw_and_report() {
    let db = TestDb::sqlite().await;
    let demo = diming(db.url(), &["demo"]);
    assert!(demo.status.success());
    let csv = diming(db.url(), &["signs", "check", "--format", "csv"]);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("标志编号,种类,所在单位"));
    assert!(csv.contains("LP-036,街牌、路牌"), "{csv}");
    let html = String::from_utf8(diming(db.url(), &["signs", "check", "--format", "html"]).stdout)
        .unwrap();
    assert!(html.contains("灯箱式街路牌 124 块"), "{html}");
    let report = String::from_utf8(diming(db.url(), &["signs", "report"]).stdout).unwrap();
    assert!(report.contains("灯箱式街路牌：124 块"), "{report}");
    let dir = tempfile::tempdir().unwrap();
    for ext in ["svg", "pdf", "png"] {
        let out = dir.path().join(format!("DX-010.{ext}"));
        let run = diming(
            db.url(),
            &["signs", "artwork", "DX-010", "-o", out.to_str().unwrap()],
        );
        crate::support::succeeded(&run);
        assert!(std::fs::metadata(&out).unwrap().len() > 500);
    }
    let wrong = diming(db.url(), &["signs", "artwork", "DX-999", "-o", "x.svg"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("DX-999"));
    // Orders from the findings: one per sign and remedy, and not twice.
    let first =
        String::from_utf8(diming(db.url(), &["signs", "orders", "from-findings"]).stdout).unwrap();
    let n: usize = first
        .trim()
        .trim_start_matches("已开具工单 ")
        .trim_end_matches(" 张")
        .parse()
        .unwrap();
    assert!(n >= 17, "{first}");
    let again =
        String::from_utf8(diming(db.url(), &["signs", "orders", "from-findings"]).stdout).unwrap();
    assert_eq!(again.trim(), "已开具工单 0 张");
}
