//! OGC API – Features at `/ogc`: Part 1 Core (landing page, conformance, one collection per
//! layer with its extent, items with `bbox`, `limit`, `offset` and next links, `datetime`
//! against the records' lifespans, one item with its ETag; GeoJSON and HTML) and Part 2 CRS
//! (CRS84, EPSG:4490 and the city's Gauss–Krüger CRS, `crs`, `bbox-crs`, `Content-Crs`),
//! Part 3 filters (CQL2, in `cql.rs`, with `/queryables`) and Part 4 writes ([`write`], through
//! the same checked writes as the JSON API). QGIS and GDAL's OAPIF driver read the registry
//! through it. The public sees public records only, as everywhere.

mod openapi;
pub mod write;

use super::auth::Caller;
use super::extract::{ApiPath, ApiQuery};
use super::{ApiError, AppState, api};
use crate::model::{Layer, RecordVersion};
use crate::record::RecordId;
use crate::spatial::crs::Transformer;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use geo::{BoundingRect, Rect, coord};
use serde::Deserialize;
use serde_json::{Value, json};

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG: &str = "http://www.opengis.net/def/crs/EPSG/0/";
/// The largest page, and the page when none is asked for.
const MAX_LIMIT: usize = 10_000;
const DEFAULT_LIMIT: usize = 100;

/// The CRSs offered: CRS84 (lon/lat), the storage CRS (lat/lon axis order, as EPSG defines
/// it) and the measuring CRS (northing first).
fn crs_list() -> Vec<String> {
    vec![
        CRS84.to_string(),
        format!("{EPSG}4490"),
        format!("{EPSG}4546"),
    ]
}

/// A requested CRS: its PROJ name and whether its first axis is latitude or northing.
struct Crs {
    uri: String,
    proj: &'static str,
    swapped: bool,
}

fn parse_crs(uri: &str, field: &str) -> Result<Crs, ApiError> {
    let uri = uri.trim().trim_start_matches('[').trim_end_matches(']');
    let (proj, swapped) = match uri {
        CRS84 | "OGC:CRS84" => ("EPSG:4490", false),
        u if u == format!("{EPSG}4490") || u == "EPSG:4490" => ("EPSG:4490", true),
        u if u == format!("{EPSG}4546") || u == "EPSG:4546" => ("EPSG:4546", true),
        _ => {
            return Err(ApiError::Invalid {
                field: field.into(),
                message: format!("不支持的坐标系“{uri}”：可用 {}", crs_list().join("、")),
            });
        }
    };
    Ok(Crs {
        uri: uri.to_string(),
        proj,
        swapped,
    })
}

/// Coordinates of `g` (EPSG:4490, lon/lat) in `crs`, in its axis order.
fn to_crs(g: &geo::Geometry<f64>, crs: &Crs) -> Result<geo::Geometry<f64>, ApiError> {
    use geo::MapCoords;
    let g = if crs.proj == "EPSG:4490" {
        g.clone()
    } else {
        let t = Transformer::new("EPSG:4490", crs.proj)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        t.geometry(g)
            .map_err(|e| ApiError::Internal(e.to_string()))?
    };
    Ok(if crs.swapped {
        g.map_coords(|c| coord! { x: c.y, y: c.x })
    } else {
        g
    })
}

/// A bbox given in `crs` as a lon/lat rectangle in EPSG:4490.
fn bbox_in_storage(values: &[f64], crs: &Crs) -> Result<Rect<f64>, ApiError> {
    let (a, b, c, d) = match values {
        [a, b, c, d] => (*a, *b, *c, *d),
        [a, b, _, c, d, _] => (*a, *b, *c, *d),
        _ => {
            return Err(ApiError::Invalid {
                field: "bbox".into(),
                message: "bbox 应为 4 个数（或含高程的 6 个数）".into(),
            });
        }
    };
    let (mut x1, mut y1, mut x2, mut y2) = if crs.swapped {
        (b, a, d, c)
    } else {
        (a, b, c, d)
    };
    if crs.proj != "EPSG:4490" {
        let t = Transformer::new(crs.proj, "EPSG:4490")
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let corners = [(x1, y1), (x1, y2), (x2, y1), (x2, y2)]
            .iter()
            .map(|(x, y)| t.point(*x, *y))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ApiError::Invalid {
                field: "bbox".into(),
                message: e.to_string(),
            })?;
        x1 = corners.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        x2 = corners
            .iter()
            .map(|c| c.0)
            .fold(f64::NEG_INFINITY, f64::max);
        y1 = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        y2 = corners
            .iter()
            .map(|c| c.1)
            .fold(f64::NEG_INFINITY, f64::max);
    }
    if !(x1 <= x2 && y1 <= y2) {
        return Err(ApiError::Invalid {
            field: "bbox".into(),
            message: "bbox 的最小值应不大于最大值".into(),
        });
    }
    Ok(Rect::new(coord! {x: x1, y: y1}, coord! {x: x2, y: y2}))
}

