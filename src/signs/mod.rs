//! Street signs (地名标志, GB 17733): the sign register, its inspections and repair work orders,
//! the conformance of each sign with the approved record it names, and the face of a sign
//! drawn to scale for the sign maker. Pure: no I/O.
//!
//! A sign is a record (layer `signs`, a point where it stands); so are its inspections
//! (`sign_inspections`) and work orders (`work_orders`), each with the sign's position as
//! geometry so that they show on the map.

pub mod artwork;
pub mod conformance;
mod report;

use crate::record::{Attributes, Describe, Field, Form, Tag};
use crate::record::{RecordId, Source};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use conformance::{Expected, Finding, Rule, check};
pub use report::{SignReport, SignSummary};

/// Kinds of signs (GB 17733 and the city's practice).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SignKind {
    /// 街牌、路牌
    Street,
    /// 巷牌
    Lane,
    /// 灯箱式街路牌 (the 124 re-installed in 2020)
    Lightbox,
    /// 楼牌
    Building,
    /// 门牌
    Door,
    /// 地名牌 (a place: a square, a park, a residential area)
    Place,
    /// 指位牌、指向牌
    Guide,
}

impl SignKind {
    pub const ALL: [SignKind; 7] = [
        SignKind::Street,
        SignKind::Lane,
        SignKind::Lightbox,
        SignKind::Building,
        SignKind::Door,
        SignKind::Place,
        SignKind::Guide,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignKind::Street => "street",
            SignKind::Lane => "lane",
            SignKind::Lightbox => "lightbox",
            SignKind::Building => "building",
            SignKind::Door => "door",
            SignKind::Place => "place",
            SignKind::Guide => "guide",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SignKind::Street => "街牌、路牌",
            SignKind::Lane => "巷牌",
            SignKind::Lightbox => "灯箱式街路牌",
            SignKind::Building => "楼牌",
            SignKind::Door => "门牌",
            SignKind::Place => "地名牌",
            SignKind::Guide => "指向牌",
        }
    }

    /// Signs that carry a street's name in the GB 17733 street-sign layout (Chinese 3/5,
    /// pinyin 2/5).
    pub fn is_street_sign(self) -> bool {
        matches!(
            self,
            SignKind::Street | SignKind::Lane | SignKind::Lightbox | SignKind::Guide
        )
    }

    /// Signs that carry a door or building number.
    pub fn has_number(self) -> bool {
        matches!(self, SignKind::Building | SignKind::Door)
    }
}

/// How a sign is mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mounting {
    /// 立杆
    Pole,
    /// 墙面
    Wall,
    /// 灯箱
    Lightbox,
}

impl Mounting {
    pub const ALL: [Mounting; 3] = [Mounting::Pole, Mounting::Wall, Mounting::Lightbox];

    pub fn label(self) -> &'static str {
        match self {
            Mounting::Pole => "立杆",
            Mounting::Wall => "墙面",
            Mounting::Lightbox => "灯箱",
        }
    }
}

/// The state a sign is found in.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// 完好
    #[default]
    Good,
    /// 残缺
    Damaged,
    /// 污损
    Dirty,
    /// 褪色
    Faded,
    /// 缺失
    Missing,
}

impl Condition {
    pub const ALL: [Condition; 5] = [
        Condition::Good,
        Condition::Damaged,
        Condition::Dirty,
        Condition::Faded,
        Condition::Missing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Good => "good",
            Condition::Damaged => "damaged",
            Condition::Dirty => "dirty",
            Condition::Faded => "faded",
            Condition::Missing => "missing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Condition::Good => "完好",
            Condition::Damaged => "残缺",
            Condition::Dirty => "污损",
            Condition::Faded => "褪色",
            Condition::Missing => "缺失",
        }
    }

    /// The colour a map of conditions draws it in.
    pub fn colour(self) -> &'static str {
        match self {
            Condition::Good => "#2e7d32",
            Condition::Damaged => "#c62828",
            Condition::Dirty => "#8d6e63",
            Condition::Faded => "#f9a825",
            Condition::Missing => "#6a1b9a",
        }
    }

    /// The work that puts a sign in this condition right.
    pub fn remedy(self) -> Option<WorkKind> {
        match self {
            Condition::Good => None,
            Condition::Damaged => Some(WorkKind::Repair),
            Condition::Dirty => Some(WorkKind::Clean),
            Condition::Faded => Some(WorkKind::Replace),
            Condition::Missing => Some(WorkKind::Install),
        }
    }
}

/// The text a sign actually shows, as read off the sign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignText {
    /// The Chinese characters.
    pub zh: String,
    /// The Mongolian script, as Unicode (none when the sign shows no Mongolian).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mn: Option<String>,
    /// The romanized line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinyin: Option<String>,
    /// The door or building number (building plates, door plates), without 号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// Where the Mongolian script sits relative to the Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MnPosition {
    Above,
    Left,
    Below,
    Right,
}

