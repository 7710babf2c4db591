//! Numbering conventions: which way numbers run, which side is odd, which numbers are
//! skipped, when numbers are reserved. City-wide settings with per-street overrides.

use serde::{Deserialize, Serialize};

/// The side of a street, looking along the numbering direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::Left => "左",
            Side::Right => "右",
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

/// A compass direction numbers run towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Heading {
    East,
    West,
    North,
    South,
}

/// The city's conventions (Inner Mongolia 1998 by default: east → west, south → north, odd on
/// the left).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Conventions {
    /// Where numbers run on a street that is nearer east–west.
    pub east_west: Heading,
    /// Where numbers run on a street that is nearer north–south.
    pub north_south: Heading,
    /// The odd side, looking along the numbering direction.
    pub odd_side: Side,
    /// Numbers never given (Beijing skips 4, 13 and 14).
    pub skip: Vec<u32>,
    /// Standard frontage per number, in metres: a longer gap between neighbours reserves
    /// numbers for future entrances (0 = never reserve).
    pub spacing_m: f64,
    /// An entrance nearer than this to the centre line has no side and is refused.
    pub on_line_m: f64,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions {
            east_west: Heading::West,
            north_south: Heading::North,
            odd_side: Side::Left,
            skip: Vec::new(),
            spacing_m: 0.0,
            on_line_m: 0.5,
        }
    }
}

impl Conventions {
    /// The rule in words, for notices: "东西向道路自东向西、南北向道路自南向北，左单右双".
    pub fn describe(&self) -> String {
        let run = |h: Heading| match h {
            Heading::West => "自东向西",
            Heading::East => "自西向东",
            Heading::North => "自南向北",
            Heading::South => "自北向南",
        };
        let sides = match self.odd_side {
            Side::Left => "左单右双",
            Side::Right => "左双右单",
        };
        format!(
            "东西向道路{}、南北向道路{}，{sides}",
            run(self.east_west),
            run(self.north_south)
        )
    }

    /// Beijing: east–west streets from east to west with the north side odd, north–south
    /// streets from north to south with the west side odd; 4, 13 and 14 skipped.
    pub fn beijing() -> Self {
        Conventions {
            east_west: Heading::West,
            north_south: Heading::South,
            // Going west, north is on the right; going south, west is on the right.
            odd_side: Side::Right,
            skip: vec![4, 13, 14],
            ..Conventions::default()
        }
    }
}

/// Decisions for one street that differ from the city's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StreetOverrides {
    /// Number from the line's last point towards its first (a dead-end lane numbered from
    /// its entrance, drawn the other way) instead of by compass.
    pub from_end: Option<bool>,
    /// Number from the line's first point, whatever the compass says.
    pub from_start: Option<bool>,
    /// One consecutive sequence (1, 2, 3…) for a street built on one side.
    pub one_sided: Option<bool>,
    pub odd_side: Option<Side>,
}

impl StreetOverrides {
    pub fn is_default(&self) -> bool {
        *self == StreetOverrides::default()
    }
}
