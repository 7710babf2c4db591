//! Demo units: the real outline and codes; synthetic community and 嘎查 areas that tile
//! their parents exactly (they are cut from the outline with boolean operations).

use super::{DIVISIONS_CSV, OUTLINE_GEOJSON, date};
use crate::boundaries::{AdminUnit, DivisionCode};
use crate::model::{Body, Write};
use crate::record::{RecordId, Source};
use crate::spatial::geojson::{as_multipolygon, features};
use geo::{BooleanOps, Geometry, MultiPolygon, Rect, coord};

/// The built-up block the 8 communities tile (about 6.4 km × 5.6 km).
pub const BUILT_UP: (f64, f64, f64, f64) = (111.935, 43.625, 112.015, 43.675);
/// The border economic co-operation zone north of the town, up to the port.
const ZONE: (f64, f64, f64, f64) = (111.965, 43.675, 112.025, 43.715);
/// Longitudes cutting the sumu into its 5 嘎查, west to east.
const GACHA_CUTS: [f64; 4] = [111.62, 111.86, 112.08, 112.25];

fn rect((w, s, e, n): (f64, f64, f64, f64)) -> MultiPolygon<f64> {
    MultiPolygon(vec![
        Rect::new(coord! {x: w, y: s}, coord! {x: e, y: n}).to_polygon(),
    ])
}

struct Division {
    code: DivisionCode,
    name: String,
}

fn divisions() -> Result<Vec<Division>, String> {
    let mut reader = csv::Reader::from_reader(DIVISIONS_CSV.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.map_err(|e| format!("erenhot_divisions.csv 第 {} 行：{e}", i + 2))?;
            let code: DivisionCode = r[0]
                .parse()
                .map_err(|e| format!("erenhot_divisions.csv 第 {} 行：{e}", i + 2))?;
            Ok(Division {
                code,
                name: r[1].to_string(),
            })
        })
        .collect()
}

/// The city outline as a multipolygon.
pub fn outline() -> Result<MultiPolygon<f64>, String> {
    let (_, g) = features(OUTLINE_GEOJSON)?
        .into_iter()
        .next()
        .ok_or("城市轮廓文件中没有要素")?;
    as_multipolygon(g).ok_or_else(|| "城市轮廓不是面".to_string())
}

/// Geometry of each unit, by code.
fn geometries(divs: &[Division]) -> Result<Vec<(DivisionCode, MultiPolygon<f64>)>, String> {
    let city = outline()?;
    let built_up = rect(BUILT_UP);
    let zone = rect(ZONE);
    let sumu = city.difference(&built_up).difference(&zone);
    let mut out = Vec::new();
    let (w, s, e, n) = BUILT_UP;
    // Where each community lies in a 4 × 2 grid over the town: (column west → east, row
    // south → north), so that 东城 is east, 西城 west, 南苑 south and 北疆 north.
    let grid: [(&str, u32, u32); 8] = [
        ("152501400008", 0, 1), // 西城
        ("152501400005", 1, 1), // 北疆
        ("152501400004", 2, 1), // 呼和
        ("152501400001", 3, 1), // 东城
        ("152501400006", 0, 0), // 锡林
        ("152501400003", 1, 0), // 南苑
        ("152501400007", 2, 0), // 额仁
        ("152501400002", 3, 0), // 乌兰
    ];
    for (code, col, row) in grid {
        let code: DivisionCode = code.parse().map_err(|e| format!("{e}"))?;
        if !divs.iter().any(|d| d.code == code) {
            return Err(format!("区划代码表中没有社区 {code}"));
        }
        let cw = w + (e - w) * f64::from(col) / 4.0;
        let ce = w + (e - w) * f64::from(col + 1) / 4.0;
        let (cs, cn) = if row == 1 {
            ((s + n) / 2.0, n)
        } else {
            (s, (s + n) / 2.0)
        };
        out.push((code, rect((cw, cs, ce, cn))));
    }
    let (west, east) = (111.0, 113.0);
    let mut edges = vec![west];
    edges.extend(GACHA_CUTS);
    edges.push(east);
    let gachas: Vec<&Division> = divs
        .iter()
        .filter(|d| d.code.parent().is_some_and(|p| p.short() == "152501200"))
        .collect();
    for (i, d) in gachas.iter().enumerate() {
        let band = rect((edges[i], 42.0, edges[i + 1], 45.0));
        out.push((d.code, sumu.intersection(&band)));
    }
    for d in divs {
        let g = match d.code.short().as_str() {
            "152501" => city.clone(),
            "152501200" => sumu.clone(),
            "152501400" => built_up.clone(),
            "152501401" | "152501401498" => zone.clone(),
            _ => continue,
        };
        out.push((d.code, g));
    }
    Ok(out)
}

pub fn writes() -> Result<Vec<Write>, String> {
    let divs = divisions()?;
    let geoms = geometries(&divs)?;
    let mut writes = Vec::new();
    for d in &divs {
        let Some((_, g)) = geoms.iter().find(|(c, _)| *c == d.code) else {
            return Err(format!("示例数据没有为 {} {} 生成范围", d.code, d.name));
        };
        let mut unit = AdminUnit::from_code(d.code, d.name.clone(), Source::Sample);
        // The sumu and its 嘎查 are named in Mongolian (the characters transcribe it); the
        // demo does not know their Mongolian script, so their romanization waits for it.
        if d.name.ends_with("苏木") || d.name.ends_with("嘎查") {
            unit.naming.mongolian_origin = true;
        }
        if d.code.short() == "152501" {
            unit.source = Source::Official;
            unit.name_mn = Some("ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ".into());
        }
        writes.push(Write::Create {
            id: RecordId::derived(&format!("unit/{}", d.code)),
            valid_from: date(2023, 1, 1),
            body: Body::from(unit),
            geometry: Geometry::MultiPolygon(g.clone()),
        });
    }
    Ok(writes)
}
