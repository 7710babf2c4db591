//! Features read from a file, against the registry: which records they create, which they
//! change, which they leave as they are, and which are refused and why. Nothing here writes:
//! the caller commits the changeset only when nothing was refused (all or nothing).
//!
//! Columns (after `--map src=dst`, names compared without case):
//! - every layer: `id` (an existing record: the feature updates it), `version` (then it must be
//!   the current one, or the feature is stale), `valid_from`;
//! - `streets`: `name` (required), `name_mn`, `class` (code or 主干路/次干路/支路/巷; default
//!   支路), `status`;
//! - `places`: `name`, `category` (required; code or census name), `name_mn`, `status`;
//! - `door_plates`: `number` (required), `street` (its standard name) or `street_id`, `kind`;
//! - `admin_units`: `code`, `name`, `level` (required), `name_mn`, `parent`;
//! - `boundary_markers`: `number`, `kind`, `units` (division codes separated by `;`),
//!   `material`, `height_m`, `references` (`名称,方位角,距离;…`) (required), `description`,
//!   `installed`;
//! - `cemeteries`: `name`, `kind`, `operator` (required), `address`, `approval`, `opened`;
//! - `cemetery_sections`: `cemetery` (its id or name), `code` (required), `name`;
//! - `plots`: `cemetery` (id or name), `number` (区-排-号: its section is the one with the first
//!   part as code), `remains`, `occupancy` (required), `status` (default available),
//!   `laid_out` (default `valid_from`);
//! - `graves`: `number`, `kind`, `surveyed` (required), `area_m2`, `buried`, `owner`,
//!   `owner_phone` (a masked number leaves the registered one), `treatment`, `notes`;
//! - `zones`: `name`, `kind` (required), `basis`;
//! - `signs`: `code`, `kind`, `mounting`, `width_mm`, `height_mm`, `text` (required), `text_mn`,
//!   `pinyin`, `number`, `facing`, `condition`, `installed`, `names` (record ids separated by
//!   `;`; a new sign without them names the street or place whose standard name it shows).
//!
//! A sign's code, a marker's or a grave's number, a cemetery's name and a section's code in its
//! cemetery that another record already has are refused (as door numbers are).
//!
//! Codes may be given by their Chinese names (硬化大墓, 水源保护区, 骨灰, 单穴…). In the layers
//! after `admin_units` an empty cell means no value. Plots are also checked as laid out: those
//! the cemetery check would find at fault once imported are refused.
//!
//! Other columns are listed in the report as ignored. A feature that matches its record in
//! every imported attribute and in geometry (within 1e-9°, about 0.1 mm) is unchanged, so an
//! export imported again writes nothing.

mod prepare;

use super::RawFeature;
use crate::model::{Body, Changeset, CurrentState, Layer, RecordVersion, Write};
use crate::record::{ApprovalDocument, RecordId};
use crate::spatial::{self, Extent};
use chrono::NaiveDate;
use prepare::*;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeSet, HashMap};

/// Columns each layer understands (its declaration's import columns; none for the records
/// that their modules' forms and commands make).
pub fn columns(layer: Layer) -> &'static [&'static str] {
    layer.spec().import
}

const COMMON: &[&str] = &["id", "version", "valid_from"];

/// Why one feature is refused.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Refused {
    pub row: usize,
    pub reason: String,
}

/// What an import would do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    #[schema(value_type = String)]
    pub layer: Layer,
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: Vec<Refused>,
    pub ignored_columns: Vec<String>,
    #[serde(skip)]
    pub writes: Vec<Write>,
    /// The file's row of each write.
    #[serde(skip)]
    rows: Vec<usize>,
    /// The approval document the import cites (the changeset's).
    #[serde(skip)]
    document: Option<ApprovalDocument>,
}

