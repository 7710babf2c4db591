//! The web server: axum, the only place that knows HTTP. One router ([`app`]) carries the
//! pages (tera, Chinese), the map page and its embedded assets, the JSON API under `/api`
//! (described by `/api/openapi.json`), OGC API Features under `/ogc`, the file gateway's
//! upload and download, the history browser, and login; the sign register and the boundary
//! officers' pages with their dispute steps and dispute maps (`signs`, `boundaries`), their
//! marker register and 平安边界 agreements (`boundary_register`), the
//! burial office's statistics and the public grave finder (`cemetery`), its casework
//! (`burials`, `plots`, `notices`: registration, plots, relocation notices, the ledger), the
//! names office's workflow and audit (`names`), printed maps (`print`), accounts (`admin`),
//! the user guide (`/help`, `/help.pdf`), the map editor's attribute table and a street's
//! plate list (`table`), what the pages' forms share (`form`), the gazetteer's editions
//! (`gazetteer`), vector tiles (`tiles`) and the web map's style (`/maps/web-map.json`), and
//! `/healthz` and `/metrics` (`ops`). A browser that navigates to an address that fails gets a
//! page in Chinese, a program its JSON error (`errors`). Who is calling is decided once per
//! request (`auth`): state-changing calls from the public or read-only roles are refused
//! there, before their body is read, and every write checks the caller's role against the
//! record's layer.

mod admin;
mod api;
mod assets;
pub mod auth;
mod boundaries;
mod boundary_register;
mod burials;
mod campaigns;
mod cemetery;
pub(crate) mod cql;
pub(crate) mod edit;
mod error;
mod errors;
mod extract;
mod files;
mod form;
mod gazetteer;
pub mod headers;
mod history;
mod map;
mod names;
mod notices;
mod numbering;
mod ogc;
pub mod openapi;
mod ops;
mod pages;
mod plots;
mod print;
mod signs;
mod table;
mod throttle;
mod tiles;

pub use api::READ_ONLY;
pub use error::ApiError;

use crate::registry::Registry;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::sync::Arc;

/// The largest request body of the JSON API (uploads have their own limit).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// Shared state of every handler.
pub type AppState = Arc<Registry>;

