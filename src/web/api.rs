//! JSON endpoints: counts per layer, features of a layer (GeoJSON), one record with its ETag,
//! its history, and the unit at a point.

use super::auth::Caller;
use super::extract::{ApiPath as Path, ApiQuery};
use super::openapi::ErrorBody;
use super::{ApiError, AppState};
use crate::model::{CurrentState, Layer, RecordVersion};
use crate::record::RecordId;
use crate::spatial::geojson::from_geo;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use geo::{Rect, coord};
use serde::Deserialize;
use serde_json::{Value, json};

pub use super::extract::READ_ONLY;

/// A version as a GeoJSON feature, with what a person reads of it as foreign members (never
/// read back): `title`, `layer_label` and `attributes`, (label, value) rows in Chinese.
pub fn described(v: &RecordVersion) -> Value {
    let mut f = feature(v);
    let what = v.body.describe();
    f["title"] = json!(what.title());
    f["layer_label"] = json!(v.layer().label());
    f["attributes"] = json!(what.attributes());
    f
}

/// A version as a GeoJSON feature.
pub fn feature(v: &RecordVersion) -> Value {
    serde_json::to_value(Feature::of(v)).unwrap_or(Value::Null)
}

/// A version as a GeoJSON feature, written straight to JSON: its body's fields and the
/// version's own as properties. OGC items and layer pages write up to a hundred per request,
/// and building each as a `Value` first spent half their time allocating and freeing.
#[derive(serde::Serialize)]
pub struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: RecordId,
    geometry: geojson::Geometry,
    properties: Properties<'a>,
}

#[derive(serde::Serialize)]
struct Properties<'a> {
    #[serde(flatten)]
    body: &'a crate::model::Body,
    version: u32,
    valid_from: chrono::NaiveDate,
    valid_to: Option<chrono::NaiveDate>,
    recorded_at: chrono::DateTime<chrono::Utc>,
    retired: bool,
    changeset: crate::record::ChangesetId,
}

impl<'a> Feature<'a> {
    pub fn of(v: &'a RecordVersion) -> Self {
        Self::with_geometry(v, from_geo(&v.geometry))
    }

    /// The feature with its geometry given (in another coordinate system).
    pub fn with_geometry(v: &'a RecordVersion, geometry: geojson::Geometry) -> Self {
        Feature {
            kind: "Feature",
            id: v.id,
            geometry,
            properties: Properties {
                body: &v.body,
                version: v.version,
                valid_from: v.valid_from,
                valid_to: v.valid_to,
                recorded_at: v.recorded_at,
                retired: v.retired,
                changeset: v.changeset,
            },
        }
    }
}

/// The layers the caller may read, with their current records.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Layers {
    store: &'static str,
    layers: Vec<LayerCount>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LayerCount {
    layer: &'static str,
    label: &'static str,
    count: usize,
}

#[utoipa::path(
    get,
    path = "/api/layers",
    summary = "各图层及其现行记录数",
    security(("token" = []), ()),
    responses((status = 200, description = "图层列表", body = Layers))
)]
pub async fn layers(State(registry): State<AppState>, caller: Caller) -> Json<Layers> {
    let current = registry.current();
    let layers = Layer::ALL
        .iter()
        .filter(|l| caller.access.can_read_layer(**l))
        .map(|l| LayerCount {
            layer: l.table(),
            label: l.label(),
            count: current.count(*l),
        })
        .collect();
    Json(Layers {
        store: registry.store().kind(),
        layers,
    })
}

#[derive(Deserialize)]
pub struct BboxQuery {
    /// `west,south,east,north`
    bbox: Option<String>,
    /// The layer as it was in the world on this date (from the history, not the memory).
    as_of: Option<chrono::NaiveDate>,
    /// At most this many features (1 to 10,000; default all).
    limit: Option<usize>,
    /// Skip this many features (in the order of their ids).
    offset: Option<usize>,
    /// The records retired from the layer instead (each as the version that retired it).
    #[serde(default)]
    retired: bool,
}

/// The largest page of features.
const MAX_LIMIT: usize = 10_000;

