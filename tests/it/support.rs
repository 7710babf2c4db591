//! Test stores: a fresh SQLite file or a fresh PostgreSQL database per test. PostgreSQL is
//! never optional: without it the PostGIS tests fail with a message saying how to start it.

use diming::config::Config;
use diming::registry::Registry;
use sqlx::postgres::PgPoolOptions;
use std::sync::LazyLock;

/// The admin URL of the test cluster (`.ci/test` sets it).
pub fn pg_admin_url() -> String {
    std::env::var("DIMING_TEST_PG")
        .unwrap_or_else(|_| "postgres://diming:diming@127.0.0.1:5432/postgres".into())
}

/// A store that exists for one test and is removed after it.
pub enum TestDb {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        name: String,
        url: String,
    },
}

impl TestDb {
    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.gpkg").display());
        TestDb::Sqlite { _dir: dir, url }
    }

    pub async fn postgres() -> TestDb {
        let admin = pg_admin_url();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&admin)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL/PostGIS is required for these tests and is not reachable at {admin}: {e}. \
                     Run .ci/test (it installs and starts PostgreSQL with PostGIS) or set DIMING_TEST_PG."
                )
            });
        let name = format!("diming_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await
            .expect("create test database");
        let base = admin.rsplit_once('/').expect("admin URL has a database").0;
        TestDb::Postgres {
            url: format!("{base}/{name}"),
            name,
        }
    }

    pub async fn registry(&self) -> Registry {
        Registry::open(self.url(), Config::erenhot())
            .await
            .unwrap_or_else(|e| panic!("open {}: {e}", self.url()))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { name, .. } = self {
            let name = name.clone();
            // Drop runs inside the test's runtime; a thread of its own may block.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(pool) = PgPoolOptions::new()
                        .max_connections(1)
                        .connect(&pg_admin_url())
                        .await
                    {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&pool)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The demo registry's changesets, computed once per test binary.
pub static DEMO: LazyLock<Vec<diming::model::Changeset>> =
    LazyLock::new(|| diming::demo::changesets().expect("demo builds"));

/// Loads the demo into a registry.
pub async fn load_demo(registry: &Registry) {
    registry
        .commit_all(DEMO.clone(), |_| {})
        .await
        .expect("demo commits");
}

/// Runs the `diming` binary on the store at `db`, as an officer would.
pub fn diming(db: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_diming"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run diming")
}

/// Asserts that a run of `diming` succeeded, showing what it said otherwise.
pub fn succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The text of a PDF, as poppler's `pdftotext` reads it.
pub fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Where the demo's plate `number` (as first numbered) of `street` stands.
pub fn plate_at(state: &diming::model::CurrentState, street: &str, number: u32) -> geo::Coord<f64> {
    let id = diming::record::RecordId::derived(&format!("door/{street}/{number}"));
    match &state.get(&id).expect("a demo plate").geometry {
        geo::Geometry::Point(p) => p.0,
        other => panic!("a plate is a point, not {other:?}"),
    }
}

/// Defines one test per store: `both_stores!(name, |db: TestDb| async move { … });`
macro_rules! both_stores {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::support::TestDb::sqlite().await;
                ($body)(db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::support::TestDb::postgres().await;
                ($body)(db).await;
            }
        }
    };
}
pub(crate) use both_stores;

/// Creates an officer with `role` and returns an API token for them.
pub async fn officer(registry: &Registry, name: &str, role: diming::accounts::Role) -> String {
    let store = registry.store();
    store
        .add_user(
            name,
            role,
            &diming::accounts::hash_password("test-password-长长的"),
        )
        .await
        .expect("add user");
    let (token, hash) = diming::accounts::new_secret();
    store
        .add_token(&hash, name, "test")
        .await
        .expect("add token");
    token
}

/// An HTTP answer from the router.
pub struct Reply {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends one request to the router (no port).
pub async fn call(app: &axum::Router, request: axum::http::Request<axum::body::Body>) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The body of a GET, as bytes (tiles, PDFs).
pub async fn get_bytes(app: &axum::Router, uri: &str) -> axum::body::Bytes {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(uri)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    response.into_body().collect().await.unwrap().to_bytes()
}

/// A request with an optional bearer token and an optional JSON body.
pub fn request(
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> axum::http::request::Builder {
    let mut b = axum::http::Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    b
}

/// Sends a request made by [`request`] with its JSON body.
pub async fn send(
    app: &axum::Router,
    builder: axum::http::request::Builder,
    body: Option<serde_json::Value>,
) -> Reply {
    let body = match body {
        Some(v) => axum::body::Body::from(v.to_string()),
        None => axum::body::Body::empty(),
    };
    call(app, builder.body(body).unwrap()).await
}

/// One HTTP/1.1 request to a server on loopback, with the standard library (for a real
/// `diming serve`): the status and the whole answer, or None when the connection failed or
/// broke before a status line came back (a killed server).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, Vec<u8>)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let head = String::from_utf8_lossy(&response);
    let status = head
        .lines()
        .next()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((status, response))
}

/// The body of an HTTP answer from [`http`].
pub fn http_body(response: &[u8]) -> &[u8] {
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |i| i + 4);
    &response[split..]
}

/// A current record as a client sends it back: its version and its feature (the body's
/// fields as properties, without the layer the URL names).
pub fn editable(registry: &Registry, id: diming::record::RecordId) -> (u32, serde_json::Value) {
    let current = registry.current();
    let v = current.get(&id).expect("a current record");
    let mut properties = serde_json::to_value(&v.body).unwrap();
    properties.as_object_mut().unwrap().remove("layer");
    (
        v.version,
        serde_json::json!({
            "type": "Feature",
            "geometry": diming::spatial::geojson::from_geo(&v.geometry),
            "properties": properties,
        }),
    )
}

/// A record's next version sent as a client sends it: PUT with the version it changes in
/// If-Match.
pub async fn put_record(
    app: &axum::Router,
    token: &str,
    id: diming::record::RecordId,
    version: u32,
    body: serde_json::Value,
) -> Reply {
    send(
        app,
        request(
            "PUT",
            &format!("/api/records/{id}"),
            Some(token),
            Some(body.clone()),
        )
        .header("if-match", format!("\"{version}\"")),
        Some(body),
    )
    .await
}

/// Runs one SQL statement with text parameters on either store's own pool, under the
/// registry (tests of what the database itself allows): the rows it touched, or the
/// database's message.
pub async fn execute(
    store: &diming::store::Store,
    sql: &'static str,
    params: &[&str],
) -> Result<u64, String> {
    match store {
        diming::store::Store::Sqlite(s) => {
            let mut q = sqlx::query(sql);
            for p in params {
                q = q.bind(*p);
            }
            q.execute(s.pool()).await.map(|r| r.rows_affected())
        }
        diming::store::Store::Postgres(s) => {
            let mut q = sqlx::query(sql);
            for p in params {
                q = q.bind(*p);
            }
            q.execute(s.pool()).await.map(|r| r.rows_affected())
        }
    }
    .map_err(|e| e.to_string())
}
