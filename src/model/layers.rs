//! The registry's layers: which domain types are records, the geometry each takes, and the
//! typed columns each shows in the stores' per-layer tables (GeoPackage layers, PostGIS tables).

use super::catalogue::{CATALOGUE, LayerSpec};
use crate::record::{Describe, RecordId, Source};
use geo::Geometry;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A layer of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    AdminUnit,
    Street,
    Place,
    DoorPlate,
    /// Renumbering campaigns (门牌整编), with the area they cover.
    Campaign,
    /// Street signs and plates (地名标志).
    Sign,
    /// Field inspections of signs.
    SignInspection,
    /// Repair work orders for signs.
    WorkOrder,
    /// Boundary markers (界桩).
    Marker,
    /// Field observations of boundary markers.
    MarkerObservation,
    /// Boundary disputes, with the disputed area.
    Dispute,
    /// Boundary lines between neighbouring units.
    BoundaryLine,
    /// Joint inspections of boundary lines.
    LineInspection,
    /// 平安边界 agreements between neighbours.
    Agreement,
    /// Cemeteries (公墓).
    Cemetery,
    /// Sections (墓区) of cemeteries.
    CemeterySection,
    /// Plots (墓位).
    Plot,
    /// Deaths and their disposition (殡葬登记): personal data.
    Burial,
    /// Funeral subsidy claims: personal data.
    SubsidyClaim,
    /// Graves outside cemeteries (散埋乱葬): personal data.
    Grave,
    /// Relocation notices (迁坟告知书): personal data.
    Notice,
    /// Zones: the cremation zone and where graves may not be (三沿七区).
    Zone,
}

/// The geometry a layer takes (GeoPackage `geometry_type_name`, PostGIS type modifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryKind {
    Point,
    MultiLineString,
    MultiPolygon,
    Any,
}

impl GeometryKind {
    pub fn sql_name(self) -> &'static str {
        match self {
            GeometryKind::Point => "POINT",
            GeometryKind::MultiLineString => "MULTILINESTRING",
            GeometryKind::MultiPolygon => "MULTIPOLYGON",
            GeometryKind::Any => "GEOMETRY",
        }
    }

    /// Brings `g` to this kind (a polygon becomes a one-part multipolygon), or says it cannot.
    pub fn conform(self, g: Geometry<f64>) -> Result<Geometry<f64>, Geometry<f64>> {
        use Geometry as G;
        match (self, g) {
            (GeometryKind::Any, g) => Ok(g),
            (GeometryKind::Point, g @ G::Point(_)) => Ok(g),
            (GeometryKind::MultiLineString, G::LineString(l)) => {
                Ok(G::MultiLineString(geo::MultiLineString(vec![l])))
            }
            (GeometryKind::MultiLineString, g @ G::MultiLineString(_)) => Ok(g),
            (GeometryKind::MultiPolygon, G::Polygon(p)) => {
                Ok(G::MultiPolygon(geo::MultiPolygon(vec![p])))
            }
            (GeometryKind::MultiPolygon, g @ G::MultiPolygon(_)) => Ok(g),
            (_, g) => Err(g),
        }
    }
}

impl Layer {
    pub const ALL: [Layer; 22] = [
        Layer::AdminUnit,
        Layer::Street,
        Layer::Place,
        Layer::DoorPlate,
        Layer::Campaign,
        Layer::Sign,
        Layer::SignInspection,
        Layer::WorkOrder,
        Layer::Marker,
        Layer::MarkerObservation,
        Layer::Dispute,
        Layer::BoundaryLine,
        Layer::LineInspection,
        Layer::Agreement,
        Layer::Cemetery,
        Layer::CemeterySection,
        Layer::Plot,
        Layer::Burial,
        Layer::SubsidyClaim,
        Layer::Grave,
        Layer::Notice,
        Layer::Zone,
    ];

