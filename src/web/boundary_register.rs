//! The boundary office's registers on the web: the marker register (`/boundaries/markers`:
//! each marker with its position, a new marker entered with its reference objects, a marker
//! moved with its approval document) and the 平安边界 agreements (`/boundaries/agreements`:
//! parties, signing and renewal, joint meetings; a new agreement, a meeting, a renewal).
//! Every step is the registry's (`register_marker`, `move_marker`, `add_agreement`,
//! `agreement_meeting`, `renew_agreement`); its rules decide, the pages only read forms.

use super::auth::{Caller, require_write};
use super::form::{blank, date, done};
use super::{ApiError, AppState, pages};
use crate::boundaries::AdminUnit;
use crate::boundaries::line::{Agreement, Meeting};
use crate::boundaries::marker::{Marker, MarkerKind, Reference};
use crate::model::Variant;
use crate::record::{ApprovalDocument, RecordId, Source, View as _};
use crate::registry::boundaries::Relocation;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use tera::Context;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Said {
    done: String,
    refused: String,
}

/// Division codes and names of the units, by code, and as choices for a form.
fn units(state: &crate::model::CurrentState) -> (HashMap<String, String>, Vec<Value>) {
    let mut names = HashMap::new();
    let mut options: Vec<(String, String)> = Vec::new();
    for u in state.each::<AdminUnit>() {
        names.insert(u.body.code.short(), u.body.name.clone());
        options.push((u.body.code.short(), u.body.name.clone()));
    }
    options.sort();
    let options = options
        .into_iter()
        .map(|(code, name)| json!({"code": code, "name": name}))
        .collect();
    (names, options)
}

/// A refused form, shown again on its page with what was typed: which form (`for`: `new`
/// or a record's id) and its fields.
pub struct Kept {
    form_for: String,
    why: String,
    form: Value,
}

impl Kept {
    fn new(
        form_for: impl Into<String>,
        why: impl Into<String>,
        form: &impl serde::Serialize,
    ) -> Self {
        Kept {
            form_for: form_for.into(),
            why: why.into(),
            form: serde_json::to_value(form).unwrap_or(Value::Null),
        }
    }
}

fn frame(caller: &Caller, registry: &AppState, said: &Said) -> Context {
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("done", &said.done);
    context.insert("refused", &said.refused);
    context.insert("today", &super::edit::today());
    context.insert("form_for", "");
    context.insert("form", &json!({}));
    caller.insert_into(&mut context);
    context
}

/// The refused form's fields and why, for the template to fill in and say.
fn keep(context: &mut Context, kept: Option<Kept>) {
    if let Some(k) = kept {
        context.insert("form_for", &k.form_for);
        context.insert("form", &k.form);
        context.insert("refused", &k.why);
    }
}

/// A page shown again for a refused form: 422, with the form as it was typed.
fn refused_again(page: Result<Html<String>, ApiError>) -> Result<Response, ApiError> {
    use axum::response::IntoResponse;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page?).into_response())
}

fn internal(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.can_read_layer(Agreement::LAYER) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized("请以工作人员身份登录".into()))
    }
}

pub async fn markers_page(
    State(registry): State<AppState>,
    caller: Caller,
    Query(said): Query<Said>,
) -> Result<Html<String>, ApiError> {
    markers_view(&registry, &caller, &said, None)
}

