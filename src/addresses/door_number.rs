//! Door numbers as structured values: `12号`, and the infill form `12附1号` (附号).
//!
//! The full parser of real plates (letters, ranges, dashes) belongs to the numbering issue; this
//! type already refuses what is not a number, so an invalid one cannot be stored.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The largest number a plate can carry.
const MAX: u32 = 99_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DoorNumber {
    number: u32,
    /// The infill number: 12附1号 has `annex = Some(1)`.
    annex: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("门牌号“{input}”无效：{reason}（应如 12号 或 12附1号）")]
pub struct DoorNumberError {
    pub input: String,
    pub reason: &'static str,
}

impl DoorNumber {
    /// A plain number, 1 to 99999.
    pub fn new(number: u32) -> Result<Self, DoorNumberError> {
        number.to_string().parse()
    }

    pub fn number(self) -> u32 {
        self.number
    }

    pub fn annex(self) -> Option<u32> {
        self.annex
    }

    pub fn is_odd(self) -> bool {
        self.number % 2 == 1
    }
}

impl FromStr for DoorNumber {
    type Err = DoorNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| DoorNumberError {
            input: s.to_string(),
            reason,
        };
        let t = s.trim();
        let t = t.strip_suffix('号').unwrap_or(t);
        let (main, annex) = match t.split_once('附') {
            Some((m, a)) => (m, Some(a)),
            None => (t, None),
        };
        let parse = |part: &str| -> Result<u32, DoorNumberError> {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("号码必须是阿拉伯数字"));
            }
            match part.parse::<u32>() {
                Ok(0) => Err(err("号码不能为 0")),
                Ok(n) if n <= MAX => Ok(n),
                _ => Err(err("号码过大（最大 99999）")),
            }
        };
        Ok(DoorNumber {
            number: parse(main)?,
            annex: annex.map(parse).transpose()?,
        })
    }
}

impl TryFrom<String> for DoorNumber {
    type Error = DoorNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DoorNumber> for String {
    fn from(n: DoorNumber) -> String {
        n.to_string()
    }
}

impl fmt::Display for DoorNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.annex {
            Some(a) => write!(f, "{}附{}号", self.number, a),
            None => write!(f, "{}号", self.number),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_infill_numbers_round_trip() {
        for s in ["12号", "1号", "12附1号", "305附12号"] {
            assert_eq!(s.parse::<DoorNumber>().unwrap().to_string(), s);
        }
        assert_eq!(
            "7".parse::<DoorNumber>().unwrap(),
            DoorNumber::new(7).unwrap()
        );
        assert!(DoorNumber::new(0).is_err() && DoorNumber::new(100_000).is_err());
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        for s in [
            "",
            "号",
            "0号",
            "十二号",
            "12附号",
            "-3号",
            "100000号",
            "99999999999号",
        ] {
            let e = s.parse::<DoorNumber>().unwrap_err();
            assert!(e.to_string().contains("无效"), "{s}: {e}");
        }
    }
}