fn parse_bbox(s: &str) -> Result<Rect<f64>, ApiError> {
    let n: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::BadRequest(format!("bbox“{s}”无效：应为 西,南,东,北 四个数")))?;
    match n.as_slice() {
        [w, s, e, n] if w < e && s < n => {
            Ok(Rect::new(coord! {x: *w, y: *s}, coord! {x: *e, y: *n}))
        }
        _ => Err(ApiError::BadRequest(format!(
            "bbox“{s}”无效：应为 西,南,东,北，且西<东、南<北"
        ))),
    }
}

/// The form of a layer drawn on the map: its attributes as JSON Schema (`forms::schema`).
#[utoipa::path(
    get,
    path = "/api/layers/{table}/schema",
    summary = "在地图上绘制的图层的属性表单（JSON Schema 2020-12：中文标题、类型、选项、必填、引用的图层）",
    security(("token" = []), ()),
    params(("table" = String, Path, description = "图层（内部图层仅对工作人员可见，个人信息图层仅对殡葬管理人员可见；无权查看时答 404）")),
    responses(
        (status = 200, description = "JSON Schema", body = ref("#/components/schemas/LayerForm")),
        (status = 404, description = "没有该图层，或该图层不在地图上绘制", body = ErrorBody),
    )
)]
pub async fn layer_schema(
    caller: Caller,
    Path(table): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Layer::from_table(&table)
        .filter(|l| caller.access.can_read_layer(*l))
        .and_then(crate::forms::schema)
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("图层“{table}”没有可在地图上绘制的表单")))
}

#[utoipa::path(
    get,
    path = "/api/layers/{table}",
    summary = "一个图层的要素（GeoJSON）",
    security(("token" = []), ()),
    params(
        ("table" = String, Path, description = "图层（内部图层仅对工作人员可见，个人信息图层仅对殡葬管理人员可见；无权查看时答 404）"),
        ("bbox" = Option<String>, Query, description = "西,南,东,北"),
        ("as_of" = Option<chrono::NaiveDate>, Query, description = "某一日期的状态"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 10000, description = "每页要素数（默认全部）"),
        ("offset" = Option<usize>, Query, description = "跳过的要素数（按 id 排序）"),
        ("retired" = Option<bool>, Query, description = "改为列出已注销的记录（各以注销它的版本）"),
    ),
    responses(
        (status = 200, description = "要素集合（numberMatched、numberReturned，有下一页时 links 中有 next）", body = ref("#/components/schemas/FeatureCollection")),
        (status = 404, description = "没有该图层", body = ErrorBody),
    )
)]
pub async fn layer_features(
    State(registry): State<AppState>,
    caller: Caller,
    Path(table): Path<String>,
    ApiQuery(q): ApiQuery<BboxQuery>,
) -> Result<Response, ApiError> {
    let table = table.strip_suffix(".geojson").unwrap_or(&table);
    let layer = Layer::from_table(table)
        .filter(|l| caller.access.can_read_layer(*l))
        .ok_or_else(|| ApiError::NotFound(format!("没有图层“{table}”")))?;
    if q.limit.is_some_and(|l| !(1..=MAX_LIMIT).contains(&l)) {
        return Err(ApiError::Invalid {
            field: "limit".into(),
            message: format!("limit 应为 1 到 {MAX_LIMIT}"),
        });
    }
    let bbox = q.bbox.as_deref().map(parse_bbox).transpose()?;
    let (offset, limit) = (q.offset.unwrap_or(0), q.limit.unwrap_or(usize::MAX));
    // Matching versions in a stable order (by id), so that pages do not overlap.
    let Page { total, versions } = if q.retired {
        let retired = registry
            .retired(layer)
            .await?
            .into_iter()
            .filter(|v| inside(v, bbox) && caller.access.can_read(&v.body))
            .collect();
        page_of(retired, offset, limit)
    } else if q.as_of.is_some() {
        page_of(
            select(&registry, &caller, layer, bbox, q.as_of).await?,
            offset,
            limit,
        )
    } else {
        current_page(&registry, &caller, layer, bbox, offset, limit, |_| {
            Ok::<_, ApiError>(true)
        })?
    };
    let features: Vec<Feature> = versions.iter().map(Feature::of).collect();
    let mut links = Vec::new();
    if let Some(limit) = q.limit
        && offset + limit < total
    {
        let mut next = format!(
            "/api/layers/{table}?limit={limit}&offset={}",
            offset + limit
        );
        if let Some(b) = &q.bbox {
            next.push_str(&format!("&bbox={b}"));
        }
        if let Some(d) = q.as_of {
            next.push_str(&format!("&as_of={d}"));
        }
        if q.retired {
            next.push_str("&retired=true");
        }
        links.push(json!({ "rel": "next", "type": "application/geo+json", "href": next }));
    }
    let body = FeatureCollection {
        kind: "FeatureCollection",
        number_matched: total,
        number_returned: features.len(),
        features,
        as_of: q.as_of,
        links,
    };
    // Written straight to JSON, its features too (see [`Feature`]).
    Ok(Json(body).into_response())
}

