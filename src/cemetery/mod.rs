//! Cemeteries and burials (殡葬): cemeteries, sections and plots with their state machine and
//! use periods; deaths and their disposition (burial registration); subsidy claims; graves
//! outside cemeteries (散埋乱葬) and the relocation notices sent for them; the zones they are
//! checked against; and the cremation statistics. Pure: no I/O. Rules in DOMAIN.md §5.
//!
//! Each of these is a record with history (layers `cemeteries`, `cemetery_sections`,
//! `plots`, `burials`, `subsidy_claims`, `graves`, `relocation_notices`, `zones`). Burial
//! records, graves, notices and claims carry personal data: they are visible to the burial
//! office only, and ID-card and telephone numbers are masked in every output
//! ([`personal`]).

pub mod check;
pub mod layout;
pub mod ledger;
pub mod personal;
pub mod retention;
pub mod stats;
pub mod subsidy;

use crate::record::{Attributes, Describe};
use crate::record::{RecordId, Source};
use chrono::{Datelike, NaiveDate};
use personal::{IdNumber, Phone};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// 公益性公墓 or 经营性公墓.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CemeteryKind {
    Public,
    Commercial,
}

impl CemeteryKind {
    pub const ALL: [CemeteryKind; 2] = [CemeteryKind::Public, CemeteryKind::Commercial];

    pub fn label(self) -> &'static str {
        match self {
            CemeteryKind::Public => "公益性公墓",
            CemeteryKind::Commercial => "经营性公墓",
        }
    }
}

/// A cemetery (layer `cemeteries`; the geometry is its boundary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cemetery {
    pub name: String,
    pub kind: CemeteryKind,
    pub operator: String,
    #[serde(default)]
    pub address: String,
    /// The approval (批准文号) under which it was built.
    #[serde(default)]
    pub approval: Option<String>,
    #[serde(default)]
    pub opened: Option<NaiveDate>,
    pub source: Source,
}

/// A section (墓区) of a cemetery (layer `cemetery_sections`; its boundary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub cemetery: RecordId,
    /// 区号, the first part of every plot number in it ("A", "3", "东").
    pub code: String,
    #[serde(default)]
    pub name: String,
    pub source: Source,
}

/// 区-排-号: section, row and number; unique within the section.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlotNumber {
    pub section: String,
    pub row: u32,
    pub number: u32,
}

impl fmt::Display for PlotNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.section, self.row, self.number)
    }
}

impl FromStr for PlotNumber {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let bad = || format!("墓位号“{s}”无效：应为 区-排-号，如 A-3-12");
        if parts.len() != 3 || parts[0].is_empty() {
            return Err(bad());
        }
        let row: u32 = parts[1].parse().map_err(|_| bad())?;
        let number: u32 = parts[2].parse().map_err(|_| bad())?;
        if row == 0 || number == 0 {
            return Err(bad());
        }
        Ok(PlotNumber {
            section: parts[0].into(),
            row,
            number,
        })
    }
}

impl Serialize for PlotNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlotNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// What a plot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remains {
    /// 骨灰
    Ashes,
    /// 遗体
    Body,
}

/// Single (单穴) or double (双穴, a couple).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupancy {
    Single,
    Double,
}

/// A plot's kind: what it holds and for how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotKind {
    pub remains: Remains,
    pub occupancy: Occupancy,
}

impl PlotKind {
    pub fn capacity(self) -> usize {
        match self.occupancy {
            Occupancy::Single => 1,
            Occupancy::Double => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match (self.remains, self.occupancy) {
            (Remains::Ashes, Occupancy::Single) => "骨灰单穴",
            (Remains::Ashes, Occupancy::Double) => "骨灰双穴",
            (Remains::Body, Occupancy::Single) => "遗体单穴",
            (Remains::Body, Occupancy::Double) => "遗体双穴",
        }
    }

    pub fn as_str(self) -> &'static str {
        match (self.remains, self.occupancy) {
            (Remains::Ashes, Occupancy::Single) => "ashes_single",
            (Remains::Ashes, Occupancy::Double) => "ashes_double",
            (Remains::Body, Occupancy::Single) => "body_single",
            (Remains::Body, Occupancy::Double) => "body_double",
        }
    }
}

