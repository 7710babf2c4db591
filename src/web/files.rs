//! The file gateway over HTTP: an upload endpoint and page for imports, a download endpoint
//! for exports. Uploads go to a private temporary folder (mode 0700) that is removed when the
//! request ends, under a name of our own: only the extension of the officer's file name is
//! kept, and only from the list of accepted ones.

use super::auth::{Caller, require_write};
use super::extract::{ApiPath as Path, ApiQuery};
use super::openapi::{Binary, ErrorBody};
use super::{ApiError, AppState, pages};
use crate::io::{self, Encoding, Format, ReadOptions};
use crate::model::Layer;
use crate::registry::files::{ImportRequest, column_map};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use tera::Context;

/// The largest upload.
pub const MAX_UPLOAD: usize = 256 * 1024 * 1024;

const UPLOAD_EXTENSIONS: &[&str] = &["zip", "geojson", "json", "gpkg", "kml", "dxf", "csv"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The officer's file name (only its extension is used).
    filename: String,
    crs: Option<String>,
    encoding: Option<String>,
    /// `src=dst` pairs separated by commas.
    map: Option<String>,
    #[serde(default)]
    dry_run: bool,
    reason: Option<String>,
    /// The approval document the import cites (issuer, number, date, all or none): the file's
    /// names may then be registered as approved or published.
    doc_issuer: Option<String>,
    doc_number: Option<String>,
    doc_date: Option<String>,
}

/// The approval document an import cites, from its three fields (all empty: none).
fn cited(q: &ImportQuery) -> Result<Option<crate::record::ApprovalDocument>, ApiError> {
    let field = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    match (
        field(&q.doc_issuer),
        field(&q.doc_number),
        field(&q.doc_date),
    ) {
        (None, None, None) => Ok(None),
        (Some(issuer), Some(number), Some(date)) => Ok(Some(crate::record::ApprovalDocument {
            issuer,
            number,
            date: date.parse().map_err(|_| ApiError::Invalid {
                field: "doc_date".into(),
                message: format!("批准文件日期“{date}”无效：应为 2026-01-31 这样的日期"),
            })?,
        })),
        _ => Err(ApiError::Invalid {
            field: "doc_issuer".into(),
            message: "批准文件须同时给出发文机关、文号和日期".into(),
        }),
    }
}

fn layer_of(caller: &Caller, table: &str) -> Result<Layer, ApiError> {
    Layer::from_table(table)
        .filter(|l| caller.access.can_read_layer(*l))
        .ok_or_else(|| ApiError::NotFound(format!("没有图层“{table}”")))
}

fn parse_crs(crs: &str) -> Result<u32, ApiError> {
    let code = crs.trim();
    let code = code
        .strip_prefix("EPSG:")
        .or_else(|| code.strip_prefix("epsg:"))
        .unwrap_or(code);
    code.parse().map_err(|_| ApiError::Invalid {
        field: "crs".into(),
        message: format!("坐标系“{crs}”无法识别：应写作 EPSG:4546 这样的代码"),
    })
}