    /// The layer's declaration in the catalogue.
    pub fn spec(self) -> &'static LayerSpec {
        &CATALOGUE[self as usize]
    }

    /// The name of the layer's table in both stores.
    pub fn table(self) -> &'static str {
        self.spec().table
    }

    pub fn from_table(table: &str) -> Option<Layer> {
        CATALOGUE.iter().find(|s| s.table == table).map(|s| s.layer)
    }

    /// The layer's name in the user interface.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    pub fn geometry_kind(self) -> GeometryKind {
        self.spec().geometry
    }

    /// The layer's own typed columns, in table order (after the common ones).
    pub fn columns(self) -> &'static [&'static str] {
        self.spec().columns
    }

    /// The layers whose records hold photos.
    pub fn with_photos() -> impl Iterator<Item = Layer> {
        Layer::ALL.into_iter().filter(|l| l.spec().photos)
    }

    /// The layers whose records hold personal data under the retention rule.
    pub fn with_personal_data() -> impl Iterator<Item = Layer> {
        Layer::ALL.into_iter().filter(|l| l.spec().retention)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A value of a typed column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValue {
    Text(String),
    Integer(i64),
    /// NULL in a text column.
    Null,
    /// NULL in an integer column.
    NullInteger,
}

impl From<Option<String>> for ColumnValue {
    fn from(v: Option<String>) -> Self {
        v.map_or(ColumnValue::Null, ColumnValue::Text)
    }
}

/// A property of a record that does not fit its layer's type: where, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyError {
    /// The path of the field at fault (`naming.status`).
    pub path: String,
    pub message: String,
}

macro_rules! body {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// The attributes of a record: one domain type per layer. Each is boxed, so that a
        /// record takes the size of its own layer's type: a door plate's 88 bytes, not the
        /// 384 of the largest (a province's million plates held 300 MB of padding).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "layer", rename_all = "snake_case")]
        pub enum Body {
            $($variant(Box<$ty>),)*
        }

        impl Body {
            pub fn layer(&self) -> Layer {
                match self {
                    $(Body::$variant(_) => Layer::$variant,)*
                }
            }

            /// The record as the user interface shows it (its domain type's [`Describe`]).
            pub fn describe(&self) -> &dyn Describe {
                match self {
                    $(Body::$variant(b) => &**b,)*
                }
            }

            /// The body of a record of `layer` from its properties, into the layer's own type
            /// (not through the tagged `Body`, which would lose the path of the field at
            /// fault).
            pub fn from_properties(
                layer: Layer,
                properties: serde_json::Map<String, serde_json::Value>,
            ) -> Result<Body, PropertyError> {
                let value = serde_json::Value::Object(properties);
                Ok(match layer {
                    $(Layer::$variant => Body::$variant(
                        serde_path_to_error::deserialize(value).map_err(|e| PropertyError {
                            path: e.path().to_string(),
                            message: e.inner().to_string(),
                        })?,
                    ),)*
                })
            }
        }
    };
}

each_layer_type!(body);

impl Body {
    /// Where the record comes from (`sample` for the demo's synthetic objects).
    pub fn source(&self) -> Source {
        match self {
            Body::AdminUnit(b) => b.source,
            Body::Street(b) => b.source,
            Body::Place(b) => b.source,
            Body::DoorPlate(b) => b.source,
            Body::Campaign(c) => c.source,
            Body::Sign(s) => s.source,
            Body::SignInspection(i) => i.source,
            Body::WorkOrder(o) => o.source,
            Body::Marker(m) => m.source,
            Body::MarkerObservation(o) => o.source,
            Body::Dispute(d) => d.source,
            Body::BoundaryLine(l) => l.source,
            Body::LineInspection(i) => i.source,
            Body::Agreement(a) => a.source,
            Body::Cemetery(c) => c.source,
            Body::CemeterySection(c) => c.source,
            Body::Plot(c) => c.source,
            Body::Burial(c) => c.source,
            Body::SubsidyClaim(c) => c.source,
            Body::Grave(c) => c.source,
            Body::Notice(c) => c.source,
            Body::Zone(c) => c.source,
        }
    }

    /// A short human label: a name, or a door number.
    /// The photos the record holds (SHA-256 of stored attachments).
    pub fn photos(&self) -> Vec<&str> {
        let list: &[String] = match self {
            Body::Sign(s) => &s.photos,
            Body::SignInspection(i) => &i.photos,
            Body::Marker(m) => &m.photos,
            Body::MarkerObservation(o) => &o.photos,
            Body::Grave(g) => &g.photos,
            Body::WorkOrder(w) => return w.done_photo.as_deref().into_iter().collect(),
            _ => &[],
        };
        list.iter().map(String::as_str).collect()
    }

