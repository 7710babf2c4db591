//! The boundary check: hand-made units with a known gap, overlaps and a part outside their
//! parent (areas to 1 m²), unmatched edges, the real neighbour polygons, the registry.

use crate::support::{TestDb, diming, load_demo};
use diming::boundaries::check::{EdgeTolerance, Kind, check_polygons};
use diming::spatial::coverage::{self, Thresholds};
use diming::spatial::crs::Transformer;
use geo::{Geometry, LineString, Polygon};

/// A rectangle given in EPSG:4546 metres (east, north), stored as CGCS2000 lon/lat with its
/// edges densified every 10 m.
fn rect(w: f64, s: f64, e: f64, n: f64) -> Geometry<f64> {
    let t = Transformer::new("EPSG:4546", "EPSG:4490").unwrap();
    let corners = [(w, s), (e, s), (e, n), (w, n), (w, s)];
    let mut ring = Vec::new();
    for pair in corners.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let steps = ((x1 - x0).hypot(y1 - y0) / 10.0).ceil().max(1.0) as usize;
        for k in 0..steps {
            let f = k as f64 / steps as f64;
            ring.push(t.point(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f).unwrap());
        }
    }
    ring.push(ring[0]);
    Geometry::Polygon(Polygon::new(LineString::from(ring), vec![]))
}

fn area_of(findings: &[coverage::Finding], pick: impl Fn(&coverage::Problem) -> bool) -> f64 {
    findings
        .iter()
        .filter(|f| pick(&f.problem))
        .map(|f| f.area_m2)
        .sum()
}

#[test]
fn a_known_gap_overlaps_and_an_outside_part_are_measured_to_the_square_metre() {
    let (x, y) = (578_000.0, 4_834_000.0);
    let parent = rect(x, y, x + 1000.0, y + 1000.0);
    let children = vec![
        ("A".to_string(), rect(x, y, x + 500.0, y + 1000.0)),
        // A strip 2 m wide between A and B: a sliver gap.
        ("B".to_string(), rect(x + 502.0, y, x + 1000.0, y + 1000.0)),
        // C overlaps A and B and covers the top 100 m of the strip.
        (
            "C".to_string(),
            rect(x + 300.0, y + 900.0, x + 700.0, y + 1000.0),
        ),
        // D pokes 100 m out of the parent and overlaps B.
        ("D".to_string(), rect(x + 900.0, y, x + 1100.0, y + 50.0)),
    ];
    let f = coverage::check_tiling(&parent, &children, Thresholds::default()).unwrap();
    let near =
        |got: f64, want: f64| assert!((got - want).abs() < 1.0, "{got} m², expected {want} m²");
    near(area_of(&f, |p| matches!(p, coverage::Problem::Gap)), 1800.0);
    let gap = f
        .iter()
        .find(|f| matches!(f.problem, coverage::Problem::Gap))
        .unwrap();
    assert!(
        gap.sliver && (gap.width_m - 2.0).abs() < 0.02,
        "{}",
        gap.width_m
    );
    let overlap = |a: &str, b: &str| {
        area_of(
            &f,
            |p| matches!(p, coverage::Problem::Overlap { a: x, b: y } if x == a && y == b),
        )
    };
    near(overlap("A", "C"), 200.0 * 100.0);
    near(overlap("B", "C"), 198.0 * 100.0);
    near(overlap("B", "D"), 100.0 * 50.0);
    near(overlap("A", "B"), 0.0);
    near(
        area_of(
            &f,
            |p| matches!(p, coverage::Problem::OutsideParent { child } if child == "D"),
        ),
        100.0 * 50.0,
    );
    assert_eq!(f.len(), 5, "{f:#?}");
}

#[test]
fn neighbours_without_a_parent_show_gaps_holes_and_unmatched_edges() {
    let (x, y) = (578_000.0, 4_834_000.0);
    // Three neighbours around a 20 × 20 m hole; the third leaves a 3 m gap along the second.
    let units = vec![
        ("甲".to_string(), rect(x, y, x + 100.0, y + 300.0)),
        ("乙".to_string(), rect(x + 100.0, y, x + 200.0, y + 140.0)),
        (
            "丙".to_string(),
            rect(x + 100.0, y + 160.0, x + 200.0, y + 300.0),
        ),
        (
            "丁".to_string(),
            rect(x + 120.0, y + 140.0, x + 200.0, y + 160.0),
        ),
        ("戊".to_string(), rect(x + 203.0, y, x + 300.0, y + 300.0)),
    ];
    let report = check_polygons(&units, Thresholds::default(), EdgeTolerance::default()).unwrap();
    let kinds: Vec<Kind> = report.findings.iter().map(|f| f.kind).collect();
    let hole = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::Hole)
        .expect("the hole enclosed by 甲乙丙丁");
    assert!((hole.area_m2.unwrap() - 400.0).abs() < 1.0, "{hole:?}");
    let gap = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::GapBetween)
        .unwrap_or_else(|| panic!("the gap between 乙/丙/丁 and 戊: {kinds:?}"));
    assert!(gap.units.contains(&"戊".to_string()));
    assert!((gap.width_m.unwrap() - 3.0).abs() < 0.5, "{gap:?}");
    // The rectangles are densified every 10 m on their own: where 甲's and 乙's vertices
    // fall on the same line they coincide, so no unmatched edge is invented there.
    assert!(!kinds.contains(&Kind::Overlap), "{kinds:?}");
}

#[test]
fn a_vertex_on_a_neighbours_edge_but_not_its_vertex_is_an_unmatched_edge() {
    // Two squares sharing an edge; the left one has an extra vertex 0.5 m off the edge.
    let sq = |pts: Vec<(f64, f64)>| Geometry::Polygon(Polygon::new(LineString::from(pts), vec![]));
    let (a, b): (f64, f64) = (111.97, 43.65);
    let d = 0.001;
    let off = 0.5 / (111_320.0 * b.to_radians().cos());
    let left = sq(vec![
        (a - d, b),
        (a, b),
        (a - off, b + d / 2.0),
        (a, b + d),
        (a - d, b + d),
        (a - d, b),
    ]);
    let right = sq(vec![(a, b), (a + d, b), (a + d, b + d), (a, b + d), (a, b)]);
    let found = coverage::unmatched_edges(&[("左".into(), left), ("右".into(), right)], 50.0, 0.01);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].unit.as_str(), found[0].vertices), ("左", 1));
    assert!(
        (found[0].max_offset_m - 0.5).abs() < 0.01,
        "{}",
        found[0].max_offset_m
    );
}

