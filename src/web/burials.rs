//! The burial office's casework at the counter: the list and search of burials
//! (`/cemetery/burials`), registering a death and its disposition (`/cemetery/burials/new`),
//! a subsidy claim on a burial's page, plots found by number (`/cemetery/plots`) with their
//! page, plan, holder and use period, reserved, released or renewed there. Each form posts to
//! its page and the registry's own steps judge it (`register_burial`, `change_plot`,
//! `claim_subsidy`), as the command line's do; a refused form comes back with what was typed
//! and why. Personal data (whole ID and phone numbers) is the burial office's alone, each
//! view logged; the pages are never cached.

use super::auth::{Caller, require_write};
use super::form::blank;
use super::{ApiError, AppState, pages};
use crate::boundaries::AdminUnit;
use crate::cemetery::personal::{IdNumber, Masked as _};
use crate::cemetery::{Burial, Cemetery, Deceased, Disposition, Plot, PlotNumber, PlotStatus, Sex};
use crate::model::{CurrentState, Layer};
use crate::record::{RecordId, Source};
use crate::registry::cemetery::find_plot;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tera::Context;

/// Only the burial office (and the admin) reads burials; the public is sent to log in.
pub(super) fn burial_office(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.can_read_layer(Layer::Burial) {
        Ok(())
    } else if caller.access.name().is_none() {
        Err(ApiError::Unauthorized("殡葬登记须登录后查看".into()))
    } else {
        Err(ApiError::Forbidden(
            "殡葬登记含个人信息，仅殡葬管理部门可查看".into(),
        ))
    }
}

/// A page's context: the city and the caller (navigation, account, form token).
pub(super) fn context(registry: &AppState, caller: &Caller) -> Context {
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    caller.insert_into(&mut context);
    context.insert(
        "dispositions",
        &Disposition::ALL
            .iter()
            .map(|d| (d.as_str(), d.label()))
            .collect::<Vec<_>>(),
    );
    context
}

/// A page of personal data: never kept by the browser or a proxy on the way.
pub(super) fn private(page: axum::response::Html<String>) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], page).into_response()
}

/// A unit's name and code as people read a residence: 格日勒敖都苏木（152501200000）.
pub(super) fn unit_name(state: &CurrentState, code: &str) -> String {
    state
        .versions::<AdminUnit>()
        .find(|(_, u)| u.code.to_string() == code)
        .map_or_else(
            || code.to_string(),
            |(_, u)| format!("{}（{code}）", u.name),
        )
}

/// The units a residence may be chosen from, deepest last: (code, name).
pub(super) fn residence_choices(state: &CurrentState) -> Vec<(String, String)> {
    let mut units: Vec<(String, String)> = state
        .versions::<AdminUnit>()
        .map(|(_, u)| (u.code.to_string(), u.name.clone()))
        .collect();
    units.sort();
    units
}

/// A plot's number and cemetery's name, by the plot's record id.
fn plot_label(state: &CurrentState, plot: RecordId) -> Option<(String, String)> {
    let (_, p) = state.version::<Plot>(&plot)?;
    let cemetery = state
        .version::<Cemetery>(&p.cemetery)
        .map(|(_, c)| c.name.clone())
        .unwrap_or_default();
    Some((p.number.to_string(), cemetery))
}

/// A refused form field: its name and what is wrong.
type FieldError = (String, String);

fn date(field: &str, label: &str, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    super::form::date(label, text).map_err(|m| (field.to_string(), m))
}

// ---------------------------------------------------------------------------------------
// The list and search of burials.

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BurialQuery {
    /// Part of the deceased's name.
    q: String,
    /// A plot number (A-3-12), whole or its beginning.
    plot: String,
    certificate: String,
    /// Died on or after.
    from: String,
    /// Died on or before.
    to: String,
    disposition: String,
    page: Option<usize>,
}

#[derive(Serialize)]
struct BurialRow {
    id: String,
    name: String,
    sex: &'static str,
    died: NaiveDate,
    disposition: &'static str,
    plot: String,
    cemetery: String,
    certificate: String,
    registered_on: NaiveDate,
}