impl FromStr for PlotKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (remains, occupancy) = match s {
            "ashes_single" | "骨灰单穴" => (Remains::Ashes, Occupancy::Single),
            "ashes_double" | "骨灰双穴" => (Remains::Ashes, Occupancy::Double),
            "body_single" | "遗体单穴" => (Remains::Body, Occupancy::Single),
            "body_double" | "遗体双穴" => (Remains::Body, Occupancy::Double),
            _ => {
                return Err(format!(
                    "墓位类型“{s}”无效：应为 ashes_single、ashes_double、body_single、body_double"
                ));
            }
        };
        Ok(PlotKind { remains, occupancy })
    }
}

/// Where a plot is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlotStatus {
    /// 可用
    Available,
    /// 已预订
    Reserved,
    /// 已安葬
    Occupied,
    /// 迁入 (remains moved in from a grave outside the cemetery)
    RelocatedIn,
    /// 使用期满 (not renewed)
    Expired,
}

impl PlotStatus {
    pub const ALL: [PlotStatus; 5] = [
        PlotStatus::Available,
        PlotStatus::Reserved,
        PlotStatus::Occupied,
        PlotStatus::RelocatedIn,
        PlotStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlotStatus::Available => "available",
            PlotStatus::Reserved => "reserved",
            PlotStatus::Occupied => "occupied",
            PlotStatus::RelocatedIn => "relocated_in",
            PlotStatus::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlotStatus::Available => "可用",
            PlotStatus::Reserved => "已预订",
            PlotStatus::Occupied => "已安葬",
            PlotStatus::RelocatedIn => "迁入安葬",
            PlotStatus::Expired => "使用期满",
        }
    }

    /// Whether remains rest in the plot.
    pub fn in_use(self) -> bool {
        matches!(self, PlotStatus::Occupied | PlotStatus::RelocatedIn)
    }

    /// The allowed transitions. Occupied → occupied is a renewal or a second burial in a
    /// double plot; expired → occupied a late renewal; expired → available only once the
    /// remains have been moved out (checked against the burials by the registry).
    pub fn may_become(self, next: PlotStatus) -> bool {
        use PlotStatus::*;
        matches!(
            (self, next),
            (Available, Reserved | Occupied | RelocatedIn)
                | (Reserved, Available | Occupied | RelocatedIn | Reserved)
                | (Occupied, Occupied | Expired)
                | (RelocatedIn, RelocatedIn | Occupied | Expired)
                | (Expired, Occupied | RelocatedIn | Available | Expired)
                | (Available, Available)
        )
    }
}

impl FromStr for PlotStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        PlotStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label() == s)
            .ok_or_else(|| format!("墓位状态“{s}”无效"))
    }
}

/// The use period of a plot (20 years a cycle, renewable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsePeriod {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// Years in one use cycle.
pub const USE_YEARS: i32 = 20;

/// `date` plus `years` (29 February becomes 28 February).
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    date.with_year(date.year() + years)
        .or_else(|| NaiveDate::from_ymd_opt(date.year() + years, date.month(), 28))
        .expect("a valid date")
}

/// A renewal of a plot's use period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    pub on: NaiveDate,
    pub until: NaiveDate,
    #[serde(default)]
    pub receipt: String,
}

/// A plot (墓位) in a section (layer `plots`; its polygon).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plot {
    pub cemetery: RecordId,
    pub section: RecordId,
    pub number: PlotNumber,
    pub kind: PlotKind,
    pub status: PlotStatus,
    /// When it was laid out: the size limits in force then apply.
    pub laid_out: NaiveDate,
    /// Who holds the right of use (a relative), if assigned.
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub holder_phone: Option<Phone>,
    #[serde(default)]
    pub period: Option<UsePeriod>,
    #[serde(default)]
    pub renewals: Vec<Renewal>,
    pub source: Source,
}