#[tokio::test]
async fn the_real_neighbour_polygons_give_a_stable_plausible_report() {
    let db = TestDb::sqlite().await;
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/xilingol_neighbours_cgcs2000.geojson"
    );
    let out = diming(
        db.url(),
        &["boundaries", "check", "--input", file, "--format", "json"],
    );
    crate::support::succeeded(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["units"], 5);
    // The five polygons touch without overlapping (PostGIS and GDAL agree: shared area 0);
    // where 苏尼特左旗 meets 苏尼特右旗 in the south one vertex lies 20.5 m off its
    // neighbour's line.
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["kind"], "unmatched_edge");
    assert_eq!(
        findings[0]["units"],
        serde_json::json!(["苏尼特左旗", "苏尼特右旗"])
    );
    let offset = findings[0]["max_offset_m"].as_f64().unwrap();
    assert!((offset - 20.52).abs() < 0.05, "{offset}");
    // The same as GeoJSON for the map: a point where it is.
    let out = diming(
        db.url(),
        &[
            "boundaries",
            "check",
            "--input",
            file,
            "--format",
            "geojson",
        ],
    );
    let fc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = &fc["features"][0]["geometry"]["coordinates"][0];
    assert!((at[0].as_f64().unwrap() - 114.2649).abs() < 1e-3, "{at}");
    // A file that is not polygons is refused with its row.
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("p.geojson");
    std::fs::write(&points, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[111.9,43.6]}}]}"#).unwrap();
    let out = diming(
        db.url(),
        &["boundaries", "check", "--input", points.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是面"));
}

#[tokio::test]
async fn the_registry_check_reports_the_demos_t_junctions_only() {
    let db = TestDb::sqlite().await;
    load_demo(&db.registry().await).await;
    let out = diming(db.url(), &["boundaries", "check", "--format", "json"]);
    crate::support::succeeded(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The demo's units tile their parents (no gap, overlap or outside part over 1 m²); where
    // three township-level units meet, one's corner lies on the others' edges: T-junctions.
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["kind"], "unmatched_edge", "{f}");
        assert!(f["max_offset_m"].as_f64().unwrap() < 0.01, "{f}");
    }
    let communities = diming(
        db.url(),
        &[
            "boundaries",
            "check",
            "--level",
            "community",
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&communities.stdout).unwrap();
    assert_eq!(
        report["units"], 9,
        "8 communities and the border zone's virtual one"
    );
    let bad = diming(db.url(), &["boundaries", "check", "--level", "province"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("province"));
}

mod markers {
    use crate::support::{TestDb, both_stores, diming, load_demo};
    use diming::boundaries::check::{EdgeTolerance, Kind, check_registry};
    use diming::boundaries::marker::{MarkerState, Reference};
    use diming::model::{Body, Changeset, Write};
    use diming::record::{ApprovalDocument, RecordId};
    use diming::registry::RegistryError;
    use diming::spatial::coverage::Thresholds;
    use geo::{Geometry, Point};

    fn visit(at: Option<Point>, date: &str) -> diming::boundaries::marker::Visit {
        diming::boundaries::marker::Visit {
            at,
            state: MarkerState::Intact,
            notes: String::new(),
            photos: Vec::new(),
            date: date.parse().unwrap(),
        }
    }

    fn marker_body(
        registry: &diming::registry::Registry,
        number: &str,
    ) -> (
        RecordId,
        u32,
        diming::boundaries::marker::Marker,
        Geometry<f64>,
    ) {
        let state = registry.current();
        let v = state
            .get(&RecordId::derived(&format!("marker/{number}")))
            .expect("a demo marker");
        let Body::Marker(m) = &v.body else {
            unreachable!()
        };
        (v.id, v.version, (**m).clone(), v.geometry.clone())
    }

    both_stores!(
        markers_keep_their_registered_position_and_their_rules,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();

            // An observation 0.8 m off is an alert; the marker stays where it is registered.
            let (id, version, m, at) = marker_body(&registry, "JZ-005");
            let Geometry::Point(p) = at else {
                unreachable!()
            };
            let east = 0.8 / (111_320.0 * p.y().to_radians().cos());
            let (offset, alert, _) = registry
                .observe_marker(
                    "巴特尔",
                    "JZ-005",
                    visit(Some(Point::new(p.x() + east, p.y())), "2026-05-02"),
                )
                .await
                .unwrap();
            assert!((offset - 0.8).abs() < 0.01, "{offset}");
            assert!(alert);
            let (_, after, _, still) = marker_body(&registry, "JZ-005");
            assert_eq!((after, &still), (version, &Geometry::Point(p)));
            let (offset, alert, _) = registry
                .observe_marker(
                    "巴特尔",
                    "JZ-005",
                    visit(Some(Point::new(p.x() + east / 4.0, p.y())), "2026-05-03"),
                )
                .await
                .unwrap();
            assert!(offset < 0.5 && !alert);
            let missing = registry
                .observe_marker("巴特尔", "JZ-005", visit(None, "2026-05-03"))
                .await
                .unwrap_err();
            assert!(missing.to_string().contains("观测位置"), "{missing}");

            // Moving it needs a document.
            let moved = Geometry::Point(Point::new(p.x() + east, p.y()));
            let mut cs = Changeset::new("巴特尔", "恢复界桩");
            cs.push(Write::Update {
                id,
                base_version: version,
                valid_from: day("2026-05-10"),
                body: Body::from(m.clone()),
                geometry: moved.clone(),
            });
            let refused = registry.commit(cs.clone()).await.unwrap_err();
            assert!(
                matches!(&refused, RegistryError::Boundary(diming::boundaries::rules::Refusal::MarkerMovedWithoutDocument(n)) if n == "JZ-005")
                    && refused.to_string().contains("批准文件"),
                "{refused}"
            );
            let cs = cs.with_document(ApprovalDocument {
                issuer: "二连浩特市人民政府".into(),
                number: "二政字〔2026〕21号".into(),
                date: day("2026-05-08"),
            });
            registry.commit(cs).await.unwrap();
            assert_eq!(marker_body(&registry, "JZ-005").3, moved);

            // An incomplete entry and a number already used are refused.
            let mut short = m.clone();
            short.number = "JZ-101".into();
            short.references.truncate(2);
            let mut cs = Changeset::new("巴特尔", "新设界桩");
            cs.push(Write::Create {
                id: RecordId::new(),
                valid_from: day("2026-05-10"),
                body: Body::from(short),
                geometry: moved.clone(),
            });
            let refused = registry.commit(cs).await.unwrap_err();
            assert!(refused.to_string().contains("方位物"), "{refused}");
            let mut cs = Changeset::new("巴特尔", "新设界桩");
            cs.push(Write::Create {
                id: RecordId::new(),
                valid_from: day("2026-05-10"),
                body: Body::from(m.clone()),
                geometry: moved.clone(),
            });
            let refused = registry.commit(cs).await.unwrap_err();
            assert!(
                refused.to_string().contains("已被其他界桩使用"),
                "{refused}"
            );
        }
    );

    both_stores!(
        a_three_unit_junction_marker_must_stand_where_the_three_meet,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            let run = |r: &diming::registry::Registry| {
                check_registry(
                    &r.current(),
                    None,
                    Thresholds::default(),
                    EdgeTolerance::default(),
                    0.5,
                )
                .unwrap()
            };
            // The demo's junctions stand on the tripoints.
            assert!(
                !run(&registry)
                    .findings
                    .iter()
                    .any(|f| f.kind == Kind::MarkerOffLine)
            );
            // A new three-faced marker 30 m into the sumu from JZ-001's tripoint.
            let (_, _, mut m, at) = marker_body(&registry, "JZ-001");
            let Geometry::Point(p) = at else {
                unreachable!()
            };
            m.number = "JZ-102".into();
            m.references.push(Reference {
                object: "围栏拐角".into(),
                azimuth_deg: 10.0,
                distance_m: 12.0,
            });
            let off = Geometry::Point(Point::new(
                p.x() - 30.0 / (111_320.0 * p.y().to_radians().cos()),
                p.y(),
            ));
            let mut cs = Changeset::new("巴特尔", "新设界桩");
            cs.push(Write::Create {
                id: RecordId::new(),
                valid_from: "2026-05-10".parse().unwrap(),
                body: Body::from(m),
                geometry: off,
            });
            registry.commit(cs).await.unwrap();
            let report = run(&registry);
            let found: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.kind == Kind::MarkerOffLine)
                .collect();
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(found[0].message.contains("JZ-102"));
            let d = found[0].max_offset_m.unwrap();
            assert!((d - 30.0).abs() < 0.5, "{d}");
        }
    );

    #[tokio::test]
    async fn the_marker_register_shows_both_coordinate_forms_and_prints_its_forms() {
        let db = TestDb::sqlite().await;
        assert!(diming(db.url(), &["demo"]).status.success());
        let out = diming(db.url(), &["boundaries", "markers", "--format", "json"]);
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 8);
        let jz1 = &list[0];
        assert_eq!(jz1["number"], "JZ-001");
        assert_eq!(jz1["kind"], "three_faced");
        assert_eq!(jz1["units"].as_array().unwrap().len(), 3);
        // Gauss–Krüger with the zone number in front, checked against PROJ's own cs2cs.
        let cs2cs = std::process::Command::new("cs2cs")
            .args(["-f", "%.3f", "EPSG:4490", "EPSG:4525"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write as _;
                c.stdin.take().unwrap().write_all(b"43.675 111.965\n")?;
                c.wait_with_output()
            })
            .expect("cs2cs (proj-bin) is installed");
        let text = String::from_utf8(cs2cs.stdout).unwrap();
        let v: Vec<f64> = text
            .split_whitespace()
            .take(2)
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(
            (jz1["x"].as_f64().unwrap() - v[0]).abs() < 0.002,
            "{text} vs {jz1}"
        );
        assert!(
            (jz1["y"].as_f64().unwrap() - v[1]).abs() < 0.002,
            "{text} vs {jz1}"
        );
        assert!(jz1["y"].as_f64().unwrap() > 37_000_000.0);
        let jz4 = list.iter().find(|m| m["number"] == "JZ-004").unwrap();
        assert_eq!(jz4["last_observation"]["alert"], true);

        let dir = tempfile::tempdir().unwrap();
        let form = dir.path().join("form.pdf");
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "marker-form",
                "JZ-001",
                "-o",
                form.to_str().unwrap(),
            ],
        );
        crate::support::succeeded(&out);
        let text = crate::support::pdf_text(&form);
        assert!(
            text.contains("界桩登记表") && text.contains("JZ-001") && text.contains("输电线路杆塔"),
            "{text}"
        );
        assert!(
            text.contains(&format!("{:.3}", jz1["x"].as_f64().unwrap())),
            "{text}"
        );
        let table = dir.path().join("table.pdf");
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "marker-form",
                "--all",
                "--table",
                "-o",
                table.to_str().unwrap(),
            ],
        );
        assert!(out.status.success());
        let text = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&table)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            (1..=8).all(|i| text.contains(&format!("JZ-00{i}"))),
            "{text}"
        );
        // An observation with a photo; a joint inspection with its report; a joint meeting.
        let photo = dir.path().join("jz7.png");
        image::RgbImage::from_pixel(32, 24, image::Rgb([90, 90, 90]))
            .save(&photo)
            .unwrap();
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "observe",
                "JZ-007",
                "--at",
                "111.965,43.695",
                "--photo",
                photo.to_str().unwrap(),
            ],
        );
        crate::support::succeeded(&out);
        let not_photo = dir.path().join("x.png");
        std::fs::write(&not_photo, b"not a picture").unwrap();
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "observe",
                "JZ-007",
                "--at",
                "111.965,43.695",
                "--photo",
                not_photo.to_str().unwrap(),
            ],
        );
        assert!(!out.status.success());
        let report = dir.path().join("report.pdf");
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "inspect-line",
                "152501400",
                "152501200",
                "--date",
                "2026-11-20",
                "--inspector",
                "巴特尔",
                "--inspector",
                "张伟",
                "--finding",
                "JZ-004=偏离1.3米，待恢复",
                "--report",
                report.to_str().unwrap(),
            ],
        );
        crate::support::succeeded(&out);
        let text = crate::support::pdf_text(&report);
        assert!(
            text.contains("检查报告") && text.contains("待恢复") && text.contains("2031-11-20"),
            "{text}"
        );
        let agreement =
            diming::record::RecordId::derived("agreement/152501200/152501400").to_string();
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "agreement-meeting",
                &agreement,
                "--date",
                "2026-06-10",
                "--place",
                "民政局",
                "--summary",
                "商定续签",
            ],
        );
        crate::support::succeeded(&out);
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "marker-form",
                "JZ-404",
                "-o",
                table.to_str().unwrap(),
            ],
        );
        assert!(!out.status.success());
    }
}

