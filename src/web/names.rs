//! The names office's workflow in the browser: the names in progress with their verdict and
//! next step (`/names`), a name's page with each step of 拟命名 → 已审核 → 已批准 → 已公告
//! (review, a rule set aside by a document, approval with its document, report up within 15
//! days, publication, rejection, renaming), and the names audit (地名清查) with its work list
//! (`/names/audit`, also as CSV). Every step is the registry's `name_step`, as on the command
//! line; a refused step comes back to the page with the registry's reason.

use super::auth::{Caller, require_write};
use super::burials::{Done, context, private};
use super::form::blank;
use super::{ApiError, AppState, pages};
use crate::model::RecordVersion;
use crate::names::rules::{Rule, Severity, Verdict};
use crate::record::{ApprovalDocument, RecordId};
use crate::registry::NameAction;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Only officers read the names in progress; the public is sent to log in.
fn officers(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.sees_internal() {
        Ok(())
    } else {
        Err(ApiError::Unauthorized("地名审批须登录后办理".into()))
    }
}

/// The layer a named record is on, in words (街路巷, 地名 …).
fn kind(v: &RecordVersion) -> &'static str {
    v.layer().label()
}

/// A verdict as the page shows it.
fn verdict_json(v: &Verdict) -> Value {
    json!({
        "rule": v.rule.id(), "rule_label": v.rule.label(),
        "error": v.severity == Severity::Error,
        "matched": v.matched, "explanation": v.explanation,
        "conflict": v.conflict.map(|c| c.to_string()),
    })
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    kind: &'static str,
    status: &'static str,
    errors: Vec<String>,
    warnings: usize,
    next: &'static str,
    report_due: Option<NaiveDate>,
    overdue: bool,
}

/// `GET /names`: the names in progress, deadlines first, each with its verdict and next step.
pub async fn list(State(registry): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    officers(&caller)?;
    let today = super::edit::today();
    let pending = registry.pending_names(today);
    let rows: Vec<Row> = {
        let state = registry.current();
        pending
            .iter()
            .filter_map(|p| {
                let v = state.get(&p.id)?.clone();
                let verdicts = registry.verdicts_for(&v, &p.name);
                Some(Row {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    kind: kind(&v),
                    status: p.status_label,
                    errors: verdicts
                        .iter()
                        .filter(|v| v.severity == Severity::Error)
                        .map(|v| format!("{}：{}", v.rule.label(), v.explanation))
                        .collect(),
                    warnings: verdicts
                        .iter()
                        .filter(|v| v.severity == Severity::Warning)
                        .count(),
                    next: p.next,
                    report_due: p.report_due,
                    overdue: p.overdue,
                })
            })
            .collect()
    };
    let mut context = context(&registry, &caller);
    context.insert("rows", &rows);
    context.insert("audit_count", &registry.name_audit().len());
    context.insert(
        "categories",
        &crate::names::PlaceCategory::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect::<Vec<_>>(),
    );
    Ok(private(pages::render("names.html", &context)?))
}

/// `GET /names/{id}`: a name, its verdicts and history, and the forms of its next steps.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, ApiError> {
    officers(&caller)?;
    let id: RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let v = registry
        .current()
        .get(&id)
        .filter(|v| v.body.naming().is_some())
        .cloned()
        .ok_or_else(|| ApiError::NotFound(format!("没有地名记录 {id}")))?;
    let naming = v.body.naming().expect("a named record").clone();
    let name = v.body.title();
    let verdicts = registry.verdicts_for(&v, &name);
    let romanized = v
        .body
        .romanization(registry.word_lists())
        .expect("a named record");
    let polyphones: Vec<Value> = romanized
        .polyphones
        .iter()
        .filter(|p| !naming.readings.contains_key(&p.index))
        .map(|p| json!({"index": p.index, "character": p.character, "readings": p.readings}))
        .collect();
    let status = naming.status;
    let report_due = naming.report_due();
    let overridden: Vec<&str> = naming.overrides.iter().map(|o| o.rule.label()).collect();
    let mut context = context(&registry, &caller);
    done.insert_into(&mut context);
    context.insert("id", &id.to_string());
    context.insert("version", &v.version);
    context.insert("name", &name);
    context.insert("name_mn", &v.body.name_mn());
    context.insert("kind", kind(&v));
    context.insert("romanized", &romanized.standard);
    context.insert("origin_note", &romanized.origin_note);
    context.insert("mongolian_origin", &naming.mongolian_origin);
    context.insert("polyphones", &polyphones);
    context.insert("status", status.label());
    context.insert("status_code", status.as_str());
    context.insert(
        "verdicts",
        &verdicts.iter().map(verdict_json).collect::<Vec<_>>(),
    );
    context.insert(
        "errors",
        &naming
            .unresolved(&verdicts)
            .map(|v| (v.rule.id(), v.rule.label()))
            .collect::<Vec<_>>(),
    );
    context.insert("overridden", &overridden);
    context.insert("approval", &naming.approval);
    context.insert("reported_on", &naming.reported_on);
    context.insert("published_on", &naming.published_on);
    context.insert("report_due", &report_due);
    context.insert(
        "overdue",
        &report_due.is_some_and(|d| d < super::edit::today()),
    );
    context.insert("meaning", &naming.meaning);
    context.insert("history", &naming.history);
    context.insert("next", status.next_step(report_due));
    context.insert(
        "former",
        &naming
            .other_names
            .iter()
            .map(|o| o.text.clone())
            .collect::<Vec<_>>(),
    );
    context.insert("can_write", &caller.access.can_write(v.layer()));
    context.insert("today", &super::edit::today());
    Ok(private(pages::render("name.html", &context)?))
}

