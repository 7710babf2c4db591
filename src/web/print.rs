//! Printed maps from the browser (`/print`): the street map (街区图), the sign map and a
//! cemetery's plot map, with the paper, the extent (the built-up area, one unit, or a box)
//! and the scale chosen on the page; a preview drawn as SVG beside the form, and the map
//! downloaded as PDF, PNG or SVG. The maps are the print renderer's, as `diming render`
//! draws them.

use super::auth::Caller;
use super::burials::context;
use super::{ApiError, AppState, pages};
use crate::publish::atlas::{Atlas, MapExtent};
use crate::publish::map::{self, Layout, Style, labels::Measure};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The papers and orientations offered.
const PAPERS: [&str; 5] = ["A4", "A3", "A2", "A1", "A0"];

/// What to print, as the form sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrintQuery {
    /// `street`, `signs` or `cemetery`.
    map: String,
    /// `A1-landscape` …
    layout: String,
    /// A unit's division code, or blank for the whole built-up area.
    unit: String,
    /// West,south,east,north (CGCS2000), instead of a unit.
    bbox: String,
    /// The scale's denominator; blank: the largest that fits.
    scale: String,
    /// The cemetery's name, for its plot map.
    cemetery: String,
    /// 审图号.
    approval: String,
    /// `pdf`, `png` or `svg` (download).
    format: String,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn officers(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.sees_internal() {
        Ok(())
    } else {
        Err(ApiError::Unauthorized("印制地图须登录后办理".into()))
    }
}

/// The map drawn as the query asks, with its title and scale in words.
fn draw(registry: &AppState, q: &PrintQuery) -> Result<(map::Rendered, String), ApiError> {
    let layout_name = if q.layout.trim().is_empty() {
        "A3-landscape"
    } else {
        q.layout.trim()
    };
    let layout = Layout::named(layout_name).map_err(|_| {
        invalid(
            "layout",
            format!("版式“{layout_name}”无效：应为 A4 至 A0，横或竖"),
        )
    })?;
    let scale = match q.scale.trim() {
        "" => None,
        s => Some(
            s.trim_start_matches("1:")
                .parse::<f64>()
                .ok()
                .filter(|d| (100.0..=1_000_000.0).contains(d))
                .ok_or_else(|| invalid("scale", format!("比例尺“{s}”无效：应为分母，如 5000")))?,
        ),
    };
    let extent = match (q.unit.trim(), q.bbox.trim()) {
        ("", "") => MapExtent::Streets,
        (code, "") => MapExtent::Unit(code.to_string()),
        (_, b) => {
            let n: Vec<f64> = b
                .split([',', '，'])
                .map(|x| x.trim().parse::<f64>())
                .collect::<Result<_, _>>()
                .map_err(|_| invalid("bbox", "范围须为 西经度,南纬度,东经度,北纬度"))?;
            match n.as_slice() {
                [w, s, e, no] if w < e && s < no => {
                    MapExtent::BBox(geo::Rect::new((*w, *s), (*e, *no)))
                }
                _ => {
                    return Err(invalid(
                        "bbox",
                        "范围须为 西经度,南纬度,东经度,北纬度，西小于东、南小于北",
                    ));
                }
            }
        }
    };
    let today = super::edit::today();
    let city = &registry.config().jurisdiction.name;
    let state = registry.current();
    let atlas = Atlas::new(&state, city);
    let (plan, data, mut style) = match q.map.as_str() {
        "" | "street" => {
            let (p, d) = atlas.street_map(layout, &extent, scale, today)?;
            (p, d, Style::street_map())
        }
        "signs" => {
            let (p, d) = atlas.sign_map(layout, &extent, scale, today)?;
            (p, d, Style::named("sign-map").clone())
        }
        "cemetery" => {
            let name = q.cemetery.trim();
            if name.is_empty() {
                return Err(invalid("cemetery", "请选择公墓"));
            }
            let (p, d) = atlas.cemetery_map(name, layout, today)?;
            (p, d, Style::named("figure-map").clone())
        }
        other => return Err(invalid("map", format!("地图“{other}”无效"))),
    };
    drop(state);
    if !q.approval.trim().is_empty() {
        style.credits.approval = q.approval.trim().to_string();
    }
    let measure = Measure::shared().map_err(|e| ApiError::Internal(e.to_string()))?;
    let drawn = map::render(&plan, &style, &data, measure);
    let title = data
        .title
        .clone()
        .unwrap_or_else(|| format!("{}{}", data.city, style.title));
    let paper = plan
        .layout
        .name
        .replace("-landscape", " 横")
        .replace("-portrait", " 竖");
    let summary = format!("{title}（{paper}，{}）", map::scale_text(plan.scale));
    Ok((drawn, summary))
}

