//! The history browser: the changeset list filterable by author, layer, date and document
//! (API and page, for officers), one changeset with the records it wrote, and one record's
//! versions on a timeline with a diff of attributes and geometry between any two of them.

use super::auth::Caller;
use super::extract::{ApiPath, ApiQuery};
use super::map::Frame;
use super::openapi::ErrorBody;
use super::{ApiError, AppState, api, pages};
use crate::model::{ChangesetSummary, Layer, RecordVersion};
use crate::record::ChangesetId;
use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use geo::{BoundingRect, Rect, coord};
use serde::Deserialize;
use serde_json::{Value, json};
use tera::Context;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesetQuery {
    /// Exact author.
    author: Option<String>,
    /// A layer the changeset wrote (`streets`…).
    layer: Option<String>,
    /// Recorded on or after this day.
    from: Option<NaiveDate>,
    /// Recorded on or before this day.
    to: Option<NaiveDate>,
    /// Part of the approval document's number or issuer.
    document: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// The changesets that pass the filters, newest first, with the layers each wrote.
async fn filtered(
    registry: &AppState,
    caller: &Caller,
    q: &ChangesetQuery,
) -> Result<(usize, Vec<(ChangesetSummary, Vec<Layer>)>), ApiError> {
    let layer = match q.layer.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => Some(Layer::from_table(l).ok_or_else(|| ApiError::Invalid {
            field: "layer".into(),
            message: format!("没有图层“{l}”"),
        })?),
        None => None,
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::Invalid {
            field: "limit".into(),
            message: "limit 应为 1 到 500".into(),
        });
    }
    let store = registry.store();
    let all = store
        .changesets(u32::MAX)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    let layers = store
        .changeset_layers()
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    let author = q.author.as_deref().filter(|a| !a.is_empty());
    let document = q.document.as_deref().filter(|d| !d.is_empty());
    let matched: Vec<(ChangesetSummary, Vec<Layer>)> = all
        .into_iter()
        .filter(|c| author.is_none_or(|a| c.author == a))
        .filter(|c| q.from.is_none_or(|d| pages::local_date(c.recorded_at) >= d))
        .filter(|c| q.to.is_none_or(|d| pages::local_date(c.recorded_at) <= d))
        .filter(|c| {
            document.is_none_or(|d| {
                c.document
                    .as_ref()
                    .is_some_and(|doc| doc.number.contains(d) || doc.issuer.contains(d))
            })
        })
        .map(|c| {
            let l = layers.get(&c.id).cloned().unwrap_or_default();
            (c, l)
        })
        .filter(|(_, l)| layer.is_none_or(|want| l.contains(&want)))
        // Changesets that wrote only layers the caller may not read (burials, for anyone
        // outside the burial office) are not theirs to see, not even as a line in the list.
        .filter(|(_, l)| l.is_empty() || l.iter().any(|l| caller.access.can_read_layer(*l)))
        .collect();
    let total = matched.len();
    let page = matched
        .into_iter()
        .skip(q.offset.unwrap_or(0))
        .take(limit)
        .collect();
    Ok((total, page))
}

fn require_officer(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.sees_internal() {
        Ok(())
    } else {
        Err(ApiError::Unauthorized(
            "变更记录（含作者）仅对登录的工作人员开放".into(),
        ))
    }
}

/// A page of the changeset list, and how many match.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Changesets {
    #[serde(rename = "numberMatched")]
    number_matched: usize,
    #[schema(value_type = Vec<Object>)]
    changesets: Vec<Value>,
}

/// What undoing a changeset answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Reverted {
    #[schema(value_type = String)]
    reverted: ChangesetId,
    #[schema(value_type = String)]
    changeset: ChangesetId,
}

