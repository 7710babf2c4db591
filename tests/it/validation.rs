//! Geometry enters through validation: each invalid geometry is refused with its reason and
//! location, and nothing is stored.

use crate::support::{TestDb, both_stores};
use diming::addresses::{Street, StreetClass};
use diming::model::{Body, Changeset, Write};
use diming::names::{Place, PlaceCategory};
use diming::record::{RecordId, Source};
use diming::registry::RegistryError;
use diming::spatial::GeometryProblem;
use geo::{Geometry, MultiPolygon, Point, Polygon, line_string, point, polygon};

fn place(geometry: Geometry<f64>) -> Write {
    Write::Create {
        id: RecordId::new(),
        valid_from: "2024-01-01".parse().unwrap(),
        body: Body::from(Place {
            name: "测试地".into(),
            name_mn: None,
            category: PlaceCategory::Landform,
            source: Source::Survey,
            naming: diming::names::naming::Naming::proposed(),
        }),
        geometry,
    }
}

fn refusal(err: RegistryError) -> (GeometryProblem, Option<geo::Coord<f64>>) {
    match err {
        RegistryError::Geometry { invalid, .. } => (invalid.problem, invalid.at),
        other => panic!("expected a geometry refusal, got {other}"),
    }
}

both_stores!(
    each_invalid_geometry_is_refused_with_its_reason_and_nothing_is_stored,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let shell = line_string![(x: 111.9, y: 43.6), (x: 112.0, y: 43.6), (x: 112.0, y: 43.7), (x: 111.9, y: 43.7), (x: 111.9, y: 43.6)];
        let cases: Vec<(&str, Geometry<f64>, &str)> = vec![
        ("self-intersection", polygon![(x: 111.9, y: 43.6), (x: 112.0, y: 43.7), (x: 112.0, y: 43.6), (x: 111.9, y: 43.7)].into(), "self_intersection"),
        ("too few points", polygon![(x: 111.9, y: 43.6), (x: 112.0, y: 43.6), (x: 111.9, y: 43.6)].into(), "too_few_points"),
        ("hole outside shell", Polygon::new(shell.clone(), vec![line_string![(x: 112.1, y: 43.71), (x: 112.2, y: 43.71), (x: 112.2, y: 43.8), (x: 112.1, y: 43.71)]]).into(), "hole_outside_shell"),
        ("NaN", point!(x: f64::NAN, y: 43.6).into(), "non_finite"),
        ("infinite", point!(x: 111.9, y: f64::INFINITY).into(), "non_finite"),
        ("empty", MultiPolygon::<f64>(vec![]).into(), "empty"),
        ("Beijing", Point::new(116.39, 39.9).into(), "outside_extent"),
    ];
        for (what, geometry, code) in cases {
            let mut cs = Changeset::new("测试员", what);
            cs.writes.push(place(geometry));
            let (problem, _) = refusal(registry.commit(cs).await.unwrap_err());
            assert_eq!(problem.code(), code, "{what}: {problem}");
        }
        // A street must be a line.
        let mut cs = Changeset::new("测试员", "point street");
        cs.writes.push(Write::Create {
            id: RecordId::new(),
            valid_from: "2024-01-01".parse().unwrap(),
            body: Body::from(Street {
                name: "前进路".into(),
                name_mn: None,
                class: StreetClass::Lane,
                source: Source::Survey,
                naming: diming::names::naming::Naming::proposed(),
                numbering: Default::default(),
            }),
            geometry: point!(x: 111.97, y: 43.65).into(),
        });
        let (problem, _) = refusal(registry.commit(cs).await.unwrap_err());
        assert!(matches!(
            problem,
            GeometryProblem::WrongKind {
                expected: "MULTILINESTRING",
                found: "Point"
            }
        ));
        // The bow tie is located at its crossing.
        let mut cs = Changeset::new("测试员", "bow tie");
        cs.writes.push(place(polygon![(x: 111.9, y: 43.6), (x: 112.0, y: 43.7), (x: 112.0, y: 43.6), (x: 111.9, y: 43.7)].into()));
        let (_, at) = refusal(registry.commit(cs).await.unwrap_err());
        let at = at.unwrap();
        assert!((at.x - 111.95).abs() < 1e-9 && (at.y - 43.65).abs() < 1e-9);

        assert_eq!(registry.current().len(), 0);
        assert_eq!(
            db.registry().await.current().len(),
            0,
            "nothing reached the store"
        );
        assert!(registry.store().changesets(10).await.unwrap().is_empty());
    }
);

#[test]
fn an_unclosed_ring_in_geojson_is_refused_where_it_starts() {
    let text = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[111.9,43.6],[112.0,43.6],[112.0,43.7],[111.9,43.7]]]}}"#;
    let err = diming::spatial::geojson::features(text).unwrap_err();
    assert!(err.contains("环不闭合") && err.contains("111.9"), "{err}");
}
