//! Funeral subsidies (惠民殡葬): dated rules from the configuration, each a list of capped line
//! items with a total cap and who is eligible; one claim per deceased.

use super::{Burial, Disposition};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A line item of a claim, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub name: String,
    pub amount_fen: i64,
}

/// A line item of a rule: its cap in fen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRule {
    pub name: String,
    pub cap_yuan: f64,
}

/// A subsidy rule in force from `from` (inclusive) to `until` (exclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub from: NaiveDate,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    pub items: Vec<ItemRule>,
    pub total_cap_yuan: f64,
    /// Dispositions it covers (e.g. only cremations).
    pub dispositions: Vec<Disposition>,
    /// Only residents of the jurisdiction (residence code under the county's code).
    #[serde(default)]
    pub residents_only: bool,
    #[serde(default)]
    pub basis: String,
}

fn fen(yuan: f64) -> i64 {
    (yuan * 100.0).round() as i64
}

impl Rule {
    pub fn in_force(&self, on: NaiveDate) -> bool {
        self.from <= on && self.until.is_none_or(|u| on < u)
    }

    pub fn total_cap_fen(&self) -> i64 {
        fen(self.total_cap_yuan)
    }

    /// Whether the deceased is eligible, or why not.
    pub fn eligible(&self, burial: &Burial, county_code: &str) -> Result<(), String> {
        if !self.dispositions.contains(&burial.disposition) {
            return Err(format!(
                "{}不适用于“{}”的逝者",
                self.name,
                burial.disposition.label()
            ));
        }
        if self.residents_only && !burial.deceased.residence.starts_with(county_code) {
            return Err(format!(
                "{}仅适用于本市户籍居民（逝者住所代码 {}）",
                self.name, burial.deceased.residence
            ));
        }
        Ok(())
    }

    /// The items granted for `requested` (name, yuan; empty asks for every item at its cap):
    /// each capped, then the total capped. Unknown items are refused.
    pub fn assess(&self, requested: &[(String, f64)]) -> Result<(Vec<Item>, i64), String> {
        let mut items: Vec<Item> = if requested.is_empty() {
            self.items
                .iter()
                .map(|i| Item {
                    name: i.name.clone(),
                    amount_fen: fen(i.cap_yuan),
                })
                .collect()
        } else {
            requested
                .iter()
                .map(|(name, yuan)| {
                    let rule = self.items.iter().find(|i| &i.name == name).ok_or_else(|| {
                        let known: Vec<&str> = self.items.iter().map(|i| i.name.as_str()).collect();
                        format!(
                            "补贴项目“{name}”不在{}中（可用：{}）",
                            self.name,
                            known.join("、")
                        )
                    })?;
                    if *yuan < 0.0 {
                        return Err(format!("补贴项目“{name}”金额不能为负"));
                    }
                    Ok(Item {
                        name: name.clone(),
                        amount_fen: fen(*yuan).min(fen(rule.cap_yuan)),
                    })
                })
                .collect::<Result<_, String>>()?
        };
        let mut left = self.total_cap_fen();
        for item in &mut items {
            item.amount_fen = item.amount_fen.min(left);
            left -= item.amount_fen;
        }
        let total = items.iter().map(|i| i.amount_fen).sum();
        Ok((items, total))
    }
}

/// The rule in force on the date of death.
pub fn rule_for(rules: &[Rule], died: NaiveDate) -> Option<&Rule> {
    rules.iter().find(|r| r.in_force(died))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> Rule {
        Rule {
            id: "r".into(),
            name: "补贴".into(),
            from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            until: None,
            items: vec![
                ItemRule {
                    name: "接运".into(),
                    cap_yuan: 680.0,
                },
                ItemRule {
                    name: "火化".into(),
                    cap_yuan: 600.0,
                },
                ItemRule {
                    name: "存放".into(),
                    cap_yuan: 100.0,
                },
                ItemRule {
                    name: "寄存".into(),
                    cap_yuan: 120.0,
                },
            ],
            total_cap_yuan: 1400.0,
            dispositions: vec![Disposition::Cremation],
            residents_only: true,
            basis: String::new(),
        }
    }

    #[test]
    fn items_and_total_are_capped() {
        let (items, total) = rule().assess(&[]).unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(total, 140_000, "1,500 of items capped at a total of 1,400");
        let (items, total) = rule()
            .assess(&[("接运".into(), 900.0), ("火化".into(), 300.0)])
            .unwrap();
        assert_eq!(items[0].amount_fen, 68_000);
        assert_eq!(total, 98_000);
        assert!(rule().assess(&[("墓碑".into(), 10.0)]).is_err());
    }
}
