//! Plots at the burial office's counter: found by number (`/cemetery/plots`; a whole number
//! opens its plot), a plot's page with its plan, holder (the whole phone number for the
//! burial office only, each view logged), use period, renewals and burials, and its steps
//! (reserve, release, renew) through the registry's `change_plot`; the plan of a plot's
//! section for the registration form.

use super::auth::{Caller, log_personal_access, require_write};
use super::burials::{Done, burial_office, context, private};
use super::form::blank;
use super::{ApiError, AppState, pages};
use crate::cemetery::personal::Masked;
use crate::cemetery::{Burial, Cemetery, Plot, PlotNumber, PlotStatus, Section};
use crate::model::{CurrentState, Variant};
use crate::record::RecordId;
use crate::registry::cemetery::{PlotChange, find_plot};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
        let phone = p.holder_phone.as_ref().map(|n| n.shown(whole));
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
        context.insert("can_write", &caller.access.can_write(Plot::LAYER));
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
        done.insert_into(&mut context);
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
    let author = require_write(&registry, &caller, Plot::LAYER, &target).await?;
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
    let page = format!("/cemetery/plots/{plot_id}");
    match registry
        .change_plot(&author, plot_id, form.version, change, today)
        .await
    {
        Ok(_) => Ok(super::form::done(&page, &form.action)),
        Err(e) if e.is_refusal() => Ok(super::form::refused(&page, &e.to_string())),
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
    p.holder_phone.as_ref().map(|n| n.shown(whole))
}
