//! Exports: a layer (current or as of a date) into the formats officers use, in any CRS;
//! the fields each layer's export writes, and the features as plain rows.

use super::{
    CoordTransform, DriverManager, IoError, LayerAccess, LayerOptions, OGRFieldType, Path, ToGdal,
    csv, epsg, import, listen_to_gdal,
};

/// Export formats (`geojson`, `gpkg`, `shp` (a zip), `kml`, `csv`, `dxf` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Format {
    GeoJson,
    Gpkg,
    Shp,
    Kml,
    Csv,
    Dxf,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Ok(Format::GeoJson),
            "gpkg" => Ok(Format::Gpkg),
            "shp" | "shapefile" => Ok(Format::Shp),
            "kml" => Ok(Format::Kml),
            "csv" => Ok(Format::Csv),
            "dxf" => Ok(Format::Dxf),
            _ => Err(format!(
                "格式“{s}”无法识别：应为 geojson、gpkg、shp、kml、csv 或 dxf"
            )),
        }
    }
}

impl Format {
    fn driver(self) -> &'static str {
        match self {
            Format::GeoJson => "GeoJSON",
            Format::Gpkg => "GPKG",
            Format::Shp => "ESRI Shapefile",
            Format::Kml => "KML",
            Format::Csv => "CSV",
            Format::Dxf => "DXF",
        }
    }
}

/// A feature to export: attributes in order, geometry in EPSG:4490.
#[derive(Debug, Clone)]
pub struct OutFeature {
    pub values: Vec<Option<String>>,
    pub geometry: geo::Geometry<f64>,
}

/// Shapefile field names: at most 10 bytes, unique (a suffix number resolves collisions).
pub fn short_names(names: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let mut base: String = String::new();
        for ch in name.chars() {
            if base.len() + ch.len_utf8() > 10 {
                break;
            }
            base.push(ch);
        }
        let mut candidate = base.clone();
        let mut n = 1;
        while out.iter().any(|o| o.eq_ignore_ascii_case(&candidate)) {
            let suffix = format!("_{n}");
            let mut stem = base.clone();
            while stem.len() + suffix.len() > 10 {
                stem.pop();
            }
            candidate = format!("{stem}{suffix}");
            n += 1;
        }
        out.push(candidate);
    }
    out
}

