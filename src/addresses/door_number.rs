//! Door numbers as structured values, parsed from what real plates show: `12号`, `12附1号`,
//! `12-1号` and `12之一号` (infill, 附号), `12A号` (suffix letter), `C05号` and `A68号` (a
//! prefix letter, zeros kept), `G2—7号` (a sub-number after a dash), `12至16号` (a range).
//! Nonsense is refused with a reason, so an invalid number cannot be stored.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The largest number a plate can carry.
const MAX: u32 = 99_999;

/// How a sub-number is written after the main number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubStyle {
    /// 12附1号
    Annex,
    /// 12-1号
    Hyphen,
    /// 12之一号
    Zhi,
    /// G2—7号 (em dash, as on 利众物流G2—7号)
    Dash,
    /// 12至16号: a range of numbers.
    Range,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DoorNumber {
    prefix: Option<String>,
    number: u32,
    /// Digits as written, when the number has leading zeros (C05 → 2); else 0.
    width: u8,
    suffix: Option<String>,
    sub: Option<(SubStyle, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("门牌号“{input}”无效：{reason}（应如 12号、12附1号、C05号 或 G2—7号）")]
pub struct DoorNumberError {
    pub input: String,
    pub reason: String,
}

const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

fn chinese_numeral(s: &str) -> Option<u32> {
    let v: Vec<u32> = s
        .chars()
        .map(|c| NUMERALS.iter().position(|n| *n == c).map(|i| i as u32 + 1))
        .collect::<Option<_>>()?;
    match v.as_slice() {
        [d] => Some(*d),
        [10, d] if *d < 10 => Some(10 + d),
        [t, 10] if *t < 10 => Some(t * 10),
        [t, 10, d] if *t < 10 && *d < 10 => Some(t * 10 + d),
        _ => None,
    }
}

fn to_chinese(n: u32) -> String {
    let digit = |d: u32| NUMERALS[(d - 1) as usize];
    match n {
        1..=10 => digit(n).to_string(),
        11..=19 => format!("十{}", digit(n - 10)),
        _ if n.is_multiple_of(10) && n < 100 => format!("{}十", digit(n / 10)),
        _ if n < 100 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}

impl DoorNumber {
    /// A plain number, 1 to 99999.
    pub fn new(number: u32) -> Result<Self, DoorNumberError> {
        number.to_string().parse()
    }

    /// The infill number between `number` and the next one on its side (12附1号, 12-1号 or
    /// 12之一号, as the city writes it).
    pub fn infill(number: u32, k: u32, style: SubStyle) -> Result<Self, DoorNumberError> {
        let mut n = DoorNumber::new(number)?;
        if k == 0 || k > 99 {
            return Err(DoorNumberError {
                input: format!("{number}附{k}"),
                reason: "附号应为 1 到 99".into(),
            });
        }
        n.sub = Some((style, k));
        Ok(n)
    }

    pub fn number(&self) -> u32 {
        self.number
    }

    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// The infill (附号) or sub-number, if any; not the end of a range.
    pub fn annex(&self) -> Option<u32> {
        match self.sub {
            Some((SubStyle::Range, _)) | None => None,
            Some((_, k)) => Some(k),
        }
    }

    /// The last number of a range (12至16号 → 16).
    pub fn range_end(&self) -> Option<u32> {
        match self.sub {
            Some((SubStyle::Range, end)) => Some(end),
            _ => None,
        }
    }

    pub fn is_odd(&self) -> bool {
        self.number % 2 == 1
    }
}

impl FromStr for DoorNumber {
    type Err = DoorNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| DoorNumberError {
            input: s.to_string(),
            reason: reason.to_string(),
        };
        let t = s.trim();
        let t = t.strip_suffix('号').unwrap_or(t);
        let letters =
            |x: &str| -> usize { x.chars().take_while(|c| c.is_ascii_alphabetic()).count() };
        let n_prefix = letters(t);
        if n_prefix > 3 {
            return Err(err("字母前缀最多三个字母"));
        }
        let prefix = (n_prefix > 0).then(|| t[..n_prefix].to_ascii_uppercase());
        let rest = &t[n_prefix..];
        let n_digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if n_digits == 0 {
            return Err(err("缺少阿拉伯数字号码"));
        }
        // At most five digits, leading zeros included (C05号 keeps its width; a padding of
        // hundreds of zeros wrapped the width's byte, as the fuzzer found).
        if n_digits > 5 {
            return Err(err("号码过大：最多 5 位数字（最大 99999）"));
        }
        let digits = &rest[..n_digits];
        let number: u32 = digits.parse().map_err(|_| err("号码过大（最大 99999）"))?;
        if number == 0 {
            return Err(err("号码不能为 0"));
        }
        if number > MAX {
            return Err(err("号码过大（最大 99999）"));
        }
        let width = if digits.starts_with('0') {
            n_digits as u8
        } else {
            0
        };
        let rest = &rest[n_digits..];
        let n_suffix = letters(rest);
        if n_suffix > 2 {
            return Err(err("字母后缀最多两个字母"));
        }
        let suffix = (n_suffix > 0).then(|| rest[..n_suffix].to_ascii_uppercase());
        let rest = &rest[n_suffix..];
        let sub_number = |x: &str| -> Result<u32, DoorNumberError> {
            if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("附号或分号必须是阿拉伯数字"));
            }
            match x.parse::<u32>() {
                Ok(0) => Err(err("附号或分号不能为 0")),
                Ok(n) if n <= MAX => Ok(n),
                _ => Err(err("附号或分号过大")),
            }
        };
        let sub = if rest.is_empty() {
            None
        } else if let Some(x) = rest.strip_prefix('附') {
            Some((SubStyle::Annex, sub_number(x)?))
        } else if let Some(x) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('－')) {
            Some((SubStyle::Hyphen, sub_number(x)?))
        } else if let Some(x) = rest.strip_prefix(['—', '–']) {
            Some((SubStyle::Dash, sub_number(x)?))
        } else if let Some(x) = rest.strip_prefix('之') {
            Some((
                SubStyle::Zhi,
                chinese_numeral(x).ok_or_else(|| err("“之”后应为汉字数字，如 之一"))?,
            ))
        } else if let Some(x) = rest.strip_prefix('至') {
            let end = sub_number(x)?;
            if end <= number {
                return Err(err("号码范围的终点应大于起点"));
            }
            Some((SubStyle::Range, end))
        } else {
            return Err(err(&format!("无法识别“{rest}”")));
        };
        Ok(DoorNumber {
            prefix,
            number,
            width,
            suffix,
            sub,
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
        if let Some(p) = &self.prefix {
            f.write_str(p)?;
        }
        write!(
            f,
            "{:0width$}",
            self.number,
            width = usize::from(self.width)
        )?;
        if let Some(s) = &self.suffix {
            f.write_str(s)?;
        }
        match self.sub {
            Some((SubStyle::Annex, k)) => write!(f, "附{k}")?,
            Some((SubStyle::Hyphen, k)) => write!(f, "-{k}")?,
            Some((SubStyle::Dash, k)) => write!(f, "—{k}")?,
            Some((SubStyle::Zhi, k)) => write!(f, "之{}", to_chinese(k))?,
            Some((SubStyle::Range, k)) => write!(f, "至{k}")?,
            None => {}
        }
        f.write_str("号")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_on_real_plates_parses_and_prints_back() {
        for (input, number, annex) in [
            ("12号", 12, None),
            ("1号", 1, None),
            ("12附1号", 12, Some(1)),
            ("305附12号", 305, Some(12)),
            ("12-1号", 12, Some(1)),
            ("12之一号", 12, Some(1)),
            ("12之十二号", 12, Some(12)),
            ("C05号", 5, None),
            ("A68号", 68, None),
            ("G2—7号", 2, Some(7)),
            ("12A号", 12, None),
        ] {
            let n: DoorNumber = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(n.to_string(), input);
            assert_eq!((n.number(), n.annex()), (number, annex), "{input}");
        }
        let range: DoorNumber = "12至16号".parse().unwrap();
        assert_eq!(
            (range.number(), range.range_end(), range.annex()),
            (12, Some(16), None)
        );
        assert_eq!("C05号".parse::<DoorNumber>().unwrap().prefix(), Some("C"));
        assert_eq!(
            "7".parse::<DoorNumber>().unwrap(),
            DoorNumber::new(7).unwrap()
        );
        assert_eq!(
            "g2–7号".parse::<DoorNumber>().unwrap().to_string(),
            "G2—7号",
            "en dash read as the dash"
        );
        assert!(DoorNumber::new(0).is_err() && DoorNumber::new(100_000).is_err());
        assert_eq!(
            DoorNumber::infill(12, 2, SubStyle::Zhi)
                .unwrap()
                .to_string(),
            "12之二号"
        );
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        for (s, why) in [
            ("", "缺少"),
            ("号", "缺少"),
            ("0号", "不能为 0"),
            ("十二号", "缺少"),
            ("12附号", "附号"),
            ("-3号", "缺少"),
            ("100000号", "过大"),
            ("99999999999号", "过大"),
            ("12之号", "之"),
            ("16至12号", "终点"),
            ("12#号", "无法识别"),
            ("ABCD1号", "前缀"),
        ] {
            let e = s.parse::<DoorNumber>().unwrap_err();
            assert!(e.to_string().contains(why), "{s}: {e}");
        }
        // Padding beyond five digits (the fuzzer's: 300 zeros wrapped the width's byte).
        let padded = format!("Z{}8号", "0".repeat(300));
        assert!(
            padded
                .parse::<DoorNumber>()
                .unwrap_err()
                .to_string()
                .contains("5 位")
        );
        assert_eq!("C05号".parse::<DoorNumber>().unwrap().to_string(), "C05号");
    }
}