fn markers_view(
    registry: &AppState,
    caller: &Caller,
    said: &Said,
    kept: Option<Kept>,
) -> Result<Html<String>, ApiError> {
    internal(caller)?;
    let state = registry.current();
    let (names, unit_options) = units(&state);
    let mut rows: Vec<Value> = state
        .versions::<Marker>()
        .filter_map(|(v, m)| {
            let geo::Geometry::Point(p) = &v.geometry else {
                return None;
            };
            Some(json!({
                "id": v.id, "version": v.version, "number": m.number, "kind": m.kind.label(),
                "units": m.units.iter().map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                    .collect::<Vec<_>>().join("、"),
                "lon": format!("{:.7}", p.x()), "lat": format!("{:.7}", p.y()),
                "installed": m.installed, "since": v.valid_from,
            }))
        })
        .collect();
    rows.sort_by(|a, b| {
        natord::compare(
            a["number"].as_str().unwrap_or(""),
            b["number"].as_str().unwrap_or(""),
        )
    });
    drop(state);
    let mut context = frame(caller, registry, said);
    keep(&mut context, kept);
    context.insert("markers", &rows);
    context.insert("unit_options", &unit_options);
    context.insert(
        "kinds",
        &[MarkerKind::TwoFaced, MarkerKind::ThreeFaced]
            .map(|k| json!({"value": k, "label": k.label()})),
    );
    context.insert("can_write", &caller.access.can_write(Marker::LAYER));
    pages::render("boundary_markers.html", &context)
}

/// An approval document from the form's three fields: none when all are blank; what is
/// missing otherwise is for the registry's rules to say (a move needs the whole document).
fn document(issuer: &str, number: &str, on: &str) -> Result<Option<ApprovalDocument>, String> {
    let day = date("文件日期", on)?;
    if blank(issuer).is_none() && blank(number).is_none() && day.is_none() {
        return Ok(None);
    }
    Ok(Some(ApprovalDocument {
        issuer: issuer.trim().to_string(),
        number: number.trim().to_string(),
        date: day.ok_or("请填写文件日期")?,
    }))
}

fn coordinate(label: &str, text: &str) -> Result<f64, String> {
    blank(text)
        .ok_or_else(|| format!("请填写{label}"))?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{label}“{}”不是数", text.trim()))
}