impl Plot {
    /// The plot with its use period renewed for another cycle from its current end.
    pub fn renewed(&self, on: NaiveDate, receipt: &str) -> Result<Plot, String> {
        let Some(period) = &self.period else {
            return Err(format!("墓位 {} 尚未启用，没有可续期的使用期", self.number));
        };
        if !matches!(
            self.status,
            PlotStatus::Occupied | PlotStatus::RelocatedIn | PlotStatus::Expired
        ) {
            return Err(format!(
                "墓位 {} 状态为“{}”，不能续期",
                self.number,
                self.status.label()
            ));
        }
        let until = add_years(period.until, USE_YEARS);
        let mut next = self.clone();
        next.period = Some(UsePeriod {
            from: period.from,
            until,
        });
        next.renewals.push(Renewal {
            on,
            until,
            receipt: receipt.into(),
        });
        if next.status == PlotStatus::Expired {
            next.status = PlotStatus::Occupied;
        }
        Ok(next)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

impl FromStr for Sex {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "男" | "male" | "M" | "m" => Ok(Sex::Male),
            "女" | "female" | "F" | "f" => Ok(Sex::Female),
            _ => Err(format!("性别“{s}”无效：应为 男 或 女")),
        }
    }
}

/// The deceased (逝者).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deceased {
    pub name: String,
    pub sex: Sex,
    /// 民族
    pub ethnicity: String,
    /// Stored whole, shown masked outside the burial office.
    #[serde(default)]
    pub id_number: Option<IdNumber>,
    #[serde(default)]
    pub born: Option<NaiveDate>,
    pub died: NaiveDate,
    /// Division code of the unit where the deceased lived (户籍或居住地).
    pub residence: String,
    #[serde(default)]
    pub place_of_death: String,
}

/// What happened to the remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// 火化
    Cremation,
    /// 土葬 (a body burial)
    Burial,
    /// 其他 (body donated, repatriated…)
    Other,
}

impl Disposition {
    pub fn label(self) -> &'static str {
        match self {
            Disposition::Cremation => "火化",
            Disposition::Burial => "土葬",
            Disposition::Other => "其他",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Cremation => "cremation",
            Disposition::Burial => "burial",
            Disposition::Other => "other",
        }
    }
}

impl FromStr for Disposition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "cremation" | "火化" => Ok(Disposition::Cremation),
            "burial" | "土葬" | "安葬" => Ok(Disposition::Burial),
            "other" | "其他" => Ok(Disposition::Other),
            _ => Err(format!("处理方式“{s}”无效：应为 火化、土葬 或 其他")),
        }
    }
}

/// A death and the disposition of the remains (殡葬登记; layer `burials`). The geometry is
/// where the remains went: the plot, the burial site, or the funeral home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burial {
    pub deceased: Deceased,
    pub disposition: Disposition,
    /// 火化证明编号
    #[serde(default)]
    pub cremation_certificate: Option<String>,
    /// The plot the remains rest in, if in a cemetery.
    #[serde(default)]
    pub plot: Option<RecordId>,
    /// Whether the deceased lived inside a cremation zone (set by the registry from the zones
    /// in force when the record was registered).
    #[serde(default)]
    pub in_zone: bool,
    /// Why a body was buried inside the cremation zone (民族习俗…); required there.
    #[serde(default)]
    pub exemption: Option<String>,
    /// The grave it was moved from, for remains relocated into a cemetery.
    #[serde(default)]
    pub relocated_from: Option<RecordId>,
    pub registered_by: String,
    pub registered_on: NaiveDate,
    #[serde(default)]
    pub documents: Vec<String>,
    pub source: Source,
}

impl Burial {
    /// The title the public may see: name and years only.
    pub fn public_title(&self) -> String {
        let born = self
            .deceased
            .born
            .map_or_else(|| "?".to_string(), |b| b.year().to_string());
        format!(
            "{}（{}—{}）",
            self.deceased.name,
            born,
            self.deceased.died.year()
        )
    }
}

