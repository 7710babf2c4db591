//! Graves outside cemeteries (散埋乱葬), and the zones (火葬区, 三沿七区) they are checked against.

use super::{Deserialize, FromStr, NaiveDate, Phone, RecordId, Serialize, Source};
use crate::record::{Field, Form};

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

impl Grave {
    /// The map editor's form of a scattered grave.
    pub fn form() -> Form {
        use serde_json::json;
        let personal = || json!({ "x-personal": true });
        Form::new(vec![
            Field::text("number", "台账编号")
                .with(json!({ "minLength": 1 }))
                .required(),
            Field::choice("kind", "坟墓类型", &GraveKind::ALL, GraveKind::label).required(),
            Field::date("surveyed", "调查日期").required(),
            Field::number("area_m2", "占地面积（平方米）", "number", 0.0),
            Field::text("buried", "安葬者").with(personal()),
            Field::text("owner", "坟主").with(personal()),
            Field::text("owner_phone", "坟主电话").with(personal()),
            Field::choice("treatment", "处置方式", &Treatment::ALL, Treatment::label),
            Field::text("notes", "备注"),
        ])
    }
}
