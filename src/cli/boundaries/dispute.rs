//! `diming boundaries dispute`: filing, stepping and deciding boundary disputes.

use super::DisputeCommand;
use anyhow::{Context, Result, bail};
use diming::boundaries::AdminUnit;
use diming::record::View;

/// Reads a party's claim: its area (polygons), or the one line it holds to be the boundary.
pub(super) fn read_claim(path: &str) -> Result<geo::Geometry<f64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("读取 {path}"))?;
    let features =
        diming::spatial::geojson::features(&text).map_err(|e| anyhow::anyhow!("{path}：{e}"))?;
    if let [(_, g @ geo::Geometry::LineString(_))] = features.as_slice() {
        return Ok(g.clone());
    }
    read_area(path)
}

/// Reads the one area of a GeoJSON file (a geometry, a feature or a collection of features).
pub(super) fn read_area(path: &str) -> Result<geo::Geometry<f64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("读取 {path}"))?;
    let features =
        diming::spatial::geojson::features(&text).map_err(|e| anyhow::anyhow!("{path}：{e}"))?;
    let mut area = geo::MultiPolygon::<f64>(vec![]);
    for (_, g) in features {
        match diming::spatial::geojson::as_multipolygon(g) {
            Some(m) => area.0.extend(m.0),
            None => bail!("{path} 中的范围应为面（Polygon 或 MultiPolygon）"),
        }
    }
    if area.0.is_empty() {
        bail!("{path} 中没有面");
    }
    Ok(geo::Geometry::MultiPolygon(area))
}

pub(super) fn split_pair(s: &str) -> Result<(String, String)> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .with_context(|| format!("“{s}”应写作 单位代码=文件"))
}

pub(super) async fn dispute(
    registry: &diming::registry::Registry,
    author: &str,
    command: DisputeCommand,
) -> Result<()> {
    use diming::boundaries::dispute::{DisputeStatus, Evidence, EvidenceKind, Party, mu};
    let names: std::collections::BTreeMap<String, String> = registry
        .current()
        .each::<AdminUnit>()
        .map(|u| (u.body.code.short(), u.body.name.clone()))
        .collect();
    match command {
        DisputeCommand::File {
            title,
            party,
            evidence,
            date,
        } => {
            let mut parties = Vec::new();
            for p in &party {
                let (code, file) = split_pair(p)?;
                let name = names
                    .get(&code)
                    .cloned()
                    .with_context(|| format!("登记簿中没有单位 {code}"))?;
                let claim = read_claim(&file)?;
                parties.push(Party {
                    code,
                    name,
                    claim: diming::spatial::geojson::from_geo(&claim),
                });
            }
            let mut items = Vec::new();
            for e in &evidence {
                let mut it = e.splitn(3, ':');
                let (Some(party), Some(kind), Some(title)) = (it.next(), it.next(), it.next())
                else {
                    bail!("证据“{e}”应写作 单位代码:种类:名称");
                };
                let kind: EvidenceKind = serde_json::from_value(serde_json::json!(kind))
                    .map_err(|_| anyhow::anyhow!("证据种类“{kind}”无法识别"))?;
                items.push(Evidence {
                    party: party.into(),
                    kind,
                    title: title.into(),
                    date: None,
                });
            }
            let (id, _) = registry
                .file_dispute(
                    author,
                    &title,
                    parties,
                    items,
                    date.unwrap_or_else(|| chrono::Local::now().date_naive()),
                )
                .await?;
            println!("已受理边界争议 {id}");
        }
        DisputeCommand::List => {
            let state = registry.current();
            for (v, d) in state.versions::<diming::boundaries::dispute::Dispute>() {
                println!(
                    "{}\t第{}版\t{}\t{}\t{}\t{:.1} 平方米（{:.2} 亩，{:.4} 平方千米）\t门牌 {} 地名 {} 街路巷 {} 界桩 {} 墓位 {} 散坟 {}",
                    v.id,
                    v.version,
                    d.title,
                    d.status.label(),
                    d.parties
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" / "),
                    d.area_m2,
                    mu(d.area_m2),
                    d.area_m2 / 1e6,
                    d.contents.door_plates,
                    d.contents.places,
                    d.contents.streets,
                    d.contents.markers,
                    d.contents.plots,
                    d.contents.graves
                );
            }
        }
        DisputeCommand::Step {
            id,
            to,
            date,
            issuer,
            number,
            doc_date,
            note,
        } => {
            let rid: diming::record::RecordId = id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let status: DisputeStatus = serde_json::from_value(serde_json::json!(to))
                .map_err(|_| anyhow::anyhow!("状态“{to}”无法识别"))?;
            let version = registry
                .current()
                .get(&rid)
                .map(|v| v.version)
                .with_context(|| format!("没有争议 {id}"))?;
            let document = match (issuer, number, doc_date) {
                (Some(issuer), Some(number), Some(date)) => {
                    Some(diming::record::ApprovalDocument {
                        issuer,
                        number,
                        date,
                    })
                }
                _ => None,
            };
            let step = diming::boundaries::dispute::Step {
                status,
                date,
                document,
                note,
            };
            registry.dispute_step(author, rid, version, step).await?;
            println!("争议 {id}：{}", status.label());
        }
        DisputeCommand::Map { id, layout, output } => {
            let rid: diming::record::RecordId = id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let layout = diming::publish::map::Layout::named(&layout)?;
            let (plan, data) = {
                let state = registry.current();
                let city = &registry.config().jurisdiction.name;
                diming::publish::atlas::Atlas::new(&state, city).dispute_map(
                    rid,
                    layout,
                    chrono::Local::now().date_naive(),
                )?
            };
            let style = diming::publish::map::Style::named("dispute-map");
            crate::cli::render::write_map(&plan, style, &data, None, 300.0, &output)?;
            println!("已绘制争议区域图 {output}");
        }
        DisputeCommand::Decide { id, unit, document } => {
            let rid: diming::record::RecordId = id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let version = registry
                .current()
                .get(&rid)
                .map(|v| v.version)
                .with_context(|| format!("没有争议 {id}"))?;
            let mut units = Vec::new();
            for u in &unit {
                let (code, file) = split_pair(u)?;
                units.push((code, read_area(&file)?));
            }
            let document = document.document();
            let date = document.date;
            registry
                .decide_dispute(author, rid, version, units, document, date)
                .await?;
            println!("争议 {id} 已裁决，当事单位的范围已按裁决更新");
        }
    }
    Ok(())
}