/// Writes `features` with the attributes `fields` to `path` in `format`, in EPSG:`crs`.
pub fn export(
    path: &Path,
    format: Format,
    kind: crate::model::GeometryKind,
    layer_name: &str,
    fields: &[&str],
    features: &[OutFeature],
    crs: u32,
) -> Result<(), IoError> {
    listen_to_gdal();
    let fail = |reason: String| IoError::Write {
        path: path.display().to_string(),
        reason,
    };
    if path.exists() {
        return Err(fail("文件已存在，请换一个文件名或先删除它".into()));
    }
    if format == Format::Shp {
        let kinds: std::collections::BTreeSet<&str> = features
            .iter()
            .map(|f| match f.geometry {
                geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_) => "点",
                geo::Geometry::LineString(_) | geo::Geometry::MultiLineString(_) => "线",
                _ => "面",
            })
            .collect();
        if kinds.len() > 1 {
            return Err(IoError::MixedGeometry(
                kinds.into_iter().collect::<Vec<_>>().join("又有"),
            ));
        }
    }
    // KML is lon/lat on WGS 84 by definition.
    let crs = if format == Format::Kml { 4326 } else { crs };
    let target = epsg(crs)?;
    let source = epsg(4490)?;
    let transform = if crs == 4490 || crs == 4326 {
        None
    } else {
        Some(CoordTransform::new(&source, &target).map_err(|e| IoError::Crs(e.to_string()))?)
    };
    let driver =
        DriverManager::get_driver_by_name(format.driver()).map_err(|e| fail(e.to_string()))?;
    let mut dataset = driver
        .create_vector_only(path)
        .map_err(|e| fail(e.to_string()))?;
    let names: Vec<String> = match format {
        Format::Shp => short_names(fields),
        _ => fields.iter().map(|s| s.to_string()).collect(),
    };
    let mut layer_options: Vec<&str> = Vec::new();
    match format {
        Format::Shp => layer_options.push("ENCODING=UTF-8"),
        Format::Csv => layer_options.push("GEOMETRY=AS_WKT"),
        Format::GeoJson => layer_options.push("WRITE_NAME=NO"),
        _ => {}
    }
    let layer = dataset
        .create_layer(LayerOptions {
            name: layer_name,
            srs: if format == Format::Dxf {
                None
            } else {
                Some(&target)
            },
            ty: {
                use crate::model::GeometryKind as K;
                use gdal::vector::OGRwkbGeometryType as T;
                match (kind, format) {
                    (_, Format::Dxf | Format::Kml | Format::Csv) | (K::Any, _) => T::wkbUnknown,
                    (K::Point, _) => T::wkbPoint,
                    (K::MultiLineString, _) => T::wkbMultiLineString,
                    (K::MultiPolygon, _) => T::wkbMultiPolygon,
                }
            },
            options: Some(&layer_options),
        })
        .map_err(|e| fail(e.to_string()))?;
    if format != Format::Dxf {
        let defs: Vec<(&str, OGRFieldType::Type)> = names
            .iter()
            .map(|n| (n.as_str(), OGRFieldType::OFTString))
            .collect();
        layer
            .create_defn_fields(&defs)
            .map_err(|e| fail(e.to_string()))?;
    }
    for f in features {
        let mut g = f.geometry.to_gdal().map_err(|e| fail(e.to_string()))?;
        if let Some(t) = &transform {
            g.transform_inplace(t).map_err(|e| fail(e.to_string()))?;
        }
        let mut feature =
            gdal::vector::Feature::new(layer.defn()).map_err(|e| fail(e.to_string()))?;
        if format == Format::Dxf {
            let idx = feature
                .field_index("Layer")
                .map_err(|e| fail(e.to_string()))?;
            feature
                .set_field_string(idx, layer_name)
                .map_err(|e| fail(e.to_string()))?;
        } else {
            // By name: a driver may order or rename fields its own way (KML's <name>).
            for (name, value) in names.iter().zip(&f.values) {
                if let Some(v) = value {
                    let idx = feature
                        .field_index(name)
                        .map_err(|e| fail(format!("字段 {name}：{e}")))?;
                    let v = match format {
                        Format::Csv => csv::neutralise(v),
                        _ => std::borrow::Cow::Borrowed(v.as_str()),
                    };
                    feature
                        .set_field_string(idx, &v)
                        .map_err(|e| fail(e.to_string()))?;
                }
            }
        }
        feature.set_geometry(g).map_err(|e| fail(e.to_string()))?;
        feature.create(&layer).map_err(|e| fail(e.to_string()))?;
    }
    dataset.close().map_err(|e| fail(e.to_string()))?;
    if format == Format::Shp {
        // GDAL writes a .cpg for ENCODING=UTF-8; make sure it is there and says so.
        std::fs::write(path.with_extension("cpg"), "UTF-8").map_err(|e| fail(e.to_string()))?;
    }
    Ok(())
}

