//! Cemeteries and burials: the demo reproduces the city's figures; the plot state machine and
//! capacity; area limits just under and over; statistics on hand-made records; the
//! reconciliation; ledger import all or nothing; subsidies; relocation notices with every
//! element; no whole ID number in any output outside the burial office's own screens.

use crate::support::{
    TestDb, both_stores, call, diming, load_demo, officer, pdf_text, request, send, succeeded,
};
use axum::http::StatusCode;
use chrono::NaiveDate;
use diming::accounts::Role;
use diming::cemetery::personal::{IdNumber, contains_whole_id};
use diming::cemetery::stats::{By, Definition, percent, reconcile};
use diming::cemetery::{
    Burial, Cemetery, CemeteryKind, Deceased, Disposition, Occupancy, PlotKind, PlotStatus,
    Remains, Section, Sex, Zone, ZoneKind,
};
use diming::model::{Body, Changeset, Layer, Write};
use diming::record::{RecordId, Source};
use diming::registry::Registry;
use diming::registry::cemetery::PlotChange;
use geo::{Coord, Geometry, MultiPolygon, Point};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A rectangle of `w` × `h` metres with its south-west corner at (lon, lat).
fn rect_m(lon: f64, lat: f64, w: f64, h: f64) -> Geometry<f64> {
    let sw = diming::spatial::crs::to_measure(&Geometry::Point(Point::new(lon, lat))).unwrap();
    let Geometry::Point(p) = sw else { panic!() };
    let poly = geo::Rect::new(
        Coord { x: p.x(), y: p.y() },
        Coord {
            x: p.x() + w,
            y: p.y() + h,
        },
    )
    .to_polygon();
    match diming::spatial::crs::from_measure(&Geometry::Polygon(poly)).unwrap() {
        Geometry::Polygon(p) => Geometry::MultiPolygon(MultiPolygon(vec![p])),
        g => g,
    }
}

fn deceased(name: &str, died: &str, residence: &str) -> Deceased {
    Deceased {
        name: name.into(),
        sex: Sex::Male,
        ethnicity: "汉族".into(),
        id_number: None,
        born: None,
        died: day(died),
        residence: residence.into(),
        place_of_death: String::new(),
    }
}

fn burial(name: &str, died: &str, disposition: Disposition, plot: Option<RecordId>) -> Burial {
    Burial {
        deceased: deceased(name, died, "152501400001"),
        disposition,
        cremation_certificate: (disposition == Disposition::Cremation)
            .then(|| format!("HH-{name}")),
        plot,
        in_zone: false,
        exemption: Some("测试：民族习俗".into()),
        relocated_from: None,
        registered_by: "测试".into(),
        registered_on: day(died),
        documents: vec![],
        source: Source::Survey,
    }
}

/// A cemetery with one section of 30 × 20 m at a spot south of the town, and the plots of a
/// grid fill of `kind`.
async fn small_cemetery(registry: &Registry, kind: PlotKind) -> (RecordId, RecordId) {
    let cemetery = RecordId::new();
    let section = RecordId::new();
    let mut cs = Changeset::new("测试", "公墓");
    cs.push(Write::Create {
        id: cemetery,
        valid_from: day("2020-01-01"),
        body: Body::from(Cemetery {
            name: "测试公墓".into(),
            kind: CemeteryKind::Public,
            operator: "民政局".into(),
            address: String::new(),
            approval: None,
            opened: None,
            source: Source::Survey,
        }),
        geometry: rect_m(111.90, 43.55, 60.0, 40.0),
    })
    .push(Write::Create {
        id: section,
        valid_from: day("2020-01-01"),
        body: Body::from(Section {
            cemetery,
            code: "A".into(),
            name: String::new(),
            source: Source::Survey,
        }),
        geometry: rect_m(111.90, 43.55, 30.0, 20.0),
    });
    registry.commit(cs).await.unwrap();
    let grid = diming::cemetery::layout::Grid {
        width_m: 2.0,
        depth_m: 2.0,
        aisle_m: 1.0,
        row_aisle_m: 1.0,
        angle_deg: 0.0,
        start: diming::cemetery::layout::Start::SouthWest,
        first_row: 1,
    };
    let (cs, fill) = registry
        .fill_section("测试", section, &grid, kind, day("2020-01-01"))
        .await
        .unwrap();
    assert!(cs.is_some());
    // 10 columns of 2 m with 1 m aisles in 30 m; 6 rows in 20 m.
    assert_eq!(fill.cells.len(), 60);
    (cemetery, section)
}

