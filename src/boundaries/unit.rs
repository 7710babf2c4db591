//! An administrative unit (行政区域 or 群众自治组织): its code, names, level and parent.

use super::{DivisionCode, UnitLevel};
use crate::names::naming::Naming;
use crate::record::{Attributes, Describe, Field, Form, Tag};
use crate::record::{Current, Records, Source, View};
use geo::Coord;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminUnit {
    pub code: DivisionCode,
    pub name: String,
    /// The name in traditional Mongolian script, where the unit has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_mn: Option<String>,
    pub level: UnitLevel,
    pub parent: Option<DivisionCode>,
    pub source: Source,
    /// Other names, census texts and the approval of the unit's name.
    #[serde(default)]
    pub naming: Naming,
}

impl AdminUnit {
    /// The map editor's form of a unit.
    pub fn form() -> Form {
        use crate::names::naming::{mongolian_field, name_field, named_form};
        use serde_json::json;
        let code = json!({ "pattern": "^[0-9]{12}$" });
        named_form(vec![
            Field::text("code", "区划代码")
                .with(code.clone())
                .required(),
            name_field(),
            mongolian_field(),
            Field::choice(
                "level",
                "级别",
                &[
                    UnitLevel::County,
                    UnitLevel::Township,
                    UnitLevel::TownshipLike,
                    UnitLevel::Community,
                    UnitLevel::Village,
                ],
                UnitLevel::label,
            )
            .required(),
            Field::text("parent", "上级区划代码").with(code),
        ])
    }

    /// A unit whose level and parent are read from its code.
    pub fn from_code(code: DivisionCode, name: impl Into<String>, source: Source) -> Self {
        AdminUnit {
            code,
            name: name.into(),
            name_mn: None,
            level: code.level(),
            parent: code.parent(),
            source,
            naming: Naming::default(),
        }
    }
}

/// The deepest unit whose area contains or touches `point`: a community or 嘎查 where there is
/// one, else its township, else the city.
pub fn deepest_at(
    units: &impl Records<AdminUnit>,
    point: Coord<f64>,
) -> Option<Current<'_, AdminUnit>> {
    units
        .at::<AdminUnit>(point)
        .max_by_key(|u| (u.body.level.depth(), u.body.code))
}

/// The unit whose code is `code`.
pub fn by_code(
    units: &impl Records<AdminUnit>,
    code: DivisionCode,
) -> Option<Current<'_, AdminUnit>> {
    units.each::<AdminUnit>().find(|u| u.body.code == code)
}

impl Describe for AdminUnit {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("名称", &self.name)
            .some("蒙古文名称", self.name_mn.as_ref())
            .row("区划代码", self.code.short())
            .row("级别", self.level.label())
            .some("上级区划代码", self.parent.map(|p| p.short()))
            .row("命名状态", self.naming.status.label())
            .row("来源", self.source.label())
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("name", Tag::Own(self.name.clone()));
        tag("code", Tag::Own(self.code.short()));
        tag("level", Tag::Code(self.level.as_str()));
    }
}