/// The whole application, without a listening socket (tests drive it with `oneshot`).
pub fn app(registry: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/help", get(pages::help))
        .route("/help.pdf", get(pages::help_pdf))
        .route("/help/pictures/{file}", get(pages::help_picture))
        .route("/map.svg", get(pages::map_svg))
        .route("/map", get(pages::map_page))
        .route("/static/{path}", get(assets::asset))
        .route("/glyphs/{stack}/{range}", get(assets::glyphs))
        .route("/maps/web-map.json", get(assets::web_map_style))
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/layers", get(api::layers))
        .route("/api/layers/{table}", get(api::layer_features))
        .route("/api/layers/{table}/items", post(edit::create))
        .route("/api/layers/{table}/schema", get(api::layer_schema))
        .route("/api/layers/{table}/rows", get(table::rows))
        .route("/api/streets/{id}/plates", get(table::street_plate_list))
        .route(
            "/api/records/{id}",
            get(api::record).put(edit::replace).delete(edit::retire),
        )
        .route("/api/changesets", get(history::list).post(edit::changeset))
        .route("/api/changesets/check", post(edit::check_changeset))
        .route("/api/changesets/{id}/revert", post(history::revert))
        .route("/history", get(history::page))
        .route("/changesets/{id}", get(history::changeset_page))
        .route("/records/{id}", get(history::record_page))
        .route("/api/campaigns", post(campaigns::create))
        .route("/api/campaigns/{id}/pins", post(campaigns::pin))
        .route("/api/campaigns/{id}/approve", post(campaigns::approve))
        .route("/api/campaigns/{id}/apply", post(campaigns::apply))
        // The import streams its body to disk after the role check, with its own limit.
        .route("/api/layers/{table}/import", post(files::import))
        .route("/api/layers/{table}/export", get(files::export))
        .route("/import", get(files::page))
        .route("/ogc", get(ogc::landing))
        .route("/ogc/", get(ogc::landing))
        .route("/ogc/conformance", get(ogc::conformance))
        .route("/ogc/api", get(ogc::api_document))
        .route("/ogc/collections", get(ogc::collections))
        .route("/ogc/collections/{id}", get(ogc::one_collection))
        .route("/ogc/collections/{id}/queryables", get(ogc::queryables))
        .route(
            "/ogc/collections/{id}/items",
            get(ogc::items).post(ogc::write::create),
        )
        .route(
            "/ogc/collections/{id}/items/{fid}",
            get(ogc::item)
                .put(ogc::write::replace)
                .patch(ogc::write::patch)
                .delete(ogc::write::delete),
        )
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/api/records/{id}/history", get(api::history))
        .route("/api/units/at", get(api::unit_at))
        .route("/api/search", get(api::search))
        .route("/api/reverse", get(api::reverse))
        .route("/api/names/check", get(api::check_name))
        .route("/api/numbering/suggest", get(api::suggest_number))
        .route("/search", get(pages::search))
        .route("/names/check", get(pages::names_check))
        .route("/names", get(names::list).post(names::propose))
        .route("/names/audit", get(names::audit))
        .route("/names/{id}", get(names::page))
        .route("/names/{id}/steps", post(names::step))
        .route("/numbering", get(numbering::tool))
        .route("/tiles/{file}", get(tiles::tilejson))
        .route("/tiles/{layer}/{z}/{x}/{file}", get(tiles::tile))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/cemetery", get(cemetery::page))
        .route("/cemetery/burials", get(burials::list))
        .route(
            "/cemetery/burials/new",
            get(burials::new_form).post(burials::register),
        )
        .route("/cemetery/burials/{id}", get(cemetery::burial_page))
        .route("/cemetery/burials/{id}/subsidy", post(burials::claim))
        .route("/cemetery/burials/{id}/correct", post(burials::correct))
        .route("/cemetery/notices", get(notices::list).post(notices::issue))
        .route("/cemetery/notices/print", get(notices::print))
        .route("/cemetery/notices/{id}", get(notices::page))
        .route("/cemetery/notices/{id}/pdf", get(notices::pdf))
        .route("/cemetery/notices/{id}/steps", post(notices::step))
        .route("/cemetery/notices/{id}/relocate", post(notices::relocate))
        .route(
            "/cemetery/ledger",
            get(burials::ledger_page).post(burials::ledger_import),
        )
        .route("/cemetery/plots", get(plots::plots))
        .route("/cemetery/plots/plan", get(plots::plan))
        .route(
            "/cemetery/plots/{id}",
            get(plots::plot_page).post(plots::plot_step),
        )
        .route("/api/cemetery/stats", get(cemetery::stats_api))
        .route("/graves", get(cemetery::finder))
        .route("/gazetteer", get(gazetteer::page))
        .route("/print", get(print::page))
        .route("/admin", get(admin::page).post(admin::account))
        .route("/print/map", get(print::download))
        .route("/gazetteer/editions/{file}", get(gazetteer::edition))
        .route("/api/gazetteer/editions", post(gazetteer::build))
        .route("/api/gazetteer/jobs/{id}", get(gazetteer::job))
        .route("/boundaries", get(boundaries::page))
        .route("/boundaries/inspections", post(boundaries::inspect))
        .route("/boundaries/disputes/{id}/decide", post(boundaries::decide))
        .route(
            "/boundaries/markers",
            get(boundary_register::markers_page).post(boundary_register::register_marker),
        )
        .route(
            "/boundaries/markers/{id}/move",
            post(boundary_register::move_marker),
        )
        .route(
            "/boundaries/agreements",
            get(boundary_register::agreements_page).post(boundary_register::add_agreement),
        )
        .route(
            "/boundaries/agreements/{id}",
            post(boundary_register::agreement_step),
        )
        .route("/api/boundaries/check", get(boundaries::check_api))
        .route(
            "/api/markers/{number}/observations",
            post(boundaries::observe),
        )
        .route("/api/disputes", post(boundaries::file_dispute))
        .route("/api/disputes/{id}/steps", post(boundaries::dispute_step))
        .route("/api/disputes/{id}/map.pdf", get(boundaries::dispute_map))
        .route("/signs", get(signs::page))
        .route("/signs/{key}", get(signs::sign_page))
        .route("/signs/{key}/{file}", get(signs::artwork))
        .route("/api/signs/check", get(signs::check))
        .route("/api/signs/report", get(signs::report))
        .route("/api/signs/{id}/inspections", post(signs::inspect))
        // The photo is read after the role check, with its own limit.
        .route("/api/attachments", post(signs::upload))
        .route("/attachments/{sha}", get(signs::attachment))
        .route(
            "/api/work-orders",
            get(signs::list_orders).post(signs::open_order),
        )
        .route("/api/work-orders/from-findings", post(signs::from_findings))
        .route(
            "/api/work-orders/{id}",
            axum::routing::patch(signs::change_order),
        )
        .fallback(errors::not_found)
        .layer(axum::middleware::from_fn_with_state(
            registry.clone(),
            auth::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            registry.clone(),
            errors::as_pages,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            registry.clone(),
            headers::secure,
        ))
        .layer(axum::middleware::from_fn(ops::count))
        .with_state(registry)
}

/// Serves the application on `addr` until Ctrl-C or SIGTERM (as systemd and container
/// runtimes stop a service); requests in flight, and the changesets they commit, finish first.
pub async fn serve(registry: AppState, addr: &str) -> std::io::Result<()> {
    // The handler is in place before the port opens: a SIGTERM that comes as soon as the
    // server answers stops it gracefully, never by the default action.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let router = app(registry);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The address bound: with port 0, the one the system chose.
    let addr = listener.local_addr()?.to_string();
    tracing::info!(addr, "listening");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        tracing::info!("stopping: finishing the requests in flight");
    })
    .await
}