/// Where attributes of a layer are in its record (a JSON pointer) when not at the top under
/// their own name, and attributes exported but not imported. Personal numbers come out
/// masked, as everywhere.
pub(super) fn export_paths(layer: crate::model::Layer) -> &'static [(&'static str, &'static str)] {
    use crate::model::Layer as L;
    match layer {
        // A door plate's street goes out twice: by name (`street`) and by id.
        L::DoorPlate => &[("street_id", "/street")],
        L::Cemetery => &[
            ("name", "/name"),
            ("kind", "/kind"),
            ("operator", "/operator"),
            ("address", "/address"),
            ("approval", "/approval"),
            ("opened", "/opened"),
        ],
        L::CemeterySection => &[
            ("cemetery", "/cemetery"),
            ("code", "/code"),
            ("name", "/name"),
        ],
        L::Plot => &[
            ("number", "/number"),
            ("remains", "/kind/remains"),
            ("occupancy", "/kind/occupancy"),
            ("status", "/status"),
            ("laid_out", "/laid_out"),
            ("holder", "/holder"),
            ("until", "/period/until"),
        ],
        L::Burial => &[
            ("name", "/deceased/name"),
            ("sex", "/deceased/sex"),
            ("ethnicity", "/deceased/ethnicity"),
            ("id_number", "/deceased/id_number"),
            ("born", "/deceased/born"),
            ("died", "/deceased/died"),
            ("residence", "/deceased/residence"),
            ("disposition", "/disposition"),
            ("certificate", "/cremation_certificate"),
            ("plot", "/plot"),
            ("in_zone", "/in_zone"),
            ("exemption", "/exemption"),
            ("registered_on", "/registered_on"),
        ],
        L::SubsidyClaim => &[
            ("burial", "/burial"),
            ("rule", "/rule"),
            ("total_fen", "/total_fen"),
            ("claimed_on", "/claimed_on"),
            ("claimant", "/claimant"),
            ("paid_on", "/paid_on"),
        ],
        L::Grave => &[
            ("number", "/number"),
            ("kind", "/kind"),
            ("area_m2", "/area_m2"),
            ("buried", "/buried"),
            ("owner", "/owner"),
            ("owner_phone", "/owner_phone"),
            ("treatment", "/treatment"),
            ("surveyed", "/surveyed"),
            ("moved_to", "/moved_to"),
        ],
        L::Notice => &[
            ("number", "/number"),
            ("batch", "/batch"),
            ("grave", "/grave"),
            ("status", "/status"),
            ("deadline", "/terms/deadline"),
            ("plot", "/plot"),
            ("compensation_fen", "/compensation_fen"),
        ],
        L::Zone => &[("name", "/name"), ("kind", "/kind"), ("basis", "/basis")],
        L::Sign => &[
            ("code", "/code"),
            ("kind", "/kind"),
            ("text", "/shows/zh"),
            ("text_mn", "/shows/mn"),
            ("pinyin", "/shows/pinyin"),
            ("number", "/shows/number"),
            ("mounting", "/mounting"),
            ("facing", "/facing"),
            ("width_mm", "/width_mm"),
            ("height_mm", "/height_mm"),
            ("condition", "/condition"),
            ("installed", "/installed"),
            ("names", "/names"),
        ],
        L::BoundaryLine => &[
            ("left", "/left"),
            ("left_name", "/left_name"),
            ("right", "/right"),
            ("right_name", "/right_name"),
            ("legal", "/legal"),
            ("technical", "/technical"),
            ("document", "/document/number"),
            ("established", "/established"),
            ("last_inspected", "/last_inspected"),
            ("cycle_years", "/cycle_years"),
            ("length_m", "/length_m"),
        ],
        _ => &[],
    }
}

/// The attributes an export writes for `layer`, in order.
pub fn export_fields(layer: crate::model::Layer) -> Vec<&'static str> {
    let mut fields = vec!["id", "version", "valid_from"];
    fields.extend(import::columns(layer));
    for (name, _) in export_paths(layer) {
        if !fields.contains(name) {
            fields.push(name);
        }
    }
    fields
}

/// A value of a record's body as one cell, as imports read it back: a list as its items
/// separated by `;`, a marker's reference objects as `名称,方位角,距离;…`.
pub(super) fn cell(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|item| match item {
                    Value::String(s) => s.clone(),
                    Value::Object(o) if o.contains_key("azimuth_deg") => format!(
                        "{},{},{}",
                        o["object"].as_str().unwrap_or_default(),
                        o["azimuth_deg"],
                        o["distance_m"]
                    ),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";"),
        ),
        other => Some(other.to_string()),
    }
}

/// Records as features to export: the attributes of [`export_fields`] (door plates name their
/// street and give its id), geometry in EPSG:4490.
pub fn export_features(
    versions: &[&crate::model::RecordVersion],
    current: &crate::model::CurrentState,
) -> Vec<OutFeature> {
    versions
        .iter()
        .map(|v| {
            use crate::model::Layer;
            let body = serde_json::to_value(&v.body).unwrap_or_default();
            let layer = v.layer();
            let values = export_fields(layer)
                .iter()
                .map(|field| match (layer, *field) {
                    (_, "id") => Some(v.id.to_string()),
                    (_, "version") => Some(v.version.to_string()),
                    (_, "valid_from") => Some(v.valid_from.to_string()),
                    (Layer::Street | Layer::Place, "status") => body["naming"]["status"]
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| Some("published".into())),
                    (Layer::DoorPlate, "street") => body["street"]
                        .as_str()
                        .and_then(|id| id.parse().ok())
                        .and_then(|id| current.get(&id))
                        .map(|s| s.body.title()),
                    (_, other) => match export_paths(layer).iter().find(|(n, _)| *n == other) {
                        Some((_, path)) => body.pointer(path).and_then(cell),
                        None => cell(&body[other]),
                    },
                })
                .collect();
            OutFeature {
                values,
                geometry: v.geometry.clone(),
            }
        })
        .collect()
}