/// The layout as made or measured on the sign (millimetres): the heights of the bands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignLayout {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mn_position: Option<MnPosition>,
    /// Height of the Mongolian band.
    #[serde(default)]
    pub mn_mm: f64,
    /// Height of the Chinese band.
    pub zh_mm: f64,
    /// Height of the pinyin band.
    #[serde(default)]
    pub pinyin_mm: f64,
    /// Height of the number's digits (building plates).
    #[serde(default)]
    pub number_mm: f64,
}

/// A sign in the register (layer `signs`; the geometry is where it stands).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sign {
    /// 标志编号, unique in the register (e.g. DX-001 for the lightbox signs).
    pub code: String,
    pub kind: SignKind,
    /// The direction its face looks, degrees clockwise from north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facing: Option<f64>,
    pub mounting: Mounting,
    pub width_mm: u32,
    pub height_mm: u32,
    /// Set vertically (a vertical plate: the Chinese top to bottom, the Mongolian in columns).
    #[serde(default)]
    pub vertical: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed: Option<NaiveDate>,
    /// The records it names: a street, a place or a door plate (a building plate names its
    /// door plate, whose street gives the name).
    pub names: Vec<RecordId>,
    pub shows: SignText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<SignLayout>,
    #[serde(default)]
    pub condition: Condition,
    /// Photos: SHA-256 of stored attachments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    pub source: Source,
}

/// One inspection of a sign in the field (layer `sign_inspections`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    pub sign: RecordId,
    pub date: NaiveDate,
    pub inspector: String,
    pub condition: Condition,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    pub source: Source,
}

/// What a work order asks for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// 维修
    Repair,
    /// 清洗
    Clean,
    /// 更换
    Replace,
    /// 新设
    Install,
}

impl WorkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkKind::Repair => "repair",
            WorkKind::Clean => "clean",
            WorkKind::Replace => "replace",
            WorkKind::Install => "install",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkKind::Repair => "维修",
            WorkKind::Clean => "清洗",
            WorkKind::Replace => "更换",
            WorkKind::Install => "新设",
        }
    }
}

/// Where a work order stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    /// 草拟 (drafted by the registry, e.g. after a rename)
    Draft,
    /// 待派工
    Open,
    /// 已派工
    Assigned,
    /// 已完成
    Done,
    /// 已撤销
    Cancelled,
}

impl WorkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::Draft => "draft",
            WorkStatus::Open => "open",
            WorkStatus::Assigned => "assigned",
            WorkStatus::Done => "done",
            WorkStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkStatus::Draft => "草拟",
            WorkStatus::Open => "待派工",
            WorkStatus::Assigned => "已派工",
            WorkStatus::Done => "已完成",
            WorkStatus::Cancelled => "已撤销",
        }
    }

    /// Still to be done.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            WorkStatus::Draft | WorkStatus::Open | WorkStatus::Assigned
        )
    }
}

/// A repair work order for a sign (layer `work_orders`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkOrder {
    pub sign: RecordId,
    pub kind: WorkKind,
    pub status: WorkStatus,
    /// Why: a finding's rule id (`text.zh`, `condition.dirty`, `renamed`…) or the officer's words.
    pub reason: String,
    pub opened: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Estimated or agreed cost, in fen (0.01 yuan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_fen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<NaiveDate>,
    /// The photo of the finished work (SHA-256 of an attachment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_photo: Option<String>,
    pub source: Source,
}

