//! The naming workflow on the registry: each step reads the current record, applies
//! [`crate::names::naming`] to it and commits the result as a changeset (with its approval
//! document where there is one). Reviews and renames run the naming rules against the names in
//! scope. [`workflow`] holds every other write to the same rule at commit
//! ([`crate::names::naming::admissible`]).

use super::{Registry, RegistryError};
use crate::config::Config;
use crate::model::{Body, Changeset, CurrentState, Layer, RecordVersion, Write};
use crate::names::WordLists;
use crate::names::naming::{NameStatus, Naming, admissible};
use crate::names::rules::{self, Rule, Verdict};
use crate::queries::audit::{Scope, peers};
use crate::record::{ApprovalDocument, ChangesetId, RecordId};
use chrono::NaiveDate;
use serde::Serialize;

/// A step of the workflow.
#[derive(Debug, Clone)]
pub enum NameAction {
    /// Run the naming rules; pass to "checked" or say what is unresolved.
    Review,
    /// Set aside a rule's verdict on the authority of a document.
    Override {
        rule: Rule,
        document: ApprovalDocument,
    },
    Approve {
        document: ApprovalDocument,
    },
    /// The approval was reported to the next level up.
    Report {
        on: NaiveDate,
    },
    Publish {
        on: NaiveDate,
    },
    Reject {
        reason: String,
    },
    /// A new standard name, approved by `document`, from `on`.
    Rename {
        name: String,
        on: NaiveDate,
        document: ApprovalDocument,
    },
    /// The reading of the polyphonic character at `index` (0-based) is `reading`.
    ConfirmReading {
        index: usize,
        reading: String,
    },
    /// The name is (or is not) of Mongolian origin: romanized from the Mongolian, not the
    /// characters.
    SetOrigin {
        mongolian: bool,
    },
}

impl NameAction {
    /// When the step takes effect in the world: a renaming on its own date, every other
    /// step today (never before the record's current version).
    pub fn valid_from(&self, today: NaiveDate, current_from: NaiveDate) -> NaiveDate {
        match self {
            NameAction::Rename { on, .. } => *on,
            _ => today.max(current_from),
        }
    }

    fn reason(&self) -> String {
        match self {
            NameAction::Review => "地名审核".into(),
            NameAction::Override { rule, .. } => format!("以文件说明理由：{}", rule.id()),
            NameAction::Approve { .. } => "地名批准".into(),
            NameAction::Report { .. } => "地名批准后登记上报".into(),
            NameAction::Publish { .. } => "地名公告".into(),
            NameAction::Reject { reason } => format!("不予批准：{reason}"),
            NameAction::Rename { name, .. } => format!("更名为{name}"),
            NameAction::ConfirmReading { index, reading } => {
                format!("确认多音字读音：第 {index} 字读 {reading}")
            }
            NameAction::SetOrigin { mongolian: true } => "标明为蒙古语地名".into(),
            NameAction::SetOrigin { mongolian: false } => "取消蒙古语地名的标明".into(),
        }
    }

    fn document(&self) -> Option<&ApprovalDocument> {
        match self {
            NameAction::Override { document, .. }
            | NameAction::Approve { document }
            | NameAction::Rename { document, .. } => Some(document),
            _ => None,
        }
    }
}

/// The naming rules applied to `name` as the name of record `id` with `body`, against the
/// other names in its scope in `state`.
fn verdicts_in(
    state: &CurrentState,
    config: &Config,
    lists: &WordLists,
    id: RecordId,
    body: &Body,
    name: &str,
) -> Vec<Verdict> {
    let Some((scope, kind)) = Scope::of_body(body) else {
        return Vec::new();
    };
    let settings = config.rule_settings();
    let peers = peers(state, scope, Some(id), &settings);
    rules::check(name, kind, &peers, lists, &settings)
}

/// The naming workflow over every write of a changeset, whichever face it came from: a
/// name's status and standard form change only by the workflow's steps, with their documents
/// ([`crate::names::naming::admissible`]).
pub(super) fn workflow(
    state: &CurrentState,
    config: &Config,
    lists: &WordLists,
    changeset: &Changeset,
) -> Result<(), RegistryError> {
    for write in &changeset.writes {
        let (id, body) = match write {
            Write::Create { id, body, .. } | Write::Update { id, body, .. } => (*id, body),
            Write::Retire { .. } => continue,
        };
        let Some(after) = body.naming() else { continue };
        let stored = state
            .get(&id)
            .filter(|_| matches!(write, Write::Update { .. }));
        let before = stored.and_then(|v| v.body.naming().map(|n| (n, v.body.title())));
        let title = body.title();
        admissible(
            before.as_ref().map(|(n, t)| (*n, t.as_str())),
            after,
            &title,
            changeset.document.as_ref(),
            || verdicts_in(state, config, lists, id, body, &title),
        )
        .map_err(|error| RegistryError::Workflow { id, error })?;
    }
    Ok(())
}

/// A name on its way: not yet published, or approved and not yet reported up.
#[derive(Debug, Clone, Serialize)]
pub struct PendingName {
    pub id: RecordId,
    pub name: String,
    pub status: NameStatus,
    pub status_label: &'static str,
    pub report_due: Option<NaiveDate>,
    pub overdue: bool,
    /// What the names office does next.
    pub next: &'static str,
}

