//! The file gateway with real files: every format round trip (export → GDAL reads it → import
//! changes nothing), GBK shapefiles, files in EPSG:4546 and zone-prefixed EPSG:4525, a
//! surveyor's DXF, all-or-nothing imports with their report, and hostile files refused.

use crate::support::{TestDb, both_stores, diming};
use std::path::{Path, PathBuf};
use std::process::Command;

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `diming import --format json …` and its report.
fn import(db: &str, args: &[&str]) -> (bool, serde_json::Value, String) {
    let mut all = vec!["import", "--format", "json"];
    all.extend_from_slice(args);
    let out = diming(db, &all);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let report = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.success(), report, text(&out))
}

/// An import report's refused features: row and reason.
fn refusals(report: &serde_json::Value) -> Vec<(u64, &str)> {
    report["refused"]
        .as_array()
        .map(|refused| {
            refused
                .iter()
                .map(|r| (r["row"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_else(|| panic!("no report: {report}"))
}

fn ogrinfo(path: &Path) -> String {
    let out = Command::new("ogrinfo")
        .args(["-so", "-al"])
        .arg(path)
        .output()
        .expect("ogrinfo (gdal-bin) is installed");
    text(&out)
}

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr");
    assert!(out.status.success(), "ogr2ogr {args:?}: {}", text(&out));
}

async fn demo_db() -> TestDb {
    demo_in(TestDb::sqlite().await).await
}

async fn demo_in(db: TestDb) -> TestDb {
    crate::support::load_demo(&db.registry().await).await;
    db
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_round_trips_and_gdal_reads_it_back() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    for (layer, count) in [
        ("streets", 40),
        ("door_plates", 3202),
        ("admin_units", 18),
        ("boundary_markers", 8),
        ("cemeteries", 2),
        ("cemetery_sections", 6),
        ("plots", 1134),
        ("graves", 92),
        ("zones", 4),
        ("signs", 418),
    ] {
        for format in ["geojson", "gpkg", "shp", "kml", "csv"] {
            let file = dir.path().join(format!("{layer}.{format}"));
            let out = diming(
                db.url(),
                &[
                    "export",
                    "--layer",
                    layer,
                    "--format",
                    format,
                    "-o",
                    file.to_str().unwrap(),
                ],
            );
            assert!(out.status.success(), "{}", text(&out));
            let info = ogrinfo(&file);
            assert!(
                info.contains(&format!("Feature Count: {count}")),
                "{format}: {info}"
            );
            for field in ["id", "version", "valid_from"] {
                assert!(
                    info.contains(&format!("\n{field}: ")),
                    "{format} lacks {field}: {info}"
                );
            }
            if format == "shp" {
                assert_eq!(
                    std::fs::read_to_string(file.with_extension("cpg")).unwrap(),
                    "UTF-8"
                );
                let prj = std::fs::read_to_string(file.with_extension("prj")).unwrap();
                assert!(prj.contains("China_2000"), "{prj}");
            }
            // Imported again, nothing changes.
            let (ok, report, all) = import(db.url(), &["--layer", layer, file.to_str().unwrap()]);
            assert!(ok, "{format}: {all}");
            assert_eq!(report["unchanged"], count, "{format}: {report}");
            assert_eq!(report["created"], 0, "{format}: {report}");
            assert_eq!(report["updated"], 0, "{format}: {report}");
            assert!(report["changeset"].is_null());
        }
    }
    let dxf = dir.path().join("streets.dxf");
    let out = diming(
        db.url(),
        &[
            "export",
            "--layer",
            "streets",
            "--format",
            "dxf",
            "-o",
            dxf.to_str().unwrap(),
            "--crs",
            "EPSG:4546",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(ogrinfo(&dxf).contains("Feature Count: 40"));
}

both_stores!(
    a_gbk_shapefile_keeps_its_chinese_names,
    |db: TestDb| async move {
        let db = demo_in(db).await;
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("新街.geojson");
        std::fs::write(
        &source,
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"名称":"乌兰巷","等级":"巷"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6305],[111.9625,43.6305]]}},
          {"type":"Feature","properties":{"名称":"赛罕巷","等级":"巷"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6315],[111.9625,43.6315]]}}]}"#,
    )
    .unwrap();
        let shp = dir.path().join("新街.shp");
        ogr2ogr(&[
            "-f",
            "ESRI Shapefile",
            "-lco",
            "ENCODING=CP936",
            shp.to_str().unwrap(),
            source.to_str().unwrap(),
        ]);
        // The attribute bytes really are GBK.
        let dbf = std::fs::read(shp.with_extension("dbf")).unwrap();
        let gbk_wulan = [0xce, 0xda, 0xc0, 0xbc, 0xcf, 0xef]; // 乌兰巷
        assert!(dbf.windows(6).any(|w| w == gbk_wulan), "the .dbf holds GBK");
        let map = ["--map", "名称=name", "--map", "等级=class"];

        // With its .cpg: read right.
        let mut args = vec!["--layer", "streets", shp.to_str().unwrap(), "--dry-run"];
        args.extend_from_slice(&map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(ok && report["created"] == 2, "{all}");

        // Without .cpg nor language driver id: refused, never garbled.
        std::fs::remove_file(shp.with_extension("cpg")).unwrap();
        let mut dbf = std::fs::read(shp.with_extension("dbf")).unwrap();
        dbf[29] = 0;
        std::fs::write(shp.with_extension("dbf"), &dbf).unwrap();
        let (ok, _, all) = import(db.url(), &args);
        assert!(!ok && all.contains("--encoding gbk"), "{all}");

        // Told the encoding: the names come back exactly.
        let mut args = vec![
            "--layer",
            "streets",
            shp.to_str().unwrap(),
            "--encoding",
            "gbk",
        ];
        args.extend_from_slice(&map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(ok && report["created"] == 2, "{all}");
        let registry = db.registry().await;
        let current = registry.current();
        let names: Vec<String> = current
            .layer(diming::model::Layer::Street)
            .map(|v| v.body.title())
            .filter(|n| n.ends_with('巷') && (n.starts_with('乌') || n.starts_with('赛')))
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"乌兰巷".to_string()) && names.contains(&"赛罕巷".to_string()));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_in_projected_crss_land_within_a_centimetre() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let plates = dir.path().join("plates.geojson");
    let out = diming(
        db.url(),
        &[
            "export",
            "--layer",
            "door_plates",
            "--format",
            "geojson",
            "-o",
            plates.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    // GDAL (not diming) puts them into the surveyors' CRSs. Imported back, every plate is
    // where it was to 1e-9° (about 0.1 mm): unchanged. A swapped axis or a wrong zone would
    // move them by kilometres.
    let gpkg = dir.path().join("plates_4546.gpkg");
    ogr2ogr(&[
        "-t_srs",
        "EPSG:4546",
        gpkg.to_str().unwrap(),
        plates.to_str().unwrap(),
    ]);
    assert!(ogrinfo(&gpkg).contains("CGCS2000 / 3-degree Gauss-Kruger CM 111E"));
    let (ok, report, all) = import(
        db.url(),
        &["--layer", "door_plates", gpkg.to_str().unwrap()],
    );
    assert!(ok, "{all}");
    assert_eq!(report["crs"], "EPSG:4546");
    assert_eq!(report["unchanged"], 3202, "{report}");

    let shp = dir.path().join("plates_4525.shp");
    ogr2ogr(&[
        "-t_srs",
        "EPSG:4525",
        "-lco",
        "ENCODING=UTF-8",
        shp.to_str().unwrap(),
        plates.to_str().unwrap(),
    ]);
    let (ok, report, all) = import(db.url(), &["--layer", "door_plates", shp.to_str().unwrap()]);
    assert!(ok, "{all}");
    assert_eq!(report["unchanged"], 3202, "{report}");

    // Moved by 1 cm to the north in EPSG:4546, a plate is no longer unchanged.
    let one = dir.path().join("one.csv");
    let registry = db.registry().await;
    let id = diming::record::RecordId::derived("door/前进大街/1");
    let (x, y, version) = {
        let current = registry.current();
        let v = current.get(&id).unwrap();
        let geo::Geometry::Point(p) = v.geometry else {
            panic!()
        };
        let t = diming::spatial::crs::Transformer::new("EPSG:4490", "EPSG:4546").unwrap();
        let (x, y) = t.point(p.x(), p.y()).unwrap();
        (x, y, v.version)
    };
    std::fs::write(
        &one,
        format!(
            "id,version,x,y,number,street\n{id},{version},{x:.4},{:.4},1,前进大街\n",
            y + 0.01
        ),
    )
    .unwrap();
    // No CRS in a CSV, and metres are not degrees: refused with the reason.
    let (ok, _, all) = import(db.url(), &["--layer", "door_plates", one.to_str().unwrap()]);
    assert!(
        !ok && all.contains("不是经纬度") && all.contains("--crs"),
        "{all}"
    );
    let (ok, report, all) = import(
        db.url(),
        &[
            "--layer",
            "door_plates",
            one.to_str().unwrap(),
            "--crs",
            "EPSG:4546",
        ],
    );
    assert!(ok, "{all}");
    assert_eq!(report["updated"], 1, "{report}");
    drop(registry);
    let registry = db.registry().await;
    let geo::Geometry::Point(p) = registry.current().get(&id).unwrap().geometry else {
        panic!()
    };
    let back = diming::spatial::crs::Transformer::new("EPSG:4490", "EPSG:4546")
        .unwrap()
        .point(p.x(), p.y())
        .unwrap();
    assert!(
        (back.0 - x).abs() < 0.001 && (back.1 - (y + 0.01)).abs() < 0.001,
        "{back:?}"
    );
}

/// A minimal R12 DXF with TEXT entities: what a surveyor's CAD drawing of entrances holds.
fn dxf_with_texts(texts: &[(&str, &str, f64, f64)]) -> String {
    let mut s = String::from(
        "0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1009\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n",
    );
    for (layer, text, x, y) in texts {
        s.push_str(&format!(
            "0\nTEXT\n8\n{layer}\n10\n{x:.4}\n20\n{y:.4}\n30\n0.0\n40\n2.5\n1\n{text}\n"
        ));
    }
    s.push_str("0\nENDSEC\n0\nEOF\n");
    s
}

/// A file cut short or not what its name says: one line in Chinese that names the file, what
/// it is not, and where GDAL found it broken; none of GDAL's own English lines on stderr.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_file_is_refused_with_where_it_breaks_and_nothing_else() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("街巷.geojson");
    std::fs::write(
        &cut,
        "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",",
    )
    .unwrap();
    let gpkg = dir.path().join("普查.gpkg");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.resize(8192, 0xa5);
    std::fs::write(&gpkg, bytes).unwrap();
    for (file, kind, said) in [
        (&cut, "GeoJSON", "At line 2"),
        (&gpkg, "GeoPackage", "file is not a database"),
    ] {
        let out = diming(
            db.url(),
            &["import", "--layer", "streets", file.to_str().unwrap()],
        );
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(
            lines[0].starts_with(&format!(
                "错误：无法读取 {}：文件不是有效的 {kind} 文件，或已损坏（GDAL：",
                file.display()
            )) && lines[0].contains(said),
            "{stderr}"
        );
    }
    let registry = db.registry().await;
    assert_eq!(registry.current().count(diming::model::Layer::Street), 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_surveyors_dxf_maps_layers_and_texts_to_attributes() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let registry = db.registry().await;
    let at = crate::support::plate_at(&registry.current(), "前进大街", 1);
    let t = diming::spatial::crs::Transformer::new("EPSG:4490", "EPSG:4546").unwrap();
    let (x, y) = t.point(at.x, at.y).unwrap();
    let dxf = dir.path().join("入口测量.dxf");
    std::fs::write(
        &dxf,
        dxf_with_texts(&[
            ("前进大街", "1附1", x + 4.0, y),
            ("前进大街", "1附2", x + 8.0, y),
        ]),
    )
    .unwrap();
    let args = [
        "--layer",
        "door_plates",
        dxf.to_str().unwrap(),
        "--crs",
        "EPSG:4546",
        "--encoding",
        "utf-8",
        "--map",
        "Text=number",
        "--map",
        "Layer=street",
    ];
    let (ok, report, all) = import(db.url(), &args);
    assert!(ok, "{all}");
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["format"], "DXF");
    drop(registry);
    let registry = db.registry().await;
    let current = registry.current();
    let added: Vec<_> = current
        .layer(diming::model::Layer::DoorPlate)
        .filter(|v| v.body.title().starts_with("1附"))
        .collect();
    assert_eq!(added.len(), 2);
    // 4 m east of plate 1, within a centimetre.
    let geo::Geometry::Point(p) = added
        .iter()
        .find(|v| v.body.title().trim_end_matches('号') == "1附1")
        .unwrap()
        .geometry
    else {
        panic!()
    };
    let (px, py) = t.point(p.x(), p.y()).unwrap();
    assert!((px - (x + 4.0)).abs() < 0.01 && (py - y).abs() < 0.01);
    // The same drawing again: the numbers are taken now.
    let (ok, report, _) = import(db.url(), &args);
    assert!(!ok);
    assert!(
        report["refused"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("门牌号重复"),
        "{report}"
    );
}

both_stores!(
    an_import_is_all_or_nothing_with_a_report_of_every_refused_feature,
    |db: TestDb| async move {
        let db = demo_in(db).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("streets.geojson");
        std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"乌兰巷","class":"lane"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6305],[111.9625,43.6305]]}},
          {"type":"Feature","properties":{"class":"lane"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6315],[111.9625,43.6315]]}},
          {"type":"Feature","properties":{"name":"北京巷","class":"lane"},
           "geometry":{"type":"LineString","coordinates":[[116.39,39.90],[116.40,39.90]]}},
          {"type":"Feature","properties":{"name":"点巷","class":"lane"},
           "geometry":{"type":"Point","coordinates":[111.9605,43.6305]}},
          {"type":"Feature","properties":{"name":"错巷","class":"motorway"},
           "geometry":{"type":"LineString","coordinates":[[111.9605,43.6325],[111.9625,43.6325]]}}]}"#,
    )
    .unwrap();
        let (ok, report, all) = import(db.url(), &["--layer", "streets", file.to_str().unwrap()]);
        assert!(!ok, "{all}");
        let refused = report["refused"].as_array().unwrap();
        let rows: Vec<u64> = refused.iter().map(|r| r["row"].as_u64().unwrap()).collect();
        assert_eq!(rows, [2, 3, 4, 5], "{report}");
        let reasons: Vec<&str> = refused
            .iter()
            .map(|r| r["reason"].as_str().unwrap())
            .collect();
        assert!(reasons[0].contains("缺少必填属性“name”"), "{reasons:?}");
        assert!(reasons[1].contains("辖区"), "{reasons:?}");
        assert!(reasons[2].contains("Point"), "{reasons:?}");
        assert!(reasons[3].contains("class"), "{reasons:?}");
        assert!(all.contains("整个文件都没有写入"));
        let registry = db.registry().await;
        assert_eq!(registry.current().count(diming::model::Layer::Street), 40);
        assert_eq!(
            registry.store().changesets(1000).await.unwrap().len(),
            diming_demo_changesets()
        );
    }
);

