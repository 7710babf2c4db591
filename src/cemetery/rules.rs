//! The cemetery rules every changeset meets, whatever door it came through (map editor, JSON
//! API, OGC API, file import, CLI): what the registry fills in ([`settle`]: whether a deceased
//! lived in the cremation zone, which zones a grave lies in, the whole numbers behind masked
//! ones) and what it refuses ([`check`]: plots in their section, numbered once, moved only
//! along their state machine; burials within a plot's capacity; one subsidy per deceased,
//! within its rule; notices with their grave and terms), each refusal a [`Refusal`] that says
//! what and where in Chinese.
//!
//! Pure: the registry hands in its writes ([`Writing`], [`Changes`]) and the registry as it
//! is and will be ([`Records`]); nothing here names a layer or a store.

use super::personal::Masked;
use super::subsidy::Rule as SubsidyRule;
use super::{
    Burial, Disposition, Grave, Notice, Plot, PlotNumber, PlotStatus, Remains, Section,
    SubsidyClaim, Zone, ZoneKind, yuan,
};
use crate::boundaries::AdminUnit;
use crate::record::{ChangeView, Changes, RecordId, Records, View, Writing};
use chrono::NaiveDate;
use geo::{Centroid, Contains, Geometry, InteriorPoint, MultiPolygon, Point};
use std::collections::HashMap;

/// Why a changeset breaks a cemetery rule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("{what} {masked} 是遮蔽形式：新登记或更改号码时须填写完整号码")]
    MaskedNumber { what: &'static str, masked: String },
    #[error("{0}：火葬区内的遗体土葬须记录豁免理由（如少数民族土葬习俗）")]
    BurialInCremationZone(String),
    #[error("{0}：火化须填写火化证明编号")]
    NoCremationCertificate(String),
    #[error("{0}：出生日期晚于死亡日期")]
    BornAfterDeath(String),
    #[error("{name}：身份证号码中的出生日期与登记的出生日期 {born} 不符")]
    BirthDateNotInIdNumber { name: String, born: NaiveDate },
    #[error("墓位 {0} 有安葬记录，不能注销")]
    OccupiedPlotRetired(PlotNumber),
    #[error("墓位 {0} 的墓区不属于所填公墓")]
    SectionOfAnotherCemetery(PlotNumber),
    #[error("墓位号 {number} 的区号应为所在墓区的区号“{section}”")]
    WrongSectionCode { number: PlotNumber, section: String },
    #[error("墓位 {number} 的墓区 {section} 不存在")]
    NoSuchSection {
        number: PlotNumber,
        section: RecordId,
    },
    #[error("墓位号 {0} 在该墓区内已被使用")]
    PlotNumberTaken(PlotNumber),
    #[error("墓位 {number} 状态为“{from}”，不能改为“{to}”")]
    PlotStatusStep {
        number: PlotNumber,
        from: &'static str,
        to: &'static str,
    },
    #[error("墓位 {0} 已有安葬，不能更改类型")]
    OccupiedPlotKind(PlotNumber),
    #[error("墓位 {number} 有 {burials} 条安葬记录，状态不能为“{status}”")]
    StatusBesideBurials {
        number: PlotNumber,
        burials: usize,
        status: &'static str,
    },
    #[error("{name}：墓位 {plot} 不存在")]
    NoSuchPlot { name: String, plot: RecordId },
    #[error("墓位 {number}（{kind}）已满：容量 {capacity}，登记后将有 {burials} 人，不能重复安排")]
    PlotFull {
        number: PlotNumber,
        kind: &'static str,
        capacity: usize,
        burials: usize,
    },
    #[error("{name}：遗体土葬不能安排在骨灰墓位 {number}")]
    BodyInAshesPlot { name: String, number: PlotNumber },
    #[error("墓位 {number} 状态为“{status}”：安葬须同时将墓位改为“已安葬”或“迁入安葬”")]
    PlotNotInUse {
        number: PlotNumber,
        status: &'static str,
    },
    #[error("补贴申领的殡葬登记 {0} 不存在")]
    NoSuchBurial(RecordId),
    #[error("{0} 已申领过殡葬补贴：每位逝者只能申领一次")]
    SecondClaim(String),
    #[error("补贴规则 {0} 不在配置中")]
    UnknownSubsidyRule(String),
    /// The subsidy rule's own words on why the deceased is not eligible.
    #[error("{0}")]
    NotEligible(String),
    #[error("补贴金额 {total} 元与分项之和或上限 {cap} 元不符")]
    SubsidyTotal { total: String, cap: String },
    #[error("告知书 {number} 的坟墓 {grave} 不存在")]
    NoSuchGrave { number: String, grave: RecordId },
    #[error("告知书 {number}：{problems}")]
    NoticeTerms { number: String, problems: String },
    #[error("告知书 {number} 状态为“{from}”，不能改为“{to}”")]
    NoticeStatusStep {
        number: String,
        from: &'static str,
        to: &'static str,
    },
}

