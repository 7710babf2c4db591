//! The layer catalogue: one declaration per layer, from which the rest of the registry takes
//! what a layer is. The stores' tables and typed columns, the user interface's name of the
//! layer, the geometry it takes, which office writes it, who may read it, whether search
//! finds it, whether it carries photos, and the properties a CQL2 filter may name all come
//! from [`LayerSpec`]; the attributes a person reads come from the domain type's
//! [`crate::record::Describe`].
//!
//! Adding a layer: its domain type (with `Describe`), a `Layer` variant, its line in
//! `each_layer_type!` (`model/mod.rs`, from which `Body` and its dispatch are generated), its
//! declaration here, and a migration for its table.

use super::{GeometryKind, Layer};

/// The office whose officers write a layer (the administrator writes every layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Office {
    /// 区划地名科: names, streets, door plates, signs.
    Names,
    /// 界线: units, markers, lines, disputes.
    Boundaries,
    /// 殡葬: cemeteries, burials, graves.
    Burials,
}

/// Who may read a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone, the public included (records still in the naming workflow excepted).
    Public,
    /// Officers only: work in progress, costs, who holds a plot.
    Internal,
    /// Personal data (PIPL): the burial office and the administrator only.
    Personal,
}

/// What the registry knows of a layer.
#[derive(Debug)]
pub struct LayerSpec {
    pub layer: Layer,
    /// The layer's table in both stores and its name in every URL.
    pub table: &'static str,
    /// Its name in the user interface.
    pub label: &'static str,
    pub geometry: GeometryKind,
    /// Its own typed columns, in table order (after the common ones).
    pub columns: &'static [&'static str],
    pub office: Office,
    pub visibility: Visibility,
    /// Whether the name search finds its records.
    pub searchable: bool,
    /// Whether its records hold photos.
    pub photos: bool,
    /// Whether its records hold personal data under the retention rule
    /// ([`crate::cemetery::retention`]; the body's `personal()`).
    pub retention: bool,
    /// Whether an open boundary dispute freezes edits of its records inside the disputed area.
    pub frozen: bool,
    /// The columns a file imported into it may carry (beside `id`, `version`, `valid_from`);
    /// none for the records their modules' forms and commands make (inspections, orders,
    /// disputes, burials, claims, notices), and for boundary lines, derived from the units.
    pub import: &'static [&'static str],
    /// The properties a CQL2 filter may name, with their JSON types.
    pub queryables: &'static [(&'static str, &'static str)],
    /// The form its records are drawn and edited with on the map (declared by its domain type),
    /// or none for layers kept on their own pages.
    pub form: Option<fn() -> crate::record::Form>,
}

/// The bookkeeping every layer's filter may name.
const COMMON: [(&str, &str); 2] = [("valid_from", "string"), ("version", "integer")];

macro_rules! queryables {
    ($($name:literal: $kind:literal),* $(,)?) => {
        &[$(($name, $kind),)* COMMON[0], COMMON[1]]
    };
}

use GeometryKind::{Any, MultiLineString, MultiPolygon, Point};
use Office::{Boundaries, Burials, Names};
use Visibility::{Internal, Personal, Public};