/// Officers registering at once, each a burial into a plot; how many succeeded.
async fn race(
    registry: &std::sync::Arc<Registry>,
    attempts: Vec<(RecordId, Disposition)>,
) -> usize {
    let tasks: Vec<_> = attempts
        .into_iter()
        .enumerate()
        .map(|(i, (plot, disposition))| {
            let r = std::sync::Arc::clone(registry);
            tokio::spawn(async move {
                r.register_burial(
                    "测试",
                    burial(&format!("并发{i}"), "2024-05-01", disposition, Some(plot)),
                    None,
                )
                .await
                .is_ok()
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    ok
}

fn plot(registry: &Registry, number: &str) -> (RecordId, u32, diming::cemetery::Plot) {
    let state = registry.current();
    let id = diming::registry::cemetery::find_plot(&state, None, &number.parse().unwrap()).unwrap();
    let v = state.get(&id).unwrap();
    let Body::Plot(p) = &v.body else { panic!() };
    (id, v.version, (**p).clone())
}

both_stores!(
    the_demo_reproduces_the_citys_figures_and_the_reconciliation_names_them,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let t = registry.cremation_stats(2016, 2020, By::Year);
        assert_eq!(
            (
                t.total.deaths,
                t.total.burials,
                t.total.cremations,
                t.total.other
            ),
            (733, 483, 250, 0)
        );
        assert!(t.total.balanced() && t.rows.iter().all(|(_, c)| c.balanced()));
        let y2020 = &t.rows.iter().find(|(k, _)| k == "2020").unwrap().1;
        assert_eq!(
            (y2020.deaths, y2020.burials, y2020.cremations),
            (150, 105, 45)
        );
        assert_eq!(percent(t.total.rate()), "34.1%");
        assert_eq!(percent(y2020.rate()), "30.0%");
        let r = reconcile(&"2016-2020:51.8%".parse().unwrap(), t.total.clone());
        assert_eq!(r.matches, vec![Definition::Ratio]);
        let r = reconcile(&"2020:44.4%".parse().unwrap(), y2020.clone());
        assert!(r.matches.is_empty(), "44.4% matches nothing: {r:?}");

        let state = registry.current();
        let claims: Vec<_> = state
            .layer(Layer::SubsidyClaim)
            .filter_map(|v| match &v.body {
                Body::SubsidyClaim(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(claims.len(), 5);
        assert!(claims.iter().all(|c| c.total_fen == 181_000));
        let in_2020 = claims
            .iter()
            .filter(|c| match state.get(&c.burial).map(|b| &b.body) {
                Some(Body::Burial(b)) => chrono::Datelike::year(&b.deceased.died) == 2020,
                _ => false,
            })
            .count();
        assert_eq!(in_2020, 2);
        assert_eq!(state.count(Layer::Notice), 92);
        let moved: Vec<_> = state
            .layer(Layer::Grave)
            .filter_map(|v| match &v.body {
                Body::Grave(g) => g.moved_to,
                _ => None,
            })
            .collect();
        assert_eq!(moved.len(), 5);
        for p in moved {
            assert!(
                matches!(&state.get(&p).unwrap().body, Body::Plot(p) if p.status == PlotStatus::RelocatedIn)
            );
        }
        drop(state);
        // The planted plots, and nothing else.
        let findings = registry.cemetery_check();
        let found: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| (f.label, f.message.split_whitespace().nth(1).unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            vec![
                ("墓位面积超标", "E-9-1（遗体单穴）面积"),
                ("墓位重叠", "E-9-1")
            ],
            "{findings:#?}"
        );

        // The same through the commands an officer types.
        let out = diming(
            db.url(),
            &[
                "stats",
                "reconcile",
                "--reported",
                "2016-2020:51.8%",
                "--reported",
                "2020:44.4%",
            ],
        );
        succeeded(&out);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("火化率（火化 ÷ 死亡）：34.1%"), "{text}");
        assert!(text.contains("符合 火化与土葬之比"), "{text}");
        assert!(text.contains("火化率（火化 ÷ 死亡）：30.0%"), "{text}");
        assert!(text.contains("与任何口径都不符"), "{text}");
        let out = diming(
            db.url(),
            &[
                "stats",
                "cremation",
                "--from",
                "2016",
                "--to",
                "2020",
                "--format",
                "csv",
            ],
        );
        succeeded(&out);
        let csv = String::from_utf8_lossy(&out.stdout);
        assert!(csv.contains("合计 2016—2020,733,250,483,0,34.1%"), "{csv}");
        assert!(csv.contains("火化与土葬之比（非火化率）"));
        // Without years: the latest run of years that hold deaths, as on the page.
        let out = diming(db.url(), &["stats", "cremation", "--format", "csv"]);
        succeeded(&out);
        let csv = String::from_utf8_lossy(&out.stdout);
        assert!(csv.contains("合计 2016—2020,733,"), "{csv}");
    }
);

both_stores!(
    a_plot_takes_no_more_than_its_capacity_and_moves_only_by_allowed_steps,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let single = PlotKind {
            remains: Remains::Body,
            occupancy: Occupancy::Single,
        };
        small_cemetery(&registry, single).await;
        let (a11, _, p) = plot(&registry, "A-1-1");
        assert_eq!(p.status, PlotStatus::Available);
        registry
            .register_burial(
                "测试",
                burial("王一", "2024-05-01", Disposition::Burial, Some(a11)),
                None,
            )
            .await
            .unwrap();
        let (_, version, p) = plot(&registry, "A-1-1");
        assert_eq!(p.status, PlotStatus::Occupied);
        let period = p.period.clone().unwrap();
        assert_eq!(
            (period.from, period.until),
            (day("2024-05-01"), day("2044-05-01"))
        );
        // A second burial in the full single plot is refused, and nothing changes.
        let before = registry.current().count(Layer::Burial);
        let err = registry
            .register_burial(
                "测试",
                burial("王二", "2024-06-01", Disposition::Burial, Some(a11)),
                None,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("已满"), "{err}");
        assert_eq!(registry.current().count(Layer::Burial), before);
        assert_eq!(plot(&registry, "A-1-1").1, version);
        // Occupied → available is not a step; occupied → expired, then a renewal, are.
        let err = registry
            .change_plot(
                "测试",
                a11,
                version,
                PlotChange::Status {
                    status: PlotStatus::Available,
                    holder: None,
                },
                day("2044-05-02"),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不能改为"), "{err}");
        registry
            .change_plot(
                "测试",
                a11,
                version,
                PlotChange::Status {
                    status: PlotStatus::Expired,
                    holder: None,
                },
                day("2044-05-02"),
            )
            .await
            .unwrap();
        let (_, v2, _) = plot(&registry, "A-1-1");
        registry
            .change_plot(
                "测试",
                a11,
                v2,
                PlotChange::Renew {
                    receipt: "R-1".into(),
                },
                day("2044-06-01"),
            )
            .await
            .unwrap();
        let (_, _, p) = plot(&registry, "A-1-1");
        assert_eq!(p.status, PlotStatus::Occupied);
        assert_eq!(p.period.unwrap().until, day("2064-05-01"));
        assert_eq!(p.renewals.len(), 1);
        // A reserved plot can be released; an available one cannot expire.
        let (a12, v, _) = plot(&registry, "A-1-2");
        let err = registry
            .change_plot(
                "测试",
                a12,
                v,
                PlotChange::Status {
                    status: PlotStatus::Expired,
                    holder: None,
                },
                day("2025-01-01"),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不能改为"), "{err}");
        registry
            .change_plot(
                "测试",
                a12,
                v,
                PlotChange::Status {
                    status: PlotStatus::Reserved,
                    holder: Some("李四".into()),
                },
                day("2025-01-01"),
            )
            .await
            .unwrap();
        let (_, v, _) = plot(&registry, "A-1-2");
        registry
            .change_plot(
                "测试",
                a12,
                v,
                PlotChange::Status {
                    status: PlotStatus::Available,
                    holder: None,
                },
                day("2025-02-01"),
            )
            .await
            .unwrap();
        // A stale version loses.
        let err = registry
            .change_plot(
                "测试",
                a12,
                v,
                PlotChange::Status {
                    status: PlotStatus::Reserved,
                    holder: None,
                },
                day("2025-03-01"),
            )
            .await
            .unwrap_err();
        assert!(err.is_stale(), "{err}");
    }
);

both_stores!(
    a_double_plot_takes_two_and_concurrent_assignments_never_exceed_it,
    |db: TestDb| async move {
        let registry = std::sync::Arc::new(db.registry().await);
        let double = PlotKind {
            remains: Remains::Ashes,
            occupancy: Occupancy::Double,
        };
        small_cemetery(&registry, double).await;
        let (b11, _, _) = plot(&registry, "A-1-1");
        // Twenty officers at once put someone into the same double plot: two succeed.
        let ok = race(
            &registry,
            (0..20).map(|_| (b11, Disposition::Cremation)).collect(),
        )
        .await;
        assert_eq!(ok, 2);
        let in_plot = registry
            .current()
            .layer(Layer::Burial)
            .filter(|v| matches!(&v.body, Body::Burial(b) if b.plot == Some(b11)))
            .count();
        assert_eq!(in_plot, 2);
        // A body cannot go into an ashes plot.
        let (b12, _, _) = plot(&registry, "A-1-2");
        let err = registry
            .register_burial(
                "测试",
                burial("赵", "2024-05-01", Disposition::Burial, Some(b12)),
                None,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("骨灰墓位"), "{err}");
        assert!(
            !registry
                .cemetery_check()
                .iter()
                .any(|f| f.rule == diming::cemetery::check::Rule::OverCapacity)
        );
    }
);

both_stores!(
    plot_areas_are_checked_against_the_limit_in_force_just_under_and_just_over,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let single = PlotKind {
            remains: Remains::Body,
            occupancy: Occupancy::Single,
        };
        let ashes = PlotKind {
            remains: Remains::Ashes,
            occupancy: Occupancy::Single,
        };
        let (cemetery, section) = small_cemetery(&registry, single).await;
        // Hand-made plots in free ground of the cemetery's own section B.
        let section_b = RecordId::new();
        let mut cs = Changeset::new("测试", "B 区");
        cs.push(Write::Create {
            id: section_b,
            valid_from: day("2020-01-01"),
            body: Body::from(Section {
                cemetery,
                code: "B".into(),
                name: String::new(),
                source: Source::Survey,
            }),
            geometry: rect_m(111.9004, 43.5503, 20.0, 10.0),
        });
        let mk = |n: &str, kind: PlotKind, w: f64, h: f64, dx: f64| Write::Create {
            id: RecordId::new(),
            valid_from: day("2020-01-01"),
            body: Body::from(diming::cemetery::Plot {
                cemetery,
                section: section_b,
                number: n.parse().unwrap(),
                kind,
                status: PlotStatus::Available,
                laid_out: day("2020-01-01"),
                holder: None,
                holder_phone: None,
                period: None,
                renewals: vec![],
                source: Source::Survey,
            }),
            geometry: rect_m(111.9004 + dx, 43.55032, w, h),
        };
        cs.push(mk("B-1-1", single, 2.0, 1.995, 0.00002))
            .push(mk("B-1-2", single, 2.0, 2.005, 0.00005))
            .push(mk("B-1-3", ashes, 1.0, 0.99, 0.00008))
            .push(mk("B-1-4", ashes, 1.0, 1.01, 0.00011));
        registry.commit(cs).await.unwrap();
        let too_large: Vec<String> = registry
            .cemetery_check()
            .iter()
            .filter(|f| f.label == "墓位面积超标")
            .map(|f| f.message.clone())
            .collect();
        assert_eq!(too_large.len(), 2, "{too_large:?}");
        assert!(
            too_large
                .iter()
                .any(|m| m.contains("B-1-2") && m.contains("4.01 m²")),
            "{too_large:?}"
        );
        assert!(
            too_large
                .iter()
                .any(|m| m.contains("B-1-4") && m.contains("1.01 m²")),
            "{too_large:?}"
        );
        let _ = section;
        // Numbers are unique in their section, and a plot's number names its section.
        let mut dup = Changeset::new("测试", "重复");
        dup.push(mk("B-1-1", single, 1.0, 1.0, 0.0002));
        let err = registry.commit(dup).await.unwrap_err();
        assert!(err.to_string().contains("已被使用"), "{err}");
        let mut wrong = Changeset::new("测试", "区号");
        wrong.push(mk("C-1-1", single, 1.0, 1.0, 0.0002));
        let err = registry.commit(wrong).await.unwrap_err();
        assert!(err.to_string().contains("区号"), "{err}");
    }
);

both_stores!(
    statistics_on_hand_made_records_and_the_cremation_zone,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        // Ten deaths in 2031 (a year the demo leaves empty): 6 cremated, 3 buried, 1 other;
        // residents of 东城社区 (in the zone) for 7 of them, of 额尔敦高毕嘎查 (outside) for 3.
        let funeral = Point::new(diming::demo::FUNERAL_HOME.0, diming::demo::FUNERAL_HOME.1);
        let far = Point::new(111.40, 43.30);
        let cases = [
            (Disposition::Cremation, "152501400001", funeral),
            (Disposition::Cremation, "152501400001", funeral),
            (Disposition::Cremation, "152501400001", funeral),
            (Disposition::Cremation, "152501400001", funeral),
            (Disposition::Cremation, "152501200200", funeral),
            (Disposition::Cremation, "152501200200", funeral),
            (Disposition::Burial, "152501400001", far),
            (Disposition::Burial, "152501400001", far),
            (Disposition::Burial, "152501200200", far),
            (Disposition::Other, "152501400001", funeral),
        ];
        for (i, (disposition, residence, site)) in cases.into_iter().enumerate() {
            let mut b = burial(&format!("统计{i}"), "2031-03-01", disposition, None);
            b.deceased.residence = residence.into();
            registry
                .register_burial("测试", b, Some(site))
                .await
                .unwrap();
        }
        let t = registry.cremation_stats(2031, 2031, By::Year);
        let c = &t.total;
        assert_eq!((c.deaths, c.cremations, c.burials, c.other), (10, 6, 3, 1));
        assert_eq!((c.zone_deaths, c.zone_cremations), (7, 4));
        assert_eq!(percent(c.rate()), "60.0%");
        assert_eq!(percent(c.zone_rate()), "57.1%");
        assert_eq!(percent(c.cremation_burial_ratio()), "200.0%");
        // By unit: the two units, each balanced.
        let by_unit = registry.cremation_stats(2031, 2031, By::Unit);
        let dongcheng = by_unit
            .rows
            .iter()
            .find(|(k, _)| k.contains("东城"))
            .unwrap();
        assert_eq!((dongcheng.1.deaths, dongcheng.1.cremations), (7, 4));
        // A body burial of a resident of the zone needs its exemption.
        let mut b = burial("无豁免", "2031-04-01", Disposition::Burial, None);
        b.exemption = None;
        let err = registry
            .register_burial("测试", b, Some(far))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("豁免理由"), "{err}");
        // Outside the zone it needs none.
        let mut b = burial("牧民", "2031-04-01", Disposition::Burial, None);
        b.exemption = None;
        b.deceased.residence = "152501200200".into();
        registry
            .register_burial("测试", b, Some(far))
            .await
            .unwrap();
        // A zone drawn later does not change who lived in it when registered.
        let mut cs = Changeset::new("测试", "新火葬区");
        cs.push(Write::Create {
            id: RecordId::new(),
            valid_from: day("2032-01-01"),
            body: Body::from(Zone {
                name: "西部火葬区".into(),
                kind: ZoneKind::Cremation,
                basis: String::new(),
                source: Source::Survey,
            }),
            geometry: rect_m(111.30, 42.95, 40_000.0, 60_000.0),
        });
        registry.commit(cs).await.unwrap();
        let t = registry.cremation_stats(2031, 2031, By::Year);
        assert_eq!(t.total.zone_deaths, 7);
    }
);

both_stores!(
    a_ledger_with_a_bad_row_is_refused_whole_and_a_good_one_imported,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let before = registry.current().count(Layer::Burial);
        drop(registry);
        let dir = tempfile::tempdir().unwrap();
        let good_id = IdNumber::with_check("15250119500315001").unwrap();
        let good = good_id.whole().unwrap().to_string();
        let mut bad = good.clone();
        bad.replace_range(17..18, if good.ends_with('1') { "2" } else { "1" });
        let header = "姓名,性别,民族,身份证号码,出生日期,死亡日期,户籍地区划代码,处理方式,火化证明编号,公墓,墓位号,豁免理由,安葬地点经度,安葬地点纬度";
        let csv = format!(
            "{header}\n巴特尔,男,蒙古族,{good},1950-03-15,2026-11-20,152501400001,火化,HH2026-0101,二连浩特市公益性公墓,A-11-1,,,\n\
             其其格,女,蒙古族,{bad},1950-03-15,2026-11-21,152501400001,火化,HH2026-0102,,,,111.99,43.615\n\
             王德明,男,汉族,,,2026/11/22,152501400002,土葬,,二连浩特市公益性公墓,C-10-1,,,\n"
        );
        let path = dir.path().join("台账.csv");
        std::fs::write(&path, csv).unwrap();
        let out = diming(
            db.url(),
            &["cemetery", "import-burials", path.to_str().unwrap()],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("第 3 行「身份证号码」") && err.contains("校验码"),
            "{err}"
        );
        assert!(err.contains("第 4 行「豁免理由」"), "{err}");
        assert!(err.contains("整个台账未导入"), "{err}");
        // Nothing was written.
        let registry = db.registry().await;
        assert_eq!(registry.current().count(Layer::Burial), before);
        drop(registry);

        // The same ledger as Excel, corrected, goes in whole; an ID typed as a number does not.
        let xlsx = dir.path().join("台账.xlsx");
        let write_xlsx = |path: &std::path::Path, id_as_number: bool| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (c, h) in header.split(',').enumerate() {
                sheet.write_string(0, c as u16, h).unwrap();
            }
            let rows = [
                [
                    "巴特尔",
                    "男",
                    "蒙古族",
                    good.as_str(),
                    "1950-03-15",
                    "2026-11-20",
                    "152501400001",
                    "火化",
                    "HH2026-0101",
                    "二连浩特市公益性公墓",
                    "A-11-1",
                    "",
                    "",
                    "",
                ],
                [
                    "王德明",
                    "男",
                    "汉族",
                    "",
                    "",
                    "2026-11-22",
                    "152501400002",
                    "土葬",
                    "",
                    "二连浩特市公益性公墓",
                    "C-10-1",
                    "民族习俗（测试）",
                    "",
                    "",
                ],
            ];
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    if id_as_number && c == 3 && !v.is_empty() {
                        sheet
                            .write_number(r as u32 + 1, c as u16, v.parse::<f64>().unwrap_or(1.0))
                            .unwrap();
                    } else if !v.is_empty() {
                        sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
                    }
                }
            }
            book.save(path).unwrap();
        };
        write_xlsx(&xlsx, true);
        let out = diming(
            db.url(),
            &["cemetery", "import-burials", xlsx.to_str().unwrap()],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("第 2 行「身份证号码」") && err.contains("文本"),
            "{err}"
        );
        write_xlsx(&xlsx, false);
        let out = diming(
            db.url(),
            &["cemetery", "import-burials", xlsx.to_str().unwrap()],
        );
        succeeded(&out);
        let registry = db.registry().await;
        assert_eq!(registry.current().count(Layer::Burial), before + 2);
        let (_, _, p) = plot(&registry, "A-11-1");
        assert_eq!(p.status, PlotStatus::Occupied);
        // Importing it again would put a second person into the single plots: refused whole.
        drop(registry);
        let out = diming(
            db.url(),
            &["cemetery", "import-burials", xlsx.to_str().unwrap()],
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("已满"));
        assert_eq!(
            db.registry().await.current().count(Layer::Burial),
            before + 2
        );
    }
);

