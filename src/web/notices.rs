//! Relocation notices (迁坟告知书) in the browser: the list by batch and status with counts,
//! a batch issued for the graves in a zone or a list (`issue_notices`, the same step and
//! scope as `diming notices relocation`), each notice's page with its grave, terms and steps,
//! the next step recorded (delivery with who signed, registration, compensation, unclaimed),
//! the move into a plot recorded (`relocate_grave`), and the notices printed: one notice, or
//! a whole batch with its public announcement as a ZIP of PDFs.

use super::auth::{Caller, require_write};
use super::burials::{Done, burial_office, context, private};
use super::form::{self, blank, encoded};
use super::{ApiError, AppState, pages};
use crate::cemetery::personal::Masked;
use crate::cemetery::{
    Burial, Cemetery, Deceased, Grave, Notice, NoticeStatus, NoticeTerms, PlotNumber, Zone,
    defaults,
};
use crate::model::{CurrentState, Layer};
use crate::record::RecordId;
use crate::registry::cemetery::{NoticeUpdate, find_plot, scope};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn date(field: &str, label: &str, text: &str) -> Result<Option<NaiveDate>, ApiError> {
    super::form::date(label, text).map_err(|m| invalid(field, m))
}

fn yuan(field: &str, label: &str, text: &str, default: f64) -> Result<i64, ApiError> {
    let y = match blank(text) {
        None => default,
        Some(t) => t
            .parse::<f64>()
            .ok()
            .filter(|y| y.is_finite() && *y >= 0.0)
            .ok_or_else(|| invalid(field, format!("{label}“{t}”无效：应为元数，如 2000")))?,
    };
    Ok((y * 100.0).round() as i64)
}

fn notice_id(id: &str) -> Result<RecordId, ApiError> {
    id.parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ListQuery {
    batch: String,
    status: String,
    /// A notice number or a grave's ledger number, or part of one.
    q: String,
    page: Option<usize>,
    #[serde(skip_serializing)]
    done: String,
}

#[derive(Serialize)]
struct Row {
    id: String,
    number: String,
    batch: String,
    grave: String,
    status: &'static str,
    deadline: NaiveDate,
    overdue: bool,
    plot: String,
}

/// `GET /cemetery/notices`: the notices by batch, status or number; the batches with their
/// progress; the form that issues a batch.
pub async fn list(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let status = blank(&q.status)
        .map(str::parse::<NoticeStatus>)
        .transpose()
        .map_err(|m| invalid("status", m))?;
    let today = super::edit::today();
    let state = registry.current();
    let wanted = q.q.trim();
    let mut batches: std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<NoticeStatus, usize>,
    > = Default::default();
    let mut rows = Vec::new();
    for (v, n) in state.versions::<Notice>() {
        *batches
            .entry(n.batch.clone())
            .or_default()
            .entry(n.status)
            .or_default() += 1;
        let grave = state
            .version::<Grave>(&n.grave)
            .map(|(_, g)| g.number.clone())
            .unwrap_or_default();
        if blank(&q.batch).is_some_and(|b| b != n.batch)
            || status.is_some_and(|s| s != n.status)
            || !(wanted.is_empty() || n.number.contains(wanted) || grave.contains(wanted))
        {
            continue;
        }
        rows.push(Row {
            id: v.id.to_string(),
            number: n.number.clone(),
            batch: n.batch.clone(),
            grave,
            status: n.status.label(),
            deadline: n.terms.deadline,
            overdue: n.terms.deadline < today
                && matches!(
                    n.status,
                    NoticeStatus::Issued | NoticeStatus::Delivered | NoticeStatus::Registered
                ),
            plot: n
                .plot
                .and_then(|p| state.version::<crate::cemetery::Plot>(&p))
                .map(|(_, p)| p.number.to_string())
                .unwrap_or_default(),
        });
    }
    rows.sort_by(|a, b| a.number.cmp(&b.number));
    let batches: Vec<_> = batches
        .into_iter()
        .map(|(name, counts)| {
            let total: usize = counts.values().sum();
            let progress = counts
                .iter()
                .map(|(s, n)| format!("{} {n}", s.label()))
                .collect::<Vec<_>>()
                .join("，");
            json!({"name": name, "total": total, "progress": progress, "link": encoded(&name)})
        })
        .collect();
    let mut context = context(&registry, &caller);
    super::form::paged(&mut context, rows, q.page);
    context.insert("batches", &batches);
    context.insert("query", &q);
    context.insert("done", &q.done);
    context.insert("batch_link", &encoded(q.batch.trim()));
    let mut link = serde_urlencoded::to_string(&q).unwrap_or_default();
    if let Some(i) = link.find("&page=") {
        link.truncate(i);
    }
    context.insert("paging", &link);
    context.insert(
        "statuses",
        &NoticeStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    );
    // The issue form: the zones graves may not be in, and the receiving cemeteries.
    let mut zones: Vec<(String, String)> = state
        .versions::<Zone>()
        .filter(|(_, z)| z.kind != crate::cemetery::ZoneKind::Cremation)
        .map(|(_, z)| (z.name.clone(), z.kind.label().to_string()))
        .collect();
    zones.sort();
    zones.dedup();
    context.insert("zones", &zones);
    context.insert(
        "cemeteries",
        &state
            .versions::<Cemetery>()
            .map(|(_, c)| c.name.clone())
            .collect::<Vec<_>>(),
    );
    context.insert(
        "defaults",
        &json!({
            "reason": defaults::REASON, "basis": defaults::BASIS, "documents": defaults::DOCUMENTS,
            "single": defaults::COMPENSATION_SINGLE, "double": defaults::COMPENSATION_DOUBLE,
            "bonus": defaults::BONUS, "issuer": format!("{}民政局", registry.config().jurisdiction.name),
            "deadline": today + chrono::Duration::days(60),
        }),
    );
    Ok(private(pages::render("notices.html", &context)?))
}

/// The issue form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IssueForm {
    /// A zone's name or kind; or
    zone: String,
    /// graves by ledger number, separated by commas.
    graves: String,
    deadline: String,
    reason: String,
    basis: String,
    scope: String,
    destination: String,
    compensation_single: String,
    compensation_double: String,
    bonus: String,
    documents: String,
    contact: String,
    issuer: String,
    batch: String,
    csrf: String,
}

