//! The burial office's casework at the counter: the list and search of burials
//! (`/cemetery/burials`), registering a death and its disposition (`/cemetery/burials/new`),
//! a subsidy claim on a burial's page, plots found by number (`/cemetery/plots`) with their
//! page, plan, holder and use period, reserved, released or renewed there. Each form posts to
//! its page and the registry's own steps judge it (`register_burial`, `change_plot`,
//! `claim_subsidy`), as the command line's do; a refused form comes back with what was typed
//! and why. Personal data (whole ID and phone numbers) is the burial office's alone, each
//! view logged; the pages are never cached.

use super::auth::{Caller, log_personal_access, require_write};
use super::{ApiError, AppState, pages};
use crate::boundaries::AdminUnit;
use crate::cemetery::personal::IdNumber;
use crate::cemetery::{
    Burial, Cemetery, Deceased, Disposition, Plot, PlotNumber, PlotStatus, Section, Sex,
};
use crate::model::{CurrentState, Layer};
use crate::record::{RecordId, Source};
use crate::registry::cemetery::{PlotChange, find_plot};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tera::Context;

/// Rows a list shows on one page.
const PAGE: usize = 50;

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
fn residence_choices(state: &CurrentState) -> Vec<(String, String)> {
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

fn blank(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn date(field: &str, label: &str, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    blank(text)
        .map(|t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
                (
                    field.to_string(),
                    format!("{label}“{t}”无效：应为 年-月-日，如 2024-03-18"),
                )
            })
        })
        .transpose()
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
    let total = rows.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let shown: Vec<BurialRow> = rows
        .into_iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .collect();
    let mut context = context(&registry, &caller);
    context.insert("rows", &shown);
    context.insert("total", &total);
    context.insert("page", &page);
    context.insert("pages", &pages);
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
    #[serde(skip_serializing)]
    csrf: String,
}

