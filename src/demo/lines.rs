//! Demo boundary lines between sibling units, derived from their shared edges: the lines
//! between the sumu, the town and the border zone were surveyed and agreed in 2019 (a sample
//! document) and jointly inspected in June 2021, so their five-year inspections fall due in
//! 2026; the communities' and 嘎查' lines are not agreed yet. With a 平安边界 agreement between
//! the town and the sumu, signed in 2021 for five years.

use super::date;
use crate::boundaries::line::{
    Agreement, BoundaryLine, DEFAULT_CYCLE_YEARS, LegalStatus, UnitShape, derive,
};
use crate::model::{Body, Write};
use crate::record::{ApprovalDocument, RecordId, Source};
use geo::Geometry;

pub fn writes(units: &[Write]) -> Vec<Write> {
    let shapes: Vec<UnitShape> = units
        .iter()
        .filter_map(|w| match w {
            Write::Create {
                body: Body::AdminUnit(u),
                geometry,
                ..
            } => Some((
                u.code.short(),
                u.name.clone(),
                u.parent.map(|p| p.short()),
                geometry.clone(),
            )),
            _ => None,
        })
        .collect();
    // Township-level units: their parent is the city.
    let township = |code: &str| code.len() == 9;
    let document = ApprovalDocument {
        issuer: "二连浩特市人民政府".into(),
        number: "二政发〔2019〕46号（示例）".into(),
        date: date(2019, 8, 30),
    };
    let mut out = Vec::new();
    for d in derive(&shapes) {
        let geometry = Geometry::MultiLineString(d.line);
        let Ok(length_m) = crate::spatial::measure::length_m(&geometry) else {
            continue;
        };
        if length_m < 1.0 {
            continue;
        }
        let agreed = township(&d.left.0) && township(&d.right.0);
        out.push(Write::Create {
            id: RecordId::derived(&format!("line/{}/{}", d.left.0, d.right.0)),
            valid_from: date(2019, 9, 1),
            body: Body::from(BoundaryLine {
                left: d.left.0,
                left_name: d.left.1,
                right: d.right.0,
                right_name: d.right.1,
                legal: if agreed {
                    LegalStatus::Agreed
                } else {
                    LegalStatus::NotAgreed
                },
                technical: d.technical,
                document: agreed.then(|| document.clone()),
                cycle_years: DEFAULT_CYCLE_YEARS,
                established: date(2019, 9, 1),
                last_inspected: agreed.then(|| date(2021, 6, 15)),
                length_m,
                source: Source::Sample,
            }),
            geometry,
        });
    }
    out
}

/// The town and the sumu's 平安边界 agreement, over the line between them.
pub fn agreement(lines: &[Write]) -> Option<Write> {
    let line = lines.iter().find_map(|w| match w {
        Write::Create {
            body: Body::BoundaryLine(l),
            geometry,
            ..
        } if l.pair() == ("152501200".to_string(), "152501400".to_string()) => {
            Some(geometry.clone())
        }
        _ => None,
    })?;
    Some(Write::Create {
        id: RecordId::derived("agreement/152501200/152501400"),
        valid_from: date(2021, 6, 1),
        body: Body::from(Agreement {
            title: "城区与格日勒敖都苏木平安边界协议（示例）".into(),
            parties: vec!["152501200".into(), "152501400".into()],
            party_names: vec!["格日勒敖都苏木".into(), "二连浩特市社区建设管理局".into()],
            signed: date(2021, 6, 1),
            summary: "共同维护界桩与界线标志，每年联合巡查一次，边界纠纷协商解决（示例）".into(),
            renewal: date(2026, 6, 1),
            meetings: Vec::new(),
            source: Source::Sample,
        }),
        geometry: line,
    })
}
