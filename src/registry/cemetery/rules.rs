//! The cemetery rules that need the whole registry, applied to every changeset whatever door
//! it came through (CLI, JSON API, OGC API): what the registry fills in (whether a deceased
//! lived in the cremation zone, which zones a grave lies in, whole numbers behind masked
//! ones) and what it refuses.

use crate::boundaries::AdminUnit;
use crate::cemetery::Burial;
use crate::cemetery::Plot;
use crate::cemetery::SubsidyClaim;
use crate::cemetery::Zone;
use crate::cemetery::{Disposition, PlotNumber, PlotStatus, Remains, ZoneKind};
use crate::config::Config;
use crate::model::Variant;
use crate::model::{Body, Changeset, CurrentState, Layer, Write};
use crate::record::RecordId;
use crate::registry::RegistryError;
use geo::{Centroid, Contains, Geometry, InteriorPoint, MultiPolygon, Point};
use std::collections::HashMap;

pub(super) fn invalid(message: impl Into<String>) -> RegistryError {
    RegistryError::Invalid(message.into())
}

/// The state as it will be after `writes`: written bodies first, then the current state.
struct After<'a> {
    state: &'a CurrentState,
    written: HashMap<RecordId, Option<(&'a Body, &'a Geometry<f64>)>>,
}

impl<'a> After<'a> {
    fn new(state: &'a CurrentState, writes: &'a [Write]) -> Self {
        let mut written = HashMap::new();
        for w in writes {
            match w {
                Write::Create {
                    id, body, geometry, ..
                }
                | Write::Update {
                    id, body, geometry, ..
                } => {
                    written.insert(*id, Some((body, geometry)));
                }
                Write::Retire { id, .. } => {
                    written.insert(*id, None);
                }
            }
        }
        After { state, written }
    }

    fn get(&self, id: &RecordId) -> Option<&'a Body> {
        match self.written.get(id) {
            Some(w) => w.map(|(b, _)| b),
            None => self.state.get(id).map(|v| &v.body),
        }
    }

    /// Every current body of `layer` after the writes.
    fn layer(&self, layer: Layer) -> Vec<(RecordId, &'a Body)> {
        let mut out: Vec<(RecordId, &'a Body)> = self
            .state
            .layer(layer)
            .filter(|v| !self.written.contains_key(&v.id))
            .map(|v| (v.id, &v.body))
            .collect();
        out.extend(
            self.written
                .iter()
                .filter_map(|(id, w)| w.filter(|(b, _)| b.layer() == layer).map(|(b, _)| (*id, b))),
        );
        out
    }
}

