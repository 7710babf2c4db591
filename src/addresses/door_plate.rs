//! A door plate: a number on a street, at an entrance point (the record's geometry).

use super::DoorNumber;
use crate::record::{Attributes, Describe, Field, Form, Tag};
use crate::record::{RecordId, Source};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoorPlate {
    /// The street record the number belongs to.
    pub street: RecordId,
    pub number: DoorNumber,
    pub source: Source,
    /// The plate on the wall (large door plate unless recorded otherwise).
    #[serde(default)]
    pub kind: PlateKind,
}

impl DoorPlate {
    /// The map editor's form of a door plate.
    pub fn form() -> Form {
        Form::new(vec![
            Field::reference("street", "街路巷", "streets").required(),
            Field::text("number", "门牌号")
                .with(serde_json::json!({ "minLength": 1, "examples": ["12", "12附1", "C05", "G2—7"] }))
                .required(),
            Field::choice("kind", "门牌种类", &PlateKind::ALL, PlateKind::label),
        ])
    }
}

/// Kinds of plates, as Inner Mongolia's 1998 measures make them.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PlateKind {
    /// 大门牌: 35 × 25 cm, red with white text and border.
    #[default]
    DoorLarge,
    /// 小门牌: 12.4 × 8.4 cm.
    DoorSmall,
    /// 侧门、后门牌: 10.5 × 5.5 cm.
    SideDoor,
    /// 楼牌（大）: 110 × 60 cm, blue, the number panel white with red digits.
    BuildingLarge,
    /// 楼牌（小）: 99 × 55 cm.
    BuildingSmall,
}

impl PlateKind {
    pub const ALL: [PlateKind; 5] = [
        PlateKind::DoorLarge,
        PlateKind::DoorSmall,
        PlateKind::SideDoor,
        PlateKind::BuildingLarge,
        PlateKind::BuildingSmall,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PlateKind::DoorLarge => "大门牌",
            PlateKind::DoorSmall => "小门牌",
            PlateKind::SideDoor => "侧门、后门牌",
            PlateKind::BuildingLarge => "楼牌（大）",
            PlateKind::BuildingSmall => "楼牌（小）",
        }
    }

    /// Width × height in centimetres.
    pub fn size_cm(self) -> (f64, f64) {
        match self {
            PlateKind::DoorLarge => (35.0, 25.0),
            PlateKind::DoorSmall => (12.4, 8.4),
            PlateKind::SideDoor => (10.5, 5.5),
            PlateKind::BuildingLarge => (110.0, 60.0),
            PlateKind::BuildingSmall => (99.0, 55.0),
        }
    }

    pub fn colours(self) -> &'static str {
        match self {
            PlateKind::DoorLarge | PlateKind::DoorSmall | PlateKind::SideDoor => "红底白字白边",
            PlateKind::BuildingLarge | PlateKind::BuildingSmall => "蓝底白字，号码区白底红字",
        }
    }
}

impl Describe for DoorPlate {
    fn title(&self) -> String {
        self.number.to_string()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("门牌号", &self.number)
            .row("门牌种类", self.kind.label())
            .row("来源", self.source.label())
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("title", Tag::Own(self.title()));
        tag("number", Tag::Own(self.number.to_string()));
    }
}