    /// The record's personal data under the retention rule (the burial layers), if it holds any
    /// kind the rule covers.
    pub fn personal(&self) -> Option<&dyn crate::cemetery::retention::Personal> {
        match self {
            Body::Burial(b) => Some(&**b),
            Body::Plot(p) => Some(&**p),
            Body::Grave(g) => Some(&**g),
            Body::SubsidyClaim(c) => Some(&**c),
            _ => None,
        }
    }

    /// [`Body::personal`], to erase it.
    pub fn personal_mut(&mut self) -> Option<&mut dyn crate::cemetery::retention::Personal> {
        match self {
            Body::Burial(b) => Some(&mut **b),
            Body::Plot(p) => Some(&mut **p),
            Body::Grave(g) => Some(&mut **g),
            Body::SubsidyClaim(c) => Some(&mut **c),
            _ => None,
        }
    }

    /// The references the record makes to other records, with the field that makes each.
    pub fn references(&self) -> Vec<(&'static str, RecordId)> {
        match self {
            Body::DoorPlate(d) => vec![("street", d.street)],
            Body::Sign(s) => s.names.iter().map(|n| ("names", *n)).collect(),
            Body::SignInspection(i) => vec![("sign", i.sign)],
            Body::WorkOrder(o) => vec![("sign", o.sign)],
            Body::MarkerObservation(o) => vec![("marker", o.marker)],
            Body::LineInspection(i) => vec![("line", i.line)],
            Body::Campaign(c) => c.streets.iter().map(|s| ("streets", *s)).collect(),
            _ => Vec::new(),
        }
    }

    pub fn title(&self) -> String {
        self.describe().title()
    }

    /// The naming (status, other names, approval) of a named record: units, streets and
    /// places.
    pub fn naming(&self) -> Option<&crate::names::naming::Naming> {
        match self {
            Body::Street(s) => Some(&s.naming),
            Body::Place(p) => Some(&p.naming),
            Body::AdminUnit(u) => Some(&u.naming),
            _ => None,
        }
    }

    /// The Mongolian script form of a named record's name, where it has one.
    pub fn name_mn(&self) -> Option<&str> {
        match self {
            Body::Street(s) => s.name_mn.as_deref(),
            Body::Place(p) => p.name_mn.as_deref(),
            Body::AdminUnit(u) => u.name_mn.as_deref(),
            _ => None,
        }
    }

    /// The romanization of a named record's name by the rules: a name of Mongolian origin
    /// takes its fixed form, or the transcription of its Mongolian script, and says so when
    /// it has neither.
    pub fn romanization(
        &self,
        lists: &crate::names::WordLists,
    ) -> Option<crate::names::romanize::Romanization> {
        let naming = self.naming()?;
        Some(crate::names::romanize::of_name(
            &self.title(),
            self.name_mn(),
            naming.mongolian_origin,
            &naming.readings,
            lists,
        ))
    }

    /// The same body with another naming and, if given, another standard name.
    pub fn renamed(&self, name: Option<&str>, naming: crate::names::naming::Naming) -> Body {
        let mut next = self.clone();
        match &mut next {
            Body::Street(s) => {
                s.naming = naming;
                if let Some(n) = name {
                    s.name = n.to_string();
                }
            }
            Body::Place(p) => {
                p.naming = naming;
                if let Some(n) = name {
                    p.name = n.to_string();
                }
            }
            Body::AdminUnit(u) => {
                u.naming = naming;
                if let Some(n) = name {
                    u.name = n.to_string();
                }
            }
            _ => {}
        }
        next
    }

