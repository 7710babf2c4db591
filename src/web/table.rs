//! The map editor's tables: a layer's attribute table (its records as rows of the labels and
//! values people read, filtered, sorted and paged, each with the box to jump to) and a
//! street's door-plate list with the numbering check's verdicts, which the officer edits in
//! place beside the map (each edit is an ordinary write through `/api/records/{id}`).

use super::auth::Caller;
use super::extract::{ApiPath as Path, ApiQuery};
use super::openapi::ErrorBody;
use super::{ApiError, AppState};
use crate::addresses::DoorPlate;
use crate::addresses::numbering::{StreetPlates, street_plates};
use crate::model::{Layer, RecordVersion, Variant as _};
use axum::Json;
use axum::extract::State;
use geo::BoundingRect;
use serde::{Deserialize, Serialize};

/// The most rows one page of a table holds.
const MAX_ROWS: usize = 500;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RowsQuery {
    /// Rows whose title or any value contains this text.
    q: Option<String>,
    /// The column to sort by, as its label (`名称`); by the title when absent.
    sort: Option<String>,
    /// Sort from the largest.
    #[serde(default)]
    desc: bool,
    /// Skip this many rows.
    #[serde(default)]
    offset: usize,
    /// At most this many rows (1 to 500; default 100).
    limit: Option<usize>,
}

/// One record as a row.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Row {
    /// 记录 id
    #[schema(value_type = String, format = Uuid)]
    id: crate::record::RecordId,
    /// 记录的显示名称
    title: String,
    /// 与 columns 一一对应的值（无值为空字符串）
    cells: Vec<String>,
    /// 要素外包框：西、南、东、北
    bbox: Option<[f64; 4]>,
}

/// A page of a layer's attribute table.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Rows {
    /// 图层
    layer: &'static str,
    /// 图层名称
    label: &'static str,
    /// 列名（属性的中文名称）
    columns: Vec<&'static str>,
    /// 与记录显示名称相同的列（如“名称”）；无此列时显示名称单列一栏
    title_column: Option<&'static str>,
    /// 符合筛选条件的记录数
    total: usize,
    offset: usize,
    rows: Vec<Row>,
}

/// A record with its title and its (label, value) rows.
type Described<'a> = (&'a RecordVersion, String, Vec<(&'static str, String)>);

fn bbox(v: &RecordVersion) -> Option<[f64; 4]> {
    v.geometry
        .bounding_rect()
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
}

/// Adds a record's labels to the table's columns, each new one right after the label that
/// comes before it in the record (records leave out empty values, so each may have a
/// different subset of the layer's labels, always in the layer's order).
fn merge_columns(columns: &mut Vec<&'static str>, attributes: &[(&'static str, String)]) {
    let mut after: Option<usize> = None;
    for (label, _) in attributes {
        match columns.iter().position(|c| c == label) {
            Some(i) => after = Some(i),
            None => {
                let at = after.map_or(0, |i| i + 1);
                columns.insert(at, label);
                after = Some(at);
            }
        }
    }
}

/// Compares two values as people read numbers in them (2号 before 10号).
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    natord::compare(a, b)
}