/// A subsidy claim (惠民殡葬补贴; layer `subsidy_claims`, at the burial's place).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyClaim {
    pub burial: RecordId,
    /// The rule (configuration) the claim was assessed under.
    pub rule: String,
    pub items: Vec<subsidy::Item>,
    /// The amount granted, fen.
    pub total_fen: i64,
    pub claimed_on: NaiveDate,
    pub claimant: String,
    #[serde(default)]
    pub claimant_phone: Option<Phone>,
    #[serde(default)]
    pub paid_on: Option<NaiveDate>,
    pub source: Source,
}

/// Kinds of zones burials and graves are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// 火葬区
    Cremation,
    /// 公路、铁路沿线
    RoadRailway,
    /// 村庄周边
    Village,
    /// 河流、水库沿岸
    RiverReservoir,
    /// 水源保护区
    WaterSource,
    /// 文物保护区
    Heritage,
    /// 风景名胜区
    Scenic,
    /// 居民区
    Residential,
    /// 自然保护区
    NatureReserve,
    /// 承包草原
    Grassland,
}

impl ZoneKind {
    pub const ALL: [ZoneKind; 10] = [
        ZoneKind::Cremation,
        ZoneKind::RoadRailway,
        ZoneKind::Village,
        ZoneKind::RiverReservoir,
        ZoneKind::WaterSource,
        ZoneKind::Heritage,
        ZoneKind::Scenic,
        ZoneKind::Residential,
        ZoneKind::NatureReserve,
        ZoneKind::Grassland,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Cremation => "cremation",
            ZoneKind::RoadRailway => "road_railway",
            ZoneKind::Village => "village",
            ZoneKind::RiverReservoir => "river_reservoir",
            ZoneKind::WaterSource => "water_source",
            ZoneKind::Heritage => "heritage",
            ZoneKind::Scenic => "scenic",
            ZoneKind::Residential => "residential",
            ZoneKind::NatureReserve => "nature_reserve",
            ZoneKind::Grassland => "grassland",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ZoneKind::Cremation => "火葬区",
            ZoneKind::RoadRailway => "公路铁路沿线",
            ZoneKind::Village => "村庄周边",
            ZoneKind::RiverReservoir => "河流水库沿岸",
            ZoneKind::WaterSource => "水源保护区",
            ZoneKind::Heritage => "文物保护区",
            ZoneKind::Scenic => "风景名胜区",
            ZoneKind::Residential => "居民区",
            ZoneKind::NatureReserve => "自然保护区",
            ZoneKind::Grassland => "承包草原",
        }
    }
}

impl FromStr for ZoneKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ZoneKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label() == s)
            .ok_or_else(|| format!("区域类型“{s}”无效"))
    }
}

/// A zone (layer `zones`): the cremation zone, or an area where graves are not allowed
/// (三沿七区). Configurable: officers draw or import them like any other layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    pub name: String,
    pub kind: ZoneKind,
    /// The document that delimits it.
    #[serde(default)]
    pub basis: String,
    pub source: Source,
}

/// Kinds of graves outside cemeteries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GraveKind {
    /// 普通坟墓
    Ordinary,
    /// 硬化大墓 (over 4 m², or 6 m² double)
    Hardened,
    /// 活人墓（空穴）
    Empty,
    /// 豪华墓 (over 10 m²)
    Luxury,
    /// 家族墓地
    Clan,
}

impl GraveKind {
    pub const ALL: [GraveKind; 5] = [
        GraveKind::Ordinary,
        GraveKind::Hardened,
        GraveKind::Empty,
        GraveKind::Luxury,
        GraveKind::Clan,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GraveKind::Ordinary => "普通坟墓",
            GraveKind::Hardened => "硬化大墓",
            GraveKind::Empty => "活人墓（空穴）",
            GraveKind::Luxury => "豪华墓",
            GraveKind::Clan => "家族墓地",
        }
    }
}

