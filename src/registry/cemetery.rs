//! The cemetery module's rules that need the whole registry, applied to every changeset
//! whatever door it came through (CLI, JSON API, OGC API), and the burial office's steps:
//! laying out plots, registering a burial into a plot, renewing a plot, subsidy claims,
//! relocation notices and their tracking, the statistics.

use super::{Registry, RegistryError};
use crate::cemetery::check::{self, Finding};
use crate::cemetery::layout::{self, Grid};
use crate::cemetery::stats::{self, By, Death};
use crate::cemetery::{
    Burial, Disposition, Grave, Notice, NoticeStatus, NoticeTerms, Plot, PlotKind, PlotNumber,
    PlotStatus, Remains, USE_YEARS, UsePeriod, ZoneKind, add_years,
};
use crate::config::Config;
use crate::model::{Body, Changeset, CurrentState, Layer, RecordVersion, Write};
use crate::record::{ChangesetId, RecordId, Source, View};
use chrono::{Datelike, NaiveDate};
use geo::{Centroid, Contains, Geometry, InteriorPoint, MultiPolygon, Point};
use std::collections::HashMap;

fn invalid(message: impl Into<String>) -> RegistryError {
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
fn zones(state: &CurrentState, kind: ZoneKind) -> Vec<&MultiPolygon<f64>> {
    state
        .layer(Layer::Zone)
        .filter(|v| matches!(&v.body, Body::Zone(z) if z.kind == kind))
        .filter_map(|v| match &v.geometry {
            Geometry::MultiPolygon(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// Whether a unit (by code) lies in a cremation zone: its interior point does.
fn unit_in_zone(state: &CurrentState, code: &str, cremation: &[&MultiPolygon<f64>]) -> bool {
    let Some(point) = state
        .layer(Layer::AdminUnit)
        .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.to_string() == code))
        .and_then(|v| v.geometry.interior_point())
    else {
        return false;
    };
    cremation.iter().any(|z| z.contains(&point))
}

fn point_of(g: &Geometry<f64>) -> Option<Point<f64>> {
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
    for (_, body) in after.layer(Layer::Burial) {
        if let Body::Burial(b) = body
            && let Some(plot) = b.plot
        {
            *occupancy.entry(plot).or_default() += 1;
        }
    }
    let mut claims: HashMap<RecordId, usize> = HashMap::new();
    for (_, body) in after.layer(Layer::SubsidyClaim) {
        if let Body::SubsidyClaim(c) = body {
            *claims.entry(c.burial).or_default() += 1;
        }
    }
    let occupants = |plot: RecordId| occupancy.get(&plot).copied().unwrap_or(0);
    // Plots: in a section of their cemetery, numbered in it, unique, allowed transitions.
    let mut numbers: HashMap<(RecordId, &PlotNumber), RecordId> = HashMap::new();
    for (id, body) in after.layer(Layer::Plot) {
        let Body::Plot(p) = body else { continue };
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

/// A plot whose use period ends soon.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Expiring {
    pub id: RecordId,
    pub number: String,
    pub cemetery: String,
    pub until: NaiveDate,
    pub holder: Option<String>,
}

/// The deaths the statistics count, with the units they are grouped by.
pub fn deaths(state: &CurrentState) -> stats::Deaths {
    let mut units: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let names: HashMap<String, String> = state
        .layer(Layer::AdminUnit)
        .filter_map(|v| match &v.body {
            Body::AdminUnit(u) => Some((u.code.to_string(), u.name.clone())),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for v in state.layer(Layer::Burial) {
        let Body::Burial(b) = &v.body else { continue };
        // Remains moved in from a grave are not a death of that year.
        if b.relocated_from.is_some() {
            continue;
        }
        let code = &b.deceased.residence;
        let unit = *index.entry(code.clone()).or_insert_with(|| {
            units.push(match names.get(code) {
                Some(n) => format!("{n}（{code}）"),
                None => code.clone(),
            });
            (units.len() - 1) as u32
        });
        out.push(Death {
            year: b.deceased.died.year() as i16,
            unit,
            disposition: b.disposition,
            in_zone: b.in_zone,
        });
    }
    stats::Deaths { rows: out, units }
}

impl Registry {
    /// Runs the cemetery checks.
    pub fn cemetery_check(&self) -> Vec<Finding> {
        check::check(&self.current(), &self.config.cemetery.plot_limits)
    }

    /// The deaths the statistics count, extracted once from the burial records.
    pub fn deaths(&self) -> stats::Deaths {
        deaths(&self.current())
    }

    /// The statistics table.
    pub fn cremation_stats(&self, from: i16, to: i16, by: By) -> stats::Table {
        self.deaths().table(from, to, by)
    }

    /// Plots whose use period ends before `until` (and after `today`'s start: expired ones
    /// too, so that nothing is missed).
    pub fn expiring_plots(&self, until: NaiveDate) -> Vec<Expiring> {
        let state = self.current();
        let mut out: Vec<Expiring> = state
            .layer(Layer::Plot)
            .filter_map(|v| {
                let Body::Plot(p) = &v.body else { return None };
                let period = p.period.as_ref()?;
                if !p.status.in_use() || period.until > until {
                    return None;
                }
                let cemetery = match state.get(&p.cemetery).map(|c| &c.body) {
                    Some(Body::Cemetery(c)) => c.name.clone(),
                    _ => String::new(),
                };
                Some(Expiring {
                    id: v.id,
                    number: p.number.to_string(),
                    cemetery,
                    until: period.until,
                    holder: p.holder.clone(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.until.cmp(&b.until).then_with(|| a.number.cmp(&b.number)));
        out
    }

    /// Lays out plots in a section: a grid of `kind` plots, numbered row by row; refuses
    /// positions outside the section or over existing plots. Returns the changeset (None
    /// when nothing fitted) and the layout.
    pub async fn fill_section(
        &self,
        author: &str,
        section: RecordId,
        grid: &Grid,
        kind: PlotKind,
        laid_out: NaiveDate,
    ) -> Result<(Option<ChangesetId>, layout::Fill), RegistryError> {
        use crate::spatial::crs;
        let (cemetery, code, polygon, existing) = {
            let state = self.current();
            let v = state
                .get(&section)
                .ok_or_else(|| invalid(format!("墓区 {section} 不存在")))?;
            let Body::CemeterySection(s) = &v.body else {
                return Err(invalid(format!("记录 {section} 不是墓区")));
            };
            let projected =
                crs::to_measure(&v.geometry).map_err(|e| invalid(format!("墓区投影失败：{e}")))?;
            let Geometry::MultiPolygon(m) = projected else {
                return Err(invalid("墓区范围不是面"));
            };
            let polygon = match m.0.as_slice() {
                [p] => p.clone(),
                _ => return Err(invalid("墓区由多个面组成：请逐个面划分墓位")),
            };
            let mut existing = Vec::new();
            for p in state.layer(Layer::Plot) {
                if matches!(&p.body, Body::Plot(pl) if pl.section == section)
                    && let Ok(Geometry::MultiPolygon(m)) = crs::to_measure(&p.geometry)
                {
                    existing.extend(m.0);
                }
            }
            (s.cemetery, s.code.clone(), polygon, existing)
        };
        let fill = layout::fill(&polygon, &existing, grid).map_err(invalid)?;
        if fill.cells.is_empty() {
            return Ok((None, fill));
        }
        let mut cs = Changeset::new(
            author,
            format!(
                "划分墓位：{code} 区 {} 个{}墓位",
                fill.cells.len(),
                kind.label()
            ),
        );
        for cell in &fill.cells {
            let g = crs::from_measure(&Geometry::Polygon(cell.polygon.clone()))
                .map_err(|e| invalid(format!("墓位坐标转换失败：{e}")))?;
            cs.push(Write::Create {
                id: RecordId::new(),
                valid_from: laid_out,
                body: Body::Plot(Plot {
                    cemetery,
                    section,
                    number: PlotNumber {
                        section: code.clone(),
                        row: cell.row,
                        number: cell.number,
                    },
                    kind,
                    status: PlotStatus::Available,
                    laid_out,
                    holder: None,
                    holder_phone: None,
                    period: None,
                    renewals: Vec::new(),
                    source: Source::Survey,
                }),
                geometry: g,
            });
        }
        Ok((Some(self.commit(cs).await?), fill))
    }

    /// Registers a death and its disposition; with a plot, the plot becomes occupied (its
    /// use period starts on the registration date) in the same changeset. `site` is where
    /// the remains went when there is no plot (burial site or funeral home).
    ///
    /// This is an action on the plot as it is now, not an edit of a version the caller saw:
    /// when another officer changed the plot meanwhile (a second burial in a double plot),
    /// it is planned again on the new version, and the capacity rule decides.
    pub async fn register_burial(
        &self,
        author: &str,
        burial: Burial,
        site: Option<Point<f64>>,
    ) -> Result<(RecordId, ChangesetId), RegistryError> {
        let mut attempts = 0;
        loop {
            match self
                .register_burial_once(author, burial.clone(), site)
                .await
            {
                Err(e) if e.is_stale() && attempts < 5 => attempts += 1,
                other => return other,
            }
        }
    }

    async fn register_burial_once(
        &self,
        author: &str,
        burial: Burial,
        site: Option<Point<f64>>,
    ) -> Result<(RecordId, ChangesetId), RegistryError> {
        let id = RecordId::new();
        let mut cs = Changeset::new(
            author,
            // No name in the reason: changeset reasons are shown to every officer.
            format!("殡葬登记（{}）", burial.disposition.label()),
        );
        let geometry = match burial.plot {
            Some(plot_id) => {
                let state = self.current();
                let v = state
                    .get(&plot_id)
                    .ok_or_else(|| invalid(format!("墓位 {plot_id} 不存在")))?;
                let Body::Plot(plot) = &v.body else {
                    return Err(invalid(format!("记录 {plot_id} 不是墓位")));
                };
                let mut next = plot.clone();
                next.status = if burial.relocated_from.is_some() {
                    PlotStatus::RelocatedIn
                } else {
                    PlotStatus::Occupied
                };
                if next.period.is_none() {
                    next.period = Some(UsePeriod {
                        from: burial.registered_on,
                        until: add_years(burial.registered_on, USE_YEARS),
                    });
                }
                let centre = v
                    .geometry
                    .centroid()
                    .ok_or_else(|| invalid("墓位没有范围"))?;
                if &next != plot {
                    cs.push(Write::Update {
                        id: plot_id,
                        base_version: v.version,
                        valid_from: burial.registered_on,
                        body: Body::Plot(next),
                        geometry: v.geometry.clone(),
                    });
                }
                Geometry::Point(centre)
            }
            None => Geometry::Point(site.ok_or_else(|| {
                invalid("未安排墓位的登记须给出遗体或骨灰的去向位置（安葬地点或殡仪馆）")
            })?),
        };
        cs.push(Write::Create {
            id,
            valid_from: burial.deceased.died,
            body: Body::Burial(burial),
            geometry,
        });
        let changeset = self.commit(cs).await?;
        Ok((id, changeset))
    }

    /// Changes a plot: reserve, release, expire, or renew for another 20 years.
    pub async fn change_plot(
        &self,
        author: &str,
        plot_id: RecordId,
        base_version: u32,
        change: PlotChange,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (plot, geometry) = {
            let state = self.current();
            let v = state
                .get(&plot_id)
                .ok_or_else(|| invalid(format!("墓位 {plot_id} 不存在")))?;
            let Body::Plot(p) = &v.body else {
                return Err(invalid(format!("记录 {plot_id} 不是墓位")));
            };
            (p.clone(), v.geometry.clone())
        };
        let (next, reason) = match change {
            PlotChange::Renew { receipt } => (
                plot.renewed(on, &receipt).map_err(invalid)?,
                format!("墓位续期：{}", plot.number),
            ),
            PlotChange::Status { status, holder } => {
                let mut next = plot.clone();
                next.status = status;
                if holder.is_some() {
                    next.holder = holder;
                }
                (
                    next,
                    format!("墓位 {} 状态改为“{}”", plot.number, status.label()),
                )
            }
        };
        let mut cs = Changeset::new(author, reason);
        cs.push(Write::Update {
            id: plot_id,
            base_version,
            valid_from: on,
            body: Body::Plot(next),
            geometry,
        });
        self.commit(cs).await
    }

    /// Assesses and records a subsidy claim under the rule in force on the date of death.
    pub async fn claim_subsidy(
        &self,
        author: &str,
        burial_id: RecordId,
        requested: &[(String, f64)],
        claimant: &str,
        on: NaiveDate,
    ) -> Result<(RecordId, i64), RegistryError> {
        let (burial, geometry) = {
            let state = self.current();
            let v = state
                .get(&burial_id)
                .ok_or_else(|| invalid(format!("殡葬登记 {burial_id} 不存在")))?;
            let Body::Burial(b) = &v.body else {
                return Err(invalid(format!("记录 {burial_id} 不是殡葬登记")));
            };
            (b.clone(), v.geometry.clone())
        };
        let rule = crate::cemetery::subsidy::rule_for(
            &self.config.cemetery.subsidies,
            burial.deceased.died,
        )
        .ok_or_else(|| invalid(format!("{} 没有适用的殡葬补贴规则", burial.deceased.died)))?;
        rule.eligible(&burial, &self.config.jurisdiction.county_code)
            .map_err(invalid)?;
        let (items, total) = rule.assess(requested).map_err(invalid)?;
        let id = RecordId::new();
        let mut cs = Changeset::new(
            author,
            format!("殡葬补贴：{} 元", crate::cemetery::yuan(total)),
        );
        cs.push(Write::Create {
            id,
            valid_from: on,
            body: Body::SubsidyClaim(crate::cemetery::SubsidyClaim {
                burial: burial_id,
                rule: rule.id.clone(),
                items,
                total_fen: total,
                claimed_on: on,
                claimant: claimant.into(),
                claimant_phone: None,
                paid_on: None,
                source: Source::Survey,
            }),
            geometry,
        });
        self.commit(cs).await?;
        Ok((id, total))
    }

    /// Issues a batch of relocation notices, one per grave.
    pub async fn issue_notices(
        &self,
        author: &str,
        batch: &str,
        graves: &[RecordId],
        terms: &NoticeTerms,
    ) -> Result<Vec<RecordId>, RegistryError> {
        let problems = terms.problems();
        if !problems.is_empty() {
            return Err(invalid(problems.join("；")));
        }
        if graves.is_empty() {
            return Err(invalid("没有选中任何坟墓"));
        }
        let mut cs = Changeset::new(
            author,
            format!("发出迁坟告知书：{batch}（{} 份）", graves.len()),
        );
        let mut ids = Vec::new();
        {
            let state = self.current();
            // Numbered within the year of issue.
            let existing = state
                .layer(Layer::Notice)
                .filter(|v| {
                    matches!(&v.body, Body::Notice(n)
                        if n.terms.issued_on.year() == terms.issued_on.year())
                })
                .count();
            for (i, g) in graves.iter().enumerate() {
                let v = state
                    .get(g)
                    .ok_or_else(|| invalid(format!("坟墓 {g} 不存在")))?;
                let Body::Grave(grave) = &v.body else {
                    return Err(invalid(format!("记录 {g} 不是散埋坟墓")));
                };
                if grave.moved_to.is_some() {
                    return Err(invalid(format!(
                        "坟墓 {} 已迁入公墓，不再发告知书",
                        grave.number
                    )));
                }
                let id = RecordId::new();
                ids.push(id);
                cs.push(Write::Create {
                    id,
                    valid_from: terms.issued_on,
                    body: Body::Notice(Notice {
                        number: format!(
                            "迁告〔{}〕{:03}号",
                            terms.issued_on.year(),
                            existing + i + 1
                        ),
                        batch: batch.into(),
                        grave: *g,
                        terms: terms.clone(),
                        status: NoticeStatus::Issued,
                        steps: vec![crate::cemetery::NoticeStep {
                            status: NoticeStatus::Issued,
                            on: terms.issued_on,
                            note: String::new(),
                        }],
                        signed_by: None,
                        plot: None,
                        compensation_fen: None,
                        source: Source::Survey,
                    }),
                    geometry: v.geometry.clone(),
                });
            }
        }
        self.commit(cs).await?;
        Ok(ids)
    }

    /// Moves a notice one step on. Relocation needs the receiving plot and the burial
    /// record made there ([`Registry::relocate_grave`] does both); compensation records the
    /// amount.
    pub async fn notice_step(
        &self,
        author: &str,
        notice_id: RecordId,
        base_version: u32,
        step: NoticeUpdate,
    ) -> Result<ChangesetId, RegistryError> {
        let NoticeUpdate {
            status,
            on,
            note,
            signed_by,
            compensation_fen,
        } = step;
        if status == NoticeStatus::Relocated {
            return Err(invalid("迁入公墓须登记接收墓位和安葬记录（relocate）"));
        }
        let (notice, geometry) = self.notice(notice_id)?;
        let mut next = notice.step(status, on, &note).map_err(invalid)?;
        if status == NoticeStatus::Delivered {
            next.signed_by = Some(signed_by.ok_or_else(|| invalid("送达须记录签收人"))?);
        }
        if status == NoticeStatus::Compensated {
            next.compensation_fen =
                Some(compensation_fen.ok_or_else(|| invalid("补偿须记录金额"))?);
        }
        let mut cs = Changeset::new(
            author,
            format!("迁坟告知书 {}：{}", notice.number, status.label()),
        );
        cs.push(Write::Update {
            id: notice_id,
            base_version,
            valid_from: on,
            body: Body::Notice(next),
            geometry,
        });
        self.commit(cs).await
    }

    fn notice(&self, id: RecordId) -> Result<(Notice, Geometry<f64>), RegistryError> {
        let state = self.current();
        let v = state
            .get(&id)
            .ok_or_else(|| invalid(format!("告知书 {id} 不存在")))?;
        match &v.body {
            Body::Notice(n) => Ok((n.clone(), v.geometry.clone())),
            _ => Err(invalid(format!("记录 {id} 不是迁坟告知书"))),
        }
    }

    /// A grave moved into a plot: the burial record in the plot (relocated in), the grave
    /// linked to plot and burial, the notice marked relocated; one changeset.
    pub async fn relocate_grave(
        &self,
        author: &str,
        notice_id: RecordId,
        plot_id: RecordId,
        mut burial: Burial,
        on: NaiveDate,
    ) -> Result<RecordId, RegistryError> {
        let (notice, notice_geometry) = self.notice(notice_id)?;
        let next_notice = notice
            .step(NoticeStatus::Relocated, on, "迁入公墓")
            .map_err(invalid)?;
        let (grave, grave_version, grave_geometry, plot, plot_version, plot_geometry, nv) = {
            let state = self.current();
            let g = state
                .get(&notice.grave)
                .ok_or_else(|| invalid("告知书所指坟墓不存在"))?;
            let Body::Grave(grave) = &g.body else {
                return Err(invalid("告知书所指记录不是坟墓"));
            };
            let p = state
                .get(&plot_id)
                .ok_or_else(|| invalid(format!("墓位 {plot_id} 不存在")))?;
            let Body::Plot(plot) = &p.body else {
                return Err(invalid(format!("记录 {plot_id} 不是墓位")));
            };
            let nv = state.get(&notice_id).map_or(0, |v| v.version);
            (
                grave.clone(),
                g.version,
                g.geometry.clone(),
                plot.clone(),
                p.version,
                p.geometry.clone(),
                nv,
            )
        };
        let burial_id = RecordId::new();
        burial.plot = Some(plot_id);
        burial.relocated_from = Some(notice.grave);
        let mut next_plot = plot.clone();
        next_plot.status = PlotStatus::RelocatedIn;
        if next_plot.period.is_none() {
            next_plot.period = Some(UsePeriod {
                from: on,
                until: add_years(on, USE_YEARS),
            });
        }
        let mut next_grave: Grave = grave.clone();
        next_grave.moved_to = Some(plot_id);
        next_grave.burial = Some(burial_id);
        next_grave.treatment = Some(crate::cemetery::Treatment::Move);
        let mut next_notice = next_notice;
        next_notice.plot = Some(plot_id);
        let centre = plot_geometry
            .centroid()
            .ok_or_else(|| invalid("墓位没有范围"))?;
        let mut cs = Changeset::new(
            author,
            format!("迁坟入墓：{} 迁入墓位 {}", grave.number, plot.number),
        );
        cs.push(Write::Update {
            id: plot_id,
            base_version: plot_version,
            valid_from: on,
            body: Body::Plot(next_plot),
            geometry: plot_geometry,
        })
        .push(Write::Create {
            id: burial_id,
            valid_from: on,
            body: Body::Burial(burial),
            geometry: Geometry::Point(centre),
        })
        .push(Write::Update {
            id: notice.grave,
            base_version: grave_version,
            valid_from: on,
            body: Body::Grave(next_grave),
            geometry: grave_geometry,
        })
        .push(Write::Update {
            id: notice_id,
            base_version: nv,
            valid_from: on,
            body: Body::Notice(next_notice),
            geometry: notice_geometry,
        });
        self.commit(cs).await?;
        Ok(burial_id)
    }
}

/// A step of a relocation notice.
#[derive(Debug, Clone)]
pub struct NoticeUpdate {
    pub status: NoticeStatus,
    pub on: NaiveDate,
    pub note: String,
    /// Who signed for it (delivery).
    pub signed_by: Option<String>,
    /// The amount paid (compensation), fen.
    pub compensation_fen: Option<i64>,
}

/// A change to a plot.
#[derive(Debug, Clone)]
pub enum PlotChange {
    Renew {
        receipt: String,
    },
    Status {
        status: PlotStatus,
        holder: Option<String>,
    },
}

/// Finds a plot by its number, in the named cemetery or (without a name) in whichever
/// cemetery has it, refusing an ambiguous number.
pub fn find_plot(
    state: &CurrentState,
    cemetery: Option<&str>,
    number: &PlotNumber,
) -> Result<RecordId, String> {
    let cemetery_id = match cemetery {
        Some(name) => Some(
            state
                .layer(Layer::Cemetery)
                .find(|v| matches!(&v.body, Body::Cemetery(c) if c.name == name))
                .map(|v| v.id)
                .ok_or_else(|| format!("没有名为“{name}”的公墓"))?,
        ),
        None => None,
    };
    let found: Vec<RecordId> = state
        .layer(Layer::Plot)
        .filter(|v| {
            matches!(&v.body, Body::Plot(p) if &p.number == number
                && cemetery_id.is_none_or(|c| c == p.cemetery))
        })
        .map(|v| v.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("没有墓位 {number}")),
        _ => Err(format!("多个公墓都有墓位 {number}：请同时填写公墓名称")),
    }
}

/// What an import did, or would have done.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LedgerImport {
    pub rows: usize,
    pub refused: Vec<crate::cemetery::ledger::Refusal>,
    /// The changeset written (none when a row was refused or on a dry run).
    pub changeset: Option<ChangesetId>,
}

impl Registry {
    /// Imports a burial ledger all or nothing: every row is checked (plot, capacity counting
    /// the rows before it, ashes or body, expired plots, the cremation zone); if any row is
    /// refused nothing is written and every refusal is reported.
    pub async fn import_burials(
        &self,
        author: &str,
        rows: Vec<crate::cemetery::ledger::LedgerBurial>,
        dry_run: bool,
    ) -> Result<LedgerImport, RegistryError> {
        use crate::cemetery::ledger::Refusal;
        let n = rows.len();
        let mut refused = Vec::new();
        let mut cs = Changeset::new(author, format!("导入殡葬登记台账（{n} 条）"));
        {
            let state = self.current();
            let cremation = zones(&state, ZoneKind::Cremation);
            let mut occupancy: HashMap<RecordId, usize> = HashMap::new();
            for v in state.layer(Layer::Burial) {
                if let Body::Burial(b) = &v.body
                    && let Some(p) = b.plot
                {
                    *occupancy.entry(p).or_default() += 1;
                }
            }
            let mut plot_updates: Vec<(RecordId, Plot, u32, Geometry<f64>)> = Vec::new();
            let extent = &self.config.jurisdiction.extent;
            for row in rows {
                let mut refuse = |column: &str, message: String| {
                    refused.push(Refusal {
                        line: row.line,
                        column: column.into(),
                        message,
                    });
                };
                let mut burial = row.burial;
                let geometry = match &row.plot {
                    Some(number) => {
                        let id = match find_plot(&state, row.cemetery.as_deref(), number) {
                            Ok(id) => id,
                            Err(e) => {
                                refuse("墓位号", e);
                                continue;
                            }
                        };
                        let v = state.get(&id).expect("a found plot");
                        let Body::Plot(plot) = &v.body else { continue };
                        let pending = plot_updates.iter().position(|(p, ..)| *p == id);
                        let current = pending.map_or(plot, |i| &plot_updates[i].1);
                        let count = occupancy.entry(id).or_default();
                        if *count >= plot.kind.capacity() {
                            refuse(
                                "墓位号",
                                format!(
                                    "墓位 {number}（{}）已满：容量 {}，已安葬 {} 人",
                                    plot.kind.label(),
                                    plot.kind.capacity(),
                                    *count
                                ),
                            );
                            continue;
                        }
                        if burial.disposition == Disposition::Burial
                            && plot.kind.remains == Remains::Ashes
                        {
                            refuse("墓位号", format!("遗体土葬不能安排在骨灰墓位 {number}"));
                            continue;
                        }
                        if current.status == PlotStatus::Expired {
                            refuse("墓位号", format!("墓位 {number} 使用期满：须先续期"));
                            continue;
                        }
                        *count += 1;
                        let mut next = current.clone();
                        next.status = PlotStatus::Occupied;
                        if next.period.is_none() {
                            next.period = Some(UsePeriod {
                                from: burial.registered_on,
                                until: add_years(burial.registered_on, USE_YEARS),
                            });
                        }
                        match pending {
                            Some(i) => plot_updates[i].1 = next,
                            None => plot_updates.push((id, next, v.version, v.geometry.clone())),
                        }
                        burial.plot = Some(id);
                        match v.geometry.centroid() {
                            Some(c) => Geometry::Point(c),
                            None => continue,
                        }
                    }
                    None => {
                        let Some((x, y)) = row.site else { continue };
                        if !(extent.west..=extent.east).contains(&x)
                            || !(extent.south..=extent.north).contains(&y)
                        {
                            refuse(
                                "安葬地点经度",
                                format!("({x}, {y}) 在本市范围之外（或经纬度填反）"),
                            );
                            continue;
                        }
                        Geometry::Point(Point::new(x, y))
                    }
                };
                let in_zone = unit_in_zone(&state, &burial.deceased.residence, &cremation)
                    || point_of(&geometry)
                        .is_some_and(|p| cremation.iter().any(|z| z.contains(&p)));
                if burial.disposition == Disposition::Burial
                    && in_zone
                    && burial
                        .exemption
                        .as_deref()
                        .is_none_or(|e| e.trim().is_empty())
                {
                    refuse("豁免理由", "火葬区内的遗体土葬须填写豁免理由".into());
                    continue;
                }
                cs.push(Write::Create {
                    id: RecordId::new(),
                    valid_from: burial.deceased.died,
                    body: Body::Burial(burial),
                    geometry,
                });
            }
            for (id, plot, version, geometry) in plot_updates {
                let on = plot
                    .period
                    .as_ref()
                    .map_or_else(|| chrono::Local::now().date_naive(), |p| p.from);
                cs.push(Write::Update {
                    id,
                    base_version: version,
                    valid_from: on,
                    body: Body::Plot(plot),
                    geometry,
                });
            }
        }
        // Plot updates must come before the burials that need the plot in use.
        cs.writes
            .sort_by_key(|w| !matches!(w, Write::Update { .. }));
        if !refused.is_empty() || dry_run || cs.writes.is_empty() {
            return Ok(LedgerImport {
                rows: n,
                refused,
                changeset: None,
            });
        }
        let id = self.commit(cs).await?;
        Ok(LedgerImport {
            rows: n,
            refused,
            changeset: Some(id),
        })
    }
}

/// A grave found by the public grave finder: name and years, where; nothing else.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GraveHit {
    /// 姓名（生年—卒年）
    pub title: String,
    pub cemetery: String,
    pub section: String,
    pub plot: String,
    #[serde(skip)]
    pub plot_id: RecordId,
    /// The plot's centre, for the map.
    pub lon: f64,
    pub lat: f64,
}

/// The public grave finder: burials in a cemetery plot whose deceased's name contains
/// `name` (at least one character). Graves outside cemeteries are not listed.
pub fn find_graves(state: &CurrentState, name: &str) -> Vec<GraveHit> {
    find_graves_by(state, name, None)
}

/// Graves of the deceased named exactly `name` who died in `year`: what the public may ask
/// (a name and a year, never a part of a name: one character listed the deceased in bulk).
pub fn find_grave_of(state: &CurrentState, name: &str, year: i32) -> Vec<GraveHit> {
    find_graves_by(state, name, Some(year))
}

fn find_graves_by(state: &CurrentState, name: &str, year: Option<i32>) -> Vec<GraveHit> {
    use chrono::Datelike;
    let name = name.trim();
    if name.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<GraveHit> = state
        .layer(Layer::Burial)
        .filter_map(|v| {
            let Body::Burial(b) = &v.body else {
                return None;
            };
            let found = match year {
                None => b.deceased.name.contains(name),
                Some(y) => b.deceased.name == name && b.deceased.died.year() == y,
            };
            if !found {
                return None;
            }
            let plot = state.get(&b.plot?)?;
            let Body::Plot(p) = &plot.body else {
                return None;
            };
            let cemetery = match state.get(&p.cemetery).map(|c| &c.body) {
                Some(Body::Cemetery(c)) => c.name.clone(),
                _ => String::new(),
            };
            let section = match state.get(&p.section).map(|c| &c.body) {
                Some(Body::CemeterySection(s)) => format!("{}区 {}", s.code, s.name),
                _ => p.number.section.clone(),
            };
            let centre = plot.geometry.centroid()?;
            Some(GraveHit {
                title: b.public_title(),
                cemetery,
                section,
                plot: p.number.to_string(),
                plot_id: plot.id,
                lon: centre.x(),
                lat: centre.y(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.plot.cmp(&b.plot)));
    out.truncate(100);
    out
}

impl Registry {
    /// The PDFs of a batch of relocation notices: one notice per grave (named by its number),
    /// each with a figure of the grave among the streets and zones, and the public notice for
    /// the area with every grave to move; as (file name, bytes).
    pub fn notice_pdfs(
        &self,
        notices: &[RecordId],
        area: Option<&Geometry<f64>>,
        title: &str,
        fonts: &crate::publish::pdf::Fonts,
    ) -> Result<Vec<(String, Vec<u8>)>, RegistryError> {
        use super::maps::{around, measured};
        use crate::publish::map::{Overlay, OverlayStyle, Symbol};
        use crate::publish::relocation::{notice_source, public_source};
        use geo::BoundingRect;
        let pdf = |source: &str| {
            crate::publish::pdf::render(source, fonts)
                .map_err(|e| RegistryError::Invalid(e.to_string()))
        };
        let state = self.current();
        // The zones the graves lie in (the cremation zone covers the town: not drawn).
        let colours = ["#e8c07d", "#9cc3e6", "#b6d7a8", "#d5a6bd"];
        let mut zones = Vec::new();
        for (i, v) in state
            .layer(Layer::Zone)
            .filter(|v| matches!(&v.body, Body::Zone(z) if z.kind != ZoneKind::Cremation))
            .enumerate()
        {
            let Body::Zone(z) = &v.body else { continue };
            let mut style = OverlayStyle::area(colours[i % colours.len()]);
            style.fill_opacity = 0.45;
            style.width = 0.2;
            style.label_size = 2.4;
            style.label_colour = Some("#5b4636".into());
            zones.push(Overlay {
                id: format!("zone-{}", i + 1),
                legend: z.name.clone(),
                style,
                features: vec![(Some(z.name.clone()), measured(&v.geometry)?)],
            });
        }
        let area_m = area.map(measured).transpose()?;
        let mut base = zones;
        if let Some(a) = &area_m {
            let mut style = OverlayStyle::area("#c0392b");
            style.fill_opacity = 0.0;
            style.width = 0.6;
            style.dash = Some("2,1".into());
            base.push(Overlay {
                id: "area".into(),
                legend: "迁移范围".into(),
                style,
                features: vec![(None, a.clone())],
            });
        }
        let mut out = Vec::new();
        let (mut numbers, mut points) = (Vec::new(), Vec::new());
        let mut terms = None;
        for id in notices {
            let Some(v) = state.get(id) else { continue };
            let Body::Notice(n) = &v.body else { continue };
            let Some(g) = state.get(&n.grave) else {
                continue;
            };
            let (Body::Grave(grave), Geometry::Point(p)) = (&g.body, &g.geometry) else {
                continue;
            };
            let at = measured(&g.geometry)?;
            numbers.push(grave.number.clone());
            points.push((None, at.clone()));
            let mut focus = OverlayStyle::points("#c0392b", Symbol::Circle);
            focus.symbol_size = 3.0;
            focus.label_size = 3.0;
            let mut overlays = base.clone();
            overlays.push(Overlay {
                id: "grave".into(),
                legend: "本坟墓".into(),
                style: focus,
                features: vec![(Some(grave.number.clone()), at.clone())],
            });
            let r = at.bounding_rect().expect("a point has a box");
            let svg = self.figure(
                &state,
                around(r, 0.0, 1600.0, 930.0),
                overlays,
                (120.0, 70.0),
                "figure-map",
            )?;
            out.push((
                format!("迁坟告知书-{}.pdf", n.number),
                pdf(&notice_source(n, grave, *p, Some(&svg)))?,
            ));
            terms.get_or_insert_with(|| n.terms.clone());
        }
        if let Some(terms) = terms {
            let mut dots = OverlayStyle::points("#333333", Symbol::Circle);
            dots.symbol_size = if points.len() > 40 { 1.0 } else { 1.6 };
            let r = match &area_m {
                Some(a) => a.bounding_rect(),
                None => geo::GeometryCollection(points.iter().map(|(_, g)| g.clone()).collect())
                    .bounding_rect(),
            };
            let mut overlays = base;
            overlays.push(Overlay {
                id: "graves".into(),
                legend: "须迁移的坟墓".into(),
                style: dots,
                features: points,
            });
            let svg = match r {
                Some(r) => {
                    let pad = (r.width().max(r.height()) * 0.08).max(100.0);
                    Some(self.figure(
                        &state,
                        around(r, pad, 400.0, 275.0),
                        overlays,
                        (160.0, 110.0),
                        "figure-map",
                    )?)
                }
                None => None,
            };
            out.push((
                "迁坟公告.pdf".into(),
                pdf(&public_source(title, &terms, &numbers, svg.as_deref()))?,
            ));
        }
        Ok(out)
    }
}

/// Plot colours on the cemetery map, by status.
const PLOT_COLOURS: [(PlotStatus, &str); 5] = [
    (PlotStatus::Available, "#ffffff"),
    (PlotStatus::Reserved, "#f3d98b"),
    (PlotStatus::Occupied, "#9aa5b1"),
    (PlotStatus::RelocatedIn, "#a9c6a0"),
    (PlotStatus::Expired, "#d9a0a0"),
];

impl Registry {
    /// The plot overlays of one cemetery (or one section): a layer per status, each plot
    /// labelled with its number where it fits, and the sections with their codes.
    fn plot_overlays(
        &self,
        state: &CurrentState,
        cemetery: RecordId,
        section: Option<RecordId>,
        numbers: bool,
    ) -> Result<Vec<crate::publish::map::Overlay>, RegistryError> {
        use super::maps::measured;
        use crate::publish::map::{Overlay, OverlayStyle};
        let mut sections = OverlayStyle::area("#8a7f6a");
        sections.fill_opacity = 0.12;
        sections.width = 0.4;
        sections.label_size = 4.0;
        let mut out = vec![Overlay {
            id: "sections".into(),
            legend: "墓区".into(),
            style: sections,
            features: Vec::new(),
        }];
        for v in state.layer(Layer::CemeterySection) {
            if let Body::CemeterySection(s) = &v.body
                && s.cemetery == cemetery
                && section.is_none_or(|id| id == v.id)
            {
                let label = if s.name.is_empty() {
                    format!("{}区", s.code)
                } else {
                    format!("{}区 {}", s.code, s.name)
                };
                out[0].features.push((Some(label), measured(&v.geometry)?));
            }
        }
        out[0].features.sort_by(|a, b| a.0.cmp(&b.0));
        for (status, colour) in PLOT_COLOURS {
            let mut style = OverlayStyle::area(colour);
            style.fill_opacity = 1.0;
            style.width = 0.15;
            style.label_size = 1.2;
            style.label_colour = Some("#333333".into());
            style.outline = Some("#8c8c8c".into());
            style.label_inside = true;
            let mut features = Vec::new();
            for v in state.layer(Layer::Plot) {
                if let Body::Plot(p) = &v.body
                    && p.cemetery == cemetery
                    && section.is_none_or(|id| id == p.section)
                    && p.status == status
                {
                    // 排-号: the section is named on the map.
                    let label = numbers.then(|| {
                        let n = p.number.to_string();
                        n.split_once('-')
                            .map_or(n.clone(), |(_, rest)| rest.to_string())
                    });
                    features.push((label, measured(&v.geometry)?));
                }
            }
            features.sort_by(|a, b| a.0.cmp(&b.0));
            if !features.is_empty() {
                out.push(Overlay {
                    id: format!("plots-{}", status.as_str()),
                    legend: format!("墓位：{}", status.label()),
                    style,
                    features,
                });
            }
        }
        Ok(out)
    }

    /// The map of a cemetery on a page: its sections and plots coloured by status, with the
    /// plot numbers where the scale leaves room for them.
    pub fn cemetery_map(
        &self,
        name: &str,
        layout: crate::publish::map::Layout,
        made: NaiveDate,
    ) -> Result<(crate::publish::map::Plan, crate::publish::map::MapData), RegistryError> {
        use geo::BoundingRect;
        let state = self.current();
        let v = state
            .layer(Layer::Cemetery)
            .find(|v| {
                matches!(&v.body, Body::Cemetery(c) if c.name == name) || v.id.to_string() == name
            })
            .ok_or_else(|| RegistryError::Invalid(format!("没有公墓“{name}”")))?;
        let r = super::maps::measured(&v.geometry)?
            .bounding_rect()
            .ok_or_else(|| RegistryError::Invalid(format!("公墓“{name}”没有范围")))?;
        let extent = super::maps::around(r, r.width().max(r.height()) * 0.05, 60.0, 40.0);
        let (plan, mut data) =
            self.street_map(layout, &super::maps::MapExtent::Ground(extent), None, made)?;
        data.overlays = self.plot_overlays(&state, v.id, None, true)?;
        if let Body::Cemetery(c) = &v.body {
            data.title = Some(format!("{}墓位图", c.name));
            data.notes = PLOT_COLOURS
                .iter()
                .map(|(s, _)| {
                    let n = state
                        .layer(Layer::Plot)
                        .filter(|p| matches!(&p.body, Body::Plot(x) if x.cemetery == v.id && x.status == *s))
                        .count();
                    format!("{}：{n} 个", s.label())
                })
                .collect();
        }
        Ok((plan, data))
    }

    /// A plan of a plot's section with the plot in red and numbered, for the grave finder.
    pub fn plot_plan(&self, state: &CurrentState, plot: RecordId) -> Option<String> {
        use crate::publish::map::{Overlay, OverlayStyle};
        use geo::BoundingRect;
        let v = state.get(&plot)?;
        let Body::Plot(p) = &v.body else { return None };
        let section = state.get(&p.section)?;
        let r = super::maps::measured(&section.geometry)
            .ok()?
            .bounding_rect()?;
        let mut overlays = self
            .plot_overlays(state, p.cemetery, Some(p.section), false)
            .ok()?;
        let mut found = OverlayStyle::area("#c0392b");
        found.fill_opacity = 1.0;
        found.label_size = 2.6;
        found.label_colour = Some("#8b1a10".into());
        overlays.push(Overlay {
            id: "found".into(),
            legend: "所查墓位".into(),
            style: found,
            features: vec![(
                Some(p.number.to_string()),
                super::maps::measured(&v.geometry).ok()?,
            )],
        });
        let extent = super::maps::around(r, 4.0, 30.0, 20.0);
        self.figure(state, extent, overlays, (120.0, 80.0), "figure-map")
            .ok()
    }
}

/// One record whose personal data is past its retention.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Expired {
    pub id: RecordId,
    pub layer: Layer,
    #[serde(flatten)]
    pub expiry: crate::cemetery::retention::Expiry,
}

/// The layers that hold personal data covered by the retention rule.
const PERSONAL: [Layer; 4] = [
    Layer::Burial,
    Layer::Plot,
    Layer::Grave,
    Layer::SubsidyClaim,
];

/// Whether `v`'s personal data is past its retention on `on`, judged on its current version
/// and the burial it links to in `state`.
fn expired_on(
    rule: &crate::cemetery::retention::Retention,
    v: &RecordVersion,
    state: &CurrentState,
    on: NaiveDate,
) -> Option<Expired> {
    let registered_on = |b: RecordId| {
        state
            .one::<crate::cemetery::Burial>(&b)
            .map(|b| b.body.registered_on)
    };
    let expiry = rule.expired(v.body.personal()?, &registered_on, on)?;
    Some(Expired {
        id: v.id,
        layer: v.layer(),
        expiry,
    })
}

/// What a retention run found or did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RetentionRun {
    /// Records whose current version still held expired personal data.
    pub expired: Vec<Expired>,
    /// The changeset that erased it from the current versions (when applied).
    pub changeset: Option<ChangesetId>,
    /// Earlier versions rewritten without it (when applied).
    pub versions_rewritten: usize,
}

impl Registry {
    /// Personal data past its retention on `on` (`[cemetery.retention]`). With `apply`, one
    /// changeset erases it from the current versions, then every earlier version of every
    /// expired record is rewritten without it. Run again, it finds nothing new and finishes a
    /// rewrite an interrupted run left (the rewrite follows the records' dates, not the
    /// changeset).
    pub async fn retention(
        &self,
        on: NaiveDate,
        apply: bool,
        author: &str,
    ) -> Result<RetentionRun, RegistryError> {
        let rule = &self.config.cemetery.retention;
        let (expired, writes): (Vec<_>, Vec<_>) = {
            let state = self.current();
            PERSONAL
                .iter()
                .flat_map(|l| state.layer(*l))
                .filter_map(|v| expired_on(rule, v, &state, on).map(|e| (e, v)))
                .filter(|(e, _)| e.expiry.held)
                .map(|(e, v)| {
                    let mut body = v.body.clone();
                    body.personal_mut().map(|p| p.erase());
                    let write = Write::Update {
                        id: v.id,
                        base_version: v.version,
                        valid_from: on.max(v.valid_from),
                        body,
                        geometry: v.geometry.clone(),
                    };
                    (e, write)
                })
                .unzip()
        };
        let mut run = RetentionRun {
            expired,
            ..RetentionRun::default()
        };
        if !apply {
            return Ok(run);
        }
        if !writes.is_empty() {
            let mut cs = Changeset::new(
                author,
                format!(
                    "个人信息保存期满删除：{} 条（按 [cemetery.retention] 保存期限）",
                    writes.len()
                ),
            );
            cs.writes = writes;
            run.changeset = Some(self.commit(cs).await?);
        }
        // Every expired record's earlier versions, whatever run erased its current one.
        let expired: std::collections::HashSet<RecordId> = {
            let state = self.current();
            PERSONAL
                .iter()
                .flat_map(|l| state.layer(*l))
                .filter(|v| expired_on(rule, v, &state, on).is_some())
                .map(|v| v.id)
                .collect()
        };
        let mut rewrite = Vec::new();
        for layer in PERSONAL {
            for mut v in self.store.layer_versions(layer).await? {
                if expired.contains(&v.id) && v.body.personal_mut().is_some_and(|p| p.erase()) {
                    rewrite.push(v);
                }
            }
        }
        self.store.rewrite_bodies(&rewrite).await?;
        run.versions_rewritten = rewrite.len();
        Ok(run)
    }
}
