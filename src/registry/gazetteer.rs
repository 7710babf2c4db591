//! Gathering the gazetteer from the registry: the current standard names (or those in force on
//! a date), where each lies, the figures of the 概述, the street list with its door-plate
//! ranges, and the 校勘记录 from the names' history (a name that changed, with the document
//! that changed it). Approved names the naming rules still object to are no entries: they go
//! to the appendix of names under correction, or are left out, as the configuration says.

use super::{Registry, RegistryError};
use crate::gazetteer::{
    Book, Correction, Entry, NonStandard, Overview, Section, StreetPlates, UnderCorrection,
};
use crate::model::{Body, CurrentState, Layer, RecordVersion};
use crate::names::naming::{NameStatus, Naming};
use chrono::NaiveDate;
use geo::{BoundingRect, Geometry, InteriorPoint};
use std::collections::{BTreeMap, HashMap};

/// What goes in.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only names in this unit (code, any level).
    pub unit: Option<String>,
    /// Only these categories (section titles or category ids: units, streets, settlement…).
    pub categories: Vec<String>,
    /// The state on this date (default: current).
    pub as_of: Option<NaiveDate>,
}

/// The editorial parts that come from the bureau, not the registry.
#[derive(Debug, Clone, Default)]
pub struct Editorial {
    pub board: Vec<String>,
    pub preface: String,
    /// Where the city lies, for the 概述 (configuration's `gazetteer.situation`).
    pub situation: String,
    /// What becomes of approved names the rules object to.
    pub nonstandard: NonStandard,
    pub printed: NaiveDate,
}

impl Editorial {
    /// The bureau's words from the configuration, printed on `printed`.
    pub fn of(settings: &crate::config::GazetteerSettings, printed: NaiveDate) -> Self {
        Editorial {
            board: settings.board.clone(),
            preface: settings.preface.clone(),
            situation: settings.situation.clone(),
            nonstandard: settings.nonstandard,
            printed,
        }
    }
}

/// "东经…至…，北纬…至…" (the census form's 地理位置), or one point.
pub fn location(g: &Geometry<f64>) -> String {
    crate::names::naming::position_text(g).unwrap_or_default()
}

/// Each unit's name and parent code, by code.
type Units = HashMap<String, (String, Option<String>)>;

fn unit_names(state: &CurrentState) -> Units {
    state
        .layer(Layer::AdminUnit)
        .filter_map(|v| match &v.body {
            Body::AdminUnit(u) => Some((
                u.code.to_string(),
                (u.name.clone(), u.parent.map(|p| p.to_string())),
            )),
            _ => None,
        })
        .collect()
}

fn approved(n: &Naming) -> bool {
    matches!(n.status, NameStatus::Approved | NameStatus::Published)
}

/// The unit path (city down to the deepest unit) and the deepest unit's code.
fn unit_of(state: &CurrentState, units: &Units, v: &RecordVersion) -> (String, String) {
    let start = match &v.body {
        Body::AdminUnit(u) => u.parent.map(|p| p.to_string()),
        _ => v
            .geometry
            .interior_point()
            .and_then(|p| state.unit_at(p.0))
            .and_then(|u| match &u.body {
                Body::AdminUnit(u) => Some(u.code.to_string()),
                _ => None,
            }),
    };
    let mut chain = Vec::new();
    let mut code = start.clone();
    while let Some(c) = code {
        let Some((name, parent)) = units.get(&c) else {
            break;
        };
        chain.push(name.clone());
        code = parent.clone();
        if chain.len() > 6 {
            break;
        }
    }
    chain.reverse();
    let own = match &v.body {
        Body::AdminUnit(u) => u.code.to_string(),
        _ => start.unwrap_or_default(),
    };
    (chain.join(" "), own)
}

/// A locator map: the entry in red over the streets and units around it, at least 1.2 km
/// across, drawn by the print renderer as a figure.
fn locator(registry: &Registry, state: &CurrentState, v: &RecordVersion) -> Option<String> {
    use crate::publish::map::{Overlay, OverlayStyle};
    let g = crate::publish::atlas::measured(&v.geometry).ok()?;
    let r = g.bounding_rect()?;
    let mut style = OverlayStyle::area("#c0392b");
    style.fill_opacity = 0.25;
    style.width = 0.6;
    let overlay = Overlay {
        id: "entry".into(),
        legend: v.body.title(),
        style,
        features: vec![(None, g)],
    };
    let extent = crate::publish::atlas::around(r, r.width().max(r.height()) * 0.15, 1200.0, 890.0);
    crate::publish::atlas::Atlas::new(state, &registry.config().jurisdiction.name)
        .figure(extent, vec![overlay], (46.0, 34.0), "locator-map")
        .ok()
}

