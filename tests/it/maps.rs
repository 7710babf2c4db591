//! The printed street map: every street named, no two labels overlapping, a scale bar and a
//! grid that measure the ground at the printed scale, door-plate numbers at large scales, a
//! snapshot of a small drawing, and the PDF and PNG an editor prints.

use crate::support::{TestDb, both_stores, diming, load_demo, succeeded};
use diming::addresses::StreetClass;
use diming::names::PlaceCategory;
use diming::publish::atlas::{Atlas, MapExtent};
use diming::publish::map::labels::{LabelKind, Measure, Placed};
use diming::publish::map::{
    self, Layout, MapData, Named, Overlay, OverlayStyle, Plan, Style, Symbol,
};
use diming::spatial::crs::from_measure;
use geo::{BoundingRect, Coord, Geometry, LineString, Rect, line_string};

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// Asserts that no box of one label overlaps a box of another and that every box lies in
/// the frame.
fn assert_no_overlap(labels: &[Placed], frame: map::Area) {
    for (i, a) in labels.iter().enumerate() {
        for b in &a.boxes {
            assert!(
                b.min.0 >= frame.x - 1e-9
                    && b.min.1 >= frame.y - 1e-9
                    && b.max.0 <= frame.x + frame.w + 1e-9
                    && b.max.1 <= frame.y + frame.h + 1e-9,
                "{} leaves the frame: {b:?}",
                a.text
            );
        }
        for other in &labels[i + 1..] {
            for x in &a.boxes {
                for y in &other.boxes {
                    assert!(
                        !x.overlaps(y),
                        "“{}” {x:?} overlaps “{}” {y:?}",
                        a.text,
                        other.text
                    );
                }
            }
        }
    }
}

/// A number attribute of the first element that has `marker` in it.
fn attribute(svg: &str, marker: &str, name: &str) -> f64 {
    let at = svg.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &svg[at..];
    let end = rest.find('>').unwrap();
    let element = &rest[..end];
    let key = format!(" {name}=\"");
    let start = element
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {element}"))
        + key.len();
    element[start..start + element[start..].find('"').unwrap()]
        .parse()
        .unwrap()
}

