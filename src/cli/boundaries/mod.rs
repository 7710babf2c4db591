//! Administrative boundaries: the coverage and edge check, on the registry or on a file.

mod args;
mod dispute;

pub(crate) use args::*;
use dispute::*;

use super::open;
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use diming::boundaries::AdminUnit;
use diming::boundaries::UnitLevel;
use diming::boundaries::check::{EdgeTolerance, FileUnit, Report, check_hierarchy, check_registry};
use diming::boundaries::line::{BoundaryLine, LineInspection};
use diming::boundaries::marker::Marker;
use diming::boundaries::marker::MarkerState;
use diming::boundaries::marker::Observation;
use diming::config::Config;
use diming::io::{self, ReadOptions};
use diming::publish::markers::Entry;
use diming::record::View;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum StateArg {
    Intact,
    Damaged,
    Missing,
}

impl From<StateArg> for MarkerState {
    fn from(s: StateArg) -> MarkerState {
        match s {
            StateArg::Intact => MarkerState::Intact,
            StateArg::Damaged => MarkerState::Damaged,
            StateArg::Missing => MarkerState::Missing,
        }
    }
}

/// The register entries with unit names and both coordinate forms, by number.
fn entries(registry: &diming::registry::Registry) -> Result<Vec<Entry>> {
    let state = registry.current();
    let names: std::collections::BTreeMap<String, String> = state
        .each::<AdminUnit>()
        .map(|u| (u.body.code.short(), u.body.name.clone()))
        .collect();
    let mut out = Vec::new();
    for (v, m) in state.versions::<Marker>() {
        let geo::Geometry::Point(p) = &v.geometry else {
            continue;
        };
        let (x, y) = diming::spatial::crs::gauss_kruger(p.x(), p.y())?;
        out.push(Entry {
            unit_names: m
                .units
                .iter()
                .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect(),
            marker: m.clone(),
            lon: p.x(),
            lat: p.y(),
            x,
            y,
        });
    }
    out.sort_by(|a, b| a.marker.number.cmp(&b.marker.number));
    Ok(out)
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Output {
    Text,
    Json,
    Geojson,
}

fn parse_level(s: &str) -> Result<UnitLevel> {
    [
        UnitLevel::County,
        UnitLevel::Township,
        UnitLevel::TownshipLike,
        UnitLevel::Community,
        UnitLevel::Village,
    ]
    .into_iter()
    .find(|l| l.as_str() == s || l.label() == s)
    .with_context(|| {
        format!("级别“{s}”无法识别：可用 county、township、township_like、community、village")
    })
}

pub(crate) async fn run(
    db: &str,
    config: &Config,
    author: &str,
    command: BoundariesCommand,
) -> Result<()> {
    let today = || chrono::Local::now().date_naive();
    match command {
        BoundariesCommand::Repair {
            accept,
            issuer,
            number,
            date,
        } => {
            let registry = open(db, config).await?;
            match (accept, issuer, number, date) {
                (Some(n), Some(issuer), Some(number), Some(date)) => {
                    let document = diming::record::ApprovalDocument {
                        issuer,
                        number,
                        date,
                    };
                    let cs = registry.accept_repair(author, n, document, today()).await?;
                    println!("已接受第 {n} 条修复建议（变更集 {cs}）");
                }
                _ => {
                    let proposals = registry.repair_proposals()?;
                    for (i, p) in proposals.iter().enumerate() {
                        println!("{}\t{}", i + 1, p.description);
                    }
                    println!(
                        "修复建议 {} 条；接受须附批准文件：--accept 编号 --issuer … --number … --date …",
                        proposals.len()
                    );
                }
            }
        }
        BoundariesCommand::Lines { derive } => {
            let registry = open(db, config).await?;
            if derive {
                let n = registry.derive_lines(author, today()).await?;
                println!("已生成或更新界线 {n} 条");
            }
            let state = registry.current();
            for (_, l) in state.versions::<BoundaryLine>() {
                println!(
                    "{}—{}\t{:.0} 米\t{}\t{}\t下次联合检查 {}",
                    l.left_name,
                    l.right_name,
                    l.length_m,
                    l.legal.label(),
                    l.technical.label(),
                    l.next_inspection()
                );
            }
        }
        BoundariesCommand::InspectLine {
            a,
            b,
            date,
            inspector,
            finding,
            report,
            photo,
        } => {
            let registry = open(db, config).await?;
            let mut photos = Vec::new();
            for path in &photo {
                photos.push(super::store_photo(&registry, path, author).await?);
            }
            let findings = finding
                .iter()
                .map(|f| {
                    f.split_once('=')
                        .map(|(at, what)| diming::boundaries::line::InspectionFinding {
                            at: at.trim().into(),
                            finding: what.trim().into(),
                        })
                        .with_context(|| format!("检查结果“{f}”应写作 位置=结果"))
                })
                .collect::<Result<Vec<_>>>()?;
            let inspection = diming::boundaries::line::LineInspection {
                line: diming::record::RecordId::derived("placeholder"),
                date,
                inspectors: inspector,
                findings,
                photos,
                source: diming::record::Source::Survey,
            };
            let id = registry.inspect_line(author, &a, &b, inspection).await?;
            println!("已登记界线联合检查 {id}");
            if let Some(path) = report {
                let (line, inspection) = {
                    let state = registry.current();
                    let Some(i) = state.one::<LineInspection>(&id).map(|i| i.body.clone()) else {
                        bail!("检查记录 {id} 未找到");
                    };
                    let Some(l) = state.one::<BoundaryLine>(&i.line).map(|l| l.body.clone()) else {
                        bail!("界线 {} 未找到", i.line);
                    };
                    (l, i)
                };
                let fonts = diming::publish::pdf::Fonts::load()?;
                let city = config.jurisdiction.name.clone();
                let pdf = tokio::task::spawn_blocking(move || {
                    diming::publish::markers::inspection_report(&line, &inspection, &city, &fonts)
                })
                .await??;
                std::fs::write(&path, pdf).with_context(|| format!("写入 {path}"))?;
                println!("已生成检查报告 {path}");
            }
        }
        BoundariesCommand::Agreement {
            title,
            party,
            signed,
            renewal,
            summary,
        } => {
            let registry = open(db, config).await?;
            let agreement = diming::boundaries::line::Agreement {
                title,
                parties: party,
                // Read from the registry by the parties' codes.
                party_names: Vec::new(),
                signed,
                summary,
                renewal,
                meetings: Vec::new(),
                source: diming::record::Source::Survey,
            };
            let id = registry.add_agreement(author, agreement).await?;
            println!("已登记平安边界协议 {id}");
        }
        BoundariesCommand::Due { on, within_days } => {
            let registry = open(db, config).await?;
            let on = on.unwrap_or_else(today);
            let until = on + chrono::Days::new(within_days);
            let list = diming::registry::boundaries::due(&registry.current(), on, until);
            for d in &list {
                println!(
                    "{}\t{}{}",
                    d.date,
                    d.what,
                    if d.overdue { "【已逾期】" } else { "" }
                );
            }
            println!("{} 至 {until} 到期事项 {} 项", on, list.len());
        }
        BoundariesCommand::Dispute { command } => {
            let registry = open(db, config).await?;
            dispute(&registry, author, command).await?;
        }
        BoundariesCommand::Markers { format } => {
            let registry = open(db, config).await?;
            let list = entries(&registry)?;
            let state = registry.current();
            let last = |id: diming::record::RecordId| {
                state
                    .each::<Observation>()
                    .map(|o| o.body)
                    .filter(|o| o.marker == id)
                    .max_by_key(|o| o.date)
                    .cloned()
            };
            let ids: std::collections::BTreeMap<String, diming::record::RecordId> = state
                .versions::<Marker>()
                .map(|(v, m)| (m.number.clone(), v.id))
                .collect();
            match format {
                crate::cli::Format::Json => {
                    let rows: Vec<serde_json::Value> = list
                        .iter()
                        .map(|e| {
                            serde_json::json!({
                                "number": e.marker.number, "kind": e.marker.kind,
                                "units": e.marker.units, "unit_names": e.unit_names,
                                "lon": e.lon, "lat": e.lat, "x": e.x, "y": e.y,
                                "last_observation": last(ids[&e.marker.number]),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
                crate::cli::Format::Text => {
                    for e in &list {
                        let seen = match last(ids[&e.marker.number]) {
                            Some(o) => format!(
                                "{} {} 偏离 {:.2} 米{}",
                                o.date,
                                o.state.label(),
                                o.offset_m,
                                if o.alert { "【告警】" } else { "" }
                            ),
                            None => "未观测".into(),
                        };
                        println!(
                            "{}\t{}\t{}\t{:.8},{:.8}\tX={:.3} Y={:.3}\t{seen}",
                            e.marker.number,
                            e.marker.kind.label(),
                            e.unit_names.join("、"),
                            e.lon,
                            e.lat,
                            e.x,
                            e.y
                        );
                    }
                }
            }
        }
        BoundariesCommand::AgreementMeeting {
            id,
            date,
            place,
            summary,
        } => {
            let registry = open(db, config).await?;
            let rid: diming::record::RecordId = id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let meeting = diming::boundaries::line::Meeting {
                date,
                place,
                summary,
            };
            registry.agreement_meeting(author, rid, meeting).await?;
            println!("已登记联席会议");
        }
        BoundariesCommand::Observe {
            number,
            at,
            state,
            notes,
            photo,
            date,
        } => {
            let registry = open(db, config).await?;
            let mut photos = Vec::new();
            for path in &photo {
                photos.push(super::store_photo(&registry, path, author).await?);
            }
            let at = at
                .as_deref()
                .map(super::parse_point)
                .transpose()?
                .map(geo::Point::from);
            let visit = diming::boundaries::marker::Visit {
                at,
                state: state.into(),
                notes,
                photos,
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive()),
            };
            let (offset, alert, cs) = registry.observe_marker(author, &number, visit).await?;
            println!(
                "已登记界桩 {number} 的观测：偏离登记位置 {offset:.2} 米{}（变更集 {cs}）",
                if alert {
                    "，【告警】界桩可能被移动或损坏，登记位置不变；恢复或迁移须附批准文件"
                } else {
                    ""
                }
            );
        }
        BoundariesCommand::MarkerForm {
            numbers,
            all,
            table,
            output,
        } => {
            let registry = open(db, config).await?;
            let list: Vec<Entry> = entries(&registry)?
                .into_iter()
                .filter(|e| all || numbers.contains(&e.marker.number))
                .collect();
            for n in &numbers {
                if !list.iter().any(|e| &e.marker.number == n) {
                    bail!("没有编号为 {n} 的界桩");
                }
            }
            if list.is_empty() {
                bail!("请给出界桩编号，或用 --all");
            }
            let fonts = diming::publish::pdf::Fonts::load()?;
            let city = config.jurisdiction.name.clone();
            let pdf = tokio::task::spawn_blocking(move || {
                if table {
                    diming::publish::markers::results_table(&list, &city, &fonts)
                } else {
                    diming::publish::markers::register_forms(&list, &city, &fonts)
                }
            })
            .await??;
            std::fs::write(&output, pdf).with_context(|| format!("写入 {output}"))?;
            println!("已生成 {output}");
        }
        BoundariesCommand::Check {
            level,
            input,
            label,
            code,
            parent,
            crs,
            near_m,
            same_m,
            format,
        } => {
            if !(near_m > 0.0 && same_m >= 0.0 && same_m < near_m) {
                bail!("容差无效：应有 0 ≤ same-m < near-m");
            }
            let edges = EdgeTolerance { near_m, same_m };
            let thresholds = config.jurisdiction.coverage;
            let report: Report = match input {
                Some(file) => {
                    let options = ReadOptions {
                        crs: crs.as_deref().map(super::io::parse_crs).transpose()?,
                        encoding: None,
                        limits: io::Limits::default(),
                    };
                    let path = std::path::PathBuf::from(&file);
                    let raw = tokio::task::spawn_blocking(move || {
                        io::read(&path, &options, &mut |_, _| {})
                    })
                    .await??;
                    let mut units = Vec::new();
                    let field = |f: &io::RawFeature, name: &str| {
                        f.fields
                            .get(name)
                            .map(|v| v.trim().to_string())
                            .filter(|v| !v.is_empty())
                    };
                    for f in raw.features {
                        let name =
                            field(&f, &label).unwrap_or_else(|| format!("第 {} 个要素", f.row));
                        let parent = match &parent {
                            Some(p) => field(&f, p),
                            None => field(&f, "parent").or_else(|| field(&f, "parent_code")),
                        };
                        let code = field(&f, &code);
                        match f.geometry {
                            Some(
                                g @ (geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)),
                            ) => units.push(FileUnit {
                                name,
                                code,
                                parent,
                                geometry: g,
                            }),
                            _ => bail!("{file} 第 {} 个要素（{name}）不是面", f.row),
                        }
                    }
                    tokio::task::spawn_blocking(move || check_hierarchy(&units, thresholds, edges))
                        .await??
                }
                None => {
                    let level = level.as_deref().map(parse_level).transpose()?;
                    let registry = open(db, config).await?;
                    check_registry(
                        &registry.current(),
                        level,
                        thresholds,
                        edges,
                        config.jurisdiction.marker_tolerance_m,
                    )?
                }
            };
            match format {
                Output::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                Output::Geojson => println!("{}", report.geojson()),
                Output::Text => {
                    for f in &report.findings {
                        println!("{}", f.message);
                    }
                    println!(
                        "检查区域 {} 个，发现问题 {} 处（面积阈值 {} 平方米，狭长碎片宽度小于 {} 米；共用边线 {} 米内、同一顶点 {} 米内）。",
                        report.units,
                        report.findings.len(),
                        thresholds.min_area_m2,
                        thresholds.sliver_width_m,
                        edges.near_m,
                        edges.same_m
                    );
                }
            }
        }
    }
    Ok(())
}