/// A section's entries by unit code: (unit heading, entries).
type Groups = BTreeMap<String, (String, Vec<Entry>)>;

/// A name-table row with its sort key and geometry.
type NameRow = ((u8, String, String), Vec<String>, Geometry<f64>);

impl Registry {
    /// Gathers the book. Names come from the current state, or from the versions in force on
    /// `as_of`.
    pub async fn gazetteer(
        &self,
        selection: &Selection,
        editorial: &Editorial,
    ) -> Result<Book, RegistryError> {
        // The book and the records whose history the 校勘记录 reads, gathered without holding
        // the state across an await.
        let collect = |state: &CurrentState| {
            let book = self.gather(state, selection, editorial);
            let ids: Vec<crate::record::RecordId> = state
                .records()
                .filter(|v| v.version > 1 && v.body.naming().is_some_and(approved))
                .filter(|v| {
                    book.entries()
                        .any(|e| e.key == format!("e{}", v.id.0.simple()))
                })
                .map(|v| v.id)
                .collect();
            (book, ids)
        };
        let (mut book, ids) = match selection.as_of {
            Some(date) => {
                let mut versions = Vec::new();
                for layer in Layer::ALL {
                    versions.extend(self.layer_as_of(layer, date).await?);
                }
                collect(&CurrentState::from_versions(versions))
            }
            None => collect(&self.current()),
        };
        let last = self.store.changesets(1).await?;
        book.changeset = last.first().map(|c| c.id.0.to_string());
        // 校勘记录: names that changed, from the history of the named records in the book.
        let mut corrections = Vec::new();
        for id in ids {
            let history = self.store.history(id).await?;
            for pair in history.windows(2) {
                let (before, after) = (&pair[0], &pair[1]);
                let (old, new) = (before.body.title(), after.body.title());
                if old != new {
                    let basis = match self.store.changeset(after.changeset).await? {
                        Some(c) => match c.document {
                            Some(d) => format!("{} {}（{}）", d.issuer, d.number, d.date),
                            None => c.reason,
                        },
                        None => String::new(),
                    };
                    corrections.push(Correction {
                        name: new,
                        earlier: old,
                        on: after.valid_from.to_string(),
                        basis,
                    });
                }
            }
        }
        corrections.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.name.cmp(&b.name)));
        book.corrections = corrections;
        Ok(book)
    }

    fn gather(&self, state: &CurrentState, selection: &Selection, editorial: &Editorial) -> Book {
        use crate::names::romanize::{romanize, toneless};
        let config = &self.config;
        let units = unit_names(state);
        let wanted_category = |id: &str, label: &str| {
            selection.categories.is_empty()
                || selection.categories.iter().any(|c| c == id || c == label)
        };
        let in_unit = |code: &str| {
            selection.unit.as_ref().is_none_or(|u| {
                let short = u.trim_end_matches('0');
                code.starts_with(if short.len() < 6 { u.as_str() } else { short })
            })
        };
        let tones = |name: &str| -> String {
            use pinyin::ToPinyin;
            name.chars()
                .map(|c| {
                    c.to_pinyin()
                        .map_or_else(|| c.to_string(), |p| p.with_tone_num_end().to_string())
                })
                .collect()
        };
        // The rules' objections to each name, as the names audit finds them.
        let objections: HashMap<crate::record::RecordId, Vec<crate::names::rules::Verdict>> =
            crate::queries::audit::audit(state, &self.lists, &config.rule_settings())
                .into_iter()
                .map(|row| (row.id, row.verdicts))
                .collect();
        let mut under_correction = Vec::new();
        let mut nonstandard = 0;
        let mut sections: BTreeMap<(u8, u8), (String, Groups)> = BTreeMap::new();
        for v in state.records() {
            let (naming, name, name_mn, order, category, id) = match &v.body {
                Body::AdminUnit(u) => (
                    &u.naming,
                    &u.name,
                    &u.name_mn,
                    (0, 0),
                    "行政区域".to_string(),
                    "units",
                ),
                Body::Street(s) => (
                    &s.naming,
                    &s.name,
                    &s.name_mn,
                    (1, 0),
                    "街路巷".to_string(),
                    "streets",
                ),
                Body::Place(p) => {
                    let i = crate::names::PlaceCategory::ALL
                        .iter()
                        .position(|c| *c == p.category)
                        .unwrap_or(99) as u8;
                    (
                        &p.naming,
                        &p.name,
                        &p.name_mn,
                        (2, i),
                        p.category.label().to_string(),
                        p.category.as_str(),
                    )
                }
                _ => continue,
            };
            if !approved(naming) || !wanted_category(id, &category) {
                continue;
            }
            let (unit_path, unit_code) = unit_of(state, &units, v);
            let own_code = match &v.body {
                Body::AdminUnit(u) => u.code.to_string(),
                _ => unit_code.clone(),
            };
            if !in_unit(&own_code) {
                continue;
            }
            // Errors the approval did not set aside by a document: not a standard name.
            let unresolved: Vec<String> = naming
                .unresolved(objections.get(&v.id).map_or(&[], Vec::as_slice))
                .map(|verdict| format!("{}：{}", verdict.rule.label(), verdict.explanation))
                .collect();
            if !unresolved.is_empty() {
                nonstandard += 1;
                if editorial.nonstandard == NonStandard::Appendix {
                    under_correction.push(UnderCorrection {
                        name: name.clone(),
                        category: category.clone(),
                        unit: unit_path.clone(),
                        reasons: unresolved.join("；"),
                    });
                }
                continue;
            }
            let roman = v
                .body
                .romanization(&self.lists)
                .unwrap_or_else(|| romanize(name, &self.lists, false, &naming.readings));
            // The standard form: pinyin words, or the Mongolian transcription (Erenhot).
            let romanization = roman.standard.clone();
            let map = match (&v.body, &v.geometry) {
                (Body::AdminUnit(u), _) if u.level.depth() < 2 => None,
                (_, Geometry::Point(_)) => None,
                _ => locator(self, state, v),
            };
            let approval = naming
                .approval
                .as_ref()
                .map(|d| format!("{} {}（{}）", d.issuer, d.number, d.date));
            let entry = Entry {
                key: format!("e{}", v.id.0.simple()),
                name: name.clone(),
                romanization,
                basis: roman.basis,
                pinyin: toneless(name),
                pinyin_tones: tones(name),
                name_mn: name_mn.clone(),
                category: category.clone(),
                unit: unit_path.clone(),
                unit_code: unit_code.clone(),
                location: location(&v.geometry),
                meaning: naming.meaning.clone(),
                history: naming.history.clone(),
                description: naming.description.clone(),
                approval,
                map,
            };
            let group_key = if order.0 == 0 {
                String::new()
            } else {
                unit_code.clone()
            };
            let section = sections
                .entry(order)
                .or_insert_with(|| (category.clone(), BTreeMap::new()));
            let heading = if order.0 == 0 {
                String::new()
            } else {
                unit_path.clone()
            };
            section
                .1
                .entry(group_key)
                .or_insert_with(|| (heading, Vec::new()))
                .1
                .push(entry);
        }
        let mut out_sections = Vec::new();
        for ((kind, _), (title, groups)) in sections {
            let mut gs = Vec::new();
            for (_, (heading, mut entries)) in groups {
                if kind == 0 {
                    // Units: the hierarchy (by code), each level before its children.
                    entries.sort_by(|a, b| {
                        a.unit_code
                            .cmp(&b.unit_code)
                            .then_with(|| crate::gazetteer::pinyin_order(a, b))
                    });
                } else {
                    entries.sort_by(crate::gazetteer::pinyin_order);
                }
                gs.push(((!heading.is_empty()).then_some(heading), entries));
            }
            out_sections.push(Section { title, groups: gs });
        }
        // Units sort by their own code: the entry's unit_code is the unit itself.
        // Figures.
        let mut by_level: BTreeMap<(u8, &str), usize> = BTreeMap::new();
        for v in state.layer(Layer::AdminUnit) {
            if let Body::AdminUnit(u) = &v.body {
                *by_level
                    .entry((u.level.depth(), u.level.label()))
                    .or_default() += 1;
            }
        }
        let mut by_category: Vec<(String, usize)> = out_sections
            .iter()
            .map(|s| (s.title.clone(), s.groups.iter().map(|g| g.1.len()).sum()))
            .collect();
        by_category.retain(|c| c.1 > 0);
        let city_area = state
            .layer(Layer::AdminUnit)
            .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.to_string().starts_with(&config.jurisdiction.county_code) && u.parent.is_none_or(|p| !p.to_string().starts_with(&config.jurisdiction.county_code))))
            .and_then(|v| crate::spatial::measure::area_m2(&v.geometry).ok())
            .map(|m2| m2 / 1e6);
        let overview = Overview {
            units_by_level: by_level
                .into_iter()
                .map(|((_, label), n)| (label.to_string(), n))
                .collect(),
            streets: state.count(Layer::Street),
            door_plates: state.count(Layer::DoorPlate),
            names_by_category: by_category,
            area_km2: city_area,
        };
        let mut unit_rows: Vec<(String, String, String)> = state
            .layer(Layer::AdminUnit)
            .filter_map(|v| match &v.body {
                Body::AdminUnit(u) => Some((
                    u.code.to_string(),
                    u.name.clone(),
                    u.level.label().to_string(),
                )),
                _ => None,
            })
            .collect();
        unit_rows.sort();
        // Streets and their door plates.
        let mut plates: HashMap<crate::record::RecordId, Vec<u32>> = HashMap::new();
        for v in state.layer(Layer::DoorPlate) {
            if let Body::DoorPlate(d) = &v.body {
                plates.entry(d.street).or_default().push(d.number.number());
            }
        }
        let mut streets: Vec<StreetPlates> = state
            .layer(Layer::Street)
            .filter_map(|v| match &v.body {
                Body::Street(s) if approved(&s.naming) => {
                    let numbers = plates.get(&v.id).cloned().unwrap_or_default();
                    let range = |odd: bool| {
                        let n: Vec<u32> = numbers
                            .iter()
                            .copied()
                            .filter(|n| (n % 2 == 1) == odd)
                            .collect();
                        Some((*n.iter().min()?, *n.iter().max()?))
                    };
                    let (unit, _) = unit_of(state, &units, v);
                    Some(StreetPlates {
                        name: s.name.clone(),
                        unit,
                        plates: numbers.len(),
                        odd: range(true),
                        even: range(false),
                    })
                }
                _ => None,
            })
            .collect();
        streets.sort_by(|a, b| {
            toneless(&a.name)
                .cmp(&toneless(&b.name))
                .then_with(|| a.name.cmp(&b.name))
        });
        let mut sources: Vec<String> = vec![
            format!("{}地名管理信息系统登记簿", config.jurisdiction.name),
            "国家统计局统计用区划代码和城乡划分代码（2023 年）".to_string(),
        ];
        for v in state.records() {
            if let Some(s) = v.body.naming().and_then(|n| n.sources.clone())
                && !sources.contains(&s)
            {
                sources.push(s);
            }
        }
        // Record order in memory is not stable between runs; the book must be.
        sources[2..].sort();
        let city_name = config.jurisdiction.name.clone();
        let city_mn = state.layer(Layer::AdminUnit).find_map(|v| match &v.body {
            Body::AdminUnit(u)
                if u.code.to_string().trim_end_matches('0')
                    == config.jurisdiction.county_code.trim_end_matches('0') =>
            {
                u.name_mn.clone()
            }
            _ => None,
        });
        // Record order in memory is not stable between runs; the book must be.
        under_correction.sort_by(|a, b| (&a.unit, &a.name).cmp(&(&b.unit, &b.name)));
        Book {
            title: format!("{city_name}地名志"),
            city_romanization: romanize(&city_name, &self.lists, false, &Default::default())
                .standard,
            city: city_name,
            city_mn,
            board: editorial.board.clone(),
            preface: editorial.preface.clone(),
            situation: editorial.situation.clone(),
            as_of: selection.as_of.map_or_else(
                || editorial.printed.format("%Y年%m月%d日").to_string(),
                |d| d.format("%Y年%m月%d日").to_string(),
            ),
            printed: editorial.printed.format("%Y年%m月").to_string(),
            changeset: None,
            overview,
            sections: out_sections,
            units: unit_rows,
            streets,
            sources,
            corrections: Vec::new(),
            under_correction,
            nonstandard,
            nonstandard_policy: editorial.nonstandard,
        }
    }
}

