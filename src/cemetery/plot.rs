//! Plots (墓位): their numbers, kinds, statuses and state machine, use periods and renewals.

use super::{Datelike, Deserialize, FromStr, NaiveDate, Phone, RecordId, Serialize, Source, fmt};
use crate::record::{Field, Form};

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

impl Remains {
    pub const ALL: [Remains; 2] = [Remains::Ashes, Remains::Body];

    pub fn label(self) -> &'static str {
        match self {
            Remains::Ashes => "骨灰",
            Remains::Body => "遗体",
        }
    }
}

/// Single (单穴) or double (双穴, a couple).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupancy {
    Single,
    Double,
}

impl Occupancy {
    pub const ALL: [Occupancy; 2] = [Occupancy::Single, Occupancy::Double];

    pub fn label(self) -> &'static str {
        match self {
            Occupancy::Single => "单穴",
            Occupancy::Double => "双穴",
        }
    }
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

impl Plot {
    /// The map editor's form of a plot (its cemetery is filled in from its section).
    pub fn form() -> Form {
        use serde_json::json;
        Form::new(vec![
            Field::reference("section", "墓区", "cemetery_sections").required(),
            Field::reference("cemetery", "公墓", "cemeteries")
                .with(json!({ "x-fill": { "from": "section", "property": "cemetery" } }))
                .required(),
            Field::text("number", "墓位号（区-排-号）")
                .with(
                    json!({ "pattern": "^[^-]+-[1-9][0-9]*-[1-9][0-9]*$", "examples": ["A-3-12"] }),
                )
                .required(),
            Field::object(
                "kind",
                "墓位类型",
                vec![
                    Field::choice("remains", "安葬", &Remains::ALL, Remains::label).required(),
                    Field::choice("occupancy", "穴数", &Occupancy::ALL, Occupancy::label)
                        .required(),
                ],
            )
            .required(),
            Field::choice("status", "状态", &PlotStatus::ALL, PlotStatus::label).required(),
            Field::date("laid_out", "建成日期").required(),
            Field::text("holder", "使用权人").with(json!({ "x-personal": true })),
            Field::text("holder_phone", "使用权人电话").with(json!({ "x-personal": true })),
        ])
    }
}
