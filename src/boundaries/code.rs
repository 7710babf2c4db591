//! The 12-digit statistical division code (统计用区划代码) and the level it implies.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A division code, always held as 12 digits: county (6) + township (3) + village (3).
/// `152501` and `152501200` are accepted and padded with zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(u64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DivisionCodeError {
    #[error("区划代码“{0}”无效：应为 6、9 或 12 位数字（如 152501、152501200、152501400001）")]
    Malformed(String),
    #[error("区划代码“{0}”无效：县级部分不能为 0")]
    NoCounty(String),
}

/// The level of a unit, read from its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// 县级 (city, county, banner).
    County,
    /// 乡级: 街道 001–099, 镇 100–199, 乡/苏木 200–399.
    Township,
    /// 乡级类似单位 400–599 (development zones, management bureaus).
    TownshipLike,
    /// 社区/居委会 (village part 001–199; 400–499 like residents' committees, 498 the virtual
    /// community).
    Community,
    /// 嘎查/村 (village part 200–399; 500–599 like villagers' committees, 598 the virtual
    /// living area).
    Village,
}

impl UnitLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::County => "county",
            UnitLevel::Township => "township",
            UnitLevel::TownshipLike => "township_like",
            UnitLevel::Community => "community",
            UnitLevel::Village => "village",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitLevel::County => "县级",
            UnitLevel::Township => "乡级",
            UnitLevel::TownshipLike => "乡级类似单位",
            UnitLevel::Community => "社区",
            UnitLevel::Village => "嘎查/村",
        }
    }

    /// 0 for a county, 1 for a township, 2 for a community or village.
    pub fn depth(self) -> u8 {
        match self {
            UnitLevel::County => 0,
            UnitLevel::Township | UnitLevel::TownshipLike => 1,
            UnitLevel::Community | UnitLevel::Village => 2,
        }
    }
}

impl DivisionCode {
    /// The smallest code, for ordering.
    pub const MIN: DivisionCode = DivisionCode(0);

    pub fn county(self) -> u32 {
        (self.0 / 1_000_000) as u32
    }

    pub fn township(self) -> u32 {
        ((self.0 / 1000) % 1000) as u32
    }

    pub fn village(self) -> u32 {
        (self.0 % 1000) as u32
    }

    pub fn level(self) -> UnitLevel {
        match (self.township(), self.village()) {
            (0, _) => UnitLevel::County,
            (400..=599, 0) => UnitLevel::TownshipLike,
            (_, 0) => UnitLevel::Township,
            (_, 200..=399 | 500..=599) => UnitLevel::Village,
            _ => UnitLevel::Community,
        }
    }

    /// The code of the unit one level up, inside the county; `None` for a county.
    pub fn parent(self) -> Option<DivisionCode> {
        match self.level().depth() {
            0 => None,
            1 => Some(DivisionCode(self.0 / 1_000_000 * 1_000_000)),
            _ => Some(DivisionCode(self.0 / 1000 * 1000)),
        }
    }

    /// The code in its short form: 6 digits for a county, 9 for a township, else 12.
    pub fn short(self) -> String {
        let full = self.to_string();
        match self.level().depth() {
            0 => full[..6].to_string(),
            1 => full[..9].to_string(),
            _ => full,
        }
    }
}

impl FromStr for DivisionCode {
    type Err = DivisionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if !matches!(t.len(), 6 | 9 | 12) || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DivisionCodeError::Malformed(s.to_string()));
        }
        let padded = format!("{t:0<12}");
        let n: u64 = padded
            .parse()
            .map_err(|_| DivisionCodeError::Malformed(s.to_string()))?;
        if n / 1_000_000 == 0 {
            return Err(DivisionCodeError::NoCounty(s.to_string()));
        }
        Ok(DivisionCode(n))
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = DivisionCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DivisionCode> for String {
    fn from(c: DivisionCode) -> String {
        c.to_string()
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, full: &str, level: UnitLevel, parent: Option<&str>) {
        let c: DivisionCode = input.parse().unwrap();
        assert_eq!(c.to_string(), full);
        assert_eq!(c.level(), level, "{input}");
        assert_eq!(c.parent().map(|p| p.to_string()).as_deref(), parent);
    }

    #[test]
    fn codes_of_erenhot_have_the_right_levels_and_parents() {
        check("152501", "152501000000", UnitLevel::County, None);
        check(
            "152501200",
            "152501200000",
            UnitLevel::Township,
            Some("152501000000"),
        );
        check(
            "152501400",
            "152501400000",
            UnitLevel::TownshipLike,
            Some("152501000000"),
        );
        check(
            "152501200203",
            "152501200203",
            UnitLevel::Village,
            Some("152501200000"),
        );
        check(
            "152501400001",
            "152501400001",
            UnitLevel::Community,
            Some("152501400000"),
        );
        check(
            "152501401498",
            "152501401498",
            UnitLevel::Community,
            Some("152501401000"),
        );
    }

    #[test]
    fn malformed_codes_are_refused_with_the_input() {
        for bad in ["", "15250", "1525012001", "15250a", "000000"] {
            let err = bad.parse::<DivisionCode>().unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
    }
}
