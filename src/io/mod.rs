//! Imports and exports in the formats officers use; the only place that touches GDAL.
//!
//! - [`read`]: a file (GeoJSON, Shapefile — also zipped —, GeoPackage, KML, DXF, CSV with
//!   coordinate columns) into plain features in EPSG:4490, after [`safety::prepare`] has
//!   refused hostile input. The CRS comes from the file (`.prj`, the GeoPackage) or from
//!   the officer; a file without one is read as lon/lat only if its coordinates can be.
//! - [`import::plan`]: those features against the registry: one changeset, or a report of
//!   every refused feature with its row and reason (plots also by the cemetery check, as laid
//!   out).
//! - [`export`]: a layer (current or as of a date) into any of those formats, in any CRS.
//! - [`photo`]: an uploaded photo checked to be a real JPEG, PNG or WebP of sane size.
//! - [`ledger`]: a tabular ledger (CSV or XLSX, read exactly with calamine) into rows.
//! - [`csv`]: every CSV the registry writes, with no cell a spreadsheet would run.
//!
//! Reading counts features and vertices against `server.limits` as it goes, and stops at the
//! first that is over.
//!
//! GDAL is thread-bound: callers run these functions in a blocking task. What GDAL says
//! goes to the log (target `gdal`, debug), not to stderr; a failure to open a file is
//! reported with GDAL's own words about it.

pub mod csv;
pub mod import;
pub mod ledger;
pub mod photo;
pub mod safety;
mod write;

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{FieldValue, LayerAccess, LayerOptions, OGRFieldType, ToGdal};
use gdal::{Dataset, DatasetOptions, DriverManager, GdalOpenFlags};
use std::collections::BTreeMap;
use std::path::Path;

pub use safety::Limits;
pub use write::*;

#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("无法读取 {path}：{reason}")]
    Read { path: String, reason: String },
    #[error("无法写入 {path}：{reason}")]
    Write { path: String, reason: String },
    #[error(
        "不支持的文件格式：{0}（可导入 GeoJSON、Shapefile（可压缩为 zip）、GeoPackage、KML、DXF、CSV）"
    )]
    UnknownFormat(String),
    #[error("拒绝读取：{0}")]
    Hostile(String),
    #[error("{what} 超过大小上限 {limit} 字节")]
    TooLarge { what: String, limit: u64 },
    #[error("坐标系无法识别：{0}")]
    Crs(String),
    #[error("文件没有坐标系，且坐标（如 {x}, {y}）不是经纬度：请用 --crs 指定，如 --crs EPSG:4546")]
    NoCrs { x: f64, y: f64 },
    #[error("Shapefile 只能保存一种几何类型，而该图层既有{0}：请导出为 GeoPackage 或 GeoJSON")]
    MixedGeometry(String),
    #[error(
        "属性文字不是 UTF-8（第 {row} 行字段“{field}”）：文件没有 .cpg，请用 --encoding gbk 指定编码"
    )]
    Encoding { row: usize, field: String },
    /// More features or vertices than one import may hold (`server.limits`).
    #[error("{0}")]
    TooMuch(String),
}

/// Text encodings of Shapefile attributes (`utf-8`, `gbk` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
pub enum Encoding {
    #[schema(rename = "utf-8")]
    Utf8,
    #[schema(rename = "gbk")]
    Gbk,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "cp936" | "gb2312" | "gb18030" => Ok(Encoding::Gbk),
            _ => Err(format!("编码“{s}”无法识别：应为 gbk 或 utf-8")),
        }
    }
}

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The file's CRS when it has none, or to override it: an EPSG code.
    pub crs: Option<u32>,
    /// The attribute encoding when the file does not say (Shapefile without `.cpg`).
    pub encoding: Option<Encoding>,
    pub limits: Limits,
}