/// Every layer, in the order of [`Layer::ALL`].
pub const CATALOGUE: [LayerSpec; 22] = [
    LayerSpec {
        layer: Layer::AdminUnit,
        table: "admin_units",
        label: "行政区域",
        geometry: MultiPolygon,
        columns: &["code", "name", "name_mn", "level", "parent_code"],
        office: Boundaries,
        visibility: Public,
        searchable: true,
        frozen: true,
        photos: false,
        retention: false,
        import: &["code", "name", "name_mn", "level", "parent"],
        queryables: queryables!("code": "string", "name": "string", "name_mn": "string", "level": "string", "parent": "string"),
        form: Some(crate::boundaries::AdminUnit::form),
    },
    LayerSpec {
        layer: Layer::Street,
        table: "streets",
        label: "街路巷",
        geometry: MultiLineString,
        columns: &["name", "name_mn", "class", "status"],
        office: Names,
        visibility: Public,
        searchable: true,
        frozen: true,
        photos: false,
        retention: false,
        import: &["name", "name_mn", "class", "status"],
        queryables: queryables!("name": "string", "name_mn": "string", "class": "string", "status": "string"),
        form: Some(crate::addresses::Street::form),
    },
    LayerSpec {
        layer: Layer::Place,
        table: "places",
        label: "地名",
        geometry: Any,
        columns: &["name", "name_mn", "category", "status"],
        office: Names,
        visibility: Public,
        searchable: true,
        frozen: true,
        photos: false,
        retention: false,
        import: &["name", "name_mn", "category", "status"],
        queryables: queryables!("name": "string", "name_mn": "string", "category": "string", "status": "string"),
        form: Some(crate::names::Place::form),
    },
    LayerSpec {
        layer: Layer::DoorPlate,
        table: "door_plates",
        label: "门牌",
        geometry: Point,
        columns: &["street_id", "number", "number_value"],
        office: Names,
        visibility: Public,
        searchable: true,
        frozen: true,
        photos: false,
        retention: false,
        import: &["number", "street", "street_id", "kind"],
        queryables: queryables!("number": "string", "number_value": "integer", "street": "string", "kind": "string"),
        form: Some(crate::addresses::DoorPlate::form),
    },
    LayerSpec {
        layer: Layer::Campaign,
        table: "campaigns",
        label: "门牌整编",
        geometry: MultiPolygon,
        columns: &["name", "status", "plates", "changed", "installed"],
        office: Names,
        visibility: Internal,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &[],
        queryables: queryables!("name": "string", "status": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Sign,
        table: "signs",
        label: "地名标志",
        geometry: Point,
        columns: &["code", "kind", "shows", "condition", "names_id"],
        office: Names,
        visibility: Public,
        searchable: false,
        frozen: false,
        photos: true,
        retention: false,
        import: &[
            "code",
            "kind",
            "mounting",
            "width_mm",
            "height_mm",
            "text",
            "text_mn",
            "pinyin",
            "number",
            "facing",
            "condition",
            "installed",
            "names",
        ],
        queryables: queryables!("code": "string", "kind": "string", "condition": "string", "mounting": "string", "installed": "string"),
        form: Some(crate::signs::Sign::form),
    },
    LayerSpec {
        layer: Layer::SignInspection,
        table: "sign_inspections",
        label: "标志巡查",
        geometry: Point,
        columns: &["sign_id", "date", "condition"],
        office: Names,
        visibility: Internal,
        searchable: false,
        frozen: false,
        photos: true,
        retention: false,
        import: &[],
        queryables: queryables!("sign": "string", "date": "string", "condition": "string", "inspector": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::WorkOrder,
        table: "work_orders",
        label: "标志维修工单",
        geometry: Point,
        columns: &["sign_id", "kind", "status", "cost_fen"],
        office: Names,
        visibility: Internal,
        searchable: false,
        frozen: false,
        photos: true,
        retention: false,
        import: &[],
        queryables: queryables!("sign": "string", "kind": "string", "status": "string", "cost_fen": "integer", "assignee": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Marker,
        table: "boundary_markers",
        label: "界桩",
        geometry: Point,
        columns: &["number", "kind", "units"],
        office: Boundaries,
        visibility: Public,
        searchable: false,
        frozen: true,
        photos: true,
        retention: false,
        import: &[
            "number",
            "kind",
            "units",
            "material",
            "height_m",
            "references",
            "description",
            "installed",
        ],
        queryables: queryables!("number": "string", "kind": "string", "material": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::MarkerObservation,
        table: "marker_observations",
        label: "界桩观测",
        geometry: Point,
        columns: &["marker_id", "date", "state", "offset_mm", "alert"],
        office: Boundaries,
        visibility: Internal,
        searchable: false,
        frozen: false,
        photos: true,
        retention: false,
        import: &[],
        queryables: queryables!("marker": "string", "date": "string", "state": "string", "offset_m": "number", "alert": "boolean"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Dispute,
        table: "boundary_disputes",
        label: "边界争议",
        geometry: MultiPolygon,
        columns: &["title", "status", "parties", "area_m2"],
        office: Boundaries,
        visibility: Internal,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &[],
        queryables: queryables!("title": "string", "status": "string", "area_m2": "number"),
        form: None,
    },
    LayerSpec {
        layer: Layer::BoundaryLine,
        table: "boundary_lines",
        label: "界线",
        geometry: MultiLineString,
        columns: &["left_unit", "right_unit", "legal", "technical"],
        office: Boundaries,
        visibility: Public,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &[],
        queryables: queryables!("left": "string", "right": "string", "legal": "string", "technical": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::LineInspection,
        table: "line_inspections",
        label: "界线联合检查",
        geometry: MultiLineString,
        columns: &["line_id", "date"],
        office: Boundaries,
        visibility: Internal,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &[],
        queryables: queryables!("line": "string", "date": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Agreement,
        table: "boundary_agreements",
        label: "平安边界协议",
        geometry: MultiLineString,
        columns: &["title", "parties", "renewal"],
        office: Boundaries,
        visibility: Public,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &[],
        queryables: queryables!("title": "string", "renewal": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Cemetery,
        table: "cemeteries",
        label: "公墓",
        geometry: MultiPolygon,
        columns: &["name", "kind"],
        office: Burials,
        visibility: Public,
        searchable: false,
        frozen: true,
        photos: false,
        retention: false,
        import: &["name", "kind", "operator", "address", "approval", "opened"],
        queryables: queryables!("name": "string", "kind": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::CemeterySection,
        table: "cemetery_sections",
        label: "墓区",
        geometry: MultiPolygon,
        columns: &["cemetery_id", "code"],
        office: Burials,
        visibility: Public,
        searchable: false,
        frozen: true,
        photos: false,
        retention: false,
        import: &["cemetery", "code", "name"],
        queryables: queryables!("cemetery": "string", "code": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Plot,
        table: "plots",
        label: "墓位",
        geometry: MultiPolygon,
        columns: &["section_id", "number", "kind", "status", "period_until"],
        office: Burials,
        // Plots name who holds them.
        visibility: Internal,
        searchable: false,
        frozen: true,
        photos: false,
        retention: true,
        import: &[
            "cemetery",
            "number",
            "remains",
            "occupancy",
            "status",
            "laid_out",
        ],
        queryables: queryables!("cemetery": "string", "section": "string", "number": "string", "status": "string", "laid_out": "string"),
        form: Some(crate::cemetery::Plot::form),
    },
    LayerSpec {
        layer: Layer::Burial,
        table: "burials",
        label: "殡葬登记",
        geometry: Point,
        columns: &["died", "disposition", "residence", "plot_id", "in_zone"],
        office: Burials,
        visibility: Personal,
        searchable: false,
        frozen: false,
        photos: false,
        retention: true,
        // Personal data: only what finds a record, never names or ID numbers.
        import: &[],
        queryables: queryables!("disposition": "string", "plot": "string", "in_zone": "boolean", "registered_on": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::SubsidyClaim,
        table: "subsidy_claims",
        label: "殡葬补贴",
        geometry: Point,
        columns: &["burial_id", "rule", "total_fen", "claimed_on"],
        office: Burials,
        visibility: Personal,
        searchable: false,
        frozen: false,
        photos: false,
        retention: true,
        import: &[],
        queryables: queryables!("burial": "string", "rule": "string", "total_fen": "integer", "claimed_on": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Grave,
        table: "graves",
        label: "散埋坟墓",
        geometry: Point,
        columns: &["number", "kind", "treatment"],
        office: Burials,
        visibility: Personal,
        searchable: false,
        frozen: true,
        photos: true,
        retention: true,
        import: &[
            "number",
            "kind",
            "area_m2",
            "buried",
            "owner",
            "owner_phone",
            "treatment",
            "surveyed",
            "notes",
        ],
        queryables: queryables!("number": "string", "kind": "string", "treatment": "string", "surveyed": "string"),
        form: Some(crate::cemetery::Grave::form),
    },
    LayerSpec {
        layer: Layer::Notice,
        table: "relocation_notices",
        label: "迁坟告知书",
        geometry: Point,
        columns: &["number", "batch", "status", "deadline"],
        office: Burials,
        visibility: Personal,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &[],
        queryables: queryables!("number": "string", "batch": "string", "status": "string", "grave": "string"),
        form: None,
    },
    LayerSpec {
        layer: Layer::Zone,
        table: "zones",
        label: "殡葬区划",
        geometry: MultiPolygon,
        columns: &["name", "kind"],
        office: Burials,
        visibility: Public,
        searchable: false,
        frozen: false,
        photos: false,
        retention: false,
        import: &["name", "kind", "basis"],
        queryables: queryables!("name": "string", "kind": "string"),
        form: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_declares_every_layer_once_in_order() {
        for (i, layer) in Layer::ALL.iter().enumerate() {
            assert_eq!(CATALOGUE[i].layer, *layer);
            assert_eq!(layer.spec().layer, *layer);
        }
        let tables: std::collections::HashSet<&str> = CATALOGUE.iter().map(|s| s.table).collect();
        assert_eq!(tables.len(), CATALOGUE.len());
    }
}