/// `datetime`: an instant or an interval with open ends (`..`), as dates.
fn parse_datetime(s: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
    let date = |p: &str| -> Result<Option<NaiveDate>, ApiError> {
        let p = p.trim();
        if p.is_empty() || p == ".." {
            return Ok(None);
        }
        let day = p.get(..10).unwrap_or(p);
        day.parse().map(Some).map_err(|_| ApiError::Invalid {
            field: "datetime".into(),
            message: format!(
                "datetime“{s}”无效：应为 2021-05-01、2021-01-01/2021-12-31 或 ../2021-12-31"
            ),
        })
    };
    match s.split_once('/') {
        Some((a, b)) => Ok((date(a)?, date(b)?)),
        None => {
            let d = date(s)?;
            Ok((d, d))
        }
    }
}

/// Whether a version's lifespan [valid_from, valid_to) meets [from, to] (days).
fn lives_in(v: &RecordVersion, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    let starts_before_end = to.is_none_or(|t| v.valid_from <= t);
    let ends_after_start = match (v.valid_to, from) {
        (Some(end), Some(f)) => end > f,
        _ => true,
    };
    !v.retired && starts_before_end && ends_after_start
}

fn wants_html(format: Option<&str>, headers: &HeaderMap) -> bool {
    match format {
        Some(f) => f == "html",
        None => headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html")),
    }
}

/// The address of `/ogc` as the client reached it. The `Host` header goes into links of
/// JSON and HTML answers, so only a host name or address with its port is taken (a `"` or `<`
/// in it would have been written into the HTML pages' links).
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}/ogc")
}

#[derive(Deserialize)]
pub struct FormatQuery {
    f: Option<String>,
}

fn page(title: &str, body: &str) -> Response {
    Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family: 'Noto Sans CJK SC', sans-serif\"><h1>{title}</h1>{body}</body></html>"
    ))
    .into_response()
}

/// Text for HTML and SVG, in element content or an attribute value.
use crate::publish::escape as esc;

