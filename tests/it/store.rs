//! The record model through both stores: all-or-nothing changesets, stale versions, history
//! and "as of" queries.

use crate::support::{TestDb, both_stores};
use chrono::NaiveDate;
use diming::addresses::{Street, StreetClass};
use diming::model::{Body, Changeset, ChangesetError, Layer, Write};
use diming::record::{ApprovalDocument, RecordId, Source};
use diming::registry::RegistryError;
use diming::store::StoreError;
use geo::{Geometry, line_string};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn street(name: &str) -> Body {
    Body::from(Street {
        name: name.into(),
        name_mn: None,
        class: StreetClass::Branch,
        source: Source::Survey,
        naming: diming::names::naming::Naming::proposed(),
        numbering: Default::default(),
    })
}

fn line(offset: f64) -> Geometry<f64> {
    Geometry::LineString(line_string![
        (x: 111.95, y: 43.64 + offset),
        (x: 111.99, y: 43.64 + offset)
    ])
}

fn create(id: RecordId, name: &str, from: &str) -> Write {
    Write::Create {
        id,
        valid_from: day(from),
        body: street(name),
        geometry: line(0.0),
    }
}

fn rename(id: RecordId, base: u32, name: &str, from: &str) -> Write {
    Write::Update {
        id,
        base_version: base,
        valid_from: day(from),
        body: street(name),
        geometry: line(0.001),
    }
}

fn changeset(writes: Vec<Write>) -> Changeset {
    let mut cs = Changeset::new("测试员", "测试");
    cs.writes = writes;
    cs
}

fn name_of(registry: &diming::registry::Registry, id: RecordId) -> Option<String> {
    registry.current().get(&id).map(|v| v.body.title())
}

both_stores!(
    a_changeset_whose_third_write_is_stale_writes_nothing,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let a = RecordId::new();
        registry
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        let (b, c) = (RecordId::new(), RecordId::new());
        let err = registry
            .commit(changeset(vec![
                create(b, "团结路", "2020-01-01"),
                create(c, "友谊路", "2020-01-01"),
                rename(a, 7, "胜利路", "2021-01-01"),
            ]))
            .await
            .unwrap_err();
        assert!(err.is_stale(), "{err}");
        assert!(name_of(&registry, b).is_none() && name_of(&registry, c).is_none());
        let reopened = db.registry().await;
        assert_eq!(
            reopened.current().len(),
            1,
            "only the first street is stored"
        );
        assert_eq!(reopened.history(b).await.unwrap(), vec![]);
        assert_eq!(reopened.history(a).await.unwrap().len(), 1);
    }
);

both_stores!(
    the_store_refuses_a_whole_changeset_when_another_process_wrote_first,
    |db: TestDb| async move {
        // Two registries on one store, as two server processes would be.
        let first = db.registry().await;
        let a = RecordId::new();
        first
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        let second = db.registry().await;
        first
            .commit(changeset(vec![rename(a, 1, "胜利路", "2021-01-01")]))
            .await
            .unwrap();
        // `second` still believes `a` is at version 1: planning passes, the store refuses.
        let (b, c) = (RecordId::new(), RecordId::new());
        let err = second
            .commit(changeset(vec![
                create(b, "团结路", "2020-01-01"),
                create(c, "友谊路", "2020-01-01"),
                rename(a, 1, "和平路", "2021-06-01"),
            ]))
            .await
            .unwrap_err();
        match err {
            RegistryError::Store(StoreError::Stale {
                id,
                expected,
                actual,
            }) => {
                assert_eq!((id, expected, actual), (a, 1, 2));
            }
            other => panic!("expected a stale refusal from the store, got {other}"),
        }
        assert!(
            name_of(&second, b).is_none(),
            "memory unchanged after a refused commit"
        );
        let reopened = db.registry().await;
        assert_eq!(reopened.current().len(), 1);
        assert_eq!(name_of(&reopened, a).as_deref(), Some("胜利路"));
        assert!(reopened.history(b).await.unwrap().is_empty());
        assert!(reopened.history(c).await.unwrap().is_empty());
    }
);

both_stores!(
    a_stale_version_is_refused_and_nothing_changes,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let a = RecordId::new();
        registry
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        registry
            .commit(changeset(vec![rename(a, 1, "胜利路", "2021-01-01")]))
            .await
            .unwrap();
        let err = registry
            .commit(changeset(vec![rename(a, 1, "和平路", "2022-01-01")]))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                RegistryError::Changeset(ChangesetError::Stale {
                    expected: 1,
                    actual: 2,
                    ..
                })
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains("第 1 版") && err.to_string().contains("第 2 版"),
            "{err}"
        );
        assert_eq!(name_of(&registry, a).as_deref(), Some("胜利路"));
        assert_eq!(registry.history(a).await.unwrap().len(), 2);
    }
);