/// `POST /cemetery/notices`: issues a batch for the graves in a zone or listed.
pub async fn issue(
    State(registry): State<AppState>,
    caller: Caller,
    Form(f): Form<IssueForm>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Layer::Notice, "/cemetery/notices").await?;
    let _ = &f.csrf;
    let issued = super::edit::today();
    let deadline = date("deadline", "迁移期限", &f.deadline)?
        .ok_or_else(|| invalid("deadline", "请填写迁移期限"))?;
    let (chosen, destination) = {
        let state = registry.current();
        let chosen = match (blank(&f.zone), blank(&f.graves)) {
            (Some(zone), None) => scope::in_zones(&state, zone),
            (None, Some(list)) => scope::listed(&state, list),
            _ => Err("请选择一个区域，或列出坟墓台账编号（二者选一）".to_string()),
        }
        .map_err(|m| invalid("zone", m))?;
        let destination = scope::destination(&state, blank(&f.destination))
            .map_err(|m| invalid("destination", m))?;
        (chosen, destination)
    };
    if chosen.graves.is_empty() {
        return Err(invalid(
            "zone",
            format!("{}内没有尚未迁移的散埋坟墓", chosen.name),
        ));
    }
    let window = NoticeTerms::default_window(issued, deadline);
    let or = |s: &str, d: &str| blank(s).unwrap_or(d).to_string();
    let terms = NoticeTerms {
        basis: or(&f.basis, defaults::BASIS),
        reason: or(&f.reason, defaults::REASON),
        scope: or(&f.scope, &chosen.name),
        registration_from: window.0,
        registration_until: window.1,
        deadline,
        destination: destination.0,
        destination_name: destination.1,
        compensation_single_fen: yuan(
            "compensation_single",
            "单穴补偿",
            &f.compensation_single,
            defaults::COMPENSATION_SINGLE,
        )?,
        compensation_double_fen: yuan(
            "compensation_double",
            "双穴补偿",
            &f.compensation_double,
            defaults::COMPENSATION_DOUBLE,
        )?,
        bonus_fen: yuan("bonus", "按期迁移奖励", &f.bonus, defaults::BONUS)?,
        documents: or(&f.documents, defaults::DOCUMENTS),
        contact: f.contact.trim().to_string(),
        issuer: or(
            &f.issuer,
            &format!("{}民政局", registry.config().jurisdiction.name),
        ),
        issued_on: issued,
    };
    let batch = blank(&f.batch).map_or_else(
        || format!("{} {}", issued.format("%Y-%m-%d"), terms.reason),
        str::to_string,
    );
    registry
        .issue_notices(&author, &batch, &chosen.graves, &terms)
        .await?;
    Ok(Redirect::to(&format!(
        "/cemetery/notices?batch={}&done=issued",
        encoded(&batch)
    ))
    .into_response())
}