/// How a grave is dealt with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// 迁移
    Move,
    /// 植树遮挡
    Screen,
    /// 去除硬化
    RemoveHardening,
    /// 深埋
    DeepBurial,
}

impl Treatment {
    pub const ALL: [Treatment; 4] = [
        Treatment::Move,
        Treatment::Screen,
        Treatment::RemoveHardening,
        Treatment::DeepBurial,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Treatment::Move => "迁移",
            Treatment::Screen => "植树遮挡",
            Treatment::RemoveHardening => "去除硬化",
            Treatment::DeepBurial => "深埋",
        }
    }
}

/// A grave outside a cemetery (散埋乱葬; layer `graves`, where it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grave {
    /// Ledger number (散坟台账编号).
    pub number: String,
    pub kind: GraveKind,
    #[serde(default)]
    pub area_m2: Option<f64>,
    /// Who rests there, if known.
    #[serde(default)]
    pub buried: Option<String>,
    /// The owner (坟主) and contact: personal data.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub owner_phone: Option<Phone>,
    /// The zones it lies in (set by the registry from the zone layer).
    #[serde(default)]
    pub zones: Vec<ZoneKind>,
    #[serde(default)]
    pub treatment: Option<Treatment>,
    pub surveyed: NaiveDate,
    /// Once moved: the plot it went to and the burial record made there.
    #[serde(default)]
    pub moved_to: Option<RecordId>,
    #[serde(default)]
    pub burial: Option<RecordId>,
    #[serde(default)]
    pub photos: Vec<String>,
    #[serde(default)]
    pub notes: String,
    pub source: Source,
}

/// Where a relocation notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// 已发出
    Issued,
    /// 已送达（签收）
    Delivered,
    /// 已登记
    Registered,
    /// 已迁入公墓
    Relocated,
    /// 已补偿
    Compensated,
    /// 逾期无主
    Unclaimed,
}

impl NoticeStatus {
    pub const ALL: [NoticeStatus; 6] = [
        NoticeStatus::Issued,
        NoticeStatus::Delivered,
        NoticeStatus::Registered,
        NoticeStatus::Relocated,
        NoticeStatus::Compensated,
        NoticeStatus::Unclaimed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Issued => "issued",
            NoticeStatus::Delivered => "delivered",
            NoticeStatus::Registered => "registered",
            NoticeStatus::Relocated => "relocated",
            NoticeStatus::Compensated => "compensated",
            NoticeStatus::Unclaimed => "unclaimed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoticeStatus::Issued => "已发出",
            NoticeStatus::Delivered => "已送达",
            NoticeStatus::Registered => "已登记",
            NoticeStatus::Relocated => "已迁入公墓",
            NoticeStatus::Compensated => "已补偿",
            NoticeStatus::Unclaimed => "逾期无主",
        }
    }

    /// The steps in order: issued → delivered → registered → relocated → compensated; a
    /// notice not registered or not moved by the deadline becomes unclaimed.
    pub fn may_become(self, next: NoticeStatus) -> bool {
        use NoticeStatus::*;
        matches!(
            (self, next),
            (Issued, Delivered | Unclaimed)
                | (Delivered, Registered | Unclaimed)
                | (Registered, Relocated | Unclaimed)
                | (Relocated, Compensated)
        )
    }
}

impl FromStr for NoticeStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        NoticeStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label() == s)
            .ok_or_else(|| format!("告知书状态“{s}”无效"))
    }
}

/// What every notice of a batch says besides the grave (from the officer's command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeTerms {
    /// 依据
    pub basis: String,
    /// 事由 (the project)
    pub reason: String,
    /// 范围 in words
    pub scope: String,
    pub registration_from: NaiveDate,
    pub registration_until: NaiveDate,
    pub deadline: NaiveDate,
    /// The destination cemetery (its record) and its name as printed.
    pub destination: RecordId,
    pub destination_name: String,
    /// 补偿标准, fen per grave.
    pub compensation_single_fen: i64,
    pub compensation_double_fen: i64,
    /// 按期迁移奖励, fen.
    pub bonus_fen: i64,
    /// 需携带材料
    pub documents: String,
    /// 联系单位、地址、联系人、电话
    pub contact: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
}

