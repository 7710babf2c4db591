//! `diming notices`: relocation notices, their steps, and the relocation of graves.

use super::{NoticesCommand, RelocationArgs, today};
use crate::cli::{Format, open};
use anyhow::{Context, Result, bail};
use diming::cemetery::Grave;
use diming::cemetery::Notice;
use diming::cemetery::Plot;
use diming::cemetery::{Burial, Deceased, NoticeStatus, NoticeTerms, PlotNumber};
use diming::config::Config;
use diming::model::Variant;
use diming::record::RecordId;
use diming::registry::Registry;
use diming::registry::cemetery::{NoticeUpdate, find_plot, scope};
use geo::Geometry;

pub(super) fn find_notice(registry: &Registry, key: &str) -> Result<(RecordId, u32)> {
    let state = registry.current();
    state
        .layer(Notice::LAYER)
        .find(|v| v.id.to_string() == key || v.of::<Notice>().is_some_and(|n| n.number == key))
        .map(|v| (v.id, v.version))
        .with_context(|| format!("没有告知书“{key}”"))
}

pub(crate) async fn notices(
    db: &str,
    config: &Config,
    author: &str,
    command: NoticesCommand,
) -> Result<()> {
    let registry = open(db, config).await?;
    match command {
        NoticesCommand::Relocation(args) => relocation(&registry, config, author, *args).await?,
        NoticesCommand::List {
            batch,
            status,
            format,
        } => {
            let status = status
                .as_deref()
                .map(str::parse::<NoticeStatus>)
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let state = registry.current();
            let mut list: Vec<serde_json::Value> = state
                .versions::<Notice>()
                .filter(|(_, n)| {
                    batch.as_ref().is_none_or(|b| *b == n.batch)
                        && status.is_none_or(|s| s == n.status)
                })
                .map(|(v, n)| {
                    let grave = state
                        .version::<Grave>(&n.grave)
                        .map(|(_, g)| g.number.clone())
                        .unwrap_or_default();
                    let plot = n
                        .plot
                        .and_then(|p| state.version::<Plot>(&p))
                        .map(|(_, p)| p.number.to_string());
                    serde_json::json!({
                        "id": v.id, "number": n.number, "grave": grave, "status": n.status.label(),
                        "deadline": n.terms.deadline, "plot": plot, "version": v.version,
                    })
                })
                .collect();
            list.sort_by(|a, b| a["number"].as_str().cmp(&b["number"].as_str()));
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                Format::Text => {
                    for n in &list {
                        println!(
                            "{}\t{}\t{}\t{}",
                            n["number"].as_str().unwrap_or(""),
                            n["grave"].as_str().unwrap_or(""),
                            n["status"].as_str().unwrap_or(""),
                            n["plot"].as_str().unwrap_or("")
                        );
                    }
                    println!("共 {} 份", list.len());
                }
            }
        }
        NoticesCommand::Step {
            notice,
            status,
            signed_by,
            amount,
            note,
            date,
        } => {
            let status: NoticeStatus = status.parse().map_err(anyhow::Error::msg)?;
            let (id, version) = find_notice(&registry, &notice)?;
            let cs = registry
                .notice_step(
                    author,
                    id,
                    version,
                    NoticeUpdate {
                        status,
                        on: date.unwrap_or_else(today),
                        note,
                        signed_by,
                        compensation_fen: amount.map(|a| (a * 100.0).round() as i64),
                    },
                )
                .await?;
            println!("告知书 {notice}：{}（变更集 {}）", status.label(), cs.0);
        }
        NoticesCommand::Relocate {
            notice,
            plot,
            cemetery,
            name,
            sex,
            ethnicity,
            died,
            residence,
            exemption,
            date,
        } => {
            let (id, _) = find_notice(&registry, &notice)?;
            let number: PlotNumber = plot.parse().map_err(anyhow::Error::msg)?;
            let plot_id = find_plot(&registry.current(), cemetery.as_deref(), &number)
                .map_err(anyhow::Error::msg)?;
            let on = date.unwrap_or_else(today);
            let deceased = Deceased {
                name,
                sex: sex.parse().map_err(anyhow::Error::msg)?,
                ethnicity,
                id_number: None,
                born: None,
                died,
                residence,
                place_of_death: String::new(),
            };
            let burial = Burial::relocated(deceased, plot_id, exemption, &notice, author, on);
            let burial_id = registry
                .relocate_grave(author, id, plot_id, burial, on)
                .await?;
            println!("已迁入墓位 {number}（安葬记录 {burial_id}）");
        }
    }
    Ok(())
}