    /// Values of [`Layer::columns`], in the same order.
    pub fn column_values(&self) -> Vec<ColumnValue> {
        use ColumnValue::{Integer, Text};
        match self {
            Body::AdminUnit(u) => vec![
                Text(u.code.to_string()),
                Text(u.name.clone()),
                u.name_mn.clone().into(),
                Text(u.level.as_str().into()),
                u.parent.map(|p| p.to_string()).into(),
            ],
            Body::Street(s) => vec![
                Text(s.name.clone()),
                s.name_mn.clone().into(),
                Text(s.class.as_str().into()),
                Text(s.naming.status.as_str().into()),
            ],
            Body::Place(p) => vec![
                Text(p.name.clone()),
                p.name_mn.clone().into(),
                Text(p.category.as_str().into()),
                Text(p.naming.status.as_str().into()),
            ],
            Body::DoorPlate(d) => vec![
                Text(d.street.to_string()),
                Text(d.number.to_string()),
                Integer(i64::from(d.number.number())),
            ],
            Body::Campaign(c) => vec![
                Text(c.name.clone()),
                Text(c.status.as_str().into()),
                Integer(c.lines.len() as i64),
                Integer(c.changed() as i64),
                Integer(c.installed_count() as i64),
            ],
            Body::Sign(s) => vec![
                Text(s.code.clone()),
                Text(s.kind.as_str().into()),
                Text(s.shows.zh.clone()),
                Text(s.condition.as_str().into()),
                s.names.first().map(|r| r.to_string()).into(),
            ],
            Body::SignInspection(i) => vec![
                Text(i.sign.to_string()),
                Text(i.date.to_string()),
                Text(i.condition.as_str().into()),
            ],
            Body::WorkOrder(o) => vec![
                Text(o.sign.to_string()),
                Text(o.kind.as_str().into()),
                Text(o.status.as_str().into()),
                o.cost_fen.map_or(ColumnValue::NullInteger, Integer),
            ],
            Body::Marker(m) => vec![
                Text(m.number.clone()),
                Text(m.kind.label().into()),
                Text(m.units.join(",")),
            ],
            Body::MarkerObservation(o) => vec![
                Text(o.marker.to_string()),
                Text(o.date.to_string()),
                Text(o.state.label().into()),
                Integer((o.offset_m * 1000.0).round() as i64),
                Integer(i64::from(o.alert)),
            ],
            Body::Dispute(d) => vec![
                Text(d.title.clone()),
                Text(d.status.as_str().into()),
                Text(
                    d.parties
                        .iter()
                        .map(|p| p.code.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                Integer(d.area_m2.round() as i64),
            ],
            Body::BoundaryLine(l) => vec![
                Text(l.left.clone()),
                Text(l.right.clone()),
                Text(l.legal.label().into()),
                Text(l.technical.label().into()),
            ],
            Body::LineInspection(i) => vec![Text(i.line.to_string()), Text(i.date.to_string())],
            Body::Agreement(a) => vec![
                Text(a.title.clone()),
                Text(a.parties.join(",")),
                Text(a.renewal.to_string()),
            ],
            Body::Cemetery(c) => vec![Text(c.name.clone()), Text(c.kind.label().into())],
            Body::CemeterySection(c) => vec![Text(c.cemetery.to_string()), Text(c.code.clone())],
            Body::Plot(p) => vec![
                Text(p.section.to_string()),
                Text(p.number.to_string()),
                Text(p.kind.as_str().into()),
                Text(p.status.as_str().into()),
                p.period.as_ref().map(|u| u.until.to_string()).into(),
            ],
            // No name and no ID number in the typed columns: the GeoPackage's tables are
            // read by GIS tools outside the burial office.
            Body::Burial(b) => vec![
                Text(b.deceased.died.to_string()),
                Text(b.disposition.as_str().into()),
                Text(b.deceased.residence.clone()),
                b.plot.map(|p| p.to_string()).into(),
                Integer(i64::from(b.in_zone)),
            ],
            Body::SubsidyClaim(c) => vec![
                Text(c.burial.to_string()),
                Text(c.rule.clone()),
                Integer(c.total_fen),
                Text(c.claimed_on.to_string()),
            ],
            Body::Grave(g) => vec![
                Text(g.number.clone()),
                Text(g.kind.label().into()),
                g.treatment.map(|t| t.label().to_string()).into(),
            ],
            Body::Notice(n) => vec![
                Text(n.number.clone()),
                Text(n.batch.clone()),
                Text(n.status.as_str().into()),
                Text(n.terms.deadline.to_string()),
            ],
            Body::Zone(z) => vec![Text(z.name.clone()), Text(z.kind.as_str().into())],
        }
    }
}
