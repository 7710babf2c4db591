//! The burial office's commands: cemeteries and plots, burial registration and ledger
//! import, subsidies; the cremation statistics and the reconciliation of reported figures;
//! relocation notices.

mod args;
mod notices;
mod stats;

pub(crate) use args::*;
pub(crate) use notices::notices;
pub(crate) use stats::stats;

use super::{Format, open, parse_point};
use anyhow::{Context, Result, bail};
use diming::cemetery::Cemetery;
use diming::cemetery::Grave;
use diming::cemetery::Notice;
use diming::cemetery::Plot;
use diming::cemetery::Section;
use diming::cemetery::SubsidyClaim;
use diming::cemetery::layout::{Grid, Start};
use diming::cemetery::personal::IdNumber;
use diming::cemetery::{
    Burial, Deceased, Disposition, PlotKind, PlotNumber, PlotStatus, Sex, ZoneKind, yuan,
};
use diming::config::Config;
use diming::model::Variant;
use diming::record::{RecordId, Source};
use diming::registry::Registry;
use diming::registry::cemetery::{PlotChange, find_plot};
use geo::Point;
use std::collections::BTreeMap;

pub(super) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub(super) fn plot_status(s: &str) -> Result<PlotStatus> {
    s.parse::<PlotStatus>().map_err(anyhow::Error::msg)
}

