//! The burial office's pages: the cremation statistics with their chart and the
//! reconciliation of reported figures (`/cemetery`, `/api/cemetery/stats`), a burial record
//! as the office sees it (`/cemetery/burials/{id}`: the whole ID number for the burial
//! officer only), and the public grave finder (`/graves`: name and years, cemetery, section
//! and plot on the section's plan, which the registry draws with the print renderer; nothing
//! else).

use super::auth::Caller;
use super::openapi::ErrorBody;
use super::{ApiError, AppState, pages};
use crate::cemetery::Plot;
use crate::cemetery::personal::Masked;
use crate::cemetery::stats::{By, Deaths, Reported, percent};
use crate::cemetery::{Burial, SubsidyClaim};
use crate::model::{Layer, Variant as _};
use crate::record::RecordId;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tera::Context;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    pub from: Option<i16>,
    pub to: Option<i16>,
    /// `year` or `unit`.
    pub by: Option<String>,
    /// Reported figures to reconcile, `2016-2020:51.8%;2020:44.4%`.
    pub reported: Option<String>,
}

/// The years asked for; by default the latest run of years that hold deaths.
fn years(deaths: &Deaths, q: &StatsQuery) -> (i16, i16) {
    let (first, last) = deaths.recent_years().unwrap_or((2016, 2016));
    let from = q.from.unwrap_or(first);
    (from, q.to.unwrap_or(last).max(from))
}

/// The reported figures of `?reported=`, each read or refused.
fn reported(q: &StatsQuery) -> Vec<Result<Reported, String>> {
    q.reported
        .as_deref()
        .unwrap_or("")
        .split([';', '；', '\n'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::parse)
        .collect()
}

fn by(q: &StatsQuery) -> Result<By, ApiError> {
    match q.by.as_deref() {
        None | Some("year") => Ok(By::Year),
        Some("unit") => Ok(By::Unit),
        Some(other) => Err(ApiError::Invalid {
            field: "by".into(),
            message: format!("分组“{other}”无效：应为 year 或 unit"),
        }),
    }
}

fn officer_only(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.sees_internal() {
        Ok(())
    } else {
        Err(ApiError::Unauthorized("殡葬统计须登录后查看".into()))
    }
}

/// The cremation statistics: a row per group (the last the total) and the reported figures
/// checked against them.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Stats {
    from: i16,
    to: i16,
    #[schema(value_type = Vec<Object>)]
    rows: Value,
    #[schema(value_type = Vec<Object>)]
    reconciliation: Vec<crate::cemetery::stats::Reconciliation>,
}

