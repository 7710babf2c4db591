//! Entry points for the fuzz targets in `fuzz/` (`cargo +nightly fuzz run TARGET`) and for the
//! integration test that replays their committed corpora on every CI run. Each takes
//! arbitrary bytes, hands them to one parser of outside input the way the registry does, and
//! asserts what must hold whatever the input: no panic, and what is accepted reads back the
//! same. A crash here is a bug in the parser, never in the harness.

use crate::config::Config;
use std::sync::LazyLock;

static CONFIG: LazyLock<Config> = LazyLock::new(Config::erenhot);
static LISTS: LazyLock<crate::names::WordLists> =
    LazyLock::new(|| CONFIG.word_lists().expect("built-in word lists"));

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// GeoJSON as the API, OGC and import read it: geometries converted and validated against
/// the jurisdiction; a geometry read is written back unchanged.
pub fn geojson(data: &[u8]) {
    use crate::spatial::geojson::{from_geo, to_geo};
    let Some(Ok(parsed)) = text(data).map(str::parse::<geojson::GeoJson>) else {
        return;
    };
    let geometries: Vec<geojson::Geometry> = match parsed {
        geojson::GeoJson::Geometry(g) => vec![g],
        geojson::GeoJson::Feature(f) => f.geometry.into_iter().collect(),
        geojson::GeoJson::FeatureCollection(c) => {
            c.features.into_iter().filter_map(|f| f.geometry).collect()
        }
    };
    for g in geometries {
        let Ok(geometry) = to_geo(&g) else { continue };
        // Over the vertex limit, the registry refuses a geometry before validating it.
        if geo::CoordsIter::coords_count(&geometry) > CONFIG.server.limits.vertices {
            continue;
        }
        // What the registry would store (a valid geometry) is written back unchanged; an
        // invalid one is refused, and its winding (ambiguous on a self-crossing ring) with it.
        if crate::spatial::validate(&geometry, &CONFIG.jurisdiction.extent).is_ok() {
            let again = to_geo(&from_geo(&geometry)).expect("a geometry read is written readable");
            assert_eq!(format!("{again:?}"), format!("{geometry:?}"));
        }
    }
}

/// WKB as PostGIS hands it back (`ST_AsBinary`) and GeoPackage blobs as SQLite holds them:
/// no blob crashes the reader, and a geometry the registry would hold (a valid one: no NaN,
/// whose ring could never close) is written back (EWKB for PostGIS, a GeoPackage blob) to the
/// same geometry.
pub fn wkb(data: &[u8]) {
    use crate::store::geometry::{from_gpkg, from_wkb, to_ewkb, to_gpkg};
    use geozero::ToGeo;
    let same = |a: &geo::Geometry<f64>, b: &geo::Geometry<f64>| {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    };
    let held =
        |g: &geo::Geometry<f64>| crate::spatial::validate(g, &CONFIG.jurisdiction.extent).is_ok();
    if let Ok(geometry) = from_wkb(data)
        && held(&geometry)
        && let Ok(bytes) = to_ewkb(&geometry)
    {
        let again = geozero::wkb::Ewkb(&bytes)
            .to_geo()
            .expect("EWKB we write reads back");
        same(&again, &geometry);
    }
    if let Ok(geometry) = from_gpkg(data)
        && held(&geometry)
        && let Ok(bytes) = to_gpkg(&geometry)
    {
        same(
            &from_gpkg(&bytes).expect("a blob we write reads back"),
            &geometry,
        );
    }
}

/// CQL2 filters (text, and JSON when the input starts with `{`) on every layer, with WKT
/// geometry literals inside; an accepted filter is evaluated against a record of the layer.
/// Runs on a thread with a stack half the size of a server worker's (tokio's 2 MiB), so that
/// a filter the guard lets through yet nested deeply enough to overflow a worker crashes
/// here, long before it would in the server (the fuzzer's own thread has 8 MiB).
pub fn cql2(data: &[u8]) {
    let data = data.to_vec();
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || cql2_on_this_thread(&data))
        .expect("a thread for the filter")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

fn cql2_on_this_thread(data: &[u8]) {
    use crate::model::Layer;
    let Some(filter) = text(data) else { return };
    let lang = if filter.trim_start().starts_with('{') {
        "cql2-json"
    } else {
        "cql2-text"
    };
    // Layers whose queryables differ: names, numbers, codes, a personal layer's.
    for table in ["streets", "door_plates", "admin_units", "plots"] {
        let layer = Layer::from_table(table).expect("a layer of the catalogue");
        if let Ok(f) = crate::web::cql::Filter::parse(filter, Some(lang), layer) {
            let _ = f.matches(&SAMPLE);
        }
    }
}

