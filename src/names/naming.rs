//! The life of a name: other names (aliases, abbreviations, historical names, other
//! scripts), the census texts (meaning, history, description, sources), and the workflow
//! proposed → checked → approved → published, or rejected. A rename keeps the old name as a
//! historical one. Approval is reported up within 15 days (《地名管理条例》): the deadline is
//! kept with the name.
//!
//! The functions here take a name's current state and return the next one, or say why not;
//! the caller commits the result as a changeset (with the approval document where there is
//! one). [`admissible`] says whether any write may take a name from one state to another: the
//! registry asks it of every changeset, whichever face made it.

use super::rules::{Rule, Severity, Verdict};
use crate::record::ApprovalDocument;
use crate::record::{Field, Form};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days within which an approved name is reported to the next level up.
pub const REPORT_WITHIN_DAYS: u64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameStatus {
    /// 拟命名
    Proposed,
    /// 已审核 (passed the naming rules, or each error overridden by a document)
    Checked,
    /// 已批准
    Approved,
    /// 已公告: names already in use when the registry was set up are published.
    #[default]
    Published,
    /// 未予批准
    Rejected,
}

impl NameStatus {
    /// What the names office does next with a name in this status (`report_due` while the
    /// approval is not yet reported up).
    pub fn next_step(self, report_due: Option<NaiveDate>) -> &'static str {
        match self {
            NameStatus::Proposed => "审核",
            NameStatus::Checked => "批准（须附批准文件）",
            NameStatus::Approved if report_due.is_some() => "登记上报、公告",
            NameStatus::Approved => "公告",
            NameStatus::Published if report_due.is_some() => "登记上报",
            NameStatus::Published | NameStatus::Rejected => "—",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NameStatus::Proposed => "proposed",
            NameStatus::Checked => "checked",
            NameStatus::Approved => "approved",
            NameStatus::Published => "published",
            NameStatus::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NameStatus::Proposed => "拟命名",
            NameStatus::Checked => "已审核",
            NameStatus::Approved => "已批准",
            NameStatus::Published => "已公告",
            NameStatus::Rejected => "未予批准",
        }
    }
}

/// A named layer's form: `fields`, then the status of the name and
/// the texts the gazetteer prints. Drawn new, a record is a proposal: approval is a later
/// step, with its document.
pub fn named_form(mut fields: Vec<Field>) -> Form {
    use serde_json::json;
    fields.push(Field::object(
        "naming",
        "命名信息",
        vec![
            Field::choice(
                "status",
                "名称状态",
                &[
                    NameStatus::Proposed,
                    NameStatus::Checked,
                    NameStatus::Approved,
                    NameStatus::Published,
                    NameStatus::Rejected,
                ],
                NameStatus::label,
            )
            .required(),
            Field::text("meaning", "含义"),
            Field::text("history", "历史沿革"),
            Field::text("description", "地理实体描述"),
            Field::date("named_on", "命名时间"),
        ],
    ));
    Form::new(fields).beginning_with(json!({ "naming": { "status": "proposed" } }))
}

/// The field of a standard name (required, not empty).
pub fn name_field() -> Field {
    Field::text("name", "标准名称")
        .with(serde_json::json!({ "minLength": 1 }))
        .required()
}

/// The field of a name in Mongolian script.
pub fn mongolian_field() -> Field {
    Field::text("name_mn", "蒙古文名称").with(serde_json::json!({ "x-script": "mongolian" }))
}

/// 名称种类
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameUse {
    Alias,
    Abbreviation,
    Historical,
}

/// 文种
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    Chinese,
    /// Traditional Mongolian script.
    Mongolian,
    Pinyin,
    Romanization,
}

/// How the position was obtained (测量方法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyMethod {
    /// 实测
    Surveyed,
    /// 图上量取
    FromMap,
}

/// A name other than the standard one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherName {
    pub text: String,
    #[serde(rename = "use")]
    pub name_use: NameUse,
    pub script: Script,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