/// Plans an import of `features` into `layer` under `config` (the jurisdiction's extent, the
/// plot size limits). `map` renames source columns; `today` is the default `valid_from`;
/// `document` is the approval the import cites, under which the file's names may be
/// registered as approved or published (without one they may only be proposed). Each feature
/// is made into a record on all cores; the checks against
/// the registry's door numbers and the file's other features then run in the file's order, so
/// that the report is the same however the work was shared.
pub fn plan(
    current: &CurrentState,
    layer: Layer,
    features: &[RawFeature],
    map: &[(String, String)],
    config: &crate::config::Config,
    today: NaiveDate,
    document: Option<&ApprovalDocument>,
) -> Report {
    let extent = &config.jurisdiction.extent;
    let mut report = Report {
        layer,
        read: features.len(),
        created: 0,
        updated: 0,
        unchanged: 0,
        refused: Vec::new(),
        ignored_columns: Vec::new(),
        writes: Vec::new(),
        rows: Vec::new(),
        document: document.cloned(),
    };
    if columns(layer).is_empty() {
        report.refused.push(Refused {
            row: 0,
            reason: format!("“{}”不能从文件导入", layer.label()),
        });
        return report;
    }
    if let Some(reason) = too_large(features, &config.server.limits) {
        report.refused.push(Refused { row: 0, reason });
        return report;
    }
    let mut preparing = Preparing {
        current,
        layer,
        map,
        extent,
        today,
        document,
        known: columns(layer).iter().chain(COMMON).copied().collect(),
        streets: if layer == Layer::DoorPlate {
            let mut m: HashMap<String, Vec<RecordId>> = HashMap::new();
            for v in current.layer(Layer::Street) {
                m.entry(v.body.title()).or_default().push(v.id);
            }
            m
        } else {
            HashMap::new()
        },
        cemeteries: HashMap::new(),
        sections: HashMap::new(),
        named_records: HashMap::new(),
    };
    if layer == Layer::Sign {
        for v in current
            .layer(Layer::Street)
            .chain(current.layer(Layer::Place))
        {
            preparing
                .named_records
                .entry(v.body.title())
                .or_default()
                .push(v.id);
        }
    }
    if matches!(layer, Layer::Plot | Layer::CemeterySection) {
        for v in current.layer(Layer::Cemetery) {
            preparing
                .cemeteries
                .entry(v.body.title())
                .or_default()
                .push(v.id);
        }
        for v in current.layer(Layer::CemeterySection) {
            if let Body::CemeterySection(s) = &v.body {
                preparing
                    .sections
                    .insert((s.cemetery, s.code.clone()), v.id);
            }
        }
    }
    let prepared: Vec<_> = features.par_iter().map(|f| preparing.prepare(f)).collect();
    // Door numbers already in use, per street, and those taken by this file.
    let mut taken: HashMap<(RecordId, String), Vec<RecordId>> = HashMap::new();
    if layer == Layer::DoorPlate {
        for v in current.layer(Layer::DoorPlate) {
            if let Body::DoorPlate(d) = &v.body {
                taken
                    .entry((d.street, d.number.to_string()))
                    .or_default()
                    .push(v.id);
            }
        }
    }
    let mut idents: HashMap<String, Vec<RecordId>> = HashMap::new();
    for v in current.layer(layer) {
        if let Some((_, key, _)) = identifier(&v.body) {
            idents.entry(key).or_default().push(v.id);
        }
    }
    // The file's other columns, named once however many features have them (borrowed: an
    // import of 100,000 features made and dropped two strings a feature for them).
    let mut ignored: BTreeSet<&str> = BTreeSet::new();
    let mut seen_ids = BTreeSet::new();
    report.writes.reserve(features.len());
    for (f, (result, unknown)) in features.iter().zip(prepared) {
        ignored.extend(unknown);
        let refuse = |reason: String| Refused { row: f.row, reason };
        let Prepared {
            valid_from,
            existing,
            id: given_id,
            body,
            geometry,
        } = match result {
            Ok(p) => p,
            Err(reason) => {
                report.refused.push(refuse(reason));
                continue;
            }
        };
        // Duplicates: a door number taken on its street by another record. Only a new or a
        // renumbered plate is checked: numbers that were already doubled in the registry are
        // for `diming numbering check`, not a reason to refuse an unchanged feature.
        let plate_key = match &body {
            Body::DoorPlate(d) => Some((d.street, d.number.to_string())),
            _ => None,
        };
        if let (Body::DoorPlate(d), Some(key)) = (&body, &plate_key) {
            let me = existing.map(|v| v.id);
            let moved = match existing.map(|v| &v.body) {
                Some(Body::DoorPlate(old)) => old.street != d.street || old.number != d.number,
                _ => true,
            };
            let other = taken
                .get(key)
                .and_then(|ids| ids.iter().find(|id| Some(**id) != me));
            if let (true, Some(other)) = (moved, other) {
                report.refused.push(refuse(format!(
                    "门牌号重复：该街路巷已有 {}（记录 {other}）",
                    d.number
                )));
                continue;
            }
        }
        // The same for the identifiers of signs, markers, graves, cemeteries and sections.
        let ident = identifier(&body);
        if let Some((what, key, shown)) = &ident {
            let me = existing.map(|v| v.id);
            let renamed =
                existing.is_none_or(|v| identifier(&v.body).map(|i| i.1) != Some(key.clone()));
            let other = idents
                .get(key)
                .and_then(|ids| ids.iter().find(|id| Some(**id) != me));
            if let (true, Some(other)) = (renamed, other) {
                report
                    .refused
                    .push(refuse(format!("{what}“{shown}”重复：已有记录 {other}")));
                continue;
            }
        }
        let ident = ident.map(|i| i.1);
        match existing {
            Some(v) => {
                if !seen_ids.insert(v.id) {
                    report
                        .refused
                        .push(refuse(format!("记录 {} 在文件中出现了两次", v.id)));
                    continue;
                }
                if v.body == body && same_geometry(&v.geometry, &geometry) {
                    report.unchanged += 1;
                    continue;
                }
                if v.body.naming().is_some() && v.body.title() != body.title() {
                    report.refused.push(refuse(format!(
                        "“{}”改为“{}”是更名：须走地名审批流程（diming names）",
                        v.body.title(),
                        body.title()
                    )));
                    continue;
                }
                if let Some(key) = plate_key {
                    taken.entry(key).or_default().push(v.id);
                }
                if let Some(key) = ident {
                    idents.entry(key).or_default().push(v.id);
                }
                report.updated += 1;
                report.rows.push(f.row);
                report.writes.push(Write::Update {
                    id: v.id,
                    base_version: v.version,
                    valid_from: valid_from.max(v.valid_from),
                    body,
                    geometry,
                });
            }
            None => {
                let id = given_id.unwrap_or_default();
                if !seen_ids.insert(id) {
                    report
                        .refused
                        .push(refuse(format!("记录 {id} 在文件中出现了两次")));
                    continue;
                }
                if let Some(key) = plate_key {
                    taken.entry(key).or_default().push(id);
                }
                if let Some(key) = ident {
                    idents.entry(key).or_default().push(id);
                }
                report.created += 1;
                report.rows.push(f.row);
                report.writes.push(Write::Create {
                    id,
                    valid_from,
                    body,
                    geometry,
                });
            }
        }
    }
    report.ignored_columns = ignored.into_iter().map(str::to_string).collect();
    report.check_plots(current, &config.cemetery.plot_limits);
    report
}