mod disputes {
    use crate::support::{TestDb, both_stores, load_demo};
    use diming::boundaries::dispute::{DisputeStatus, Evidence, EvidenceKind, Party};
    use diming::model::{Body, Changeset, Write};
    use diming::record::{ApprovalDocument, RecordId};
    use diming::registry::RegistryError;
    use geo::{BooleanOps, Geometry, MultiPolygon, Point, Rect, coord};

    fn rect(w: f64, s: f64, e: f64, n: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            Rect::new(coord! {x: w, y: s}, coord! {x: e, y: n}).to_polygon(),
        ])
    }

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    fn doc(number: &str, date: &str) -> ApprovalDocument {
        ApprovalDocument {
            issuer: "锡林郭勒盟行政公署".into(),
            number: number.into(),
            date: day(date),
        }
    }

    fn plate_at(registry: &diming::registry::Registry, lon: f64, lat: f64) -> Changeset {
        // Each plate a number of its own (a street never has a number twice).
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(501);
        let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let street = RecordId::derived("street/环城西路");
        let mut cs = Changeset::new("王芳", "新增门牌");
        cs.push(Write::Create {
            id: RecordId::new(),
            valid_from: day("2026-06-01"),
            body: Body::from(diming::addresses::DoorPlate {
                street,
                number: number.to_string().parse().unwrap(),
                source: diming::record::Source::Survey,
                kind: Default::default(),
            }),
            geometry: Geometry::Point(Point::new(lon, lat)),
        });
        let _ = registry;
        cs
    }

    fn unit(registry: &diming::registry::Registry, code: &str) -> (RecordId, Geometry<f64>) {
        let state = registry.current();
        let v = state
            .layer(diming::model::Layer::AdminUnit)
            .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == code))
            .unwrap();
        (v.id, v.geometry.clone())
    }

    both_stores!(
        a_dispute_from_filing_to_decision_freezes_its_area_meanwhile,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            // The sumu claims a strip of the town's west edge, 0.004° wide.
            let sumu_claim = rect(111.930, 43.630, 111.939, 43.670);
            let (_, town_geometry) = unit(&registry, "152501400");
            let parties = vec![
                Party {
                    code: "152501200".into(),
                    name: "格日勒敖都苏木".into(),
                    claim: diming::spatial::geojson::from_geo(&Geometry::MultiPolygon(sumu_claim)),
                },
                Party {
                    code: "152501400".into(),
                    name: "二连浩特市社区建设管理局".into(),
                    claim: diming::spatial::geojson::from_geo(&town_geometry),
                },
            ];
            let evidence = vec![Evidence {
                party: "152501200".into(),
                kind: EvidenceKind::Map,
                title: "1985 年草场界线图".into(),
                date: None,
            }];
            let (id, _) = registry
                .file_dispute(
                    "巴特尔",
                    "苏木与城区西界争议",
                    parties,
                    evidence,
                    day("2026-03-01"),
                )
                .await
                .unwrap();
            let (dispute, area) = match registry
                .current()
                .get(&id)
                .map(|v| (v.body.clone(), v.geometry.clone()))
            {
                Some((Body::Dispute(d), g)) => (d, g),
                other => panic!("{other:?}"),
            };
            // 0.004° × 0.04° at 43.65°N: about 322 m × 4,448 m.
            assert!(
                (dispute.area_m2 - 1_432_000.0).abs() < 15_000.0,
                "{}",
                dispute.area_m2
            );
            assert!(
                dispute.contents.door_plates > 10,
                "环城西路's plates lie in the strip"
            );
            // 环城西路 runs through it, and the east–west streets start in it.
            assert!(dispute.contents.streets >= 1, "{:?}", dispute.contents);
            assert!(matches!(&area, Geometry::MultiPolygon(_)));

            // The map for the mediation meeting, drawn by the print renderer over the muted
            // street map: the scale bar is as long as the scale says.
            let (plan, data) = diming::publish::atlas::Atlas::new(
                &registry.current(),
                &registry.config().jurisdiction.name,
            )
            .dispute_map(
                id,
                diming::publish::map::Layout::named("A4-landscape").unwrap(),
                day("2026-03-02"),
            )
            .unwrap();
            let drawn = diming::publish::map::render(
                &plan,
                diming::publish::map::Style::named("dispute-map"),
                &data,
                &diming::publish::map::labels::Measure::load().unwrap(),
            );
            let svg = drawn.svg.clone();
            let attr = |marker: &str, name: &str| -> f64 {
                let at = svg.find(marker).unwrap();
                let key = format!(" {name}=\"");
                let i = at + svg[at..].find(&key).unwrap() + key.len();
                svg[i..i + svg[i..].find('"').unwrap()].parse().unwrap()
            };
            let scale = plan.scale;
            assert!(svg.contains(&diming::publish::map::scale_text(scale)));
            let (bar_m, bar_mm) = (
                attr("class=\"scale-bar\"", "data-metres"),
                attr("class=\"scale-bar\"", "width"),
            );
            // The bar is written to the ten-thousandth of a millimetre.
            assert!(
                (bar_mm * scale / 1000.0 - bar_m).abs() < 0.1,
                "{bar_m} m on {bar_mm} mm at 1:{scale}"
            );
            // The disputed area, both claims with their parties' names, the markers in the
            // frame with their numbers, the figures, and no label over another.
            assert!(svg.contains("id=\"disputed\""));
            assert!(
                svg.contains(">格日勒敖都苏木主张范围<"),
                "the legend names the claim"
            );
            assert!(
                drawn.labels.iter().any(|l| l.text == "格日勒敖都苏木主张"),
                "the claim is labelled on the map"
            );
            assert!(svg.contains("（争议区域图）") && svg.contains("争议面积："));
            let markers: Vec<_> = drawn
                .labels
                .iter()
                .filter(|l| l.text.starts_with("JZ-"))
                .map(|l| l.text.clone())
                .collect();
            assert!(
                !markers.is_empty(),
                "the markers near the strip are numbered"
            );
            for (i, a) in drawn.labels.iter().enumerate() {
                for b in &drawn.labels[i + 1..] {
                    assert!(
                        a.boxes
                            .iter()
                            .all(|x| b.boxes.iter().all(|y| !x.overlaps(y))),
                        "{} / {}",
                        a.text,
                        b.text
                    );
                }
            }
            let png = diming::publish::raster::svg_to_png(&svg, 1200).unwrap();
            let img = image::load_from_memory(&png).unwrap().to_rgb8();
            let red = img
                .pixels()
                .filter(|p| p.0[0] > 170 && p.0[1] < 90 && p.0[2] < 80)
                .count();
            assert!(red > 200, "the disputed area is drawn ({red} red pixels)");

            // Frozen: a new plate inside the strip is refused, one outside is not.
            let inside = registry
                .commit(plate_at(&registry, 111.9375, 43.650))
                .await
                .unwrap_err();
            assert!(
                matches!(&inside, RegistryError::Frozen(t) if t.contains("苏木与城区西界争议")),
                "{inside}"
            );
            registry
                .commit(plate_at(&registry, 111.9600, 43.650))
                .await
                .unwrap();
            // An officer may override with a reason, which is recorded.
            let cs = plate_at(&registry, 111.9375, 43.651)
                .with_freeze_override("危房抢险安置，须立即编号");
            let cid = registry.commit(cs).await.unwrap();
            let summary = registry.store().changeset(cid).await.unwrap().unwrap();
            assert!(
                summary.reason.contains("危房抢险安置"),
                "{}",
                summary.reason
            );

            // Consultation, then up to the common superior and its mediation, with documents.
            let step = |v: u32, to: DisputeStatus, date: &str, doc: Option<ApprovalDocument>| {
                let date = day(date);
                let registry = &registry;
                async move {
                    let step = diming::boundaries::dispute::Step {
                        status: to,
                        date,
                        document: doc,
                        note: String::new(),
                    };
                    registry.dispute_step("巴特尔", id, v, step).await
                }
            };
            step(1, DisputeStatus::Consultation, "2026-03-10", None)
                .await
                .unwrap();
            let no_doc = step(2, DisputeStatus::Submitted, "2026-04-01", None)
                .await
                .unwrap_err();
            assert!(no_doc.to_string().contains("须附文件"), "{no_doc}");
            step(
                2,
                DisputeStatus::Submitted,
                "2026-04-01",
                Some(doc("二政函〔2026〕8号", "2026-03-30")),
            )
            .await
            .unwrap();
            step(
                3,
                DisputeStatus::Mediation,
                "2026-05-01",
                Some(doc("锡署函〔2026〕12号", "2026-04-28")),
            )
            .await
            .unwrap();

            // The decision gives the western 0.001° to the sumu: one changeset.
            let given = rect(111.935, 43.625, 111.936, 43.675);
            let (sumu_id, sumu) = unit(&registry, "152501200");
            let (town_id, town) = unit(&registry, "152501400");
            let as_mp = |g: Geometry<f64>| diming::spatial::geojson::as_multipolygon(g).unwrap();
            let sumu_new = Geometry::MultiPolygon(as_mp(sumu).union(&given));
            let town_new = Geometry::MultiPolygon(as_mp(town.clone()).difference(&given));
            let decided = registry
                .decide_dispute(
                    "巴特尔",
                    id,
                    4,
                    vec![
                        ("152501200".into(), sumu_new.clone()),
                        ("152501400".into(), town_new.clone()),
                    ],
                    doc("锡署发〔2026〕30号", "2026-09-01"),
                    day("2026-09-01"),
                )
                .await
                .unwrap();
            {
                let state = registry.current();
                assert!(
                    matches!(&state.get(&id).unwrap().body, Body::Dispute(d) if d.status == DisputeStatus::Decided && d.steps.len() == 5)
                );
                assert_eq!(state.get(&town_id).unwrap().geometry, town_new);
                assert_eq!(state.get(&sumu_id).unwrap().geometry, sumu_new);
            }
            // The history shows the line before and after, in the decision's changeset.
            let history = registry.history(town_id).await.unwrap();
            let last = history.last().unwrap();
            assert_eq!(
                (last.changeset, &history[history.len() - 2].geometry),
                (decided, &town)
            );
            // The freeze is lifted.
            registry
                .commit(plate_at(&registry, 111.9375, 43.652))
                .await
                .unwrap();
        }
    );

    both_stores!(
        a_boundary_officer_moves_a_dispute_on_from_the_web_and_downloads_its_map,
        |db: TestDb| async move {
            use crate::support::{officer, request, send};
            let registry = db.registry().await;
            load_demo(&registry).await;
            let (_, town_geometry) = unit(&registry, "152501400");
            let parties = vec![
                Party {
                    code: "152501200".into(),
                    name: "格日勒敖都苏木".into(),
                    claim: diming::spatial::geojson::from_geo(&Geometry::MultiPolygon(rect(
                        111.930, 43.630, 111.939, 43.670,
                    ))),
                },
                Party {
                    code: "152501400".into(),
                    name: "二连浩特市社区建设管理局".into(),
                    claim: diming::spatial::geojson::from_geo(&town_geometry),
                },
            ];
            let (id, _) = registry
                .file_dispute("巴特尔", "西界争议", parties, Vec::new(), day("2026-03-01"))
                .await
                .unwrap();
            let boundary =
                officer(&registry, "巴特尔", diming::accounts::Role::BoundaryOfficer).await;
            let burial = officer(&registry, "萨仁", diming::accounts::Role::BurialOfficer).await;
            let app = diming::web::app(std::sync::Arc::new(registry));
            let uri = format!("/api/disputes/{id}/steps");
            let post = |token: &str, body: serde_json::Value, version: Option<&str>| {
                let mut b = request("POST", &uri, Some(token), Some(body.clone()));
                if let Some(v) = version {
                    b = b.header("If-Match", v);
                }
                (b, body)
            };
            let consult = serde_json::json!({ "status": "consultation", "date": "2026-03-10", "note": "双方同意协商" });
            // No If-Match: 428; not a boundary officer: 403; nothing changes.
            let (b, body) = post(&boundary, consult.clone(), None);
            assert_eq!(send(&app, b, Some(body)).await.status.as_u16(), 428);
            let (b, body) = post(&burial, consult.clone(), Some("\"1\""));
            assert_eq!(send(&app, b, Some(body)).await.status.as_u16(), 403);
            let (b, body) = post(&boundary, consult.clone(), Some("\"1\""));
            let r = send(&app, b, Some(body)).await;
            assert_eq!(r.status.as_u16(), 201, "{}", r.body);
            assert_eq!(r.json()["status"], "consultation");
            // The same step on the old version: 412.
            let (b, body) = post(&boundary, consult, Some("\"1\""));
            assert_eq!(send(&app, b, Some(body)).await.status.as_u16(), 412);
            // Submitting to the common superior needs its document.
            let submit = serde_json::json!({ "status": "submitted", "date": "2026-04-01" });
            let (b, body) = post(&boundary, submit, Some("\"2\""));
            let r = send(&app, b, Some(body)).await;
            assert_eq!(r.status.as_u16(), 422, "{}", r.body);
            assert!(
                r.body.contains("文书") || r.body.contains("文件"),
                "{}",
                r.body
            );
            let submit = serde_json::json!({ "status": "submitted", "date": "2026-04-01",
                "document": { "issuer": "二连浩特市人民政府", "number": "二政报〔2026〕8号", "date": "2026-04-01" } });
            let (b, body) = post(&boundary, submit, Some("\"2\""));
            let r = send(&app, b, Some(body)).await;
            assert_eq!(r.status.as_u16(), 201, "{}", r.body);
            // Skipping a step is refused.
            let back = serde_json::json!({ "status": "consultation", "date": "2026-04-02" });
            let (b, body) = post(&boundary, back, Some("\"3\""));
            assert_eq!(send(&app, b, Some(body)).await.status.as_u16(), 422);
            // The page offers the next steps; the map downloads as a PDF.
            let page = send(
                &app,
                request("GET", "/boundaries", Some(&boundary), None),
                None,
            )
            .await;
            assert!(
                page.body.contains("class=\"dispute-step\"")
                    && page.body.contains(">上级调解</option>"),
                "{}",
                page.body
            );
            let map = send(
                &app,
                request(
                    "GET",
                    &format!("/api/disputes/{id}/map.pdf?layout=A3-landscape"),
                    Some(&boundary),
                    None,
                ),
                None,
            )
            .await;
            assert_eq!(map.status.as_u16(), 200);
            assert_eq!(map.headers["content-type"], "application/pdf");
            let missing = send(
                &app,
                request(
                    "GET",
                    &format!("/api/disputes/{}/map.pdf", RecordId::new()),
                    Some(&boundary),
                    None,
                ),
                None,
            )
            .await;
            assert_eq!(missing.status.as_u16(), 404);
            let public = send(
                &app,
                request("GET", &format!("/api/disputes/{id}/map.pdf"), None, None),
                None,
            )
            .await;
            assert_eq!(public.status.as_u16(), 404, "disputes are for officers");
        }
    );

    both_stores!(
        a_boundary_officer_files_a_dispute_from_claims_drawn_on_the_map,
        |db: TestDb| async move {
            use crate::support::{officer, request, send};
            use serde_json::json;
            let registry = db.registry().await;
            load_demo(&registry).await;
            let boundary =
                officer(&registry, "巴特尔", diming::accounts::Role::BoundaryOfficer).await;
            let names = officer(&registry, "王芳", diming::accounts::Role::NamesOfficer).await;
            let (_, town) = unit(&registry, "152501400");
            let before = registry.current().count(diming::model::Layer::Dispute);
            let registry = std::sync::Arc::new(registry);
            let app = diming::web::app(registry.clone());
            // A polygon as the page sends it (clicked vertices, closed).
            let drawn = json!({ "type": "Polygon", "coordinates": [[
                [111.930, 43.630], [111.939, 43.630], [111.939, 43.670], [111.930, 43.670], [111.930, 43.630]
            ]] });
            let body = |parties: serde_json::Value, evidence: serde_json::Value| {
                json!({
                    "title": "西界争议", "filed": "2026-03-01", "parties": parties, "evidence": evidence,
                })
            };
            let good = body(
                json!([
                    { "code": "152501200", "claim": drawn },
                    { "code": "152501400", "claim": diming::spatial::geojson::from_geo(&town) },
                ]),
                json!([{ "party": "152501200", "kind": "map", "title": "1987年勘界图" }]),
            );
            let post = |token: String, body: serde_json::Value| {
                let app = app.clone();
                async move {
                    send(
                        &app,
                        request("POST", "/api/disputes", Some(&token), Some(body.clone())),
                        Some(body),
                    )
                    .await
                }
            };
            // A names officer may not; the public is not logged in.
            assert_eq!(post(names.clone(), good.clone()).await.status.as_u16(), 403);
            // What is wrong is named, and nothing is filed.
            let cases = [
                (
                    json!([{ "code": "152501200", "claim": drawn }]),
                    json!([]),
                    "parties",
                ),
                (
                    json!([{ "code": "152501999", "claim": drawn }, { "code": "152501400", "claim": drawn }]),
                    json!([]),
                    "parties[0].code",
                ),
                (
                    json!([{ "code": "152501200", "claim": { "type": "Polygon", "coordinates": [[[116.4, 39.9], [116.5, 39.9], [116.5, 40.0], [116.4, 39.9]]] } },
                        { "code": "152501400", "claim": drawn }]),
                    json!([]),
                    "parties[0].claim",
                ),
                (
                    json!([{ "code": "152501200", "claim": { "type": "Polygon", "coordinates": [[[111.93, 43.63], [111.94, 43.64], [111.94, 43.63], [111.93, 43.64], [111.93, 43.63]]] } },
                        { "code": "152501400", "claim": drawn }]),
                    json!([]),
                    "parties[0].claim",
                ),
                (
                    json!([{ "code": "152501200", "claim": drawn }, { "code": "152501400", "claim": diming::spatial::geojson::from_geo(&town) }]),
                    json!([{ "party": "152501100", "kind": "map", "title": "图" }]),
                    "evidence[0].party",
                ),
            ];
            for (parties, evidence, field) in cases {
                let r = post(boundary.clone(), body(parties, evidence)).await;
                assert_eq!(r.status.as_u16(), 400, "{}", r.body);
                assert_eq!(r.json()["field"], field, "{}", r.body);
            }
            // Claims that do not overlap: no disputed area.
            let apart = json!({ "type": "Polygon", "coordinates": [[
                [111.70, 43.40], [111.71, 43.40], [111.71, 43.41], [111.70, 43.40]
            ]] });
            let r = post(boundary.clone(), body(json!([{ "code": "152501200", "claim": drawn }, { "code": "152501400", "claim": apart }]), json!([]))).await;
            assert_eq!(r.status.as_u16(), 422, "{}", r.body);
            assert!(r.body.contains("没有重叠"), "{}", r.body);
            assert_eq!(
                registry.current().count(diming::model::Layer::Dispute),
                before
            );

            // Filed: the area between the claims, frozen.
            let r = post(boundary.clone(), good).await;
            assert_eq!(r.status.as_u16(), 201, "{}", r.body);
            let answer = r.json();
            let id: RecordId = answer["id"].as_str().unwrap().parse().unwrap();
            let area = answer["area_m2"].as_f64().unwrap();
            assert!(area > 1000.0, "{area}");
            let Body::Dispute(d) = registry.current().get(&id).unwrap().body.clone() else {
                panic!()
            };
            assert_eq!(d.parties.len(), 2);
            assert_eq!(d.parties[0].name, "格日勒敖都苏木");
            assert_eq!(d.evidence.len(), 1);
            assert!((d.area_m2 - area).abs() < 1e-6);
            assert!(d.status.is_open());
            // The page draws each party's claim and offers the form.
            let page = send(
                &app,
                request("GET", "/boundaries", Some(&boundary), None),
                None,
            )
            .await;
            assert!(page.body.contains("id=\"file-dispute\""), "{}", page.body);
            assert!(page.body.contains("&quot;claims&quot;") || page.body.contains("\"claims\""));
            assert!(page.body.contains("格日勒敖都苏木"));
        }
    );
}