both_stores!(
    the_street_map_of_the_city_names_every_street_and_no_label_covers_another,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let layout = Layout::named("A1-landscape").unwrap();
        let (plan, data) = Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
            .street_map(layout, &MapExtent::Streets, None, date("2026-11-29"))
            .unwrap();
        // Every street of the registry is inside the frame, at a true scale of the series.
        assert_eq!(
            data.streets.len(),
            registry.current().count(diming::model::Layer::Street)
        );
        assert!(map::SCALES.contains(&plan.scale));
        let drawn = map::render(
            &plan,
            &Style::street_map(),
            &data,
            &Measure::load().unwrap(),
        );
        assert!(drawn.unnamed.is_empty(), "unnamed: {:?}", drawn.unnamed);
        for s in &data.streets {
            assert!(
                drawn
                    .labels
                    .iter()
                    .any(|l| l.kind == LabelKind::Street && l.text == s.name),
                "{} has no label",
                s.name
            );
            // The Mongolian form is drawn with the name where the street has one.
            if let Some(mn) = &s.name_mn {
                assert!(
                    drawn.svg.contains(&format!(">{mn}</text>")),
                    "{}: {mn}",
                    s.name
                );
            }
        }
        // Long streets are named more than once.
        let longest = data
            .streets
            .iter()
            .max_by(|a, b| {
                use geo::{Euclidean, Length};
                let len = |g: &Geometry<f64>| match g {
                    Geometry::MultiLineString(m) => Euclidean.length(m),
                    Geometry::LineString(l) => Euclidean.length(l),
                    _ => 0.0,
                };
                len(&a.geometry).total_cmp(&len(&b.geometry))
            })
            .unwrap();
        assert!(
            drawn
                .labels
                .iter()
                .filter(|l| l.text == longest.name)
                .count()
                >= 2,
            "{}",
            longest.name
        );
        assert_no_overlap(&drawn.labels, plan.layout.frame);
        // The units and the landmarks in the frame are named too.
        for name in ["二连浩特站", "西城社区居委会"] {
            assert!(drawn.labels.iter().any(|l| l.text == name), "{name}");
        }
        // At 1:12 500 the door-plate numbers are left out.
        assert!(drawn.labels.iter().all(|l| l.kind != LabelKind::DoorPlate));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scale_bar_and_the_grid_measure_the_ground_at_the_printed_scale() {
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    load_demo(&registry).await;
    for layout in ["A1-landscape", "A4-portrait", "A3-landscape"] {
        let (plan, data) = Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
            .street_map(
                Layout::named(layout).unwrap(),
                &MapExtent::Streets,
                None,
                date("2026-11-29"),
            )
            .unwrap();
        let svg = map::render(
            &plan,
            &Style::street_map(),
            &data,
            &Measure::load().unwrap(),
        )
        .svg;
        // The scale as printed.
        assert!(svg.contains(&format!(">{}</text>", map::scale_text(plan.scale))));
        // The scale bar: its length on paper is its length on the ground at the map's scale.
        let metres = attribute(&svg, "class=\"scale-bar\"", "data-metres");
        let width = attribute(&svg, "class=\"scale-bar\"", "width");
        assert!([1.0, 2.0, 5.0].contains(&(metres / 10f64.powf(metres.log10().floor()))));
        assert!(
            (width - metres * 1000.0 / plan.scale).abs() < 1e-3,
            "{layout}"
        );
        // Two neighbouring vertical grid lines are their interval apart at the same scale.
        let lines: Vec<(f64, f64)> = svg
            .match_indices("<line class=\"grid\"")
            .map(|(i, _)| {
                let s = &svg[i..];
                (
                    attribute(s, "class=\"grid\"", "data-metres"),
                    attribute(s, "class=\"grid\"", "x1"),
                )
            })
            .collect();
        assert!(lines.len() >= 2, "{layout}");
        let ((m0, x0), (m1, x1)) = (lines[0], lines[1]);
        assert!(
            (x1 - x0 - (m1 - m0) * 1000.0 / plan.scale).abs() < 1e-2,
            "{layout}"
        );
        // The frame holds all the streets.
        let g = plan.ground();
        for s in &data.streets {
            let r = s.geometry.bounding_rect().unwrap();
            assert!(r.min().x >= g.min().x && r.max().x <= g.max().x);
            assert!(r.min().y >= g.min().y && r.max().y <= g.max().y);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn door_plate_numbers_appear_at_large_scales_without_covering_street_names() {
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    load_demo(&registry).await;
    // 500 m × 350 m in the middle of town, on A4.
    let (cx, cy) = (578_600.0, 4_835_400.0);
    let r = from_measure(&Geometry::Polygon(
        Rect::new((cx - 250.0, cy - 175.0), (cx + 250.0, cy + 175.0)).to_polygon(),
    ))
    .unwrap()
    .bounding_rect()
    .unwrap();
    let (plan, data) = Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
        .street_map(
            Layout::named("A4-landscape").unwrap(),
            &MapExtent::BBox(r),
            None,
            date("2026-11-29"),
        )
        .unwrap();
    assert!(plan.scale <= 5000.0, "{}", plan.scale);
    let drawn = map::render(
        &plan,
        &Style::street_map(),
        &data,
        &Measure::load().unwrap(),
    );
    let numbers = drawn
        .labels
        .iter()
        .filter(|l| l.kind == LabelKind::DoorPlate)
        .count();
    assert!(numbers >= 20, "{numbers} door-plate numbers");
    assert!(
        drawn.svg.contains(">门牌号</text>"),
        "the legend explains them"
    );
    assert_no_overlap(&drawn.labels, plan.layout.frame);
    // Street names go first: every street crossing the frame is named.
    assert!(drawn.unnamed.is_empty(), "{:?}", drawn.unnamed);
}

fn small_area() -> MapData {
    let street = |name: &str, mn: Option<&str>, class, l: LineString<f64>| Named {
        name: name.into(),
        name_mn: mn.map(String::from),
        kind: class,
        geometry: Geometry::LineString(l),
    };
    let mut hatched = OverlayStyle::area("#c0392b");
    hatched.hatch = true;
    MapData {
        city: "二连浩特市".into(),
        title: None,
        overlays: vec![
            Overlay {
                id: "area".into(),
                legend: "迁坟区域".into(),
                style: hatched,
                features: vec![(
                    Some("迁坟区域".into()),
                    Geometry::Polygon(
                        Rect::new((578_350.0, 4_835_300.0), (578_550.0, 4_835_450.0)).to_polygon(),
                    ),
                )],
            },
            Overlay {
                id: "markers".into(),
                legend: "界桩".into(),
                style: OverlayStyle::points("#111111", Symbol::Triangle),
                features: vec![(
                    Some("JZ-009".into()),
                    Geometry::Point((578_100.0, 4_835_400.0).into()),
                )],
            },
        ],
        notes: vec!["面积：30000 平方米".into()],
        data_date: Some(date("2020-10-01")),
        made: Some(date("2026-11-29")),
        city_outline: Some(Geometry::Polygon(
            Rect::new((576_000.0, 4_832_000.0), (582_000.0, 4_838_000.0)).to_polygon(),
        )),
        units: vec![Named {
            name: "西城社区居委会".into(),
            name_mn: None,
            kind: 2,
            geometry: Geometry::Polygon(
                Rect::new((578_000.0, 4_835_000.0), (578_600.0, 4_835_500.0)).to_polygon(),
            ),
        }],
        streets: vec![
            street(
                "团结大街",
                None,
                StreetClass::Arterial,
                line_string![(x: 577_900.0, y: 4_835_250.0), (x: 578_700.0, y: 4_835_250.0)],
            ),
            street(
                "呼和路",
                Some("ᠬᠥᠬᠡ ᠵᠠᠮ"),
                StreetClass::Branch,
                line_string![(x: 578_300.0, y: 4_834_900.0), (x: 578_300.0, y: 4_835_600.0)],
            ),
        ],
        places: vec![Named {
            name: "二连浩特站".into(),
            name_mn: None,
            kind: PlaceCategory::Transport,
            geometry: Geometry::Point((578_450.0, 4_835_350.0).into()),
        }],
        door_plates: vec![
            (
                "1".into(),
                Coord {
                    x: 578_150.0,
                    y: 4_835_270.0,
                },
            ),
            (
                "3".into(),
                Coord {
                    x: 578_200.0,
                    y: 4_835_270.0,
                },
            ),
            (
                "2".into(),
                Coord {
                    x: 578_150.0,
                    y: 4_835_230.0,
                },
            ),
        ],
    }
}

#[test]
fn a_small_area_draws_as_its_snapshot() {
    let plan = Plan::new(
        Layout::named("A4-landscape").unwrap(),
        Rect::new((578_000.0, 4_835_000.0), (578_600.0, 4_835_500.0)),
        None,
    )
    .unwrap();
    let drawn = map::render(
        &plan,
        &Style::street_map(),
        &small_area(),
        &Measure::load().unwrap(),
    );
    // A change of the drawing shows as a reviewed diff (`cargo insta review`).
    insta::assert_snapshot!("street-map-small", drawn.svg);
    assert_eq!(plan.scale, 5000.0);
    assert_eq!(
        drawn
            .labels
            .iter()
            .filter(|l| l.kind == LabelKind::DoorPlate)
            .count(),
        3
    );
    // The overlays come first: their labels, the legend rows and the figures.
    for text in ["JZ-009", "迁坟区域", "面积：30000 平方米"] {
        assert!(drawn.svg.contains(&format!(">{text}<")), "{text}");
    }
    assert!(drawn.labels.iter().any(|l| l.text == "JZ-009"));
}

#[test]
fn the_street_map_prints_as_pdf_with_its_fonts_and_as_png() {
    let db_dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", db_dir.path().join("demo.gpkg").display());
    succeeded(&diming(&db, &["demo"]));
    let pdf = db_dir.path().join("街区图.pdf");
    let out = diming(&db, &["render", "street-map", "-o", pdf.to_str().unwrap()]);
    succeeded(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("A1-landscape") && said.contains("1:12 500"),
        "{said}"
    );
    // Fonts embedded (Chinese and Mongolian), text kept as text.
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("NotoSansCJK") && fonts.contains("NotoSansMongolian"),
        "{fonts}"
    );
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "{fonts}"
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("二连浩特市街区图") || text.contains("二 连 浩 特 市 街 区 图"));
    // Rendered to PNG as an officer's viewer would: an A1 landscape page.
    let png = db_dir.path().join("page");
    let r = std::process::Command::new("pdftoppm")
        .args(["-r", "20", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(r.success());
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(db_dir.path().join("page.png")).unwrap(),
    ));
    let info = decoder.read_info().unwrap().info().clone();
    // 841 × 594 mm at 20 dpi.
    assert!(
        (662..=663).contains(&info.width) && (467..=468).contains(&info.height),
        "{info:?}"
    );
    // The PNG the renderer draws itself, at the resolution asked for.
    let out_png = db_dir.path().join("街区图.png");
    succeeded(&diming(
        &db,
        &[
            "render",
            "street-map",
            "--layout",
            "A3-portrait",
            "--dpi",
            "40",
            "-o",
            out_png.to_str().unwrap(),
        ],
    ));
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&out_png).unwrap(),
    ));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!(info.width, (297.0f64 / 25.4 * 40.0).round() as u32);
    assert!(info.height > info.width);
    // Bad requests say what is wrong.
    for (args, says) in [
        (vec!["--layout", "B5-landscape"], "没有版式"),
        (vec!["--unit", "999999999"], "999999999"),
        (vec!["--bbox", "112,43,112,43"], "范围"),
        (vec!["--format", "tiff"], "svg、png 或 pdf"),
    ] {
        let mut all = vec!["render", "street-map"];
        all.extend(args.iter().copied());
        let target = db_dir.path().join("不应写出.svg");
        all.extend(["-o", target.to_str().unwrap()]);
        let out = diming(&db, &all);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!target.exists(), "nothing is written for a refused request");
    }
    let style = db_dir.path().join("style.toml");
    std::fs::write(&style, map::style::STREET_MAP.replace("[grid]", "[gird]")).unwrap();
    let out = diming(
        &db,
        &[
            "render",
            "street-map",
            "--style",
            style.to_str().unwrap(),
            "-o",
            "/tmp/diming-style-test.svg",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("样式文件"));
}

