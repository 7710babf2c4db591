//! Backups restore, into the same kind of store or the other one, with nothing lost.

use crate::support::{TestDb, load_demo};
use diming::model::{Changeset, Write};
use diming::record::RecordId;

async fn registry_with_history(db: &TestDb) -> diming::registry::Registry {
    let registry = db.registry().await;
    load_demo(&registry).await;
    // A retirement too, so that every kind of version is in the backup.
    let plate = RecordId::derived("door/前进大街/1");
    let mut cs = Changeset::new("测试员", "门牌拆除");
    cs.writes.push(Write::Retire {
        id: plate,
        base_version: 1,
        valid_from: "2025-01-01".parse().unwrap(),
    });
    registry.commit(cs).await.unwrap();
    // A photo of a sign, which a backup must carry too.
    let photo = {
        let img = image::RgbImage::from_pixel(16, 12, image::Rgb([200, 30, 40]));
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    registry
        .store()
        .put_attachment("image/png", &photo, "测试员")
        .await
        .unwrap();
    registry
}

async fn round_trip(from: TestDb, to: TestDb, extension: &str) {
    let source = registry_with_history(&from).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir
        .path()
        .join(format!("备份.{extension}"))
        .display()
        .to_string();
    let run = crate::support::diming;
    let out = run(from.url(), &["backup", "-o", &file]);
    crate::support::succeeded(&out);
    if extension == "gpkg" {
        // A GeoPackage any GIS reads: every layer a feature table, the history beside them.
        let info = std::process::Command::new("ogrinfo")
            .args(["-ro", "-so", &file, "door_plates"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&info.stdout);
        assert!(text.contains("Feature Count: 3201"), "{text}");
        let layers = std::process::Command::new("ogrinfo")
            .args(["-ro", "-q", &file])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&layers.stdout);
        for table in [
            "streets",
            "admin_units",
            "plots",
            "boundary_lines",
            "versions",
            "changesets",
        ] {
            assert!(text.contains(table), "{table} missing: {text}");
        }
        // It is not written over.
        let again = run(from.url(), &["backup", "-o", &file]);
        assert!(!again.status.success());
    }
    let out = run(to.url(), &["restore", &file]);
    crate::support::succeeded(&out);

    let restored = to.registry().await;
    let (a, b) = (
        source.store().dump().await.unwrap(),
        restored.store().dump().await.unwrap(),
    );
    assert_eq!(
        a.changesets, b.changesets,
        "every changeset, with author, time, reason and document"
    );
    assert_eq!(
        a.versions, b.versions,
        "every version, with both times, exactly"
    );
    assert_eq!(a.attachments.len(), 1);
    assert_eq!(a.attachments, b.attachments, "photos, byte for byte");
    assert_eq!(source.current().len(), restored.current().len());
    for v in source.current().records() {
        assert_eq!(restored.current().get(&v.id), Some(v));
    }
    let rename = RecordId::derived("street/工农街");
    assert_eq!(restored.history(rename).await.unwrap().len(), 2);
    // The restored registry goes on: writes on top of the restored versions work.
    let mut cs = Changeset::new("测试员", "恢复后继续工作");
    cs.writes.push(Write::Retire {
        id: rename,
        base_version: 2,
        valid_from: "2026-01-01".parse().unwrap(),
    });
    restored.commit(cs).await.unwrap();

    // A second restore into a store that is no longer empty is refused.
    let again = run(to.url(), &["restore", &file]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("不是空的"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_into_postgres_unchanged() {
    round_trip(TestDb::sqlite().await, TestDb::postgres().await, "jsonl").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_restores_into_sqlite_unchanged() {
    round_trip(TestDb::postgres().await, TestDb::sqlite().await, "jsonl").await;
}

/// The guarantee against lock-in: the whole registry with its history as one GeoPackage that
/// any GIS reads, and a registry rebuilt from it equal to the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_exported_whole_to_a_geopackage_is_rebuilt_unchanged() {
    round_trip(TestDb::postgres().await, TestDb::postgres().await, "gpkg").await;
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_with_its_line() {
    let e = diming::store::Backup::read(std::io::Cursor::new("{\"kind\":\"changeset\"}\n"))
        .unwrap_err();
    assert!(e.to_string().contains("第 1 行"), "{e}");
    let e = diming::store::Backup::read(std::io::Cursor::new("")).unwrap_err();
    assert!(e.to_string().contains("不是 diming 备份文件"), "{e}");
}

mod verify {
    use crate::support::{TestDb, both_stores, load_demo};
    use diming::model::{Changeset, Write};
    use diming::record::RecordId;

    both_stores!(
        verify_passes_on_a_sound_store_and_names_what_is_broken,
        |db: TestDb| async move {
            let registry = db.registry().await;
            load_demo(&registry).await;
            let extent = registry.config().jurisdiction.extent;
            let v = registry.store().verify(&extent).await.unwrap();
            assert!(v.problems.is_empty(), "{:#?}", v.problems);
            assert_eq!(v.current, registry.current().len());

            // A street retired while its plates still name it: dangling references.
            let street = RecordId::derived("street/口岸大街");
            let mut cs = Changeset::new("测试", "注销街路巷");
            cs.push(Write::Retire {
                id: street,
                base_version: 1,
                valid_from: "2026-12-01".parse().unwrap(),
            });
            registry.commit(cs).await.unwrap();
            let v = registry.store().verify(&extent).await.unwrap();
            assert!(!v.problems.is_empty());
            assert!(
                v.problems.iter().all(|p| p.check == "references"),
                "{:#?}",
                v.problems
            );
            assert!(
                v.problems[0].message.contains("street"),
                "{}",
                v.problems[0].message
            );

            // A row lost from a layer table (as a bad manual edit would do).
            let sql = "DELETE FROM signs WHERE code = 'DX-001'";
            match registry.store() {
                diming::store::Store::Sqlite(s) => {
                    sqlx::query(sql).execute(s.pool()).await.unwrap();
                }
                diming::store::Store::Postgres(s) => {
                    sqlx::query(sql).execute(s.pool()).await.unwrap();
                }
            }
            let v = registry.store().verify(&extent).await.unwrap();
            let lost: Vec<_> = v
                .problems
                .iter()
                .filter(|p| p.check == "tables.count")
                .collect();
            assert_eq!(lost.len(), 1, "{:#?}", v.problems);
            assert!(
                lost[0].message.contains("signs") && lost[0].message.contains("417"),
                "{}",
                lost[0].message
            );

            // The command says so and fails.
            let out = crate::support::diming(db.url(), &["verify"]);
            assert!(!out.status.success());
            assert!(String::from_utf8_lossy(&out.stdout).contains("[tables.count]"));
        }
    );
}

mod snapshot {
    use crate::support::{TestDb, both_stores, load_demo};
    use diming::model::{Body, Changeset, Write};
    use diming::record::RecordId;
    use std::sync::Arc;

    both_stores!(
        a_backup_taken_while_officers_write_is_one_consistent_snapshot,
        |db: TestDb| async move {
            let registry = Arc::new(db.registry().await);
            load_demo(&registry).await;
            let writer = {
                let registry = registry.clone();
                tokio::spawn(async move {
                    let plate = RecordId::derived("door/前进大街/1");
                    for i in 0..40 {
                        let v = registry.current().get(&plate).unwrap().clone();
                        let Body::DoorPlate(mut d) = v.body.clone() else {
                            unreachable!()
                        };
                        d.kind = if i % 2 == 0 {
                            diming::addresses::PlateKind::DoorSmall
                        } else {
                            diming::addresses::PlateKind::DoorLarge
                        };
                        let mut cs = Changeset::new("测试", format!("换门牌 {i}"));
                        cs.push(Write::Update {
                            id: plate,
                            base_version: v.version,
                            valid_from: v.valid_from,
                            body: Body::DoorPlate(d),
                            geometry: v.geometry.clone(),
                        });
                        registry.commit(cs).await.unwrap();
                    }
                })
            };
            let mut dumps = 0;
            while !writer.is_finished() || dumps < 3 {
                let dump = registry.store().dump().await.unwrap();
                let ids: std::collections::HashSet<_> =
                    dump.changesets.iter().map(|c| c.id).collect();
                for v in &dump.versions {
                    assert!(
                        ids.contains(&v.changeset),
                        "version {} of {} without its changeset",
                        v.version,
                        v.id
                    );
                }
                // Each record's versions are numbered 1..n and only the last is open.
                let mut by: std::collections::BTreeMap<_, Vec<_>> =
                    std::collections::BTreeMap::new();
                for v in &dump.versions {
                    by.entry(v.id).or_default().push(v);
                }
                for vs in by.values() {
                    let open = vs.iter().filter(|v| v.superseded_at.is_none()).count();
                    assert!(open <= 1);
                }
                dumps += 1;
            }
            writer.await.unwrap();
            assert!(dumps >= 3);
        }
    );
}