mod lines {
    use crate::support::{TestDb, both_stores, load_demo};
    use diming::boundaries::line::{InspectionFinding, LegalStatus, LineInspection};
    use diming::model::{Body, Changeset, Layer, Write};
    use diming::record::{ApprovalDocument, RecordId};
    use diming::registry::RegistryError;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    both_stores!(
        lines_are_derived_from_shared_edges_and_fall_due_for_inspection,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            let (lines, agreed) = {
                let state = registry.current();
                let lines: Vec<_> = state
                    .layer(Layer::BoundaryLine)
                    .filter_map(|v| match &v.body {
                        Body::BoundaryLine(l) => Some(l.clone()),
                        _ => None,
                    })
                    .collect();
                let agreed = lines
                    .iter()
                    .filter(|l| l.legal == LegalStatus::Agreed)
                    .count();
                (lines, agreed)
            };
            // 3 among the township-level units, 10 among the communities, 4 among the 嘎查.
            assert_eq!(lines.len(), 17);
            assert_eq!(agreed, 3);
            let town_sumu = lines
                .iter()
                .find(|l| l.pair() == ("152501200".into(), "152501400".into()))
                .unwrap();
            // The town's west, south and part of its north edge (6.4 + 5.6 + … km).
            assert!(
                town_sumu.length_m > 15_000.0 && town_sumu.length_m < 25_000.0,
                "{}",
                town_sumu.length_m
            );
            // Deriving again from unchanged units changes nothing.
            assert_eq!(
                registry
                    .derive_lines("巴特尔", day("2026-11-29"))
                    .await
                    .unwrap(),
                0
            );

            let today = day("2026-11-29");
            let horizon = day("2027-02-27");
            let due = diming::registry::boundaries::due(&registry.current(), today, horizon);
            assert!(
                due.iter()
                    .any(|d| d.what.contains("平安边界协议") && d.overdue)
            );
            let inspections_due = |list: &[diming::registry::boundaries::Due]| {
                list.iter()
                    .filter(|d| d.what.contains("格日勒敖都苏木—二连浩特市社区建设管理局"))
                    .count()
            };
            assert_eq!(inspections_due(&due), 1);

            // A joint inspection sets the line's date and the next one five years on.
            let inspection = LineInspection {
                line: RecordId::derived("unused"),
                date: day("2026-11-20"),
                inspectors: vec!["巴特尔".into(), "张伟".into()],
                findings: vec![InspectionFinding {
                    at: "JZ-004".into(),
                    finding: "偏离 1.3 米，待恢复".into(),
                }],
                photos: vec![],
                source: diming::record::Source::Survey,
            };
            let id = registry
                .inspect_line("巴特尔", "152501400", "152501200", inspection)
                .await
                .unwrap();
            let due = diming::registry::boundaries::due(&registry.current(), today, horizon);
            assert_eq!(inspections_due(&due), 0);
            let state = registry.current();
            let Body::LineInspection(i) = &state.get(&id).unwrap().body else {
                unreachable!()
            };
            let Body::BoundaryLine(l) = &state.get(&i.line).unwrap().body else {
                unreachable!()
            };
            assert_eq!(l.next_inspection(), day("2031-11-20"));
        }
    );

    both_stores!(
        the_citys_outer_border_changes_only_with_a_document,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            let city = {
                let state = registry.current();
                state
                    .layer(Layer::AdminUnit)
                    .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == "152501"))
                    .unwrap()
                    .clone()
            };
            let moved = {
                use geo::Translate;
                city.geometry.translate(0.0001, 0.0)
            };
            let write = Write::Update {
                id: city.id,
                base_version: city.version,
                valid_from: day("2026-12-01"),
                body: city.body.clone(),
                geometry: moved,
            };
            let mut cs = Changeset::new("巴特尔", "修改市界");
            cs.push(write.clone());
            let refused = registry.commit(cs.clone()).await.unwrap_err();
            assert!(
                matches!(
                    &refused,
                    RegistryError::Boundary(
                        diming::boundaries::rules::Refusal::OuterBorderWithoutDocument(_)
                    )
                ) && refused.to_string().contains("上级批准文件"),
                "{refused}"
            );
            // A new name alone is no border change.
            let mut renamed = city.body.clone();
            if let Body::AdminUnit(u) = &mut renamed {
                u.naming.meaning = Some("以二连盐池得名".into());
            }
            let mut names = Changeset::new("巴特尔", "补充地名含义");
            names.push(Write::Update {
                id: city.id,
                base_version: city.version,
                valid_from: day("2026-12-01"),
                body: renamed,
                geometry: city.geometry.clone(),
            });
            registry.commit(names).await.unwrap();
            // With the higher authority's document the border moves.
            let version = registry.current().get(&city.id).unwrap().version;
            let mut cs = cs;
            if let Write::Update { base_version, .. } = &mut cs.writes[0] {
                *base_version = version;
            }
            let cs = cs.with_document(ApprovalDocument {
                issuer: "内蒙古自治区人民政府".into(),
                number: "内政字〔2026〕88号（示例）".into(),
                date: day("2026-11-25"),
            });
            registry.commit(cs).await.unwrap();
            // Abolishing a unit (or merging it) needs its document too.
            let xicheng = {
                let state = registry.current();
                state
                    .layer(Layer::AdminUnit)
                    .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == "152501400008"))
                    .unwrap()
                    .clone()
            };
            let mut abolish = Changeset::new("巴特尔", "撤销西城社区");
            abolish.push(Write::Retire {
                id: xicheng.id,
                base_version: xicheng.version,
                valid_from: day("2026-12-01"),
            });
            let refused = registry.commit(abolish).await.unwrap_err();
            assert!(
                refused.to_string().contains("撤销或合并须附批准文件"),
                "{refused}"
            );
        }
    );
}