/// A feature as read from a file: its position in the file, its attributes as text, its
/// geometry in EPSG:4490.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFeature {
    /// 1-based position in the file (the row of a CSV or DBF).
    pub row: usize,
    pub fields: BTreeMap<String, String>,
    pub geometry: Option<geo::Geometry<f64>>,
}

/// What a file held.
#[derive(Debug, Clone)]
pub struct RawLayer {
    pub format: String,
    /// The CRS the coordinates were read in, as `EPSG:N` or a name.
    pub crs: String,
    pub fields: Vec<String>,
    pub features: Vec<RawFeature>,
}

/// The drivers an import may use: never VRT, never a network driver.
const DRIVERS: &[&str] = &[
    "GeoJSON",
    "ESRI Shapefile",
    "GPKG",
    "KML",
    "LIBKML",
    "DXF",
    "CSV",
];

fn epsg(code: u32) -> Result<SpatialRef, IoError> {
    let mut srs =
        SpatialRef::from_epsg(code).map_err(|e| IoError::Crs(format!("EPSG:{code}：{e}")))?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// The vertices of a GDAL geometry and of the geometries it holds.
fn vertex_count(g: &gdal::vector::Geometry) -> usize {
    g.point_count()
        + (0..g.geometry_count())
            .map(|k| vertex_count(&g.get_geometry(k)))
            .sum::<usize>()
}

fn field_text(value: FieldValue) -> Option<String> {
    match value {
        FieldValue::StringValue(s) => Some(s),
        FieldValue::IntegerValue(i) => Some(i.to_string()),
        FieldValue::Integer64Value(i) => Some(i.to_string()),
        FieldValue::RealValue(r) => Some(r.to_string()),
        FieldValue::DateValue(d) => Some(d.to_string()),
        FieldValue::DateTimeValue(d) => Some(d.to_rfc3339()),
        other => Some(format!("{other:?}")),
    }
}

/// Reads the first layer of `input` (checked by [`safety::prepare`]; a zip is unpacked into a
/// private temporary folder that is removed afterwards).
pub fn read(
    input: &Path,
    options: &ReadOptions,
    progress: &mut dyn FnMut(usize, u64),
) -> Result<RawLayer, IoError> {
    let work = tempfile::tempdir().map_err(|e| IoError::Read {
        path: "临时目录".into(),
        reason: e.to_string(),
    })?;
    let main = safety::prepare(input, work.path(), &options.limits)?;
    listen_to_gdal();
    let ext = main
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let has_cpg = main.with_extension("cpg").exists() || main.with_extension("CPG").exists();
    let mut open_options: Vec<String> = Vec::new();
    match ext.as_str() {
        "shp" => {
            // The DBF's language driver id (byte 29): GDAL recodes from it, or from the
            // .cpg. With neither, GDAL would read GBK as Latin-1 and garble every name
            // silently: read the bytes as they are instead, and report invalid UTF-8 below.
            let ldid = {
                use std::io::Read;
                let mut header = [0u8; 32];
                std::fs::File::open(main.with_extension("dbf"))
                    .and_then(|mut f| f.read_exact(&mut header))
                    .map(|()| header[29])
                    .unwrap_or(0)
            };
            match (options.encoding, has_cpg || ldid != 0) {
                (Some(Encoding::Gbk), _) => open_options.push("ENCODING=CP936".into()),
                (Some(Encoding::Utf8), _) => open_options.push("ENCODING=UTF-8".into()),
                (None, true) => {}
                (None, false) => open_options.push("ENCODING=".into()),
            }
        }
        "csv" => {
            open_options.extend([
                "X_POSSIBLE_NAMES=lon,longitude,x,经度,lng,easting".to_string(),
                "Y_POSSIBLE_NAMES=lat,latitude,y,纬度,northing".to_string(),
                "GEOM_POSSIBLE_NAMES=wkt,geometry,geom".to_string(),
                "KEEP_GEOM_COLUMNS=NO".to_string(),
                "AUTODETECT_TYPE=NO".to_string(),
            ]);
        }
        _ => {}
    }
    // A DXF names its code page in its header; the officer's word wins. Thread-local: other
    // imports running at the same time are not affected.
    let dxf_encoding = match (ext.as_str(), options.encoding) {
        ("dxf", Some(Encoding::Gbk)) => Some("CP936"),
        ("dxf", Some(Encoding::Utf8)) => Some("UTF-8"),
        _ => None,
    };
    if let Some(e) = dxf_encoding {
        gdal::config::set_thread_local_config_option("DXF_ENCODING", e)
            .map_err(|e| IoError::Crs(e.to_string()))?;
    }
    let _reset = dxf_encoding.map(|_| ResetDxfEncoding);
    let open_refs: Vec<&str> = open_options.iter().map(String::as_str).collect();
    let dataset = Dataset::open_ex(
        &main,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            allowed_drivers: Some(DRIVERS),
            open_options: Some(&open_refs),
            sibling_files: None,
        },
    )
    .map_err(|e| IoError::Read {
        path: input.display().to_string(),
        reason: not_readable(&ext, &e, work.path()),
    })?;
    let format = dataset.driver().short_name();
    let mut layer = dataset.layer(0).map_err(|e| IoError::Read {
        path: input.display().to_string(),
        reason: format!("文件中没有图层：{e}"),
    })?;
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let file_srs = layer.spatial_ref();
    let target = epsg(4490)?;
    let (source, crs_name) = match (options.crs, file_srs) {
        (Some(code), _) => (Some(epsg(code)?), format!("EPSG:{code}")),
        (None, Some(mut srs)) => {
            srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            let name = match (srs.auth_name(), srs.auth_code()) {
                (Some(a), Ok(c)) => format!("{a}:{c}"),
                _ => srs.name().unwrap_or_else(|| "（未命名坐标系）".into()),
            };
            (Some(srs), name)
        }
        (None, None) => (None, "（无，按经纬度读取）".to_string()),
    };
    let transform = match &source {
        Some(s) => Some(CoordTransform::new(s, &target).map_err(|e| IoError::Crs(e.to_string()))?),
        None => None,
    };
    let total = layer.feature_count();
    let caps = &options.limits.work;
    caps.features(total).map_err(IoError::TooMuch)?;
    let mut vertices = 0usize;
    let mut features = Vec::new();
    for (i, feature) in layer.features().enumerate() {
        let row = i + 1;
        // A driver's count may be an estimate: counted as read too.
        caps.features(row as u64).map_err(IoError::TooMuch)?;
        if row % 1000 == 0 {
            progress(row, total);
        }
        let mut map = BTreeMap::new();
        for (name, value) in feature.fields() {
            if let Some(text) = value.and_then(field_text) {
                if text.contains('\u{fffd}') && ext == "shp" {
                    return Err(IoError::Encoding { row, field: name });
                }
                if !text.is_empty() {
                    let text = match ext.as_str() {
                        "csv" => csv::restore(&text).to_string(),
                        _ => text,
                    };
                    map.insert(name, text);
                }
            }
        }
        let geometry = match feature.geometry() {
            Some(g) if !g.is_empty() => {
                // Counted before the geometry is converted or transformed.
                let n = vertex_count(g);
                vertices += n;
                caps.geometry(&format!("第 {row} 个要素"), n)
                    .and_then(|()| caps.all("文件", vertices))
                    .map_err(IoError::TooMuch)?;
                let mut g = match &transform {
                    Some(t) => g
                        .transform(t)
                        .map_err(|e| IoError::Crs(format!("第 {row} 个要素坐标转换失败：{e}")))?,
                    None => g.clone(),
                };
                // Heights (DXF, KML) are not part of the registry.
                g.flatten_to_2d();
                let geo = g.to_geo().map_err(|e| IoError::Read {
                    path: input.display().to_string(),
                    reason: format!("第 {row} 个要素的几何无法读取：{e}"),
                })?;
                if transform.is_none() {
                    check_lon_lat(&geo)?;
                }
                Some(geo)
            }
            _ => None,
        };
        features.push(RawFeature {
            row,
            fields: map,
            geometry,
        });
    }
    progress(features.len(), total);
    drop(work);
    Ok(RawLayer {
        format,
        crs: crs_name,
        fields,
        features,
    })
}

