//! Cemeteries and burials (殡葬): cemeteries, sections and plots with their state machine and
//! use periods; deaths and their disposition (burial registration); subsidy claims; graves
//! outside cemeteries (散埋乱葬) and the relocation notices sent for them; the zones they are
//! checked against; and the cremation statistics. Pure: no I/O. Rules in DOMAIN.md §5.
//!
//! Each of these is a record with history (layers `cemeteries`, `cemetery_sections`,
//! `plots`, `burials`, `subsidy_claims`, `graves`, `relocation_notices`, `zones`). Burial
//! records, graves, notices and claims carry personal data: they are visible to the burial
//! office only, and ID-card and telephone numbers are masked in every output
//! ([`personal`]).

pub mod check;
pub mod layout;
pub mod ledger;
pub mod personal;
pub mod retention;
pub mod rules;
pub mod stats;
pub mod subsidy;

mod burial;
mod describe;
mod grave;
mod notice;
mod plot;

pub use burial::*;
pub use grave::*;
pub use notice::*;
pub use plot::*;

use crate::record::{Attributes, Describe};
use crate::record::{RecordId, Source};
use chrono::{Datelike, NaiveDate};
use personal::{IdNumber, Phone};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// 公益性公墓 or 经营性公墓.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CemeteryKind {
    Public,
    Commercial,
}

impl CemeteryKind {
    pub const ALL: [CemeteryKind; 2] = [CemeteryKind::Public, CemeteryKind::Commercial];

    pub fn label(self) -> &'static str {
        match self {
            CemeteryKind::Public => "公益性公墓",
            CemeteryKind::Commercial => "经营性公墓",
        }
    }
}

/// A cemetery (layer `cemeteries`; the geometry is its boundary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cemetery {
    pub name: String,
    pub kind: CemeteryKind,
    pub operator: String,
    #[serde(default)]
    pub address: String,
    /// The approval (批准文号) under which it was built.
    #[serde(default)]
    pub approval: Option<String>,
    #[serde(default)]
    pub opened: Option<NaiveDate>,
    pub source: Source,
}

/// A section (墓区) of a cemetery (layer `cemetery_sections`; its boundary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub cemetery: RecordId,
    /// 区号, the first part of every plot number in it ("A", "3", "东").
    pub code: String,
    #[serde(default)]
    pub name: String,
    pub source: Source,
}

/// Yuan with two decimals from fen.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_numbers_read_and_print() {
        let n: PlotNumber = "A-3-12".parse().unwrap();
        assert_eq!(n.to_string(), "A-3-12");
        assert_eq!(n.row, 3);
        assert!("A-0-1".parse::<PlotNumber>().is_err());
        assert!("A-3".parse::<PlotNumber>().is_err());
    }

    #[test]
    fn plot_state_machine() {
        use PlotStatus::*;
        assert!(Available.may_become(Reserved));
        assert!(Reserved.may_become(Occupied));
        assert!(Occupied.may_become(Expired));
        assert!(Expired.may_become(Occupied));
        assert!(!Occupied.may_become(Available));
        assert!(!Occupied.may_become(Reserved));
        assert!(!RelocatedIn.may_become(Available));
        assert!(!Available.may_become(Expired));
    }

    #[test]
    fn notice_steps_in_order() {
        let terms = NoticeTerms {
            basis: "《殡葬管理条例》".into(),
            reason: "道路建设".into(),
            scope: "示例".into(),
            registration_from: NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
            registration_until: NaiveDate::from_ymd_opt(2020, 3, 20).unwrap(),
            deadline: NaiveDate::from_ymd_opt(2020, 3, 31).unwrap(),
            destination: RecordId::derived("c"),
            destination_name: "公墓".into(),
            compensation_single_fen: 100,
            compensation_double_fen: 200,
            bonus_fen: 0,
            documents: "身份证".into(),
            contact: "民政局".into(),
            issuer: "民政局".into(),
            issued_on: NaiveDate::from_ymd_opt(2020, 2, 25).unwrap(),
        };
        assert!(terms.problems().is_empty());
        let n = Notice {
            number: "1".into(),
            batch: "b".into(),
            grave: RecordId::derived("g"),
            terms,
            status: NoticeStatus::Issued,
            steps: vec![],
            signed_by: None,
            plot: None,
            compensation_fen: None,
            source: Source::Sample,
        };
        let d = |m, day| NaiveDate::from_ymd_opt(2020, m, day).unwrap();
        assert!(n.step(NoticeStatus::Relocated, d(3, 2), "").is_err());
        assert!(n.step(NoticeStatus::Unclaimed, d(3, 30), "").is_err());
        assert!(n.step(NoticeStatus::Unclaimed, d(4, 1), "").is_ok());
        let delivered = n.step(NoticeStatus::Delivered, d(2, 26), "").unwrap();
        assert_eq!(delivered.steps.len(), 1);
    }
}
