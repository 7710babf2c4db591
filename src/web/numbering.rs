//! The numbering tool: a street with its plates labelled by the engine's proposal, odd and
//! even sides in their colours, the direction flippable; officers turn the proposal into a
//! renumbering campaign, pin numbers, approve it with its document and apply it (the page
//! calls `/api/campaigns`).

use super::{ApiError, AppState};
use crate::addresses::numbering::Campaign;
use crate::addresses::numbering::{Conventions, StreetOverrides, plan};
use crate::addresses::{DoorPlate, Street};
use crate::model::Layer;
use crate::record::RecordId;
use crate::record::View;
use axum::extract::{Query, State};
use axum::response::Html;
use geo::{BoundingRect, Coord, Geometry, MultiLineString};
use serde::Deserialize;
use std::fmt::Write;
use tera::Context;

#[derive(Deserialize)]
pub struct ToolQuery {
    street: Option<String>,
    /// `compass`, `from_start` or `from_end` (default: as recorded for the street).
    direction: Option<String>,
    /// The same as `direction=from_end`.
    #[serde(default)]
    from_end: bool,
    /// A renumbering campaign to review on this page.
    campaign: Option<String>,
}

/// Text for HTML and SVG, in element content or an attribute value.
use crate::publish::escape as esc;

/// The street and its plates as SVG, `width` pixels wide, each plate labelled `new` (and the
/// old number when it changes).
fn svg(
    line: &MultiLineString<f64>,
    plates: &[(Coord<f64>, String, Option<String>, bool)],
    start: Option<Coord<f64>>,
    end: Option<Coord<f64>>,
    width: f64,
) -> String {
    let Some(r) = line.bounding_rect() else {
        return String::new();
    };
    let pad = 0.0012;
    let (w, s, e, n) = (
        r.min().x - pad,
        r.min().y - pad,
        r.max().x + pad,
        r.max().y + pad,
    );
    let k = ((s + n) / 2.0).to_radians().cos();
    let scale = width / ((e - w) * k);
    let height = ((n - s) * scale).max(220.0);
    let xy = |c: Coord<f64>| {
        (
            (c.x - w) * k * scale,
            height - (c.y - s) * scale - (height - (n - s) * scale) / 2.0,
        )
    };
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" id="tool" width="{width:.0}" height="{height:.0}" font-family="Noto Sans CJK SC, sans-serif"><rect width="100%" height="100%" fill="#fbfbf8"/>"##
    );
    for l in &line.0 {
        let d: String =
            l.0.iter()
                .enumerate()
                .map(|(i, c)| {
                    let (x, y) = xy(*c);
                    format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" })
                })
                .collect();
        let _ = write!(
            out,
            r##"<path d="{d}" stroke="#c8a04a" stroke-width="6" fill="none"/>"##
        );
    }
    for (c, new, old, odd) in plates {
        let (x, y) = xy(*c);
        let colour = if *odd { "#b22" } else { "#1f5fa8" };
        let label = match old {
            Some(o) => format!("{}→{}", esc(o), esc(new)),
            None => esc(new),
        };
        // Odd labels above the line and even below, slanted so that neighbours do not overlap.
        let (ly, angle, anchor) = if *odd {
            (y - 8.0, -55, "start")
        } else {
            (y + 10.0, 55, "start")
        };
        let _ = write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{colour}"/><text class="{}" x="{x:.1}" y="{ly:.1}" font-size="10" text-anchor="{anchor}" fill="{colour}" transform="rotate({angle} {x:.1} {ly:.1})">{label}</text>"##,
            if *odd { "odd" } else { "even" },
        );
    }
    // Where the numbers start (drag it onto the other end to flip the direction).
    if let (Some(s), Some(e)) = (start, end) {
        let (ex, ey) = xy(e);
        let (sx, sy) = xy(s);
        let _ = write!(
            out,
            r##"<circle id="end" cx="{ex:.1}" cy="{ey:.1}" r="7" fill="#fff" stroke="#333" stroke-width="2"><title>终点：把起编点拖到这里即反向编号</title></circle><circle id="start" cx="{sx:.1}" cy="{sy:.1}" r="7" fill="#333" style="cursor:grab"><title>起编点（可拖动）</title></circle>"##
        );
    }
    out.push_str("</svg>");
    out
}