impl Refusal {
    /// A stable code for scripts and the API's error body, beside the Chinese message.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::MaskedNumber { .. } => "masked_number",
            Refusal::BurialInCremationZone(_) => "burial_in_cremation_zone",
            Refusal::NoCremationCertificate(_) => "no_cremation_certificate",
            Refusal::BornAfterDeath(_) | Refusal::BirthDateNotInIdNumber { .. } => {
                "inconsistent_dates"
            }
            Refusal::OccupiedPlotRetired(_)
            | Refusal::OccupiedPlotKind(_)
            | Refusal::StatusBesideBurials { .. } => "plot_occupied",
            Refusal::SectionOfAnotherCemetery(_)
            | Refusal::WrongSectionCode { .. }
            | Refusal::NoSuchSection { .. } => "wrong_section",
            Refusal::PlotNumberTaken(_) => "duplicate_plot_number",
            Refusal::PlotStatusStep { .. } | Refusal::NoticeStatusStep { .. } => "status_step",
            Refusal::NoSuchPlot { .. } | Refusal::NoSuchBurial(_) | Refusal::NoSuchGrave { .. } => {
                "no_such_record"
            }
            Refusal::PlotFull { .. } => "plot_full",
            Refusal::BodyInAshesPlot { .. } => "body_in_ashes_plot",
            Refusal::PlotNotInUse { .. } => "plot_not_in_use",
            Refusal::SecondClaim(_) => "second_subsidy_claim",
            Refusal::UnknownSubsidyRule(_) => "unknown_subsidy_rule",
            Refusal::NotEligible(_) => "not_eligible",
            Refusal::SubsidyTotal { .. } => "subsidy_total",
            Refusal::NoticeTerms { .. } => "notice_terms",
        }
    }
}

/// The zones in force (火葬区, 三沿七区 …), as polygons.
pub struct Zones<'a> {
    polygons: Vec<(ZoneKind, &'a MultiPolygon<f64>)>,
}

