//! The place-name officer's commands: checking a proposed name against the registry,
//! romanizing, and the audit of every current name.

use crate::support::{TestDb, diming};

fn text(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn a_proposed_name_is_checked_against_the_names_in_its_scope() {
    let db = TestDb::sqlite().await;
    assert!(diming(db.url(), &["demo"]).status.success());
    let dup = diming(db.url(), &["names", "check", "新前进大街"]);
    assert_eq!(dup.status.code(), Some(2));
    assert!(
        text(&dup).contains("[derived_duplicate·派生重名]") && text(&dup).contains("前进大街"),
        "{}",
        text(&dup)
    );
    let same = diming(
        db.url(),
        &["names", "check", "团结大街", "--format", "json"],
    );
    let verdicts: serde_json::Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(verdicts[0]["rule"], "duplicate");
    assert_eq!(
        verdicts[0]["conflict"],
        diming::record::RecordId::derived("street/团结大街").to_string()
    );
    let fine = diming(db.url(), &["names", "check", "阿巴嘎路"]);
    assert!(fine.status.success(), "{}", text(&fine));
    // The same name is fine for a different kind of thing: scopes are per category.
    let other = diming(
        db.url(),
        &[
            "names",
            "check",
            "团结大街",
            "--kind",
            "place",
            "--category",
            "建筑物",
        ],
    );
    assert!(other.status.success(), "{}", text(&other));
    let gacha = diming(
        db.url(),
        &[
            "names",
            "check",
            "陶力嘎查",
            "--kind",
            "unit",
            "--unit",
            "152501200",
        ],
    );
    assert!(text(&gacha).contains("[duplicate"), "{}", text(&gacha));
    let bad = diming(
        db.url(),
        &[
            "names",
            "check",
            "x",
            "--kind",
            "place",
            "--category",
            "castle",
        ],
    );
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("castle"));
}

#[test]
fn names_are_romanized_by_the_rules_with_polyphones_flagged() {
    let db = "sqlite://unused.gpkg";
    assert_eq!(
        text(&diming(db, &["names", "romanize", "友谊大街"])).trim(),
        "Youyi Dajie"
    );
    assert_eq!(
        text(&diming(
            db,
            &["names", "romanize", "二连浩特市", "--form", "sign"]
        ))
        .trim(),
        "ERENHOT SHI"
    );
    let chang = diming(db, &["names", "romanize", "长安街"]);
    assert_eq!(text(&chang).trim(), "Chang'an Jie");
    assert!(String::from_utf8_lossy(&chang.stderr).contains("多音字"));
    assert_eq!(
        text(&diming(
            db,
            &["names", "romanize", "长子路", "--reading", "0=zhang"]
        ))
        .trim(),
        "Zhangzi Lu"
    );
    let mongolian = diming(
        db,
        &[
            "names",
            "romanize",
            "ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ",
            "--origin",
            "mongolian",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&mongolian.stdout).unwrap();
    assert_eq!(
        (v["standard"].as_str(), v["transliteration"].as_str()),
        (Some("Erenhot"), Some("eriyen hota"))
    );
    // The cases a names officer meets in the first week (issue 32): ordinals in digits, a
    // last character that is not a generic, fixed forms of names of Mongolian origin.
    for (name, standard) in [
        ("二马路", "2 Malu"),
        ("三马路", "3 Malu"),
        ("纬二路", "Wei 2 Lu"),
        ("满洲里", "Manzhouli"),
        ("海拉尔", "Hailar"),
    ] {
        assert_eq!(
            text(&diming(db, &["names", "romanize", name])).trim(),
            standard
        );
    }
    let by_characters = diming(
        db,
        &["names", "romanize", "二连浩特", "--origin", "mongolian"],
    );
    assert_eq!(text(&by_characters).trim(), "Erenhot");
    let unknown = diming(db, &["names", "romanize", "前进", "--origin", "mongolian"]);
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("不在蒙古语地名词表中") && said.contains("蒙古文"),
        "{said}"
    );
}

