//! The `diming` binary as an officer runs it, with the real GDAL and psql as the readers.

use crate::support::{TestDb, diming};
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> String {
    crate::support::succeeded(&o);
    stdout(&o)
}

#[tokio::test]
async fn after_demo_ogrinfo_lists_the_layers_of_the_geopackage() {
    let db = TestDb::sqlite().await;
    let out = ok(diming(db.url(), &["demo"]));
    assert!(out.contains("门牌"), "{out}");
    let file = db.url().strip_prefix("sqlite://").unwrap();
    let info = Command::new("ogrinfo")
        .args(["-ro", file])
        .output()
        .expect("ogrinfo (gdal-bin) is installed");
    let listing = ok(info);
    for layer in [
        "admin_units (Multi Polygon)",
        "streets (Multi Line String)",
        "places",
        "door_plates (Point)",
    ] {
        assert!(listing.contains(layer), "{layer} missing from:\n{listing}");
    }
    let info = Command::new("ogrinfo")
        .args(["-ro", "-so", file, "door_plates"])
        .output()
        .unwrap();
    assert!(info.stderr.is_empty(), "GDAL complained: {}", stderr(&info));
    let summary = ok(info);
    assert!(summary.contains("Feature Count: 3202"), "{summary}");
    assert!(summary.contains("ID[\"EPSG\",4490]"), "{summary}");
}