pub async fn landing(
    State(registry): State<AppState>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Response {
    let b = base(&headers);
    let title = format!("{}地名登记簿", registry.config().jurisdiction.name);
    let body = json!({
        "title": title,
        "description": "地名、街路巷、门牌与行政区域（OGC API – Features）",
        "links": [
            { "rel": "self", "type": "application/json", "href": format!("{b}?f=json") },
            { "rel": "alternate", "type": "text/html", "href": format!("{b}?f=html") },
            { "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "href": format!("{b}/api") },
            { "rel": "conformance", "type": "application/json", "href": format!("{b}/conformance") },
            { "rel": "data", "type": "application/json", "href": format!("{b}/collections") }
        ]
    });
    if wants_html(q.f.as_deref(), &headers) {
        return page(
            &title,
            &format!(
                "<p><a href=\"{b}/collections?f=html\">图层</a> · <a href=\"{b}/conformance\">一致性</a></p>"
            ),
        );
    }
    axum::Json(body).into_response()
}

/// `/ogc/api`: the OpenAPI 3.0 description of this OGC API (its `service-desc`).
pub async fn api_document(headers: HeaderMap) -> Response {
    let tables: Vec<&str> = Layer::ALL.iter().map(|l| l.table()).collect();
    let mut r = axum::Json(openapi::ogc_document(&base(&headers), &tables)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.oai.openapi+json;version=3.0"),
    );
    r
}

pub async fn conformance() -> Response {
    axum::Json(json!({ "conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update"
    ]}))
    .into_response()
}

fn collection(registry: &AppState, caller: &Caller, layer: Layer, b: &str) -> Value {
    let current = registry.current();
    let bbox = current
        .layer(layer)
        .filter(|v| caller.access.can_read(&v.body))
        .filter_map(|v| v.geometry.bounding_rect())
        .reduce(|a, c| {
            Rect::new(
                coord! {x: a.min().x.min(c.min().x), y: a.min().y.min(c.min().y)},
                coord! {x: a.max().x.max(c.max().x), y: a.max().y.max(c.max().y)},
            )
        });
    let t = layer.table();
    json!({
        "id": t,
        "title": layer.label(),
        "itemType": "feature",
        "extent": {
            "spatial": {
                "bbox": [bbox.map_or(json!([]), |r| json!([r.min().x, r.min().y, r.max().x, r.max().y]))],
                "crs": CRS84
            },
            "temporal": { "interval": [[Value::Null, Value::Null]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" }
        },
        "crs": crs_list(),
        "storageCrs": format!("{EPSG}4490"),
        "links": [
            { "rel": "self", "type": "application/json", "href": format!("{b}/collections/{t}") },
            { "rel": "items", "type": "application/geo+json", "href": format!("{b}/collections/{t}/items") },
            { "rel": "items", "type": "text/html", "href": format!("{b}/collections/{t}/items?f=html") },
            { "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json", "href": format!("{b}/collections/{t}/queryables") }
        ]
    })
}

pub async fn collections(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Response {
    let b = base(&headers);
    let list: Vec<Value> = Layer::ALL
        .iter()
        .filter(|l| caller.access.can_read_layer(**l))
        .map(|l| collection(&registry, &caller, *l, &b))
        .collect();
    if wants_html(q.f.as_deref(), &headers) {
        let items: String = list
            .iter()
            .map(|c| {
                format!(
                    "<li><a href=\"{b}/collections/{0}/items?f=html\">{1}</a>（{0}）</li>",
                    c["id"].as_str().unwrap_or(""),
                    esc(c["title"].as_str().unwrap_or(""))
                )
            })
            .collect();
        return page("图层", &format!("<ul>{items}</ul>"));
    }
    axum::Json(json!({
        "links": [{ "rel": "self", "type": "application/json", "href": format!("{b}/collections") }],
        "collections": list,
        "crs": crs_list()
    }))
    .into_response()
}

fn layer_of(caller: &Caller, id: &str) -> Result<Layer, ApiError> {
    Layer::from_table(id)
        .filter(|l| caller.access.can_read_layer(*l))
        .ok_or_else(|| ApiError::NotFound(format!("没有集合“{id}”")))
}

pub async fn one_collection(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &id)?;
    Ok(axum::Json(collection(&registry, &caller, layer, &base(&headers))).into_response())
}

pub async fn queryables(
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &id)?;
    let href = format!("{}/collections/{id}/queryables", base(&headers));
    let mut r = axum::Json(super::cql::queryables_document(layer, &href)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/schema+json"),
    );
    Ok(r)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemsQuery {
    bbox: Option<String>,
    #[serde(rename = "bbox-crs")]
    bbox_crs: Option<String>,
    crs: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    datetime: Option<String>,
    f: Option<String>,
    /// A CQL2 filter (Part 3).
    filter: Option<String>,
    #[serde(rename = "filter-lang")]
    filter_lang: Option<String>,
    #[serde(rename = "filter-crs")]
    filter_crs: Option<String>,
}

fn geojson_response(body: impl serde::Serialize, crs: &Crs, etag: Option<u32>) -> Response {
    let mut response = axum::Json(body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("<{}>", crs.uri)) {
        h.insert("content-crs", v);
    }
    if let Some(version) = etag
        && let Ok(v) = HeaderValue::from_str(&format!("\"{version}\""))
    {
        h.insert(header::ETAG, v);
    }
    response
}

/// The versions `keep` accepts.
fn kept(
    versions: Vec<RecordVersion>,
    mut keep: impl FnMut(&RecordVersion) -> Result<bool, ApiError>,
) -> Result<Vec<RecordVersion>, ApiError> {
    let mut out = Vec::with_capacity(versions.len());
    for v in versions {
        if keep(&v)? {
            out.push(v);
        }
    }
    Ok(out)
}

/// A version as an OGC feature in `crs`.
fn ogc_feature<'a>(v: &'a RecordVersion, crs: &Crs) -> Result<api::Feature<'a>, ApiError> {
    if crs.proj != "EPSG:4490" || crs.swapped {
        let moved = to_crs(&v.geometry, crs)?;
        Ok(api::Feature::with_geometry(
            v,
            crate::spatial::geojson::from_geo(&moved),
        ))
    } else {
        Ok(api::Feature::of(v))
    }
}

pub async fn items(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ItemsQuery>,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &id)?;
    let crs = parse_crs(q.crs.as_deref().unwrap_or(CRS84), "crs")?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::Invalid {
            field: "limit".into(),
            message: format!("limit 应为 1 到 {MAX_LIMIT}"),
        });
    }
    let offset = q.offset.unwrap_or(0);
    if let Some(c) = q.filter_crs.as_deref()
        && c != CRS84
    {
        return Err(ApiError::Invalid {
            field: "filter-crs".into(),
            message: format!("过滤条件中的坐标只支持 {CRS84}"),
        });
    }
    let filter = q
        .filter
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(|f| super::cql::Filter::parse(f, q.filter_lang.as_deref(), layer))
        .transpose()?;
    let bbox = match &q.bbox {
        Some(b) => {
            let values: Vec<f64> = b
                .split(',')
                .map(|p| p.trim().parse::<f64>())
                .collect::<Result<_, _>>()
                .map_err(|_| ApiError::Invalid {
                    field: "bbox".into(),
                    message: format!("bbox“{b}”应为逗号分隔的数"),
                })?;
            let bbox_crs = parse_crs(q.bbox_crs.as_deref().unwrap_or(CRS84), "bbox-crs")?;
            Some(bbox_in_storage(&values, &bbox_crs)?)
        }
        None => None,
    };
    let keep = |v: &RecordVersion| filter.as_ref().map_or(Ok(true), |f| f.matches(v));
    let api::Page { total, versions } = match q.datetime.as_deref().map(parse_datetime) {
        None => api::current_page(&registry, &caller, layer, bbox, offset, limit, keep)?,
        // An instant: the versions in force that day.
        Some(Ok((Some(day), Some(end)))) if day == end => {
            let on = api::select(&registry, &caller, layer, bbox, Some(day)).await?;
            api::page_of(kept(on, keep)?, offset, limit)
        }
        // An interval: every version whose lifespan meets it.
        Some(interval) => {
            let (from, to) = interval?;
            let lived = registry
                .store()
                .layer_versions(layer)
                .await
                .map_err(|e| ApiError::Registry(e.into()))?
                .into_iter()
                .filter(|v| {
                    lives_in(v, from, to) && api::inside(v, bbox) && caller.access.can_read(&v.body)
                })
                .collect();
            api::page_of(kept(lived, keep)?, offset, limit)
        }
    };
    let features: Vec<api::Feature> = versions
        .iter()
        .map(|v| ogc_feature(v, &crs))
        .collect::<Result<_, _>>()?;
    let b = base(&headers);
    let mut query: Vec<String> = vec![format!("limit={limit}")];
    if let Some(x) = &q.bbox {
        query.push(format!("bbox={x}"));
    }
    if let Some(x) = &q.bbox_crs {
        query.push(format!("bbox-crs={x}"));
    }
    if let Some(x) = &q.crs {
        query.push(format!("crs={x}"));
    }
    if let Some(x) = &q.datetime {
        query.push(format!("datetime={x}"));
    }
    if let Some(x) = &q.filter {
        let encoded: String = form_urlencoded::byte_serialize(x.as_bytes()).collect();
        query.push(format!("filter={encoded}"));
    }
    if let Some(x) = &q.filter_lang {
        query.push(format!("filter-lang={x}"));
    }
    let href = |offset: usize| {
        format!(
            "{b}/collections/{id}/items?{}&offset={offset}",
            query.join("&")
        )
    };
    let mut links =
        vec![json!({ "rel": "self", "type": "application/geo+json", "href": href(offset) })];
    if offset + limit < total {
        links.push(
            json!({ "rel": "next", "type": "application/geo+json", "href": href(offset + limit) }),
        );
    }
    if wants_html(q.f.as_deref(), &headers) {
        let rows: String = versions
            .iter()
            .map(|v| format!("<tr><td><a href=\"{b}/collections/{id}/items/{0}?f=html\">{0}</a></td><td>{1}</td><td>{2}</td></tr>", v.id, esc(&v.body.title()), v.valid_from))
            .collect();
        let next = if offset + limit < total {
            format!(
                "<p><a href=\"{}&f=html\">下一页</a></p>",
                href(offset + limit)
            )
        } else {
            String::new()
        };
        return Ok(page(
            layer.label(),
            &format!(
                "<p>共 {total} 个要素</p><table><tr><th>id</th><th>名称或号码</th><th>生效日期</th></tr>{rows}</table>{next}"
            ),
        ));
    }
    let body = FeatureCollection {
        kind: "FeatureCollection",
        time_stamp: chrono::Utc::now().to_rfc3339(),
        number_matched: total,
        number_returned: features.len(),
        features,
        links,
    };
    Ok(geojson_response(body, &crs, None))
}

