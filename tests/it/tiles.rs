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
        // Web Mercator coordinates inside the tile, on the street as stored: every vertex GDAL
        // reads of 乌兰路 lies within a unit and a half of the tile's grid (a z14 tile is
        // 2,446 m across, 4,096 units: 0.6 m a unit) of the record's line.
        assert!(text.contains("LINESTRING (1246"), "{text}");
        let street = RecordId::derived("street/乌兰路");
        let stored = registry.current().get(&street).unwrap().geometry.clone();
        let projected = geo::MapCoords::map_coords(&stored, diming::spatial::tiles::mercator);
        let decoded = text
            .split("OGRFeature")
            .find(|f| f.contains("name (String) = 乌兰路"))
            .and_then(|f| f.lines().find(|l| l.contains("LINESTRING")))
            .expect("乌兰路 in the tile");
        let inner = &decoded[decoded.find('(').unwrap()..];
        let vertices: Vec<geo::Point<f64>> = inner
            .split([',', '(', ')'])
            .filter_map(|pair| {
                let mut xy = pair.split_whitespace().map(|v| v.parse::<f64>().ok());
                Some(geo::Point::new(xy.next()??, xy.next()??))
            })
            .collect();
        assert!(vertices.len() >= 2, "{decoded}");
        let unit = 2.0 * 20_037_508.342_789_244 / f64::from(1u32 << 14) / 4096.0;
        for v in &vertices {
            let off = geo::Distance::distance(&geo::Euclidean, v, &projected);
            assert!(off < 1.5 * unit, "{v:?} is {off:.2} m off 乌兰路");
        }
        // And it ends where the street does or where it leaves the tile (GDAL clips what it
        // reads to the tile, without the 64 units of margin the tile carries).
        let (left, bottom, right, top) =
            diming::spatial::tiles::mercator_bounds(TOWN.0, TOWN.1, TOWN.2);
        let stored_vertices: Vec<geo::Coord<f64>> =
            geo::CoordsIter::coords_iter(&projected).collect();
        for end in [vertices[0], vertices[vertices.len() - 1]] {
            let to_edge = [
                (end.x() - left).abs(),
                (end.x() - right).abs(),
                (end.y() - bottom).abs(),
                (end.y() - top).abs(),
            ]
            .into_iter()
            .fold(f64::INFINITY, f64::min);
            let to_vertex = stored_vertices
                .iter()
                .map(|c| (end.x() - c.x).hypot(end.y() - c.y))
                .fold(f64::INFINITY, f64::min);
            assert!(
                to_edge.min(to_vertex) < 1.5 * unit,
                "乌兰路 ends at {end:?}: {to_edge:.2} m from the tile's edge, {to_vertex:.2} m from its last vertex"
            );
        }

        // Door plates land where they stand: each one GDAL reads of the town tile is within a
        // unit of its record (rounded to the tile's grid), found by its id.
        let plates = dir
            .path()
            .join(format!("plates/{}/{}/{}.pbf", TOWN.0, TOWN.1, TOWN.2));
        std::fs::create_dir_all(plates.parent().unwrap()).unwrap();
        std::fs::write(
            &plates,
            crate::support::get_bytes(&app, &uri("door_plates", TOWN)).await,
        )
        .unwrap();
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-al"])
            .arg(&plates)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let mut checked = 0;
        for f in text.split("OGRFeature").skip(1) {
            let id = f
                .lines()
                .find_map(|l| l.trim().strip_prefix("id (String) = "))
                .expect("an id");
            let point = f
                .lines()
                .find_map(|l| l.trim().strip_prefix("POINT ("))
                .expect("a point");
            let xy: Vec<f64> = point
                .trim_end_matches(')')
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let stored = registry
                .current()
                .get(&id.parse().unwrap())
                .unwrap()
                .geometry
                .clone();
            let geo::Geometry::Point(p) = stored else {
                panic!("a door plate is a point")
            };
            let m = diming::spatial::tiles::mercator(p.0);
            let off = (xy[0] - m.x).hypot(xy[1] - m.y);
            assert!(
                off < unit,
                "door plate {id} is {off:.2} m from where it stands"
            );
            checked += 1;
        }
        assert!(checked > 10, "{text}");

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
