//! HTML pages, rendered with tera from templates compiled into the binary.

use super::auth::Caller;
use super::{ApiError, AppState, map};
use crate::model::Layer;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use geo::{BoundingRect, Rect, coord};
use serde::Deserialize;
use std::sync::LazyLock;
use tera::{Context, Tera};

static TEMPLATES: LazyLock<Tera> = LazyLock::new(|| {
    let mut tera = Tera::default();
    tera.add_raw_templates([
        ("layout.html", include_str!("templates/layout.html")),
        ("home.html", include_str!("templates/home.html")),
        ("search.html", include_str!("templates/search.html")),
        (
            "names_check.html",
            include_str!("templates/names_check.html"),
        ),
        ("numbering.html", include_str!("templates/numbering.html")),
        ("login.html", include_str!("templates/login.html")),
        ("map.html", include_str!("templates/map.html")),
        ("import.html", include_str!("templates/import.html")),
        ("history.html", include_str!("templates/history.html")),
        ("changeset.html", include_str!("templates/changeset.html")),
        ("record.html", include_str!("templates/record.html")),
        ("signs.html", include_str!("templates/signs.html")),
        ("sign.html", include_str!("templates/sign.html")),
        ("boundaries.html", include_str!("templates/boundaries.html")),
        (
            "boundaries_nav.html",
            include_str!("templates/boundaries_nav.html"),
        ),
        (
            "boundary_markers.html",
            include_str!("templates/boundary_markers.html"),
        ),
        (
            "boundary_agreements.html",
            include_str!("templates/boundary_agreements.html"),
        ),
        ("cemetery.html", include_str!("templates/cemetery.html")),
        ("burial.html", include_str!("templates/burial.html")),
        ("burials.html", include_str!("templates/burials.html")),
        (
            "burial_form.html",
            include_str!("templates/burial_form.html"),
        ),
        ("plots.html", include_str!("templates/plots.html")),
        ("plot.html", include_str!("templates/plot.html")),
        ("notices.html", include_str!("templates/notices.html")),
        ("names.html", include_str!("templates/names.html")),
        ("print.html", include_str!("templates/print.html")),
        ("ledger.html", include_str!("templates/ledger.html")),
        ("help.html", include_str!("templates/help.html")),
        ("admin.html", include_str!("templates/admin.html")),
        (
            "admin_token.html",
            include_str!("templates/admin_token.html"),
        ),
        ("name.html", include_str!("templates/name.html")),
        (
            "names_audit.html",
            include_str!("templates/names_audit.html"),
        ),
        ("names_nav.html", include_str!("templates/names_nav.html")),
        ("notice.html", include_str!("templates/notice.html")),
        (
            "cemetery_nav.html",
            include_str!("templates/cemetery_nav.html"),
        ),
        ("graves.html", include_str!("templates/graves.html")),
        ("gazetteer.html", include_str!("templates/gazetteer.html")),
        ("error.html", include_str!("templates/error.html")),
    ])
    // The templates are compiled in; a syntax error in them fails the first test that renders.
    .expect("built-in templates parse");
    tera.register_filter("local", local_filter);
    tera
});

/// China's time (Asia/Shanghai, UTC+8 all year): what every page shows.
fn china() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A moment as people in the city read it: `2026-12-07 19:31`, in China's time.
pub(super) fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The day of a moment in China's time (a changeset recorded at 01:00 on the 8th, Beijing
/// time, is of the 8th, though it is still the 7th in UTC).
pub(super) fn local_date(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    t.with_timezone(&china()).date_naive()
}

/// The template filter `local`: a time as it travels in JSON (RFC 3339), shown as
/// [`local_time`]; anything else is left as it is.
fn local_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(
        match value.as_str().map(chrono::DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => tera::Value::String(local_time(t.with_timezone(&chrono::Utc))),
            _ => value.clone(),
        },
    )
}

/// Renders one of the built-in templates.
pub(super) fn render(name: &str, context: &Context) -> Result<Html<String>, ApiError> {
    TEMPLATES.render(name, context).map(Html).map_err(|e| {
        // Tera says what went wrong in the error's sources.
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(&format!("：{s}"));
            source = s.source();
        }
        ApiError::Internal(format!("页面模板 {name} 出错：{message}"))
    })
}

/// `GET /help`: the user guide (操作手册), by role, the caller's own first in view.
/// Which sections of the guide the caller reads.
fn reader(caller: &Caller) -> crate::publish::guide::Reader {
    crate::publish::guide::Reader {
        internal: caller.access.sees_internal(),
        burials: caller.access.can_read_layer(Layer::Burial),
        admin: caller.access.is_admin(),
    }
}

