//! Vector tiles: they decode with GDAL's MVT driver and hold the expected features; an empty
//! tile is 204; a changeset invalidates exactly the cached tiles it touches.

use crate::support::{TestDb, both_stores, load_demo, officer, request, send};
use axum::http::StatusCode;
use diming::accounts::Role;
use diming::model::{Body, Changeset, Layer, Write};
use diming::record::RecordId;
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

/// A tile's features of `layer` that are among `ids`.
async fn count_in_tile(
    app: &axum::Router,
    layer: &str,
    (z, x, y): (u8, u32, u32),
    ids: &std::collections::HashSet<String>,
) -> usize {
    use geozero::mvt::{Message, Tile};
    let bytes = crate::support::get_bytes(app, &format!("/tiles/{layer}/{z}/{x}/{y}.mvt")).await;
    let tile = Tile::decode(bytes.as_ref()).unwrap();
    let l = &tile.layers[0];
    let id_key = l.keys.iter().position(|k| k == "id").unwrap() as u32;
    l.features
        .iter()
        .filter(|f| {
            f.tags.chunks(2).any(|kv| {
                kv[0] == id_key
                    && l.values[kv[1] as usize]
                        .string_value
                        .as_ref()
                        .is_some_and(|s| ids.contains(s))
            })
        })
        .count()
}

// Three hundred door plates surveyed within a metre of each other (a courtyard of flats): an
// overview tile carries one of them a pixel, the same one in every tile and at every
// request; from street level (z16) every tile carries all three hundred.
both_stores!(
    points_are_thinned_to_one_a_pixel_on_overview_zooms,
    |db: TestDb| async move {
        use diming::spatial::tiles::{MAX_ZOOM, tile_of};
        let registry = Arc::new(db.registry().await);
        load_demo(&registry).await;
        let street = RecordId::derived("street/环城西路");
        let (lon, lat) = (111.9835, 43.6535);
        let mut cs = Changeset::new("王芳", "院内门牌");
        let mut ids = std::collections::HashSet::new();
        for i in 0..300u32 {
            let id = RecordId::new();
            ids.insert(id.to_string());
            cs.push(Write::Create {
                id,
                valid_from: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
                body: Body::from(diming::addresses::DoorPlate {
                    street,
                    number: (7001 + i).to_string().parse().unwrap(),
                    source: diming::record::Source::Survey,
                    kind: Default::default(),
                }),
                // A 20 by 15 grid with 5 cm between neighbours.
                geometry: geo::Geometry::Point(geo::Point::new(
                    lon + f64::from(i % 20) * 0.000_000_62,
                    lat + f64::from(i / 20) * 0.000_000_45,
                )),
            });
        }
        registry.commit(cs).await.unwrap();
        let app = diming::web::app(registry.clone());
        let at = |z: u8| {
            let (x, y) = tile_of(geo::coord! {x: lon, y: lat}, z);
            (z, x, y)
        };
        for z in [10, 12, 14] {
            assert_eq!(
                count_in_tile(&app, "door_plates", at(z), &ids).await,
                1,
                "z{z}: the courtyard is less than a pixel"
            );
        }
        for z in [16, 19, MAX_ZOOM] {
            assert_eq!(
                count_in_tile(&app, "door_plates", at(z), &ids).await,
                300,
                "z{z}: street level has every plate"
            );
        }
        // The one kept is the same in the tile beside it and in a fresh server.
        let again = diming::web::app(registry.clone());
        assert_eq!(
            crate::support::get_bytes(
                &app,
                &format!("/tiles/door_plates/14/{}/{}.mvt", at(14).1, at(14).2)
            )
            .await,
            crate::support::get_bytes(
                &again,
                &format!("/tiles/door_plates/14/{}/{}.mvt", at(14).1, at(14).2)
            )
            .await,
        );
    }
);