/// `GET /api/cemetery/stats`.
#[utoipa::path(
    get,
    path = "/api/cemetery/stats",
    summary = "火化统计：死亡、火化、土葬、其他，火化率（火化÷死亡）、火葬区火化率、火化与土葬之比（并非火化率）；可同时核对上报数字（仅限登录的工作人员）",
    params(
        ("from" = Option<i16>, Query, description = "起始年份"),
        ("to" = Option<i16>, Query, description = "截止年份"),
        ("by" = Option<By>, Query, description = "按年份或户籍地分组"),
        ("reported" = Option<String>, Query, description = "上报数字，如 2016-2020:51.8%;2020:44.4%"),
    ),
    responses(
        (status = 200, description = "统计表（末行为合计）与核对结果", body = Stats),
        (status = 401, description = "未登录：殡葬统计仅限工作人员", body = ErrorBody),
    )
)]
pub async fn stats_api(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    officer_only(&caller)?;
    let deaths = registry.deaths();
    let (from, to) = years(&deaths, &q);
    let table = deaths.table(from, to, by(&q)?);
    let text = crate::publish::cemetery::stats_text(
        &table,
        from,
        to,
        crate::publish::cemetery::StatsFormat::Json,
    )
    .map_err(ApiError::Internal)?;
    let rows: Value = serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.to_string()))?;
    let reconciliation = reported(&q)
        .into_iter()
        .map(|r| {
            r.map(|rep| deaths.reconcile(&rep))
                .map_err(|message| ApiError::Invalid {
                    field: "reported".into(),
                    message,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Stats {
        from,
        to,
        rows,
        reconciliation,
    }))
}

/// `GET /cemetery`: statistics, chart, reconciliation, plots due, the cemetery check.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    officer_only(&caller)?;
    let deaths = registry.deaths();
    let (from, to) = years(&deaths, &q);
    let by = by(&q)?;
    let table = deaths.table(from, to, by);
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|(k, c)| (k.clone(), c))
        .chain(std::iter::once((format!("合计 {from}—{to}"), &table.total)))
        .map(|(k, c)| {
            json!({
                "key": k, "deaths": c.deaths, "cremations": c.cremations, "burials": c.burials,
                "other": c.other, "rate": percent(c.rate()), "zone_deaths": c.zone_deaths,
                "zone_rate": percent(c.zone_rate()), "ratio": percent(c.cremation_burial_ratio()),
                "balanced": c.balanced(),
            })
        })
        .collect();
    let chart = if by == By::Year {
        crate::publish::cemetery::chart_svg(&table)
    } else {
        String::new()
    };
    let mut reconciled = Vec::new();
    let mut errors = Vec::new();
    for r in reported(&q) {
        match r {
            Ok(rep) => {
                let r = deaths.reconcile(&rep);
                reconciled.push(json!({
                    "reported": r.reported, "deaths": r.counts.deaths,
                    "rate": percent(r.rate), "zone_rate": percent(r.zone_rate), "ratio": percent(r.ratio),
                    "matches": r.matches.iter().map(|d| d.label()).collect::<Vec<_>>(),
                }));
            }
            Err(e) => errors.push(e),
        }
    }
    let burial_office = caller.access.can_read_layer(Layer::Burial);
    let whole = caller.access.sees_whole_personal_data();
    let today = chrono::Local::now().date_naive();
    let until = today
        .checked_add_months(chrono::Months::new(6))
        .unwrap_or(today);
    let expiring: Vec<Value> = if burial_office {
        let expiring = registry.expiring_plots(until);
        let state = registry.current();
        expiring
            .into_iter()
            .map(|e| {
                let phone = super::plots::holder_phone(&state, e.id, whole);
                json!({"id": e.id.to_string(), "number": e.number, "cemetery": e.cemetery,
                    "until": e.until, "overdue": e.until < today,
                    "holder": e.holder, "phone": phone})
            })
            .collect()
    } else {
        Vec::new()
    };
    let findings: Vec<Value> = registry
        .cemetery_check()
        .iter()
        .map(|f| json!({"label": f.label, "message": f.message}))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("from", &from);
    context.insert("to", &to);
    context.insert("years_held", &deaths.years_held());
    context.insert("by", if by == By::Year { "year" } else { "unit" });
    context.insert("rows", &rows);
    context.insert("chart", &chart);
    context.insert("reported", &q.reported.clone().unwrap_or_default());
    context.insert("reconciled", &reconciled);
    context.insert("errors", &errors);
    context.insert("expiring", &expiring);
    context.insert("findings", &findings);
    context.insert("burial_office", &burial_office);
    caller.insert_into(&mut context);
    let page = pages::render("cemetery.html", &context)?;
    if whole && expiring.iter().any(|e| !e["phone"].is_null()) {
        super::auth::log_personal_access(
            &registry,
            caller.access.name().unwrap_or_default(),
            "/cemetery",
            "查看届满墓位使用人的完整电话号码",
        )
        .await;
    }
    Ok(super::burials::private(page))
}