pub async fn tool(
    State(registry): State<AppState>,
    caller: super::auth::Caller,
    Query(q): Query<ToolQuery>,
) -> Result<Html<String>, ApiError> {
    let current = registry.current();
    // Streets still in the naming workflow are internal work: the public sees none of them.
    let mut streets: Vec<(String, RecordId)> = current
        .layer(Layer::Street)
        .filter(|v| caller.access.can_read(&v.body))
        .map(|v| (v.body.title(), v.id))
        .collect();
    streets.sort();
    let chosen = match q.street.as_deref() {
        Some(s) => Some(
            s.parse::<RecordId>()
                .map_err(|_| ApiError::BadRequest(format!("街路巷 id“{s}”无效")))?,
        ),
        None => None,
    };
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert(
        "streets",
        &streets
            .iter()
            .map(|(n, id)| serde_json::json!({ "name": n, "id": id }))
            .collect::<Vec<_>>(),
    );
    context.insert("chosen", &chosen);
    context.insert("from_end", &q.from_end);
    if let Some(id) = chosen {
        let v = current
            .get(&id)
            .filter(|v| caller.access.can_read(&v.body))
            .ok_or_else(|| ApiError::NotFound(format!("没有现行街路巷 {id}")))?;
        let line = match &v.geometry {
            Geometry::MultiLineString(m) => m.clone(),
            _ => return Err(ApiError::BadRequest("该记录没有中心线".into())),
        };
        let mut plates: Vec<_> = current
            .each::<DoorPlate>()
            .filter(|p| p.body.street == id)
            .filter_map(|p| match p.geometry {
                Geometry::Point(pt) => Some((pt.0, p.body.number.clone())),
                _ => None,
            })
            .collect();
        plates.sort_by(|a, b| a.1.cmp(&b.1));
        let coords: Vec<Coord<f64>> = plates.iter().map(|(c, _)| *c).collect();
        let c: &Conventions = &registry.config().numbering;
        // The direction recorded for the street, or the one being tried on this page.
        let stored = v
            .of::<Street>()
            .map(|s| s.numbering.clone())
            .unwrap_or_default();
        let mut overrides = stored.clone();
        let asked = if q.from_end {
            Some("from_end")
        } else {
            q.direction.as_deref()
        };
        match asked {
            None => {}
            Some("compass") => (overrides.from_start, overrides.from_end) = (None, None),
            Some("from_start") => (overrides.from_start, overrides.from_end) = (Some(true), None),
            Some("from_end") => (overrides.from_start, overrides.from_end) = (None, Some(true)),
            Some(other) => {
                return Err(ApiError::BadRequest(format!(
                    "direction“{other}”无效：应为 compass、from_start 或 from_end"
                )));
            }
        }
        let direction = |o: &StreetOverrides| match (o.from_start, o.from_end) {
            (_, Some(true)) => "from_end",
            (Some(true), _) => "from_start",
            _ => "compass",
        };
        let p = plan(&line, &coords, &[], c, &overrides)
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let ends = (
            line.0.first().and_then(|l| l.0.first().copied()),
            line.0.last().and_then(|l| l.0.last().copied()),
        );
        context.insert("direction", direction(&overrides));
        context.insert("stored_direction", direction(&stored));
        context.insert(
            "flip_to",
            if p.reversed { "from_start" } else { "from_end" },
        );
        context.insert("overrides", &overrides);
        context.insert("street_version", &v.version);
        let (start, end) = if p.reversed {
            (ends.1, ends.0)
        } else {
            (ends.0, ends.1)
        };
        let mut labelled = Vec::new();
        let mut changes = Vec::new();
        for n in &p.numbered {
            let (at, old) = &plates[n.index];
            let new = format!("{}号", n.number);
            let changed = old.to_string() != new;
            if changed {
                changes.push(serde_json::json!({ "old": old.to_string(), "new": new }));
            }
            labelled.push((
                *at,
                new,
                changed.then(|| old.to_string()),
                n.side == p.odd_side && !p.one_sided,
            ));
        }
        context.insert("street_name", &v.body.title());
        context.insert("svg", &svg(&line, &labelled, start, end, 1100.0));
        context.insert("changes", &changes);
        context.insert("rule", &c.describe());
        context.insert("plates", &plates.len());
    }
    // The campaign under review: its lines with the plates' positions, for pinning.
    if let Some(cid) = q.campaign.as_deref() {
        let cid: RecordId = cid
            .parse()
            .map_err(|_| ApiError::BadRequest(format!("整编 id“{cid}”无效")))?;
        let v = current
            .get(&cid)
            .filter(|v| caller.access.can_read(&v.body))
            .ok_or_else(|| ApiError::NotFound(format!("没有门牌整编 {cid}")))?;
        if let Some(c) = v.of::<Campaign>() {
            let lines: Vec<_> = c
                .lines
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "plate": l.plate,
                        "old": l.old.to_string(),
                        "new": l.new.to_string(),
                        "pinned": l.pinned,
                        "changed": l.old != l.new,
                    })
                })
                .collect();
            context.insert(
                "campaign",
                &serde_json::json!({
                    "id": cid,
                    "name": c.name,
                    "status": c.status.as_str(),
                    "status_label": c.status.label(),
                    "changed": c.changed(),
                    "lines": lines,
                }),
            );
        }
    }
    context.insert(
        "can_campaign",
        &(caller.access.can_write(Layer::Campaign) && caller.access.can_write(Layer::DoorPlate)),
    );
    context.insert(
        "read_only",
        &serde_json::json!(super::extract::READ_ONLY).to_string(),
    );
    caller.insert_into(&mut context);
    context.insert("script", &super::assets::script("numbering"));
    super::pages::render("numbering.html", &context)
}
