//! The sign register's report: the findings on each sign and the counts across the register,
//! as the registry works them out and the publishers print them.

use super::{Condition, Finding, SignKind, SignText};
use crate::record::RecordId;
use serde::Serialize;
use std::collections::BTreeMap;

/// The findings on one sign.
#[derive(Debug, Clone, Serialize)]
pub struct SignReport {
    pub id: RecordId,
    pub code: String,
    pub kind: SignKind,
    pub kind_label: &'static str,
    pub condition: Condition,
    /// The unit it stands in (community, 嘎查 or the one above).
    pub unit: Option<String>,
    pub unit_code: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub shows: SignText,
    pub findings: Vec<Finding>,
}

/// Counts for the sign report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignSummary {
    pub signs: usize,
    pub by_condition: BTreeMap<&'static str, usize>,
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Signs per unit name, and how many of them are not in good condition.
    pub by_unit: BTreeMap<String, (usize, usize)>,
    /// The lightbox programme: signs, good ones, ones with findings.
    pub lightbox: (usize, usize, usize),
    pub open_orders: usize,
    pub open_cost_fen: i64,
    pub done_orders: usize,
    pub done_cost_fen: i64,
    pub orders_by_kind: BTreeMap<&'static str, usize>,
}
