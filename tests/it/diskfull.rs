//! A full disk: the SQLite store lives in a 3 MB tmpfs (mounted by the test, which runs as
//! root as CI does); changesets are committed until the disk is full. The failing write is
//! refused whole with a clear error (HTTP 503 through the API), memory and store still agree,
//! the integrity check passes, and reads go on.

use crate::support::{call, officer, request};
use diming::model::{Body, Changeset, Layer, Write};
use diming::names::{Place, PlaceCategory};
use diming::record::{RecordId, Source};
use diming::registry::{Registry, RegistryError};
use diming::store::StoreError;
use geo::{Geometry, Point};

struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

fn places(n: usize, from: usize) -> Changeset {
    let mut cs = Changeset::new("测试", "填满磁盘");
    cs.document = Some(diming::record::ApprovalDocument {
        issuer: "二连浩特市人民政府".into(),
        number: "二政发〔2026〕2号".into(),
        date: "2026-11-01".parse().unwrap(),
    });
    for i in from..from + n {
        cs.push(Write::Create {
            id: RecordId::new(),
            valid_from: "2026-11-01".parse().unwrap(),
            body: Body::from(Place {
                name: format!(
                    "填满{}楼",
                    "甲乙丙丁戊己庚辛壬癸"
                        .chars()
                        .nth(i % 10)
                        .unwrap()
                        .to_string()
                        .repeat(1 + i % 7)
                ),
                name_mn: None,
                category: PlaceCategory::Building,
                source: Source::Survey,
                naming: diming::names::naming::Naming {
                    description: Some("用于测试磁盘写满时的行为。".repeat(40)),
                    ..Default::default()
                },
            }),
            geometry: Geometry::Point(Point::new(111.95 + (i % 1000) as f64 * 1e-5, 43.64)),
        });
    }
    cs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_the_write_whole_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(dir.path())
        .status()
        .expect("mount");
    assert!(
        status.success(),
        "this test mounts a 3 MB tmpfs and needs root (CI runs as root)"
    );
    let _mount = Mount(dir.path().to_path_buf());
    // Ballast, removed later to free space. Closing a pool connection checkpoints the WAL into
    // the main file, which grows into whatever was freed first; the ballast is large enough for
    // that checkpoint to finish (and the WAL to be emptied) before the next write.
    let ballast = dir.path().join("ballast");
    std::fs::write(&ballast, vec![0u8; 1_100_000]).unwrap();
    let url = format!("sqlite://{}", dir.path().join("full.gpkg").display());
    let registry = Registry::open(&url, diming::config::Config::erenhot())
        .await
        .unwrap();
    let token = officer(&registry, "写入员", diming::accounts::Role::NamesOfficer).await;
    let mut written = 0;
    let error = loop {
        match registry.commit(places(50, written)).await {
            Ok(_) => written += 50,
            Err(e) => break e,
        }
        assert!(written < 100_000, "the disk never filled");
    };
    assert!(written > 0);
    assert!(
        matches!(error, RegistryError::Store(StoreError::DiskFull { .. })),
        "{error:?}"
    );
    assert!(error.to_string().contains("磁盘已满"), "{error}");
    // The next writes fail the same way (the connection the failed COMMIT left in a
    // transaction is not reused): never a confused store.
    for _ in 0..3 {
        let e = registry.commit(places(50, written)).await.unwrap_err();
        assert!(
            matches!(e, RegistryError::Store(StoreError::DiskFull { .. })),
            "{e:?}"
        );
    }
    // Memory holds exactly what was written, reads go on.
    assert_eq!(registry.current().count(Layer::Place), written);
    // Space freed, the same registry writes again with no restart.
    std::fs::remove_file(&ballast).unwrap();
    registry.commit(places(5, written)).await.unwrap();
    written += 5;
    assert_eq!(registry.current().count(Layer::Place), written);
    // Full again for the API call below.
    let error = loop {
        match registry.commit(places(50, written)).await {
            Ok(_) => written += 50,
            Err(e) => break e,
        }
    };
    assert!(
        matches!(error, RegistryError::Store(StoreError::DiskFull { .. })),
        "{error:?}"
    );
    // Through the API: 503 and a message that says what happened.
    let app = diming::web::app(std::sync::Arc::new(registry));
    let feature = serde_json::json!({ "op": "create", "layer": "places", "feature": {
        "type": "Feature", "geometry": { "type": "Point", "coordinates": [111.96, 43.64] },
        "properties": { "name": "满盘楼", "category": "building",
                        "naming": { "description": "很长的说明".repeat(20000) } } } });
    let body = serde_json::json!({ "reason": "磁盘满时写入", "writes": [feature],
        "document": { "issuer": "二连浩特市人民政府", "number": "二政发〔2026〕3号", "date": "2026-11-01" } });
    let reply = call(
        &app,
        request("POST", "/api/changesets", Some(&token), Some(body.clone()))
            .body(axum::body::Body::from(body.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 503, "{}", reply.body);
    assert!(reply.body.contains("磁盘已满"), "{}", reply.body);
    let reply = call(
        &app,
        request("GET", "/api/layers/places?limit=1", None, None)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200);
    drop(app);
    // The store agrees and passes its integrity check.
    let again = Registry::open(&url, diming::config::Config::erenhot())
        .await
        .unwrap();
    assert_eq!(again.current().count(Layer::Place), written);
    let problems = again
        .store()
        .verify(&again.config().jurisdiction.extent)
        .await
        .unwrap()
        .problems;
    assert!(problems.is_empty(), "{problems:?}");
}