fn notice_of(state: &CurrentState, id: RecordId) -> Result<(u32, Notice), ApiError> {
    state
        .version::<Notice>(&id)
        .map(|(v, n)| (v.version, n.clone()))
        .ok_or_else(|| ApiError::NotFound(format!("没有告知书 {id}")))
}

/// `GET /cemetery/notices/{id}`: a notice, its grave (owner's phone masked outside the
/// burial office), terms, steps, and the forms of its next steps.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let id = notice_id(&id)?;
    let state = registry.current();
    let (version, n) = notice_of(&state, id)?;
    let whole = caller.access.sees_whole_personal_data();
    let grave = state.version::<Grave>(&n.grave).map(|(_, g)| {
        json!({
            "number": g.number, "kind": g.kind.label(), "buried": g.buried, "owner": g.owner,
            "phone": g.owner_phone.as_ref().map(|p| p.shown(whole)),
            "zones": g.zones.iter().map(|z| z.label()).collect::<Vec<_>>().join("、"),
        })
    });
    let next: Vec<(&str, &str)> = NoticeStatus::ALL
        .iter()
        .filter(|s| n.status.may_become(**s) && **s != NoticeStatus::Relocated)
        .map(|s| (s.as_str(), s.label()))
        .collect();
    let mut context = context(&registry, &caller);
    done.insert_into(&mut context);
    context.insert("id", &id.to_string());
    context.insert("version", &version);
    context.insert("number", &n.number);
    context.insert("batch", &n.batch);
    context.insert("batch_link", &encoded(&n.batch));
    context.insert("status", n.status.label());
    context.insert("terms", &n.terms);
    context.insert(
        "money",
        &json!({
            "single": crate::cemetery::yuan(n.terms.compensation_single_fen),
            "double": crate::cemetery::yuan(n.terms.compensation_double_fen),
            "bonus": crate::cemetery::yuan(n.terms.bonus_fen),
            "paid": n.compensation_fen.map(crate::cemetery::yuan),
        }),
    );
    context.insert(
        "steps",
        &n.steps
            .iter()
            .map(|s| json!({"status": s.status.label(), "on": s.on, "note": s.note}))
            .collect::<Vec<_>>(),
    );
    context.insert("signed_by", &n.signed_by);
    context.insert("grave", &grave);
    context.insert(
        "plot",
        &n.plot
            .and_then(|p| state.version::<crate::cemetery::Plot>(&p))
            .map(|(_, p)| p.number.to_string()),
    );
    context.insert("next", &next);
    context.insert(
        "may_relocate",
        &n.status.may_become(NoticeStatus::Relocated),
    );
    context.insert("can_write", &caller.access.can_write(Layer::Notice));
    context.insert("exemption", crate::cemetery::RELOCATION_EXEMPTION);
    context.insert(
        "units",
        &state
            .versions::<crate::boundaries::AdminUnit>()
            .map(|(_, u)| (u.code.to_string(), u.name.clone()))
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    let grave_buried = state
        .version::<Grave>(&n.grave)
        .and_then(|(_, g)| g.buried.clone())
        .unwrap_or_default();
    context.insert("buried", &grave_buried);
    Ok(private(pages::render("notice.html", &context)?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StepForm {
    status: String,
    version: u32,
    on: String,
    signed_by: String,
    amount: String,
    note: String,
    csrf: String,
}

/// A notice's page.
fn page_of(id: RecordId) -> String {
    format!("/cemetery/notices/{id}")
}

/// `POST /cemetery/notices/{id}/steps`: the next step of a notice.
pub async fn step(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, ApiError> {
    let target = format!("/cemetery/notices/{id}/steps");
    let author = require_write(&registry, &caller, Layer::Notice, &target).await?;
    let _ = &f.csrf;
    let id = notice_id(&id)?;
    let status: NoticeStatus = f.status.parse().map_err(|m| invalid("status", m))?;
    let on = date("on", "日期", &f.on)?.unwrap_or_else(super::edit::today);
    let compensation_fen = blank(&f.amount)
        .map(|a| yuan("amount", "补偿金额", a, 0.0))
        .transpose()?;
    let update = NoticeUpdate {
        status,
        on,
        note: f.note.trim().to_string(),
        signed_by: blank(&f.signed_by).map(str::to_string),
        compensation_fen,
    };
    match registry.notice_step(&author, id, f.version, update).await {
        Ok(_) => Ok(form::done(&page_of(id), status.as_str())),
        Err(e) if e.is_refusal() => Ok(form::refused(&page_of(id), &e.to_string())),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelocateForm {
    plot: String,
    cemetery: String,
    name: String,
    sex: String,
    ethnicity: String,
    died: String,
    residence: String,
    exemption: String,
    on: String,
    csrf: String,
}

/// `POST /cemetery/notices/{id}/relocate`: the grave moved into a plot: the burial record
/// there, the grave and the notice linked to it, in one changeset.
pub async fn relocate(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<RelocateForm>,
) -> Result<Response, ApiError> {
    let target = format!("/cemetery/notices/{id}/relocate");
    let author = require_write(&registry, &caller, Layer::Notice, &target).await?;
    let author = require_write(&registry, &caller, Layer::Burial, &target)
        .await
        .map(|_| author)?;
    let _ = &f.csrf;
    let id = notice_id(&id)?;
    let refused = |m: String| Ok(form::refused(&page_of(id), &m));
    let on = date("on", "迁入日期", &f.on)?.unwrap_or_else(super::edit::today);
    let Some(died) = date("died", "死亡日期", &f.died)? else {
        return refused("请填写逝者的死亡日期（可为估计）".into());
    };
    let Some(name) = blank(&f.name) else {
        return refused("请填写逝者姓名".into());
    };
    let number: PlotNumber = match f.plot.parse() {
        Ok(n) => n,
        Err(m) => return refused(m),
    };
    let (plot, notice_number) = {
        let state = registry.current();
        let plot = find_plot(&state, blank(&f.cemetery), &number);
        (plot, notice_of(&state, id)?.1.number)
    };
    let plot = match plot {
        Ok(p) => p,
        Err(m) => return refused(m),
    };
    let sex = match blank(&f.sex).unwrap_or("男").parse() {
        Ok(s) => s,
        Err(m) => return refused(m),
    };
    let deceased = Deceased {
        name: name.to_string(),
        sex,
        ethnicity: blank(&f.ethnicity).unwrap_or("汉族").to_string(),
        id_number: None,
        born: None,
        died,
        residence: f.residence.trim().to_string(),
        place_of_death: String::new(),
    };
    let exemption = blank(&f.exemption)
        .unwrap_or(crate::cemetery::RELOCATION_EXEMPTION)
        .to_string();
    let burial = Burial::relocated(deceased, plot, exemption, &notice_number, &author, on);
    match registry.relocate_grave(&author, id, plot, burial, on).await {
        Ok(_) => Ok(form::done(&page_of(id), "relocated")),
        Err(e) if e.is_refusal() => refused(e.to_string()),
        Err(e) => Err(e.into()),
    }
}

/// A PDF or a ZIP of PDFs, downloaded under its Chinese name.
fn download(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let disposition = form::attachment(name, "notices");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /cemetery/notices/{id}/pdf`: one notice as printed for its grave.
pub async fn pdf(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let id = notice_id(&id)?;
    let fonts =
        crate::publish::pdf::Fonts::load().map_err(|e| ApiError::Internal(e.to_string()))?;
    let files = {
        let state = registry.current();
        let (_, n) = notice_of(&state, id)?;
        crate::publish::atlas::Atlas::new(&state, &registry.config().jurisdiction.name)
            .notice_pdfs(&[id], None, &n.batch, &fonts)?
    };
    let (name, bytes) = files
        .into_iter()
        .find(|(name, _)| name.starts_with("迁坟告知书"))
        .ok_or_else(|| ApiError::Internal("告知书未能生成".into()))?;
    Ok(download(&name, "application/pdf", bytes))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrintQuery {
    batch: String,
}

/// `GET /cemetery/notices/print?batch=…`: every notice of a batch and the batch's public
/// announcement (with the zones drawn), as a ZIP of PDFs.
pub async fn print(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<PrintQuery>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let batch = blank(&q.batch).ok_or_else(|| invalid("batch", "请指明批次"))?;
    let fonts =
        crate::publish::pdf::Fonts::load().map_err(|e| ApiError::Internal(e.to_string()))?;
    let files = {
        let state = registry.current();
        let ids: Vec<RecordId> = state
            .versions::<Notice>()
            .filter(|(_, n)| n.batch == batch)
            .map(|(v, _)| v.id)
            .collect();
        if ids.is_empty() {
            return Err(ApiError::NotFound(format!("没有批次“{batch}”")));
        }
        crate::publish::atlas::Atlas::new(&state, &registry.config().jurisdiction.name)
            .notice_pdfs(&ids, None, batch, &fonts)?
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in &files {
        zip.start_file(name.as_str(), options)
            .and_then(|()| std::io::Write::write_all(&mut zip, bytes).map_err(Into::into))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let bytes = zip
        .finish()
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .into_inner();
    Ok(download(
        &format!("迁坟告知书-{batch}.zip"),
        "application/zip",
        bytes,
    ))
}