mod repairs {
    use crate::support::{TestDb, both_stores, load_demo};
    use diming::model::{Body, Changeset, Layer, Write};
    use diming::record::ApprovalDocument;
    use geo::{BooleanOps, Geometry, MultiPolygon, Rect, coord};

    both_stores!(
        a_gap_is_proposed_to_a_neighbour_and_closed_only_when_accepted,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            assert!(
                registry.repair_proposals().unwrap().is_empty(),
                "the demo tiles"
            );
            // 西城 loses a strip 0.0002° wide along its east edge: a gap in the town.
            let xicheng = {
                let state = registry.current();
                state
                    .layer(Layer::AdminUnit)
                    .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == "152501400008"))
                    .unwrap()
                    .clone()
            };
            let r = geo::BoundingRect::bounding_rect(&xicheng.geometry).unwrap();
            let strip = MultiPolygon(vec![
                Rect::new(
                    coord! {x: r.max().x - 0.0002, y: r.min().y},
                    coord! {x: r.max().x, y: r.max().y},
                )
                .to_polygon(),
            ]);
            let shrunk = diming::spatial::geojson::as_multipolygon(xicheng.geometry.clone())
                .unwrap()
                .difference(&strip);
            let mut cs = Changeset::new("巴特尔", "测试：西城社区东界内移");
            cs.push(Write::Update {
                id: xicheng.id,
                base_version: xicheng.version,
                valid_from: "2026-12-01".parse().unwrap(),
                body: xicheng.body.clone(),
                geometry: Geometry::MultiPolygon(shrunk),
            });
            registry.commit(cs).await.unwrap();

            let proposals = registry.repair_proposals().unwrap();
            assert_eq!(
                proposals.len(),
                1,
                "{:?}",
                proposals.iter().map(|p| &p.description).collect::<Vec<_>>()
            );
            assert!(
                proposals[0].description.contains("空隙并入"),
                "{}",
                proposals[0].description
            );
            // 0.0002° × 0.025° at 43.66°N ≈ 16.1 m × 2,783 m.
            assert!(
                (proposals[0].area_m2 - 44_800.0).abs() < 1_000.0,
                "{}",
                proposals[0].area_m2
            );
            let document = ApprovalDocument {
                issuer: "二连浩特市人民政府".into(),
                number: "二政字〔2026〕40号（测试）".into(),
                date: "2026-12-01".parse().unwrap(),
            };
            let wrong = registry
                .accept_repair("巴特尔", 2, document.clone(), "2026-12-02".parse().unwrap())
                .await
                .unwrap_err();
            assert!(wrong.to_string().contains("没有第 2 号"), "{wrong}");
            let cs = registry
                .accept_repair("巴特尔", 1, document, "2026-12-02".parse().unwrap())
                .await
                .unwrap();
            assert!(
                registry.repair_proposals().unwrap().is_empty(),
                "the gap is closed"
            );
            let summary = registry.store().changeset(cs).await.unwrap().unwrap();
            assert!(summary.document.is_some() && summary.reason.contains("接受界线修复建议"));
        }
    );
}

