//! Signs on the registry: what each sign should show (from the approved record it names), the
//! conformance report, the work orders a rename or a renumbering drafts in the same changeset,
//! inspections and the steps of a work order.

use super::{Registry, RegistryError};
use crate::model::{Body, CurrentState, Layer, RecordVersion, Variant, Write};
use crate::names::WordLists;
use crate::names::romanize::romanize;
use crate::record::{ChangesetId, RecordId};
use crate::signs::{
    Condition, Expected, Inspection, Sign, SignKind, SignReport, SignSummary, WorkKind, WorkOrder,
    WorkStatus,
};
use chrono::NaiveDate;
use geo::Geometry;
use std::collections::{BTreeMap, BTreeSet};

/// A door number as a plate shows it: without the final 号.
fn plate_number(n: &crate::addresses::DoorNumber) -> String {
    let s = n.to_string();
    s.strip_suffix('号').unwrap_or(&s).to_string()
}

/// The current sign with this number (in any case, as typed in the field) or record id.
pub fn find<'a>(state: &'a CurrentState, key: &str) -> Option<(&'a RecordVersion, &'a Sign)> {
    let key = key.trim();
    state
        .versions::<Sign>()
        .find(|(v, s)| s.code.eq_ignore_ascii_case(key) || v.id.to_string() == key)
}

/// What a sign naming `record` should show, from the record's current version.
pub fn expected(state: &CurrentState, lists: &WordLists, record: RecordId) -> Option<Expected> {
    let v = state.get(&record)?;
    let (name, mn, readings, number) = match &v.body {
        Body::Street(s) => (s.name.clone(), s.name_mn.clone(), &s.naming.readings, None),
        Body::Place(p) => (p.name.clone(), p.name_mn.clone(), &p.naming.readings, None),
        Body::AdminUnit(u) => (u.name.clone(), u.name_mn.clone(), &u.naming.readings, None),
        Body::DoorPlate(d) => {
            let Some(Body::Street(s)) = state.get(&d.street).map(|s| &s.body) else {
                return None;
            };
            (
                s.name.clone(),
                s.name_mn.clone(),
                &s.naming.readings,
                Some(plate_number(&d.number)),
            )
        }
        _ => return None,
    };
    // The named record: a door plate shows its street's name.
    let named = match &v.body {
        Body::DoorPlate(d) => &state.get(&d.street)?.body,
        body => body,
    };
    let pinyin = named
        .romanization(lists)
        .map_or_else(|| romanize(&name, lists, false, readings).sign, |r| r.sign);
    Some(Expected {
        record,
        zh: name,
        mn,
        pinyin,
        number,
    })
}

fn point(g: &Geometry<f64>) -> (f64, f64) {
    match g {
        Geometry::Point(p) => (p.x(), p.y()),
        _ => (f64::NAN, f64::NAN),
    }
}

/// Codes of the unit at `v` and of every unit above it.
fn unit_chain(state: &CurrentState, v: &RecordVersion) -> (Option<(String, String)>, Vec<String>) {
    let (x, y) = point(&v.geometry);
    let Some(unit) = state.unit_at(geo::coord! {x: x, y: y}) else {
        return (None, Vec::new());
    };
    let Body::AdminUnit(u) = &unit.body else {
        return (None, Vec::new());
    };
    let mut codes = vec![u.code.to_string()];
    let mut parent = u.parent;
    while let Some(p) = parent {
        codes.push(p.to_string());
        parent = state.layer(Layer::AdminUnit).find_map(|r| match &r.body {
            Body::AdminUnit(a) if a.code == p => a.parent,
            _ => None,
        });
    }
    (Some((u.name.clone(), u.code.to_string())), codes)
}

