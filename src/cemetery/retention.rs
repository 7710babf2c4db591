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

use super::add_years;
use crate::model::{Body, CurrentState, Layer, RecordVersion};
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

/// One record whose personal data is past its retention.
#[derive(Debug, Clone, Serialize)]
pub struct Expired {
    pub id: crate::record::RecordId,
    pub layer: Layer,
    /// What is erased, in the user's words.
    pub what: &'static str,
    /// The day the retention ended.
    pub since: NaiveDate,
    /// Whether the current version still holds it (otherwise only earlier versions may).
    pub held: bool,
}

/// The layers that hold personal data covered by the rule.
pub const LAYERS: [Layer; 4] = [
    Layer::Burial,
    Layer::Plot,
    Layer::Grave,
    Layer::SubsidyClaim,
];

impl Retention {
    /// Whether `v`'s personal data is past its retention on `on`, judged on its current
    /// version and the records it links to in `state` (the dates that end the business are
    /// never erased, and erasing does not move them).
    pub fn expired(
        &self,
        v: &RecordVersion,
        state: &CurrentState,
        on: NaiveDate,
    ) -> Option<Expired> {
        let years = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        let (what, end, years, held) = match &v.body {
            Body::Burial(b) => (
                "逝者身份证号码",
                Some(b.deceased.died),
                years(self.deceased_id_years),
                b.deceased.id_number.is_some(),
            ),
            Body::Plot(p) => (
                "墓位使用人电话",
                p.period.as_ref().map(|u| u.until),
                years(self.plot_phone_years),
                p.holder_phone.is_some(),
            ),
            Body::Grave(g) => (
                "坟主姓名及电话",
                g.moved_to
                    .and(g.burial)
                    .and_then(|b| match state.get(&b).map(|b| &b.body) {
                        Some(Body::Burial(b)) => Some(b.registered_on),
                        _ => None,
                    }),
                years(self.grave_owner_years),
                g.owner.is_some() || g.owner_phone.is_some(),
            ),
            Body::SubsidyClaim(c) => (
                "补贴申领人电话",
                c.paid_on,
                years(self.claimant_phone_years),
                c.claimant_phone.is_some(),
            ),
            _ => return None,
        };
        let since = add_years(end?, years);
        (since <= on).then_some(Expired {
            id: v.id,
            layer: v.layer(),
            what,
            since,
            held,
        })
    }
}

/// `body` without the personal data the rule covers for its layer; whether anything went.
pub fn erase(body: &mut Body) -> bool {
    match body {
        Body::Burial(b) => b.deceased.id_number.take().is_some(),
        Body::Plot(p) => p.holder_phone.take().is_some(),
        Body::Grave(g) => {
            let owner = g.owner.take().is_some();
            g.owner_phone.take().is_some() || owner
        }
        Body::SubsidyClaim(c) => c.claimant_phone.take().is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{ChangesetId, RecordId};

    fn claim(paid_on: Option<&str>, phone: bool) -> RecordVersion {
        let body: crate::cemetery::SubsidyClaim = serde_json::from_value(serde_json::json!({
            "burial": RecordId::new(), "rule": "2019", "items": [], "total_fen": 181_000,
            "claimed_on": "2020-02-01", "claimant": "乌日娜",
            "claimant_phone": phone.then_some("13847901234"),
            "paid_on": paid_on, "source": "survey",
        }))
        .unwrap();
        RecordVersion {
            id: RecordId::new(),
            version: 1,
            valid_from: "2020-02-01".parse().unwrap(),
            valid_to: None,
            recorded_at: chrono::Utc::now(),
            superseded_at: None,
            changeset: ChangesetId::new(),
            retired: false,
            body: Body::SubsidyClaim(body),
            geometry: geo::Geometry::Point(geo::Point::new(111.98, 43.65)),
        }
    }

    #[test]
    fn a_telephone_is_kept_to_the_day_its_retention_ends_and_not_while_unpaid() {
        let rule = Retention::default();
        let state = CurrentState::default();
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
        let mut body = paid.body.clone();
        assert!(erase(&mut body));
        assert!(!erase(&mut body));
        // A bureau may keep it longer.
        let longer = Retention {
            claimant_phone_years: 10,
            ..rule
        };
        assert!(longer.expired(&paid, &state, day("2029-12-31")).is_none());
    }
}