pub(crate) async fn run(
    db: &str,
    config: &Config,
    author: &str,
    command: CemeteryCommand,
) -> Result<()> {
    let registry = open(db, config).await?;
    match command {
        CemeteryCommand::Check { format } => {
            let findings = registry.cemetery_check();
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
                Format::Text => {
                    for f in findings.iter() {
                        println!("{}\t{}", f.label, f.message);
                    }
                    println!("共 {} 项问题", findings.len());
                }
            }
            if !findings.is_empty() {
                std::process::exit(1);
            }
        }
        CemeteryCommand::Fill {
            section,
            cemetery,
            kind,
            width,
            depth,
            aisle,
            row_aisle,
            angle,
            start,
            first_row,
            date,
        } => {
            let kind: PlotKind = kind.parse().map_err(anyhow::Error::msg)?;
            let start: Start = start.parse().map_err(anyhow::Error::msg)?;
            let section_id = find_section(&registry, cemetery.as_deref(), &section)?;
            let grid = Grid {
                width_m: width,
                depth_m: depth,
                aisle_m: aisle,
                row_aisle_m: row_aisle,
                angle_deg: angle,
                start,
                first_row,
            };
            let (changeset, fill) = registry
                .fill_section(author, section_id, &grid, kind, date.unwrap_or_else(today))
                .await?;
            println!(
                "划出 {} 个墓位；{} 个位置超出墓区、{} 个位置与已有墓位重叠，未划",
                fill.cells.len(),
                fill.outside,
                fill.overlapping
            );
            if let Some(cs) = changeset {
                println!("变更集 {}", cs.0);
            }
        }
        CemeteryCommand::Plots {
            section,
            status,
            format,
        } => {
            let status = status.as_deref().map(plot_status).transpose()?;
            let state = registry.current();
            let mut rows: Vec<(diming::cemetery::PlotNumber, serde_json::Value)> = state
                .versions::<Plot>()
                .filter(|(_, p)| {
                    section.as_ref().is_none_or(|s| *s == p.number.section)
                        && status.is_none_or(|s| s == p.status)
                })
                .map(|(v, p)| {
                    (
                        p.number.clone(),
                        serde_json::json!({
                            "id": v.id, "number": p.number, "kind": p.kind.label(),
                            "status": p.status.label(), "until": p.period.as_ref().map(|u| u.until),
                            "version": v.version,
                        }),
                    )
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&rows.iter().map(|r| &r.1).collect::<Vec<_>>())?
                ),
                Format::Text => {
                    for (n, r) in &rows {
                        println!(
                            "{n}\t{}\t{}\t{}",
                            r["kind"].as_str().unwrap_or_default(),
                            r["status"].as_str().unwrap_or_default(),
                            r["until"].as_str().unwrap_or("")
                        );
                    }
                    println!("共 {} 个墓位", rows.len());
                }
            }
        }
        CemeteryCommand::Expiring { months, format } => {
            let until = today()
                .checked_add_months(chrono::Months::new(months))
                .context("日期超出范围")?;
            let list = registry.expiring_plots(until);
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                Format::Text => {
                    for e in &list {
                        let state = if e.until < today() {
                            "已届满"
                        } else {
                            "将届满"
                        };
                        println!(
                            "{}\t{}\t{}\t{}\t{}",
                            e.cemetery,
                            e.number,
                            e.until,
                            state,
                            e.holder.as_deref().unwrap_or("")
                        );
                    }
                    println!("{} 个墓位的使用期在 {until} 前届满", list.len());
                }
            }
        }
        CemeteryCommand::Plot {
            number,
            cemetery,
            status,
            holder,
            renew,
            receipt,
            date,
        } => {
            let number: PlotNumber = number.parse().map_err(anyhow::Error::msg)?;
            let (id, version) = {
                let state = registry.current();
                let id =
                    find_plot(&state, cemetery.as_deref(), &number).map_err(anyhow::Error::msg)?;
                (id, state.get(&id).map_or(0, |v| v.version))
            };
            let change = if renew {
                PlotChange::Renew { receipt }
            } else {
                let Some(status) = status else {
                    bail!("请给出 --status 或 --renew");
                };
                PlotChange::Status {
                    status: plot_status(&status)?,
                    holder,
                }
            };
            let cs = registry
                .change_plot(author, id, version, change, date.unwrap_or_else(today))
                .await?;
            println!("墓位 {number} 已更新（变更集 {}）", cs.0);
        }
        CemeteryCommand::Register(args) => register(&registry, author, *args).await?,
        CemeteryCommand::ImportBurials {
            file,
            dry_run,
            format,
        } => import_burials(&registry, author, &file, dry_run, format).await?,
        CemeteryCommand::Subsidy {
            burial,
            claimant,
            item,
            date,
        } => {
            let id: RecordId = burial
                .parse()
                .map_err(|_| anyhow::anyhow!("记录号“{burial}”无效"))?;
            let items: Vec<(String, f64)> = item
                .iter()
                .map(|i| {
                    let (name, amount) = i
                        .split_once('=')
                        .with_context(|| format!("补贴分项“{i}”应写作 名称=金额"))?;
                    let amount: f64 = amount
                        .trim()
                        .parse()
                        .with_context(|| format!("金额“{amount}”不是数"))?;
                    Ok((name.trim().to_string(), amount))
                })
                .collect::<Result<_>>()?;
            let (claim, total) = registry
                .claim_subsidy(author, id, &items, &claimant, date.unwrap_or_else(today))
                .await?;
            println!("核定补贴 {} 元（申领记录 {claim}）", yuan(total));
        }
        CemeteryCommand::Subsidies { format } => {
            let state = registry.current();
            let mut by_year: BTreeMap<i32, (usize, i64)> = BTreeMap::new();
            for (_, c) in state.versions::<SubsidyClaim>() {
                let year = match state.version::<Burial>(&c.burial) {
                    Some((_, b)) => chrono::Datelike::year(&b.deceased.died),
                    None => chrono::Datelike::year(&c.claimed_on),
                };
                let e = by_year.entry(year).or_default();
                e.0 += 1;
                e.1 += c.total_fen;
            }
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &by_year
                            .iter()
                            .map(|(y, (n, fen))| serde_json::json!({"year": y, "claims": n, "total_fen": fen}))
                            .collect::<Vec<_>>()
                    )?
                ),
                Format::Text => {
                    println!("年份\t人数\t金额（元）");
                    for (y, (n, fen)) in &by_year {
                        println!("{y}\t{n}\t{}", yuan(*fen));
                    }
                    let n: usize = by_year.values().map(|v| v.0).sum();
                    let fen: i64 = by_year.values().map(|v| v.1).sum();
                    println!("合计\t{n}\t{}", yuan(fen));
                }
            }
        }
        CemeteryCommand::Graves { zone, format } => {
            let zone = zone
                .as_deref()
                .map(str::parse::<ZoneKind>)
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let state = registry.current();
            let mut notices: BTreeMap<RecordId, (String, &'static str)> = BTreeMap::new();
            for (_, n) in state.versions::<Notice>() {
                let e = notices.entry(n.grave).or_insert((String::new(), ""));
                if n.number > e.0 {
                    *e = (n.number.clone(), n.status.label());
                }
            }
            let mut rows: Vec<serde_json::Value> = state
                .versions::<Grave>()
                .filter(|(_, g)| zone.is_none_or(|z| g.zones.contains(&z)))
                .map(|(v, g)| {
                    let moved = g
                        .moved_to
                        .and_then(|p| state.version::<Plot>(&p))
                        .map(|(_, p)| p.number.to_string());
                    let notice = notices.get(&v.id);
                    serde_json::json!({
                        "id": v.id, "number": g.number, "kind": g.kind.label(),
                        "zones": g.zones.iter().map(|z| z.label()).collect::<Vec<_>>(),
                        "treatment": g.treatment.map(|t| t.label()),
                        "owner": g.owner, "owner_phone": g.owner_phone,
                        "notice": notice.map(|n| &n.0), "notice_status": notice.map(|n| n.1),
                        "moved_to": moved,
                    })
                })
                .collect();
            rows.sort_by(|a, b| a["number"].as_str().cmp(&b["number"].as_str()));
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                Format::Text => {
                    for r in &rows {
                        let zones: Vec<&str> = r["zones"]
                            .as_array()
                            .map(|z| z.iter().filter_map(|z| z.as_str()).collect())
                            .unwrap_or_default();
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            r["number"].as_str().unwrap_or(""),
                            r["kind"].as_str().unwrap_or(""),
                            zones.join("、"),
                            r["treatment"].as_str().unwrap_or(""),
                            r["notice_status"].as_str().unwrap_or("未发告知书"),
                            r["moved_to"]
                                .as_str()
                                .map(|p| format!("已迁入 {p}"))
                                .unwrap_or_default()
                        );
                    }
                    println!("共 {} 座", rows.len());
                }
            }
        }
        CemeteryCommand::Retention {
            as_of,
            apply,
            format,
        } => {
            let run = registry
                .retention(as_of.unwrap_or_else(today), apply, author)
                .await?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&run)?),
                Format::Text => {
                    let mut by_what: BTreeMap<&str, usize> = BTreeMap::new();
                    for e in &run.expired {
                        *by_what.entry(e.expiry.what).or_default() += 1;
                    }
                    for (what, n) in &by_what {
                        println!("{what}\t{n} 条已过保存期");
                    }
                    match run.changeset {
                        Some(cs) => println!(
                            "已删除：变更集 {cs}，改写历史版本 {} 个",
                            run.versions_rewritten
                        ),
                        None if apply => println!(
                            "现行记录中没有已过保存期的个人信息；改写历史版本 {} 个",
                            run.versions_rewritten
                        ),
                        None if run.expired.is_empty() => {
                            println!("没有已过保存期的个人信息")
                        }
                        None => println!("共 {} 条；加 --apply 删除", run.expired.len()),
                    }
                }
            }
        }
        CemeteryCommand::Find { name } => {
            let found = diming::registry::cemetery::find_graves(&registry.current(), &name);
            for g in &found {
                println!("{}\t{}\t{}", g.title, g.cemetery, g.plot);
            }
            println!("找到 {} 处", found.len());
        }
    }
    Ok(())
}