/// A page of a layer.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FeatureCollection<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    number_matched: usize,
    number_returned: usize,
    features: Vec<Feature<'a>>,
    #[serde(rename = "as_of", skip_serializing_if = "Option::is_none")]
    as_of: Option<chrono::NaiveDate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Value>,
}

/// The versions of `layer` the caller may see, inside `bbox` if given: the current ones from
/// memory (through the spatial index), or those in force on `as_of` from the history.
pub(super) async fn select(
    registry: &AppState,
    caller: &Caller,
    layer: Layer,
    bbox: Option<Rect<f64>>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Vec<RecordVersion>, ApiError> {
    if let Some(date) = as_of {
        return Ok(registry
            .layer_as_of(layer, date)
            .await?
            .into_iter()
            .filter(|v| inside(v, bbox) && caller.access.can_read(&v.body))
            .collect());
    }
    let current = registry.current();
    Ok(candidates(&current, layer, bbox)
        .filter(|v| caller.access.can_read(&v.body))
        .cloned()
        .collect())
}

/// The current versions of `layer` whose box meets `bbox` (all of them when there is none).
fn candidates(
    current: &CurrentState,
    layer: Layer,
    bbox: Option<Rect<f64>>,
) -> Box<dyn Iterator<Item = &RecordVersion> + '_> {
    match bbox {
        Some(rect) => Box::new(
            current
                .index()
                .intersecting(layer, rect)
                .into_iter()
                .filter_map(|id| current.get(&id)),
        ),
        None => Box::new(current.layer(layer)),
    }
}

/// One page of versions in id order (then version), and how many there are in all.
pub(super) struct Page {
    pub total: usize,
    pub versions: Vec<RecordVersion>,
}

/// The current versions of `layer` the caller may see, meeting `bbox`, that `keep` accepts:
/// how many, and the page `offset..offset + limit` in id order. They are counted and sorted
/// as references and only the page is copied (a page of twenty of a province's hundred
/// thousand streets copied them all).
pub(super) fn current_page<E>(
    registry: &AppState,
    caller: &Caller,
    layer: Layer,
    bbox: Option<Rect<f64>>,
    offset: usize,
    limit: usize,
    mut keep: impl FnMut(&RecordVersion) -> Result<bool, E>,
) -> Result<Page, E> {
    let current = registry.current();
    let mut matched = Vec::new();
    for v in candidates(&current, layer, bbox) {
        if caller.access.can_read(&v.body) && keep(v)? {
            matched.push(((v.id, v.version), v));
        }
    }
    let total = matched.len();
    // Only the first `offset + limit` in order are needed: set apart, then sorted.
    let end = offset.saturating_add(limit).min(total);
    if end < total {
        matched.select_nth_unstable_by_key(end, |m| m.0);
        matched.truncate(end);
    }
    matched.sort_unstable_by_key(|m| m.0);
    Ok(Page {
        total,
        versions: matched
            .into_iter()
            .skip(offset)
            .map(|(_, v)| v.clone())
            .collect(),
    })
}