impl Registry {
    /// The name table for the provincial and national place-name databases: every current
    /// standard name (approved or published) with all its fields, in category then pinyin
    /// order; values as text, in the order of [`crate::gazetteer::NAME_COLUMNS`], with the geometry.
    pub fn name_table(&self) -> Vec<(Vec<String>, Geometry<f64>)> {
        use crate::names::naming::{NameUse, Script};
        use crate::names::romanize::{romanize, toneless};
        let state = self.current();
        let units = unit_names(&state);
        let mut rows: Vec<NameRow> = Vec::new();
        for v in state.records() {
            let (naming, name, name_mn, kind, category, order) = match &v.body {
                Body::AdminUnit(u) => (
                    &u.naming,
                    &u.name,
                    &u.name_mn,
                    "行政区域",
                    u.level.label().to_string(),
                    0u8,
                ),
                Body::Street(s) => (
                    &s.naming,
                    &s.name,
                    &s.name_mn,
                    "街路巷",
                    s.class.label().to_string(),
                    1,
                ),
                Body::Place(p) => (
                    &p.naming,
                    &p.name,
                    &p.name_mn,
                    "地名",
                    p.category.label().to_string(),
                    2 + p.category.census_number(),
                ),
                _ => continue,
            };
            if !approved(naming) {
                continue;
            }
            let (unit, unit_code) = unit_of(&state, &units, v);
            let roman = v
                .body
                .romanization(&self.lists)
                .unwrap_or_else(|| romanize(name, &self.lists, false, &naming.readings));
            let others = |u: NameUse| {
                naming
                    .other_names
                    .iter()
                    .filter(|o| o.name_use == u && o.script == Script::Chinese)
                    .map(|o| o.text.clone())
                    .collect::<Vec<_>>()
                    .join("；")
            };
            let centre = v.geometry.interior_point();
            let opt = |o: &Option<String>| o.clone().unwrap_or_default();
            let values = vec![
                v.id.to_string(),
                name.clone(),
                roman.standard.clone(),
                roman.pinyin.clone(),
                name_mn.clone().unwrap_or_default(),
                others(NameUse::Alias),
                others(NameUse::Abbreviation),
                others(NameUse::Historical),
                kind.to_string(),
                category.clone(),
                match &v.body {
                    // Streets are 城镇街巷 under 交通运输设施 in the census.
                    Body::AdminUnit(_) => {
                        crate::names::PlaceCategory::AdministrativeArea.census_number()
                    }
                    Body::Street(_) => crate::names::PlaceCategory::Transport.census_number(),
                    _ => order - 2,
                }
                .to_string(),
                unit,
                unit_code,
                location(&v.geometry),
                centre.map(|p| format!("{:.6}", p.x())).unwrap_or_default(),
                centre.map(|p| format!("{:.6}", p.y())).unwrap_or_default(),
                naming.status.label().to_string(),
                naming.named_on.map(|d| d.to_string()).unwrap_or_default(),
                naming
                    .established
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                naming.abolished.map(|y| y.to_string()).unwrap_or_default(),
                opt(&naming.meaning),
                opt(&naming.history),
                opt(&naming.description),
                opt(&naming.sources),
                naming
                    .survey
                    .map(|s| match s {
                        crate::names::naming::SurveyMethod::Surveyed => "实测",
                        crate::names::naming::SurveyMethod::FromMap => "图上量取",
                    })
                    .unwrap_or_default()
                    .to_string(),
                naming
                    .approval
                    .as_ref()
                    .map(|d| d.issuer.clone())
                    .unwrap_or_default(),
                naming
                    .approval
                    .as_ref()
                    .map(|d| d.number.clone())
                    .unwrap_or_default(),
                naming
                    .approval
                    .as_ref()
                    .map(|d| d.date.to_string())
                    .unwrap_or_default(),
                v.valid_from.to_string(),
                v.version.to_string(),
                opt(&naming.remarks),
            ];
            rows.push((
                (order, toneless(name), name.clone()),
                values,
                v.geometry.clone(),
            ));
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1[0].cmp(&b.1[0])));
        rows.into_iter().map(|(_, v, g)| (v, g)).collect()
    }
}