thread_local! {
    /// GDAL's failures on this thread since [`listen_to_gdal`] last cleared them.
    static GDAL_SAID: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// How many of GDAL's failures are kept for one read: a hostile file can raise millions.
const GDAL_SAID_MAX: usize = 8;

/// Routes GDAL's messages to the log instead of stderr (an officer saw English lines such as
/// `ERROR 1: file is not a database` above diming's own error), keeping this thread's
/// failures for [`gdal_said`]; clears those kept before.
fn listen_to_gdal() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        gdal::config::set_error_handler(|class, number, message| {
            use gdal::errors::CplErrType;
            tracing::debug!(target: "gdal", ?class, number, "{message}");
            if matches!(class, CplErrType::Failure | CplErrType::Fatal) {
                GDAL_SAID.with(|said| {
                    let mut said = said.borrow_mut();
                    if said.len() < GDAL_SAID_MAX {
                        said.push(message.trim().to_string());
                    }
                });
            }
        });
    });
    GDAL_SAID.with(|said| said.borrow_mut().clear());
}

/// GDAL's failures on this thread since [`listen_to_gdal`], the first (the most precise, such
/// as the line and character where a GeoJSON breaks) first.
fn gdal_said() -> Vec<String> {
    GDAL_SAID.with(|said| said.borrow().clone())
}

