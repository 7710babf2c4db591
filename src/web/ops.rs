//! Operations: `/healthz` for load balancers and supervisors (the store answers, memory is
//! loaded) and `/metrics` in the Prometheus text format, for loopback and the administrator (records per layer, changesets,
//! requests answered by status class, uptime).

use super::AppState;
use crate::model::Layer;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::fmt::Write as _;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);
/// Requests answered, by status class (1xx … 5xx).
static ANSWERED: [AtomicU64; 5] = [
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
];

/// Counts every answer by its status class.
pub async fn count(request: Request, next: Next) -> Response {
    LazyLock::force(&STARTED);
    let response = next.run(request).await;
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    ANSWERED[class].fetch_add(1, Ordering::Relaxed);
    response
}

/// `GET /healthz`: 200 when the store answers, 503 when it does not.
pub async fn healthz(State(registry): State<AppState>) -> Response {
    let records = registry.current().len();
    match registry.store().ping().await {
        Ok(changesets) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({
                "status": "ok",
                "store": registry.store().kind(),
                "records": records,
                "changesets": changesets,
            })),
        )
            .into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({
                "status": "store_unavailable",
                "store": registry.store().kind(),
                "records": records,
                "error": e.to_string(),
            })),
        )
            .into_response(),
    }
}

/// `GET /metrics` (Prometheus text format): for the monitoring on this machine (a client on loopback) and for the
/// administrator (a session or an API token); anyone else gets 404.
pub async fn metrics(
    State(registry): State<AppState>,
    caller: super::auth::Caller,
    super::headers::ClientAddr(addr): super::headers::ClientAddr,
) -> Response {
    // Without an address the router was called in-process (tests), not over a socket.
    let local = addr.is_none_or(|a| a.is_loopback());
    if !local && !caller.access.is_admin() {
        return (StatusCode::NOT_FOUND, "没有这个页面").into_response();
    }
    let mut out = String::new();
    out.push_str("# HELP diming_records Current records per layer.\n# TYPE diming_records gauge\n");
    {
        let state = registry.current();
        for layer in Layer::ALL {
            let _ = writeln!(
                out,
                "diming_records{{layer=\"{}\"}} {}",
                layer.table(),
                state.count(layer)
            );
        }
    }
    let changesets = registry.store().ping().await;
    out.push_str(
        "# HELP diming_store_up Whether the store answers.\n# TYPE diming_store_up gauge\n",
    );
    let _ = writeln!(
        out,
        "diming_store_up{{store=\"{}\"}} {}",
        registry.store().kind(),
        i32::from(changesets.is_ok())
    );
    if let Ok(n) = changesets {
        out.push_str(
            "# HELP diming_changesets Changesets committed.\n# TYPE diming_changesets gauge\n",
        );
        let _ = writeln!(out, "diming_changesets {n}");
    }
    out.push_str("# HELP diming_group_commits_total Transactions that wrote several changesets at once.\n# TYPE diming_group_commits_total counter\n");
    let _ = writeln!(
        out,
        "diming_group_commits_total {}",
        registry.groups_written()
    );
    out.push_str("# HELP diming_http_responses_total Responses by status class.\n# TYPE diming_http_responses_total counter\n");
    for (i, n) in ANSWERED.iter().enumerate() {
        let _ = writeln!(
            out,
            "diming_http_responses_total{{class=\"{}xx\"}} {}",
            i + 1,
            n.load(Ordering::Relaxed)
        );
    }
    out.push_str("# HELP diming_uptime_seconds Seconds since the server started.\n# TYPE diming_uptime_seconds gauge\n");
    let _ = writeln!(
        out,
        "diming_uptime_seconds {:.0}",
        STARTED.elapsed().as_secs_f64()
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