pub(super) async fn relocation(
    registry: &Registry,
    config: &Config,
    author: &str,
    a: RelocationArgs,
) -> Result<()> {
    let issued = a.issued.unwrap_or_else(today);
    // The graves, and the area drawn on the public notice.
    let scope = {
        let state = registry.current();
        if let Some(path) = &a.area {
            let text = std::fs::read_to_string(path).with_context(|| format!("读取 {path}"))?;
            let features = diming::spatial::geojson::features(&text).map_err(anyhow::Error::msg)?;
            let polygons: Vec<geo::Polygon<f64>> = features
                .into_iter()
                .flat_map(|(_, g)| match g {
                    Geometry::Polygon(p) => vec![p],
                    Geometry::MultiPolygon(m) => m.0,
                    _ => vec![],
                })
                .collect();
            if polygons.is_empty() {
                bail!("{path} 中没有面：整治范围须为面");
            }
            let g = Geometry::MultiPolygon(geo::MultiPolygon(polygons));
            scope::in_area(&state, g, format!("{path} 所示范围"))
        } else if let Some(zone) = &a.zone {
            scope::in_zones(&state, zone).map_err(anyhow::Error::msg)?
        } else if let Some(list) = &a.graves {
            scope::listed(&state, list).map_err(anyhow::Error::msg)?
        } else {
            bail!("请用 --area、--zone 或 --graves 指明范围");
        }
    };
    if scope.graves.is_empty() {
        bail!("范围内没有登记的散埋坟墓");
    }
    let destination = scope::destination(&registry.current(), a.destination.as_deref())
        .map_err(anyhow::Error::msg)?;
    let (graves, area, scope_name) = (scope.graves, scope.area, scope.name);
    let fen = |y: f64| (y * 100.0).round() as i64;
    let window = NoticeTerms::default_window(issued, a.deadline);
    let terms = NoticeTerms {
        basis: a.basis,
        reason: a.reason,
        scope: a.scope.unwrap_or_else(|| scope_name.clone()),
        registration_from: a.registration_from.unwrap_or(window.0),
        registration_until: a.registration_until.unwrap_or(window.1),
        deadline: a.deadline,
        destination: destination.0,
        destination_name: destination.1,
        compensation_single_fen: fen(a.compensation_single),
        compensation_double_fen: fen(a.compensation_double),
        bonus_fen: fen(a.bonus),
        documents: a.documents,
        contact: a.contact,
        issuer: a
            .issuer
            .unwrap_or_else(|| format!("{}民政局", config.jurisdiction.name)),
        issued_on: issued,
    };
    let batch = a
        .batch
        .unwrap_or_else(|| format!("{} {}", issued.format("%Y-%m-%d"), terms.reason));
    let ids = registry
        .issue_notices(author, &batch, &graves, &terms)
        .await?;
    let dir = std::path::Path::new(&a.output);
    std::fs::create_dir_all(dir).with_context(|| format!("创建目录 {}", a.output))?;
    let fonts = diming::publish::pdf::Fonts::load()?;
    let files = diming::publish::atlas::Atlas::new(&registry.current(), &config.jurisdiction.name)
        .notice_pdfs(&ids, area.as_ref(), &batch, &fonts)?;
    println!(
        "已发出 {} 份迁坟告知书（批次“{batch}”），写入 {}：",
        ids.len(),
        a.output
    );
    for (name, bytes) in &files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("写入 {}", path.display()))?;
        println!("  {name}");
    }
    Ok(())
}