/// An error verdict an officer set aside, on the authority of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub rule: Rule,
    pub document: ApprovalDocument,
}

/// Everything about a name beyond its standard form.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Naming {
    pub status: NameStatus,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<OtherName>,
    /// 地名含义
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// 历史沿革
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<String>,
    /// 地理实体描述
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// 资料来源及出处
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<String>,
    /// 命名时间
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named_on: Option<NaiveDate>,
    /// 设立年份
    #[serde(skip_serializing_if = "Option::is_none")]
    pub established: Option<i32>,
    /// 废止年份
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abolished: Option<i32>,
    /// 测量方法
    #[serde(skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyMethod>,
    /// 备注
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalDocument>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection: Option<String>,
    /// Confirmed readings of polyphonic characters, by position.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub readings: BTreeMap<usize, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// 蒙古语地名: the Chinese characters transcribe a Mongolian name, which is romanized by
    /// its fixed form or from its Mongolian script, not from the characters.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mongolian_origin: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorkflowError {
    #[error("当前状态为“{}”，不能{action}", .status.label())]
    WrongStatus {
        status: NameStatus,
        action: &'static str,
    },
    #[error("命名规则检查未通过：{}；请修改名称，或以批准文件说明理由", .0.join("；"))]
    Unresolved(Vec<String>),
    #[error("公告日期 {published} 早于批准日期 {approved}")]
    PublishedBeforeApproval {
        published: NaiveDate,
        approved: NaiveDate,
    },
    #[error("未予批准须写明理由")]
    NoReason,
    #[error("{0}须附批准文件（document：发文机关、文号、日期）")]
    NoDocument(&'static str),
    #[error("{0}须与本次变更所附的批准文件一致")]
    OtherDocument(&'static str),
    #[error(
        "名称状态不能由“{}”直接改为“{}”：须按 拟命名 → 已审核 → 已批准 → 已公告 的步骤办理（地名审批页面或 diming names）",
        .from.label(),
        .to.label()
    )]
    Skipped { from: NameStatus, to: NameStatus },
    #[error("已审核的名称改了名，须重新审核：请把状态改回“拟命名”")]
    CheckedRenamed,
    #[error("公告须写明公告日期")]
    NoPublicationDate,
}

impl Naming {
    /// A new proposal.
    pub fn proposed() -> Self {
        Naming {
            status: NameStatus::Proposed,
            ..Naming::default()
        }
    }

    /// A document that names its issuer and number, or the refusal of `action` without one.
    fn documented(document: &ApprovalDocument, action: &'static str) -> Result<(), WorkflowError> {
        if document.is_complete() {
            Ok(())
        } else {
            Err(WorkflowError::NoDocument(action))
        }
    }