/// `GET /cemetery/burials/{id}`: a burial record as the burial office sees it. The whole ID
/// number is shown to the burial officer only; everyone else who may read the layer sees it
/// masked.
pub async fn burial_page(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(done): Query<super::burials::Done>,
) -> Result<Response, ApiError> {
    super::burials::burial_office(&caller)?;
    let id: RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let (mut context, shown_whole) = burial_context(&registry, &caller, id)?;
    done.insert_into(&mut context);
    if shown_whole {
        super::auth::log_personal_access(
            &registry,
            caller.access.name().unwrap_or_default(),
            &format!("/cemetery/burials/{id}"),
            "查看殡葬登记的完整身份证号码",
        )
        .await;
    }
    // Personal data: never kept by the browser or a proxy on the way.
    let page = pages::render("burial.html", &context)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

/// The burial's page again, for a correction that was refused: the form as typed, the
/// field at fault and why (422).
pub(super) fn burial_corrected_again(
    registry: &AppState,
    caller: &Caller,
    id: RecordId,
    form: &super::burials::RegisterForm,
    error: (String, String),
) -> Result<Response, ApiError> {
    let (mut context, _) = burial_context(registry, caller, id)?;
    context.insert("done", "");
    context.insert("correction", form);
    context.insert("correcting", &true);
    context.insert("error_field", &error.0);
    context.insert("refused", &error.1);
    let page = pages::render("burial.html", &context)?;
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CACHE_CONTROL, "no-store")],
        page,
    )
        .into_response())
}

