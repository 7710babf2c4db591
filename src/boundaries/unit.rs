//! An administrative unit (行政区域 or 群众自治组织): its code, names, level and parent.

use super::{DivisionCode, UnitLevel};
use crate::names::naming::Naming;
use crate::record::Source;
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