/// Checks every current sign (in `unit`, by division code, if given), in code order.
pub fn check_all(state: &CurrentState, lists: &WordLists, unit: Option<&str>) -> Vec<SignReport> {
    let mut out: Vec<SignReport> = state
        .versions::<Sign>()
        .filter_map(|(v, sign)| {
            let (here, codes) = unit_chain(state, v);
            if let Some(code) = unit
                && !codes.iter().any(|c| c == code)
            {
                return None;
            }
            let want = sign.names.first().and_then(|r| expected(state, lists, *r));
            let (lon, lat) = point(&v.geometry);
            Some(SignReport {
                id: v.id,
                code: sign.code.clone(),
                kind: sign.kind,
                kind_label: sign.kind.label(),
                condition: sign.condition,
                unit: here.as_ref().map(|h| h.0.clone()),
                unit_code: here.map(|h| h.1),
                lon,
                lat,
                shows: sign.shows.clone(),
                findings: crate::signs::check(sign, want.as_ref()),
            })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// The text a record gives the signs that name it: name, Mongolian form, number.
fn shown_by(body: &Body, state: &CurrentState) -> Option<(String, Option<String>, Option<String>)> {
    match body {
        Body::Street(s) => Some((s.name.clone(), s.name_mn.clone(), None)),
        Body::Place(p) => Some((p.name.clone(), p.name_mn.clone(), None)),
        Body::AdminUnit(u) => Some((u.name.clone(), u.name_mn.clone(), None)),
        Body::DoorPlate(d) => {
            let street = state
                .get(&d.street)
                .and_then(|s| shown_by(&s.body, state))?;
            Some((street.0, street.1, Some(plate_number(&d.number))))
        }
        _ => None,
    }
}

/// Work orders drafted for the signs a changeset makes wrong: a renamed street, place or unit
/// (its signs, and the building and door plates of a renamed street), a renumbered plate.
/// Signs that already have an open replacement order, or that the changeset itself rewrites,
/// are left alone.
pub fn follow_up(state: &CurrentState, writes: &[Write]) -> Vec<Write> {
    // Records whose shown text changes: what changed, and from when.
    let mut changed: BTreeMap<RecordId, (String, NaiveDate)> = BTreeMap::new();
    for w in writes {
        let Write::Update {
            id,
            body,
            valid_from,
            ..
        } = w
        else {
            continue;
        };
        let Some(old) = state.get(id) else { continue };
        let (Some(before), Some(after)) = (shown_by(&old.body, state), shown_by(body, state))
        else {
            continue;
        };
        if before != after {
            let what = match (&before.2, &after.2) {
                (Some(a), Some(b)) if a != b => format!("门牌号 {a} 改为 {b}"),
                _ if before.0 != after.0 => format!("{} 更名为 {}", before.0, after.0),
                _ => format!("{} 的蒙古文名称变更", after.0),
            };
            changed.insert(*id, (what, *valid_from));
        }
    }
    if changed.is_empty() {
        return Vec::new();
    }
    // A street's new name reaches the plates that show it.
    let streets: Vec<RecordId> = changed
        .keys()
        .filter(|id| state.get(id).is_some_and(|v| v.layer() == Layer::Street))
        .copied()
        .collect();
    if !streets.is_empty() {
        for v in state.layer(Layer::DoorPlate) {
            if let Body::DoorPlate(d) = &v.body
                && streets.contains(&d.street)
            {
                let why = changed[&d.street].clone();
                changed.entry(v.id).or_insert(why);
            }
        }
    }
    let rewritten: BTreeSet<RecordId> = writes.iter().map(Write::id).collect();
    let replacing: BTreeSet<RecordId> = state
        .layer(Layer::WorkOrder)
        .filter_map(|v| match &v.body {
            Body::WorkOrder(o) if o.status.is_open() && o.kind == WorkKind::Replace => Some(o.sign),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (v, sign) in state.versions::<Sign>() {
        if rewritten.contains(&v.id) || replacing.contains(&v.id) {
            continue;
        }
        let Some((why, on)) = sign.names.iter().find_map(|r| changed.get(r)).cloned() else {
            continue;
        };
        out.push(Write::Create {
            id: RecordId::new(),
            valid_from: on,
            body: Body::from(WorkOrder::new(
                v.id,
                WorkKind::Replace,
                WorkStatus::Draft,
                format!("renamed: {why}，标志 {} 须更换", sign.code),
                on,
            )),
            geometry: v.geometry.clone(),
        });
    }
    out
}

/// The state of the sign register: counts by condition, kind and unit; the lightbox signs;
/// work orders and their cost.
pub fn summary(state: &CurrentState, reports: &[SignReport]) -> SignSummary {
    let mut s = SignSummary {
        signs: reports.len(),
        ..Default::default()
    };
    for r in reports {
        *s.by_condition.entry(r.condition.label()).or_default() += 1;
        *s.by_kind.entry(r.kind.label()).or_default() += 1;
        let unit = s
            .by_unit
            .entry(r.unit.clone().unwrap_or_else(|| "（未落入单位）".into()))
            .or_default();
        unit.0 += 1;
        if r.condition != Condition::Good {
            unit.1 += 1;
        }
        if r.kind == SignKind::Lightbox {
            s.lightbox.0 += 1;
            if r.condition == Condition::Good {
                s.lightbox.1 += 1;
            }
            if !r.findings.is_empty() {
                s.lightbox.2 += 1;
            }
        }
    }
    let signs: BTreeSet<RecordId> = reports.iter().map(|r| r.id).collect();
    for v in state.layer(Layer::WorkOrder) {
        let Body::WorkOrder(o) = &v.body else {
            continue;
        };
        if !signs.contains(&o.sign) {
            continue;
        }
        if o.status.is_open() {
            s.open_orders += 1;
            s.open_cost_fen += o.cost_fen.unwrap_or(0);
            *s.orders_by_kind.entry(o.kind.label()).or_default() += 1;
        } else if o.status == WorkStatus::Done {
            s.done_orders += 1;
            s.done_cost_fen += o.cost_fen.unwrap_or(0);
        }
    }
    s
}

impl Registry {
    /// The current sign `id` and where it stands.
    fn current_sign(
        &self,
        id: RecordId,
    ) -> Result<(crate::signs::Sign, Geometry<f64>), RegistryError> {
        match self.current().version::<Sign>(&id) {
            Some((v, s)) => Ok((s.clone(), v.geometry.clone())),
            None => Err(crate::model::ChangesetError::NotFound(id).into()),
        }
    }

    /// The conformance report over the current signs.
    /// Kept until a sign or a record whose name or number signs show changes.
    pub fn check_signs(&self, unit: Option<&str>) -> std::sync::Arc<Vec<SignReport>> {
        self.derived(
            &format!("signs.check/{}", unit.unwrap_or("")),
            &[
                Sign::LAYER,
                Layer::AdminUnit,
                Layer::Street,
                Layer::Place,
                Layer::DoorPlate,
            ],
            |state| check_all(state, &self.lists, unit),
        )
    }

    /// Records an inspection of `sign` and brings the sign's condition (and photos) up to
    /// date, in one changeset; a sign found in bad condition gets an open work order unless it
    /// already has one of that kind.
    pub async fn inspect_sign(
        &self,
        author: &str,
        sign: RecordId,
        base_version: u32,
        inspection: Inspection,
    ) -> Result<ChangesetId, RegistryError> {
        let (current, geometry) = self.current_sign(sign)?;
        let orders: Vec<WorkKind> = {
            let state = self.current();
            state
                .layer(Layer::WorkOrder)
                .filter_map(|o| match &o.body {
                    Body::WorkOrder(o) if o.sign == sign && o.status.is_open() => Some(o.kind),
                    _ => None,
                })
                .collect()
        };
        let mut next = current.clone();
        next.condition = inspection.condition;
        next.photos.extend(inspection.photos.iter().cloned());
        let on = inspection.date;
        let mut cs = crate::model::Changeset::new(
            author,
            format!(
                "标志巡查：{} {}",
                current.code,
                inspection.condition.label()
            ),
        );
        cs.push(Write::Create {
            id: RecordId::new(),
            valid_from: on,
            body: Body::from(inspection.clone()),
            geometry: geometry.clone(),
        });
        if next != current {
            cs.push(Write::Update {
                id: sign,
                base_version,
                valid_from: on,
                body: next.into(),
                geometry: geometry.clone(),
            });
        }
        if let Some(kind) = inspection.condition.remedy()
            && !orders.contains(&kind)
        {
            cs.push(Write::Create {
                id: RecordId::new(),
                valid_from: on,
                body: Body::from(WorkOrder::new(
                    sign,
                    kind,
                    WorkStatus::Open,
                    format!("condition.{}", inspection.condition.as_str()),
                    on,
                )),
                geometry,
            });
        }
        self.commit(cs).await
    }
}

/// A change to a work order: fields to set and the status to move to.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderChange {
    #[serde(default)]
    pub status: Option<WorkStatus>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub cost_fen: Option<i64>,
    #[serde(default)]
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub done_photo: Option<String>,
}

impl Registry {
    /// Opens a work order for a sign by hand.
    pub async fn open_work_order(
        &self,
        author: &str,
        sign: RecordId,
        kind: WorkKind,
        reason: &str,
        cost_fen: Option<i64>,
        on: NaiveDate,
    ) -> Result<(RecordId, ChangesetId), RegistryError> {
        let (current, geometry) = self.current_sign(sign)?;
        let code = current.code;
        let id = RecordId::new();
        let mut cs = crate::model::Changeset::new(
            author,
            format!("标志 {code} 开具{}工单：{reason}", kind.label()),
        );
        cs.push(Write::Create {
            id,
            valid_from: on,
            body: Body::from(WorkOrder {
                cost_fen,
                ..WorkOrder::new(sign, kind, WorkStatus::Open, reason.to_string(), on)
            }),
            geometry,
        });
        Ok((id, self.commit(cs).await?))
    }

    /// Opens a work order for every sign with findings (in `unit`, if given) that has no
    /// open order of the kind its findings call for. Returns how many were opened.
    pub async fn orders_from_findings(
        &self,
        author: &str,
        unit: Option<&str>,
        on: NaiveDate,
    ) -> Result<usize, RegistryError> {
        let reports = self.check_signs(unit);
        let mut cs = crate::model::Changeset::new(author, "依据标志核查结果开具维修工单");
        {
            let state = self.current();
            let open: BTreeSet<(RecordId, WorkKind)> = state
                .layer(Layer::WorkOrder)
                .filter_map(|v| match &v.body {
                    Body::WorkOrder(o) if o.status.is_open() => Some((o.sign, o.kind)),
                    _ => None,
                })
                .collect();
            for r in reports.iter() {
                let kinds: BTreeSet<WorkKind> =
                    r.findings.iter().map(|f| f.rule.remedy()).collect();
                // A new face also cures dirt and fading: one replacement order is enough.
                let kinds: Vec<WorkKind> = if kinds.contains(&WorkKind::Replace) {
                    vec![WorkKind::Replace]
                } else {
                    kinds.into_iter().collect()
                };
                for kind in kinds {
                    if open.contains(&(r.id, kind)) {
                        continue;
                    }
                    let reason: Vec<&str> = r
                        .findings
                        .iter()
                        .filter(|f| f.rule.remedy() == kind || kind == WorkKind::Replace)
                        .map(|f| f.rule.id())
                        .collect();
                    let Some(v) = state.get(&r.id) else { continue };
                    cs.push(Write::Create {
                        id: RecordId::new(),
                        valid_from: on,
                        body: Body::from(WorkOrder::new(
                            r.id,
                            kind,
                            WorkStatus::Open,
                            reason.join(", "),
                            on,
                        )),
                        geometry: v.geometry.clone(),
                    });
                }
            }
        }
        let n = cs.writes.len();
        if n > 0 {
            self.commit(cs).await?;
        }
        Ok(n)
    }

    /// Changes a work order (at `base_version`): assignee, cost, completion photo, status.
    /// A finished order with a photo also brings the sign back to good condition, in the same
    /// changeset.
    pub async fn change_work_order(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        change: OrderChange,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (order, geometry, sign) = {
            let state = self.current();
            let (v, o) = state
                .version::<WorkOrder>(&id)
                .ok_or(crate::model::ChangesetError::NotFound(id))?;
            let sign = state
                .version::<Sign>(&o.sign)
                .map(|(s, b)| (s.id, s.version, b.clone(), s.geometry.clone()));
            (o.clone(), v.geometry.clone(), sign)
        };
        let mut next = order.clone();
        if let Some(a) = change.assignee {
            next.assignee = Some(a);
        }
        if let Some(c) = change.cost_fen {
            if c < 0 {
                return Err(RegistryError::Invalid("费用不能为负数".into()));
            }
            next.cost_fen = Some(c);
        }
        if let Some(p) = change.done_photo {
            if !self.store.has_attachment(&p).await? {
                return Err(RegistryError::Invalid(format!(
                    "附件 {p} 不存在，请先上传照片"
                )));
            }
            next.done_photo = Some(p);
        }
        if let Some(status) = change.status
            && status != order.status
        {
            next = next
                .moved(status, on)
                .map_err(|e| RegistryError::Invalid(e.to_string()))?;
        }
        let mut cs = crate::model::Changeset::new(
            author,
            format!(
                "标志维修工单：{}（{}）",
                next.kind.label(),
                next.status.label()
            ),
        );
        cs.push(Write::Update {
            id,
            base_version,
            valid_from: on,
            body: next.clone().into(),
            geometry,
        });
        if next.status == WorkStatus::Done
            && order.status != WorkStatus::Done
            && let Some((sid, sversion, mut s, sgeom)) = sign
            && s.condition != Condition::Good
        {
            s.condition = Condition::Good;
            s.photos.extend(next.done_photo.clone());
            cs.push(Write::Update {
                id: sid,
                base_version: sversion,
                valid_from: on,
                body: s.into(),
                geometry: sgeom,
            });
        }
        self.commit(cs).await
    }
}