/// `POST /api/layers/{layer}/import?filename=…`: the file is the request body.
#[utoipa::path(
    post,
    path = "/api/layers/{table}/import",
    summary = "上传文件导入（GeoJSON、zip 压缩的 Shapefile、GeoPackage、KML、DXF、CSV）",
    security(("token" = [])),
    params(
        ("table" = String, Path, description = "图层（内部图层仅对工作人员可见，个人信息图层仅对殡葬管理人员可见；无权查看时答 404）"),
        ("filename" = String, Query, description = "原文件名（只用其扩展名）"),
        ("crs" = Option<String>, Query, description = "文件的坐标系，如 EPSG:4546"),
        ("encoding" = Option<crate::io::Encoding>, Query, description = "属性编码"),
        ("map" = Option<String>, Query, description = "字段对应：源=目标，逗号分隔"),
        ("dry_run" = Option<bool>, Query, description = "只核对不写入"),
        ("reason" = Option<String>, Query, description = "变更原因"),
        ("doc_issuer" = Option<String>, Query, description = "批准文件的发文机关（与文号、日期同时给出：文件中的地名可登记为已批准或已公告）"),
        ("doc_number" = Option<String>, Query, description = "批准文件的文号"),
        ("doc_date" = Option<chrono::NaiveDate>, Query, description = "批准文件的日期"),
    ),
    request_body(content = Binary, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "导入报告（已写入或试运行）", body = crate::registry::files::Imported),
        (status = 422, description = "有要素被拒绝，整个文件都没有写入", body = crate::registry::files::Imported),
    )
)]
pub async fn import(
    State(registry): State<AppState>,
    caller: Caller,
    Path(table): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &table)?;
    let author = require_write(
        &registry,
        &caller,
        layer,
        &format!("/api/layers/{table}/import"),
    )
    .await?;
    let ext = std::path::Path::new(&q.filename)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| UPLOAD_EXTENSIONS.contains(&e.as_str()))
        .ok_or_else(|| ApiError::Invalid {
            field: "filename".into(),
            message: format!(
                "文件“{}”的类型不能导入：应为 {}（Shapefile 请压缩为 zip）",
                q.filename,
                UPLOAD_EXTENSIONS.join("、")
            ),
        })?;
    let options = ReadOptions {
        crs: q
            .crs
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(parse_crs)
            .transpose()?,
        encoding: q
            .encoding
            .as_deref()
            .filter(|e| !e.is_empty())
            .map(|e| {
                e.parse::<Encoding>().map_err(|message| ApiError::Invalid {
                    field: "encoding".into(),
                    message,
                })
            })
            .transpose()?,
        limits: io::Limits {
            max_bytes: MAX_UPLOAD as u64,
            work: registry.config().server.limits,
            ..io::Limits::default()
        },
    };
    let map = column_map(q.map.as_deref().unwrap_or("").split(',')).map_err(|message| {
        ApiError::Invalid {
            field: "map".into(),
            message,
        }
    })?;
    let filename = q.filename.clone();
    let uploaded = filename.clone();
    // The body is read only now, after the caller was found allowed to write: into the
    // private folder, a piece at a time, so that neither the public nor a large file makes
    // the server hold an upload in memory.
    let document = cited(&q)?;
    let (dir, path) = receive(&headers, body, &ext).await?;
    let request = ImportRequest {
        layer,
        map,
        document,
        author,
        reason: q
            .reason
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| ImportRequest::reason_for(&filename)),
        dry_run: q.dry_run,
        today: chrono::Local::now().date_naive(),
    };
    // Reading and checking a large file are seconds of work on every core: one blocking task
    // for both, off the server's async threads.
    let (raw, report, request) = {
        let registry = Arc::clone(&registry);
        tokio::task::spawn_blocking(move || {
            // An error names the officer's file, not the server's temporary copy of it.
            let read = io::read(&path, &options, &mut |_, _| {}).map_err(|e| {
                e.to_string()
                    .replace(&path.display().to_string(), &uploaded)
            });
            // The folder and the file go now, whatever the read found.
            drop(dir);
            let raw = read?;
            let report = registry.check_import(&request, &raw);
            Ok((raw, report, request))
        })
        .await
        .map_err(|e| ApiError::Internal(format!("导入线程中断：{e}")))?
        .map_err(|message| ApiError::Invalid {
            field: "file".into(),
            message,
        })?
    };
    // A dry run answers what the commit would: the registry's rules over the whole changeset
    // too (numbering, markers, cemeteries…), not only each feature's checks.
    let imported = registry.finish_import(&request, &raw, report).await?;
    if let Some(refusal) = imported.refusal {
        return Err(refusal.into());
    }
    let status = if imported.report.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(json!(imported))).into_response())
}

