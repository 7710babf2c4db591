//! The boundary rules every changeset meets, whatever door it came through: marker numbers
//! unique and entries complete, the outer border only with a document, no edit inside a
//! disputed area; and the inspections and renewals that fall due.

use super::{Body, Changeset, CurrentState, Geometry, Layer, NaiveDate, RegistryError, Write};
use crate::boundaries::rules;
use crate::model::After;

/// Refuses a changeset (seen as the registry it would leave, `after`) that would register an
/// incomplete marker or agreement, reuse a marker number, move a registered marker, or change the outer
/// border or a division code, the last three without an approval document (`documented`).
pub fn boundary_rules(after: &After, documented: bool) -> Result<(), RegistryError> {
    rules::markers(after, documented)?;
    rules::agreements(after)?;
    Ok(rules::outer_border(after, documented)?)
}

/// The write that gives the unit with division code `code` a new geometry from `on`.
pub(super) fn unit_geometry(
    state: &CurrentState,
    code: &str,
    geometry: Geometry<f64>,
    on: NaiveDate,
) -> Result<Write, RegistryError> {
    let v = state
        .layer(Layer::AdminUnit)
        .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == code))
        .ok_or_else(|| RegistryError::Invalid(format!("登记簿中没有单位 {code}")))?;
    Ok(Write::Update {
        id: v.id,
        base_version: v.version,
        valid_from: on,
        body: v.body.clone(),
        geometry,
    })
}

/// Distance in metres (EPSG:4546) between two stored points.
pub(super) fn distance_m(a: &Geometry<f64>, b: &Geometry<f64>) -> Result<f64, RegistryError> {
    let line = Geometry::LineString(geo::LineString::from(vec![
        match a {
            Geometry::Point(p) => p.0,
            _ => return Err(RegistryError::Invalid("界桩位置应为点".into())),
        },
        match b {
            Geometry::Point(p) => p.0,
            _ => return Err(RegistryError::Invalid("观测位置应为点".into())),
        },
    ]));
    crate::spatial::measure::length_m(&line).map_err(|e| RegistryError::Invalid(e.to_string()))
}

/// Refuses a changeset that edits inside the area of an open dispute (new door plates, places,
/// streets, markers, moved boundaries), unless it carries an officer's override, whose reason
/// is then written into the changeset's reason.
pub fn freeze(state: &CurrentState, mut changeset: Changeset) -> Result<Changeset, RegistryError> {
    let frozen = rules::Frozen::of(state);
    if frozen.is_empty() {
        return Ok(changeset);
    }
    let mut hit: Option<(String, &str)> = None;
    for w in &changeset.writes {
        let (id, new) = match w {
            Write::Create {
                id, body, geometry, ..
            }
            | Write::Update {
                id, body, geometry, ..
            } => {
                if !body.layer().spec().frozen {
                    continue;
                }
                (*id, Some(geometry))
            }
            Write::Retire { id, .. } => (*id, None),
        };
        let old = state.get(&id);
        if old.is_some_and(|v| !v.layer().spec().frozen) {
            continue;
        }
        let Some(part) = rules::changed_part(old.map(|v| &v.geometry), new) else {
            continue;
        };
        if let Some(title) = frozen.holding(&part) {
            let what = old
                .map(|v| v.body.title())
                .or_else(|| match w {
                    Write::Create { body, .. } => Some(body.title()),
                    _ => None,
                })
                .unwrap_or_default();
            hit = Some((what, title));
            break;
        }
    }
    let Some((what, title)) = hit else {
        return Ok(changeset);
    };
    match changeset.freeze_override.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => {
            changeset.reason = format!(
                "{}［争议区“{title}”冻结期间修改，理由：{reason}］",
                changeset.reason
            );
            Ok(changeset)
        }
        _ => Err(RegistryError::Frozen(format!(
            "“{what}”位于边界争议“{title}”的争议区域内：争议解决前该区域冻结，如确需修改，须由工作人员写明理由"
        ))),
    }
}

pub use crate::boundaries::rules::{Due, due};