/// The position typed as longitude and latitude (CGCS2000); whether it lies in the city is
/// the registry's rule.
fn position(lon: &str, lat: &str) -> Result<geo::Point<f64>, String> {
    Ok(geo::Point::new(
        coordinate("经度", lon)?,
        coordinate("纬度", lat)?,
    ))
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct MarkerForm {
    csrf: String,
    number: String,
    kind: String,
    unit1: String,
    unit2: String,
    unit3: String,
    material: String,
    height_m: String,
    lon: String,
    lat: String,
    installed: String,
    description: String,
    ref1: String,
    ref2: String,
    ref3: String,
    ref4: String,
    issuer: String,
    doc_number: String,
    doc_date: String,
}

/// A reference object typed as “object，方位角，距离” (e.g. 水井，45，120).
fn reference(text: &str) -> Result<Option<Reference>, String> {
    let Some(t) = blank(text) else {
        return Ok(None);
    };
    let parts: Vec<&str> = t.split([',', '，', '、']).map(str::trim).collect();
    let [object, azimuth, distance] = parts[..] else {
        return Err(format!("方位物“{t}”应写作：名称，方位角（度），距离（米）"));
    };
    let number = |s: &str, what: &str| {
        s.trim_end_matches(['°', '度', '米', 'm'])
            .parse::<f64>()
            .map_err(|_| format!("方位物“{object}”的{what}“{s}”不是数"))
    };
    Ok(Some(Reference {
        object: object.to_string(),
        azimuth_deg: number(azimuth, "方位角")?,
        distance_m: number(distance, "距离")?,
    }))
}

fn read_marker(f: &MarkerForm) -> Result<(Marker, geo::Point<f64>), String> {
    let kind = match f.kind.as_str() {
        "three_faced" => MarkerKind::ThreeFaced,
        _ => MarkerKind::TwoFaced,
    };
    let height_m = blank(&f.height_m)
        .ok_or("请填写界桩高度")?
        .parse::<f64>()
        .map_err(|_| format!("界桩高度“{}”不是数", f.height_m.trim()))?;
    let references = [&f.ref1, &f.ref2, &f.ref3, &f.ref4]
        .into_iter()
        .filter_map(|r| reference(r).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    let marker = Marker {
        number: f.number.trim().to_string(),
        kind,
        units: [&f.unit1, &f.unit2, &f.unit3]
            .into_iter()
            .filter_map(|u| blank(u).map(str::to_string))
            .collect(),
        material: f.material.trim().to_string(),
        height_m,
        references,
        description: f.description.trim().to_string(),
        installed: date("埋设日期", &f.installed)?,
        photos: Vec::new(),
        source: Source::Survey,
    };
    Ok((marker, position(&f.lon, &f.lat)?))
}

pub async fn register_marker(
    State(registry): State<AppState>,
    caller: Caller,
    Form(f): Form<MarkerForm>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Marker::LAYER, "/boundaries/markers").await?;
    let again = |why: String| {
        refused_again(markers_view(
            &registry,
            &caller,
            &Said::default(),
            Some(Kept::new("new", why, &f)),
        ))
    };
    let _ = &f.csrf;
    let read = read_marker(&f).and_then(|(m, at)| {
        let on = date("埋设日期", &f.installed)?.unwrap_or_else(super::edit::today);
        Ok((m, at, on, document(&f.issuer, &f.doc_number, &f.doc_date)?))
    });
    let (marker, at, on, doc) = match read {
        Ok(r) => r,
        Err(why) => return again(why),
    };
    let number = marker.number.clone();
    match registry.register_marker(&author, marker, at, on, doc).await {
        Ok(_) => Ok(done("/boundaries/markers", &format!("已登记界桩 {number}"))),
        Err(e) if e.is_refusal() => again(e.to_string()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct MoveForm {
    csrf: String,
    version: u32,
    lon: String,
    lat: String,
    on: String,
    reason: String,
    issuer: String,
    doc_number: String,
    doc_date: String,
}

pub async fn move_marker(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<MoveForm>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Marker::LAYER, "/boundaries/markers").await?;
    let _ = &f.csrf;
    let again = |why: String| {
        refused_again(markers_view(
            &registry,
            &caller,
            &Said::default(),
            Some(Kept::new(id.clone(), why, &f)),
        ))
    };
    let id: RecordId = super::api::parse_id(&id)?;
    let read = (|| {
        Ok::<_, String>(Relocation {
            to: position(&f.lon, &f.lat)?,
            on: date("迁移日期", &f.on)?.unwrap_or_else(super::edit::today),
            reason: blank(&f.reason).unwrap_or("界桩迁移").to_string(),
            document: document(&f.issuer, &f.doc_number, &f.doc_date)?,
        })
    })();
    let relocation = match read {
        Ok(r) => r,
        Err(why) => return again(why),
    };
    match registry
        .move_marker(&author, id, f.version, relocation)
        .await
    {
        Ok(_) => Ok(done("/boundaries/markers", "已迁移界桩")),
        Err(e) if e.is_refusal() => again(e.to_string()),
        Err(e) => Err(e.into()),
    }
}

pub async fn agreements_page(
    State(registry): State<AppState>,
    caller: Caller,
    Query(said): Query<Said>,
) -> Result<Html<String>, ApiError> {
    agreements_view(&registry, &caller, &said, None)
}

fn agreements_view(
    registry: &AppState,
    caller: &Caller,
    said: &Said,
    kept: Option<Kept>,
) -> Result<Html<String>, ApiError> {
    internal(caller)?;
    let today = super::edit::today();
    let state = registry.current();
    let (_, unit_options) = units(&state);
    let mut rows: Vec<Value> = state
        .versions::<Agreement>()
        .map(|(v, a)| {
            let mut meetings = a.meetings.clone();
            meetings.sort_by_key(|m| std::cmp::Reverse(m.date));
            json!({
                "id": v.id, "version": v.version, "title": a.title,
                "parties": a.party_names.join("、"), "signed": a.signed, "renewal": a.renewal,
                "overdue": a.renewal < today,
                "soon": a.renewal >= today && a.renewal <= today + chrono::Days::new(90),
                "summary": a.summary,
                "meetings": meetings.iter().map(|m| json!({"date": m.date, "place": m.place, "summary": m.summary})).collect::<Vec<_>>(),
            })
        })
        .collect();
    rows.sort_by(|a, b| a["renewal"].as_str().cmp(&b["renewal"].as_str()));
    drop(state);
    let mut context = frame(caller, registry, said);
    keep(&mut context, kept);
    context.insert("agreements", &rows);
    context.insert("unit_options", &unit_options);
    context.insert("can_write", &caller.access.can_write(Agreement::LAYER));
    pages::render("boundary_agreements.html", &context)
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AgreementForm {
    csrf: String,
    title: String,
    party1: String,
    party2: String,
    party3: String,
    signed: String,
    renewal: String,
    summary: String,
}

pub async fn add_agreement(
    State(registry): State<AppState>,
    caller: Caller,
    Form(f): Form<AgreementForm>,
) -> Result<Response, ApiError> {
    let author = require_write(
        &registry,
        &caller,
        Agreement::LAYER,
        "/boundaries/agreements",
    )
    .await?;
    let _ = &f.csrf;
    let again = |why: String| {
        refused_again(agreements_view(
            &registry,
            &caller,
            &Said::default(),
            Some(Kept::new("new", why, &f)),
        ))
    };
    let dates = date("签订日期", &f.signed).and_then(|s| Ok((s, date("续签日期", &f.renewal)?)));
    let (Ok((Some(signed), Some(renewal))), title) = (dates.clone(), f.title.trim()) else {
        let why = dates
            .err()
            .unwrap_or_else(|| "请填写签订日期与续签日期".into());
        return again(why);
    };
    let agreement = Agreement {
        title: title.to_string(),
        parties: [&f.party1, &f.party2, &f.party3]
            .into_iter()
            .filter_map(|p| blank(p).map(str::to_string))
            .collect(),
        party_names: Vec::new(),
        signed,
        summary: f.summary.trim().to_string(),
        renewal,
        meetings: Vec::new(),
        source: Source::Survey,
    };
    match registry.add_agreement(&author, agreement).await {
        Ok(id) => Ok(done(
            &format!("/boundaries/agreements#a-{id}"),
            "已登记协议",
        )),
        Err(e) if e.is_refusal() => again(e.to_string()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AgreementStep {
    csrf: String,
    version: u32,
    /// `meeting` or `renew`.
    step: String,
    date: String,
    place: String,
    summary: String,
    renewal: String,
}

pub async fn agreement_step(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<AgreementStep>,
) -> Result<Response, ApiError> {
    let page = format!("/boundaries/agreements#a-{id}");
    let author = require_write(
        &registry,
        &caller,
        Agreement::LAYER,
        "/boundaries/agreements",
    )
    .await?;
    let _ = &f.csrf;
    let again = |why: &str| {
        refused_again(agreements_view(
            &registry,
            &caller,
            &Said::default(),
            Some(Kept::new(id.clone(), why, &f)),
        ))
    };
    let id: RecordId = super::api::parse_id(&id)?;
    let on = match date("日期", &f.date) {
        Ok(Some(d)) => d,
        Ok(None) => return again("请填写日期"),
        Err(why) => return again(&why),
    };
    let result = if f.step == "renew" {
        match date("下次续签日期", &f.renewal) {
            Ok(Some(renewal)) => {
                registry
                    .renew_agreement(&author, id, f.version, on, renewal)
                    .await
            }
            Ok(None) => return again("请填写下次续签日期"),
            Err(why) => return again(&why),
        }
    } else {
        let Some(place) = blank(&f.place) else {
            return again("请填写会议地点");
        };
        let meeting = Meeting {
            date: on,
            place: place.to_string(),
            summary: f.summary.trim().to_string(),
        };
        registry.agreement_meeting(&author, id, meeting).await
    };
    let said = if f.step == "renew" {
        "已续签"
    } else {
        "已登记联席会议"
    };
    match result {
        Ok(_) => Ok(done(&page, said)),
        Err(e) if e.is_refusal() => again(&e.to_string()),
        Err(e) => Err(e.into()),
    }
}