both_stores!(
    one_subsidy_per_deceased_under_the_rule_in_force,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let site = Point::new(diming::demo::FUNERAL_HOME.0, diming::demo::FUNERAL_HOME.1);
        let (cremated, _) = registry
            .register_burial(
                "测试",
                burial("补贴甲", "2026-03-01", Disposition::Cremation, None),
                Some(site),
            )
            .await
            .unwrap();
        // 2026 rule: items capped (接运 680), total capped at 1,500.
        let (_, total) = registry
            .claim_subsidy(
                "测试",
                cremated,
                &[
                    ("遗体接运（50 公里以内）".into(), 900.0),
                    ("遗体火化".into(), 600.0),
                ],
                "家属",
                day("2026-03-10"),
            )
            .await
            .unwrap();
        assert_eq!(total, 128_000);
        let err = registry
            .claim_subsidy("测试", cremated, &[], "家属", day("2026-03-11"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("只能申领一次"), "{err}");
        let mut b = burial("补贴乙", "2026-03-02", Disposition::Burial, None);
        b.deceased.residence = "152501200200".into();
        let (buried, _) = registry
            .register_burial("测试", b, Some(Point::new(111.40, 43.30)))
            .await
            .unwrap();
        let err = registry
            .claim_subsidy("测试", buried, &[], "家属", day("2026-03-10"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不适用"), "{err}");
        let out = diming(db.url(), &["cemetery", "subsidies"]);
        succeeded(&out);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("2020\t2\t3620.00"), "{text}");
        assert!(text.contains("2026\t1\t1280.00"), "{text}");
    }
);

both_stores!(
    relocation_notices_hold_every_element_and_moves_link_grave_plot_and_burial,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        drop(registry);
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("告知书");
        let out = diming(
            db.url(),
            &[
                "notices",
                "relocation",
                "--graves",
                "SM-2020-071,SM-2020-072",
                "--deadline",
                "2027-03-31",
                "--issued",
                "2026-12-01",
                "--reason",
                "G208 国道拓宽工程",
                "--scope",
                "G208 国道 K12 至 K15 段两侧",
                "--contact",
                "二连浩特市民政局社会事务科，电话 0479-7512345",
                "-o",
                out_dir.to_str().unwrap(),
            ],
        );
        succeeded(&out);
        let files: Vec<String> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files.len(), 3, "{files:?}");
        let notice = out_dir.join("迁坟告知书-迁告〔2026〕001号.pdf");
        let text = pdf_text(&notice).split_whitespace().collect::<String>();
        for element in [
            "迁坟告知书",
            "依据",
            "《殡葬管理条例》",
            "事由",
            "G208国道拓宽工程",
            "范围",
            "G208国道K12至K15段两侧",
            "登记时间",
            "2026年12月04日至2027年03月25日",
            "迁移期限",
            "2027年03月31日",
            "安置去向",
            "二连浩特市公益性公墓",
            "补偿标准",
            "2000.00元",
            "须携带材料",
            "逾期处理",
            "无主坟墓",
            "联系方式",
            "0479-7512345",
            "二连浩特市民政局",
            "2026年12月01日",
            "坟墓位置示意图",
            "SM-2020-071",
            "签收人",
        ] {
            assert!(text.contains(element), "the notice lacks {element}: {text}");
        }
        // The figure is drawn by the print renderer at a true scale: its scale, its north
        // arrow and the grave labelled among the streets and the zones it lies in.
        assert!(text.contains("1:15000") && text.contains("北"), "{text}");
        assert!(
            text.contains("陶力嘎查居民点周边"),
            "the zone the grave lies in is named on the map: {text}"
        );
        let public = pdf_text(&out_dir.join("迁坟公告.pdf"))
            .split_whitespace()
            .collect::<String>();
        for element in [
            "迁坟公告",
            "共有坟墓2座",
            "迁移范围示意图",
            "SM-2020-071",
            "SM-2020-072",
            "逾期处理",
        ] {
            assert!(
                public.contains(element),
                "the public notice lacks {element}: {public}"
            );
        }
        // Tracking: delivered with a signature, registered, relocated into F-2-1, compensated.
        for (status, extra) in [
            ("delivered", vec!["--signed-by", "王建国"]),
            ("registered", vec![]),
        ] {
            let mut args = vec![
                "notices",
                "step",
                "迁告〔2026〕001号",
                "--status",
                status,
                "--date",
                "2026-12-05",
            ];
            args.extend(extra);
            succeeded(&diming(db.url(), &args));
        }
        let out = diming(
            db.url(),
            &[
                "notices",
                "step",
                "迁告〔2026〕002号",
                "--status",
                "unclaimed",
                "--date",
                "2027-01-01",
            ],
        );
        assert!(!out.status.success(), "not before the deadline");
        succeeded(&diming(
            db.url(),
            &[
                "notices",
                "relocate",
                "迁告〔2026〕001号",
                "--plot",
                "F-2-1",
                "--name",
                "王德明",
                "--died",
                "1998-11-02",
                "--residence",
                "152501200201",
                "--date",
                "2027-01-10",
            ],
        ));
        succeeded(&diming(
            db.url(),
            &[
                "notices",
                "step",
                "迁告〔2026〕001号",
                "--status",
                "compensated",
                "--amount",
                "2500",
                "--date",
                "2027-01-20",
            ],
        ));
        let registry = db.registry().await;
        let state = registry.current();
        let notice = state
            .layer(Layer::Notice)
            .find_map(|v| match &v.body {
                Body::Notice(n) if n.number == "迁告〔2026〕001号" => Some(n.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(notice.status, diming::cemetery::NoticeStatus::Compensated);
        assert_eq!(notice.compensation_fen, Some(250_000));
        let Some(Body::Grave(grave)) = state.get(&notice.grave).map(|v| &v.body) else {
            panic!()
        };
        assert_eq!(grave.moved_to, notice.plot);
        let Some(Body::Burial(b)) = grave.burial.and_then(|b| state.get(&b)).map(|v| &v.body)
        else {
            panic!()
        };
        assert_eq!(b.plot, notice.plot);
        assert_eq!(b.relocated_from, Some(notice.grave));
        let Some(Body::Plot(p)) = notice.plot.and_then(|p| state.get(&p)).map(|v| &v.body) else {
            panic!()
        };
        assert_eq!(p.number.to_string(), "F-2-1");
        assert_eq!(p.status, PlotStatus::RelocatedIn);
        // A relocation is not a death of 2027.
        assert_eq!(
            registry.cremation_stats(2027, 2027, By::Year).total.deaths,
            0
        );
    }
);

both_stores!(
    no_whole_id_number_leaves_the_burial_office,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let office = officer(&registry, "殡葬员", Role::BurialOfficer).await;
        let admin = officer(&registry, "管理员", Role::Admin).await;
        let names = officer(&registry, "地名员", Role::NamesOfficer).await;
        let (some_burial, whole) = {
            let state = registry.current();
            state
                .layer(Layer::Burial)
                .find_map(|v| match &v.body {
                    Body::Burial(b) => b
                        .deceased
                        .id_number
                        .as_ref()
                        .map(|n| (v.id, n.whole().unwrap().to_string())),
                    _ => None,
                })
                .unwrap()
        };
        let app = diming::web::app(std::sync::Arc::new(registry));
        let mut outputs: Vec<(String, String)> = Vec::new();
        for (who, token) in [
            ("admin", Some(admin.as_str())),
            ("office", Some(office.as_str())),
            ("public", None),
        ] {
            for uri in [
                "/api/layers/burials?limit=1000".to_string(),
                "/api/layers/graves?limit=1000".to_string(),
                format!("/api/records/{some_burial}/history"),
                "/ogc/collections/burials/items?limit=1000".to_string(),
                "/ogc/collections/plots/items?limit=100".to_string(),
                "/api/layers/burials/export?format=csv".to_string(),
                "/api/layers/burials/export?format=geojson".to_string(),
                format!("/records/{some_burial}"),
                "/cemetery".to_string(),
                "/graves?q=巴".to_string(),
                "/api/cemetery/stats".to_string(),
            ] {
                let r = send(&app, request("GET", &uri, token, None), None).await;
                outputs.push((format!("{who} {uri} {}", r.status.as_u16()), r.body));
            }
        }
        for (what, body) in &outputs {
            assert!(!contains_whole_id(body), "{what} shows a whole ID number");
        }
        // The office really did see its burials (masked), and the others did not see them.
        let seen = |who: &str| {
            outputs
                .iter()
                .find(|(w, _)| w.starts_with(&format!("{who} /api/layers/burials?")))
                .unwrap()
        };
        assert!(seen("office").0.ends_with("200") && seen("office").1.contains("********"));
        assert!(!seen("public").0.ends_with("200"));
        let r = send(
            &app,
            request("GET", "/api/layers/burials?limit=5", Some(&names), None),
            None,
        )
        .await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}",
            r.status
        );
        // The burial officer's own screen shows the whole number; the administrator's does not.
        let page = send(
            &app,
            request(
                "GET",
                &format!("/cemetery/burials/{some_burial}"),
                Some(&office),
                None,
            ),
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&whole));
        // Who saw it, when, which record: logged.
        let log = app_registry_state_log(&db).await;
        assert!(
            log.iter().any(|r| r.action == "personal_data"
                && r.user.as_deref() == Some("殡葬员")
                && r.target.contains(&some_burial.to_string())),
            "{log:?}"
        );
        let page = send(
            &app,
            request(
                "GET",
                &format!("/cemetery/burials/{some_burial}"),
                Some(&admin),
                None,
            ),
            None,
        )
        .await;
        assert!(!contains_whole_id(&page.body) && page.body.contains("********"));
        // The grave finder shows name and years, and nothing personal.
        let (name, year) = registry_burial_named(&db, "巴特尔").await;
        let r = send(
            &app,
            request("GET", &format!("/graves?q={name}&year={year}"), None, None),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("巴特尔（") && r.body.contains("id=\"found\""),
            "{}",
            r.body
        );
        // No masked number and no telephone number (11 digits from 1) in the page; the plan's
        // coordinates are decimals.
        let phone = r.body.as_bytes().windows(13).any(|w| {
            !w[0].is_ascii_digit()
                && w[1] == b'1'
                && w[2..12].iter().all(u8::is_ascii_digit)
                && !w[12].is_ascii_digit()
                && w[12] != b'.'
        });
        assert!(!r.body.contains("********") && !phone);

        // A masked number sent back with an edit keeps the stored number; a wrong one is refused.
        let item = send(
            &app,
            request(
                "GET",
                &format!("/api/records/{some_burial}"),
                Some(&office),
                None,
            ),
            None,
        )
        .await;
        assert_eq!(item.status, StatusCode::OK, "{}", item.body);
        let etag = item
            .headers
            .get("etag")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let mut feature = item.json();
        feature["properties"]["deceased"]["place_of_death"] = "二连浩特市医院".into();
        // What the server adds about the version is not the record's to write.
        for key in [
            "version",
            "valid_from",
            "valid_to",
            "recorded_at",
            "retired",
            "changeset",
        ] {
            feature["properties"].as_object_mut().unwrap().remove(key);
        }
        assert_eq!(
            feature["properties"]["deceased"]["id_number"]
                .as_str()
                .unwrap()
                .matches('*')
                .count(),
            8
        );
        let edit = serde_json::json!({"reason": "更正死亡地点", "feature": feature.clone()});
        let r = send(
            &app,
            request(
                "PUT",
                &format!("/api/records/{some_burial}"),
                Some(&office),
                Some(edit.clone()),
            )
            .header("if-match", &etag),
            Some(edit.clone()),
        )
        .await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        let state = app_registry_state(&db).await;
        let Body::Burial(b) = &state.get(&some_burial).unwrap().body else {
            panic!()
        };
        assert_eq!(
            b.deceased.id_number.as_ref().unwrap().whole(),
            Some(whole.as_str())
        );
        assert_eq!(b.deceased.place_of_death, "二连浩特市医院");
        let mut other = edit.clone();
        other["feature"]["properties"]["deceased"]["id_number"] = "110105********002X".into();
        let r = send(
            &app,
            request(
                "PUT",
                &format!("/api/records/{some_burial}"),
                Some(&office),
                Some(other.clone()),
            )
            .header("if-match", "\"2\""),
            Some(other),
        )
        .await;
        assert!(
            r.status.is_client_error() && r.body.contains("遮蔽形式"),
            "{} {}",
            r.status,
            r.body
        );

        // Notices and the statistics as PDF/CSV outputs: scanned too.
        let dir = tempfile::tempdir().unwrap();
        succeeded(&diming(
            db.url(),
            &[
                "notices",
                "relocation",
                "--zone",
                "village",
                "--deadline",
                "2027-03-31",
                "--contact",
                "民政局",
                "-o",
                dir.path().to_str().unwrap(),
            ],
        ));
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let text = pdf_text(&e.unwrap().path());
            assert!(!contains_whole_id(&text));
        }
        for args in [
            vec!["stats", "cremation", "--format", "json"],
            vec!["cemetery", "expiring", "--months", "24", "--format", "json"],
            vec!["notices", "list", "--format", "json"],
            vec!["cemetery", "find", "巴特尔"],
            vec!["cemetery", "graves", "--format", "json"],
        ] {
            let out = diming(db.url(), &args);
            succeeded(&out);
            assert!(
                !contains_whole_id(&String::from_utf8_lossy(&out.stdout)),
                "{args:?}"
            );
        }
        for (format, file) in [("geojson", "burials.geojson"), ("csv", "burials.csv")] {
            let export = dir.path().join(file);
            succeeded(&diming(
                db.url(),
                &[
                    "export",
                    "--layer",
                    "burials",
                    "--format",
                    format,
                    "-o",
                    export.to_str().unwrap(),
                ],
            ));
            let text = std::fs::read_to_string(&export).unwrap();
            assert!(
                text.contains("cremation") && text.contains("********"),
                "the export has the burials, their numbers masked: {text:.300}"
            );
            assert!(!contains_whole_id(&text), "{format} export");
        }
        // The backup keeps the whole number (it restores the registry exactly).
        let backup = dir.path().join("backup.jsonl");
        succeeded(&diming(
            db.url(),
            &["backup", "-o", backup.to_str().unwrap()],
        ));
        assert!(std::fs::read_to_string(&backup).unwrap().contains(&whole));
    }
);