/// Why GDAL could not open a file, for an officer: what the file is not, and GDAL's own words
/// when it had any (a file unzipped into `work` named as the archive's entry, not as the
/// temporary copy).
fn not_readable(ext: &str, e: &gdal::errors::GdalError, work: &Path) -> String {
    let kind = match ext {
        "shp" => "Shapefile",
        "gpkg" => "GeoPackage",
        "geojson" | "json" => "GeoJSON",
        "kml" => "KML",
        "dxf" => "DXF",
        "csv" => "CSV",
        _ => "可导入的格式",
    };
    let mut said = gdal_said();
    let last = match e {
        gdal::errors::GdalError::NullPointer { msg, .. } => msg.trim().to_string(),
        other => other.to_string(),
    };
    if !last.is_empty() && !said.contains(&last) {
        said.push(last);
    }
    let said = said.join("；").replace(&format!("{}/", work.display()), "");
    if said.is_empty() {
        format!("文件不是有效的 {kind} 文件，或已损坏")
    } else {
        format!("文件不是有效的 {kind} 文件，或已损坏（GDAL：{said}）")
    }
}

/// Clears the thread's DXF encoding when the read ends (blocking threads are reused).
struct ResetDxfEncoding;

impl Drop for ResetDxfEncoding {
    fn drop(&mut self) {
        let _ = gdal::config::clear_thread_local_config_option("DXF_ENCODING");
    }
}

/// A geometry read without a CRS must be lon/lat to be taken as such.
fn check_lon_lat(g: &geo::Geometry<f64>) -> Result<(), IoError> {
    use geo::CoordsIter;
    for c in g.coords_iter() {
        if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
            return Err(IoError::NoCrs { x: c.x, y: c.y });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapefile_names_are_short_and_unique() {
        let names = short_names(&[
            "name",
            "valid_from",
            "population_2020",
            "population_2021",
            "名称很长的字段",
        ]);
        assert_eq!(names[0], "name");
        assert_eq!(names[1], "valid_from");
        assert_eq!(names[2], "population");
        assert_eq!(names[3], "populati_1");
        assert!(names.iter().all(|n| n.len() <= 10));
        assert_eq!(names[4], "名称很");
    }
}