/// `GET /cemetery/burials`: burials found by name, plot number, certificate, dates of death
/// and disposition, newest deaths first, fifty a page.
pub async fn list(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<BurialQuery>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let bad = |(field, message): FieldError| ApiError::Invalid { field, message };
    let from = date("from", "起始日期", &q.from).map_err(bad)?;
    let to = date("to", "截止日期", &q.to).map_err(bad)?;
    let disposition = blank(&q.disposition)
        .map(str::parse::<Disposition>)
        .transpose()
        .map_err(|message| ApiError::Invalid {
            field: "disposition".into(),
            message,
        })?;
    let state = registry.current();
    let name = q.q.trim();
    let plot_text = q.plot.trim().to_uppercase();
    let certificate = q.certificate.trim();
    let mut rows: Vec<BurialRow> = state
        .versions::<Burial>()
        .filter(|(_, b)| name.is_empty() || b.deceased.name.contains(name))
        .filter(|(_, b)| {
            certificate.is_empty()
                || b.cremation_certificate
                    .as_deref()
                    .is_some_and(|c| c.contains(certificate))
        })
        .filter(|(_, b)| from.is_none_or(|f| b.deceased.died >= f))
        .filter(|(_, b)| to.is_none_or(|t| b.deceased.died <= t))
        .filter(|(_, b)| disposition.is_none_or(|d| b.disposition == d))
        .filter_map(|(v, b)| {
            let (plot, cemetery) = b
                .plot
                .and_then(|p| plot_label(&state, p))
                .unwrap_or_default();
            if !plot_text.is_empty() && !plot.to_uppercase().starts_with(&plot_text) {
                return None;
            }
            Some(BurialRow {
                id: v.id.to_string(),
                name: b.deceased.name.clone(),
                sex: b.deceased.sex.label(),
                died: b.deceased.died,
                disposition: b.disposition.label(),
                plot,
                cemetery,
                certificate: b.cremation_certificate.clone().unwrap_or_default(),
                registered_on: b.registered_on,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.died.cmp(&a.died).then_with(|| a.name.cmp(&b.name)));
    let mut context = context(&registry, &caller);
    super::form::paged(&mut context, rows, q.page);
    context.insert("query", &q);
    let mut link = q;
    link.page = None;
    context.insert(
        "paging",
        &serde_urlencoded::to_string(&link).unwrap_or_default(),
    );
    context.insert("can_write", &caller.access.can_write(Layer::Burial));
    Ok(private(pages::render("burials.html", &context)?))
}

// ---------------------------------------------------------------------------------------
// Registering a death and its disposition.

/// The registration form as typed: every field text, kept as typed when it is refused.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegisterForm {
    name: String,
    sex: String,
    ethnicity: String,
    id_number: String,
    born: String,
    died: String,
    residence: String,
    place_of_death: String,
    disposition: String,
    certificate: String,
    cemetery: String,
    plot: String,
    /// Where the remains went without a plot: longitude,latitude.
    site: String,
    exemption: String,
    document: String,
    /// Why a record is corrected (the correction form only).
    reason: String,
    /// The version a correction was made from (the correction form only).
    version: String,
    #[serde(skip_serializing)]
    csrf: String,
}

impl RegisterForm {
    /// The correction form of a registered burial, filled from the record (its ID number
    /// whole or masked as the reader sees it).
    pub(super) fn from_burial(b: &Burial, version: u32, whole: bool) -> RegisterForm {
        let d = &b.deceased;
        RegisterForm {
            name: d.name.clone(),
            sex: d.sex.label().to_string(),
            ethnicity: d.ethnicity.clone(),
            id_number: d
                .id_number
                .as_ref()
                .map(|n| n.shown(whole))
                .unwrap_or_default(),
            born: d.born.map(|d| d.to_string()).unwrap_or_default(),
            died: d.died.to_string(),
            residence: d.residence.clone(),
            place_of_death: d.place_of_death.clone(),
            disposition: b.disposition.as_str().to_string(),
            certificate: b.cremation_certificate.clone().unwrap_or_default(),
            exemption: b.exemption.clone().unwrap_or_default(),
            version: version.to_string(),
            ..RegisterForm::default()
        }
    }

    /// The burial the form describes, or the field at fault and why.
    fn burial(
        &self,
        state: &CurrentState,
        author: &str,
        today: NaiveDate,
    ) -> Result<(Burial, Option<geo::Point<f64>>), FieldError> {
        let name =
            blank(&self.name).ok_or_else(|| ("name".to_string(), "请填写逝者姓名".to_string()))?;
        let sex: Sex = self.sex.parse().map_err(|e| ("sex".to_string(), e))?;
        let died = date("died", "死亡日期", &self.died)?
            .ok_or_else(|| ("died".to_string(), "请填写死亡日期".to_string()))?;
        let born = date("born", "出生日期", &self.born)?;
        let residence = blank(&self.residence)
            .ok_or_else(|| ("residence".to_string(), "请选择户籍地".to_string()))?;
        let disposition: Disposition = self
            .disposition
            .parse()
            .map_err(|e| ("disposition".to_string(), e))?;
        let id_number = blank(&self.id_number)
            .map(IdNumber::parse)
            .transpose()
            .map_err(|e| ("id_number".to_string(), e))?;
        let plot = blank(&self.plot)
            .map(|n| {
                let number: PlotNumber = n.parse().map_err(|e| ("plot".to_string(), e))?;
                find_plot(state, blank(&self.cemetery), &number).map_err(|e| ("plot".into(), e))
            })
            .transpose()?;
        let site = blank(&self.site)
            .map(|s| crate::spatial::parse_lon_lat(s).map_err(|e| ("site".to_string(), e)))
            .transpose()?;
        let burial = Burial {
            deceased: Deceased {
                name: name.to_string(),
                sex,
                ethnicity: self.ethnicity.trim().to_string(),
                id_number,
                born,
                died,
                residence: residence.to_string(),
                place_of_death: self.place_of_death.trim().to_string(),
            },
            disposition,
            cremation_certificate: blank(&self.certificate).map(str::to_string),
            plot,
            in_zone: false,
            exemption: blank(&self.exemption).map(str::to_string),
            relocated_from: None,
            registered_by: author.to_string(),
            registered_on: today,
            documents: blank(&self.document)
                .map(|d| vec![d.to_string()])
                .unwrap_or_default(),
            source: Source::Survey,
        };
        Ok((burial, site))
    }
}

/// The plots a burial may go into: available or reserved, by cemetery.
#[derive(Serialize)]
struct PlotChoice {
    number: String,
    cemetery: String,
    kind: &'static str,
    status: &'static str,
}

fn plot_choices(state: &CurrentState) -> Vec<PlotChoice> {
    let mut out: Vec<PlotChoice> = state
        .versions::<Plot>()
        .filter(|(_, p)| matches!(p.status, PlotStatus::Available | PlotStatus::Reserved))
        .map(|(_, p)| PlotChoice {
            number: p.number.to_string(),
            cemetery: state
                .version::<Cemetery>(&p.cemetery)
                .map(|(_, c)| c.name.clone())
                .unwrap_or_default(),
            kind: p.kind.label(),
            status: p.status.label(),
        })
        .collect();
    out.sort_by(|a, b| {
        a.cemetery
            .cmp(&b.cemetery)
            .then_with(|| a.number.cmp(&b.number))
    });
    out
}

fn register_page(
    registry: &AppState,
    caller: &Caller,
    form: &RegisterForm,
    error: Option<FieldError>,
) -> Result<Response, ApiError> {
    let state = registry.current();
    let mut context = context(registry, caller);
    context.insert("form", form);
    context.insert("units", &residence_choices(&state));
    context.insert(
        "cemeteries",
        &state
            .versions::<Cemetery>()
            .map(|(_, c)| c.name.clone())
            .collect::<Vec<_>>(),
    );
    context.insert("plots", &plot_choices(&state));
    context.insert("script", &super::assets::script("burials"));
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    context.insert("error_field", &error.as_ref().map(|e| e.0.clone()));
    context.insert("error", &error.map(|e| e.1));
    Ok((
        status,
        private(pages::render("burial_form.html", &context)?),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewQuery {
    /// A plot number to begin with (from the plot's page).
    plot: String,
    cemetery: String,
}

/// `GET /cemetery/burials/new`: the registration form (a plot may be given from its page).
pub async fn new_form(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<NewQuery>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let form = RegisterForm {
        plot: q.plot,
        cemetery: q.cemetery,
        disposition: "cremation".into(),
        ..RegisterForm::default()
    };
    register_page(&registry, &caller, &form, None)
}

/// `POST /cemetery/burials/new`: registers the death through the registry; its page next.
pub async fn register(
    State(registry): State<AppState>,
    caller: Caller,
    Form(form): Form<RegisterForm>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Layer::Burial, "/cemetery/burials/new").await?;
    let today = super::edit::today();
    let built = form.burial(&registry.current(), &author, today);
    let (burial, site) = match built {
        Ok(b) => b,
        Err(e) => return register_page(&registry, &caller, &form, Some(e)),
    };
    match registry.register_burial(&author, burial, site).await {
        Ok((id, _)) => {
            Ok(Redirect::to(&format!("/cemetery/burials/{id}?done=registered")).into_response())
        }
        Err(e) if e.is_refusal() => register_page(
            &registry,
            &caller,
            &form,
            Some((String::new(), e.to_string())),
        ),
        Err(e) => Err(e.into()),
    }
}

/// `POST /cemetery/burials/{id}/correct`: a registration error put right through the
/// registry (`correct_burial`), the reason kept; refused, the burial's page comes back with
/// the correction as typed and what is wrong.
pub async fn correct(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<RegisterForm>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Layer::Burial, "/cemetery/burials").await?;
    let id: RecordId = super::api::parse_id(&id)?;
    let again =
        |e: FieldError| super::cemetery::burial_corrected_again(&registry, &caller, id, &form, e);
    let Ok(version) = form.version.trim().parse::<u32>() else {
        return again((String::new(), "缺少所更正的版本，请重新打开本页".into()));
    };
    // Where the remains rest is not the correction's: the record's own plot or site stays.
    let built = RegisterForm {
        plot: String::new(),
        site: String::new(),
        ..form.clone()
    }
    .burial(&registry.current(), &author, super::edit::today());
    let burial = match built {
        Ok((b, _)) => b,
        Err(e) => return again(e),
    };
    let correction = crate::registry::cemetery::BurialCorrection {
        deceased: burial.deceased,
        disposition: burial.disposition,
        cremation_certificate: burial.cremation_certificate,
        exemption: burial.exemption,
        document: burial.documents.into_iter().next(),
        reason: form.reason.clone(),
    };
    match registry
        .correct_burial(&author, id, version, correction)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/cemetery/burials/{id}?done=corrected")).into_response())
        }
        Err(e) if e.is_stale() => {
            // The page shows the record as it is now; the correction as typed, to be checked
            // against it and sent again from the new version.
            let now = registry.current().get(&id).map_or(version, |v| v.version);
            let form = RegisterForm {
                version: now.to_string(),
                ..form.clone()
            };
            super::cemetery::burial_corrected_again(
                &registry,
                &caller,
                id,
                &form,
                (
                    String::new(),
                    "他人已先修改了这条登记：上表是现在的登记，请核对后再提交更正".into(),
                ),
            )
        }
        Err(e) if e.is_refusal() => again((String::new(), e.to_string())),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// Subsidy claims.

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimForm {
    claimant: String,
    #[serde(flatten)]
    items: std::collections::HashMap<String, String>,
}

/// `POST /cemetery/burials/{id}/subsidy`: a claim assessed under the rule in force on the
/// date of death; each item as asked (blank: its cap).
pub async fn claim(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<ClaimForm>,
) -> Result<Response, ApiError> {
    let target = format!("/cemetery/burials/{id}/subsidy");
    let author = require_write(&registry, &caller, Layer::SubsidyClaim, &target).await?;
    let id: RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let mut requested = Vec::new();
    for (key, value) in &form.items {
        let Some(item) = key.strip_prefix("item:") else {
            continue;
        };
        if let Some(v) = blank(value) {
            let yuan: f64 = v.parse().map_err(|_| ApiError::Invalid {
                field: key.clone(),
                message: format!("“{item}”的金额“{v}”无效：应为元数，如 800"),
            })?;
            requested.push((item.to_string(), yuan));
        }
    }
    let claimant = blank(&form.claimant).ok_or_else(|| ApiError::Invalid {
        field: "claimant".into(),
        message: "请填写申领人姓名".into(),
    })?;
    let today = super::edit::today();
    let page = format!("/cemetery/burials/{id}");
    match registry
        .claim_subsidy(&author, id, &requested, claimant, today)
        .await
    {
        Ok(_) => Ok(super::form::done(&page, "claimed")),
        Err(e) if e.is_refusal() => Ok(super::form::refused(&page, &e.to_string())),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Done {
    done: String,
    refused: String,
}

impl Done {
    /// What the last step did (`registered`, `claimed`, `reserve` …) or why it was refused.
    pub(super) fn insert_into(&self, context: &mut Context) {
        context.insert("done", &self.done);
        context.insert("refused", &self.refused);
    }
}

// ---------------------------------------------------------------------------------------
// The burial ledger import.

/// `GET /cemetery/ledger`: the page that imports a burial ledger (CSV or XLSX), checked first.
pub async fn ledger_page(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let mut context = context(&registry, &caller);
    context.insert("columns", crate::cemetery::ledger::COLUMNS_HELP);
    context.insert("script", &super::assets::script("ledger"));
    context.insert("can_write", &caller.access.can_write(Layer::Burial));
    Ok(private(pages::render("ledger.html", &context)?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LedgerQuery {
    /// The file's name (its extension says CSV or XLSX).
    name: String,
    /// `1`: check only.
    dry_run: String,
}

/// `POST /cemetery/ledger?name=台账.xlsx&dry_run=1` with the file as the body: the report
/// (rows, refusals by line and column, the changeset) as JSON for the page.
pub async fn ledger_import(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<LedgerQuery>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Layer::Burial, "/cemetery/ledger").await?;
    let ext = std::path::Path::new(&q.name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .filter(|e| matches!(e.as_str(), "csv" | "xlsx"))
        .ok_or_else(|| ApiError::Invalid {
            field: "name".into(),
            message: format!("“{}”不是 CSV 或 XLSX 文件", q.name),
        })?;
    let dir = tempfile::tempdir().map_err(|e| ApiError::Internal(e.to_string()))?;
    let path = dir.path().join(format!("ledger.{ext}"));
    std::fs::write(&path, &body).map_err(|e| ApiError::Internal(e.to_string()))?;
    let report = registry
        .import_ledger_file(&author, &path, q.dry_run == "1")
        .await?;
    Ok(axum::Json(report).into_response())
}