impl WorkOrder {
    /// The reason as people read it: each rule id (`condition.dirty`) by its rule's words,
    /// the officer's own words as written.
    pub fn reason_text(&self) -> String {
        self.reason
            .split(", ")
            .map(|part| match conformance::Rule::from_id(part.trim()) {
                Some(rule) => rule.title().to_string(),
                None if part.trim() == "renamed" => "地名已更名，须更换标志".to_string(),
                None => part.to_string(),
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Why a work order cannot move to a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkOrderError {
    #[error("工单状态不能从“{from}”改为“{to}”")]
    Transition {
        from: &'static str,
        to: &'static str,
    },
    #[error("派工须写明施工单位或人员")]
    NoAssignee,
    #[error("完工须附完工照片")]
    NoPhoto,
}

impl WorkOrder {
    /// A new order of the registry's own (no contractor, no cost yet).
    pub fn new(
        sign: RecordId,
        kind: WorkKind,
        status: WorkStatus,
        reason: String,
        opened: NaiveDate,
    ) -> WorkOrder {
        WorkOrder {
            sign,
            kind,
            status,
            reason,
            opened,
            assignee: None,
            cost_fen: None,
            done: None,
            done_photo: None,
            source: Source::Survey,
        }
    }

    /// The order moved to `status`, if that step is allowed: draft → open → assigned → done,
    /// and cancelled from any open state. Assigning needs an assignee; done needs a photo.
    pub fn moved(&self, status: WorkStatus, on: NaiveDate) -> Result<WorkOrder, WorkOrderError> {
        use WorkStatus::*;
        let allowed = matches!(
            (self.status, status),
            (Draft, Open)
                | (Draft | Open, Assigned)
                | (Assigned, Done)
                | (Draft | Open | Assigned, Cancelled)
        );
        if !allowed {
            return Err(WorkOrderError::Transition {
                from: self.status.label(),
                to: status.label(),
            });
        }
        if status == Assigned && self.assignee.as_deref().is_none_or(|a| a.trim().is_empty()) {
            return Err(WorkOrderError::NoAssignee);
        }
        if status == Done && self.done_photo.is_none() {
            return Err(WorkOrderError::NoPhoto);
        }
        let mut next = self.clone();
        next.status = status;
        if status == Done {
            next.done = Some(on);
        }
        Ok(next)
    }
}

/// Yuan as people write it: 1,234.50.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

impl Sign {
    /// The map editor's form of a sign: what it names and shows, how it is mounted.
    pub fn form() -> Form {
        use serde_json::json;
        Form::new(vec![
            Field::text("code", "标志编号")
                .with(json!({ "minLength": 1, "examples": ["DX-001"] }))
                .required(),
            Field::choice("kind", "种类", &SignKind::ALL, SignKind::label).required(),
            Field::references("names", "所标地名", &["streets", "places", "door_plates"])
                .with(json!({ "minItems": 1 }))
                .required(),
            Field::object(
                "shows",
                "标志上的文字",
                vec![
                    Field::text("zh", "汉字")
                        .with(json!({ "minLength": 1 }))
                        .required(),
                    Field::text("mn", "蒙古文").with(json!({ "x-script": "mongolian" })),
                    Field::text("pinyin", "罗马字母拼写"),
                    Field::text("number", "门（楼）号"),
                ],
            )
            .required(),
            Field::choice("mounting", "安装方式", &Mounting::ALL, Mounting::label).required(),
            Field::number("width_mm", "宽（毫米）", "integer", 1.0).required(),
            Field::number("height_mm", "高（毫米）", "integer", 1.0).required(),
            Field::boolean("vertical", "竖式"),
            Field::number("facing", "朝向（度，自北顺时针）", "number", 0.0)
                .with(json!({ "maximum": 360 })),
            Field::text("material", "材质"),
            Field::text("installer", "安装单位"),
            Field::date("installed", "安装日期"),
            Field::choice("condition", "状况", &Condition::ALL, Condition::label),
        ])
    }
}

impl Describe for Sign {
    fn title(&self) -> String {
        format!("{} {}", self.code, self.shows.zh)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("标志编号", &self.code)
            .row("标志种类", self.kind.label())
            .row("标志文字", &self.shows.zh)
            .some("蒙古文", self.shows.mn.as_ref())
            .some("拼音", self.shows.pinyin.as_ref())
            .row("设置方式", self.mounting.label())
            .row(
                "尺寸（毫米）",
                format!("{} × {}", self.width_mm, self.height_mm),
            )
            .row("状况", self.condition.label())
            .some("设置日期", self.installed)
            .row("来源", self.source.label())
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("title", Tag::Own(self.title()));
        tag("code", Tag::Own(self.code.clone()));
        tag("condition", Tag::Code(self.condition.as_str()));
    }
}

impl Describe for Inspection {
    fn title(&self) -> String {
        format!("{} {}", self.date, self.condition.label())
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("巡查日期", self.date)
            .row("巡查人", &self.inspector)
            .row("状况", self.condition.label())
            .row("备注", &self.notes)
    }
}

impl Describe for WorkOrder {
    fn title(&self) -> String {
        format!("{}（{}）", self.kind.label(), self.status.label())
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("工单类型", self.kind.label())
            .row("状态", self.status.label())
            .row("原因", &self.reason)
            .row("开单日期", self.opened)
            .some("承办人", self.assignee.as_ref())
            .some(
                "费用（元）",
                self.cost_fen.map(|f| format!("{:.2}", f as f64 / 100.0)),
            )
            .some("完成日期", self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> WorkOrder {
        WorkOrder {
            sign: RecordId::derived("s"),
            kind: WorkKind::Clean,
            status: WorkStatus::Open,
            reason: "condition.dirty".into(),
            opened: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            assignee: None,
            cost_fen: Some(12_000),
            done: None,
            done_photo: None,
            source: Source::Survey,
        }
    }

    #[test]
    fn work_orders_move_only_forward_with_what_each_step_needs() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 3).unwrap();
        let o = order();
        assert_eq!(
            o.moved(WorkStatus::Assigned, day),
            Err(WorkOrderError::NoAssignee)
        );
        let mut o = o;
        o.assignee = Some("市政标牌厂".into());
        let assigned = o.moved(WorkStatus::Assigned, day).unwrap();
        assert_eq!(
            assigned.moved(WorkStatus::Done, day),
            Err(WorkOrderError::NoPhoto)
        );
        let mut with_photo = assigned.clone();
        with_photo.done_photo = Some("ab".repeat(32));
        let done = with_photo.moved(WorkStatus::Done, day).unwrap();
        assert_eq!(done.done, Some(day));
        assert!(matches!(
            done.moved(WorkStatus::Open, day),
            Err(WorkOrderError::Transition { .. })
        ));
        assert!(done.moved(WorkStatus::Cancelled, day).is_err());
    }

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(181_000), "1,810.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
    }
}