/// Writes an upload's body into a new private folder (mode 0700, removed when the returned
/// guard drops) as `upload.EXT`, refusing it past [`MAX_UPLOAD`] bytes: at once when the
/// request says its length, else when the bytes received pass it.
async fn receive(
    headers: &axum::http::HeaderMap,
    mut body: axum::body::Body,
    ext: &str,
) -> Result<(tempfile::TempDir, std::path::PathBuf), ApiError> {
    use http_body_util::BodyExt;
    use tokio::io::AsyncWriteExt;
    let too_large = || {
        ApiError::TooLarge(format!(
            "文件超过导入的上限 {} MiB",
            MAX_UPLOAD / (1024 * 1024)
        ))
    };
    if super::extract::declared_length(headers).is_some_and(|n| n > MAX_UPLOAD as u64) {
        return Err(too_large());
    }
    let folder = |e: std::io::Error| ApiError::Internal(format!("上传临时目录：{e}"));
    let dir = tempfile::Builder::new()
        .prefix("diming-upload-")
        .tempdir()
        .map_err(folder)?;
    let path = dir.path().join(format!("upload.{ext}"));
    let mut file = tokio::fs::File::create(&path).await.map_err(folder)?;
    let mut received: usize = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::BadRequest(format!("上传中断：{e}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        received += data.len();
        if received > MAX_UPLOAD {
            return Err(too_large());
        }
        file.write_all(&data).await.map_err(folder)?;
    }
    file.flush().await.map_err(folder)?;
    Ok((dir, path))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    format: String,
    crs: Option<String>,
    as_of: Option<chrono::NaiveDate>,
}

/// `GET /api/layers/{layer}/export?format=gpkg`: the layer as a file (a zip for Shapefile).
#[utoipa::path(
    get,
    path = "/api/layers/{table}/export",
    summary = "把图层导出为文件",
    security(("token" = []), ()),
    params(
        ("table" = String, Path, description = "图层（内部图层仅对工作人员可见，个人信息图层仅对殡葬管理人员可见；无权查看时答 404）"),
        ("format" = crate::io::Format, Query, description = "格式（shp 为 zip）"),
        ("crs" = Option<String>, Query, description = "输出坐标系，默认 EPSG:4490"),
        ("as_of" = Option<chrono::NaiveDate>, Query, description = "某一日期的状态"),
    ),
    responses(
        (status = 200, description = "文件", content_type = "application/octet-stream", body = Binary),
        (status = 404, description = "没有该图层", body = ErrorBody),
    )
)]
pub async fn export(
    State(registry): State<AppState>,
    caller: Caller,
    Path(table): Path<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &table)?;
    let format: Format = q.format.parse().map_err(|message| ApiError::Invalid {
        field: "format".into(),
        message,
    })?;
    let crs = q.crs.as_deref().map(parse_crs).transpose()?.unwrap_or(4490);
    let features = {
        let versions = super::api::select(&registry, &caller, layer, None, q.as_of).await?;
        registry.export_features(&versions)
    };
    let (bytes, name, content_type) = tokio::task::spawn_blocking(move || {
        let dir = tempfile::Builder::new()
            .prefix("diming-export-")
            .tempdir()?;
        let ext = match format {
            Format::GeoJson => "geojson",
            Format::Gpkg => "gpkg",
            Format::Shp => "shp",
            Format::Kml => "kml",
            Format::Csv => "csv",
            Format::Dxf => "dxf",
        };
        let path = dir.path().join(format!("{}.{ext}", layer.table()));
        crate::registry::files::write_file(&path, layer, format, crs, &features)
            .map_err(std::io::Error::other)?;
        if format == Format::Shp {
            // The .shp and its sidecars, zipped.
            let zip_path = dir.path().join("export.zip");
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path)?);
            for sidecar in ["shp", "shx", "dbf", "prj", "cpg"] {
                let p = path.with_extension(sidecar);
                if p.exists() {
                    zip.start_file(
                        format!("{}.{sidecar}", layer.table()),
                        zip::write::SimpleFileOptions::default(),
                    )
                    .map_err(std::io::Error::other)?;
                    std::io::Write::write_all(&mut zip, &std::fs::read(p)?)?;
                }
            }
            zip.finish().map_err(std::io::Error::other)?;
            return Ok((
                std::fs::read(zip_path)?,
                format!("{}.zip", layer.table()),
                "application/zip",
            ));
        }
        let content_type = match format {
            Format::GeoJson => "application/geo+json",
            Format::Gpkg => "application/geopackage+sqlite3",
            Format::Kml => "application/vnd.google-earth.kml+xml",
            Format::Csv => "text/csv; charset=utf-8",
            _ => "application/octet-stream",
        };
        Ok::<_, std::io::Error>((
            std::fs::read(&path)?,
            format!("{}.{ext}", layer.table()),
            content_type,
        ))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("导出线程中断：{e}")))?
    .map_err(|e| {
        // A layer the format cannot hold is the request's problem, not the server's.
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<io::IoError>())
        {
            Some(mixed @ io::IoError::MixedGeometry(_)) => ApiError::Invalid {
                field: "format".into(),
                message: mixed.to_string(),
            },
            // A coordinate system PROJ does not know (EPSG:0).
            Some(crs @ io::IoError::Crs(_)) => ApiError::Invalid {
                field: "crs".into(),
                message: format!("无法导出到所给坐标系：{crs}"),
            },
            _ => ApiError::Internal(format!("导出失败：{e}")),
        }
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The import page: choose a file, see the report, write.
pub async fn page(State(registry): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    if !caller.access.sees_internal() {
        return Err(ApiError::Unauthorized("导入须以工作人员身份登录".into()));
    }
    let layers: Vec<_> = Layer::ALL
        .iter()
        .filter(|l| caller.access.can_write(**l) && !io::import::columns(**l).is_empty())
        .map(|l| json!({ "table": l.table(), "label": l.label(), "columns": io::import::columns(*l) }))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("layers", &layers);
    caller.insert_into(&mut context);
    context.insert("script", &super::assets::script("import"));
    let html: Html<String> = pages::render("import.html", &context)?;
    Ok(html.into_response())
}
