//! Vector tiles: they decode with GDAL's MVT driver and hold the expected features; an empty
//! tile is 204; a changeset invalidates exactly the cached tiles it touches.

use crate::support::{TestDb, both_stores, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::layers::{Body, Layer};
use diming::record::{Changeset, RecordId, Write};
use std::sync::Arc;

/// The z14 tile holding 乌兰路's middle, and the one two columns west (the town's west edge,
/// other streets, none of 乌兰路).
const TOWN: (u8, u32, u32) = (14, 13288, 5979);
const FAR: (u8, u32, u32) = (14, 13286, 5979);

both_stores!(
    tiles_decode_with_gdal_and_edits_invalidate_exactly_their_tiles,
    |db: TestDb| async move {
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let token = officer(&registry, "wangfang", Role::NamesOfficer).await;
        let app = diming::web::app(registry.clone());
        let uri =
            |layer: &str, (z, x, y): (u8, u32, u32)| format!("/tiles/{layer}/{z}/{x}/{y}.mvt");

        let town = send(
            &app,
            request("GET", &uri("streets", TOWN), None, None),
            None,
        )
        .await;
        assert_eq!(town.status, StatusCode::OK);
        assert_eq!(
            town.headers["content-type"],
            "application/vnd.mapbox-vector-tile"
        );
        let west = send(&app, request("GET", &uri("streets", FAR), None, None), None).await;
        assert_eq!(west.status, StatusCode::OK, "the town's western streets");
        let empty = send(
            &app,
            request("GET", "/tiles/streets/14/0/0.mvt", None, None),
            None,
        )
        .await;
        assert_eq!(empty.status, StatusCode::NO_CONTENT);
        let bad = send(
            &app,
            request("GET", "/tiles/streets/3/9/0.mvt", None, None),
            None,
        )
        .await;
        assert_eq!(bad.status, StatusCode::NOT_FOUND);
        let internal = send(
            &app,
            request("GET", &uri("campaigns", TOWN), None, None),
            None,
        )
        .await;
        assert_eq!(
            internal.status,
            StatusCode::NOT_FOUND,
            "campaigns are not public"
        );

        // GDAL reads the tile (its path gives z/x/y) and finds the streets with their names.
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join(format!("{}/{}/{}.pbf", TOWN.0, TOWN.1, TOWN.2));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let bytes = crate::support::get_bytes(&app, &uri("streets", TOWN)).await;
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new("ogrinfo")
            .arg("-ro")
            .arg("-al")
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Layer name: streets"), "{text}");
        assert!(
            text.contains("name (String) = 乌兰路") && text.contains("class (String) = arterial"),
            "{text}"
        );
        // Web Mercator coordinates inside the tile.
        assert!(text.contains("LINESTRING (1246"), "{text}");

        // Both tiles are cached; an edit of 乌兰路 drops the town tile only.
        let cache = registry.tile_cache();
        assert!(cache.contains(&(Layer::Street, false, TOWN.0, TOWN.1, TOWN.2)));
        assert!(cache.contains(&(Layer::Street, false, FAR.0, FAR.1, FAR.2)));
        let street = RecordId::derived("street/乌兰路");
        let v = registry.current().get(&street).unwrap().clone();
        let Body::Street(mut s) = v.body.clone() else {
            unreachable!()
        };
        s.class = diming::addresses::StreetClass::Secondary;
        let mut cs = Changeset::new("王芳", "乌兰路改为次干路");
        cs.push(Write::Update {
            id: street,
            base_version: v.version,
            valid_from: "2026-12-01".parse().unwrap(),
            body: Body::Street(s),
            geometry: v.geometry.clone(),
        });
        registry.commit(cs).await.unwrap();
        assert!(
            !cache.contains(&(Layer::Street, false, TOWN.0, TOWN.1, TOWN.2)),
            "the edited street's tile is dropped"
        );
        assert!(
            cache.contains(&(Layer::Street, false, FAR.0, FAR.1, FAR.2)),
            "other tiles stay"
        );
        let again = send(
            &app,
            request("GET", &uri("streets", TOWN), Some(&token), None),
            None,
        )
        .await;
        assert_eq!(again.status, StatusCode::OK);
        std::fs::write(
            &path,
            crate::support::get_bytes(&app, &uri("streets", TOWN)).await,
        )
        .unwrap();
        let out = std::process::Command::new("ogrinfo")
            .arg("-ro")
            .arg("-al")
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let wulan = text
            .split("OGRFeature")
            .find(|f| f.contains("乌兰路"))
            .unwrap();
        assert!(wulan.contains("class (String) = secondary"), "{wulan}");

        // TileJSON for a client.
        let tj = send(
            &app,
            request("GET", "/tiles/streets.json", None, None),
            None,
        )
        .await
        .json();
        assert_eq!(tj["tilejson"], "3.0.0");
        assert_eq!(tj["tiles"][0], "/tiles/streets/{z}/{x}/{y}.mvt");
        assert_eq!(tj["vector_layers"][0]["id"], "streets");
    }
);