both_stores!(
    history_and_as_of_queries_return_what_was_true,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let a = RecordId::new();
        registry
            .commit(changeset(vec![create(a, "工农街", "2020-01-01")]))
            .await
            .unwrap();
        let document = ApprovalDocument {
            issuer: "二连浩特市人民政府".into(),
            number: "二政字〔2021〕35号".into(),
            date: day("2021-04-20"),
        };
        let renamed = registry
            .commit(
                changeset(vec![rename(a, 1, "建设街", "2021-05-01")])
                    .with_document(document.clone()),
            )
            .await
            .unwrap();
        registry
            .commit(changeset(vec![Write::Retire {
                id: a,
                base_version: 2,
                valid_from: day("2023-01-01"),
            }]))
            .await
            .unwrap();

        let history = registry.history(a).await.unwrap();
        let summary: Vec<_> = history
            .iter()
            .map(|v| {
                (
                    v.version,
                    v.body.title(),
                    v.valid_from,
                    v.valid_to,
                    v.retired,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    1,
                    "工农街".into(),
                    day("2020-01-01"),
                    Some(day("2021-05-01")),
                    false
                ),
                (
                    2,
                    "建设街".into(),
                    day("2021-05-01"),
                    Some(day("2023-01-01")),
                    false
                ),
                (3, "建设街".into(), day("2023-01-01"), None, true),
            ]
        );
        assert!(history[0].superseded_at.is_some() && history[2].superseded_at.is_none());
        let Geometry::LineString(drawn) = line(0.001) else {
            unreachable!()
        };
        assert_eq!(
            history[1].geometry,
            Geometry::MultiLineString(geo::MultiLineString(vec![drawn])),
            "a street is stored as a multi-line, coordinates exactly as drawn"
        );

        let on = |d: &str| {
            let registry = &registry;
            let d = day(d);
            async move {
                registry
                    .record_as_of(a, d)
                    .await
                    .unwrap()
                    .map(|v| v.body.title())
            }
        };
        assert_eq!(on("2019-12-31").await, None);
        assert_eq!(on("2020-06-01").await.as_deref(), Some("工农街"));
        assert_eq!(on("2021-05-01").await.as_deref(), Some("建设街"));
        assert_eq!(on("2024-01-01").await, None, "retired by then");
        let layer: Vec<_> = registry
            .layer_as_of(Layer::Street, day("2022-01-01"))
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.body.title())
            .collect();
        assert_eq!(layer, vec!["建设街".to_string()]);

        assert!(
            registry.current().get(&a).is_none(),
            "a retired record is not current"
        );
        let cs = registry.store().changeset(renamed).await.unwrap().unwrap();
        assert_eq!(
            (cs.author.as_str(), cs.document),
            ("测试员", Some(document))
        );
        assert_eq!(cs.recorded_at, history[1].recorded_at);
    }
);