/// `GET /api/changesets`: the changeset list, for officers.
#[utoipa::path(
    get,
    path = "/api/changesets",
    summary = "变更集列表（仅工作人员）：可按作者、图层、日期、批准文件筛选，最新的在前",
    security(("token" = [])),
    params(
        ("author" = Option<String>, Query, description = "作者"),
        ("layer" = Option<String>, Query, description = "写入过的图层"),
        ("from" = Option<chrono::NaiveDate>, Query, description = "登记日期起"),
        ("to" = Option<chrono::NaiveDate>, Query, description = "登记日期止"),
        ("document" = Option<String>, Query, description = "批准文件的文号或发文机关（部分）"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "每页条数"),
        ("offset" = Option<u32>, Query, description = "跳过的条数"),
    ),
    responses(
        (status = 200, description = "变更集", body = Changesets),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn list(
    State(registry): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ChangesetQuery>,
) -> Result<Json<Changesets>, ApiError> {
    require_officer(&caller)?;
    let (total, page) = filtered(&registry, &caller, &q).await?;
    let items: Vec<Value> = page
        .iter()
        .map(|(c, l)| {
            let mut v = serde_json::to_value(c).unwrap_or_default();
            v["layers"] = json!(l.iter().map(|l| l.table()).collect::<Vec<_>>());
            v
        })
        .collect();
    Ok(Json(Changesets {
        number_matched: total,
        changesets: items,
    }))
}

/// `/history`: the changeset list with its filters.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ChangesetQuery>,
) -> Result<Response, ApiError> {
    // The public is led to log in (a browser by the error pages, see `errors`).
    if !caller.access.sees_internal() {
        return Err(ApiError::Unauthorized(
            "变更记录须以工作人员身份登录后查看".into(),
        ));
    }
    let (total, page) = filtered(&registry, &caller, &q).await?;
    let rows: Vec<Value> = page
        .iter()
        .map(|(c, l)| {
            json!({
                "id": c.id,
                "recorded_at": pages::local_time(c.recorded_at),
                "author": c.author,
                "reason": c.reason,
                "document": c.document,
                "writes": c.writes,
                "layers": l.iter().map(|l| l.label()).collect::<Vec<_>>().join("、"),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("rows", &rows);
    context.insert("total", &total);
    context.insert(
        "layers",
        &Layer::ALL
            .iter()
            .map(|l| json!({ "table": l.table(), "label": l.label() }))
            .collect::<Vec<_>>(),
    );
    context.insert(
        "q",
        &json!({
            "author": q.author, "layer": q.layer, "from": q.from, "to": q.to, "document": q.document
        }),
    );
    caller.insert_into(&mut context);
    Ok(pages::render("history.html", &context)?.into_response())
}

/// `/changesets/{id}`: one changeset and what it wrote.
pub async fn changeset_page(
    State(registry): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    if !caller.access.sees_internal() {
        return Err(ApiError::Unauthorized(
            "变更记录须以工作人员身份登录后查看".into(),
        ));
    }
    let id: ChangesetId = id
        .parse()
        .map(ChangesetId)
        .map_err(|_| ApiError::BadRequest(format!("变更集 id“{id}”无效")))?;
    let store = registry.store();
    let mut summary = store
        .changeset(id)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .ok_or_else(|| ApiError::NotFound(format!("没有变更集 {}", id.0)))?;
    let mut versions = store
        .changeset_versions(id)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    // Only what the caller may read; a changeset of nothing else is answered as unknown.
    let all = versions.len();
    versions.retain(|v| caller.access.can_read(&v.body));
    if versions.is_empty() && all > 0 {
        return Err(ApiError::NotFound(format!("没有变更集 {}", id.0)));
    }
    summary.writes = versions.len();
    let writes: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({
                "id": v.id, "version": v.version, "layer": v.layer().label(),
                "title": v.body.title(), "retired": v.retired, "valid_from": v.valid_from,
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("c", &summary);
    context.insert("recorded_at", &pages::local_time(summary.recorded_at));
    context.insert("writes", &writes);
    caller.insert_into(&mut context);
    context.insert("script", &super::assets::script("changeset"));
    Ok(pages::render("changeset.html", &context)?.into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The older version of the diff.
    a: Option<u32>,
    /// The newer version.
    b: Option<u32>,
}

/// The attributes of a version as flat `key → text` rows.
fn flat(v: &RecordVersion) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            Value::Null => {}
            Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk(
        "",
        &serde_json::to_value(&v.body).unwrap_or_default(),
        &mut out,
    );
    out.push(("valid_from".into(), v.valid_from.to_string()));
    if let Some(to) = v.valid_to {
        out.push(("valid_to".into(), to.to_string()));
    }
    out
}

/// Both geometries drawn over each other: the older dashed red, the newer green.
fn overlay(a: &RecordVersion, b: &RecordVersion) -> String {
    let union = |x: Rect<f64>, y: Rect<f64>| {
        Rect::new(
            coord! {x: x.min().x.min(y.min().x), y: x.min().y.min(y.min().y)},
            coord! {x: x.max().x.max(y.max().x), y: x.max().y.max(y.max().y)},
        )
    };
    let Some(r) = [a.geometry.bounding_rect(), b.geometry.bounding_rect()]
        .into_iter()
        .flatten()
        .reduce(union)
    else {
        return String::new();
    };
    let pad = (r.width().max(r.height()) * 0.1).max(0.0003);
    let r = Rect::new(
        coord! {x: r.min().x - pad, y: r.min().y - pad},
        coord! {x: r.max().x + pad, y: r.max().y + pad},
    );
    let f = Frame::new(r, 600.0);
    let draw = |v: &RecordVersion, colour: &str, dash: &str, id: &str| match &v.geometry {
        geo::Geometry::Point(p) => {
            let (x, y) = f.xy(p.0);
            format!(
                r##"<circle id="{id}" cx="{x:.1}" cy="{y:.1}" r="6" fill="none" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>"##
            )
        }
        g => format!(
            r##"<path id="{id}" d="{}" fill="none" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>"##,
            f.geometry(g)
        ),
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="{h:.0}"><rect width="100%" height="100%" fill="#fbfbf8"/>{}{}</svg>"##,
        draw(a, "#c0392b", "8 5", "geometry-a"),
        draw(b, "#1e8449", "none", "geometry-b"),
        h = f.height
    )
}

/// `/records/{id}`: versions on a timeline, and the diff between two of them.
pub async fn record_page(
    State(registry): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> Result<Response, ApiError> {
    let id = api::parse_id(&id)?;
    let mut versions = registry.history(id).await?;
    versions.retain(|v| caller.access.can_read(&v.body));
    if versions.is_empty() {
        return Err(ApiError::NotFound(format!("没有记录 {id}")));
    }
    let mut timeline = Vec::new();
    for v in versions.iter().rev() {
        let c = registry
            .store()
            .changeset(v.changeset)
            .await
            .map_err(|e| ApiError::Registry(e.into()))?;
        timeline.push(json!({
            "version": v.version,
            "title": v.body.title(),
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "retired": v.retired,
            "recorded_at": pages::local_time(v.recorded_at),
            "author": c.as_ref().filter(|_| caller.access.sees_internal()).map(|c| c.author.clone()),
            "reason": c.as_ref().map(|c| c.reason.clone()),
            "document": c.as_ref().and_then(|c| c.document.clone()),
            "changeset": v.changeset,
        }));
    }
    let last = versions.len() as u32;
    let b = q.b.unwrap_or(last).clamp(1, last);
    let a = q.a.unwrap_or(b.saturating_sub(1).max(1)).clamp(1, last);
    let find = |n: u32| versions.iter().find(|v| v.version == n);
    let mut context = Context::new();
    if let (Some(va), Some(vb)) = (find(a), find(b)) {
        // The attributes as people read them (Chinese labels, codes as words), in the order the
        // layer shows them; a label only one version has is compared with nothing.
        let (ra, rb) = (
            va.body.describe().attributes().0,
            vb.body.describe().attributes().0,
        );
        let mut labels: Vec<&str> = rb.iter().map(|(l, _)| *l).collect();
        for (l, _) in &ra {
            if !labels.contains(l) {
                labels.push(l);
            }
        }
        let get = |rows: &[(&str, String)], label: &str| {
            rows.iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let diff: Vec<Value> = labels
            .into_iter()
            .map(|label| {
                let (x, y) = (get(&ra, label), get(&rb, label));
                json!({ "key": label, "a": x, "b": y, "changed": x != y })
            })
            .collect();
        // A change to a field the table does not list is still said.
        let shown_changed = diff.iter().any(|d| d["changed"] == true);
        context.insert("other_changed", &(!shown_changed && flat(va) != flat(vb)));
        context.insert("diff", &diff);
        context.insert("geometry_changed", &(va.geometry != vb.geometry));
        context.insert("overlay", &overlay(va, vb));
    }
    let current = versions.last().expect("checked above");
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("id", &id);
    context.insert("title", &current.body.title());
    context.insert("layer", current.layer().label());
    context.insert("timeline", &timeline);
    context.insert("a", &a);
    context.insert("b", &b);
    context.insert("versions", &(1..=last).collect::<Vec<_>>());
    caller.insert_into(&mut context);
    let html: Html<String> = pages::render("record.html", &context)?;
    Ok(html.into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevertInput {
    reason: String,
}

/// `POST /api/changesets/{id}/revert`: undoes a changeset with a new one, for an officer who
/// may write every layer it touched.
#[utoipa::path(
    post,
    path = "/api/changesets/{id}/revert",
    summary = "撤销变更集：新建一个变更集，新建的记录被注销，修改过的记录回到此前的版本",
    security(("token" = [])),
    params(("id" = uuid::Uuid, Path, description = "变更集 id")),
    request_body = RevertInput,
    responses(
        (status = 201, description = "已撤销", body = Reverted),
        (status = 409, description = "不能撤销：此后又有变更修改了这些记录，或变更集注销了记录", body = ErrorBody),
    )
)]
pub async fn revert(
    State(registry): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    super::edit::ApiJson(input): super::edit::ApiJson<RevertInput>,
) -> Result<Response, ApiError> {
    let id: ChangesetId = id
        .parse()
        .map(ChangesetId)
        .map_err(|_| ApiError::BadRequest(format!("变更集 id“{id}”无效")))?;
    require_officer(&caller)?;
    let layers = registry
        .store()
        .changeset_layers()
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .remove(&id)
        .ok_or_else(|| ApiError::NotFound(format!("没有变更集 {}", id.0)))?;
    let target = format!("/api/changesets/{}/revert", id.0);
    let mut author = String::new();
    for layer in layers {
        author = super::auth::require_write(&registry, &caller, layer, &target).await?;
    }
    let undone = registry.revert(id, &author, &input.reason).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Reverted {
            reverted: id,
            changeset: undone,
        }),
    )
        .into_response())
}
