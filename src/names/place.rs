//! A named place of any geometry: a landmark, a facility, a natural feature.

use super::PlaceCategory;
use super::naming::Naming;
use crate::record::Source;
use crate::record::{Attributes, Describe, Form, Tag};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_mn: Option<String>,
    pub category: PlaceCategory,
    pub source: Source,
    /// Other names, census texts and the approval workflow.
    #[serde(default)]
    pub naming: Naming,
}

impl Place {
    /// The map editor's form of a place.
    pub fn form() -> Form {
        use super::naming::{mongolian_field, name_field, named_form};
        use crate::record::Field;
        named_form(vec![
            name_field(),
            mongolian_field(),
            Field::choice(
                "category",
                "类别",
                &PlaceCategory::ALL,
                PlaceCategory::label,
            )
            .required(),
        ])
    }
}

impl Describe for Place {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("名称", &self.name)
            .some("蒙古文名称", self.name_mn.as_ref())
            .row("类别", self.category.label())
            .row("命名状态", self.naming.status.label())
            .row("来源", self.source.label())
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("name", Tag::Own(self.name.clone()));
        tag("category", Tag::Code(self.category.as_str()));
    }
}