#[tokio::test]
async fn the_checker_knows_traditional_and_foreign_names_of_real_life() {
    // The check reads the registry's names for duplicates: a store of its own.
    let store = TestDb::sqlite().await;
    let db = store.url();
    for (name, says) in [
        ("前進路", "前进路"),
        ("後海街", "后海街"),
        ("醫院路", "医院路"),
        ("东京湾小区", "东京"),
        ("悉尼公寓", "悉尼"),
        ("迪拜城", "迪拜"),
        ("莫斯科大街", "莫斯科"),
    ] {
        let out = diming(db, &["names", "check", name, "--kind", "place"]);
        assert!(!out.status.success(), "{name}");
        assert!(text(&out).contains(says), "{name}: {}", text(&out));
    }
    // A Chinese name with the same characters as a foreign one is not flagged.
    let ok = diming(db, &["names", "check", "罗马庄村", "--kind", "place"]);
    assert!(ok.status.success(), "{}", text(&ok));
}

#[tokio::test]
async fn the_audit_lists_every_non_standard_name_with_its_unit() {
    let db = TestDb::sqlite().await;
    assert!(diming(db.url(), &["demo"]).status.success());
    let csv = text(&diming(db.url(), &["names", "audit", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>()[..4],
        ["所在区域", "图层", "名称", "规则"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let manhattan: Vec<_> = rows.iter().filter(|r| &r[2] == "曼哈顿国际花园").collect();
    assert_eq!(
        manhattan.len(),
        2,
        "grandiose 国际 and foreign 曼哈顿: {manhattan:?}"
    );
    assert!(
        manhattan.iter().all(|r| r[0].starts_with("152501400")),
        "{manhattan:?}"
    );
    assert!(rows.iter().any(|r| &r[2] == "東城市场" && &r[3] == "odd"));
    assert!(
        !rows.iter().any(|r| &r[2] == "前进大街"),
        "standard names are not listed"
    );
}

mod workflow {
    use crate::support::{TestDb, both_stores};
    use chrono::NaiveDate;
    use diming::model::Body;
    use diming::names::naming::{NameStatus, NameUse, Naming};
    use diming::names::rules::Rule;
    use diming::names::{Place, PlaceCategory};
    use diming::record::{ApprovalDocument, Source};
    use diming::registry::{NameAction, RegistryError};
    use geo::{Geometry, Point};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn doc(number: &str, date: &str) -> ApprovalDocument {
        ApprovalDocument {
            issuer: "二连浩特市人民政府".into(),
            number: number.into(),
            date: day(date),
        }
    }

    both_stores!(
        a_name_goes_from_proposal_to_publication_and_a_rename_keeps_the_old_name,
        |db: TestDb| async move {
            let registry = db.registry().await;
            let body = Body::from(Place {
                name: "帝景苑".into(),
                name_mn: None,
                category: PlaceCategory::Settlement,
                source: Source::Survey,
                naming: Naming::default(),
            });
            let id = registry
                .propose(
                    body,
                    Geometry::Point(Point::new(111.96, 43.64)),
                    "张三",
                    day("2026-01-05"),
                )
                .await
                .unwrap();
            let status = |r: &diming::registry::Registry| {
                r.current().get(&id).unwrap().body.naming().unwrap().status
            };
            assert_eq!(status(&registry), NameStatus::Proposed);

            let refused = registry
                .name_step(id, 1, NameAction::Review, "张三", day("2026-01-06"))
                .await
                .unwrap_err();
            assert!(
                matches!(refused, RegistryError::Workflow { .. })
                    && refused.to_string().contains("grandiose"),
                "{refused}"
            );
            registry
                .name_step(
                    id,
                    1,
                    NameAction::Override {
                        rule: Rule::Grandiose,
                        document: doc("二政字〔2026〕2号", "2026-02-01"),
                    },
                    "张三",
                    day("2026-02-01"),
                )
                .await
                .unwrap();
            registry
                .name_step(id, 2, NameAction::Review, "张三", day("2026-02-02"))
                .await
                .unwrap();
            let stale = registry
                .name_step(
                    id,
                    2,
                    NameAction::Approve {
                        document: doc("x", "2026-03-01"),
                    },
                    "李四",
                    day("2026-03-01"),
                )
                .await;
            assert!(
                stale.unwrap_err().is_stale(),
                "version 2 is no longer current"
            );
            let approved = registry
                .name_step(
                    id,
                    3,
                    NameAction::Approve {
                        document: doc("二政字〔2026〕5号", "2026-03-01"),
                    },
                    "李四",
                    day("2026-03-01"),
                )
                .await
                .unwrap();
            let pending = registry.pending_names(day("2026-03-20"));
            assert_eq!(
                (pending[0].id, pending[0].report_due, pending[0].overdue),
                (id, Some(day("2026-03-16")), true)
            );
            registry
                .name_step(
                    id,
                    4,
                    NameAction::Report {
                        on: day("2026-03-10"),
                    },
                    "李四",
                    day("2026-03-10"),
                )
                .await
                .unwrap();
            registry
                .name_step(
                    id,
                    5,
                    NameAction::Publish {
                        on: day("2026-04-01"),
                    },
                    "李四",
                    day("2026-04-01"),
                )
                .await
                .unwrap();
            assert_eq!(status(&registry), NameStatus::Published);
            assert!(registry.pending_names(day("2026-04-02")).is_empty());

            let foreign = registry
                .name_step(
                    id,
                    6,
                    NameAction::Rename {
                        name: "维也纳苑".into(),
                        on: day("2026-06-01"),
                        document: doc("y", "2026-05-01"),
                    },
                    "李四",
                    day("2026-06-01"),
                )
                .await
                .unwrap_err();
            assert!(foreign.to_string().contains("foreign"), "{foreign}");
            registry
                .name_step(
                    id,
                    6,
                    NameAction::Rename {
                        name: "锦绣苑".into(),
                        on: day("2026-06-01"),
                        document: doc("二政字〔2026〕9号", "2026-05-01"),
                    },
                    "李四",
                    day("2026-06-01"),
                )
                .await
                .unwrap();

            let reopened = db.registry().await;
            let v = reopened.current().get(&id).cloned().unwrap();
            assert_eq!(v.body.title(), "锦绣苑");
            let naming = v.body.naming().unwrap();
            assert_eq!(naming.status, NameStatus::Approved);
            assert_eq!(
                (
                    naming.other_names[0].text.as_str(),
                    naming.other_names[0].name_use
                ),
                ("帝景苑", NameUse::Historical)
            );
            assert_eq!(
                naming.overrides,
                vec![],
                "the old name's override does not carry over"
            );
            let history = reopened.history(id).await.unwrap();
            assert_eq!(history.len(), 7);
            let cs = reopened.store().changeset(approved).await.unwrap().unwrap();
            assert_eq!(cs.document.unwrap().number, "二政字〔2026〕5号");
            assert_eq!(
                reopened
                    .record_as_of(id, day("2026-05-31"))
                    .await
                    .unwrap()
                    .unwrap()
                    .body
                    .title(),
                "帝景苑"
            );
        }
    );
}

#[tokio::test]
async fn a_confirmed_reading_is_kept_with_the_name_and_changes_its_romanization() {
    use diming::model::Body;
    use diming::names::naming::Naming;
    use diming::names::{Place, PlaceCategory};
    use diming::record::Source;
    use diming::registry::NameAction;
    let db = TestDb::sqlite().await;
    let registry = std::sync::Arc::new(db.registry().await);
    let body = Body::from(Place {
        name: "长安里".into(),
        name_mn: None,
        category: PlaceCategory::Settlement,
        source: Source::Survey,
        naming: Naming::default(),
    });
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let id = registry
        .propose(
            body,
            geo::Geometry::Point(geo::Point::new(111.96, 43.64)),
            "张三",
            day("2026-01-05"),
        )
        .await
        .unwrap();
    let wrong = registry
        .name_step(
            id,
            1,
            NameAction::ConfirmReading {
                index: 1,
                reading: "an".into(),
            },
            "张三",
            day("2026-01-05"),
        )
        .await
        .unwrap_err();
    assert!(
        wrong.to_string().contains("不是需要确认读音的多音字"),
        "{wrong}"
    );
    let unknown = registry
        .name_step(
            id,
            1,
            NameAction::ConfirmReading {
                index: 0,
                reading: "xing".into(),
            },
            "张三",
            day("2026-01-05"),
        )
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("chang"), "{unknown}");
    registry
        .name_step(
            id,
            1,
            NameAction::ConfirmReading {
                index: 0,
                reading: "zhang".into(),
            },
            "张三",
            day("2026-01-05"),
        )
        .await
        .unwrap();
    let app = diming::web::app(registry.clone());
    // A name still in the workflow is internal: an officer reads it.
    let token =
        crate::support::officer(&registry, "王芳", diming::accounts::Role::NamesOfficer).await;
    use tower::ServiceExt;
    let response = app
        .oneshot(
            axum::http::Request::get(format!("/api/records/{id}"))
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let feature: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        feature["properties"]["romanization"]["standard"],
        "Zhang'an Li"
    );
    assert_eq!(feature["properties"]["naming"]["readings"]["0"], "zhang");
    let hits = registry.search_index().search("zhanganli", None, 5);
    assert_eq!(hits[0].id, id);
}

/// The demo's 工农街 was renamed 建设街 on 2021-05-01: within the years the city sets, giving
/// 工农街 to another street of the town is a warning naming the record that had it; later, it
/// is not. Checked on the registry's own peers (their former names come from the records).
#[tokio::test]
async fn a_name_given_up_by_a_rename_is_not_given_again_within_the_years_set() {
    use diming::names::WordLists;
    use diming::names::rules::{NameKind, Rule, check};
    use diming::queries::audit::{Scope, peers};
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    crate::support::load_demo(&registry).await;
    let mut settings = diming::config::Config::erenhot().rule_settings();
    let lists = WordLists::builtin();
    let verdicts = |settings: &diming::names::rules::Settings| {
        let state = registry.current();
        let peers = peers(&state, Scope::Streets, None, settings);
        check("工农街", NameKind::Street, &peers, &lists, settings)
    };
    settings.former_since = chrono::NaiveDate::from_ymd_opt(2021, 1, 1);
    let found = verdicts(&settings);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, Rule::FormerName);
    assert_eq!(
        found[0].conflict,
        Some(diming::record::RecordId::derived("street/工农街"))
    );
    assert!(
        found[0].explanation.contains("建设街"),
        "{}",
        found[0].explanation
    );
    settings.former_since = chrono::NaiveDate::from_ymd_opt(2021, 6, 1);
    assert!(verdicts(&settings).is_empty());
}

// A retired street's name given again within the years the city sets is a warning naming
// the record that had it, as soon as it is retired and after the registry is read again
// from the store.
crate::support::both_stores!(
    a_retired_name_is_not_given_again_within_the_years_set,
    |db: TestDb| async move {
        use diming::model::{Changeset, Write};
        use diming::names::WordLists;
        use diming::names::rules::{NameKind, Rule, check};
        use diming::queries::audit::{Scope, peers};
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        let street = diming::record::RecordId::derived("street/振兴街");
        let base = registry.current().get(&street).expect("振兴街").version;
        let mut cs = Changeset::new("测试员", "道路拆除，街名撤销");
        cs.writes.push(Write::Retire {
            id: street,
            base_version: base,
            valid_from: chrono::Local::now().date_naive(),
        });
        registry.commit(cs).await.unwrap();
        let settings = diming::config::Config::erenhot().rule_settings();
        let lists = WordLists::builtin();
        let verdicts = |registry: &diming::registry::Registry| {
            let state = registry.current();
            let peers = peers(&state, Scope::Streets, None, &settings);
            check("振兴街", NameKind::Street, &peers, &lists, &settings)
        };
        for registry in [registry, db.registry().await] {
            let found = verdicts(&registry);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(
                (found[0].rule, found[0].conflict),
                (Rule::FormerName, Some(street))
            );
            assert!(
                found[0].explanation.contains("撤销"),
                "{}",
                found[0].explanation
            );
        }
    }
);