impl Registry {
    fn named(&self, id: RecordId) -> Result<RecordVersion, RegistryError> {
        self.current()
            .get(&id)
            .filter(|v| v.body.naming().is_some())
            .cloned()
            .ok_or(RegistryError::NotNamed(id))
    }

    /// The naming rules applied to `name` as if it were the name of `v`.
    pub fn verdicts_for(&self, v: &RecordVersion, name: &str) -> Vec<Verdict> {
        verdicts_in(
            &self.current(),
            &self.config,
            &self.lists,
            v.id,
            &v.body,
            name,
        )
    }

    /// Applies one step of the workflow to the name of record `id`, currently at
    /// `base_version`; the change takes effect in the world on `valid_from`.
    pub async fn name_step(
        &self,
        id: RecordId,
        base_version: u32,
        action: NameAction,
        author: &str,
        valid_from: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let v = self.named(id)?;
        let naming = v.body.naming().expect("named() keeps named records");
        let wf = |error| RegistryError::Workflow { id, error };
        let (name, next): (Option<String>, Naming) = match &action {
            NameAction::ConfirmReading { index, reading } => {
                let title = v.body.title();
                let r =
                    crate::names::romanize::romanize(&title, &self.lists, false, &naming.readings);
                let Some(p) = r.polyphones.iter().find(|p| p.index == *index) else {
                    return Err(RegistryError::Reading(format!(
                        "“{title}”的第 {index} 字不是需要确认读音的多音字"
                    )));
                };
                if !p.readings.contains(reading) {
                    return Err(RegistryError::Reading(format!(
                        "“{}”没有读音 {reading}，可选：{}",
                        p.character,
                        p.readings.join("、")
                    )));
                }
                let mut next = naming.clone();
                next.readings.insert(*index, reading.clone());
                (None, next)
            }
            NameAction::SetOrigin { mongolian } => {
                let mut next = naming.clone();
                next.mongolian_origin = *mongolian;
                (None, next)
            }
            NameAction::Review => {
                let verdicts = self.verdicts_for(&v, &v.body.title());
                (None, naming.check(&verdicts).map_err(wf)?)
            }
            NameAction::Override { rule, document } => (
                None,
                naming.overridden(*rule, document.clone()).map_err(wf)?,
            ),
            NameAction::Approve { document } => {
                (None, naming.approve(document.clone()).map_err(wf)?)
            }
            NameAction::Report { on } => (None, naming.reported(*on).map_err(wf)?),
            NameAction::Publish { on } => (None, naming.publish(*on).map_err(wf)?),
            NameAction::Reject { reason } => (None, naming.reject(reason).map_err(wf)?),
            NameAction::Rename { name, on, document } => {
                let verdicts = self.verdicts_for(&v, name);
                // The new name must pass the rules as a proposal would.
                crate::names::naming::Naming::proposed()
                    .check(&verdicts)
                    .map_err(wf)?;
                let next = naming
                    .renamed(&v.body.title(), *on, document.clone())
                    .map_err(wf)?;
                (Some(name.clone()), next)
            }
        };
        let mut cs = Changeset::new(author, action.reason());
        cs.document = action.document().cloned();
        cs.writes.push(Write::Update {
            id,
            base_version,
            valid_from,
            body: v.body.renamed(name.as_deref(), next),
            geometry: v.geometry.clone(),
        });
        self.commit(cs).await
    }

    /// The names audit (地名清查): every current name the rules object to, by unit.
    /// Kept until a unit, a street or a place changes (retirements included: retired names
    /// are former names to the rules).
    pub fn name_audit(&self) -> std::sync::Arc<Vec<crate::queries::audit::AuditRow>> {
        self.derived(
            "names.audit",
            &[Layer::AdminUnit, Layer::Street, Layer::Place],
            |state| crate::queries::audit::audit(state, &self.lists, &self.config.rule_settings()),
        )
    }

    /// Names not yet published, and approvals not yet reported up, oldest deadline first.
    pub fn pending_names(&self, today: NaiveDate) -> Vec<PendingName> {
        let current = self.current();
        let mut out: Vec<PendingName> = current
            .records()
            .filter_map(|v| {
                let n = v.body.naming()?;
                let due = n.report_due();
                if n.status == NameStatus::Published && due.is_none() {
                    return None;
                }
                if n.status == NameStatus::Rejected {
                    return None;
                }
                Some(PendingName {
                    id: v.id,
                    name: v.body.title(),
                    status: n.status,
                    status_label: n.status.label(),
                    report_due: due,
                    overdue: due.is_some_and(|d| d < today),
                    next: n.status.next_step(due),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            (a.report_due.is_none(), a.report_due, &a.name).cmp(&(
                b.report_due.is_none(),
                b.report_due,
                &b.name,
            ))
        });
        out
    }

    /// Proposes a new named record (a street or a place) with status "proposed".
    pub async fn propose(
        &self,
        body: Body,
        geometry: geo::Geometry<f64>,
        author: &str,
        valid_from: NaiveDate,
    ) -> Result<RecordId, RegistryError> {
        let id = RecordId::new();
        let body = body.renamed(None, Naming::proposed());
        let mut cs = Changeset::new(author, format!("拟命名：{}", body.title()));
        cs.writes.push(Write::Create {
            id,
            valid_from,
            body,
            geometry,
        });
        self.commit(cs).await?;
        Ok(id)
    }
}
