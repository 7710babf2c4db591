//! The burial office's steps on the registry: laying out plots, registering a burial into a
//! plot, renewing a plot, subsidy claims, relocation notices and their tracking, the
//! statistics. The rules every changeset meets are `crate::cemetery::rules`, applied in
//! `rules`; the ledger import in `ledger`; the public grave finder in `finder`; the retention
//! of personal data in `retention`. Notices, maps and plans are drawn by
//! [`crate::publish::atlas::cemetery`].

use super::{Registry, RegistryError};
use crate::cemetery::check::{self, Finding};
use crate::cemetery::layout::{self, Grid};
use crate::cemetery::stats::{self, By, Death};
use crate::cemetery::{
    Burial, Grave, Notice, NoticeStatus, NoticeTerms, Plot, PlotKind, PlotNumber, PlotStatus,
    USE_YEARS, UsePeriod, add_years,
};
use crate::model::{Body, Changeset, CurrentState, Layer, Write};
use crate::record::{ChangesetId, RecordId, Source};
use chrono::{Datelike, NaiveDate};
use geo::{Centroid, Geometry, Point};
use std::collections::HashMap;
use std::sync::Arc;

mod correct;
mod finder;
mod ledger;
mod retention;
mod rules;
pub mod scope;

use crate::boundaries::AdminUnit;
use crate::cemetery::Cemetery;
use crate::cemetery::Section;
use crate::model::Variant;
pub use correct::BurialCorrection;
pub use finder::{GraveHit, find_grave_of, find_graves};
pub use ledger::LedgerImport;
pub use retention::{Expired, RetentionRun};
use rules::invalid;
pub(crate) use rules::rules;

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
        .layer(AdminUnit::LAYER)
        .filter_map(|v| match &v.body {
            Body::AdminUnit(u) => Some((u.code.to_string(), u.name.clone())),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for v in state.layer(Burial::LAYER) {
        let Some(b) = v.of::<Burial>() else { continue };
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
    /// Kept until a cemetery, a section, a plot or a burial changes.
    pub fn cemetery_check(&self) -> Arc<Vec<Finding>> {
        self.derived(
            "cemetery.check",
            &[
                Layer::Cemetery,
                Layer::CemeterySection,
                Plot::LAYER,
                Layer::Burial,
            ],
            |state| check::check(state, &self.config.cemetery.plot_limits),
        )
    }

    /// The deaths the statistics count, extracted once from the burial records (and kept
    /// until a burial or a unit changes).
    pub fn deaths(&self) -> Arc<stats::Deaths> {
        self.derived(
            "cemetery.deaths",
            &[Layer::Burial, Layer::AdminUnit],
            deaths,
        )
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
            .layer(Plot::LAYER)
            .filter_map(|v| {
                let p = v.of::<Plot>()?;
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
            let Some(s) = v.of::<Section>() else {
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
            for p in state.layer(Plot::LAYER) {
                if p.of::<Plot>().is_some_and(|pl| pl.section == section)
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
                body: Plot {
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
                }
                .into(),
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
                let Some(plot) = v.of::<Plot>() else {
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
                        body: next.into(),
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
            body: burial.into(),
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
            let Some(p) = v.of::<Plot>() else {
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
            body: next.into(),
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
            let Some(b) = v.of::<Burial>() else {
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
            body: Body::from(crate::cemetery::SubsidyClaim {
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
                .layer(Notice::LAYER)
                .filter(|v| {
                    v.of::<Notice>()
                        .is_some_and(|n| n.terms.issued_on.year() == terms.issued_on.year())
                })
                .count();
            for (i, g) in graves.iter().enumerate() {
                let v = state
                    .get(g)
                    .ok_or_else(|| invalid(format!("坟墓 {g} 不存在")))?;
                let Some(grave) = v.of::<Grave>() else {
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
                    body: Body::from(Notice {
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
            body: next.into(),
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
            Body::Notice(n) => Ok(((**n).clone(), v.geometry.clone())),
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
            let Some(grave) = g.of::<Grave>() else {
                return Err(invalid("告知书所指记录不是坟墓"));
            };
            let p = state
                .get(&plot_id)
                .ok_or_else(|| invalid(format!("墓位 {plot_id} 不存在")))?;
            let Some(plot) = p.of::<Plot>() else {
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
            body: next_plot.into(),
            geometry: plot_geometry,
        })
        .push(Write::Create {
            id: burial_id,
            valid_from: on,
            body: burial.into(),
            geometry: Geometry::Point(centre),
        })
        .push(Write::Update {
            id: notice.grave,
            base_version: grave_version,
            valid_from: on,
            body: next_grave.into(),
            geometry: grave_geometry,
        })
        .push(Write::Update {
            id: notice_id,
            base_version: nv,
            valid_from: on,
            body: next_notice.into(),
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
                .layer(Cemetery::LAYER)
                .find(|v| v.of::<Cemetery>().is_some_and(|c| c.name == name))
                .map(|v| v.id)
                .ok_or_else(|| format!("没有名为“{name}”的公墓"))?,
        ),
        None => None,
    };
    let found: Vec<RecordId> = state
        .layer(Plot::LAYER)
        .filter(|v| {
            v.of::<Plot>()
                .is_some_and(|p| &p.number == number && cemetery_id.is_none_or(|c| c == p.cemetery))
        })
        .map(|v| v.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("没有墓位 {number}")),
        _ => Err(format!("多个公墓都有墓位 {number}：请同时填写公墓名称")),
    }
}
