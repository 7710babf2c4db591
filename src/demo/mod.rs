//! The demo registry of 二连浩特市 (Erenhot), built from `data/` by code, deterministically.
//!
//! Real: the city outline and the official codes and names of its sumu, 5 嘎查 and 8 社区.
//! Synthetic (`source = sample`): the communities tile a built-up block around 111.97°E
//! 43.65°N, the 嘎查 tile the rest of the city, about 40 streets on a grid, about 3,000 door
//! plates numbered odd-left/even-right (with a few planted numbering errors), and a few
//! landmarks. The same input gives the same
//! ids and geometries every time. Pure: the data files are compiled in.

mod cemetery;
mod lines;
mod markers;
mod places;
mod signs;
mod streets;
mod units;

use crate::record::ChangesetId;

use crate::model::{Changeset, Write};

pub use cemetery::{FUNERAL_HOME, YEARS as BURIAL_YEARS};
use chrono::NaiveDate;
pub use signs::LIGHTBOXES;
pub use streets::PLANTED;
pub use units::BUILT_UP;

/// The city outline (real), as shipped in `data/`.
pub const OUTLINE_GEOJSON: &str = include_str!("../../data/erenhot_boundary_cgcs2000.geojson");
/// The official division codes and names.
pub const DIVISIONS_CSV: &str = include_str!("../../data/erenhot_divisions.csv");
/// The neighbouring banners (real, with edges that do not match exactly).
pub const NEIGHBOURS_GEOJSON: &str =
    include_str!("../../data/xilingol_neighbours_cgcs2000.geojson");

const AUTHOR: &str = "demo";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

fn changeset(key: &str, reason: &str, writes: Vec<Write>) -> Changeset {
    Changeset {
        id: ChangesetId::derived(&format!("demo/{key}")),
        author: AUTHOR.into(),
        reason: reason.into(),
        document: None,
        writes,
        freeze_override: None,
    }
}

/// The authority under which the names in use when the registry was set up are registered as
/// standard (a sample citation: the city's results of the second national census of place
/// names, 2014–2018).
fn census() -> crate::record::ApprovalDocument {
    crate::record::ApprovalDocument {
        issuer: "二连浩特市第二次全国地名普查领导小组".into(),
        number: "地名普查成果（示例）".into(),
        date: date(2018, 6, 30),
    }
}

/// A changeset that registers names already standard, on the census's authority.
fn registered(key: &str, reason: &str, writes: Vec<Write>) -> Changeset {
    Changeset {
        document: Some(census()),
        ..changeset(key, reason, writes)
    }
}

/// The demo registry as a sequence of changesets, to be committed in order.
pub fn changesets() -> Result<Vec<Changeset>, String> {
    let unit_writes = units::writes()?;
    let line_writes = lines::writes(&unit_writes);
    let agreement = lines::agreement(&line_writes);
    let mut out = vec![registered(
        "units",
        "示例数据：行政区域（代码与名称为官方数据，社区与嘎查范围为示意）",
        unit_writes,
    )];
    out.push(changeset(
        "lines",
        "示例数据：界线（由区域公共边生成；苏木、城区与合作区之间的界线 2019 年勘定）",
        line_writes,
    ));
    out.extend(agreement.map(|a| changeset("agreement", "示例数据：平安边界协议", vec![a])));
    let streets = streets::streets();
    out.push(registered(
        "streets",
        "示例数据：街路巷中心线",
        streets.iter().map(streets::create).collect(),
    ));
    let (write, document) = streets::rename();
    let mut rename = changeset("rename", "示例数据：工农街更名为建设街", vec![write]);
    rename.document = Some(document);
    out.push(rename);
    let places = places::writes();
    out.push(registered("places", "示例数据：主要地标", places.clone()));
    let plates = streets::door_plates(&streets);
    for (i, chunk) in plates.chunks(1000).enumerate() {
        out.push(changeset(
            &format!("plates/{i}"),
            "示例数据：门牌（左单右双）",
            chunk.to_vec(),
        ));
    }
    out.push(changeset(
        "markers",
        "示例数据：界桩（2019 年埋设）",
        markers::writes(),
    ));
    out.push(changeset(
        "marker-observations",
        "示例数据：2026 年春季界线联合检查的界桩观测",
        markers::observations(),
    ));
    let signs = signs::writes(&streets, &plates, &places);
    let inspections = signs::inspections(&signs);
    out.push(changeset(
        "signs",
        "示例数据：地名标志（含 2020 年重新安装的 124 块灯箱式街路牌）",
        signs,
    ));
    out.push(changeset(
        "sign-inspections",
        "示例数据：2026 年春季地名标志巡查及维修工单",
        inspections,
    ));
    let outline = units::outline()?;
    out.push(changeset(
        "zones",
        "示例数据：火葬区及三沿七区禁止埋葬区域",
        cemetery::zones(&outline),
    ));
    for (key, reason, writes) in cemetery::changesets()? {
        out.push(changeset(&key, &reason, writes));
    }
    Ok(out)
}