impl<'a> Zones<'a> {
    pub fn of(records: &'a impl Records<Zone>) -> Zones<'a> {
        Zones {
            polygons: records
                .each::<Zone>()
                .filter_map(|z| match z.geometry {
                    Geometry::MultiPolygon(m) => Some((z.body.kind, m)),
                    _ => None,
                })
                .collect(),
        }
    }

    fn contain(&self, kind: ZoneKind, p: Point<f64>) -> bool {
        self.polygons
            .iter()
            .any(|(k, m)| *k == kind && m.contains(&p))
    }

    /// The zones other than the cremation zone that `p` lies in, in [`ZoneKind::ALL`]'s order.
    pub fn kinds_at(&self, p: Point<f64>) -> Vec<ZoneKind> {
        ZoneKind::ALL
            .into_iter()
            .filter(|k| *k != ZoneKind::Cremation && self.contain(*k, p))
            .collect()
    }

    /// Whether the unit with division code `code` lies in the cremation zone (its interior
    /// point does).
    pub fn residence_in_cremation(&self, units: &impl Records<AdminUnit>, code: &str) -> bool {
        units
            .each::<AdminUnit>()
            .find(|u| u.body.code.to_string() == code)
            .and_then(|u| u.geometry.interior_point())
            .is_some_and(|p| self.contain(ZoneKind::Cremation, p))
    }

    /// Whether `site` (its point, or its centroid) lies in the cremation zone.
    pub fn site_in_cremation(&self, site: &Geometry<f64>) -> bool {
        point_of(site).is_some_and(|p| self.contain(ZoneKind::Cremation, p))
    }
}

/// A geometry's point, or its centroid.
pub fn point_of(g: &Geometry<f64>) -> Option<Point<f64>> {
    match g {
        Geometry::Point(p) => Some(*p),
        other => other.centroid(),
    }
}

/// Puts back the stored whole number where a client sent the masked form of the same value;
/// refuses a masked value that matches nothing.
fn unmask<T: Masked>(new: &mut Option<T>, old: Option<&Option<T>>) -> Result<(), Refusal> {
    let Some(n) = new else { return Ok(()) };
    if !n.is_masked() {
        return Ok(());
    }
    match old.and_then(|o| o.as_ref()) {
        Some(o) if o.masked() == n.masked() => {
            *new = Some(o.clone());
            Ok(())
        }
        _ => Err(Refusal::MaskedNumber {
            what: T::WHAT,
            masked: n.masked(),
        }),
    }
}

/// What a burial registration must say, given whether the deceased lived in the cremation
/// zone or is laid to rest in it.
fn burial_complete(b: &Burial, site_in_zone: bool) -> Result<(), Refusal> {
    let name = || b.deceased.name.clone();
    if b.disposition == Disposition::Burial
        && (b.in_zone || site_in_zone)
        && b.exemption.as_deref().is_none_or(|e| e.trim().is_empty())
    {
        return Err(Refusal::BurialInCremationZone(name()));
    }
    if b.disposition == Disposition::Cremation
        && b.cremation_certificate
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
    {
        return Err(Refusal::NoCremationCertificate(name()));
    }
    if let Some(born) = b.deceased.born
        && born > b.deceased.died
    {
        return Err(Refusal::BornAfterDeath(name()));
    }
    if let (Some(n), Some(born)) = (&b.deceased.id_number, b.deceased.born)
        && n.birth_date().is_some_and(|d| d != born)
    {
        return Err(Refusal::BirthDateNotInIdNumber { name: name(), born });
    }
    Ok(())
}

/// Fills in what the registry decides on the records a changeset writes: the whole numbers
/// behind masked ones, whether a deceased lived in the cremation zone, which zones a grave
/// lies in; refuses a masked number that matches nothing and a burial registration that
/// lacks what the zone or the disposition asks for. `now` is the registry as it is.
pub fn settle<W, S>(writes: &mut W, now: &S) -> Result<(), Refusal>
where
    W: Writing<Burial> + Writing<Plot> + Writing<Grave> + Writing<SubsidyClaim>,
    S: Records<Zone> + Records<AdminUnit>,
{
    let zones = Zones::of(now);
    for w in writes.written::<Burial>() {
        let b = w.body;
        unmask(
            &mut b.deceased.id_number,
            w.before.map(|o| &o.deceased.id_number),
        )?;
        b.in_zone = zones.residence_in_cremation(now, &b.deceased.residence);
        burial_complete(b, zones.site_in_cremation(w.geometry))?;
    }
    for w in writes.written::<Plot>() {
        unmask(&mut w.body.holder_phone, w.before.map(|o| &o.holder_phone))?;
    }
    for w in writes.written::<Grave>() {
        unmask(&mut w.body.owner_phone, w.before.map(|o| &o.owner_phone))?;
        w.body.zones = point_of(w.geometry)
            .map(|p| zones.kinds_at(p))
            .unwrap_or_default();
    }
    for w in writes.written::<SubsidyClaim>() {
        unmask(
            &mut w.body.claimant_phone,
            w.before.map(|o| &o.claimant_phone),
        )?;
    }
    Ok(())
}

/// Refuses a changeset that would leave the cemeteries in breach of a rule; `after` is the
/// registry as the changeset would leave it, with the changes themselves.
pub fn check<A>(after: &A, subsidies: &[SubsidyRule], county_code: &str) -> Result<(), Refusal>
where
    A: Records<Plot>
        + Records<Section>
        + Records<Burial>
        + Records<SubsidyClaim>
        + Records<Grave>
        + Changes<Plot>
        + Changes<Burial>
        + Changes<SubsidyClaim>
        + Changes<Notice>,
{
    let mut occupancy: HashMap<RecordId, usize> = HashMap::new();
    for b in after.each::<Burial>() {
        if let Some(plot) = b.body.plot {
            *occupancy.entry(plot).or_default() += 1;
        }
    }
    let occupants = |plot: RecordId| occupancy.get(&plot).copied().unwrap_or(0);
    plots(after, &occupants)?;
    burials(after, &occupants)?;
    claims(after, subsidies, county_code)?;
    notices(after)
}

/// Plots: in a section of their cemetery, numbered in it, unique, allowed transitions, never
/// retired nor emptied while someone rests in them.
fn plots<A>(after: &A, occupants: &dyn Fn(RecordId) -> usize) -> Result<(), Refusal>
where
    A: Records<Plot> + Records<Section> + Changes<Plot>,
{
    let mut numbers: HashMap<(RecordId, &PlotNumber), RecordId> = HashMap::new();
    for p in after.each::<Plot>() {
        numbers
            .entry((p.body.section, &p.body.number))
            .or_insert(p.id);
    }
    for change in after.changes::<Plot>() {
        let id = change.id;
        let Some(p) = change.after else {
            if let Some(old) = change.before
                && occupants(id) > 0
            {
                return Err(Refusal::OccupiedPlotRetired(old.number.clone()));
            }
            continue;
        };
        let number = || p.number.clone();
        match after.one::<Section>(&p.section) {
            Some(s) if s.body.cemetery != p.cemetery => {
                return Err(Refusal::SectionOfAnotherCemetery(number()));
            }
            Some(s) if s.body.code != p.number.section => {
                return Err(Refusal::WrongSectionCode {
                    number: number(),
                    section: s.body.code.clone(),
                });
            }
            Some(_) => {}
            None => {
                return Err(Refusal::NoSuchSection {
                    number: number(),
                    section: p.section,
                });
            }
        }
        if numbers.get(&(p.section, &p.number)) != Some(&id) {
            return Err(Refusal::PlotNumberTaken(number()));
        }
        let n = occupants(id);
        if let Some(old) = change.before {
            if !old.status.may_become(p.status) {
                return Err(Refusal::PlotStatusStep {
                    number: number(),
                    from: old.status.label(),
                    to: p.status.label(),
                });
            }
            if old.kind != p.kind && n > 0 {
                return Err(Refusal::OccupiedPlotKind(number()));
            }
        }
        if !p.status.in_use() && p.status != PlotStatus::Expired && n > 0 {
            return Err(Refusal::StatusBesideBurials {
                number: number(),
                burials: n,
                status: p.status.label(),
            });
        }
    }
    Ok(())
}

/// Burials: in a plot that exists, is in use, takes their remains and has room.
fn burials<A>(after: &A, occupants: &dyn Fn(RecordId) -> usize) -> Result<(), Refusal>
where
    A: Records<Plot> + Changes<Burial>,
{
    for change in after.changes::<Burial>() {
        let Some(b) = change.after else { continue };
        let Some(plot_id) = b.plot else { continue };
        let name = || b.deceased.name.clone();
        let Some(plot) = after.one::<Plot>(&plot_id).map(|p| p.body) else {
            return Err(Refusal::NoSuchPlot {
                name: name(),
                plot: plot_id,
            });
        };
        let n = occupants(plot_id);
        if n > plot.kind.capacity() {
            return Err(Refusal::PlotFull {
                number: plot.number.clone(),
                kind: plot.kind.label(),
                capacity: plot.kind.capacity(),
                burials: n,
            });
        }
        if b.disposition == Disposition::Burial && plot.kind.remains == Remains::Ashes {
            return Err(Refusal::BodyInAshesPlot {
                name: name(),
                number: plot.number.clone(),
            });
        }
        let moved_in = change.before.is_none_or(|old| old.plot != b.plot);
        if moved_in && !plot.status.in_use() {
            return Err(Refusal::PlotNotInUse {
                number: plot.number.clone(),
                status: plot.status.label(),
            });
        }
    }
    Ok(())
}

/// Subsidy claims: one per deceased, under a configured rule the deceased is eligible for,
/// its items adding up to its total within the rule's cap.
fn claims<A>(after: &A, subsidies: &[SubsidyRule], county_code: &str) -> Result<(), Refusal>
where
    A: Records<Burial> + Records<SubsidyClaim> + Changes<SubsidyClaim>,
{
    let mut claims: HashMap<RecordId, usize> = HashMap::new();
    for c in after.each::<SubsidyClaim>() {
        *claims.entry(c.body.burial).or_default() += 1;
    }
    for change in after.changes::<SubsidyClaim>() {
        let Some(c) = change.after else { continue };
        let Some(b) = after.one::<Burial>(&c.burial).map(|b| b.body) else {
            return Err(Refusal::NoSuchBurial(c.burial));
        };
        if claims.get(&c.burial).copied().unwrap_or(0) > 1 {
            return Err(Refusal::SecondClaim(b.deceased.name.clone()));
        }
        let rule = subsidies
            .iter()
            .find(|r| r.id == c.rule)
            .ok_or_else(|| Refusal::UnknownSubsidyRule(c.rule.clone()))?;
        rule.eligible(b, county_code)
            .map_err(Refusal::NotEligible)?;
        let sum: i64 = c.items.iter().map(|i| i.amount_fen).sum();
        if sum != c.total_fen || c.total_fen > rule.total_cap_fen() {
            return Err(Refusal::SubsidyTotal {
                total: yuan(c.total_fen),
                cap: yuan(rule.total_cap_fen()),
            });
        }
    }
    Ok(())
}

/// Relocation notices: about a grave that exists, with lawful terms, moved along their steps.
fn notices<A>(after: &A) -> Result<(), Refusal>
where
    A: Records<Grave> + Changes<Notice>,
{
    for change in after.changes::<Notice>() {
        let Some(n) = change.after else { continue };
        if after.one::<Grave>(&n.grave).is_none() {
            return Err(Refusal::NoSuchGrave {
                number: n.number.clone(),
                grave: n.grave,
            });
        }
        let problems = n.terms.problems();
        if !problems.is_empty() {
            return Err(Refusal::NoticeTerms {
                number: n.number.clone(),
                problems: problems.join("；"),
            });
        }
        if let Some(old) = change.before
            && old.status != n.status
            && !old.status.may_become(n.status)
        {
            return Err(Refusal::NoticeStatusStep {
                number: n.number.clone(),
                from: old.status.label(),
                to: n.status.label(),
            });
        }
    }
    Ok(())
}