/// The cremation zones in force, as polygons.
pub(super) fn zones(state: &CurrentState, kind: ZoneKind) -> Vec<&MultiPolygon<f64>> {
    state
        .layer(Zone::LAYER)
        .filter(|v| matches!(&v.body, Body::Zone(z) if z.kind == kind))
        .filter_map(|v| match &v.geometry {
            Geometry::MultiPolygon(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// Whether a unit (by code) lies in a cremation zone: its interior point does.
pub(super) fn unit_in_zone(
    state: &CurrentState,
    code: &str,
    cremation: &[&MultiPolygon<f64>],
) -> bool {
    let Some(point) = state
        .layer(AdminUnit::LAYER)
        .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.to_string() == code))
        .and_then(|v| v.geometry.interior_point())
    else {
        return false;
    };
    cremation.iter().any(|z| z.contains(&point))
}

pub(super) fn point_of(g: &Geometry<f64>) -> Option<Point<f64>> {
    match g {
        Geometry::Point(p) => Some(*p),
        other => other.centroid(),
    }
}

/// Puts back the stored whole ID-card and telephone numbers where a client sent the masked
/// form of the same value; refuses a masked value that matches nothing.
fn unmask(state: &CurrentState, id: RecordId, body: &mut Body) -> Result<(), RegistryError> {
    use crate::cemetery::personal::Masked;
    fn restore<T: Masked>(
        new: &mut Option<T>,
        old: Option<&Option<T>>,
    ) -> Result<(), RegistryError> {
        let Some(n) = new else { return Ok(()) };
        if !n.is_masked() {
            return Ok(());
        }
        match old.and_then(|o| o.as_ref()) {
            Some(o) if o.masked() == n.masked() => {
                *new = Some(o.clone());
                Ok(())
            }
            _ => Err(invalid(format!(
                "{} {} 是遮蔽形式：新登记或更改号码时须填写完整号码",
                T::WHAT,
                n.masked()
            ))),
        }
    }
    let old = state.get(&id).map(|v| &v.body);
    match body {
        Body::Burial(b) => restore(
            &mut b.deceased.id_number,
            old.and_then(|o| match o {
                Body::Burial(o) => Some(&o.deceased.id_number),
                _ => None,
            }),
        ),
        Body::Plot(p) => restore(
            &mut p.holder_phone,
            old.and_then(|o| match o {
                Body::Plot(o) => Some(&o.holder_phone),
                _ => None,
            }),
        ),
        Body::Grave(g) => restore(
            &mut g.owner_phone,
            old.and_then(|o| match o {
                Body::Grave(o) => Some(&o.owner_phone),
                _ => None,
            }),
        ),
        Body::SubsidyClaim(c) => restore(
            &mut c.claimant_phone,
            old.and_then(|o| match o {
                Body::SubsidyClaim(o) => Some(&o.claimant_phone),
                _ => None,
            }),
        ),
        _ => Ok(()),
    }
}

/// Applies the cemetery rules to a changeset: fills in what the registry decides (whether a
/// deceased lived in the cremation zone, which zones a grave lies in, whole numbers behind
/// masked ones) and refuses what breaks a rule. Called by [`Registry::commit`].
pub fn rules(
    state: &CurrentState,
    config: &Config,
    mut changeset: Changeset,
) -> Result<Changeset, RegistryError> {
    let touches = changeset.writes.iter().any(|w| match w {
        Write::Create { body, .. } | Write::Update { body, .. } => matches!(
            body.layer(),
            Layer::Plot
                | Layer::Burial
                | Layer::SubsidyClaim
                | Layer::Grave
                | Layer::Notice
                | Layer::CemeterySection
        ),
        Write::Retire { id, .. } => state
            .get(id)
            .is_some_and(|v| matches!(v.layer(), Layer::Burial | Layer::Plot)),
    });
    if !touches {
        return Ok(changeset);
    }
    let cremation = zones(state, ZoneKind::Cremation);
    for w in &mut changeset.writes {
        let (id, body, geometry, is_create) = match w {
            Write::Create {
                id, body, geometry, ..
            } => (*id, body, &*geometry, true),
            Write::Update {
                id, body, geometry, ..
            } => (*id, body, &*geometry, false),
            Write::Retire { .. } => continue,
        };
        unmask(state, id, body)?;
        match body {
            Body::Burial(b) => {
                if is_create && b.deceased.id_number.as_ref().is_some_and(|n| n.is_masked()) {
                    return Err(invalid("新登记的身份证号码须为完整号码"));
                }
                b.in_zone = unit_in_zone(state, &b.deceased.residence, &cremation);
                let site_in_zone =
                    point_of(geometry).is_some_and(|p| cremation.iter().any(|z| z.contains(&p)));
                if b.disposition == Disposition::Burial
                    && (b.in_zone || site_in_zone)
                    && b.exemption.as_deref().is_none_or(|e| e.trim().is_empty())
                {
                    return Err(invalid(format!(
                        "{}：火葬区内的遗体土葬须记录豁免理由（如少数民族土葬习俗）",
                        b.deceased.name
                    )));
                }
                if b.disposition == Disposition::Cremation
                    && b.cremation_certificate
                        .as_deref()
                        .is_none_or(|c| c.trim().is_empty())
                {
                    return Err(invalid(format!(
                        "{}：火化须填写火化证明编号",
                        b.deceased.name
                    )));
                }
                if let Some(born) = b.deceased.born
                    && born > b.deceased.died
                {
                    return Err(invalid(format!(
                        "{}：出生日期晚于死亡日期",
                        b.deceased.name
                    )));
                }
                if let (Some(n), Some(born)) = (&b.deceased.id_number, b.deceased.born)
                    && n.birth_date().is_some_and(|d| d != born)
                {
                    return Err(invalid(format!(
                        "{}：身份证号码中的出生日期与登记的出生日期 {born} 不符",
                        b.deceased.name
                    )));
                }
            }
            Body::Grave(g) => {
                let p = point_of(geometry);
                g.zones = ZoneKind::ALL
                    .into_iter()
                    .filter(|k| *k != ZoneKind::Cremation)
                    .filter(|k| p.is_some_and(|p| zones(state, *k).iter().any(|z| z.contains(&p))))
                    .collect();
            }
            _ => {}
        }
    }
    let after = After::new(state, &changeset.writes);
    let mut occupancy: HashMap<RecordId, usize> = HashMap::new();
    for (_, body) in after.layer(Burial::LAYER) {
        if let Body::Burial(b) = body
            && let Some(plot) = b.plot
        {
            *occupancy.entry(plot).or_default() += 1;
        }
    }
    let mut claims: HashMap<RecordId, usize> = HashMap::new();
    for (_, body) in after.layer(SubsidyClaim::LAYER) {
        if let Body::SubsidyClaim(c) = body {
            *claims.entry(c.burial).or_default() += 1;
        }
    }
    let occupants = |plot: RecordId| occupancy.get(&plot).copied().unwrap_or(0);
    // Plots: in a section of their cemetery, numbered in it, unique, allowed transitions.
    let mut numbers: HashMap<(RecordId, &PlotNumber), RecordId> = HashMap::new();
    for (id, body) in after.layer(Plot::LAYER) {
        let Some(p) = body.of::<Plot>() else { continue };
        numbers.entry((p.section, &p.number)).or_insert(id);
    }
    for w in &changeset.writes {
        let (id, body) = match w {
            Write::Create { id, body, .. } | Write::Update { id, body, .. } => (*id, body),
            Write::Retire { id, .. } => {
                if let Some(Body::Plot(p)) = state.get(id).map(|v| &v.body)
                    && occupants(*id) > 0
                {
                    return Err(invalid(format!("墓位 {} 有安葬记录，不能注销", p.number)));
                }
                continue;
            }
        };
        match body {
            Body::Plot(p) => {
                match after.get(&p.section) {
                    Some(Body::CemeterySection(s)) => {
                        if s.cemetery != p.cemetery {
                            return Err(invalid(format!("墓位 {} 的墓区不属于所填公墓", p.number)));
                        }
                        if s.code != p.number.section {
                            return Err(invalid(format!(
                                "墓位号 {} 的区号应为所在墓区的区号“{}”",
                                p.number, s.code
                            )));
                        }
                    }
                    _ => {
                        return Err(invalid(format!(
                            "墓位 {} 的墓区 {} 不存在",
                            p.number, p.section
                        )));
                    }
                }
                if numbers.get(&(p.section, &p.number)) != Some(&id) {
                    return Err(invalid(format!("墓位号 {} 在该墓区内已被使用", p.number)));
                }
                if let Some(Body::Plot(old)) = state.get(&id).map(|v| &v.body) {
                    if !old.status.may_become(p.status) {
                        return Err(invalid(format!(
                            "墓位 {} 状态为“{}”，不能改为“{}”",
                            p.number,
                            old.status.label(),
                            p.status.label()
                        )));
                    }
                    if old.kind != p.kind && occupants(id) > 0 {
                        return Err(invalid(format!("墓位 {} 已有安葬，不能更改类型", p.number)));
                    }
                }
                let n = occupants(id);
                if !p.status.in_use() && p.status != PlotStatus::Expired && n > 0 {
                    return Err(invalid(format!(
                        "墓位 {} 有 {n} 条安葬记录，状态不能为“{}”",
                        p.number,
                        p.status.label()
                    )));
                }
            }
            Body::Burial(b) => {
                let Some(plot_id) = b.plot else { continue };
                let Some(Body::Plot(plot)) = after.get(&plot_id) else {
                    return Err(invalid(format!(
                        "{}：墓位 {plot_id} 不存在",
                        b.deceased.name
                    )));
                };
                let n = occupants(plot_id);
                if n > plot.kind.capacity() {
                    return Err(invalid(format!(
                        "墓位 {}（{}）已满：容量 {}，登记后将有 {n} 人，不能重复安排",
                        plot.number,
                        plot.kind.label(),
                        plot.kind.capacity()
                    )));
                }
                if b.disposition == Disposition::Burial && plot.kind.remains == Remains::Ashes {
                    return Err(invalid(format!(
                        "{}：遗体土葬不能安排在骨灰墓位 {}",
                        b.deceased.name, plot.number
                    )));
                }
                let moved_in = state.get(&id).is_none_or(|v| match &v.body {
                    Body::Burial(old) => old.plot != b.plot,
                    _ => true,
                });
                if moved_in && !plot.status.in_use() {
                    return Err(invalid(format!(
                        "墓位 {} 状态为“{}”：安葬须同时将墓位改为“已安葬”或“迁入安葬”",
                        plot.number,
                        plot.status.label()
                    )));
                }
            }
            Body::SubsidyClaim(c) => {
                let Some(Body::Burial(b)) = after.get(&c.burial) else {
                    return Err(invalid(format!("补贴申领的殡葬登记 {} 不存在", c.burial)));
                };
                if claims.get(&c.burial).copied().unwrap_or(0) > 1 {
                    return Err(invalid(format!(
                        "{} 已申领过殡葬补贴：每位逝者只能申领一次",
                        b.deceased.name
                    )));
                }
                let rule = config
                    .cemetery
                    .subsidies
                    .iter()
                    .find(|r| r.id == c.rule)
                    .ok_or_else(|| invalid(format!("补贴规则 {} 不在配置中", c.rule)))?;
                rule.eligible(b, &config.jurisdiction.county_code)
                    .map_err(invalid)?;
                let sum: i64 = c.items.iter().map(|i| i.amount_fen).sum();
                if sum != c.total_fen || c.total_fen > rule.total_cap_fen() {
                    return Err(invalid(format!(
                        "补贴金额 {} 元与分项之和或上限 {} 元不符",
                        crate::cemetery::yuan(c.total_fen),
                        crate::cemetery::yuan(rule.total_cap_fen())
                    )));
                }
            }
            Body::Notice(n) => {
                if !matches!(after.get(&n.grave), Some(Body::Grave(_))) {
                    return Err(invalid(format!(
                        "告知书 {} 的坟墓 {} 不存在",
                        n.number, n.grave
                    )));
                }
                let problems = n.terms.problems();
                if !problems.is_empty() {
                    return Err(invalid(format!(
                        "告知书 {}：{}",
                        n.number,
                        problems.join("；")
                    )));
                }
                if let Some(Body::Notice(old)) = state.get(&id).map(|v| &v.body)
                    && old.status != n.status
                    && !old.status.may_become(n.status)
                {
                    return Err(invalid(format!(
                        "告知书 {} 状态为“{}”，不能改为“{}”",
                        n.number,
                        old.status.label(),
                        n.status.label()
                    )));
                }
            }
            _ => {}
        }
    }
    Ok(changeset)
}
