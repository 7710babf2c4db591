//! Retention of personal data (PIPL art. 19: kept no longer than its purpose needs). Each
//! kind of personal data in the burial layers is kept a configurable number of years after
//! the business it served has ended (`[cemetery.retention]`), then erased from the record and
//! from every earlier version of it, so that neither the registry, its history nor a later
//! backup still holds it. Names and dates stay: the public grave finder and the statistics
//! need them, and they are not what the rule is about.
//!
//! | what | kept until |
//! |---|---|
//! | the deceased's ID-card number | `deceased_id_years` after the death |
//! | a plot holder's telephone | `plot_phone_years` after the plot's use period ends |
//! | a grave owner's name and telephone | `grave_owner_years` after the grave moved into a cemetery (the day its burial there was registered) |
//! | a subsidy claimant's telephone | `claimant_phone_years` after the subsidy was paid |
//!
//! A renewed plot's period moves its date on; a grave not yet moved and a subsidy not yet
//! paid keep their data.

use super::{Burial, Grave, Plot, SubsidyClaim, add_years};
use crate::record::RecordId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Retention {
    pub deceased_id_years: u32,
    pub plot_phone_years: u32,
    pub grave_owner_years: u32,
    pub claimant_phone_years: u32,
}

impl Default for Retention {
    /// The bureau's defaults: the ID number as long as a burial file is kept (30 years);
    /// contacts a few years past the last dealing with them.
    fn default() -> Self {
        Retention {
            deceased_id_years: 30,
            plot_phone_years: 3,
            grave_owner_years: 3,
            claimant_phone_years: 5,
        }
    }
}

/// Personal data past its retention: what it is, since when, and whether the record still
/// holds it (otherwise only earlier versions may).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiry {
    /// What is erased, in the user's words.
    pub what: &'static str,
    /// The day the retention ended.
    pub since: NaiveDate,
    pub held: bool,
}

/// A record that holds personal data the rule covers.
pub trait Personal {
    /// What the rule erases, the day the business it served ended (`None` while it goes on),
    /// and whether this record still holds it. `registered_on` gives the day a burial was
    /// registered (a grave's business ends when its burial in a cemetery is registered).
    fn business(
        &self,
        registered_on: &dyn Fn(RecordId) -> Option<NaiveDate>,
    ) -> (&'static str, Option<NaiveDate>, bool);
    /// How many years the rule keeps it.
    fn years(&self, rule: &Retention) -> u32;
    /// Takes the personal data away; whether anything went.
    fn erase(&mut self) -> bool;
}

impl Retention {
    /// Whether `record`'s personal data is past its retention on `on` (the dates that end the
    /// business are never erased, and erasing does not move them).
    pub fn expired(
        &self,
        record: &dyn Personal,
        registered_on: &dyn Fn(RecordId) -> Option<NaiveDate>,
        on: NaiveDate,
    ) -> Option<Expiry> {
        let (what, end, held) = record.business(registered_on);
        let years = i32::try_from(record.years(self)).unwrap_or(i32::MAX);
        let since = add_years(end?, years);
        (since <= on).then_some(Expiry { what, since, held })
    }
}

impl Personal for Burial {
    fn business(
        &self,
        _: &dyn Fn(RecordId) -> Option<NaiveDate>,
    ) -> (&'static str, Option<NaiveDate>, bool) {
        (
            "逝者身份证号码",
            Some(self.deceased.died),
            self.deceased.id_number.is_some(),
        )
    }
    fn years(&self, rule: &Retention) -> u32 {
        rule.deceased_id_years
    }
    fn erase(&mut self) -> bool {
        self.deceased.id_number.take().is_some()
    }
}

impl Personal for Plot {
    fn business(
        &self,
        _: &dyn Fn(RecordId) -> Option<NaiveDate>,
    ) -> (&'static str, Option<NaiveDate>, bool) {
        (
            "墓位使用人电话",
            self.period.as_ref().map(|u| u.until),
            self.holder_phone.is_some(),
        )
    }
    fn years(&self, rule: &Retention) -> u32 {
        rule.plot_phone_years
    }
    fn erase(&mut self) -> bool {
        self.holder_phone.take().is_some()
    }
}

impl Personal for Grave {
    fn business(
        &self,
        registered_on: &dyn Fn(RecordId) -> Option<NaiveDate>,
    ) -> (&'static str, Option<NaiveDate>, bool) {
        (
            "坟主姓名及电话",
            self.moved_to.and(self.burial).and_then(registered_on),
            self.owner.is_some() || self.owner_phone.is_some(),
        )
    }
    fn years(&self, rule: &Retention) -> u32 {
        rule.grave_owner_years
    }
    fn erase(&mut self) -> bool {
        let owner = self.owner.take().is_some();
        self.owner_phone.take().is_some() || owner
    }
}

impl Personal for SubsidyClaim {
    fn business(
        &self,
        _: &dyn Fn(RecordId) -> Option<NaiveDate>,
    ) -> (&'static str, Option<NaiveDate>, bool) {
        (
            "补贴申领人电话",
            self.paid_on,
            self.claimant_phone.is_some(),
        )
    }
    fn years(&self, rule: &Retention) -> u32 {
        rule.claimant_phone_years
    }
    fn erase(&mut self) -> bool {
        self.claimant_phone.take().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(paid_on: Option<&str>, phone: bool) -> SubsidyClaim {
        serde_json::from_value(serde_json::json!({
            "burial": RecordId::new(), "rule": "2019", "items": [], "total_fen": 181_000,
            "claimed_on": "2020-02-01", "claimant": "乌日娜",
            "claimant_phone": phone.then_some("13847901234"),
            "paid_on": paid_on, "source": "survey",
        }))
        .unwrap()
    }

    #[test]
    fn a_telephone_is_kept_to_the_day_its_retention_ends_and_not_while_unpaid() {
        let rule = Retention::default();
        let state = |_: RecordId| None::<NaiveDate>;
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let paid = claim(Some("2020-03-01"), true);
        assert!(rule.expired(&paid, &state, day("2025-02-28")).is_none());
        let e = rule.expired(&paid, &state, day("2025-03-01")).unwrap();
        assert_eq!(
            (e.since, e.held, e.what),
            (day("2025-03-01"), true, "补贴申领人电话")
        );
        // Not paid yet: the business goes on, whatever the year.
        assert!(
            rule.expired(&claim(None, true), &state, day("2099-01-01"))
                .is_none()
        );
        // Past its retention but already erased: listed for the history, not as held.
        let erased = claim(Some("2020-03-01"), false);
        assert!(
            !rule
                .expired(&erased, &state, day("2030-01-01"))
                .unwrap()
                .held
        );
        // Erasing takes the number and says so once.
        let mut body = paid.clone();
        assert!(body.erase());
        assert!(!body.erase());
        // A bureau may keep it longer.
        let longer = Retention {
            claimant_phone_years: 10,
            ..rule
        };
        assert!(longer.expired(&paid, &state, day("2029-12-31")).is_none());
    }
}