/// GDAL's GeoPackage validator (from python3-gdal, which gdal-bin depends on) accepts the
/// demo registry whole: the feature tables with their R-tree spatial indexes and triggers, and
/// the history's attribute tables with integer keys.
#[tokio::test]
async fn the_demo_registry_passes_gdals_geopackage_validator() {
    let db = TestDb::sqlite().await;
    ok(diming(db.url(), &["demo"]));
    let file = db.url().strip_prefix("sqlite://").unwrap();
    let check = Command::new("/usr/bin/python3")
        .arg("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
        .arg(file)
        .output()
        .expect("python3 and python3-gdal are installed");
    assert!(
        check.status.success() && check.stdout.is_empty() && check.stderr.is_empty(),
        "the validator refused the file:\n{}{}",
        stdout(&check),
        stderr(&check)
    );
}

#[tokio::test]
async fn after_demo_psql_shows_the_layers_with_srid_4490() {
    let db = TestDb::postgres().await;
    ok(diming(db.url(), &["demo"]));
    let psql = Command::new("psql")
        .args([db.url(), "-Atc", "SELECT f_table_name, srid, type FROM geometry_columns WHERE f_table_schema = 'public' ORDER BY 1"])
        .output()
        .expect("psql is installed");
    let rows = ok(psql);
    let rows: Vec<&str> = rows
        .lines()
        .filter(|l| !l.starts_with("versions"))
        .collect();
    assert_eq!(
        rows,
        vec![
            "admin_units|4490|MULTIPOLYGON",
            "boundary_agreements|4490|MULTILINESTRING",
            "boundary_disputes|4490|MULTIPOLYGON",
            "boundary_lines|4490|MULTILINESTRING",
            "boundary_markers|4490|POINT",
            "burials|4490|POINT",
            "campaigns|4490|MULTIPOLYGON",
            "cemeteries|4490|MULTIPOLYGON",
            "cemetery_sections|4490|MULTIPOLYGON",
            "door_plates|4490|POINT",
            "graves|4490|POINT",
            "line_inspections|4490|MULTILINESTRING",
            "marker_observations|4490|POINT",
            "places|4490|GEOMETRY",
            "plots|4490|MULTIPOLYGON",
            "relocation_notices|4490|POINT",
            "sign_inspections|4490|POINT",
            "signs|4490|POINT",
            "streets|4490|MULTILINESTRING",
            "subsidy_claims|4490|POINT",
            "work_orders|4490|POINT",
            "zones|4490|MULTIPOLYGON",
        ]
    );
    let psql = Command::new("psql")
        .args([db.url(), "-Atc", "SELECT name FROM admin_units WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(111.97667, 43.6475), 4490)) AND level = 'community'"])
        .output()
        .unwrap();
    let names = ok(psql);
    assert_eq!(names.lines().count(), 1, "{names}");
    assert!(names.trim().ends_with("社区居委会"), "{names}");
    // Rebuilding the demo drops every table, the newer layers' too.
    ok(diming(db.url(), &["demo", "--force"]));
    let layers = ok(diming(db.url(), &["layers"]));
    assert!(layers.contains("418"), "{layers}");
}

#[tokio::test]
async fn demo_refuses_to_overwrite_a_registry_without_force() {
    let db = TestDb::sqlite().await;
    ok(diming(db.url(), &["demo"]));
    let again = diming(db.url(), &["demo"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    ok(diming(db.url(), &["demo", "--force"]));
    let layers = ok(diming(db.url(), &["layers"]));
    assert!(
        layers.contains("door_plates") && layers.contains("3202"),
        "{layers}"
    );
}

#[tokio::test]
async fn history_shows_who_changed_what_when_and_on_whose_authority() {
    let db = TestDb::sqlite().await;
    ok(diming(db.url(), &["demo"]));
    let id = diming::record::RecordId::derived("street/工农街").to_string();
    let out = ok(diming(db.url(), &["history", &id]));
    assert!(
        out.contains("第 1 版：工农街，有效期 2020-06-30 至 2021-05-01"),
        "{out}"
    );
    assert!(out.contains("第 2 版：建设街"), "{out}");
    assert!(
        out.contains("二连浩特市人民政府 二政字〔2021〕35号"),
        "{out}"
    );
    let bad = diming(db.url(), &["history", "no-such-id"]);
    assert!(
        !bad.status.success() && stderr(&bad).contains("no-such-id"),
        "{}",
        stderr(&bad)
    );
}

#[tokio::test]
async fn check_reports_the_demos_planted_errors_and_nothing_else() {
    let db = TestDb::sqlite().await;
    ok(diming(db.url(), &["demo"]));
    let text = diming(db.url(), &["check"]);
    assert_eq!(
        text.status.code(),
        Some(2),
        "findings make the exit status 2"
    );
    assert!(
        stdout(&text).contains("[names.foreign] 曼哈顿国际花园"),
        "{}",
        stdout(&text)
    );
    let json = diming(db.url(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    // 3,274 names, streets and plates; 418 signs, 59 inspections and 59 work orders; 8
    // boundary markers and 3 observations; 17 boundary lines and an agreement; 2 cemeteries,
    // 6 sections, 1,134 plots, 762 burials, 5 subsidies, 92 graves and 92 notices, 4 zones.
    assert_eq!(report["records"], 5936);
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["title"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found.dedup();
    let expected = [
        ("和平大街199号", "door_plates.wrong_side"),
        ("和平大街6号", "door_plates.gap"),
        ("团结大街11号", "door_plates.gap"),
        ("团结大街7号", "door_plates.duplicate"),
        ("胜利街21号", "door_plates.out_of_order"),
        ("6号仓库", "names.odd"),
        ("二连口岸市场", "names.derived_duplicate"),
        ("帝豪家园", "names.grandiose"),
        ("曼哈顿国际花园", "names.foreign"),
        ("曼哈顿国际花园", "names.grandiose"),
        ("東城市场", "names.odd"),
        ("老口岸市场", "names.derived_duplicate"),
        ("墓位 E-9-1", "cemetery.too_large"),
        ("墓位 E-9-1", "cemetery.overlap"),
    ];
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn crs_transform_gives_the_known_gauss_kruger_values_to_the_millimetre() {
    let out = ok(diming(
        "sqlite://unused.gpkg",
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4490",
            "--to",
            "EPSG:4546",
            "111.97667",
            "43.6475",
        ],
    ));
    assert!(out.contains("E 578797.461 N 4835120.088"), "{out}");
    let out = ok(diming(
        "sqlite://unused.gpkg",
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4490",
            "--to",
            "EPSG:4497",
            "111.97667",
            "43.6475",
        ],
    ));
    assert!(
        out.contains("X（北）4835120.088 Y（东）19578797.461"),
        "{out}"
    );
    let out = ok(diming(
        "sqlite://unused.gpkg",
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4525",
            "--to",
            "EPSG:4490",
            "--northing-first",
            "4835120.088",
            "37578797.461",
        ],
    ));
    assert!(out.contains("经度 111.97667"), "{out}");
    let bad = diming(
        "sqlite://unused.gpkg",
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4490",
            "--to",
            "EPSG:999999",
            "1",
            "2",
        ],
    );
    assert!(!bad.status.success() && stderr(&bad).contains("EPSG:999999"));
    assert!(
        !std::path::Path::new("unused.gpkg").exists(),
        "crs does not open the store"
    );
}

#[test]
fn a_bad_database_url_is_named_in_the_error() {
    let out = diming("mysql://x", &["layers"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("mysql://x") && stderr(&out).contains("sqlite://"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        vec!["demo"],
        vec!["serve"],
        vec!["layers"],
        vec!["history"],
        vec!["check"],
        vec!["backup"],
        vec!["restore"],
        vec!["crs", "transform"],
        vec!["names", "check"],
        vec!["names", "romanize"],
        vec!["names", "audit"],
        vec!["names", "propose"],
        vec!["names", "review"],
        vec!["names", "override"],
        vec!["names", "approve"],
        vec!["names", "report"],
        vec!["names", "publish"],
        vec!["names", "reject"],
        vec!["names", "rename"],
        vec!["names", "pending"],
        vec!["names", "confirm-reading"],
        vec!["numbering", "plan"],
        vec!["numbering", "check"],
        vec!["numbering", "suggest"],
        vec!["numbering", "renumber"],
        vec!["numbering", "certificate"],
        vec!["numbering", "notice"],
        vec!["numbering", "order"],
        vec!["numbering", "campaign", "new"],
        vec!["numbering", "campaign", "pin"],
        vec!["numbering", "campaign", "approve"],
        vec!["numbering", "campaign", "apply"],
        vec!["numbering", "campaign", "install"],
        vec!["numbering", "campaign", "close"],
        vec!["numbering", "campaign", "show"],
    ] {
        let mut args = cmd.clone();
        args.push("--help");
        let out = ok(diming("sqlite://unused.gpkg", &args));
        assert!(out.contains("示例"), "{cmd:?}: {out}");
    }
}

/// `diming serve` stops cleanly on SIGTERM, as systemd and container runtimes stop it.
#[tokio::test]
async fn the_server_stops_cleanly_on_sigterm() {
    let db = TestDb::sqlite().await;
    ok(diming(db.url(), &["demo"]));
    let (mut server, _) = crate::browser::serve_free(db.url());
    let pid = server.0.id() as i32;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "still running after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// Configured from the environment as a service manager does it: the store (`DIMING_DB`),
/// the address (`DIMING_ADDR`) and JSON logs (`DIMING_LOG_FORMAT=json`), one object per line
/// with its level and fields (a refused write among them).
#[tokio::test]
async fn the_server_is_configured_from_the_environment_and_logs_json() {
    use std::process::{Command, Stdio};
    let db = TestDb::sqlite().await;
    ok(diming(db.url(), &["demo"]));
    let log = tempfile::NamedTempFile::new().unwrap();
    // A free port can be taken before the server binds it: then it exits, and another is tried.
    let (mut child, port, health) = (0..10)
        .find_map(|_| {
            let port = crate::browser::free_port();
            // The log of a server that could not bind is not this one's.
            log.as_file().set_len(0).unwrap();
            let mut child = Command::new(env!("CARGO_BIN_EXE_diming"))
                .arg("serve")
                .env("DIMING_DB", db.url())
                .env("DIMING_ADDR", format!("127.0.0.1:{port}"))
                .env("DIMING_LOG_FORMAT", "json")
                .env("RUST_LOG", "info")
                .stdout(Stdio::null())
                .stderr(log.reopen().unwrap())
                .spawn()
                .unwrap();
            let start = std::time::Instant::now();
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    return None;
                }
                if let Some((status, _)) = crate::support::http(port, "GET", "/healthz", None, "") {
                    return Some((child, port, status));
                }
                assert!(
                    start.elapsed() < std::time::Duration::from_secs(30),
                    "not serving"
                );
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        })
        .expect("the server did not start on any of ten free ports");
    assert_eq!(health, 200);
    let (status, _) = crate::support::http(port, "POST", "/api/changesets", None, "{}").unwrap();
    assert_eq!(status, 401);
    // SAFETY: a signal to our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    assert!(child.wait().unwrap().success());
    let text = std::fs::read_to_string(log.path()).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let message = |m: &str| lines.iter().find(|l| l["fields"]["message"] == m);
    let listening = message("listening").expect("a listening line");
    assert_eq!(listening["level"], "INFO");
    assert_eq!(listening["fields"]["addr"], format!("127.0.0.1:{port}"));
    let refused = message("refused").expect("the refusal is logged");
    assert_eq!(refused["level"], "WARN");
    assert_eq!(refused["fields"]["target"], "/api/changesets");
    assert!(message("stopping: finishing the requests in flight").is_some());
}