mod page {
    use crate::support::{TestDb, load_demo, officer, request, send};
    use axum::http::StatusCode;
    use diming::accounts::Role;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_boundary_page_shows_lines_markers_and_what_is_due() {
        let db = TestDb::sqlite().await;
        let registry = std::sync::Arc::new(db.registry().await);
        load_demo(&registry).await;
        let token = officer(&registry, "bateer", Role::BoundaryOfficer).await;
        let app = diming::web::app(registry.clone());
        let public = send(&app, request("GET", "/boundaries", None, None), None).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public.body.contains("JZ-001") && public.body.contains("37577820.393"),
            "GK with zone number"
        );
        // The agreement's renewal (2026-06-01) is overdue by the time of any run after it.
        assert!(public.body.contains("平安边界协议") && public.body.contains("已逾期"));
        assert!(
            !public.body.contains("id=\"disputes\""),
            "disputes are internal"
        );
        assert!(
            !public.body.contains("偏离 1.30 米"),
            "observations are internal"
        );
        let page = send(
            &app,
            request("GET", "/boundaries", Some(&token), None),
            None,
        )
        .await;
        assert!(
            page.body.contains("id=\"disputes\"") && page.body.contains("偏离 1.30 米"),
            "{}",
            page.body
        );
        let check = send(
            &app,
            request("GET", "/api/boundaries/check", None, None),
            None,
        )
        .await
        .json();
        assert_eq!(check["type"], "FeatureCollection");
        assert!(
            check["features"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["properties"]["kind"] == "unmatched_edge")
        );
    }
}

