//! Street signs: the conformance check, artwork for the sign maker, inspections, work orders
//! and the state of the register.

use super::{AuditFormat, Format, open};
use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use diming::config::Config;
use diming::model::Layer;
use diming::record::RecordId;
use diming::registry::Registry;
use diming::registry::signs::{OrderChange, summary};
use diming::signs::Sign;
use diming::signs::WorkOrder;
use diming::signs::{Condition, Inspection, WorkKind, WorkStatus, yuan};

#[derive(Subcommand)]
pub(crate) enum SignsCommand {
    /// 核查每块标志所示文字与版式是否符合核准名称与 GB 17733
    #[command(
        after_help = "示例：\n  diming signs check\n  diming signs check --unit 152501001 --format csv > 核查.csv\n  diming signs check --format html > 标志核查表.html"
    )]
    Check {
        /// 只核查此区划（代码）内的标志
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
        format: AuditFormat,
    },
    /// 按登记内容绘制标志版面（SVG、PDF 或 PNG，按扩展名）
    #[command(
        after_help = "示例：\n  diming signs artwork DX-010 -o DX-010.svg\n  diming signs artwork LB-001 -o LB-001.pdf\n  diming signs artwork DX-010 -o DX-010.png --width-px 2400"
    )]
    Artwork {
        /// 标志编号或记录号
        sign: String,
        #[arg(short, long)]
        output: String,
        /// PNG 的宽度（像素）
        #[arg(long, default_value_t = 1600)]
        width_px: u32,
    },
    /// 登记一次巡查：状况、照片、说明（状况不佳时自动开具工单）
    #[command(
        after_help = "示例：\n  diming signs inspect DX-012 --condition dirty --photo 现场.jpg --notes 面板积尘"
    )]
    Inspect {
        sign: String,
        #[arg(long, value_enum)]
        condition: ConditionArg,
        #[arg(long)]
        photo: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
        /// 巡查日期（默认今天）
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 维修工单：列出、开具、依据核查结果批量开具、派工、完工
    Orders {
        #[command(subcommand)]
        command: OrdersCommand,
    },
    /// 标志情况统计：按状况、种类、单位；灯箱式街路牌；未完工单与费用
    #[command(
        after_help = "示例：\n  diming signs report\n  diming signs report --format json\n  diming signs report --geojson 标志状况.geojson"
    )]
    Report {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// 另存为按状况着色的 GeoJSON 图层
        #[arg(long)]
        geojson: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum OrdersCommand {
    /// 列出工单（默认只列未完成的）
    #[command(after_help = "示例：\n  diming signs orders list\n  diming signs orders list --all")]
    List {
        #[arg(long)]
        all: bool,
    },
    /// 为一块标志开具工单
    #[command(
        after_help = "示例：\n  diming signs orders open DX-012 --kind clean --reason 面板污损 --cost 150"
    )]
    Open {
        sign: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        #[arg(long)]
        reason: String,
        /// 预算费用（元）
        #[arg(long)]
        cost: Option<f64>,
    },
    /// 依据标志核查结果，为尚无相应工单的问题标志开具工单
    #[command(after_help = "示例：\n  diming signs orders from-findings --unit 152501001")]
    FromFindings {
        #[arg(long)]
        unit: Option<String>,
    },
    /// 修改工单：派工、定价、上传完工照片、改变状态
    #[command(
        after_help = "示例：\n  diming signs orders set ID --status assigned --assignee 市标识制作厂 --cost 4500\n  diming signs orders set ID --status done --photo 完工.jpg"
    )]
    Set {
        id: String,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long)]
        assignee: Option<String>,
        #[arg(long)]
        cost: Option<f64>,
        #[arg(long)]
        photo: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ConditionArg {
    Good,
    Damaged,
    Dirty,
    Faded,
    Missing,
}