/// [`current_page`] of versions already read (from the history, or retired ones).
pub(super) fn page_of(mut matched: Vec<RecordVersion>, offset: usize, limit: usize) -> Page {
    matched.sort_by_key(|v| (v.id, v.version));
    Page {
        total: matched.len(),
        versions: matched.into_iter().skip(offset).take(limit).collect(),
    }
}

/// Whether a version meets `bbox` (every version does when there is none).
pub(super) fn inside(v: &RecordVersion, bbox: Option<Rect<f64>>) -> bool {
    bbox.is_none_or(|r| geo::Intersects::intersects(&v.geometry, &r.to_polygon()))
}

pub(super) fn parse_id(id: &str) -> Result<RecordId, ApiError> {
    id.parse()
        .map_err(|_| ApiError::BadRequest(format!("记录 id“{id}”无效")))
}

#[utoipa::path(
    get,
    path = "/api/records/{id}",
    summary = "一条现行记录（ETag 为版本）",
    security(("token" = []), ()),
    params(("id" = uuid::Uuid, Path, description = "记录 id")),
    responses(
        (status = 200, description = "记录", body = ref("#/components/schemas/Feature")),
        (status = 404, description = "没有该记录", body = ErrorBody),
    )
)]
pub async fn record(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let current = registry.current();
    let v = current
        .get(&id)
        .filter(|v| caller.access.can_read(&v.body))
        .ok_or_else(|| ApiError::NotFound(format!("没有现行记录 {id}")))?;
    let etag = format!("\"{}\"", v.version);
    let mut f = described(v);
    if let Some(r) = v.body.romanization(registry.word_lists()) {
        f["properties"]["romanization"] = json!(r);
        f["properties"]["position"] = json!(crate::names::naming::position_text(&v.geometry));
    }
    Ok(([(header::ETAG, etag)], Json(f)).into_response())
}

/// Every version of a record, each with its changeset.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct History {
    #[schema(value_type = uuid::Uuid)]
    id: RecordId,
    #[schema(value_type = Vec<Object>)]
    versions: Vec<Value>,
}

#[utoipa::path(
    get,
    path = "/api/records/{id}/history",
    summary = "记录的全部版本，及各版本的变更集（公众看不到作者）",
    security(("token" = []), ()),
    params(("id" = uuid::Uuid, Path, description = "记录 id")),
    responses(
        (status = 200, description = "版本", body = History),
        (status = 404, description = "没有该记录", body = ErrorBody),
    )
)]
pub async fn history(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<History>, ApiError> {
    let id = parse_id(&id)?;
    let mut versions = registry.history(id).await?;
    // The public sees the versions that were public, and not who made them.
    versions.retain(|v| caller.access.can_read(&v.body));
    if versions.is_empty() {
        return Err(ApiError::NotFound(format!("没有记录 {id}")));
    }
    let mut out = Vec::new();
    for v in &versions {
        let changeset = registry
            .store()
            .changeset(v.changeset)
            .await
            .map_err(|e| ApiError::Registry(e.into()))?;
        let mut f = described(v);
        f["changeset"] = json!(changeset);
        if !caller.access.sees_internal() {
            f["changeset"]["author"] = Value::Null;
        }
        out.push(f);
    }
    Ok(Json(History { id, versions: out }))
}

#[derive(Deserialize)]
pub struct PointQuery {
    lon: f64,
    lat: f64,
}

#[utoipa::path(
    get,
    path = "/api/units/at",
    summary = "一点所在的最低一级行政区域",
    params(
        ("lon" = f64, Query, description = "经度（CGCS2000）"),
        ("lat" = f64, Query, description = "纬度（CGCS2000）"),
    ),
    responses(
        (status = 200, description = "行政区域", body = ref("#/components/schemas/Feature")),
        (status = 404, description = "该点不在任何行政区域内", body = ErrorBody),
    )
)]
pub async fn unit_at(
    State(registry): State<AppState>,
    ApiQuery(q): ApiQuery<PointQuery>,
) -> Result<Json<Value>, ApiError> {
    let unit = registry
        .unit_at(coord! {x: q.lon, y: q.lat})
        .ok_or_else(|| {
            ApiError::NotFound(format!("点 ({}, {}) 不在任何行政区域内", q.lon, q.lat))
        })?;
    Ok(Json(feature(&unit)))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: String,
    lon: Option<f64>,
    lat: Option<f64>,
    limit: Option<usize>,
}