mod line_claims {
    use crate::support::{TestDb, diming};

    #[tokio::test]
    async fn two_parties_claiming_lines_dispute_the_land_between_them() {
        let db = TestDb::sqlite().await;
        assert!(diming(db.url(), &["demo"]).status.success());
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, coords: &str| {
            let path = dir.path().join(name);
            std::fs::write(
                &path,
                format!(r#"{{"type":"LineString","coordinates":{coords}}}"#),
            )
            .unwrap();
            path.to_str().unwrap().to_string()
        };
        // The town holds the present west edge; the sumu a line bent 0.002° into the town.
        let town = write("town.geojson", "[[111.935,43.63],[111.935,43.67]]");
        let sumu = write(
            "sumu.geojson",
            "[[111.935,43.67],[111.937,43.65],[111.935,43.63]]",
        );
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "dispute",
                "file",
                "--title",
                "西界线之争",
                "--party",
                &format!("152501400={town}"),
                "--party",
                &format!("152501200={sumu}"),
                "--date",
                "2026-03-01",
            ],
        );
        crate::support::succeeded(&out);
        let list =
            String::from_utf8(diming(db.url(), &["boundaries", "dispute", "list"]).stdout).unwrap();
        // A triangle 0.002° × 0.04° / 2 at 43.65°N: about 161 m × 4,448 m / 2 ≈ 358,000 m².
        let area: f64 = list
            .split('\t')
            .find(|f| f.contains("平方米"))
            .and_then(|f| f.split(' ').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!((area - 358_000.0).abs() < 6_000.0, "{list}");
        let id = list.split('\t').next().unwrap();
        let map = dir.path().join("map.svg");
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "dispute",
                "map",
                id,
                "-o",
                map.to_str().unwrap(),
            ],
        );
        crate::support::succeeded(&out);
        let svg = std::fs::read_to_string(&map).unwrap();
        assert!(svg.contains("西界线之争") && svg.contains("id=\"disputed\""));
        // Claimed lines are drawn as lines (no fill), each in its party's group.
        for claim in ["claim-1", "claim-2"] {
            let at = svg.find(&format!("<g id=\"{claim}\"")).expect(claim);
            let group = &svg[at..at + svg[at..].find("</g>").unwrap()];
            assert!(
                group.contains("fill=\"none\"") && !group.contains("fill-opacity"),
                "claimed lines drawn as lines: {group}"
            );
        }
    }
}