/// The burial page's context, and whether it shows the whole ID number.
fn burial_context(
    registry: &AppState,
    caller: &Caller,
    id: RecordId,
) -> Result<(Context, bool), ApiError> {
    let state = registry.current();
    let v = state
        .get(&id)
        .ok_or_else(|| ApiError::NotFound(format!("没有记录 {id}")))?;
    let Some(b) = v.of::<Burial>() else {
        return Err(ApiError::NotFound(format!("记录 {id} 不是殡葬登记")));
    };
    let whole = caller.access.sees_whole_personal_data();
    let shown_whole = whole && b.deceased.id_number.is_some();
    // The correction form, filled from the record, for those who may write burials.
    let can_correct = caller.access.can_write(Burial::LAYER);
    let id_number = b.deceased.id_number.as_ref().map(|n| n.shown(whole));
    let plot = b
        .plot
        .and_then(|p| state.version::<Plot>(&p))
        .map(|(_, p)| p.number.to_string());
    let atlas = crate::publish::atlas::Atlas::new(&state, &registry.config().jurisdiction.name);
    let plan = b.plot.and_then(|p| atlas.plot_plan(p)).unwrap_or_default();
    // The subsidy rule in force on the date of death, its items and caps for the claim form.
    let rule = crate::cemetery::subsidy::rule_for(
        &registry.config().cemetery.subsidies,
        b.deceased.died,
    )
    .map(|r| {
        json!({"name": r.name, "basis": r.basis, "total": r.total_cap_yuan,
            "eligible": r.eligible(b, &registry.config().jurisdiction.county_code).err(),
            "items": r.items.iter().map(|i| json!({"name": i.name, "cap": i.cap_yuan})).collect::<Vec<_>>()})
    });
    let claims: Vec<Value> = state
        .versions::<SubsidyClaim>()
        .map(|(_, s)| s)
        .filter(|s| s.burial == id)
        .map(|s| json!({
            "total": crate::cemetery::yuan(s.total_fen), "claimed_on": s.claimed_on,
            "items": s.items.iter().map(|i| format!("{} {} 元", i.name, crate::cemetery::yuan(i.amount_fen))).collect::<Vec<_>>(),
        }))
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("id", &id.to_string());
    context.insert("version", &v.version);
    context.insert("name", &b.deceased.name);
    context.insert("sex", b.deceased.sex.label());
    context.insert("ethnicity", &b.deceased.ethnicity);
    context.insert("id_number", &id_number.unwrap_or_else(|| "—".into()));
    context.insert("whole", &whole);
    context.insert(
        "born",
        &b.deceased
            .born
            .map_or_else(|| "—".into(), |d| d.to_string()),
    );
    context.insert("died", &b.deceased.died);
    context.insert(
        "residence",
        &super::burials::unit_name(&state, &b.deceased.residence),
    );
    context.insert("place_of_death", &b.deceased.place_of_death);
    context.insert("disposition", b.disposition.label());
    context.insert(
        "certificate",
        b.cremation_certificate.as_deref().unwrap_or("—"),
    );
    context.insert("plot", plot.as_deref().unwrap_or("—"));
    context.insert("plot_id", &b.plot.map(|p| p.to_string()));
    context.insert("plan", &plan);
    context.insert("rule", &rule);
    context.insert("can_claim", &caller.access.can_write(Layer::SubsidyClaim));
    context.insert("in_zone", &b.in_zone);
    context.insert("exemption", b.exemption.as_deref().unwrap_or("—"));
    context.insert("registered_by", &b.registered_by);
    context.insert("registered_on", &b.registered_on);
    context.insert("claims", &claims);
    context.insert("can_correct", &can_correct);
    if can_correct {
        context.insert(
            "correction",
            &super::burials::RegisterForm::from_burial(b, v.version, whole),
        );
        context.insert("correcting", &false);
        context.insert("error_field", "");
        context.insert("units", &super::burials::residence_choices(&state));
        context.insert(
            "dispositions",
            &crate::cemetery::Disposition::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect::<Vec<_>>(),
        );
    }
    caller.insert_into(&mut context);
    Ok((context, shown_whole))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindQuery {
    pub q: Option<String>,
    /// The year of death, which the public must give with the whole name.
    pub year: Option<String>,
}

/// Searches of the public grave finder per address and ten minutes.
static FINDER: std::sync::LazyLock<super::throttle::Throttle> = std::sync::LazyLock::new(|| {
    super::throttle::Throttle::new(30, std::time::Duration::from_secs(600))
});
/// Graves the public finder shows at most.
const PUBLIC_HITS: usize = 10;

/// `GET /graves?q=NAME`: the public grave finder.
pub async fn finder(
    State(registry): State<AppState>,
    caller: Caller,
    super::headers::ClientAddr(addr): super::headers::ClientAddr,
    Query(q): Query<FindQuery>,
) -> Result<Response, ApiError> {
    let query = q.q.unwrap_or_default();
    let year_text = q.year.unwrap_or_default();
    let officer = caller.access.can_read_layer(Layer::Burial);
    let searched = !query.trim().is_empty() || !year_text.trim().is_empty();
    // The public gives the whole name and the year of death, a few times a minute at most.
    let year = match year_text.trim() {
        "" => None,
        y => Some(y.parse::<i32>().map_err(|_| ApiError::Invalid {
            field: "year".into(),
            message: format!("去世年份“{y}”无效：应为四位数字，如 2019"),
        })?),
    };
    if searched && !officer && !FINDER.allow(addr) {
        return Err(ApiError::TooMany("查询过于频繁：请十分钟后再试".into()));
    }
    let state = registry.current();
    let (hits, missing) = match (officer, year) {
        (true, _) => (
            crate::registry::cemetery::find_graves(&state, &query),
            false,
        ),
        (false, Some(y)) if query.trim().chars().count() >= 2 => {
            let mut hits = crate::registry::cemetery::find_grave_of(&state, &query, y);
            hits.truncate(PUBLIC_HITS);
            (hits, false)
        }
        (false, _) => (Vec::new(), searched),
    };
    let atlas = crate::publish::atlas::Atlas::new(&state, &registry.config().jurisdiction.name);
    let results: Vec<Value> = hits
        .iter()
        .map(|h| {
            let plan = atlas.plot_plan(h.plot_id);
            json!({"title": h.title, "cemetery": h.cemetery, "section": h.section, "plot": h.plot, "plan": plan})
        })
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("q", &query);
    context.insert("year", &year_text);
    context.insert("officer", &officer);
    context.insert("results", &results);
    context.insert("searched", &(searched && !missing));
    context.insert("missing", &missing);
    caller.insert_into(&mut context);
    Ok(pages::render("graves.html", &context)?.into_response())
}