/// A street record to evaluate filters against.
static SAMPLE: LazyLock<crate::model::RecordVersion> = LazyLock::new(|| {
    crate::demo::changesets()
        .expect("the demo builds")
        .into_iter()
        .flat_map(|c| c.writes)
        .find_map(|w| match w {
            crate::model::Write::Create {
                id,
                valid_from,
                body: body @ crate::model::Body::Street(_),
                geometry,
            } => Some(crate::model::RecordVersion {
                id,
                version: 1,
                valid_from,
                valid_to: None,
                recorded_at: chrono::Utc::now(),
                superseded_at: None,
                changeset: crate::record::ChangesetId::new(),
                retired: false,
                body,
                geometry,
            }),
            _ => None,
        })
        .expect("the demo has streets")
});

/// Door numbers as officers type them: what parses prints back to itself.
pub fn door_number(data: &[u8]) {
    use crate::addresses::DoorNumber;
    let Some(t) = text(data) else { return };
    if let Ok(n) = t.parse::<DoorNumber>() {
        let again: DoorNumber = n
            .to_string()
            .parse()
            .expect("a door number prints readable");
        assert_eq!(again, n);
    }
}

/// Proposed names: the naming rules, romanization and Mongolian transliteration.
pub fn names(data: &[u8]) {
    use crate::names::rules::{NameKind, check};
    let Some(name) = text(data) else { return };
    let settings = CONFIG.rule_settings();
    for kind in [NameKind::Street, NameKind::Unit, NameKind::Place] {
        let _ = check(name, kind, [], &LISTS, &settings);
    }
    let _ = crate::names::romanize::romanize(name, &LISTS, false, &Default::default());
    let _ = crate::names::mongolian::transliterate(name);
}

/// Burial ledgers in CSV: every row read and checked, refusals naming line and column.
pub fn ledger(data: &[u8]) {
    let Ok(rows) = crate::io::ledger::read_csv(data) else {
        return;
    };
    for row in rows {
        let cells = row
            .cells
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Err(refusals) = crate::cemetery::ledger::read_row(row.line, &cells, "fuzz") {
            assert!(refusals.iter().all(|r| r.line == row.line));
        }
    }
}

/// Files handed to the import before GDAL sees them: the first byte chooses how the rest is
/// named (a zip archive, a KML, a shapefile's `.prj`); the checks unpack and sniff it in a
/// private folder and must never write outside it.
pub fn archive(data: &[u8]) {
    use crate::io::safety::{Limits, prepare};
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).expect("work folder");
    let name = match kind % 3 {
        0 => "in.zip",
        1 => "in.kml",
        _ => "in.shp",
    };
    let input = dir.path().join(name);
    std::fs::write(&input, body).expect("write input");
    if name == "in.shp" {
        // The same bytes as the sidecar GDAL would trust.
        std::fs::write(input.with_extension("prj"), body).expect("write prj");
    }
    let limits = Limits {
        max_bytes: 1 << 20,
        max_entries: 50,
        max_ratio: 200,
        work: Default::default(),
    };
    if let Ok(main) = prepare(&input, &work, &limits) {
        assert!(main.starts_with(dir.path()), "{}", main.display());
    }
    // Nothing but the input, its sidecar and the work folder beside them.
    for entry in std::fs::read_dir(dir.path()).expect("list") {
        let path = entry.expect("entry").path();
        assert!(
            path == input || path == work || path == input.with_extension("prj"),
            "{}",
            path.display()
        );
    }
}

/// The small fields of forms and ledgers: ID-card and telephone numbers, plot numbers,
/// division codes, dates.
pub fn fields(data: &[u8]) {
    use crate::cemetery::personal::{IdNumber, Phone};
    let Some(t) = text(data) else { return };
    if let Ok(id) = IdNumber::parse(t) {
        assert!(!crate::cemetery::personal::contains_whole_id(
            &id.to_string()
        ));
    }
    let _ = Phone::parse(t);
    let _ = t.parse::<crate::cemetery::PlotNumber>();
    let _ = t.parse::<crate::boundaries::DivisionCode>();
    let _ = crate::cemetery::ledger::parse_date(t);
}

/// Every target by name, for the corpus replay.
/// A fuzz target: arbitrary bytes in, a panic on a bug.
pub type Target = fn(&[u8]);

pub const TARGETS: &[(&str, Target)] = &[
    ("geojson", geojson),
    ("wkb", wkb),
    ("cql2", cql2),
    ("door_number", door_number),
    ("names", names),
    ("ledger", ledger),
    ("archive", archive),
    ("fields", fields),
];