/// A step's form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StepForm {
    /// `review`, `override`, `approve`, `report`, `publish`, `reject`, `rename`,
    /// `confirm_reading`, `set_origin`.
    action: String,
    version: u32,
    issuer: String,
    number: String,
    /// The document's date.
    date: String,
    /// The date of the step (report, publication, renaming).
    on: String,
    rule: String,
    reason: String,
    name: String,
    index: Option<usize>,
    reading: String,
    /// `true` or `false`, for `set_origin`.
    mongolian: String,
    csrf: String,
}

impl StepForm {
    /// The document the form names, or the registry's own refusal of `action` without one.
    fn document(&self, action: &'static str) -> Result<ApprovalDocument, String> {
        let missing = || {
            crate::names::naming::WorkflowError::NoDocument(action)
                .to_string()
                .replace(
                    "（document：发文机关、文号、日期）",
                    "：请填写发文机关、文号和日期",
                )
        };
        let (Some(issuer), Some(number)) = (blank(&self.issuer), blank(&self.number)) else {
            return Err(missing());
        };
        let date = super::form::date("文件日期", &self.date)?.ok_or_else(missing)?;
        Ok(ApprovalDocument {
            issuer: issuer.to_string(),
            number: number.to_string(),
            date,
        })
    }

    fn action(&self, today: NaiveDate) -> Result<NameAction, String> {
        let on = super::form::date("日期", &self.on)?.unwrap_or(today);
        let action = match self.action.as_str() {
            "review" => NameAction::Review,
            "override" => NameAction::Override {
                rule: serde_json::from_value::<Rule>(Value::String(self.rule.clone()))
                    .map_err(|_| format!("规则“{}”无效", self.rule))?,
                document: self.document("以文件说明理由")?,
            },
            "approve" => NameAction::Approve {
                document: self.document("批准")?,
            },
            "report" => NameAction::Report { on },
            "publish" => NameAction::Publish { on },
            "reject" => NameAction::Reject {
                reason: self.reason.trim().to_string(),
            },
            "rename" => NameAction::Rename {
                name: blank(&self.name).ok_or("请填写新名称")?.to_string(),
                on,
                document: self.document("更名")?,
            },
            "confirm_reading" => NameAction::ConfirmReading {
                index: self.index.ok_or("请指明多音字")?,
                reading: self.reading.trim().to_string(),
            },
            "set_origin" => NameAction::SetOrigin {
                mongolian: self.mongolian == "true",
            },
            other => return Err(format!("步骤“{other}”无效")),
        };
        Ok(action)
    }
}