impl NoticeTerms {
    /// What is wrong with the terms (windows and deadline in order).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.registration_until < self.registration_from {
            out.push("登记截止日期早于登记开始日期".to_string());
        }
        if self.registration_from < self.issued_on {
            out.push("登记开始日期早于告知日期".to_string());
        }
        if self.deadline < self.registration_until {
            out.push("迁移期限早于登记截止日期".to_string());
        }
        for (what, value) in [
            ("依据", &self.basis),
            ("事由", &self.reason),
            ("范围", &self.scope),
            ("联系方式", &self.contact),
            ("发布单位", &self.issuer),
        ] {
            if value.trim().is_empty() {
                out.push(format!("缺少{what}"));
            }
        }
        out
    }
}

/// A step in a notice's life, dated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeStep {
    pub status: NoticeStatus,
    pub on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// A relocation notice for one grave (迁坟告知书; layer `relocation_notices`, at the grave).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// 告知书编号
    pub number: String,
    /// The batch it was issued in.
    pub batch: String,
    pub grave: RecordId,
    pub terms: NoticeTerms,
    pub status: NoticeStatus,
    #[serde(default)]
    pub steps: Vec<NoticeStep>,
    /// Who signed for it on delivery.
    #[serde(default)]
    pub signed_by: Option<String>,
    /// The plot the remains moved into.
    #[serde(default)]
    pub plot: Option<RecordId>,
    #[serde(default)]
    pub compensation_fen: Option<i64>,
    pub source: Source,
}

impl Notice {
    /// The notice after a step, or why the step is not allowed.
    pub fn step(&self, status: NoticeStatus, on: NaiveDate, note: &str) -> Result<Notice, String> {
        if !self.status.may_become(status) {
            return Err(format!(
                "告知书 {} 状态为“{}”，不能改为“{}”",
                self.number,
                self.status.label(),
                status.label()
            ));
        }
        if status == NoticeStatus::Unclaimed && on <= self.terms.deadline {
            return Err(format!(
                "告知书 {} 的迁移期限为 {}，期满前不能按无主坟处理",
                self.number, self.terms.deadline
            ));
        }
        let mut next = self.clone();
        next.status = status;
        next.steps.push(NoticeStep {
            status,
            on,
            note: note.into(),
        });
        Ok(next)
    }
}

/// Yuan with two decimals from fen.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

impl Describe for Cemetery {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("公墓名称", &self.name)
            .row("公墓性质", self.kind.label())
            .row("经营单位", &self.operator)
            .row("地址", &self.address)
            .some("批准文件", self.approval.as_ref())
            .some("启用日期", self.opened)
    }
}

impl Describe for Section {
    fn title(&self) -> String {
        format!("{}区", self.code)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("墓区编号", &self.code)
            .row("墓区名称", &self.name)
    }
}