/// What a search answers: the query and the names found, best first.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Found {
    query: String,
    #[schema(value_type = Vec<Object>)]
    hits: Vec<crate::queries::search::Hit>,
}

/// Names found by characters, pinyin, initials, romanization or with one typo.
#[utoipa::path(
    get,
    path = "/api/search",
    summary = "查地名：汉字、拼音、首字母、罗马字母拼写，容许一个错字",
    security(("token" = []), ()),
    params(
        ("q" = String, Query, description = "查询"),
        ("lon" = Option<f64>, Query, description = "附近：经度"),
        ("lat" = Option<f64>, Query, description = "附近：纬度"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 200, description = "最多结果数"),
    ),
    responses((status = 200, description = "结果", body = Found))
)]
pub async fn search(
    State(registry): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<Found>, ApiError> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit {limit} 超出范围：应为 1 到 200"
        )));
    }
    let near = match (q.lon, q.lat) {
        (Some(x), Some(y)) => Some(coord! {x: x, y: y}),
        (None, None) => None,
        _ => return Err(ApiError::BadRequest("lon 与 lat 须同时给出".into())),
    };
    super::extract::query_length(&registry, "q", &q.q)?;
    // The search, and the index it may have to build first, run off the async workers.
    let mut hits = {
        let registry = registry.clone();
        let text = q.q.clone();
        tokio::task::spawn_blocking(move || registry.search_index().search(&text, near, limit))
            .await
            .map_err(|e| ApiError::Internal(format!("search: {e}")))?
    };
    if !caller.access.sees_internal() {
        let current = registry.current();
        hits.retain(|h| {
            current
                .get(&h.id)
                .is_some_and(|v| caller.access.can_read(&v.body))
        });
    }
    Ok(Json(Found { query: q.q, hits }))
}

/// The units containing a point, and the nearest door plate and street.
#[utoipa::path(
    get,
    path = "/api/reverse",
    summary = "逆地理编码：一点所在的区域、最近的门牌与街路巷",
    params(
        ("lon" = f64, Query, description = "经度（CGCS2000）"),
        ("lat" = f64, Query, description = "纬度（CGCS2000）"),
    ),
    responses(
        (status = 200, description = "结果", body = Object),
        (status = 404, description = "该点不在辖区内", body = ErrorBody),
    )
)]
pub async fn reverse(
    State(registry): State<AppState>,
    ApiQuery(q): ApiQuery<PointQuery>,
) -> Result<Json<Value>, ApiError> {
    if !registry
        .config()
        .jurisdiction
        .extent
        .contains(coord! {x: q.lon, y: q.lat})
    {
        return Err(ApiError::NotFound(format!(
            "点 ({}, {}) 不在{}辖区内",
            q.lon,
            q.lat,
            registry.config().jurisdiction.name
        )));
    }
    let found =
        crate::addresses::reverse::reverse(&registry.current(), coord! {x: q.lon, y: q.lat});
    Ok(Json(serde_json::to_value(found).unwrap_or(Value::Null)))
}

#[derive(Deserialize)]
pub struct CheckQuery {
    name: String,
    /// `street` (default), `place` or `unit`.
    kind: Option<String>,
    /// For places: the category id or census name.
    category: Option<String>,
    /// For 嘎查: the code of their 苏木.
    unit: Option<String>,
}

/// What the naming rules say of a proposed name, and its romanization.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct NameChecked {
    name: String,
    #[schema(value_type = Vec<Object>)]
    verdicts: Vec<Labelled>,
    #[schema(value_type = Object)]
    romanization: crate::names::romanize::Romanization,
}

/// A verdict with its rule's name as the officer reads it (大, 洋, 怪, 重 …).
#[derive(serde::Serialize)]
pub struct Labelled {
    #[serde(flatten)]
    verdict: crate::names::rules::Verdict,
    rule_label: &'static str,
}