/// The user guide: the sections of the caller's role (the public's for the public), each
/// task's steps with links to the pages that do them and a picture of the page.
pub async fn help(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<Html<String>, ApiError> {
    use crate::publish::guide::{GUIDE, step_html};
    let sections: Vec<serde_json::Value> = GUIDE
        .for_reader(reader(&caller))
        .map(|s| {
            serde_json::json!({
                "id": s.id, "role": s.role,
                "tasks": s.tasks.iter().map(|t| serde_json::json!({
                    "title": t.title, "screenshot": t.screenshot,
                    "steps": t.steps.iter().map(|step| step_html(step)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("intro", &GUIDE.intro);
    context.insert("sections", &sections);
    caller.insert_into(&mut context);
    render("help.html", &context)
}

/// The guide as a PDF for training: the sections the caller reads, with their pictures.
pub async fn help_pdf(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let city = registry.config().jurisdiction.name.clone();
    let reader = reader(&caller);
    let pdf = tokio::task::spawn_blocking(move || {
        let fonts = crate::publish::pdf::Fonts::load()?;
        crate::publish::guide::pdf(reader, &city, &fonts)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                super::form::attachment("操作手册.pdf", "guide.pdf"),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// A picture of the guide (JPEG, compiled in).
pub async fn help_picture(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let picture = file
        .strip_suffix(".jpg")
        .and_then(crate::publish::guide::picture)
        .ok_or_else(|| ApiError::NotFound(format!("手册中没有图片“{file}”")))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/jpeg"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        picture,
    )
        .into_response())
}

pub async fn home(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<Html<String>, ApiError> {
    // Who changed what, and names still in the workflow, are internal.
    let internal = caller.access.sees_internal();
    let changesets = if internal {
        registry
            .store()
            .changesets(10)
            .await
            .map_err(|e| ApiError::Registry(e.into()))?
    } else {
        Vec::new()
    };
    let today = chrono::Local::now().date_naive();
    let pending = if internal {
        registry.pending_names(today)
    } else {
        Vec::new()
    };
    let current = registry.current();
    // The city itself: its names in every script, for the page's heading.
    let city = current
        .versions::<crate::boundaries::AdminUnit>()
        .find(|(_, u)| u.level == crate::boundaries::UnitLevel::County);
    let city_mn = city.and_then(|(_, u)| u.name_mn.clone());
    let city_roman = crate::names::romanize::romanize(
        &registry.config().jurisdiction.name,
        registry.word_lists(),
        false,
        &Default::default(),
    )
    .standard;
    let layers: Vec<_> = Layer::ALL
        .iter()
        .filter(|l| caller.access.can_read_layer(**l))
        .map(|l| serde_json::json!({ "label": l.label(), "table": l.table(), "count": current.count(*l) }))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("store", registry.store().kind());
    context.insert("layers", &layers);
    context.insert("changesets", &changesets);
    context.insert("total", &current.len());
    context.insert("pending", &pending);
    context.insert("city_mn", &city_mn);
    context.insert("city_roman", &city_roman);
    caller.insert_into(&mut context);
    render("home.html", &context)
}

fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        coord! {x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y)},
        coord! {x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y)},
    )
}

#[derive(Deserialize)]
pub struct MapQuery {
    /// `city` (the whole jurisdiction) or `town` (the built-up area, with streets).
    view: Option<String>,
}

pub async fn map_svg(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<MapQuery>,
) -> Response {
    let visible = |b: &crate::model::Body| caller.access.can_read(b);
    let current = registry.current();
    let e = registry.config().jurisdiction.extent;
    let city = current
        .records()
        .filter(|v| v.layer() == Layer::AdminUnit)
        .filter_map(|v| v.geometry.bounding_rect())
        .reduce(union)
        .unwrap_or_else(|| {
            Rect::new(
                coord! {x: e.west, y: e.south},
                coord! {x: e.east, y: e.north},
            )
        });
    // The town: the streets' extent with a margin.
    let town = current
        .layer(Layer::Street)
        .filter_map(|v| v.geometry.bounding_rect())
        .reduce(union)
        .map(|r| {
            let (mx, my) = (r.width() * 0.08, r.height() * 0.08);
            Rect::new(
                coord! {x: r.min().x - mx, y: r.min().y - my},
                coord! {x: r.max().x + mx, y: r.max().y + my},
            )
        })
        .unwrap_or(city);
    let svg = match q.view.as_deref() {
        Some("town") => map::render(&current, town, 900.0, true, &visible),
        _ => map::render(&current, city, 900.0, false, &visible),
    };
    (
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    /// The page of results, from 1.
    #[serde(default)]
    page: Option<usize>,
}

/// Results on one page of the search page.
const PER_PAGE: usize = 50;
/// The most results the search page ranks (pages of [`PER_PAGE`]).
const MOST_RESULTS: usize = 1000;

/// The search box's results page.
pub async fn search(
    State(registry): State<AppState>,
    caller: Caller,
    Query(form): Query<SearchForm>,
) -> Result<Html<String>, ApiError> {
    super::extract::query_length(&registry, "q", &form.q)?;
    let hits = {
        let registry = registry.clone();
        let text = form.q.clone();
        tokio::task::spawn_blocking(move || {
            registry.search_index().search(&text, None, MOST_RESULTS)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("search: {e}")))?
    };
    let current = registry.current();
    let readable: Vec<_> = hits
        .iter()
        .filter(|h| {
            current
                .get(&h.id)
                .is_some_and(|v| caller.access.can_read(&v.body))
        })
        .collect();
    let pages = readable.len().div_ceil(PER_PAGE).max(1);
    let page = form.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<_> = readable
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|h| serde_json::json!({ "id": h.id, "name": h.name, "layer": h.layer.label(), "matched": h.matched.label() }))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("q", &form.q);
    context.insert("hits", &rows);
    context.insert("total", &readable.len());
    context.insert("capped", &(hits.len() >= MOST_RESULTS));
    context.insert("page", &page);
    context.insert("pages", &pages);
    context.insert("first", &((page - 1) * PER_PAGE + 1));
    context.insert("last", &((page - 1) * PER_PAGE + rows.len()));
    context.insert(
        "q_url",
        &form_urlencoded::byte_serialize(form.q.as_bytes()).collect::<String>(),
    );
    caller.insert_into(&mut context);
    render("search.html", &context)
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

/// The naming-rule check as the officer types (the page calls `/api/names/check`).
pub async fn names_check(
    State(registry): State<AppState>,
    caller: Caller,
    Query(form): Query<NameForm>,
) -> Result<Html<String>, ApiError> {
    let categories: Vec<_> = crate::names::PlaceCategory::ALL
        .iter()
        .map(|c| serde_json::json!({ "id": c.as_str(), "label": c.label() }))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("name", &form.name);
    context.insert("categories", &categories);
    caller.insert_into(&mut context);
    context.insert("script", &super::assets::script("names_check"));
    render("names_check.html", &context)
}

/// The map page: every layer the caller may see, on MapLibre, with the attributes and the
/// history of a clicked feature.
pub async fn map_page(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<Html<String>, ApiError> {
    let current = registry.current();
    let e = registry.config().jurisdiction.extent;
    // The city's own outline when there is one, else the configured extent.
    let bounds = current
        .layer(Layer::AdminUnit)
        .filter_map(|v| v.geometry.bounding_rect())
        .reduce(union)
        .unwrap_or_else(|| {
            Rect::new(
                coord! {x: e.west, y: e.south},
                coord! {x: e.east, y: e.north},
            )
        });
    let layers: Vec<_> = Layer::ALL
        .iter()
        .filter(|l| caller.access.can_read_layer(**l))
        .map(|l| serde_json::json!({ "layer": l.table(), "label": l.label(), "count": current.count(*l) }))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert(
        "extent",
        &serde_json::json!([
            bounds.min().x,
            bounds.min().y,
            bounds.max().x,
            bounds.max().y
        ])
        .to_string(),
    );
    context.insert("layers", &serde_json::Value::from(layers).to_string());
    context.insert("maplibre", super::assets::MAPLIBRE);
    context.insert("can_plates", &caller.access.can_write(Layer::DoorPlate));
    context.insert(
        "read_only",
        &serde_json::json!(super::extract::READ_ONLY).to_string(),
    );
    // The layers this caller draws and edits on the map with forms from their schemas.
    let drawable: Vec<_> = crate::forms::DRAWN
        .iter()
        .filter(|l| caller.access.can_write(**l))
        .map(|l| serde_json::json!({ "layer": l, "table": l.table(), "label": l.label() }))
        .collect();
    context.insert(
        "drawable_json",
        &serde_json::Value::from(drawable.clone()).to_string(),
    );
    context.insert("drawable", &drawable);
    let writable: Vec<Layer> = Layer::ALL
        .into_iter()
        .filter(|l| caller.access.can_write(*l))
        .collect();
    context.insert(
        "writable",
        &serde_json::to_string(&writable).unwrap_or_else(|_| "[]".into()),
    );
    context.insert("script", &super::assets::map_script());
    context.insert("table_script", &super::assets::script("map_table"));
    caller.insert_into(&mut context);
    render("map.html", &context)
}

#[cfg(test)]
mod template_tests {
    /// Every built-in template parses (a syntax error otherwise shows only when a page using
    /// it is first asked for).
    #[test]
    fn the_built_in_templates_parse() {
        assert!(super::TEMPLATES.get_template_names().count() > 20);
    }
}
