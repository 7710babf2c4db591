//! The in-memory spatial index follows every committed changeset.

use crate::support::{TestDb, both_stores};
use diming::model::{Body, Changeset, Layer, Write};
use diming::names::{Place, PlaceCategory};
use diming::record::{RecordId, Source};
use geo::{Geometry, Point, Rect, coord};

fn place(name: &str) -> Body {
    Body::from(Place {
        name: name.into(),
        name_mn: None,
        category: PlaceCategory::Building,
        source: Source::Survey,
        naming: diming::names::naming::Naming::proposed(),
    })
}

fn around(x: f64, y: f64) -> Rect<f64> {
    Rect::new(
        coord! {x: x - 0.001, y: y - 0.001},
        coord! {x: x + 0.001, y: y + 0.001},
    )
}

fn one(write: Write) -> Changeset {
    let mut cs = Changeset::new("测试员", "索引测试");
    cs.writes.push(write);
    cs
}

both_stores!(
    the_index_answers_box_and_nearest_queries_after_every_commit,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let a = RecordId::new();
        let b = RecordId::new();
        for (id, name, x) in [(a, "甲楼", 111.960), (b, "乙楼", 111.990)] {
            registry
                .commit(one(Write::Create {
                    id,
                    valid_from: "2024-01-01".parse().unwrap(),
                    body: place(name),
                    geometry: Geometry::Point(Point::new(x, 43.650)),
                }))
                .await
                .unwrap();
        }
        let found = |x, y| {
            registry
                .current()
                .index()
                .intersecting(Layer::Place, around(x, y))
        };
        let nearest = |x, y| {
            registry
                .current()
                .index()
                .nearest(Layer::Place, coord! {x: x, y: y})
        };
        assert_eq!(found(111.960, 43.650), vec![a]);
        assert_eq!(nearest(111.970, 43.651), Some(a));
        assert_eq!(nearest(111.980, 43.649), Some(b));

        // 甲楼 moves next to 乙楼.
        registry
            .commit(one(Write::Update {
                id: a,
                base_version: 1,
                valid_from: "2024-06-01".parse().unwrap(),
                body: place("甲楼"),
                geometry: Geometry::Point(Point::new(111.9895, 43.650)),
            }))
            .await
            .unwrap();
        assert!(
            found(111.960, 43.650).is_empty(),
            "the old position is gone from the index"
        );
        let mut both = found(111.990, 43.650);
        both.sort();
        let mut expected = vec![a, b];
        expected.sort();
        assert_eq!(both, expected);
        assert_eq!(nearest(111.985, 43.650), Some(a));

        registry
            .commit(one(Write::Retire {
                id: a,
                base_version: 2,
                valid_from: "2025-01-01".parse().unwrap(),
            }))
            .await
            .unwrap();
        assert_eq!(found(111.990, 43.650), vec![b]);
        assert_eq!(nearest(111.985, 43.650), Some(b));
        assert_eq!(registry.current().index().len(Layer::Place), 1);
    }
);