both_stores!(
    a_write_before_the_current_version_or_to_a_missing_record_is_refused,
    |db: TestDb| async move {
        let registry = db.registry().await;
        let a = RecordId::new();
        registry
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        let back = registry
            .commit(changeset(vec![rename(a, 1, "胜利路", "2019-01-01")]))
            .await;
        assert!(matches!(
            back,
            Err(RegistryError::Changeset(ChangesetError::BackDated { .. }))
        ));
        let twice = registry
            .commit(changeset(vec![create(a, "团结路", "2020-01-01")]))
            .await;
        assert!(matches!(
            twice,
            Err(RegistryError::Changeset(ChangesetError::AlreadyExists(_)))
        ));
        let ghost = RecordId::new();
        let missing = registry
            .commit(changeset(vec![rename(ghost, 1, "胜利路", "2021-01-01")]))
            .await;
        assert!(
            matches!(missing, Err(RegistryError::Changeset(ChangesetError::NotFound(id))) if id == ghost)
        );
        let empty = registry.commit(changeset(vec![])).await;
        assert!(matches!(
            empty,
            Err(RegistryError::Changeset(ChangesetError::Empty))
        ));
        assert_eq!(registry.history(a).await.unwrap().len(), 1);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_learns_of_another_servers_commits_through_postgres_notifications() {
    let db = TestDb::postgres().await;
    let writer = db.registry().await;
    let reader = std::sync::Arc::new(db.registry().await);
    let _following = reader.follow().expect("PostgreSQL registries follow");
    reader.warm_search();
    let a = RecordId::new();
    let wait_for = |want: Option<&'static str>| {
        let reader = reader.clone();
        async move {
            for _ in 0..100 {
                if name_of(&reader, a).as_deref() == want {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!(
                "the reader never saw {want:?}; it has {:?}",
                name_of(&reader, a)
            );
        }
    };
    writer
        .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
        .await
        .unwrap();
    wait_for(Some("前进路")).await;
    writer
        .commit(changeset(vec![rename(a, 1, "胜利路", "2021-01-01")]))
        .await
        .unwrap();
    wait_for(Some("胜利路")).await;
    // Its search index followed the rename (the index is brought up to date just after the
    // state): the new name is found, the old one no longer.
    let finds = |q: &str| {
        reader
            .search_index()
            .search(q, None, 5)
            .iter()
            .any(|h| h.id == a && h.score == 100)
    };
    for _ in 0..100 {
        if finds("胜利路") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(finds("胜利路") && !finds("前进路"));
    // The reader can now write on the version it learnt of.
    reader
        .commit(changeset(vec![rename(a, 2, "和平路", "2022-01-01")]))
        .await
        .unwrap();
    writer
        .commit(changeset(vec![Write::Retire {
            id: a,
            base_version: 2,
            valid_from: day("2023-01-01"),
        }]))
        .await
        .expect_err("the writer's memory is stale, and it is refused");
    assert!(reader.current().index().len(Layer::Street) == 1);
}

/// A server reads the store in full when it starts following only if something was committed
/// since it opened: a commit made in between is found; with none, memory and its tile cache
/// are kept (a province's million records are not read twice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_reads_again_only_what_was_committed_before_it_listened() {
    let db = TestDb::postgres().await;
    let writer = db.registry().await;
    let wait_for = |reader: std::sync::Arc<diming::registry::Registry>,
                    id: RecordId,
                    want: &'static str| async move {
        for _ in 0..100 {
            if name_of(&reader, id).as_deref() == Some(want) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the reader never saw {want}");
    };
    // Opened, then another server commits before this one listens: no notification comes
    // for it, the reading in full finds it.
    let reader = std::sync::Arc::new(db.registry().await);
    let a = RecordId::new();
    writer
        .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
        .await
        .unwrap();
    assert_eq!(name_of(&reader, a), None);
    let _following = reader.follow().expect("PostgreSQL registries follow");
    wait_for(reader.clone(), a, "前进路").await;

    // Opened with nothing committed before it listens: a cached tile elsewhere survives the
    // start of following (a reading in full would empty the cache).
    let quiet = std::sync::Arc::new(db.registry().await);
    let far = (Layer::Plot, false, 14, 13286, 5979);
    quiet.tile_cache().insert(far, None);
    let _following_too = quiet.follow().expect("PostgreSQL registries follow");
    let b = RecordId::new();
    // Committed once it listens (its listener connects in milliseconds): a notification.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    writer
        .commit(changeset(vec![create(b, "胜利路", "2020-01-01")]))
        .await
        .unwrap();
    wait_for(quiet.clone(), b, "胜利路").await;
    assert_eq!(name_of(&quiet, a).as_deref(), Some("前进路"));
    assert!(
        quiet.tile_cache().contains(&far),
        "the tile cache was emptied by a needless reading in full"
    );
}

#[test]
fn applying_a_commit_twice_or_an_older_one_late_changes_nothing() {
    use diming::model::CurrentState;
    let mut state = CurrentState::default();
    let a = RecordId::new();
    let now = chrono::Utc::now();
    let p1 = state
        .plan(changeset(vec![create(a, "前进路", "2020-01-01")]), now)
        .unwrap();
    state.apply(&p1);
    let p2 = state
        .plan(changeset(vec![rename(a, 1, "胜利路", "2021-01-01")]), now)
        .unwrap();
    state.apply(&p2);
    let p3 = state
        .plan(
            changeset(vec![Write::Retire {
                id: a,
                base_version: 2,
                valid_from: day("2022-01-01"),
            }]),
            now,
        )
        .unwrap();
    state.apply(&p3);
    state.apply(&p2);
    state.apply(&p1);
    assert!(state.get(&a).is_none(), "a retired record stays retired");
    assert_eq!(state.index().len(Layer::Street), 0);
}

both_stores!(
    a_record_created_by_another_process_first_cannot_be_created_again,
    |db: TestDb| async move {
        let first = db.registry().await;
        let second = db.registry().await;
        let a = RecordId::new();
        first
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        let b = RecordId::new();
        let err = second
            .commit(changeset(vec![
                create(b, "团结路", "2020-01-01"),
                create(a, "友谊路", "2020-01-01"),
            ]))
            .await
            .unwrap_err();
        assert!(
            matches!(err, RegistryError::Store(StoreError::AlreadyExists(id)) if id == a),
            "{err}"
        );
        let reopened = db.registry().await;
        assert_eq!(name_of(&reopened, a).as_deref(), Some("前进路"));
        assert!(reopened.history(b).await.unwrap().is_empty());
    }
);

both_stores!(
    a_large_changeset_survives_the_store_exactly,
    |db: TestDb| async move {
        // Large enough for PostgreSQL's COPY path; names with the characters COPY escapes.
        let registry = db.registry().await;
        let mut cs = Changeset::new("测试", "大批量写入");
        let awkward = ["制表\t符", "反斜\\杠", "换\n行", "回\r车", "\\N", "普通"];
        for i in 0..2500 {
            let name = format!("{}{i}", awkward[i % awkward.len()]);
            cs.push(Write::Create {
                id: RecordId::derived(&format!("bulk/{i}")),
                valid_from: day("2024-01-01"),
                body: Body::from(Street {
                    name,
                    name_mn: (i % 2 == 0).then(|| "ᠡᠷᠢᠶᠡᠨ".to_string()),
                    class: StreetClass::Lane,
                    source: Source::Survey,
                    naming: diming::names::naming::Naming::proposed(),
                    numbering: Default::default(),
                }),
                geometry: line(i as f64 * 1e-5),
            });
        }
        registry.commit(cs).await.unwrap();
        let expected: Vec<_> = {
            let current = registry.current();
            let mut v: Vec<_> = current.layer(Layer::Street).cloned().collect();
            v.sort_by_key(|v| v.id);
            v
        };
        drop(registry);
        // A fresh process reads exactly what was written, body and geometry.
        let reopened = db.registry().await;
        let mut got: Vec<_> = reopened.current().layer(Layer::Street).cloned().collect();
        got.sort_by_key(|v| v.id);
        assert_eq!(got.len(), 2500);
        assert_eq!(got, expected);
        assert!(got.iter().any(|v| v.body.title().starts_with("\\N")));
        // The layer table (what QGIS reads) has the same names, escapes and all.
        let sql = "SELECT name FROM streets WHERE name LIKE '%反斜%' ORDER BY name LIMIT 1";
        let name: String = match reopened.store() {
            diming::store::Store::Sqlite(s) => {
                sqlx::query_scalar(sql).fetch_one(s.pool()).await.unwrap()
            }
            diming::store::Store::Postgres(p) => {
                sqlx::query_scalar(sql).fetch_one(p.pool()).await.unwrap()
            }
        };
        assert!(name.starts_with("反斜\\杠"), "{name}");
        let tabbed = "SELECT count(*) FROM streets WHERE name LIKE '制表' || char(9) || '符%'";
        let tabbed_pg = "SELECT count(*) FROM streets WHERE name LIKE E'制表\\t符%'";
        let n: i64 = match reopened.store() {
            diming::store::Store::Sqlite(s) => sqlx::query_scalar(tabbed)
                .fetch_one(s.pool())
                .await
                .unwrap(),
            diming::store::Store::Postgres(p) => sqlx::query_scalar(tabbed_pg)
                .fetch_one(p.pool())
                .await
                .unwrap(),
        };
        assert_eq!(n, 417);
    }
);

both_stores!(
    a_version_names_a_changeset_that_exists_and_a_named_changeset_stays,
    |db: TestDb| async move {
        // PostgreSQL checks the reference once per statement (a trigger), SQLite with its
        // foreign key: the guarantee is the same, whatever writes to the tables.
        let registry = db.registry().await;
        let id = RecordId::new();
        let made = registry
            .commit(changeset(vec![create(id, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        let unknown = RecordId::new().to_string();
        let made = made.to_string();
        let (copy, with_unknown, delete, rename) = match registry.store() {
            diming::store::Store::Sqlite(_) => (
                "INSERT INTO versions (id, version, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom) SELECT id, version + 1, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom FROM versions WHERE changeset = ?1",
                "INSERT INTO versions (id, version, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom) SELECT id, version + 2, layer, valid_from, valid_to, recorded_at, superseded_at, ?2, retired, body, geom FROM versions WHERE changeset = ?1",
                "DELETE FROM changesets WHERE id = ?1",
                "UPDATE versions SET changeset = ?2 WHERE changeset = ?1",
            ),
            diming::store::Store::Postgres(_) => (
                "INSERT INTO versions (id, version, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom) SELECT id, version + 1, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom FROM versions WHERE changeset = $1::uuid",
                "INSERT INTO versions (id, version, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom) SELECT id, version + 2, layer, valid_from, valid_to, recorded_at, superseded_at, $2::uuid, retired, body, geom FROM versions WHERE changeset = $1::uuid",
                "DELETE FROM changesets WHERE id = $1::uuid",
                "UPDATE versions SET changeset = $2::uuid WHERE changeset = $1::uuid",
            ),
        };
        let params = [made.as_str(), unknown.as_str()];
        let run = |sql| crate::support::execute(registry.store(), sql, &params);
        // A version naming a changeset that exists is written (the check lets it through).
        assert_eq!(run(copy).await, Ok(1));
        // One naming a changeset that does not exist is refused, and nothing is written.
        let err = run(with_unknown).await.unwrap_err();
        assert!(
            err.to_lowercase().contains("foreign key") || err.contains("changeset"),
            "{err}"
        );
        // A version cannot be moved to another changeset, nor a named changeset deleted.
        assert!(run(rename).await.is_err());
        assert!(run(delete).await.is_err());
        let history = registry.history(id).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            [1, 2],
            "only the version naming a known changeset was added"
        );
        assert!(history.iter().all(|v| v.changeset.to_string() == made));
    }
);

both_stores!(
    a_store_of_the_schema_before_upgrades_in_place_and_keeps_every_version,
    |db: TestDb| async move {
        // A store with history, taken back to the schema it had before the last migrations
        // (PostgreSQL: bodies as jsonb, the changeset as a foreign key, the index of current
        // versions; SQLite: that index), then opened again: the migrations run over real rows.
        let registry = db.registry().await;
        let a = RecordId::new();
        let b = RecordId::new();
        registry
            .commit(changeset(vec![
                create(a, "前进路", "2020-01-01"),
                create(b, "团结路", "2020-01-01"),
            ]))
            .await
            .unwrap();
        registry
            .commit(changeset(vec![rename(a, 1, "新华路", "2021-05-01")]))
            .await
            .unwrap();
        let before_a = registry.history(a).await.unwrap();
        let before_b = registry.history(b).await.unwrap();
        let back = match registry.store() {
            diming::store::Store::Sqlite(_) => vec![
                "CREATE INDEX versions_current ON versions(layer) WHERE superseded_at IS NULL AND retired = 0",
                "DELETE FROM diming_migrations WHERE version >= 10",
            ],
            diming::store::Store::Postgres(_) => vec![
                "CREATE INDEX versions_current ON versions(layer) WHERE superseded_at IS NULL AND NOT retired",
                "ALTER TABLE versions ALTER COLUMN body TYPE jsonb USING body::jsonb",
                "DROP TRIGGER versions_changeset_exists ON versions",
                "DROP TRIGGER versions_changeset_fixed ON versions",
                "DROP TRIGGER changesets_kept ON changesets",
                "DROP TRIGGER changesets_id_fixed ON changesets",
                "DROP TRIGGER changesets_not_emptied ON changesets",
                "DROP FUNCTION diming_versions_changeset_exists, diming_refuse_change, diming_changeset_unreferenced, diming_changesets_not_emptied",
                "ALTER TABLE versions ADD CONSTRAINT versions_changeset_fkey FOREIGN KEY (changeset) REFERENCES changesets(id)",
                "DELETE FROM diming_migrations WHERE version >= 9",
            ],
        };
        for sql in back {
            crate::support::execute(registry.store(), sql, &[])
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        drop(registry);
        let reopened = db.registry().await;
        assert_eq!(reopened.history(a).await.unwrap(), before_a);
        assert_eq!(reopened.history(b).await.unwrap(), before_b);
        assert_eq!(name_of(&reopened, a).as_deref(), Some("新华路"));
        // The upgraded store takes new versions, through INSERT and COPY alike.
        reopened
            .commit(changeset(vec![rename(b, 1, "友谊路", "2022-01-01")]))
            .await
            .unwrap();
        let mut cs = Changeset::new("测试", "升级后批量写入");
        for i in 0..1200 {
            cs.push(create(
                RecordId::derived(&format!("upgraded/{i}")),
                &format!("升级{i}巷"),
                "2024-01-01",
            ));
        }
        reopened.commit(cs).await.unwrap();
        drop(reopened);
        let again = db.registry().await;
        assert_eq!(name_of(&again, b).as_deref(), Some("友谊路"));
        assert_eq!(again.current().count(Layer::Street), 2 + 1200);
        assert_eq!(again.history(a).await.unwrap(), before_a);
    }
);

both_stores!(
    a_large_update_with_one_record_changed_by_another_process_is_refused_whole,
    |db: TestDb| async move {
        // 3,500 records updated in one changeset (the versions they supersede are closed in
        // batches); another process changed the 3,201st first. The store names it, and none
        // of the other 3,499 changes.
        let first = db.registry().await;
        let ids: Vec<RecordId> = (0..3500)
            .map(|i| RecordId::derived(&format!("many/{i}")))
            .collect();
        let mut cs = Changeset::new("测试", "批量建立");
        for (i, id) in ids.iter().enumerate() {
            cs.push(create(*id, &format!("批量{i}巷"), "2020-01-01"));
        }
        first.commit(cs).await.unwrap();
        let second = db.registry().await;
        let raced = ids[3200];
        first
            .commit(changeset(vec![rename(raced, 1, "抢先路", "2021-01-01")]))
            .await
            .unwrap();
        let mut cs = Changeset::new("测试", "批量改名");
        for (i, id) in ids.iter().enumerate() {
            cs.push(rename(*id, 1, &format!("改名{i}巷"), "2022-01-01"));
        }
        let err = second.commit(cs).await.unwrap_err();
        match err {
            RegistryError::Store(StoreError::Stale {
                id,
                expected,
                actual,
            }) => assert_eq!((id, expected, actual), (raced, 1, 2)),
            other => panic!("expected a stale refusal from the store, got {other}"),
        }
        let reopened = db.registry().await;
        for (i, id) in ids.iter().enumerate() {
            let history = reopened.history(*id).await.unwrap();
            if *id == raced {
                assert_eq!(history.len(), 2);
                assert_eq!(name_of(&reopened, *id).as_deref(), Some("抢先路"));
            } else {
                assert_eq!(history.len(), 1, "record {i}");
                assert_eq!(history[0].valid_to, None, "record {i} still open");
                assert_eq!(name_of(&reopened, *id), Some(format!("批量{i}巷")));
            }
        }
        // A GeoPackage's feature ids stay what GIS clients know them by across an update.
        async fn fids(registry: &diming::registry::Registry) -> Vec<(String, i64)> {
            match registry.store() {
                diming::store::Store::Sqlite(s) => {
                    sqlx::query_as("SELECT id, fid FROM streets ORDER BY id")
                        .fetch_all(s.pool())
                        .await
                        .unwrap()
                }
                diming::store::Store::Postgres(_) => Vec::new(),
            }
        }
        let fids_before = fids(&reopened).await;
        // Without the race, the same update goes through whole.
        let mut cs = Changeset::new("测试", "批量改名");
        for (i, id) in ids.iter().enumerate() {
            let base = if *id == raced { 2 } else { 1 };
            cs.push(rename(*id, base, &format!("改名{i}巷"), "2022-01-01"));
        }
        reopened.commit(cs).await.unwrap();
        let again = db.registry().await;
        assert_eq!(name_of(&again, ids[0]).as_deref(), Some("改名0巷"));
        assert_eq!(fids(&again).await, fids_before);
        let old = &again.history(ids[3499]).await.unwrap()[0];
        assert_eq!(old.valid_to, Some(day("2022-01-01")));
        assert!(old.superseded_at.is_some());
    }
);

both_stores!(
    a_store_destroyed_for_a_fresh_demo_opens_again_empty,
    |db: TestDb| async move {
        // `diming demo --force`: everything of diming's is removed, and the store is made
        // again from the first migration.
        let registry = db.registry().await;
        let a = RecordId::new();
        registry
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        drop(registry);
        diming::store::Store::destroy(db.url()).await.unwrap();
        let fresh = db.registry().await;
        assert_eq!(fresh.current().len(), 0);
        assert!(fresh.history(a).await.unwrap().is_empty());
        fresh
            .commit(changeset(vec![create(a, "前进路", "2020-01-01")]))
            .await
            .unwrap();
        assert_eq!(name_of(&fresh, a).as_deref(), Some("前进路"));
    }
);

both_stores!(
    a_bulk_commit_waits_for_no_reader_and_keeps_the_layers_indexes,
    |db: TestDb| async move {
        // PostgreSQL builds a large commit's layer-table indexes again after writing its rows
        // (far faster than row by row), which needs the table to itself: a reader in an open
        // transaction (QGIS, a report) must not hold the commit up, and the indexes must come
        // out as they were.
        let registry = db.registry().await;
        let indexes_sql_pg = "SELECT indexname || ' ' || indexdef FROM pg_indexes \
                              WHERE tablename = 'streets' ORDER BY indexname";
        let indexes_sql_sqlite =
            "SELECT name FROM sqlite_master WHERE tbl_name = 'streets' ORDER BY name";
        async fn strings(store: &diming::store::Store, pg: &str, lite: &str) -> Vec<String> {
            match store {
                diming::store::Store::Sqlite(s) => sqlx::query_scalar(sqlx::AssertSqlSafe(lite))
                    .fetch_all(s.pool())
                    .await
                    .unwrap(),
                diming::store::Store::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(pg))
                    .fetch_all(p.pool())
                    .await
                    .unwrap(),
            }
        }
        // An index of the bureau's own, for a report: it must survive too.
        crate::support::execute(
            registry.store(),
            "CREATE INDEX streets_report ON streets (lower(name))",
            &[],
        )
        .await
        .unwrap();
        let before = strings(registry.store(), indexes_sql_pg, indexes_sql_sqlite).await;
        assert!(before.iter().any(|s| s.contains("streets_report")));
        if matches!(registry.store(), diming::store::Store::Postgres(_)) {
            assert!(
                before.iter().any(|s| s.contains("streets_geom")),
                "{before:?}"
            );
        }
        let batch = |from: usize| {
            let mut cs = Changeset::new("测试", "批量建立");
            for i in from..from + 1500 {
                cs.push(create(RecordId::new(), &format!("批量{i}巷"), "2020-01-01"));
            }
            cs
        };
        // A commit that waited on a lock would hang: each is given a minute.
        let commit_in_time = {
            let registry = &registry;
            move |cs: Changeset, waited: &'static str| async move {
                tokio::time::timeout(std::time::Duration::from_secs(60), registry.commit(cs))
                    .await
                    .expect(waited)
                    .unwrap();
            }
        };
        // A reader holds the table in an open transaction while 1,500 streets are committed.
        let count = "SELECT count(*) FROM streets";
        match registry.store() {
            diming::store::Store::Sqlite(s) => {
                let mut tx = s.pool().begin().await.unwrap();
                let n: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await.unwrap();
                assert_eq!(n, 0);
                commit_in_time(batch(0), "the commit waited for the reader").await;
                tx.rollback().await.unwrap();
            }
            diming::store::Store::Postgres(p) => {
                let mut tx = p.pool().begin().await.unwrap();
                let n: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await.unwrap();
                assert_eq!(n, 0);
                commit_in_time(batch(0), "the commit waited for the reader").await;
                tx.rollback().await.unwrap();
            }
        }
        // Without a reader, 1,500 more into a table of 1,500: the indexes are rebuilt.
        commit_in_time(batch(1500), "the commit finished").await;
        assert_eq!(
            strings(registry.store(), indexes_sql_pg, indexes_sql_sqlite).await,
            before
        );
        // Every row is there; PostgreSQL's spatial index finds them all (told to use it).
        let lite = "SELECT count(*) FROM streets";
        let found: i64 = match registry.store() {
            diming::store::Store::Sqlite(s) => {
                sqlx::query_scalar(lite).fetch_one(s.pool()).await.unwrap()
            }
            diming::store::Store::Postgres(p) => {
                let mut tx = p.pool().begin().await.unwrap();
                sqlx::query("SET LOCAL enable_seqscan = off")
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                let plan: Vec<String> = sqlx::query_scalar(
                    "EXPLAIN SELECT count(*) FROM streets \
                     WHERE geom && ST_MakeEnvelope(111.9, 43.6, 112.0, 43.7, 4490)",
                )
                .fetch_all(&mut *tx)
                .await
                .unwrap();
                assert!(plan.join("\n").contains("streets_geom"), "{plan:?}");
                sqlx::query_scalar(
                    "SELECT count(*) FROM streets \
                     WHERE geom && ST_MakeEnvelope(111.9, 43.6, 112.0, 43.7, 4490)",
                )
                .fetch_one(&mut *tx)
                .await
                .unwrap()
            }
        };
        assert_eq!(found, 3000);
        assert_eq!(registry.current().count(Layer::Street), 3000);
        // A bulk commit that fails after its indexes were dropped (here a row put into the
        // layer table behind diming's back collides with a new record's id) leaves every
        // index as it was and writes nothing. SQLite updates such a row in place instead.
        if let diming::store::Store::Postgres(p) = registry.store() {
            // 3,000 new streets into a table of 3,001: the indexes are dropped first.
            let mut cs = batch(3000);
            cs.writes.extend(batch(4500).writes);
            let Write::Create { id, .. } = &cs.writes[700] else {
                unreachable!()
            };
            sqlx::query(
                "INSERT INTO streets (id, version, valid_from, recorded_at, source, name, class, \
                 status, geom) SELECT $1, 1, valid_from, recorded_at, source, name, class, \
                 status, geom FROM streets LIMIT 1",
            )
            .bind(id.0)
            .execute(p.pool())
            .await
            .unwrap();
            cs.reason = "冲突".into();
            let err = registry.commit(cs).await.unwrap_err();
            assert!(err.to_string().contains("图层表"), "{err}");
            assert_eq!(
                strings(registry.store(), indexes_sql_pg, indexes_sql_sqlite).await,
                before
            );
            let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM streets")
                .fetch_one(p.pool())
                .await
                .unwrap();
            assert_eq!(rows, 3001);
            let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM versions")
                .fetch_one(p.pool())
                .await
                .unwrap();
            assert_eq!(versions, 3000);
        }
    }
);

fn street_at(y: f64) -> Geometry<f64> {
    Geometry::LineString(line_string![(x: 111.95, y: y), (x: 111.99, y: y)])
}

/// The ids of the streets GDAL finds in a thin box around the latitude `y`, and whether GDAL
/// asked the GeoPackage's R-tree for them.
fn streets_gdal_finds_at(file: &str, y: f64) -> (Vec<String>, bool) {
    let out = std::process::Command::new("ogrinfo")
        .args([
            "-ro",
            "-q",
            "-al",
            "--config",
            "CPL_DEBUG",
            "ON",
            file,
            "streets",
        ])
        .args(["-spat", "111.96", &(y - 0.0002).to_string(), "111.97"])
        .arg((y + 0.0002).to_string())
        .output()
        .expect("ogrinfo (gdal-bin) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let ids = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("id (String) = "))
        .map(str::to_string)
        .collect();
    let used_index = String::from_utf8_lossy(&out.stderr).contains("rtree_streets_geom");
    (ids, used_index)
}

#[tokio::test]
async fn the_geopackage_spatial_index_follows_every_commit_and_gdal_uses_it() {
    let db = TestDb::sqlite().await;
    let file = db.url().strip_prefix("sqlite://").unwrap().to_string();
    let registry = db.registry().await;
    let (a, b, c) = (RecordId::new(), RecordId::new(), RecordId::new());
    let mut writes = Vec::new();
    for (id, name, y) in [
        (a, "甲路", 43.640),
        (b, "乙路", 43.645),
        (c, "丙路", 43.650),
    ] {
        writes.push(Write::Create {
            id,
            valid_from: day("2020-01-01"),
            body: street(name),
            geometry: street_at(y),
        });
    }
    registry.commit(changeset(writes)).await.unwrap();
    // 乙路 moves north, 丙路 is retired.
    registry
        .commit(changeset(vec![
            Write::Update {
                id: b,
                base_version: 1,
                valid_from: day("2021-01-01"),
                body: street("乙路"),
                geometry: street_at(43.655),
            },
            Write::Retire {
                id: c,
                base_version: 1,
                valid_from: day("2021-01-01"),
            },
        ]))
        .await
        .unwrap();
    let expect = [
        (43.640, vec![a.to_string()]),
        (43.645, vec![]),
        (43.650, vec![]),
        (43.655, vec![b.to_string()]),
    ];
    for (y, ids) in &expect {
        let (found, used_index) = streets_gdal_finds_at(&file, *y);
        assert_eq!(&found, ids, "at {y}");
        assert!(
            used_index,
            "GDAL read the whole table instead of asking the index"
        );
    }
    let extent = registry.config().jurisdiction.extent;
    let verified = registry.store().verify(&extent).await.unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);

    // An index that lost an entry is found by verify, with the table named.
    let diming::store::Store::Sqlite(store) = registry.store() else {
        unreachable!("a SQLite test store")
    };
    sqlx::query("DELETE FROM rtree_streets_geom WHERE id = (SELECT fid FROM streets WHERE id = ?)")
        .bind(a.to_string())
        .execute(store.pool())
        .await
        .unwrap();
    let verified = registry.store().verify(&extent).await.unwrap();
    assert!(
        verified
            .problems
            .iter()
            .any(|p| p.message.contains("streets 的空间索引与图层表不符：1 行")),
        "{:?}",
        verified.problems
    );

    // A store without the index (made before it existed) gets it, filled, when it opens.
    for sql in [
        "DROP TABLE rtree_streets_geom",
        "DELETE FROM gpkg_extensions WHERE table_name = 'streets'",
    ] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    let triggers: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_streets_geom_%'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(triggers.len(), 6, "{triggers:?}");
    for name in triggers {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER \"{name}\"")))
            .execute(store.pool())
            .await
            .unwrap();
    }
    // An index dropped by hand, its triggers and its row in gpkg_extensions left behind.
    sqlx::query("DROP TABLE rtree_places_geom")
        .execute(store.pool())
        .await
        .unwrap();
    drop(registry);
    let registry = db.registry().await;
    let diming::store::Store::Sqlite(store) = registry.store() else {
        unreachable!("a SQLite test store")
    };
    let indexed: Vec<String> = sqlx::query_scalar(
        "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' \
         AND table_name IN ('places', 'streets') ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(indexed, ["places", "streets"]);
    for (y, ids) in &expect {
        let (found, used_index) = streets_gdal_finds_at(&file, *y);
        assert_eq!(&found, ids, "at {y}, after the index was rebuilt");
        assert!(used_index);
    }
    let verified = registry.store().verify(&extent).await.unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);
}

/// A commit of more than a thousand rows into a table rebuilds the table's R-tree in bulk
/// instead of row by row; SQLite's own `rtreecheck` accepts the tree, GDAL finds features
/// through it, and the triggers keep it in step with small commits afterwards.
#[tokio::test]
async fn a_large_commit_bulk_loads_a_spatial_index_that_sqlite_and_gdal_accept() {
    let db = TestDb::sqlite().await;
    let file = db.url().strip_prefix("sqlite://").unwrap().to_string();
    let registry = db.registry().await;
    // 3,000 short streets on a grid: three levels of R-tree nodes.
    let ids: Vec<RecordId> = (0..3000).map(|_| RecordId::new()).collect();
    let at = |i: usize, shift: f64| {
        let (x, y) = (
            111.95 + (i % 60) as f64 * 0.0008,
            43.63 + (i / 60) as f64 * 0.0007,
        );
        Geometry::LineString(line_string![(x: x + shift, y: y), (x: x + shift + 0.0003, y: y)])
    };
    let writes = ids
        .iter()
        .enumerate()
        .map(|(i, id)| Write::Create {
            id: *id,
            valid_from: day("2020-01-01"),
            body: street(&format!("测试{i}路")),
            geometry: at(i, 0.0),
        })
        .collect();
    registry.commit(changeset(writes)).await.unwrap();
    let diming::store::Store::Sqlite(store) = registry.store() else {
        unreachable!("a SQLite test store")
    };
    let structure = || async {
        let check: String = sqlx::query_scalar("SELECT rtreecheck('rtree_streets_geom')")
            .fetch_one(store.pool())
            .await
            .unwrap();
        // The root's first two bytes: the tree's depth.
        let depth: String = sqlx::query_scalar(
            "SELECT hex(substr(data, 1, 2)) FROM rtree_streets_geom_node WHERE nodeno = 1",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        (check, depth)
    };
    let (check, _) = structure().await;
    assert_eq!(check, "ok");
    let extent = registry.config().jurisdiction.extent;
    let verified = registry.store().verify(&extent).await.unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);
    // Street 1234 stands alone in its grid cell.
    let y = 43.63 + (1234 / 60) as f64 * 0.0007;
    let x = 111.95 + (1234 % 60) as f64 * 0.0008;
    let box_around = |x: f64, y: f64| {
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-q", "-al", &file, "streets", "-spat"])
            .args([x + 0.0001, y - 0.0001, x + 0.0002, y + 0.0001].map(|v| v.to_string()))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.trim().strip_prefix("id (String) = ").map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_eq!(box_around(x, y), vec![ids[1234].to_string()]);

    // Small commits after it go through the triggers into the bulk-loaded tree.
    registry
        .commit(changeset(vec![
            Write::Update {
                id: ids[1234],
                base_version: 1,
                valid_from: day("2021-01-01"),
                body: street("测试1234路"),
                geometry: at(1234, 0.0004),
            },
            Write::Retire {
                id: ids[1235],
                base_version: 1,
                valid_from: day("2021-01-01"),
            },
        ]))
        .await
        .unwrap();
    assert_eq!(box_around(x, y), Vec::<String>::new());
    assert_eq!(box_around(x + 0.0004, y), vec![ids[1234].to_string()]);
    assert_eq!(structure().await.0, "ok");

    // A corrected survey of the whole layer: every street moved, the tree rebuilt again.
    let writes = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1235)
        .map(|(i, id)| Write::Update {
            id: *id,
            base_version: if i == 1234 { 2 } else { 1 },
            valid_from: day("2022-01-01"),
            body: street(&format!("测试{i}路")),
            geometry: at(i, 0.0002),
        })
        .collect();
    registry.commit(changeset(writes)).await.unwrap();
    let (check, depth) = structure().await;
    assert_eq!(check, "ok");
    assert_eq!(
        depth, "0002",
        "2,999 boxes fill 59 leaves under two nodes under the root"
    );
    assert_eq!(box_around(x + 0.0002, y), vec![ids[1234].to_string()]);
    let verified = registry.store().verify(&extent).await.unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);
}

both_stores!(
    changesets_committed_at_once_are_written_together_and_each_is_refused_alone,
    |db: TestDb| async move {
        let registry = std::sync::Arc::new(db.registry().await);
        let ids: Vec<RecordId> = (0..24).map(|_| RecordId::new()).collect();
        let name = |i: usize| format!("团结{i}路");
        registry
            .commit(changeset(
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| create(*id, &name(i), "2020-01-01"))
                    .collect(),
            ))
            .await
            .unwrap();
        // 24 officers save at the same moment, each moving a street of their own (a change
        // of geometry: the rules read nothing of the others); one on a version that is no
        // longer current (412), one creating a record that already exists (422).
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(ids.len()));
        let tasks: Vec<_> = (0..ids.len())
            .map(|i| {
                let (registry, start) = (registry.clone(), start.clone());
                let write = match i {
                    7 => rename(ids[i], 5, &name(i), "2021-01-01"),
                    11 => create(ids[0], "和平路", "2021-01-01"),
                    _ => rename(ids[i], 1, &name(i), "2021-01-01"),
                };
                tokio::spawn(async move {
                    start.wait().await;
                    registry.commit(changeset(vec![write])).await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        for (i, answer) in answers.iter().enumerate() {
            match i {
                7 => assert!(answer.as_ref().is_err_and(|e| e.is_stale()), "{answer:?}"),
                11 => assert!(
                    answer
                        .as_ref()
                        .is_err_and(|e| e.is_refusal() && !e.is_stale()),
                    "{answer:?}"
                ),
                _ => assert!(answer.is_ok(), "{i}: {answer:?}"),
            }
        }
        assert!(
            registry.groups_written() >= 1,
            "no transaction wrote more than one changeset"
        );
        // Every acknowledged changeset is in the store, and nothing of the refused ones.
        let reopened = db.registry().await;
        for (i, id) in ids.iter().enumerate() {
            let v = reopened.current().get(id).cloned().unwrap();
            assert_eq!(v.body.title(), name(i));
            let moved = i != 7 && i != 11;
            assert_eq!(v.version, if moved { 2 } else { 1 }, "{i}");
            let y = geo::CoordsIter::coords_iter(&v.geometry).next().unwrap().y;
            assert_eq!(y, 43.64 + if moved { 0.001 } else { 0.0 }, "{i}");
        }
        // Another server moves street 3 first: this one's memory does not know yet, so its
        // group fails in the store; each changeset is then written alone, and only the one on
        // street 3 is refused.
        let other = db.registry().await;
        let mut cs = changeset(vec![rename(ids[3], 2, &name(3), "2022-01-01")]);
        cs.reason = "另一台服务器".into();
        other.commit(cs).await.unwrap();
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(6));
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let (registry, start) = (registry.clone(), start.clone());
                let write = rename(ids[i], 2, &name(i), "2022-01-01");
                tokio::spawn(async move {
                    start.wait().await;
                    registry.commit(changeset(vec![write])).await
                })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            let answer = task.await.unwrap();
            if i == 3 {
                assert!(answer.is_err_and(|e| e.is_stale()));
            } else {
                assert!(answer.is_ok(), "{i}: {answer:?}");
            }
        }
        let reopened = db.registry().await;
        for (i, id) in ids.iter().enumerate().take(6) {
            let v = reopened.current().get(id).cloned().unwrap();
            assert_eq!(v.version, 3, "{i}");
            let by_other = reopened
                .store()
                .changeset(v.changeset)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(by_other.reason == "另一台服务器", i == 3);
        }
    }
);