impl RegisterForm {
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
    match registry
        .claim_subsidy(&author, id, &requested, claimant, today)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/cemetery/burials/{id}?done=claimed")).into_response()),
        Err(e) if e.is_refusal() => Ok(Redirect::to(&format!(
            "/cemetery/burials/{id}?refused={}",
            form_urlencoded::byte_serialize(e.to_string().as_bytes()).collect::<String>()
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// Plots: found by number, their page, and their steps.

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlotQuery {
    number: String,
    status: String,
}

#[derive(Serialize)]
struct PlotRow {
    id: String,
    number: String,
    cemetery: String,
    section: String,
    kind: &'static str,
    status: &'static str,
    holder: String,
    until: Option<NaiveDate>,
}

/// `GET /cemetery/plots?number=D-6-18`: plots by number (whole or its beginning) and status;
/// one match opens its page.
pub async fn plots(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<PlotQuery>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let status = blank(&q.status)
        .map(str::parse::<PlotStatus>)
        .transpose()
        .map_err(|message| ApiError::Invalid {
            field: "status".into(),
            message,
        })?;
    let wanted = q.number.trim().to_uppercase();
    let state = registry.current();
    let mut rows: Vec<PlotRow> = state
        .versions::<Plot>()
        .filter(|(_, p)| status.is_none_or(|s| p.status == s))
        .filter(|(_, p)| {
            wanted.is_empty() || p.number.to_string().to_uppercase().starts_with(&wanted)
        })
        .map(|(v, p)| PlotRow {
            id: v.id.to_string(),
            number: p.number.to_string(),
            cemetery: state
                .version::<Cemetery>(&p.cemetery)
                .map(|(_, c)| c.name.clone())
                .unwrap_or_default(),
            section: state
                .version::<Section>(&p.section)
                .map(|(_, s)| s.name.clone())
                .unwrap_or_default(),
            kind: p.kind.label(),
            status: p.status.label(),
            holder: p.holder.clone().unwrap_or_default(),
            until: p.period.as_ref().map(|u| u.until),
        })
        .collect();
    let key = |r: &PlotRow| {
        let n = r.number.parse::<PlotNumber>().ok();
        (r.cemetery.clone(), n.map(|n| (n.section, n.row, n.number)))
    };
    rows.sort_by_key(key);
    // A whole number opens its plot, as a counter clerk expects (A-10-1, not A-10-1x).
    let exact: Vec<&PlotRow> = rows
        .iter()
        .filter(|r| r.number.to_uppercase() == wanted)
        .collect();
    if let [one] = exact.as_slice() {
        return Ok(Redirect::to(&format!("/cemetery/plots/{}", one.id)).into_response());
    }
    let total = rows.len();
    rows.truncate(500);
    let mut context = context(&registry, &caller);
    context.insert("rows", &rows);
    context.insert("total", &total);
    context.insert("number", q.number.trim());
    context.insert("status", &q.status);
    context.insert(
        "statuses",
        &PlotStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    );
    Ok(private(pages::render("plots.html", &context)?))
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

/// `GET /cemetery/plots/{id}`: a plot, its plan, holder (the whole phone number for the
/// burial office, the view logged), use period and renewals, the burials in it, and its steps.
pub async fn plot_page(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let id: RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let (page, shows_phone) = {
        let state = registry.current();
        let (v, p) = state
            .version::<Plot>(&id)
            .ok_or_else(|| ApiError::NotFound(format!("没有墓位 {id}")))?;
        let whole = caller.access.sees_whole_personal_data();
        let phone = p.holder_phone.as_ref().map(|n| {
            if whole {
                n.whole().map_or_else(|| n.masked(), str::to_string)
            } else {
                n.masked()
            }
        });
        let burials: Vec<serde_json::Value> = state
            .versions::<Burial>()
            .filter(|(_, b)| b.plot == Some(id))
            .map(|(bv, b)| {
                serde_json::json!({"id": bv.id.to_string(), "name": b.deceased.name,
                    "died": b.deceased.died, "disposition": b.disposition.label()})
            })
            .collect();
        let atlas = crate::publish::atlas::Atlas::new(&state, &registry.config().jurisdiction.name);
        let mut context = context(&registry, &caller);
        context.insert("id", &id.to_string());
        context.insert("version", &v.version);
        context.insert("number", &p.number.to_string());
        context.insert(
            "cemetery",
            &state
                .version::<Cemetery>(&p.cemetery)
                .map(|(_, c)| c.name.clone())
                .unwrap_or_default(),
        );
        context.insert(
            "section",
            &state
                .version::<Section>(&p.section)
                .map(|(_, s)| format!("{} {}", s.code, s.name))
                .unwrap_or_default(),
        );
        context.insert("kind", p.kind.label());
        context.insert("status", p.status.label());
        context.insert("status_code", p.status.as_str());
        context.insert("laid_out", &p.laid_out);
        context.insert("holder", &p.holder.clone().unwrap_or_default());
        context.insert("phone", &phone);
        context.insert("period", &p.period);
        context.insert("renewals", &p.renewals);
        context.insert("burials", &burials);
        context.insert("plan", &atlas.plot_plan(id).unwrap_or_default());
        context.insert("can_write", &caller.access.can_write(Layer::Plot));
        context.insert(
            "may_reserve",
            &(p.status != PlotStatus::Reserved && p.status.may_become(PlotStatus::Reserved)),
        );
        context.insert("may_release", &p.status.may_become(PlotStatus::Available));
        context.insert(
            "may_renew",
            &(p.period.is_some()
                && matches!(
                    p.status,
                    PlotStatus::Occupied | PlotStatus::RelocatedIn | PlotStatus::Expired
                )),
        );
        context.insert(
            "may_bury",
            &matches!(p.status, PlotStatus::Available | PlotStatus::Reserved),
        );
        context.insert("done", &done.done);
        context.insert("refused", &done.refused);
        (
            pages::render("plot.html", &context)?,
            whole && phone.is_some(),
        )
    };
    if shows_phone {
        log_personal_access(
            &registry,
            caller.access.name().unwrap_or_default(),
            &format!("/cemetery/plots/{id}"),
            "查看墓位使用人的完整电话号码",
        )
        .await;
    }
    Ok(private(page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlotStepForm {
    /// `reserve`, `release` or `renew`.
    action: String,
    version: u32,
    holder: String,
    receipt: String,
    csrf: String,
}

/// `POST /cemetery/plots/{id}`: reserve (with the holder), release, or renew (with the
/// receipt) a plot at the version the officer saw.
pub async fn plot_step(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<PlotStepForm>,
) -> Result<Response, ApiError> {
    let target = format!("/cemetery/plots/{id}");
    let author = require_write(&registry, &caller, Layer::Plot, &target).await?;
    let _ = &form.csrf;
    let plot_id: RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let change = match form.action.as_str() {
        "reserve" => PlotChange::Status {
            status: PlotStatus::Reserved,
            holder: Some(
                blank(&form.holder)
                    .ok_or_else(|| ApiError::Invalid {
                        field: "holder".into(),
                        message: "预订墓位须填写使用人姓名".into(),
                    })?
                    .to_string(),
            ),
        },
        "release" => PlotChange::Status {
            status: PlotStatus::Available,
            holder: None,
        },
        "renew" => PlotChange::Renew {
            receipt: blank(&form.receipt)
                .ok_or_else(|| ApiError::Invalid {
                    field: "receipt".into(),
                    message: "续期须填写收据号".into(),
                })?
                .to_string(),
        },
        other => {
            return Err(ApiError::Invalid {
                field: "action".into(),
                message: format!("操作“{other}”无效：应为 reserve、release 或 renew"),
            });
        }
    };
    let today = super::edit::today();
    let back =
        |query: String| Redirect::to(&format!("/cemetery/plots/{plot_id}?{query}")).into_response();
    match registry
        .change_plot(&author, plot_id, form.version, change, today)
        .await
    {
        Ok(_) => Ok(back(format!("done={}", form.action))),
        Err(e) if e.is_refusal() => Ok(back(format!(
            "refused={}",
            form_urlencoded::byte_serialize(e.to_string().as_bytes()).collect::<String>()
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /cemetery/plots/plan?number=A-3-12`: the plan of a plot's section with the plot in
/// red (the registration form shows it as the clerk types the number).
pub async fn plan(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<PlotQuery>,
) -> Result<Response, ApiError> {
    burial_office(&caller)?;
    let number: PlotNumber = q.number.parse().map_err(|message| ApiError::Invalid {
        field: "number".into(),
        message,
    })?;
    let state = registry.current();
    let id = find_plot(&state, None, &number).map_err(ApiError::NotFound)?;
    let atlas = crate::publish::atlas::Atlas::new(&state, &registry.config().jurisdiction.name);
    let svg = atlas
        .plot_plan(id)
        .ok_or_else(|| ApiError::NotFound(format!("墓位 {number} 没有图")))?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

/// The phone numbers of the holders of plots that expire, as the burial office's expiring
/// list shows them: whole for the burial officer, masked for everyone else.
pub(super) fn holder_phone(state: &CurrentState, plot: RecordId, whole: bool) -> Option<String> {
    let (_, p) = state.version::<Plot>(&plot)?;
    p.holder_phone.as_ref().map(|n| {
        if whole {
            n.whole().map_or_else(|| n.masked(), str::to_string)
        } else {
            n.masked()
        }
    })
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