/// `GET /print`: the form, and the preview of what it asks for.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<PrintQuery>,
) -> Result<Response, ApiError> {
    officers(&caller)?;
    let asked = !q.map.is_empty();
    let (preview, summary, error, unnamed) = if asked {
        let r = registry.clone();
        let query = q.clone();
        match tokio::task::spawn_blocking(move || draw(&r, &query))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
        {
            Ok((drawn, summary)) => (drawn.svg, summary, None, drawn.unnamed),
            Err(e) => (
                String::new(),
                String::new(),
                Some(e.to_string()),
                Vec::new(),
            ),
        }
    } else {
        Default::default()
    };
    let mut context = context(&registry, &caller);
    {
        let state = registry.current();
        let mut units: Vec<(String, String)> = state
            .versions::<crate::boundaries::AdminUnit>()
            .map(|(_, u)| (u.code.short(), u.name.clone()))
            .collect();
        units.sort();
        context.insert("units", &units);
        context.insert(
            "cemeteries",
            &state
                .versions::<crate::cemetery::Cemetery>()
                .map(|(_, c)| c.name.clone())
                .collect::<Vec<_>>(),
        );
    }
    let layouts: Vec<(String, String)> = PAPERS
        .iter()
        .flat_map(|p| {
            [
                (format!("{p}-landscape"), format!("{p} 横")),
                (format!("{p}-portrait"), format!("{p} 竖")),
            ]
        })
        .collect();
    context.insert("layouts", &layouts);
    let mut q = q;
    if q.layout.is_empty() {
        q.layout = "A3-landscape".into();
    }
    let download = {
        let mut d = q.clone();
        d.format = "pdf".into();
        serde_urlencoded::to_string(&d).unwrap_or_default()
    };
    context.insert("form", &q);
    context.insert("asked", &asked);
    context.insert("preview", &preview);
    context.insert("summary", &summary);
    context.insert("error", &error);
    context.insert("unnamed", &unnamed);
    context.insert("download", &download);
    Ok(pages::render("print.html", &context)?.into_response())
}

/// `GET /print/map?…&format=pdf`: the map as a file to download.
pub async fn download(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<PrintQuery>,
) -> Result<Response, ApiError> {
    officers(&caller)?;
    let format = match q.format.as_str() {
        "" | "pdf" => "pdf",
        "png" => "png",
        "svg" => "svg",
        other => {
            return Err(invalid(
                "format",
                format!("格式“{other}”无效：应为 pdf、png 或 svg"),
            ));
        }
    };
    let r = registry.clone();
    let (bytes, title) = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let (drawn, summary) = draw(&r, &q)?;
        let bytes = match format {
            "png" => map::png(&drawn, 150.0).map_err(|e| ApiError::Internal(e.to_string()))?,
            "svg" => drawn.svg.into_bytes(),
            _ => map::pdf(&drawn).map_err(|e| ApiError::Internal(e.to_string()))?,
        };
        Ok((bytes, summary))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    let content_type = match format {
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/pdf",
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                super::form::attachment(&format!("{title}.{format}"), &format!("map.{format}")),
            ),
        ],
        bytes,
    )
        .into_response())
}