/// An items page, written straight to JSON (its features too, see [`api::Feature`]).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FeatureCollection<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    time_stamp: String,
    number_matched: usize,
    number_returned: usize,
    features: Vec<api::Feature<'a>>,
    links: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemQuery {
    crs: Option<String>,
    f: Option<String>,
}

pub async fn item(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((id, fid)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &id)?;
    let crs = parse_crs(q.crs.as_deref().unwrap_or(CRS84), "crs")?;
    let rid: RecordId = fid
        .parse()
        .map_err(|_| ApiError::NotFound(format!("没有要素“{fid}”")))?;
    let v = {
        let current = registry.current();
        current
            .get(&rid)
            .filter(|v| v.layer() == layer && caller.access.can_read(&v.body))
            .cloned()
            .ok_or_else(|| ApiError::NotFound(format!("集合“{id}”中没有要素 {fid}")))?
    };
    if wants_html(q.f.as_deref(), &headers) {
        let props =
            serde_json::to_string_pretty(&api::feature(&v)["properties"]).unwrap_or_default();
        return Ok(page(
            &esc(&v.body.title()),
            &format!("<pre>{}</pre>", esc(&props)),
        ));
    }
    let mut f = serde_json::to_value(ogc_feature(&v, &crs)?).unwrap_or(Value::Null);
    let b = base(&headers);
    f["links"] = json!([
        { "rel": "self", "type": "application/geo+json", "href": format!("{b}/collections/{id}/items/{fid}") },
        { "rel": "collection", "type": "application/json", "href": format!("{b}/collections/{id}") }
    ]);
    Ok(geojson_response(f, &crs, Some(v.version)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_instants_or_open_intervals() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        assert_eq!(
            parse_datetime("2021-05-01").unwrap(),
            (d("2021-05-01"), d("2021-05-01"))
        );
        assert_eq!(
            parse_datetime("2021-05-01T00:00:00Z").unwrap(),
            (d("2021-05-01"), d("2021-05-01"))
        );
        assert_eq!(
            parse_datetime("../2020-12-31").unwrap(),
            (None, d("2020-12-31"))
        );
        assert_eq!(
            parse_datetime("2020-01-01/..").unwrap(),
            (d("2020-01-01"), None)
        );
        assert!(parse_datetime("yesterday").is_err());
    }

    #[test]
    fn crss_are_known_with_their_axis_order() {
        assert!(!parse_crs(CRS84, "crs").unwrap().swapped);
        assert!(
            parse_crs("http://www.opengis.net/def/crs/EPSG/0/4490", "crs")
                .unwrap()
                .swapped
        );
        assert!(parse_crs("http://www.opengis.net/def/crs/EPSG/0/3857", "crs").is_err());
    }
}