pub(super) fn find_section(
    registry: &Registry,
    cemetery: Option<&str>,
    code: &str,
) -> Result<RecordId> {
    let state = registry.current();
    let cemetery_id = cemetery
        .map(|name| {
            state
                .layer(Cemetery::LAYER)
                .find(|v| v.of::<Cemetery>().is_some_and(|c| c.name == name))
                .map(|v| v.id)
                .with_context(|| format!("没有名为“{name}”的公墓"))
        })
        .transpose()?;
    let found: Vec<RecordId> = state
        .layer(Section::LAYER)
        .filter(|v| {
            v.of::<Section>()
                .is_some_and(|s| s.code == code && cemetery_id.is_none_or(|c| c == s.cemetery))
        })
        .map(|v| v.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => bail!("没有区号为“{code}”的墓区"),
        _ => bail!("多个公墓都有区号“{code}”：请用 --cemetery 指明"),
    }
}

pub(super) async fn register(registry: &Registry, author: &str, a: RegisterArgs) -> Result<()> {
    let sex: Sex = a.sex.parse().map_err(anyhow::Error::msg)?;
    let disposition: Disposition = a.disposition.parse().map_err(anyhow::Error::msg)?;
    let id_number = a
        .id_number
        .as_deref()
        .map(IdNumber::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let plot = match &a.plot {
        Some(n) => {
            let n: PlotNumber = n.parse().map_err(anyhow::Error::msg)?;
            Some(
                find_plot(&registry.current(), a.cemetery.as_deref(), &n)
                    .map_err(anyhow::Error::msg)?,
            )
        }
        None => None,
    };
    let site = a
        .site
        .as_deref()
        .map(parse_point)
        .transpose()?
        .map(Point::from);
    let burial = Burial {
        deceased: Deceased {
            name: a.name,
            sex,
            ethnicity: a.ethnicity,
            id_number,
            born: a.born,
            died: a.died,
            residence: a.residence,
            place_of_death: a.place_of_death,
        },
        disposition,
        cremation_certificate: a.certificate,
        plot,
        in_zone: false,
        exemption: a.exemption,
        relocated_from: None,
        registered_by: author.into(),
        registered_on: today(),
        documents: a.document,
        source: Source::Survey,
    };
    let (id, cs) = registry.register_burial(author, burial, site).await?;
    println!("已登记（记录 {id}，变更集 {}）", cs.0);
    Ok(())
}

pub(super) async fn import_burials(
    registry: &Registry,
    author: &str,
    file: &str,
    dry_run: bool,
    format: Format,
) -> Result<()> {
    let report = registry
        .import_ledger_file(author, std::path::Path::new(file), dry_run)
        .await
        .map_err(|e| anyhow::anyhow!("{file}：{e}"))?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => {
            for r in &report.refused {
                eprintln!("{file} 第 {} 行「{}」：{}", r.line, r.column, r.message);
            }
            match (&report.changeset, report.refused.is_empty()) {
                (Some(cs), _) => println!("已导入 {} 条殡葬登记（变更集 {}）", report.rows, cs.0),
                (None, true) => println!("检查通过：{} 条均可导入（未写入）", report.rows),
                (None, false) => {}
            }
        }
    }
    if !report.refused.is_empty() {
        bail!(
            "{} 行被拒绝，整个台账未导入（共 {} 行）",
            report
                .refused
                .iter()
                .map(|r| r.line)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            report.rows
        );
    }
    Ok(())
}