impl Describe for Plot {
    fn title(&self) -> String {
        format!("墓位 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("墓位号", &self.number)
            .row("墓位类型", self.kind.label())
            .row("状态", self.status.label())
            .row("划定日期", self.laid_out)
            .some("使用人", self.holder.as_ref())
            .some("使用人电话", self.holder_phone.as_ref())
            .some("使用期至", self.period.as_ref().map(|p| p.until))
    }
}

impl Describe for Burial {
    fn title(&self) -> String {
        self.public_title()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("逝者姓名", &self.deceased.name)
            .row("性别", self.deceased.sex.label())
            .row("民族", &self.deceased.ethnicity)
            .row("死亡日期", self.deceased.died)
            .row("安葬方式", self.disposition.label())
            .some("火化证明编号", self.cremation_certificate.as_ref())
            .row("是否在火葬区", if self.in_zone { "是" } else { "否" })
            .row("登记日期", self.registered_on)
            .row("登记人", &self.registered_by)
    }
}

impl Describe for SubsidyClaim {
    fn title(&self) -> String {
        format!("补贴 {} 元", yuan(self.total_fen))
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("补贴标准", &self.rule)
            .row("金额（元）", yuan(self.total_fen))
            .row("申领日期", self.claimed_on)
            .row("申领人", &self.claimant)
            .some("发放日期", self.paid_on)
    }
}

impl Describe for Grave {
    fn title(&self) -> String {
        format!("散坟 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        let zones: Vec<&str> = self.zones.iter().map(|z| z.label()).collect();
        Attributes::new()
            .row("坟墓编号", &self.number)
            .row("坟墓类型", self.kind.label())
            .some("面积（平方米）", self.area_m2.map(|a| format!("{a:.1}")))
            .list("所在禁葬区", &zones)
            .some("处置方式", self.treatment.map(|t| t.label()))
            .row("调查日期", self.surveyed)
            .row("备注", &self.notes)
    }
}

impl Describe for Notice {
    fn title(&self) -> String {
        format!("迁坟告知书 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("告知书编号", &self.number)
            .row("批次", &self.batch)
            .row("状态", self.status.label())
            .row("迁移期限", self.terms.deadline)
            .row("迁入公墓", &self.terms.destination_name)
            .some("签收人", self.signed_by.as_ref())
    }
}

impl Describe for Zone {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("区划名称", &self.name)
            .row("区划类型", self.kind.label())
            .row("划定依据", &self.basis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_numbers_read_and_print() {
        let n: PlotNumber = "A-3-12".parse().unwrap();
        assert_eq!(n.to_string(), "A-3-12");
        assert_eq!(n.row, 3);
        assert!("A-0-1".parse::<PlotNumber>().is_err());
        assert!("A-3".parse::<PlotNumber>().is_err());
    }

    #[test]
    fn plot_state_machine() {
        use PlotStatus::*;
        assert!(Available.may_become(Reserved));
        assert!(Reserved.may_become(Occupied));
        assert!(Occupied.may_become(Expired));
        assert!(Expired.may_become(Occupied));
        assert!(!Occupied.may_become(Available));
        assert!(!Occupied.may_become(Reserved));
        assert!(!RelocatedIn.may_become(Available));
        assert!(!Available.may_become(Expired));
    }

    #[test]
    fn notice_steps_in_order() {
        let terms = NoticeTerms {
            basis: "《殡葬管理条例》".into(),
            reason: "道路建设".into(),
            scope: "示例".into(),
            registration_from: NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
            registration_until: NaiveDate::from_ymd_opt(2020, 3, 20).unwrap(),
            deadline: NaiveDate::from_ymd_opt(2020, 3, 31).unwrap(),
            destination: RecordId::derived("c"),
            destination_name: "公墓".into(),
            compensation_single_fen: 100,
            compensation_double_fen: 200,
            bonus_fen: 0,
            documents: "身份证".into(),
            contact: "民政局".into(),
            issuer: "民政局".into(),
            issued_on: NaiveDate::from_ymd_opt(2020, 2, 25).unwrap(),
        };
        assert!(terms.problems().is_empty());
        let n = Notice {
            number: "1".into(),
            batch: "b".into(),
            grave: RecordId::derived("g"),
            terms,
            status: NoticeStatus::Issued,
            steps: vec![],
            signed_by: None,
            plot: None,
            compensation_fen: None,
            source: Source::Sample,
        };
        let d = |m, day| NaiveDate::from_ymd_opt(2020, m, day).unwrap();
        assert!(n.step(NoticeStatus::Relocated, d(3, 2), "").is_err());
        assert!(n.step(NoticeStatus::Unclaimed, d(3, 30), "").is_err());
        assert!(n.step(NoticeStatus::Unclaimed, d(4, 1), "").is_ok());
        let delivered = n.step(NoticeStatus::Delivered, d(2, 26), "").unwrap();
        assert_eq!(delivered.steps.len(), 1);
    }
}
