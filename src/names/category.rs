//! The 12 top categories of the second national place-name census (GB/T 18521 lineage).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceCategory {
    Sea,
    Waters,
    Landform,
    AdministrativeArea,
    SelfGoverningOrganisation,
    NonAdministrativeArea,
    Settlement,
    Transport,
    WaterPowerCommunication,
    MemorialOrScenic,
    Building,
    Organisation,
}

impl PlaceCategory {
    pub const ALL: [PlaceCategory; 12] = [
        PlaceCategory::Sea,
        PlaceCategory::Waters,
        PlaceCategory::Landform,
        PlaceCategory::AdministrativeArea,
        PlaceCategory::SelfGoverningOrganisation,
        PlaceCategory::NonAdministrativeArea,
        PlaceCategory::Settlement,
        PlaceCategory::Transport,
        PlaceCategory::WaterPowerCommunication,
        PlaceCategory::MemorialOrScenic,
        PlaceCategory::Building,
        PlaceCategory::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceCategory::Sea => "sea",
            PlaceCategory::Waters => "waters",
            PlaceCategory::Landform => "landform",
            PlaceCategory::AdministrativeArea => "administrative_area",
            PlaceCategory::SelfGoverningOrganisation => "self_governing_organisation",
            PlaceCategory::NonAdministrativeArea => "non_administrative_area",
            PlaceCategory::Settlement => "settlement",
            PlaceCategory::Transport => "transport",
            PlaceCategory::WaterPowerCommunication => "water_power_communication",
            PlaceCategory::MemorialOrScenic => "memorial_or_scenic",
            PlaceCategory::Building => "building",
            PlaceCategory::Organisation => "organisation",
        }
    }

    /// The category's number in the census's published order (国务院第二次全国地名普查工作规程,
    /// 2014: 海域 1 … 单位 12). The national database's finer 5-digit class codes (e.g. 22200
    /// 农村居民点) belong to subcategories, which the bureau adds with the gazetteer.
    pub fn census_number(self) -> u8 {
        PlaceCategory::ALL
            .iter()
            .position(|c| *c == self)
            .map_or(0, |i| i as u8 + 1)
    }

    /// The census's name of the category.
    pub fn label(self) -> &'static str {
        match self {
            PlaceCategory::Sea => "海域",
            PlaceCategory::Waters => "陆地水系",
            PlaceCategory::Landform => "陆地地形",
            PlaceCategory::AdministrativeArea => "行政区域",
            PlaceCategory::SelfGoverningOrganisation => "群众自治组织",
            PlaceCategory::NonAdministrativeArea => "非行政区域",
            PlaceCategory::Settlement => "居民点",
            PlaceCategory::Transport => "交通运输设施",
            PlaceCategory::WaterPowerCommunication => "水利电力通信设施",
            PlaceCategory::MemorialOrScenic => "纪念地旅游景点",
            PlaceCategory::Building => "建筑物",
            PlaceCategory::Organisation => "单位",
        }
    }
}

impl std::str::FromStr for PlaceCategory {
    type Err = String;
    /// Accepts the id (`building`) or the census name (建筑物).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PlaceCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s || c.label() == s)
            .ok_or_else(|| {
                let all: Vec<String> = PlaceCategory::ALL
                    .iter()
                    .map(|c| format!("{}（{}）", c.as_str(), c.label()))
                    .collect();
                format!("未知的地名类别“{s}”，应为：{}", all.join("、"))
            })
    }
}