/// `POST /names/{id}/steps`: one step of the workflow through the registry.
pub async fn step(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, ApiError> {
    let target = format!("/names/{id}/steps");
    let id: RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let (layer, current_from) = registry
        .current()
        .get(&id)
        .map(|v| (v.layer(), v.valid_from))
        .ok_or_else(|| ApiError::NotFound(format!("没有地名记录 {id}")))?;
    let author = require_write(&registry, &caller, layer, &target).await?;
    let _ = &f.csrf;
    let page = format!("/names/{id}");
    let refused = |m: &str| super::form::refused(&page, m);
    let today = super::edit::today();
    let action = match f.action(today) {
        Ok(a) => a,
        Err(m) => return Ok(refused(&m)),
    };
    let valid_from = action.valid_from(today, current_from);
    match registry
        .name_step(id, f.version, action, &author, valid_from)
        .await
    {
        Ok(_) => Ok(super::form::done(&page, &f.action)),
        Err(e) if e.is_refusal() => Ok(refused(&e.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// The proposal of a place's name at a point, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProposeForm {
    name: String,
    category: String,
    /// Longitude,latitude.
    at: String,
    meaning: String,
    csrf: String,
}

/// `POST /names`: proposes the name of a place at a point (a street's line is drawn on the
/// map); its page next, where it is reviewed.
pub async fn propose(
    State(registry): State<AppState>,
    caller: Caller,
    Form(f): Form<ProposeForm>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, crate::model::Layer::Place, "/names").await?;
    let _ = &f.csrf;
    let invalid = |field: &str, message: String| ApiError::Invalid {
        field: field.into(),
        message,
    };
    let name = blank(&f.name).ok_or_else(|| invalid("name", "请填写拟用名称".into()))?;
    let category: crate::names::PlaceCategory =
        f.category.parse().map_err(|m| invalid("category", m))?;
    let point = crate::spatial::parse_lon_lat(&f.at).map_err(|m| invalid("at", m))?;
    let mut naming = crate::names::naming::Naming::proposed();
    naming.meaning = blank(&f.meaning).map(str::to_string);
    let body = crate::model::Body::from(crate::names::Place {
        name: name.to_string(),
        name_mn: None,
        category,
        source: crate::record::Source::Survey,
        naming,
    });
    let today = super::edit::today();
    let id = registry
        .propose(body, geo::Geometry::Point(point), &author, today)
        .await?;
    Ok(Redirect::to(&format!("/names/{id}?done=proposed")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditQuery {
    /// `csv` for the download.
    format: String,
    /// Only this rule (its id).
    rule: String,
}

/// `GET /names/audit`: the names the rules object to, by unit, with the rule, what matched
/// and why; each a link to the name's page. `?format=csv` downloads it.
pub async fn audit(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    officers(&caller)?;
    let rows = registry.name_audit();
    let units: std::collections::HashMap<String, String> = registry
        .current()
        .versions::<crate::boundaries::AdminUnit>()
        .map(|(_, u)| (u.code.short(), u.name.clone()))
        .collect();
    let unit_names = |codes: &[String]| {
        codes
            .iter()
            .map(|c| units.get(c).cloned().unwrap_or_else(|| c.clone()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut flat = Vec::new();
    let mut by_rule: std::collections::BTreeMap<&str, (&str, usize)> = Default::default();
    for r in rows.iter() {
        for v in &r.verdicts {
            by_rule.entry(v.rule.id()).or_insert((v.rule.label(), 0)).1 += 1;
            if blank(&q.rule).is_some_and(|w| w != v.rule.id()) {
                continue;
            }
            flat.push(json!({
                "id": r.id.to_string(), "name": r.name, "layer": r.layer.label(),
                "units": unit_names(&r.units), "rule": v.rule.label(),
                "severity": if v.severity == Severity::Error { "须更正" } else { "提示" },
                "matched": v.matched, "explanation": v.explanation,
            }));
        }
    }
    if q.format == "csv" {
        let mut w = crate::io::csv::Writer::from_writer(Vec::new());
        let write = |w: &mut crate::io::csv::Writer<Vec<u8>>, cells: [&str; 7]| {
            w.write_record(cells)
                .map_err(|e| ApiError::Internal(e.to_string()))
        };
        write(
            &mut w,
            ["所在区域", "图层", "名称", "规则", "级别", "匹配", "说明"],
        )?;
        for f in &flat {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            let cells = [
                s("units"),
                s("layer"),
                s("name"),
                s("rule"),
                s("severity"),
                s("matched"),
                s("explanation"),
            ];
            write(&mut w, cells.each_ref().map(String::as_str))?;
        }
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(
            w.into_inner()
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        );
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"names-audit.csv\"; filename*=UTF-8''%E5%9C%B0%E5%90%8D%E6%B8%85%E6%9F%A5.csv",
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let mut context = context(&registry, &caller);
    context.insert("rows", &flat);
    context.insert("names", &rows.len());
    context.insert(
        "rules",
        &by_rule
            .iter()
            .map(|(id, (label, n))| json!({"id": id, "label": label, "count": n}))
            .collect::<Vec<_>>(),
    );
    context.insert("rule", &q.rule);
    Ok(private(pages::render("names_audit.html", &context)?))
}