#[utoipa::path(
    get,
    path = "/api/layers/{table}/rows",
    summary = "一个图层的属性表：筛选、排序、分页，每行带外包框以便在地图上定位",
    security(("token" = []), ()),
    params(
        ("table" = String, Path, description = "图层（无权查看时答 404）"),
        RowsQuery,
    ),
    responses(
        (status = 200, description = "属性表的一页", body = Rows),
        (status = 404, description = "没有该图层", body = ErrorBody),
        (status = 422, description = "limit 超出范围", body = ErrorBody),
    )
)]
pub async fn rows(
    State(registry): State<AppState>,
    caller: Caller,
    Path(table): Path<String>,
    ApiQuery(q): ApiQuery<RowsQuery>,
) -> Result<Json<Rows>, ApiError> {
    let layer = Layer::from_table(&table)
        .filter(|l| caller.access.can_read_layer(*l))
        .ok_or_else(|| ApiError::NotFound(format!("没有图层“{table}”")))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_ROWS).contains(&limit) {
        return Err(ApiError::Invalid {
            field: "limit".into(),
            message: format!("limit 应为 1 到 {MAX_ROWS}"),
        });
    }
    let current = registry.current();
    let mut columns: Vec<&'static str> = Vec::new();
    let mut described: Vec<Described> = current
        .layer(layer)
        .filter(|v| caller.access.can_read(&v.body))
        .map(|v| {
            let what = v.body.describe();
            let attributes = what.attributes().0;
            merge_columns(&mut columns, &attributes);
            (v, what.title(), attributes)
        })
        .collect();
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let text = text.to_lowercase();
        described.retain(|(_, title, attributes)| {
            title.to_lowercase().contains(&text)
                || attributes
                    .iter()
                    .any(|(_, v)| v.to_lowercase().contains(&text))
        });
    }
    let value = |attributes: &[(&'static str, String)], column: &str| -> String {
        attributes
            .iter()
            .find(|(l, _)| *l == column)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match q.sort.as_deref().filter(|s| columns.contains(s)) {
        Some(column) => described.sort_by(|a, b| {
            natural(&value(&a.2, column), &value(&b.2, column)).then_with(|| natural(&a.1, &b.1))
        }),
        None => described.sort_by(|a, b| natural(&a.1, &b.1)),
    }
    if q.desc {
        described.reverse();
    }
    // A column that always reads as the title stands for it (no second 名称 column).
    let title_column = columns
        .iter()
        .copied()
        .find(|c| !described.is_empty() && described.iter().all(|(_, t, a)| value(a, c) == *t));
    let total = described.len();
    let rows = described
        .iter()
        .skip(q.offset)
        .take(limit)
        .map(|(v, title, attributes)| Row {
            id: v.id,
            title: title.clone(),
            cells: columns.iter().map(|c| value(attributes, c)).collect(),
            bbox: bbox(v),
        })
        .collect();
    Ok(Json(Rows {
        layer: layer.table(),
        label: layer.label(),
        columns,
        title_column,
        total,
        offset: q.offset,
        rows,
    }))
}

#[utoipa::path(
    get,
    path = "/api/streets/{id}/plates",
    summary = "一条街路巷的门牌：按编号顺序，每块门牌的所在侧、按规则应编的号和编号检查的结论",
    security(("token" = []), ()),
    params(("id" = uuid::Uuid, Path, description = "街路巷记录 id")),
    responses(
        (status = 200, description = "门牌列表", body = StreetPlates),
        (status = 404, description = "没有该街路巷", body = ErrorBody),
    )
)]
pub async fn street_plate_list(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<StreetPlates>, ApiError> {
    if !caller.access.can_read_layer(DoorPlate::LAYER) {
        return Err(ApiError::NotFound("没有门牌图层".into()));
    }
    let id = super::api::parse_id(&id)?;
    street_plates(&registry.current(), &registry.config().numbering, id)
        .map(Json)
        .map_err(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    /// Columns come in the layer's order whichever record is read first.
    #[test]
    fn columns_keep_the_layers_order_whatever_record_comes_first() {
        let row = |labels: &[&'static str]| -> Vec<(&'static str, String)> {
            labels.iter().map(|l| (*l, "x".to_string())).collect()
        };
        let full = row(&["名称", "蒙古文名称", "道路等级", "来源"]);
        let short = row(&["名称", "道路等级", "来源"]);
        for records in [[&short, &full], [&full, &short]] {
            let mut columns = Vec::new();
            for r in records {
                super::merge_columns(&mut columns, r);
            }
            assert_eq!(columns, ["名称", "蒙古文名称", "道路等级", "来源"]);
        }
    }
}