both_stores!(
    the_cemetery_map_numbers_its_plots_inside_them,
    |db: TestDb| async move {
        let registry = db.registry().await;
        load_demo(&registry).await;
        let (plan, data) = Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
            .cemetery_map(
                "二连浩特市公益性公墓",
                Layout::named("A1-landscape").unwrap(),
                date("2026-11-29"),
            )
            .unwrap();
        assert_eq!(plan.scale, 500.0);
        assert_eq!(data.title.as_deref(), Some("二连浩特市公益性公墓墓位图"));
        // A layer per status, every plot of the cemetery in one of them.
        let plots: usize = data
            .overlays
            .iter()
            .filter(|o| o.id.starts_with("plots-"))
            .map(|o| o.features.len())
            .sum();
        let in_registry = registry.current().layer(diming::model::Layer::Plot).count();
        assert_eq!(plots, in_registry);
        let drawn = map::render(
            &plan,
            Style::named("figure-map"),
            &data,
            Measure::shared().unwrap(),
        );
        // At 1:500 most plots carry their 排-号 inside them (not those under a section's name);
        // none overlaps another label.
        let numbers: Vec<&Placed> = drawn
            .labels
            .iter()
            .filter(|l| {
                l.text.contains('-') && l.text.chars().all(|c| c.is_ascii_digit() || c == '-')
            })
            .collect();
        assert!(
            numbers.len() * 4 >= plots * 3,
            "{} of {plots}",
            numbers.len()
        );
        assert_no_overlap(&drawn.labels, plan.layout.frame);
        for status in ["可用", "已安葬"] {
            assert!(
                drawn.svg.contains(&format!(">墓位：{status}<")),
                "legend: {status}"
            );
        }
        // At 1:1 000 (A3) most plots are too narrow for 排-号: only the wide ones keep it.
        let at_500 = numbers.len();
        let (plan, data) = Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
            .cemetery_map(
                "二连浩特市公益性公墓",
                Layout::named("A3-landscape").unwrap(),
                date("2026-11-29"),
            )
            .unwrap();
        assert_eq!(plan.scale, 1000.0);
        let drawn = map::render(
            &plan,
            Style::named("figure-map"),
            &data,
            Measure::shared().unwrap(),
        );
        let at_1000 = drawn
            .labels
            .iter()
            .filter(|l| {
                l.text.contains('-') && l.text.chars().all(|c| c.is_ascii_digit() || c == '-')
            })
            .count();
        assert!(
            at_1000 * 2 < at_500,
            "{at_1000} at 1:1 000, {at_500} at 1:500"
        );
        assert_no_overlap(&drawn.labels, plan.layout.frame);
        assert!(
            Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
                .cemetery_map(
                    "没有的公墓",
                    Layout::named("A3").unwrap(),
                    date("2026-11-29")
                )
                .is_err()
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_map_shows_every_sign_in_the_colour_of_its_condition() {
    let db = TestDb::sqlite().await;
    let registry = db.registry().await;
    load_demo(&registry).await;
    let (plan, data) = Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
        .sign_map(
            Layout::named("A1-landscape").unwrap(),
            &MapExtent::Streets,
            None,
            date("2026-11-29"),
        )
        .unwrap();
    let state = registry.current();
    let ground = plan.ground();
    let framed = |v: &&diming::model::RecordVersion| {
        let Geometry::Point(p) = diming::spatial::crs::to_measure(&v.geometry).unwrap() else {
            return false;
        };
        geo::Intersects::intersects(&ground, &p)
    };
    let in_frame = state
        .layer(diming::model::Layer::Sign)
        .filter(framed)
        .count();
    let drawn: usize = data
        .overlays
        .iter()
        .filter(|o| o.id.starts_with("signs-"))
        .map(|o| o.features.len())
        .sum();
    assert_eq!(drawn, in_frame);
    assert!(in_frame > 400);
    // Each condition in its own colour, the signs on the sheet counted in the panel.
    for c in diming::signs::Condition::ALL {
        let n = state
            .layer(diming::model::Layer::Sign)
            .filter(framed)
            .filter(|v| matches!(&v.body, diming::model::Body::Sign(s) if s.condition == c))
            .count();
        assert!(
            data.notes.contains(&format!("{}：{n} 块", c.label())),
            "{:?}",
            data.notes
        );
        if n > 0 {
            let o = data
                .overlays
                .iter()
                .find(|o| o.id == format!("signs-{}", c.as_str()))
                .unwrap();
            assert_eq!(o.style.colour, c.colour());
        }
    }
    let drawn = map::render(
        &plan,
        Style::named("sign-map"),
        &data,
        Measure::shared().unwrap(),
    );
    assert!(drawn.svg.contains("二连浩特市地名标志分布图"));
    assert!(
        drawn
            .labels
            .iter()
            .filter(|l| l.text.starts_with("DX-"))
            .count()
            > 50
    );
    assert_no_overlap(&drawn.labels, plan.layout.frame);
}