async fn app_registry_state_log(db: &TestDb) -> Vec<diming::store::Refusal> {
    db.registry().await.store().refusals(50).await.unwrap()
}

async fn app_registry_state(db: &TestDb) -> diming::model::CurrentState {
    let registry = db.registry().await;
    let versions = registry.store().load_current().await.unwrap();
    diming::model::CurrentState::from_versions(versions)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statistics_page_draws_the_rate_and_names_the_ratio() {
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    load_demo(&registry).await;
    let token = officer(&registry, "殡葬员", Role::BurialOfficer).await;
    let app = diming::web::app(std::sync::Arc::new(registry));
    let r = call(
        &app,
        request(
            "GET",
            "/cemetery?from=2016&to=2020&reported=2016-2020:51.8%25;2020:44.4%25",
            Some(&token),
            None,
        )
        .body(axum::body::Body::empty())
        .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<svg") && r.body.contains("火化率（火化÷死亡"));
    assert!(r.body.contains("<b>34.1%</b>") && r.body.contains("<b>30.0%</b>"));
    assert!(r.body.contains("符合火化与土葬之比"));
    assert!(r.body.contains("与任何口径都不符"));
    assert!(r.body.contains("墓位面积超标"));
    let r = call(
        &app,
        request("GET", "/cemetery", None, None)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

both_stores!(
    plots_and_graves_in_a_disputed_area_are_counted_and_frozen,
    |db: TestDb| async move {
        use diming::boundaries::dispute::Party;
        let registry = db.registry().await;
        load_demo(&registry).await;
        // The sumu and the town both claim the ground of the public cemetery.
        let claim = || {
            diming::spatial::geojson::from_geo(&Geometry::MultiPolygon(MultiPolygon(vec![
                geo::Rect::new(
                    Coord {
                        x: 112.0295,
                        y: 43.5975,
                    },
                    Coord {
                        x: 112.0335,
                        y: 43.6000,
                    },
                )
                .to_polygon(),
            ])))
        };
        let parties = vec![
            Party {
                code: "152501200".into(),
                name: "格日勒敖都苏木".into(),
                claim: claim(),
            },
            Party {
                code: "152501400".into(),
                name: "二连浩特市社区建设管理局".into(),
                claim: claim(),
            },
        ];
        let (id, _) = registry
            .file_dispute("测试", "公墓用地争议", parties, vec![], day("2026-03-01"))
            .await
            .unwrap();
        let Some(Body::Dispute(d)) = registry.current().get(&id).map(|v| v.body.clone()) else {
            panic!()
        };
        assert!(d.contents.plots > 500, "{:?}", d.contents);
        // A grave surveyed inside the area waits for the decision, unless an officer says why.
        let grave = |number: &str| Write::Create {
            id: RecordId::new(),
            valid_from: day("2026-04-01"),
            body: Body::from(diming::cemetery::Grave {
                number: number.into(),
                kind: diming::cemetery::GraveKind::Ordinary,
                area_m2: None,
                buried: None,
                owner: None,
                owner_phone: None,
                zones: vec![],
                treatment: None,
                surveyed: day("2026-04-01"),
                moved_to: None,
                burial: None,
                photos: vec![],
                notes: String::new(),
                source: Source::Survey,
            }),
            geometry: Geometry::Point(Point::new(112.0300, 43.5990)),
        };
        let mut cs = Changeset::new("测试", "散坟登记");
        cs.push(grave("SM-2026-001"));
        let err = registry.commit(cs).await.unwrap_err();
        assert!(
            matches!(err, diming::registry::RegistryError::Frozen(_)),
            "{err}"
        );
        let mut cs =
            Changeset::new("测试", "散坟登记").with_freeze_override("迁坟工作需要，经双方同意");
        cs.push(grave("SM-2026-002"));
        registry.commit(cs).await.unwrap();
    }
);

both_stores!(
    fifty_officers_assign_plots_in_one_section_at_once,
    |db: TestDb| async move {
        let registry = std::sync::Arc::new(db.registry().await);
        let single = PlotKind {
            remains: Remains::Body,
            occupancy: Occupancy::Single,
        };
        small_cemetery(&registry, single).await;
        // Fifty officers at once, five for each of ten plots of row 1.
        let plots: Vec<RecordId> = (1..=10)
            .map(|n| plot(&registry, &format!("A-1-{n}")).0)
            .collect();
        let ok = race(
            &registry,
            (0..50)
                .map(|i| (plots[i % 10], Disposition::Burial))
                .collect(),
        )
        .await;
        assert_eq!(ok, 10, "one burial per single plot");
        {
            let state = registry.current();
            for p in &plots {
                let n = state
                    .layer(Layer::Burial)
                    .filter(|v| matches!(&v.body, Body::Burial(b) if b.plot == Some(*p)))
                    .count();
                assert_eq!(n, 1, "no plot assigned twice");
                assert!(
                    matches!(&state.get(p).unwrap().body, Body::Plot(pl) if pl.status == PlotStatus::Occupied)
                );
            }
        }
        // The store agrees with memory.
        let stored = registry.store().load_current().await.unwrap();
        let in_store = stored
            .iter()
            .filter(|v| matches!(&v.body, Body::Burial(b) if b.plot.is_some_and(|p| plots.contains(&p))))
            .count();
        assert_eq!(in_store, 10);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burial_keeps_the_search_index_and_a_new_name_enters_it() {
    use std::sync::Arc;
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    load_demo(&registry).await;
    let before = registry.search_index();
    // What the pages derive from the state is kept by the layers it reads: a burial changes
    // the deaths the statistics count, not the boundary check, the sign check or the names
    // audit; a new place changes those that read places only.
    let boundaries = registry.boundary_check().unwrap();
    let signs = registry.check_signs(None);
    let audit = registry.name_audit();
    let deaths = registry.deaths();
    assert!(
        Arc::ptr_eq(&deaths, &registry.deaths()),
        "kept between calls"
    );
    let site = Point::new(diming::demo::FUNERAL_HOME.0, diming::demo::FUNERAL_HOME.1);
    registry
        .register_burial(
            "测试",
            burial("索引", "2026-03-01", Disposition::Cremation, None),
            Some(site),
        )
        .await
        .unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&before, &registry.search_index()),
        "not rebuilt for a burial"
    );
    assert!(Arc::ptr_eq(
        &boundaries,
        &registry.boundary_check().unwrap()
    ));
    assert!(Arc::ptr_eq(&signs, &registry.check_signs(None)));
    assert!(Arc::ptr_eq(&audit, &registry.name_audit()));
    assert_eq!(registry.deaths().rows.len(), deaths.rows.len() + 1);
    let mut cs = Changeset::new("测试", "新地名");
    cs.document = Some(diming::record::ApprovalDocument {
        issuer: "二连浩特市人民政府".into(),
        number: "二政发〔2026〕5号".into(),
        date: day("2026-11-01"),
    });
    cs.push(Write::Create {
        id: RecordId::new(),
        valid_from: day("2026-11-01"),
        body: Body::from(diming::names::Place {
            name: "索引测试广场".into(),
            name_mn: None,
            category: diming::names::PlaceCategory::MemorialOrScenic,
            source: Source::Survey,
            naming: Default::default(),
        }),
        geometry: Geometry::Point(Point::new(111.97, 43.65)),
    });
    registry.commit(cs).await.unwrap();
    let after = registry.search_index();
    assert!(!std::sync::Arc::ptr_eq(&before, &after));
    assert!(Arc::ptr_eq(
        &boundaries,
        &registry.boundary_check().unwrap()
    ));
    assert!(!Arc::ptr_eq(&signs, &registry.check_signs(None)));
    assert!(!Arc::ptr_eq(&audit, &registry.name_audit()));
    let found = after.search("索引测试广场", None, 5);
    assert!(!found.is_empty());
}

both_stores!(
    personal_data_past_its_retention_leaves_the_record_and_its_history,
    |db: TestDb| async move {
        use diming::cemetery::personal::reveal;
        let registry = db.registry().await;
        load_demo(&registry).await;
        // 2048-06-01: the ID numbers of deaths before 2018-06-01 are past 30 years; the
        // contacts of graves moved in 2020, paid subsidies and plots whose period ended by
        // 2045 are past theirs.
        let on: NaiveDate = "2048-06-01".parse().unwrap();
        let cut: NaiveDate = "2018-06-01".parse().unwrap();
        let whole = |v: &diming::model::RecordVersion| match &v.body {
            Body::Burial(b) => b
                .deceased
                .id_number
                .as_ref()
                .is_some_and(|n| !n.is_masked()),
            _ => false,
        };
        // One expired burial gets a second version first, so its history holds the number twice.
        let (old, young) = {
            let state = registry.current();
            let mut burials: Vec<_> = state
                .layer(Layer::Burial)
                .filter(|v| whole(v))
                .cloned()
                .collect();
            burials.sort_by_key(|v| match &v.body {
                Body::Burial(b) => b.deceased.died,
                _ => unreachable!(),
            });
            (
                burials.first().unwrap().clone(),
                burials.last().unwrap().clone(),
            )
        };
        let mut body = old.body.clone();
        if let Body::Burial(b) = &mut body {
            b.deceased.place_of_death = "二连浩特市医院".into();
        }
        let mut cs = Changeset::new("测试", "补登死亡地点");
        cs.push(Write::Update {
            id: old.id,
            base_version: old.version,
            valid_from: old.valid_from,
            body,
            geometry: old.geometry.clone(),
        });
        registry.commit(cs).await.unwrap();

        // Listed first, nothing changes.
        let listed = registry.retention(on, false, "测试").await.unwrap();
        assert!(listed.changeset.is_none());
        let expired: std::collections::HashSet<RecordId> =
            listed.expired.iter().map(|e| e.id).collect();
        for layer in [Layer::Burial, Layer::Plot, Layer::Grave] {
            assert!(
                listed.expired.iter().any(|e| e.layer == layer),
                "nothing of {layer:?} expired"
            );
        }
        {
            let state = registry.current();
            for v in state.layer(Layer::Burial) {
                let Body::Burial(b) = &v.body else {
                    unreachable!()
                };
                let due = b.deceased.died <= cut && whole(v);
                assert_eq!(expired.contains(&v.id), due, "{}", b.deceased.died);
            }
            assert!(whole(state.get(&old.id).unwrap()));
        }

        // Applied: one changeset, and the earlier versions rewritten.
        let run = registry.retention(on, true, "测试").await.unwrap();
        assert!(run.changeset.is_some());
        assert!(run.versions_rewritten >= 2, "{}", run.versions_rewritten);
        for id in &expired {
            let history = registry.store().history(*id).await.unwrap();
            assert!(history.len() >= 2);
            let bodies: Vec<&Body> = history.iter().map(|v| &v.body).collect();
            let text = reveal(|| serde_json::to_string(&bodies)).unwrap();
            assert!(!contains_whole_id(&text), "{text}");
            for v in &history {
                match &v.body {
                    Body::Burial(b) => assert!(b.deceased.id_number.is_none()),
                    Body::Grave(g) => assert!(g.owner.is_none() && g.owner_phone.is_none()),
                    Body::SubsidyClaim(c) => assert!(c.claimant_phone.is_none()),
                    Body::Plot(p) => assert!(p.holder_phone.is_none()),
                    other => panic!("{other:?}"),
                }
            }
        }
        // Names and dates stay; what is not yet due keeps its number.
        {
            let state = registry.current();
            let Body::Burial(b) = &state.get(&old.id).unwrap().body else {
                unreachable!()
            };
            assert!(!b.deceased.name.is_empty());
            assert!(whole(state.get(&young.id).unwrap()));
        }
        let kept = registry.store().history(young.id).await.unwrap();
        let bodies: Vec<&Body> = kept.iter().map(|v| &v.body).collect();
        assert!(reveal(|| contains_whole_id(
            &serde_json::to_string(&bodies).unwrap()
        )));
        // The store is sound, a reopened registry sees the same, and a second run finds
        // nothing.
        let extent = registry.config().jurisdiction.extent;
        let v = registry.store().verify(&extent).await.unwrap();
        assert!(v.problems.is_empty(), "{:#?}", v.problems);
        let reopened = db.registry().await;
        assert!(!whole(reopened.current().get(&old.id).unwrap()));
        let again = registry.retention(on, true, "测试").await.unwrap();
        assert!(again.expired.is_empty() && again.changeset.is_none());
        assert_eq!(again.versions_rewritten, 0);
    }
);

/// A tile as the map asks for it, with the caller's token.
async fn tile_bytes(
    app: &axum::Router,
    uri: &str,
    token: Option<&str>,
) -> (StatusCode, axum::body::Bytes) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = request("GET", uri, token, None)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (
        status,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

/// Whether `text` holds a whole mainland mobile number (11 digits from 1, standing alone: not
/// part of a longer run of digits or letters, such as a record id).
fn contains_whole_phone(text: &str) -> bool {
    text.as_bytes()
        .split(|b| !b.is_ascii_alphanumeric())
        .any(|run| run.len() == 11 && run[0] == b'1' && run.iter().all(u8::is_ascii_digit))
}

both_stores!(
    no_tile_of_any_layer_carries_a_whole_id_or_phone_number,
    |db: TestDb| async move {
        use diming::spatial::tiles::tile_of;
        use geozero::mvt::{Message, Tile};
        let registry = db.registry().await;
        load_demo(&registry).await;
        let office = officer(&registry, "殡葬员", Role::BurialOfficer).await;
        let admin = officer(&registry, "管理员", Role::Admin).await;
        // The tiles over every plot, grave and burial of the demo, for the public, the burial
        // office (which may read every personal layer) and the administrator.
        let corners: Vec<Coord<f64>> = {
            let state = registry.current();
            [Layer::Plot, Layer::Grave, Layer::Burial]
                .iter()
                .flat_map(|l| state.layer(*l))
                .filter_map(|v| geo::BoundingRect::bounding_rect(&v.geometry))
                .flat_map(|r| [r.min(), r.max()])
                .collect()
        };
        let app = diming::web::app(std::sync::Arc::new(registry));
        let (mut tiles, mut strings) = (0, 0);
        let mut personal_features = 0;
        for z in [10u8, 13] {
            let xs: Vec<u32> = corners.iter().map(|c| tile_of(*c, z).0).collect();
            let ys: Vec<u32> = corners.iter().map(|c| tile_of(*c, z).1).collect();
            let (x0, x1) = (*xs.iter().min().unwrap(), *xs.iter().max().unwrap());
            let (y0, y1) = (*ys.iter().min().unwrap(), *ys.iter().max().unwrap());
            for layer in Layer::ALL {
                for token in [None, Some(office.as_str()), Some(admin.as_str())] {
                    for x in x0..=x1 {
                        for y in y0..=y1 {
                            let uri = format!("/tiles/{}/{z}/{x}/{y}.mvt", layer.table());
                            let (status, bytes) = tile_bytes(&app, &uri, token).await;
                            if status != StatusCode::OK {
                                continue;
                            }
                            let tile = Tile::decode(bytes.as_ref()).unwrap();
                            tiles += 1;
                            for l in &tile.layers {
                                if matches!(l.name.as_str(), "plots" | "graves" | "burials") {
                                    personal_features += l.features.len();
                                }
                                for v in &l.values {
                                    if let Some(s) = &v.string_value {
                                        strings += 1;
                                        assert!(
                                            !contains_whole_id(s) && !contains_whole_phone(s),
                                            "{uri}: {s}"
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // The scan saw the personal layers' tiles, not only empty ones.
        assert!(
            tiles > 50 && strings > 1000,
            "{tiles} tiles, {strings} strings"
        );
        assert!(personal_features > 0);
        assert!(contains_whole_phone("电话 13847901234。") && !contains_whole_phone("138****1234"));
    }
);

/// The whole name and year of death of a burial in the cemetery whose name contains `part`
/// (what the public grave finder asks for).
async fn registry_burial_named(db: &TestDb, part: &str) -> (String, i32) {
    use chrono::Datelike;
    app_registry_state(db)
        .await
        .layer(Layer::Burial)
        .find_map(|v| match &v.body {
            Body::Burial(b) if b.plot.is_some() && b.deceased.name.contains(part) => {
                Some((b.deceased.name.clone(), b.deceased.died.year()))
            }
            _ => None,
        })
        .expect("a burial of that name in the cemetery")
}
