//! A street (街路巷): its standard name and class; its centre line is the record's geometry.

use super::numbering::StreetOverrides;
use crate::names::naming::Naming;
use crate::record::Source;
use crate::record::{Attributes, Describe, Field, Form, Tag};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Street {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_mn: Option<String>,
    pub class: StreetClass,
    pub source: Source,
    /// Other names, census texts and the approval workflow.
    #[serde(default)]
    pub naming: Naming,
    /// How this street is numbered where it differs from the city's conventions (direction,
    /// one-sided, odd side): kept with the street, versioned like the rest of it.
    #[serde(default, skip_serializing_if = "StreetOverrides::is_default")]
    pub numbering: StreetOverrides,
}

/// The class of a street, for drawing and numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreetClass {
    /// 主干路
    Arterial,
    /// 次干路
    Secondary,
    /// 支路
    Branch,
    /// 巷
    Lane,
}

impl StreetClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StreetClass::Arterial => "arterial",
            StreetClass::Secondary => "secondary",
            StreetClass::Branch => "branch",
            StreetClass::Lane => "lane",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StreetClass::Arterial => "主干路",
            StreetClass::Secondary => "次干路",
            StreetClass::Branch => "支路",
            StreetClass::Lane => "巷",
        }
    }
}

impl Street {
    /// The map editor's form of a street.
    pub fn form() -> Form {
        use crate::names::naming::{mongolian_field, name_field, named_form};
        named_form(vec![
            name_field(),
            mongolian_field(),
            Field::choice(
                "class",
                "等级",
                &[
                    StreetClass::Arterial,
                    StreetClass::Secondary,
                    StreetClass::Branch,
                    StreetClass::Lane,
                ],
                StreetClass::label,
            )
            .required(),
        ])
    }
}

impl Describe for Street {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("名称", &self.name)
            .some("蒙古文名称", self.name_mn.as_ref())
            .row("道路等级", self.class.label())
            .row("命名状态", self.naming.status.label())
            .row("来源", self.source.label())
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("name", Tag::Own(self.name.clone()));
        tag("class", Tag::Code(self.class.as_str()));
        if let Some(m) = &self.name_mn {
            tag("name_mn", Tag::Own(m.clone()));
        }
    }
}
