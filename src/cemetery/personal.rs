//! Personal data in burial records (PIPL): ID-card numbers and telephone numbers.
//!
//! They are stored whole, and masked by default wherever they leave the registry: serializing
//! an [`IdNumber`] or a [`Phone`] writes the masked form (ID: first 6 + last 4; phone: last 4)
//! unless the caller is inside [`reveal`], which only the stores (to keep the whole value),
//! backups and the burial office's own screens use. A new output path is therefore masked
//! without anyone remembering to mask it. A masked value read back (a client returning a
//! record it fetched) is kept as masked; the registry puts back the stored whole value when
//! it matches, and refuses a masked value for a new record.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::Cell;
use std::fmt;

thread_local! {
    static REVEAL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with personal data serialized whole. Synchronous on purpose: the flag is per
/// thread, so nothing may await inside.
pub fn reveal<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            REVEAL.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(REVEAL.with(|r| r.replace(true)));
    f()
}

fn revealing() -> bool {
    REVEAL.with(Cell::get)
}

const ID_MASK: &str = "********";

/// A resident ID-card number (居民身份证号码, GB 11643): 17 digits and a check character.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    /// A whole number with a valid check character, or a masked one (`152501********123X`).
    pub fn parse(text: &str) -> Result<IdNumber, String> {
        let t = text.trim().to_uppercase();
        let chars: Vec<char> = t.chars().collect();
        if chars.len() != 18 {
            return Err(format!("身份证号码应为 18 位，现为 {} 位", chars.len()));
        }
        if t.contains('*') {
            let ok = chars[..6].iter().all(char::is_ascii_digit)
                && chars[6..14].iter().all(|c| *c == '*')
                && chars[14..17].iter().all(char::is_ascii_digit)
                && (chars[17].is_ascii_digit() || chars[17] == 'X');
            return if ok {
                Ok(IdNumber(t))
            } else {
                Err("身份证号码的遮蔽形式应为前 6 位 + 8 个 * + 后 4 位".into())
            };
        }
        if !chars[..17].iter().all(char::is_ascii_digit) {
            return Err("身份证号码前 17 位应为数字".into());
        }
        let expected = check_char(&t[..17]);
        if chars[17] != expected {
            return Err(format!(
                "身份证号码校验码不符：末位应为 {expected}，现为 {}",
                chars[17]
            ));
        }
        Ok(IdNumber(t))
    }

    /// The check character of 17 digits (ISO 7064 MOD 11-2).
    pub fn with_check(first17: &str) -> Result<IdNumber, String> {
        IdNumber::parse(&format!("{first17}{}", check_char(first17)))
    }

    pub fn is_masked(&self) -> bool {
        self.0.contains('*')
    }

    /// First 6 and last 4 characters; never the whole number.
    pub fn masked(&self) -> String {
        format!("{}{ID_MASK}{}", &self.0[..6], &self.0[14..])
    }

    /// The whole number (None for a masked value). For the burial office's own screens.
    pub fn whole(&self) -> Option<&str> {
        (!self.is_masked()).then_some(self.0.as_str())
    }

    /// The date of birth the number encodes.
    pub fn birth_date(&self) -> Option<chrono::NaiveDate> {
        if self.is_masked() {
            return None;
        }
        chrono::NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").ok()
    }
}

fn check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// A telephone number of a relative or a grave's owner: stored whole, shown with all but the
/// last four digits masked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, String> {
        let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let valid = t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '*');
        if !valid || !(7..=13).contains(&(digits + t.matches('*').count())) {
            return Err(format!("电话号码“{text}”无效：应为 7–13 位数字"));
        }
        Ok(Phone(t))
    }

    pub fn is_masked(&self) -> bool {
        self.0.contains('*')
    }

    pub fn masked(&self) -> String {
        let n = self.0.chars().count();
        self.0
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i + 4 < n && c.is_ascii_digit() && i >= 3 {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }

    pub fn whole(&self) -> Option<&str> {
        (!self.is_masked()).then_some(self.0.as_str())
    }
}