    fn expect(&self, allowed: &[NameStatus], action: &'static str) -> Result<(), WorkflowError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(WorkflowError::WrongStatus {
                status: self.status,
                action,
            })
        }
    }

    /// The error verdicts this name has not set aside by a document: while there is one, it
    /// is not a standard name.
    pub fn unresolved<'a>(&self, verdicts: &'a [Verdict]) -> impl Iterator<Item = &'a Verdict> {
        let overrides = self.overrides.clone();
        verdicts
            .iter()
            .filter(|v| v.severity == Severity::Error)
            .filter(move |v| !overrides.iter().any(|o| o.rule == v.rule))
    }

    /// Refuses the error verdicts this name has not set aside by a document.
    fn resolves(&self, verdicts: &[Verdict]) -> Result<(), WorkflowError> {
        let unresolved: Vec<String> = self
            .unresolved(verdicts)
            .map(|v| format!("[{}] {}", v.rule.id(), v.explanation))
            .collect();
        if unresolved.is_empty() {
            Ok(())
        } else {
            Err(WorkflowError::Unresolved(unresolved))
        }
    }

    /// Refuses a publication dated before the approval.
    fn published_after_approval(&self, on: NaiveDate) -> Result<(), WorkflowError> {
        match &self.approval {
            Some(d) if on < d.date => Err(WorkflowError::PublishedBeforeApproval {
                published: on,
                approved: d.date,
            }),
            _ => Ok(()),
        }
    }

    /// Records the review: passes if every error verdict is overridden by a document.
    pub fn check(&self, verdicts: &[Verdict]) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Proposed], "审核")?;
        self.resolves(verdicts)?;
        Ok(Naming {
            status: NameStatus::Checked,
            ..self.clone()
        })
    }

    /// Sets aside a rule's verdict on the authority of a document.
    pub fn overridden(
        &self,
        rule: Rule,
        document: ApprovalDocument,
    ) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Proposed], "以文件说明理由")?;
        Self::documented(&document, "以文件说明理由")?;
        let mut next = self.clone();
        next.overrides.retain(|o| o.rule != rule);
        next.overrides.push(Override { rule, document });
        Ok(next)
    }

    pub fn approve(&self, document: ApprovalDocument) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Checked], "批准")?;
        Self::documented(&document, "批准")?;
        Ok(Naming {
            status: NameStatus::Approved,
            approval: Some(document),
            ..self.clone()
        })
    }

    pub fn publish(&self, on: NaiveDate) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Approved], "公告")?;
        self.published_after_approval(on)?;
        Ok(Naming {
            status: NameStatus::Published,
            published_on: Some(on),
            ..self.clone()
        })
    }

    pub fn reject(&self, reason: &str) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Proposed, NameStatus::Checked], "不予批准")?;
        if reason.trim().is_empty() {
            return Err(WorkflowError::NoReason);
        }
        Ok(Naming {
            status: NameStatus::Rejected,
            rejection: Some(reason.trim().to_string()),
            ..self.clone()
        })
    }

    /// Records that the approval was reported to the next level up.
    pub fn reported(&self, on: NaiveDate) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Approved, NameStatus::Published], "登记上报")?;
        Ok(Naming {
            reported_on: Some(on),
            ..self.clone()
        })
    }

    /// A rename approved by `document` from `on`: the old standard name becomes historical.
    /// The new name must have passed the rules (the caller checks it).
    pub fn renamed(
        &self,
        old_name: &str,
        on: NaiveDate,
        document: ApprovalDocument,
    ) -> Result<Naming, WorkflowError> {
        self.expect(&[NameStatus::Approved, NameStatus::Published], "更名")?;
        Self::documented(&document, "更名")?;
        let mut next = self.clone();
        next.other_names.push(OtherName {
            text: old_name.to_string(),
            name_use: NameUse::Historical,
            script: Script::Chinese,
            valid_from: None,
            valid_to: Some(on),
        });
        next.status = NameStatus::Approved;
        next.approval = Some(document);
        next.reported_on = None;
        next.published_on = None;
        next.overrides.clear();
        next.readings.clear();
        Ok(next)
    }

    /// The date by which the approval must be reported up, while it is not reported.
    pub fn report_due(&self) -> Option<NaiveDate> {
        match (&self.approval, self.reported_on) {
            (Some(d), None) => d.date.checked_add_days(Days::new(REPORT_WITHIN_DAYS)),
            _ => None,
        }
    }
}