crate::support::both_stores!(
    a_boundary_officer_records_an_observation_through_the_api_and_the_marker_stays,
    |db: TestDb| async move {
        use crate::support::{officer, request, send};
        let registry = db.registry().await;
        crate::support::load_demo(&registry).await;
        let boundary = officer(&registry, "巴特尔", diming::accounts::Role::BoundaryOfficer).await;
        let names = officer(&registry, "王芳", diming::accounts::Role::NamesOfficer).await;
        let id = diming::record::RecordId::derived("marker/JZ-005");
        let before = registry.current().get(&id).unwrap().geometry.clone();
        let app = diming::web::app(std::sync::Arc::new(registry));
        // 1 m east of the registered 111.960, 43.625.
        let east = 1.0 / (111_320.0 * 43.625_f64.to_radians().cos());
        let body = serde_json::json!({ "lon": 111.960 + east, "lat": 43.625, "state": "intact", "notes": "桩体倾斜" });
        let r = send(
            &app,
            request(
                "POST",
                "/api/markers/JZ-005/observations",
                Some(&names),
                Some(body.clone()),
            ),
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status.as_u16(), 403, "{}", r.body);
        let r = send(
            &app,
            request(
                "POST",
                "/api/markers/JZ-005/observations",
                Some(&boundary),
                Some(body.clone()),
            ),
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let answer = r.json();
        assert!(
            (answer["offset_m"].as_f64().unwrap() - 1.0).abs() < 0.01,
            "{answer}"
        );
        assert_eq!(answer["alert"], true);
        let r = send(
            &app,
            request("GET", &format!("/api/records/{id}"), Some(&boundary), None),
            None,
        )
        .await;
        let geometry = r.json()["geometry"].clone();
        assert_eq!(
            geometry,
            serde_json::to_value(diming::spatial::geojson::from_geo(&before)).unwrap(),
            "the marker did not move"
        );
        let missing = serde_json::json!({ "state": "missing" });
        let r = send(
            &app,
            request(
                "POST",
                "/api/markers/JZ-404/observations",
                Some(&boundary),
                Some(missing.clone()),
            ),
            Some(missing),
        )
        .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let half = serde_json::json!({ "lon": 111.96, "state": "intact" });
        let r = send(
            &app,
            request(
                "POST",
                "/api/markers/JZ-005/observations",
                Some(&boundary),
                Some(half.clone()),
            ),
            Some(half),
        )
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        // The page offers the form to the boundary officer only.
        let page = send(
            &app,
            request("GET", "/boundaries", Some(&boundary), None),
            None,
        )
        .await;
        assert!(page.body.contains("id=\"observe\""));
        let page = send(
            &app,
            request("GET", "/boundaries", Some(&names), None),
            None,
        )
        .await;
        assert!(!page.body.contains("id=\"observe\""));
    }
);

/// A township and its three villages in one file: the villages are checked against their
/// township (found by the `parent` field, or by their codes alone), so the 24 m strip the
/// villages leave uncovered is measured, and the township is never said to overlap its own
/// villages.
#[tokio::test]
async fn a_file_of_a_township_and_its_villages_is_checked_as_a_hierarchy() {
    let db = TestDb::sqlite().await;
    let rect = |w: f64, e: f64| serde_json::json!({ "type": "Polygon", "coordinates": [[[w, 43.600], [e, 43.600], [e, 43.620], [w, 43.620], [w, 43.600]]] });
    let unit = |name: &str, code: &str, parent: Option<&str>, w: f64, e: f64| {
        let mut properties = serde_json::json!({ "name": name, "code": code });
        if let Some(p) = parent {
            properties["parent"] = serde_json::json!(p);
        }
        serde_json::json!({ "type": "Feature", "properties": properties, "geometry": rect(w, e) })
    };
    let dir = tempfile::tempdir().unwrap();
    for (file, parent) in [
        ("with_parents.geojson", Some("152501201000")),
        ("codes_only.geojson", None),
    ] {
        let fc = serde_json::json!({ "type": "FeatureCollection", "features": [
            unit("示例镇", "152501201000", None, 111.900, 111.930),
            unit("一村", "152501201001", parent, 111.900, 111.910),
            unit("二村", "152501201002", parent, 111.9103, 111.920),
            unit("三村", "152501201003", parent, 111.920, 111.930),
        ]});
        let path = dir.path().join(file);
        std::fs::write(&path, fc.to_string()).unwrap();
        let out = diming(
            db.url(),
            &[
                "boundaries",
                "check",
                "--input",
                path.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        crate::support::succeeded(&out);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let findings = report["findings"].as_array().unwrap();
        let kinds: Vec<&str> = findings
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert!(!kinds.contains(&"overlap"), "{file}: {report:#}");
        assert!(!kinds.contains(&"outside_parent"), "{file}: {report:#}");
        let gap = findings
            .iter()
            .find(|f| f["kind"] == "gap")
            .unwrap_or_else(|| panic!("{file}: the strip between 一村 and 二村: {report:#}"));
        assert_eq!(gap["parent"], "152501201 示例镇", "{gap}");
        // 0.0003° of longitude at 43.61° N (24.2 m) by 0.02° of latitude (2,221 m).
        let area = gap["area_m2"].as_f64().unwrap();
        assert!((area - 53_800.0).abs() < 2_000.0, "{area}");
        let width = gap["width_m"].as_f64().unwrap();
        assert!((width - 24.2).abs() < 1.5, "{width}");
    }
    // In words, as an officer reads it.
    let out = diming(
        db.url(),
        &[
            "boundaries",
            "check",
            "--input",
            dir.path().join("codes_only.geojson").to_str().unwrap(),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("152501201 示例镇 内空隙"), "{text}");
}