/// A personal number stored whole and shown masked ([`IdNumber`], [`Phone`]).
pub trait Masked: Clone {
    /// What it is, in the user's words.
    const WHAT: &'static str;
    fn is_masked(&self) -> bool;
    fn masked(&self) -> String;
    /// The whole number (None for a value stored masked).
    fn whole(&self) -> Option<&str>;
    /// As a screen shows it: whole to `whole_for_reader` (the burial office), masked to
    /// everyone else.
    fn shown(&self, whole_for_reader: bool) -> String {
        match self.whole() {
            Some(w) if whole_for_reader => w.to_string(),
            _ => self.masked(),
        }
    }
}

/// The impls both personal numbers share: masked in `Debug`, `Display` and serialization
/// (unless inside [`reveal`]), read back through `parse`.
macro_rules! personal_number {
    ($t:ident, $what:literal) => {
        impl Masked for $t {
            const WHAT: &'static str = $what;
            fn is_masked(&self) -> bool {
                $t::is_masked(self)
            }
            fn masked(&self) -> String {
                $t::masked(self)
            }
            fn whole(&self) -> Option<&str> {
                $t::whole(self)
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($t), self.masked())
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.masked())
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if revealing() {
                    s.serialize_str(&self.0)
                } else {
                    s.serialize_str(&self.masked())
                }
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $t::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

personal_number!(IdNumber, "身份证号码");
personal_number!(Phone, "电话号码");

/// Whether `text` holds what looks like a whole ID-card number (`\d{17}[\dXx]`, as a
/// regular expression would find it): the scan every public output must pass.
pub fn contains_whole_id(text: &str) -> bool {
    let mut run = 0usize;
    for c in text.bytes() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 18 {
                return true;
            }
        } else if matches!(c, b'X' | b'x') && run >= 17 {
            return true;
        } else {
            run = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_character_and_masking() {
        // GB 11643's example number.
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(
            id.birth_date(),
            chrono::NaiveDate::from_ymd_opt(1949, 12, 31)
        );
        let err = IdNumber::parse("110105194912310021").unwrap_err();
        assert!(err.contains("末位应为 X"), "{err}");
        assert!(IdNumber::parse("1101051949").is_err());
        assert!(IdNumber::parse("110105********002X").unwrap().is_masked());
    }

    #[test]
    fn serialized_masked_unless_revealed() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"110105********002X\""
        );
        let whole = reveal(|| serde_json::to_string(&id).unwrap());
        assert_eq!(whole, "\"11010519491231002X\"");
        // The flag does not outlive the call.
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"110105********002X\""
        );
        assert_eq!(format!("{id:?}"), "IdNumber(110105********002X)");
        let phone = Phone::parse("13847901234").unwrap();
        assert_eq!(phone.masked(), "138****1234");
        assert_eq!(serde_json::to_string(&phone).unwrap(), "\"138****1234\"");
    }

    #[test]
    fn scan_finds_whole_numbers_only() {
        assert!(contains_whole_id("身份证 11010519491231002X 号"));
        assert!(contains_whole_id("110105194912310021"));
        assert!(!contains_whole_id("110105********002X"));
        assert!(!contains_whole_id("12345678901234567"));
        assert!(!contains_whole_id("1234567890123456 7X"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any valid number: its masked form hides it from the scan and from serialization,
        /// revealing gives it back whole, and reading the masked form back stays masked.
        #[test]
        fn masked_numbers_never_show_whole(first17 in "[1-9][0-9]{16}") {
            let id = IdNumber::with_check(&first17).unwrap();
            let whole = id.whole().unwrap().to_string();
            prop_assert!(contains_whole_id(&whole));
            prop_assert!(!contains_whole_id(&id.masked()));
            let json = serde_json::to_string(&id).unwrap();
            prop_assert!(!contains_whole_id(&json));
            prop_assert_eq!(reveal(|| serde_json::to_string(&id).unwrap()), format!("\"{whole}\""));
            let back: IdNumber = serde_json::from_str(&json).unwrap();
            prop_assert!(back.is_masked());
            prop_assert_eq!(back.masked(), id.masked());
        }
    }
}