impl From<ConditionArg> for Condition {
    fn from(c: ConditionArg) -> Condition {
        match c {
            ConditionArg::Good => Condition::Good,
            ConditionArg::Damaged => Condition::Damaged,
            ConditionArg::Dirty => Condition::Dirty,
            ConditionArg::Faded => Condition::Faded,
            ConditionArg::Missing => Condition::Missing,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    Repair,
    Clean,
    Replace,
    Install,
}

impl From<KindArg> for WorkKind {
    fn from(k: KindArg) -> WorkKind {
        match k {
            KindArg::Repair => WorkKind::Repair,
            KindArg::Clean => WorkKind::Clean,
            KindArg::Replace => WorkKind::Replace,
            KindArg::Install => WorkKind::Install,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum StatusArg {
    Open,
    Assigned,
    Done,
    Cancelled,
}

impl From<StatusArg> for WorkStatus {
    fn from(s: StatusArg) -> WorkStatus {
        match s {
            StatusArg::Open => WorkStatus::Open,
            StatusArg::Assigned => WorkStatus::Assigned,
            StatusArg::Done => WorkStatus::Done,
            StatusArg::Cancelled => WorkStatus::Cancelled,
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Yuan as typed (150, 1234.5) to fen.
fn fen(yuan: f64) -> Result<i64> {
    if !yuan.is_finite() || yuan < 0.0 {
        bail!("费用“{yuan}”无效：应为不小于 0 的元数");
    }
    Ok((yuan * 100.0).round() as i64)
}

/// A sign by its code (DX-001) or record id, with its current version.
fn find_sign(registry: &Registry, key: &str) -> Result<(RecordId, u32)> {
    diming::registry::signs::find(&registry.current(), key)
        .map(|(v, _)| (v.id, v.version))
        .with_context(|| format!("没有编号或记录号为“{key}”的现行标志"))
}

pub(crate) async fn run(
    db: &str,
    config: &Config,
    author: &str,
    command: SignsCommand,
) -> Result<()> {
    let registry = open(db, config).await?;
    match command {
        SignsCommand::Check { unit, format } => {
            let reports = registry.check_signs(unit.as_deref());
            match format {
                AuditFormat::Json => println!("{}", serde_json::to_string_pretty(&reports)?),
                AuditFormat::Csv => print!("{}", diming::publish::signs::csv(&reports)?),
                AuditFormat::Html => {
                    let s = summary(&registry.current(), &reports);
                    let html = diming::publish::signs::html(
                        &reports,
                        &s,
                        &config.jurisdiction.name,
                        today(),
                    )?;
                    println!("{html}");
                }
                AuditFormat::Text => {
                    let with: Vec<_> = reports.iter().filter(|r| !r.findings.is_empty()).collect();
                    for r in &with {
                        for f in &r.findings {
                            println!(
                                "{}\t{}\t{}\t{}：现为“{}”，应为“{}”",
                                r.code,
                                r.kind_label,
                                f.rule.id(),
                                f.message,
                                f.shown,
                                f.expected
                            );
                        }
                    }
                    println!(
                        "共核查标志 {} 块，{} 块存在问题，问题 {} 项。",
                        reports.len(),
                        with.len(),
                        with.iter().map(|r| r.findings.len()).sum::<usize>()
                    );
                }
            }
        }
        SignsCommand::Artwork {
            sign,
            output,
            width_px,
        } => {
            let (id, _) = find_sign(&registry, &sign)?;
            let Some(s) = registry
                .current()
                .version::<Sign>(&id)
                .map(|(_, s)| s.clone())
            else {
                bail!("没有现行标志 {sign}");
            };
            let face = diming::signs::artwork::face(&s);
            let lower = output.to_lowercase();
            let bytes = if lower.ends_with(".svg") {
                diming::publish::signs::svg(&face).into_bytes()
            } else if lower.ends_with(".pdf") {
                diming::publish::signs::pdf(&face)?
            } else if lower.ends_with(".png") {
                diming::publish::signs::png(&face, width_px)?
            } else {
                bail!("输出文件“{output}”的扩展名应为 .svg、.pdf 或 .png");
            };
            std::fs::write(&output, bytes).with_context(|| format!("写入 {output}"))?;
            println!(
                "已绘制 {} {}（{} × {} 毫米）→ {output}",
                s.code,
                s.kind.label(),
                s.width_mm,
                s.height_mm
            );
        }
        SignsCommand::Inspect {
            sign,
            condition,
            photo,
            notes,
            date,
        } => {
            let (id, version) = find_sign(&registry, &sign)?;
            let mut photos = Vec::new();
            for p in &photo {
                photos.push(super::store_photo(&registry, p, author).await?);
            }
            let condition: Condition = condition.into();
            let cs = registry
                .inspect_sign(
                    author,
                    id,
                    version,
                    Inspection {
                        sign: id,
                        date: date.unwrap_or_else(today),
                        inspector: author.to_string(),
                        condition,
                        notes,
                        photos,
                        source: diming::record::Source::Survey,
                    },
                )
                .await?;
            println!("已登记巡查：{sign} {}（变更集 {cs}）", condition.label());
        }
        SignsCommand::Orders { command } => orders(&registry, author, command).await?,
        SignsCommand::Report { format, geojson } => {
            let reports = registry.check_signs(None);
            let s = summary(&registry.current(), &reports);
            if let Some(path) = geojson {
                let features: Vec<_> = reports
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "type": "Feature",
                            "id": r.id.to_string(),
                            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                            "properties": {
                                "code": r.code, "kind": r.kind_label,
                                "condition": r.condition.label(),
                                "colour": r.condition.colour(),
                                "findings": r.findings.len(),
                            }
                        })
                    })
                    .collect();
                let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
                std::fs::write(&path, serde_json::to_string(&doc)?)
                    .with_context(|| format!("写入 {path}"))?;
            }
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&s)?),
                Format::Text => {
                    println!("地名标志 {} 块", s.signs);
                    println!("按状况：");
                    for (k, n) in &s.by_condition {
                        println!("  {k}\t{n}");
                    }
                    println!("按种类：");
                    for (k, n) in &s.by_kind {
                        println!("  {k}\t{n}");
                    }
                    println!("按单位（块数 / 状况不佳）：");
                    for (k, (n, bad)) in &s.by_unit {
                        println!("  {k}\t{n}\t{bad}");
                    }
                    println!(
                        "灯箱式街路牌：{} 块，完好 {} 块，存在问题 {} 块",
                        s.lightbox.0, s.lightbox.1, s.lightbox.2
                    );
                    println!(
                        "未完成工单 {} 张，预算 {} 元；已完成 {} 张，{} 元",
                        s.open_orders,
                        yuan(s.open_cost_fen),
                        s.done_orders,
                        yuan(s.done_cost_fen)
                    );
                }
            }
        }
    }
    Ok(())
}

async fn orders(registry: &Registry, author: &str, command: OrdersCommand) -> Result<()> {
    match command {
        OrdersCommand::List { all } => {
            let state = registry.current();
            let mut rows: Vec<_> = state
                .versions::<WorkOrder>()
                .filter(|(_, o)| all || o.status.is_open())
                .map(|(v, o)| {
                    let code = match state.version::<Sign>(&o.sign) {
                        Some((_, s)) => s.code.clone(),
                        None => o.sign.to_string(),
                    };
                    (code, v.id, v.version, o.clone())
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            for (code, id, version, o) in &rows {
                println!(
                    "{id}\t第{version}版\t{code}\t{}\t{}\t{}\t{}\t{}",
                    o.kind.label(),
                    o.status.label(),
                    o.assignee.as_deref().unwrap_or("-"),
                    o.cost_fen.map(yuan).unwrap_or_else(|| "-".into()),
                    o.reason
                );
            }
            println!("共 {} 张工单", rows.len());
        }
        OrdersCommand::Open {
            sign,
            kind,
            reason,
            cost,
        } => {
            let (id, _) = find_sign(registry, &sign)?;
            let cost = cost.map(fen).transpose()?;
            let (order, _) = registry
                .open_work_order(author, id, kind.into(), &reason, cost, today())
                .await?;
            println!("已开具工单 {order}");
        }
        OrdersCommand::FromFindings { unit } => {
            let n = registry
                .orders_from_findings(author, unit.as_deref(), today())
                .await?;
            println!("已开具工单 {n} 张");
        }
        OrdersCommand::Set {
            id,
            status,
            assignee,
            cost,
            photo,
        } => {
            let rid: RecordId = id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let version = registry
                .current()
                .get(&rid)
                .filter(|v| v.layer() == Layer::WorkOrder)
                .map(|v| v.version)
                .with_context(|| format!("没有现行工单 {id}"))?;
            let done_photo = match photo {
                Some(p) => Some(super::store_photo(registry, &p, author).await?),
                None => None,
            };
            let change = OrderChange {
                status: status.map(Into::into),
                assignee,
                cost_fen: cost.map(fen).transpose()?,
                done_photo,
            };
            registry
                .change_work_order(author, rid, version, change, today())
                .await?;
            println!("已修改工单 {id}");
        }
    }
    Ok(())
}