/// The naming rules applied to a proposed name, for the form while the officer types.
#[utoipa::path(
    get,
    path = "/api/names/check",
    summary = "用命名规则检查一个拟用名称",
    params(
        ("name" = String, Query, description = "名称"),
        ("kind" = Option<crate::names::rules::NameKind>, Query, description = "种类"),
        ("category" = Option<String>, Query, description = "地名类别"),
        ("unit" = Option<String>, Query, description = "嘎查所属苏木的区划代码"),
    ),
    responses((status = 200, description = "检查结果", body = NameChecked))
)]
pub async fn check_name(
    State(registry): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<CheckQuery>,
) -> Result<Json<NameChecked>, ApiError> {
    use crate::names::rules::{NameKind, check};
    use crate::queries::audit::{Scope, peers};
    super::extract::query_length(&registry, "name", &q.name)?;
    let (scope, kind) = match q.kind.as_deref().unwrap_or("street") {
        "street" => (Scope::Streets, NameKind::Street),
        "place" => {
            let c = q.category.as_deref().unwrap_or("building");
            let category = c.parse().map_err(ApiError::BadRequest)?;
            (Scope::Places(category), NameKind::Place)
        }
        "unit" => match q.unit.as_deref() {
            Some(code) => {
                let code = code
                    .parse()
                    .map_err(|e: crate::boundaries::DivisionCodeError| {
                        ApiError::BadRequest(e.to_string())
                    })?;
                (Scope::Villages(Some(code)), NameKind::Unit)
            }
            None => (Scope::CityUnits, NameKind::Unit),
        },
        other => {
            return Err(ApiError::BadRequest(format!(
                "kind“{other}”无效：应为 street、place 或 unit"
            )));
        }
    };
    // Names still in the workflow are compared only for officers: the public must not learn
    // of a proposal by guessing it (or a name that reads the same).
    let peers = {
        let current = registry.current();
        let mut peers = peers(&current, scope, None, &registry.config().rule_settings());
        peers.retain(|p| {
            current
                .get(&p.id)
                .is_some_and(|v| caller.access.can_read(&v.body))
        });
        peers
    };
    let verdicts = check(
        &q.name,
        kind,
        &peers,
        registry.word_lists(),
        &registry.config().rule_settings(),
    );
    let romanization = crate::names::romanize::romanize(
        &q.name,
        registry.word_lists(),
        false,
        &Default::default(),
    );
    Ok(Json(NameChecked {
        name: q.name,
        verdicts: verdicts
            .into_iter()
            .map(|verdict| Labelled {
                rule_label: verdict.rule.label(),
                verdict,
            })
            .collect(),
        romanization,
    }))
}

#[derive(Deserialize)]
pub struct SuggestQuery {
    street: String,
    lon: f64,
    lat: f64,
}

/// The number suggested for a new entrance.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Suggested {
    #[schema(value_type = uuid::Uuid)]
    street: RecordId,
    number: String,
}

/// The number for a new entrance on a street (infill 附号 or a reserved number).
#[utoipa::path(
    get,
    path = "/api/numbering/suggest",
    summary = "为街路巷上的新入口建议门牌号（附号或预留号）",
    params(
        ("street" = uuid::Uuid, Query, description = "街路巷记录 id"),
        ("lon" = f64, Query, description = "经度"),
        ("lat" = f64, Query, description = "纬度"),
    ),
    responses((status = 200, description = "建议", body = Suggested))
)]
pub async fn suggest_number(
    State(registry): State<AppState>,
    ApiQuery(q): ApiQuery<SuggestQuery>,
) -> Result<Json<Suggested>, ApiError> {
    let street = parse_id(&q.street)?;
    let number = crate::addresses::numbering::suggest(
        &registry.current(),
        &registry.config().numbering,
        street,
        coord! {x: q.lon, y: q.lat},
        crate::addresses::SubStyle::Annex,
    )
    .map_err(ApiError::BadRequest)?;
    Ok(Json(Suggested {
        street,
        number: number.to_string(),
    }))
}
