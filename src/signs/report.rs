//! The sign register's report: the findings on each sign and the counts across the register,
//! as the registry works them out and the publishers print them.

use super::{Condition, Finding, SignKind, SignText};
use crate::record::RecordId;
use serde::Serialize;
use std::collections::BTreeMap;

/// The findings on one sign.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignReport {
    #[schema(value_type = uuid::Uuid)]
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
    #[schema(value_type = Object)]
    pub shows: SignText,
    pub findings: Vec<Finding>,
}

/// Counts for the sign report.
/// The work orders' counts and costs are the sign office's (left out for others).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SignSummary {
    pub signs: usize,
    #[schema(value_type = Object)]
    pub by_condition: BTreeMap<&'static str, usize>,
    #[schema(value_type = Object)]
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Signs per unit name, and how many of them are not in good condition.
    #[schema(value_type = Object)]
    pub by_unit: BTreeMap<String, (usize, usize)>,
    /// The lightbox programme: signs, good ones, ones with findings.
    #[schema(value_type = Vec<usize>)]
    pub lightbox: (usize, usize, usize),
    #[schema(required = false)]
    pub open_orders: usize,
    #[schema(required = false)]
    pub open_cost_fen: i64,
    #[schema(required = false)]
    pub done_orders: usize,
    #[schema(required = false)]
    pub done_cost_fen: i64,
    #[schema(required = false, value_type = Object)]
    pub orders_by_kind: BTreeMap<&'static str, usize>,
}
