//! The names audit (地名清查) as a standalone HTML document, grouped by unit, for printing or
//! sending to the sumu and communities.

use crate::model::CurrentState;
use crate::names::rules::Severity;
use crate::queries::audit::AuditRow;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Tera};

#[derive(Serialize)]
struct Line {
    name: String,
    layer: &'static str,
    rule: &'static str,
    label: &'static str,
    severity: &'static str,
    explanation: String,
    id: String,
}

#[derive(Serialize)]
struct Group {
    unit: String,
    lines: Vec<Line>,
}

/// Renders the audit rows; `state` gives the units' names, `city` the title.
pub fn html(
    rows: &[AuditRow],
    state: &CurrentState,
    city: &str,
    date: chrono::NaiveDate,
) -> Result<String, tera::Error> {
    let unit_name = |code: &str| {
        state
            .layer(crate::model::Layer::AdminUnit)
            .find(|v| matches!(&v.body, crate::model::Body::AdminUnit(u) if u.code.short() == code))
            .map(|v| format!("{} {}", code, v.body.title()))
            .unwrap_or_else(|| code.to_string())
    };
    let mut groups: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for r in rows {
        let unit = r
            .unit
            .as_deref()
            .map(unit_name)
            .unwrap_or_else(|| "（未落入任何区域）".into());
        for v in &r.verdicts {
            groups.entry(unit.clone()).or_default().push(Line {
                name: r.name.clone(),
                layer: r.layer.label(),
                rule: v.rule.id(),
                label: v.rule.label(),
                severity: match v.severity {
                    Severity::Error => "错误",
                    Severity::Warning => "警告",
                },
                explanation: v.explanation.clone(),
                id: r.id.to_string(),
            });
        }
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|(unit, lines)| Group { unit, lines })
        .collect();
    let mut context = Context::new();
    context.insert("city", city);
    context.insert("date", &date.to_string());
    context.insert("names", &rows.len());
    context.insert("groups", &groups);
    Tera::one_off(include_str!("templates/audit.html"), &context, true)
}