/// Whether one write may take a name from `before` (`None` for a new record) to `after`,
/// whose standard form is `title`, in a changeset with `document`: the rule every entry point
/// meets in the registry's commit path (the map's form, the record API, OGC, import, the
/// workflow's own steps). A new name is proposed, or registered as approved or published on
/// the authority of a document; afterwards its status moves only one step at a time
/// (proposed → checked → approved → published, or rejected), the review only when every
/// error verdict is set aside, the approval and a rename only with a document, and the
/// approval recorded on the name is the changeset's document. `verdicts` are the naming
/// rules' findings on `title`, asked for only when a step needs them.
pub fn admissible(
    before: Option<(&Naming, &str)>,
    after: &Naming,
    title: &str,
    document: Option<&ApprovalDocument>,
    verdicts: impl FnOnce() -> Vec<Verdict>,
) -> Result<(), WorkflowError> {
    use NameStatus::*;
    // Every entry point's changeset comes through here: a document without its issuer or
    // number is no document.
    let needs = |what| {
        document
            .filter(|d| d.is_complete())
            .map(|_| ())
            .ok_or(WorkflowError::NoDocument(what))
    };
    let passes = |verdicts: Vec<Verdict>| after.resolves(&verdicts);
    let published = || match after.published_on {
        None => Err(WorkflowError::NoPublicationDate),
        Some(on) => after.published_after_approval(on),
    };
    let (was, renamed) = match before {
        None => (None, false),
        Some((b, old)) => (Some(b), old != title),
    };
    match (was.map(|b| b.status), after.status) {
        (None, Proposed) => {}
        (None, Checked) => passes(verdicts())?,
        (None, Approved | Published) => needs("登记已批准或已公告的标准地名")?,
        (None, Rejected) => {
            return Err(WorkflowError::WrongStatus {
                status: Rejected,
                action: "新建",
            });
        }
        (Some(Checked), Checked) if renamed => return Err(WorkflowError::CheckedRenamed),
        (Some(from @ (Approved | Published)), to) if renamed && (to == from || to == Approved) => {
            needs("标准地名更名")?;
            passes(verdicts())?;
        }
        (Some(from), to) if from == to => {}
        (Some(Proposed), Checked) => passes(verdicts())?,
        (Some(Checked), Approved) if !renamed => needs("批准地名")?,
        (Some(Checked), Approved) => return Err(WorkflowError::CheckedRenamed),
        (Some(Approved), Published) if !renamed => published()?,
        (Some(Proposed | Checked), Rejected) => {
            if after
                .rejection
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                return Err(WorkflowError::NoReason);
            }
        }
        (Some(Checked | Rejected), Proposed) => {}
        (Some(from), to) => return Err(WorkflowError::Skipped { from, to }),
    }
    // What is recorded as the name's authority is the document the changeset cites.
    if was.map(|b| &b.approval) != Some(&after.approval) && after.approval.is_some() {
        needs("批准信息")?;
        if after.approval.as_ref() != document {
            return Err(WorkflowError::OtherDocument("名称的批准信息"));
        }
    }
    for o in &after.overrides {
        let new = was.is_none_or(|b| !b.overrides.contains(o));
        if new && Some(&o.document) != document {
            return Err(WorkflowError::OtherDocument(
                "以文件说明理由（override）的文件",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(date: &str) -> ApprovalDocument {
        ApprovalDocument {
            issuer: "二连浩特市人民政府".into(),
            number: "二政字〔2026〕1号".into(),
            date: date.parse().unwrap(),
        }
    }

    fn error(rule: Rule) -> Verdict {
        Verdict {
            rule,
            severity: Severity::Error,
            matched: String::new(),
            explanation: "x".into(),
            conflict: None,
        }
    }

    #[test]
    fn a_name_goes_from_proposal_to_publication() {
        let n = Naming::proposed();
        let n = n.check(&[]).unwrap();
        let n = n.approve(doc("2026-03-01")).unwrap();
        assert_eq!(n.report_due(), Some("2026-03-16".parse().unwrap()));
        let n = n.reported("2026-03-10".parse().unwrap()).unwrap();
        assert_eq!(n.report_due(), None);
        let n = n.publish("2026-04-01".parse().unwrap()).unwrap();
        assert_eq!(n.status, NameStatus::Published);
    }

    #[test]
    fn an_error_verdict_blocks_the_review_until_a_document_overrides_it() {
        let n = Naming::proposed();
        let e = n.check(&[error(Rule::Grandiose)]).unwrap_err();
        assert!(matches!(e, WorkflowError::Unresolved(_)));
        let n = n.overridden(Rule::Grandiose, doc("2026-02-01")).unwrap();
        assert_eq!(
            n.check(&[error(Rule::Grandiose)]).unwrap().status,
            NameStatus::Checked
        );
        assert!(
            n.check(&[error(Rule::Foreign)]).is_err(),
            "only the overridden rule is set aside"
        );
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        let n = Naming::proposed();
        assert!(matches!(
            n.approve(doc("2026-03-01")),
            Err(WorkflowError::WrongStatus { .. })
        ));
        assert!(n.publish("2026-03-01".parse().unwrap()).is_err());
        let approved = n.check(&[]).unwrap().approve(doc("2026-03-01")).unwrap();
        assert!(
            approved.publish("2026-02-01".parse().unwrap()).is_err(),
            "not before approval"
        );
        assert!(approved.reject("x").is_err());
        assert!(Naming::proposed().reject(" ").is_err());
    }

    #[test]
    fn a_rename_keeps_the_old_name_as_historical() {
        let n = Naming::default()
            .renamed("工农街", "2021-05-01".parse().unwrap(), doc("2021-04-20"))
            .unwrap();
        assert_eq!(n.status, NameStatus::Approved);
        assert_eq!(n.other_names[0].text, "工农街");
        assert_eq!(n.other_names[0].name_use, NameUse::Historical);
        assert_eq!(
            n.other_names[0].valid_to,
            Some("2021-05-01".parse().unwrap())
        );
        assert_eq!(n.report_due(), Some("2021-05-05".parse().unwrap()));
    }

    /// The admissibility of taking `before` to `after` (titles "甲" → `title`).
    fn admit(
        before: Option<&Naming>,
        after: &Naming,
        title: &str,
        document: Option<&ApprovalDocument>,
        verdicts: &[Verdict],
    ) -> Result<(), WorkflowError> {
        admissible(before.map(|b| (b, "甲")), after, title, document, || {
            verdicts.to_vec()
        })
    }

    #[test]
    fn a_generic_write_cannot_skip_the_workflow() {
        let d = doc("2026-03-01");
        let proposed = Naming::proposed();
        let with = |status| Naming {
            status,
            ..Naming::default()
        };
        // The attack: a proposal moved straight to 已公告, or to 已批准, without a document.
        for to in [NameStatus::Approved, NameStatus::Published] {
            assert!(matches!(
                admit(Some(&proposed), &with(to), "甲", None, &[]),
                Err(WorkflowError::Skipped { .. })
            ));
        }
        // 已审核 only when the rules pass (曼哈顿 is 洋), or the error is set aside.
        let foreign = [error(Rule::Foreign)];
        let checked = with(NameStatus::Checked);
        assert!(matches!(
            admit(Some(&proposed), &checked, "甲", None, &foreign),
            Err(WorkflowError::Unresolved(_))
        ));
        assert!(admit(Some(&proposed), &checked, "甲", None, &[]).is_ok());
        // 已批准 only with the document, recorded as the name's approval.
        let approved = Naming {
            approval: Some(d.clone()),
            ..with(NameStatus::Approved)
        };
        assert!(matches!(
            admit(Some(&checked), &approved, "甲", None, &[]),
            Err(WorkflowError::NoDocument(_))
        ));
        assert!(admit(Some(&checked), &approved, "甲", Some(&d), &[]).is_ok());
        // An empty document (a generic form's blank fields) is no document.
        let empty = ApprovalDocument {
            issuer: " ".into(),
            number: String::new(),
            date: d.date,
        };
        let empty_approval = Naming {
            approval: Some(empty.clone()),
            ..with(NameStatus::Approved)
        };
        assert!(matches!(
            admit(Some(&checked), &empty_approval, "甲", Some(&empty), &[]),
            Err(WorkflowError::NoDocument(_))
        ));
        let other = doc("2026-03-02");
        assert!(matches!(
            admit(Some(&checked), &approved, "甲", Some(&other), &[]),
            Err(WorkflowError::OtherDocument(_))
        ));
        // 已公告 with its date, not before the approval.
        let published = |on: &str| Naming {
            published_on: Some(on.parse().unwrap()),
            ..approved.clone()
        };
        let published = |on| Naming {
            status: NameStatus::Published,
            ..published(on)
        };
        assert!(admit(Some(&approved), &published("2026-03-05"), "甲", None, &[]).is_ok());
        assert!(admit(Some(&approved), &published("2026-02-05"), "甲", None, &[]).is_err());
        // A standard name renamed needs a document and a name that passes the rules.
        let current = published("2026-03-05");
        assert!(matches!(
            admit(Some(&current), &current, "乙", None, &[]),
            Err(WorkflowError::NoDocument(_))
        ));
        assert!(admit(Some(&current), &current, "乙", Some(&d), &foreign).is_err());
        assert!(admit(Some(&current), &current, "乙", Some(&d), &[]).is_ok());
        // A checked name renamed goes back to review; a proposal may be amended freely.
        assert!(matches!(
            admit(Some(&checked), &checked, "乙", None, &[]),
            Err(WorkflowError::CheckedRenamed)
        ));
        assert!(admit(Some(&proposed), &proposed, "乙", None, &foreign).is_ok());
        // Backwards is not a step.
        assert!(admit(Some(&current), &proposed, "甲", Some(&d), &[]).is_err());
        // New records: proposed freely, standard only on the authority of a document.
        assert!(admit(None, &proposed, "甲", None, &foreign).is_ok());
        assert!(admit(None, &with(NameStatus::Published), "甲", None, &[]).is_err());
        assert!(admit(None, &with(NameStatus::Published), "甲", Some(&d), &[]).is_ok());
        // A rule set aside on the authority of a document the changeset does not cite.
        let excused = Naming {
            overrides: vec![Override {
                rule: Rule::Foreign,
                document: other.clone(),
            }],
            ..proposed.clone()
        };
        assert!(admit(Some(&proposed), &excused, "甲", None, &[]).is_err());
        assert!(admit(Some(&proposed), &excused, "甲", Some(&other), &[]).is_ok());
        // The workflow's own steps pass the same rule.
        let reviewed = proposed.check(&[]).unwrap();
        let approved = reviewed.approve(d.clone()).unwrap();
        assert!(admit(Some(&reviewed), &approved, "甲", Some(&d), &[]).is_ok());
        let renamed = current
            .renamed("甲", "2026-04-01".parse().unwrap(), d.clone())
            .unwrap();
        assert!(admit(Some(&current), &renamed, "乙", Some(&d), &[]).is_ok());
    }
}

/// 地理位置 as the census form writes it: "东经111°58′12″至111°59′30″，北纬43°38′02″至43°39′45″"
/// (a point has one longitude and one latitude), CGCS2000.
pub fn position_text(g: &geo::Geometry<f64>) -> Option<String> {
    use geo::BoundingRect;
    let r = g.bounding_rect()?;
    let dms = |v: f64| {
        let total = (v * 3600.0).round() as i64;
        format!(
            "{}°{:02}′{:02}″",
            total / 3600,
            (total / 60) % 60,
            total % 60
        )
    };
    let range = |a: f64, b: f64| {
        if dms(a) == dms(b) {
            dms(a)
        } else {
            format!("{}至{}", dms(a), dms(b))
        }
    };
    Some(format!(
        "东经{}，北纬{}",
        range(r.min().x, r.max().x),
        range(r.min().y, r.max().y)
    ))
}

#[cfg(test)]
mod position_tests {
    #[test]
    fn the_census_position_is_written_in_degrees_minutes_seconds() {
        let p = geo::Geometry::Point(geo::Point::new(111.97667, 43.6475));
        assert_eq!(
            super::position_text(&p).unwrap(),
            "东经111°58′36″，北纬43°38′51″"
        );
        let r = geo::Geometry::Rect(geo::Rect::new(
            geo::coord! {x: 111.9, y: 43.6},
            geo::coord! {x: 112.0, y: 43.7},
        ));
        assert_eq!(
            super::position_text(&r).unwrap(),
            "东经111°54′00″至112°00′00″，北纬43°36′00″至43°42′00″"
        );
    }
}