both_stores!(
    surveyed_markers_graves_plots_and_zones_come_in_under_the_registrys_rules,
    |db: TestDb| async move {
        use diming::model::{Body, Layer};
        let db = demo_in(db).await;
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.to_str().unwrap().to_string()
        };

        // A field survey of graves in the officers' words: labels for codes, a whole phone
        // number, an empty cell for what was not found, a bad number refused where it is.
        let map = [
            "--map",
            "编号=number",
            "--map",
            "类型=kind",
            "--map",
            "面积=area_m2",
            "--map",
            "坟主=owner",
            "--map",
            "电话=owner_phone",
            "--map",
            "处理=treatment",
            "--map",
            "调查日期=surveyed",
        ];
        let graves = write(
            "散坟.csv",
            "经度,纬度,编号,类型,面积,坟主,电话,处理,调查日期\n\
             111.7430,43.5501,SM-2026-001,硬化大墓,5.5,张三,13812345678,迁移,2026-11-20\n\
             111.7352,43.5476,SM-2026-002,普通坟墓,,,,,2026-11-20\n\
             111.7353,43.5477,SM-2026-003,月球墓,,,,,2026-11-20\n\
             111.7354,43.5478,SM-2026-004,普通坟墓,大约五平米,,,,2026-11-20\n",
        );
        let mut args = vec!["--layer", "graves", graves.as_str()];
        args.extend_from_slice(&map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(!ok, "{all}");
        let refused = refusals(&report);
        assert_eq!(refused.len(), 2, "{report}");
        assert_eq!(refused[0].0, 3);
        assert!(
            refused[0].1.contains("“月球墓”无效") && refused[0].1.contains("ordinary"),
            "{refused:?}"
        );
        assert_eq!(refused[1].0, 4);
        assert!(
            refused[1].1.contains("area_m2") && refused[1].1.contains("不是数字"),
            "{refused:?}"
        );
        let graves = write(
            "散坟2.csv",
            &std::fs::read_to_string(&graves)
                .unwrap()
                .lines()
                .take(3)
                .map(|l| format!("{l}\n"))
                .collect::<String>(),
        );
        let mut args = vec!["--layer", "graves", graves.as_str()];
        args.extend_from_slice(&map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(ok && report["created"] == 2, "{all}");
        // Opened again: the import ran in another process.
        {
            let registry = db.registry().await;
            let current = registry.current();
            let found: Vec<_> = current
                .layer(Layer::Grave)
                .filter_map(|v| match &v.body {
                    Body::Grave(g) if g.number.starts_with("SM-2026") => Some(g.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(found.len(), 2);
            let hardened = found.iter().find(|g| g.number == "SM-2026-001").unwrap();
            assert_eq!(hardened.kind, diming::cemetery::GraveKind::Hardened);
            assert_eq!(hardened.area_m2, Some(5.5));
            assert_eq!(hardened.treatment, Some(diming::cemetery::Treatment::Move));
            assert_eq!(
                hardened.owner_phone.as_ref().and_then(|p| p.whole()),
                Some("13812345678"),
                "the whole number is kept for the burial office"
            );
            let plain = found.iter().find(|g| g.number == "SM-2026-002").unwrap();
            assert_eq!((plain.area_m2, plain.owner.as_deref()), (None, None));
        }
        // Markers: units and reference objects in one cell each; the registry's rule (three
        // reference objects at least) answers in a dry run as it would in the import.
        let markers = write(
            "界桩.csv",
            "WKT,number,kind,units,material,height_m,references\n\
             \"POINT (111.96 43.67)\",JZ-101,双面界桩,152501200；152501400,花岗岩,0.8,\"水井,45,12.5;电杆,120,30\"\n",
        );
        let (ok, report, all) = import(
            db.url(),
            &["--layer", "boundary_markers", markers.as_str(), "--dry-run"],
        );
        assert!(!ok && report["created"] == 1, "{all}");
        assert!(
            report["rules"]
                .as_str()
                .is_some_and(|r| r.contains("至少有 3 个方位物")),
            "{report}"
        );
        let markers = write(
            "界桩2.csv",
            &std::fs::read_to_string(&markers)
                .unwrap()
                .replace("电杆,120,30", "电杆,120,30;岩石,270,8"),
        );
        let (ok, report, all) =
            import(db.url(), &["--layer", "boundary_markers", markers.as_str()]);
        assert!(ok && report["created"] == 1, "{all}");
        // Opened again: the import ran in another process.
        let (cemetery, cemetery_name, x, y) = {
            let registry = db.registry().await;
            let current = registry.current();
            let marker = current
                .layer(Layer::Marker)
                .find_map(|v| match &v.body {
                    Body::Marker(m) if m.number == "JZ-101" => Some(m.clone()),
                    _ => None,
                })
                .expect("JZ-101 is registered");
            assert_eq!(marker.units, ["152501200", "152501400"]);
            assert_eq!(marker.references.len(), 3);
            assert_eq!(marker.references[2].object, "岩石");
            assert_eq!(marker.references[2].azimuth_deg, 270.0);
            assert_eq!(marker.height_m, 0.8);
            let cemetery = current.layer(Layer::Cemetery).next().unwrap();
            let inside = geo::InteriorPoint::interior_point(&cemetery.geometry).unwrap();
            (cemetery.id, cemetery.body.title(), inside.x(), inside.y())
        };

        // A new section drawn by the surveyor, its cemetery named by name.
        let square = |x: f64, y: f64, w: f64, h: f64| {
            format!(
                "\"POLYGON (({x} {y},{x2} {y},{x2} {y2},{x} {y2},{x} {y}))\"",
                x2 = x + w,
                y2 = y + h
            )
        };
        let sections = write(
            "墓区.csv",
            &format!(
                "WKT,公墓,区号,名称\n{},{cemetery_name},Q,测绘新墓区\n",
                square(x - 0.0001, y - 0.0001, 0.0002, 0.0002)
            ),
        );
        let section_map = [
            "--map",
            "公墓=cemetery",
            "--map",
            "区号=code",
            "--map",
            "名称=name",
        ];
        let mut args = vec!["--layer", "cemetery_sections", sections.as_str()];
        args.extend_from_slice(&section_map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(ok && report["created"] == 1, "{all}");

        // Its plots (about 1.2 m × 1.6 m): the section comes from the number; a plot over
        // another, one outside the section, one in no section and one in no cemetery are
        // refused where they are, as `diming cemetery check` would find them.
        let (w, h) = (0.000015, 0.000015);
        let row = |number: &str, cemetery: &str, x: f64, y: f64| {
            format!("{},{cemetery},{number},遗体,单穴\n", square(x, y, w, h))
        };
        let plots = write(
            "墓位.csv",
            &format!(
                "WKT,公墓,墓位号,类型,穴数\n{}{}{}{}{}{},{cemetery_name},Q-1-5,,\n",
                row("Q-1-1", &cemetery_name, x, y),
                row("Q-1-2", &cemetery_name, x + w / 2.0, y),
                row("Q-1-3", &cemetery_name, x + 0.00015, y),
                row("Z-1-1", &cemetery_name, x, y + 0.00005),
                row("Q-1-4", "不存在的公墓", x, y - 0.00005),
                square(x, y - 0.00008, w, h),
            ),
        );
        let plot_map = [
            "--map",
            "公墓=cemetery",
            "--map",
            "墓位号=number",
            "--map",
            "类型=remains",
            "--map",
            "穴数=occupancy",
        ];
        let mut args = vec!["--layer", "plots", plots.as_str()];
        args.extend_from_slice(&plot_map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(!ok, "{all}");
        let refused = refusals(&report);
        assert_eq!(
            refused.iter().map(|r| r.0).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6],
            "{refused:?}"
        );
        // Q-1-1 and Q-1-2 overlap: both named, each at its row.
        assert!(
            refused[0].1.contains("重叠") && refused[1].1.contains("重叠"),
            "{refused:?}"
        );
        assert!(refused[2].1.contains("在墓区之外"), "{refused:?}");
        assert!(refused[3].1.contains("墓区“Z”"), "{refused:?}");
        assert!(
            refused[4].1.contains("没有公墓“不存在的公墓”"),
            "{refused:?}"
        );
        // No kind: refused, not a crash.
        assert!(
            refused[5].1.contains("缺少必填属性“remains”"),
            "{refused:?}"
        );
        let plots = write(
            "墓位2.csv",
            &format!(
                "WKT,公墓,墓位号,类型,穴数\n{}{}",
                row("Q-1-1", &cemetery_name, x, y),
                row("Q-1-2", &cemetery_name, x + 0.00003, y),
            ),
        );
        let mut args = vec!["--layer", "plots", plots.as_str()];
        args.extend_from_slice(&plot_map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(ok && report["created"] == 2, "{all}");
        {
            let registry = db.registry().await;
            let current = registry.current();
            let section_q = current
                .layer(Layer::CemeterySection)
                .find_map(|v| match &v.body {
                    Body::CemeterySection(s) if s.code == "Q" => Some(v.id),
                    _ => None,
                })
                .unwrap();
            let new_plot = current
                .layer(Layer::Plot)
                .find_map(|v| match &v.body {
                    Body::Plot(p) if p.number.to_string() == "Q-1-1" => Some(p.clone()),
                    _ => None,
                })
                .unwrap();
            assert_eq!((new_plot.section, new_plot.cemetery), (section_q, cemetery));
            assert_eq!(new_plot.status, diming::cemetery::PlotStatus::Available);
        }

        // A zone by its Chinese kind.
        let zones = write(
            "禁葬区.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
               "properties":{"name":"新划定的水源保护区","kind":"水源保护区","basis":"二政发〔2026〕1号"},
               "geometry":{"type":"Polygon","coordinates":[[[111.90,43.60],[111.91,43.60],[111.91,43.61],[111.90,43.61],[111.90,43.60]]]}}]}"#,
        );
        let (ok, report, all) = import(db.url(), &["--layer", "zones", zones.as_str()]);
        assert!(ok && report["created"] == 1, "{all}");
        // Opened again: the import ran in another process.
        {
            let registry = db.registry().await;
            let current = registry.current();
            assert!(current.layer(Layer::Zone).any(|v| matches!(&v.body,
            Body::Zone(z) if z.kind == diming::cemetery::ZoneKind::WaterSource && z.name == "新划定的水源保护区")));
        }

        // A sign inventory: the sign names the street whose name it shows; an unknown name
        // and a code already registered are refused.
        let (street, street_name, taken_code) = {
            let registry = db.registry().await;
            let current = registry.current();
            let street = current.layer(Layer::Street).next().unwrap();
            let code = current
                .layer(Layer::Sign)
                .find_map(|v| match &v.body {
                    Body::Sign(s) => Some(s.code.clone()),
                    _ => None,
                })
                .unwrap();
            (street.id, street.body.title(), code)
        };
        let signs = write(
            "标志普查.csv",
            &format!(
                "经度,纬度,编号,类型,安装方式,宽,高,文字\n\
                 111.9690,43.6294,LP-901,街牌、路牌,立杆,1000,350,{street_name}\n\
                 111.9691,43.6295,LP-902,巷牌,墙面,600,250,不存在巷\n\
                 111.9692,43.6296,{taken_code},巷牌,墙面,600,250,{street_name}\n"
            ),
        );
        let sign_map = [
            "--map",
            "编号=code",
            "--map",
            "类型=kind",
            "--map",
            "安装方式=mounting",
            "--map",
            "宽=width_mm",
            "--map",
            "高=height_mm",
            "--map",
            "文字=text",
        ];
        let mut args = vec!["--layer", "signs", signs.as_str()];
        args.extend_from_slice(&sign_map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(!ok, "{all}");
        let reasons: Vec<&str> = refusals(&report).into_iter().map(|r| r.1).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(
            reasons[0].contains("不存在巷") && reasons[0].contains("names"),
            "{reasons:?}"
        );
        assert!(
            reasons[1].contains(&format!("标志编号“{taken_code}”重复")),
            "{reasons:?}"
        );
        let signs = write(
            "标志普查2.csv",
            &std::fs::read_to_string(&signs)
                .unwrap()
                .lines()
                .take(2)
                .map(|l| format!("{l}\n"))
                .collect::<String>(),
        );
        let mut args = vec!["--layer", "signs", signs.as_str()];
        args.extend_from_slice(&sign_map);
        let (ok, report, all) = import(db.url(), &args);
        assert!(ok && report["created"] == 1, "{all}");
        {
            let registry = db.registry().await;
            let current = registry.current();
            let sign = current
                .layer(Layer::Sign)
                .find_map(|v| match &v.body {
                    Body::Sign(s) if s.code == "LP-901" => Some(s.clone()),
                    _ => None,
                })
                .expect("LP-901 is registered");
            assert_eq!(sign.names, [street]);
            assert_eq!(sign.shows.zh, street_name);
            assert_eq!(sign.kind, diming::signs::SignKind::Street);
            assert_eq!((sign.width_mm, sign.height_mm), (1000, 350));
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_of_every_surveyed_layer_carry_its_attributes() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    for (layer, fields) in [
        (
            "boundary_markers",
            &["number", "kind", "units", "references"][..],
        ),
        (
            "boundary_lines",
            &["left", "right_name", "legal", "length_m"][..],
        ),
        ("signs", &["code", "kind", "text", "condition"][..]),
        ("plots", &["number", "status", "cemetery"][..]),
    ] {
        let file = dir.path().join(format!("{layer}.geojson"));
        let out = diming(
            db.url(),
            &[
                "export",
                "--layer",
                layer,
                "--format",
                "geojson",
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for f in json["features"].as_array().unwrap() {
            for field in fields {
                assert!(
                    f["properties"][field].is_string(),
                    "{layer} lacks {field}: {f}"
                );
            }
        }
        if layer == "plots" {
            // Each plot's own status, not a name's approval status.
            let statuses: std::collections::BTreeSet<&str> = json["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["properties"]["status"].as_str().unwrap())
                .collect();
            assert!(
                statuses.contains("available") && statuses.contains("occupied"),
                "{statuses:?}"
            );
            assert!(!statuses.contains("published"), "{statuses:?}");
        }
    }
}

fn diming_demo_changesets() -> usize {
    crate::support::DEMO.len()
}

/// Writes a zip with the given entries (name, bytes).
fn zip_of(path: &Path, entries: &[(&str, Vec<u8>)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn refused(db: &str, file: &Path, expect: &str) {
    let (ok, _, all) = import(
        db,
        &["--layer", "streets", file.to_str().unwrap(), "--dry-run"],
    );
    assert!(!ok, "{} was accepted: {all}", file.display());
    assert!(
        all.contains(expect),
        "{}: expected “{expect}” in: {all}",
        file.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_files_are_refused_before_they_can_hurt() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| -> PathBuf { dir.path().join(name) };
    let street = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"LineString","coordinates":[[111.96,43.63],[111.97,43.63]]}}]}"#.to_vec();

    // A zip bomb: 64 MiB of zeros in a few kilobytes stops at the ratio limit.
    zip_of(
        &d("bomb.zip"),
        &[("bomb.geojson", vec![b' '; 64 * 1024 * 1024])],
    );
    assert!(std::fs::metadata(d("bomb.zip")).unwrap().len() < 200_000);
    refused(db.url(), &d("bomb.zip"), "压缩炸弹");

    // Entries that climb out of the folder, or are absolute.
    let outside = dir.path().parent().unwrap().join("diming-zip-slip.geojson");
    zip_of(
        &d("slip.zip"),
        &[("../diming-zip-slip.geojson", street.clone())],
    );
    refused(db.url(), &d("slip.zip"), "解压目录之外");
    assert!(
        !outside.exists(),
        "nothing is written outside the temporary folder"
    );
    zip_of(
        &d("abs.zip"),
        &[("/tmp/diming-abs.geojson", street.clone())],
    );
    refused(db.url(), &d("abs.zip"), "解压目录之外");
    assert!(!Path::new("/tmp/diming-abs.geojson").exists());

    // A symbolic link inside an archive.
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(d("link.zip")).unwrap());
        zip.add_symlink(
            "streets.geojson",
            "/etc/passwd",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.finish().unwrap();
    }
    refused(db.url(), &d("link.zip"), "符号链接");

    // GDAL's virtual file systems and network paths, as an argument or inside an archive.
    let (ok, _, all) = import(
        db.url(),
        &[
            "--layer",
            "streets",
            "/vsicurl/http://127.0.0.1:9/streets.geojson",
        ],
    );
    assert!(!ok && all.contains("虚拟文件系统"), "{all}");
    zip_of(
        &d("vsi.zip"),
        &[("x/vsizip/streets.geojson", street.clone())],
    );
    refused(db.url(), &d("vsi.zip"), "虚拟文件系统");

    // A VRT disguised as GeoJSON (it could read any file or URL).
    std::fs::write(
        d("vrt.geojson"),
        r#"<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"#,
    )
    .unwrap();
    refused(db.url(), &d("vrt.geojson"), "VRT");

    // A .prj that is a path or a URL, not WKT.
    std::fs::write(d("p.geojson"), &street).unwrap();
    let shp = d("p.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        shp.to_str().unwrap(),
        d("p.geojson").to_str().unwrap(),
    ]);
    std::fs::write(shp.with_extension("prj"), "/etc/passwd").unwrap();
    refused(db.url(), &shp, "不是 WKT");

    // KML with external entities, and the billion laughs.
    std::fs::write(
        d("xxe.kml"),
        r#"<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name><Point><coordinates>111.96,43.63</coordinates></Point></Placemark></kml>"#,
    )
    .unwrap();
    refused(db.url(), &d("xxe.kml"), "实体声明");
    let mut laughs = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str(r#"]><kml><Placemark><name>&lol9;</name></Placemark></kml>"#);
    std::fs::write(d("laughs.kml"), laughs).unwrap();
    refused(db.url(), &d("laughs.kml"), "实体");

    // Oversized, and not a format at all.
    let big = d("big.geojson");
    std::fs::write(&big, &street).unwrap();
    let (ok, _, all) = import(
        db.url(),
        &["--layer", "streets", big.to_str().unwrap(), "--max-mb", "0"],
    );
    assert!(!ok && all.contains("超过大小上限"), "{all}");
    std::fs::write(d("x.exe"), b"MZ").unwrap();
    refused(db.url(), &d("x.exe"), "不支持的文件格式");

    // After all of it, nothing was written.
    let registry = db.registry().await;
    assert_eq!(registry.current().count(diming::model::Layer::Street), 40);
}

both_stores!(
    files_are_uploaded_and_downloaded_through_the_api,
    |db: TestDb| async move {
        use crate::support::{officer, request, send};
        use axum::http::StatusCode;
        use diming::accounts::Role;
        let registry = std::sync::Arc::new(db.registry().await);
        crate::support::load_demo(&registry).await;
        let app = diming::web::app(registry.clone());
        let names = officer(&registry, "王芳", Role::NamesOfficer).await;
        let boundary = officer(&registry, "巴特尔", Role::BoundaryOfficer).await;

        // A zipped UTF-8 shapefile of two new lanes, made by GDAL, padded past the JSON limit.
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("lanes.geojson");
        let padding = " ".repeat(5 * 1024 * 1024);
        std::fs::write(
            &source,
            format!(r#"{{"type":"FeatureCollection",{padding}"features":[
              {{"type":"Feature","properties":{{"name":"乌兰巷","class":"巷"}},
               "geometry":{{"type":"LineString","coordinates":[[111.9605,43.6305],[111.9625,43.6305]]}}}},
              {{"type":"Feature","properties":{{"name":"赛罕巷","class":"巷"}},
               "geometry":{{"type":"LineString","coordinates":[[111.9605,43.6315],[111.9625,43.6315]]}}}}]}}"#),
        )
        .unwrap();
        let upload = |token: &str, query: &str, bytes: Vec<u8>| {
            let b = request(
                "POST",
                &format!("/api/layers/streets/import?{query}"),
                Some(token),
                None,
            )
            .header("content-type", "application/octet-stream");
            let app = app.clone();
            async move {
                crate::support::call(&app, b.body(axum::body::Body::from(bytes)).unwrap()).await
            }
        };
        let big = std::fs::read(&source).unwrap();
        assert!(big.len() > diming::web::MAX_BODY);
        let reply = upload(&names, "filename=lanes.geojson&dry_run=true", big.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.json()["created"], 2);
        assert!(reply.json()["changeset"].is_null());
        assert_eq!(registry.current().count(diming::model::Layer::Street), 40);

        let shp = dir.path().join("lanes.shp");
        ogr2ogr(&[
            "-lco",
            "ENCODING=UTF-8",
            shp.to_str().unwrap(),
            source.to_str().unwrap(),
        ]);
        let zip = dir.path().join("lanes.zip");
        let entries: Vec<(String, Vec<u8>)> = ["shp", "shx", "dbf", "prj", "cpg"]
            .iter()
            .map(|e| {
                (
                    format!("lanes.{e}"),
                    std::fs::read(shp.with_extension(e)).unwrap(),
                )
            })
            .collect();
        let entries: Vec<(&str, Vec<u8>)> = entries
            .iter()
            .map(|(n, b)| (n.as_str(), b.clone()))
            .collect();
        zip_of(&zip, &entries);
        let bytes = std::fs::read(&zip).unwrap();
        // The wrong role, and the public: refused.
        let reply = upload(&boundary, "filename=lanes.zip", bytes.clone()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let public = crate::support::call(
            &app,
            request(
                "POST",
                "/api/layers/streets/import?filename=lanes.zip",
                None,
                None,
            )
            .body(axum::body::Body::from(bytes.clone()))
            .unwrap(),
        )
        .await;
        assert_eq!(public.status, StatusCode::UNAUTHORIZED);
        // The names officer: written, one changeset, the officer as its author.
        let reply = upload(&names, "filename=lanes.zip&reason=新建巷道", bytes.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let report = reply.json();
        assert_eq!(report["created"], 2);
        assert_eq!(report["format"], "ESRI Shapefile");
        let cs: diming::record::ChangesetId =
            serde_json::from_value(report["changeset"].clone()).unwrap();
        let summary = registry.store().changeset(cs).await.unwrap().unwrap();
        assert_eq!(
            (
                summary.author.as_str(),
                summary.reason.as_str(),
                summary.writes
            ),
            ("王芳", "新建巷道", 2)
        );
        assert_eq!(registry.current().count(diming::model::Layer::Street), 42);
        // Again: the names are new records each time, but nothing else is refused; an
        // unknown type and a hostile archive are.
        let reply = upload(&names, "filename=lanes.exe", bytes.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json()["field"], "filename");
        let slip = dir.path().join("slip.zip");
        zip_of(&slip, &[("../../evil.geojson", big[..100].to_vec())]);
        let reply = upload(&names, "filename=slip.zip", std::fs::read(&slip).unwrap()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(
            reply.json()["error"]
                .as_str()
                .unwrap()
                .contains("解压目录之外")
        );
        // A broken GeoPackage (a download cut short): what it is not, under the name the
        // officer gave it, not the server's temporary copy.
        let mut gpkg = Vec::from(&b"SQLite format 3\0"[..]);
        gpkg.resize(8192, 0xa5);
        let reply = upload(&names, "filename=街巷普查.gpkg", gpkg).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        let error = reply.json()["error"].as_str().unwrap().to_string();
        assert!(
            error.starts_with("无法读取 街巷普查.gpkg：文件不是有效的 GeoPackage 文件，或已损坏"),
            "{error}"
        );
        assert!(
            !error.contains("diming-upload-") && !error.contains("NULL"),
            "{error}"
        );
        assert_eq!(registry.current().count(diming::model::Layer::Street), 42);

        // Downloads: a GeoPackage, and a Shapefile as a zip with its .cpg and .prj.
        let gpkg = dir.path().join("down.gpkg");
        let raw = crate::support::call(
            &app,
            request("GET", "/api/layers/streets/export?format=gpkg", None, None)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(
            raw.headers["content-type"],
            "application/geopackage+sqlite3"
        );
        use tower::ServiceExt;
        let response = app
            .clone()
            .oneshot(
                request("GET", "/api/layers/streets/export?format=shp", None, None)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        let zip_down = dir.path().join("down.zip");
        std::fs::write(&zip_down, &bytes).unwrap();
        let archive = zip::ZipArchive::new(std::fs::File::open(&zip_down).unwrap()).unwrap();
        let names_in: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().to_string())
            .collect();
        for e in ["streets.shp", "streets.dbf", "streets.prj", "streets.cpg"] {
            assert!(names_in.contains(&e.to_string()), "{names_in:?}");
        }
        // The two streets imported are proposals (the file gave no status): the officer's
        // export has them, the public's does not.
        for (token, count) in [(Some(names.as_str()), 42), (None, 40)] {
            let response = app
                .clone()
                .oneshot(
                    request("GET", "/api/layers/streets/export?format=gpkg", token, None)
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            std::fs::write(&gpkg, &bytes).unwrap();
            let info = ogrinfo(&gpkg);
            assert!(info.contains(&format!("Feature Count: {count}")), "{info}");
        }
        // Internal layers are not exported to the public.
        let reply = send(
            &app,
            request(
                "GET",
                "/api/layers/campaigns/export?format=geojson",
                None,
                None,
            ),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
);