impl Report {
    /// The changeset to commit, when nothing was refused and something changes. The writes
    /// move into it (an import's 100,000 are not copied); the report keeps its counts.
    pub fn take_changeset(&mut self, author: &str, reason: &str) -> Option<Changeset> {
        if !self.refused.is_empty() || self.writes.is_empty() {
            return None;
        }
        let mut cs = Changeset::new(author, reason);
        cs.document = self.document.clone();
        cs.writes = std::mem::take(&mut self.writes);
        self.rows.clear();
        Some(cs)
    }

    /// Refuses the plots that `diming cemetery check` would find at fault once imported and
    /// does not find at fault now: outside their section, overlapping another plot, larger than
    /// the limit in force when they were laid out, a number used twice in their section. A
    /// surveyor's layout with a mistake is refused where the mistake is, before it is written;
    /// faults the registry already had are left to the check's report.
    fn check_plots(&mut self, current: &CurrentState, limits: &[crate::cemetery::check::Limit]) {
        use crate::cemetery::check::{Finding, Rule, check};
        if self.layer != Layer::Plot || self.writes.is_empty() {
            return;
        }
        let key = |f: &Finding| {
            let mut records = f.records.clone();
            records.sort();
            (f.rule, records)
        };
        let layers = [
            Layer::Cemetery,
            Layer::CemeterySection,
            Layer::Plot,
            Layer::Burial,
        ];
        let mut versions: HashMap<RecordId, RecordVersion> = layers
            .iter()
            .flat_map(|l| current.layer(*l))
            .map(|v| (v.id, v.clone()))
            .collect();
        let before: BTreeSet<_> = check(
            &CurrentState::from_versions(versions.values().cloned()),
            limits,
        )
        .iter()
        .map(key)
        .collect();
        let mut written: HashMap<RecordId, usize> = HashMap::new();
        for (i, w) in self.writes.iter().enumerate() {
            let (Write::Create {
                id,
                valid_from,
                body,
                geometry,
            }
            | Write::Update {
                id,
                valid_from,
                body,
                geometry,
                ..
            }) = w
            else {
                continue;
            };
            written.insert(*id, i);
            let base = versions.get(id).map_or(0, |v| v.version);
            versions.insert(
                *id,
                RecordVersion {
                    id: *id,
                    version: base + 1,
                    valid_from: *valid_from,
                    valid_to: None,
                    recorded_at: chrono::Utc::now(),
                    superseded_at: None,
                    changeset: crate::record::ChangesetId(uuid::Uuid::nil()),
                    retired: false,
                    body: body.clone(),
                    geometry: geometry.clone(),
                },
            );
        }
        let mut faults: std::collections::BTreeMap<usize, String> = Default::default();
        for f in check(&CurrentState::from_versions(versions.into_values()), limits) {
            let layout = matches!(
                f.rule,
                Rule::TooLarge | Rule::OutsideSection | Rule::Overlap | Rule::DuplicateNumber
            );
            if !layout || before.contains(&key(&f)) {
                continue;
            }
            for id in &f.records {
                if let Some(i) = written.get(id) {
                    faults.entry(*i).or_insert_with(|| f.message.clone());
                }
            }
        }
        for (i, reason) in faults.into_iter().rev() {
            match self.writes.remove(i) {
                Write::Create { .. } => self.created -= 1,
                _ => self.updated -= 1,
            }
            let row = self.rows.remove(i);
            self.refused.push(Refused { row, reason });
        }
        self.refused.sort_by_key(|r| r.row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GeometryKind;
    use geo::{Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};

    /// A geometry of `layer`'s kind in the middle of Erenhot.
    fn geometry(layer: Layer) -> Geometry<f64> {
        let (x, y) = (111.97, 43.65);
        let ring = LineString::from(vec![
            (x, y),
            (x + 0.0001, y),
            (x + 0.0001, y + 0.0001),
            (x, y + 0.0001),
            (x, y),
        ]);
        match layer.geometry_kind() {
            GeometryKind::Point | GeometryKind::Any => Point::new(x, y).into(),
            GeometryKind::MultiLineString => {
                MultiLineString(vec![LineString::from(vec![(x, y), (x + 0.001, y)])]).into()
            }
            GeometryKind::MultiPolygon => MultiPolygon(vec![Polygon::new(ring, vec![])]).into(),
        }
    }

    /// Whatever an officer's spreadsheet holds in whichever column, every importable layer
    /// answers with a report: refused rows with their reasons, never a crash (a plot row
    /// without its kind once panicked on a missing key).
    #[test]
    fn odd_cells_in_every_column_are_refused_or_taken_never_a_crash() {
        let config = crate::config::Config::erenhot();
        let current = CurrentState::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let values = [
            "",
            " ",
            "x",
            "0",
            "-1",
            "1e309",
            "NaN",
            "1.5",
            "a;b",
            "；",
            "水井,45",
            "水井,45,12.5",
            "C-1-1",
            "C--",
            "2026-13-45",
            "01a2413d-582e-7048-9595-fa307e162f15",
            "立杆",
            "火葬区",
            "138****5678",
        ];
        for layer in Layer::ALL.into_iter().filter(|l| !columns(*l).is_empty()) {
            let mut features = Vec::new();
            // The same cell in every column (all empty, all "x"…).
            for value in values {
                features.push(RawFeature {
                    row: features.len() + 1,
                    fields: columns(layer)
                        .iter()
                        .map(|c| (c.to_string(), value.to_string()))
                        .collect(),
                    geometry: Some(geometry(layer)),
                });
            }
            // One odd cell among ordinary ones.
            for column in columns(layer).iter().chain(COMMON) {
                for value in values {
                    let mut fields: std::collections::BTreeMap<String, String> = columns(layer)
                        .iter()
                        .map(|c| (c.to_string(), "1".to_string()))
                        .collect();
                    fields.insert(column.to_string(), value.to_string());
                    features.push(RawFeature {
                        row: features.len() + 1,
                        fields,
                        geometry: Some(geometry(layer)),
                    });
                }
            }
            let report = plan(&current, layer, &features, &[], &config, today, None);
            assert_eq!(
                report.created + report.updated + report.unchanged + report.refused.len(),
                features.len(),
                "{layer:?}: every row is accounted for"
            );
            assert!(
                report
                    .refused
                    .iter()
                    .all(|r| !r.reason.is_empty() && r.row >= 1),
                "{layer:?}"
            );
        }
    }
}
