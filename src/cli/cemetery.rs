//! The burial office's commands: cemeteries and plots, burial registration and ledger
//! import, subsidies; the cremation statistics and the reconciliation of reported figures;
//! relocation notices.

use super::{Format, open, parse_point};
use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use diming::cemetery::layout::{Grid, Start};
use diming::cemetery::personal::IdNumber;
use diming::cemetery::stats::{By, Reported, percent};
use diming::cemetery::{
    Burial, Deceased, Disposition, NoticeStatus, NoticeTerms, PlotKind, PlotNumber, PlotStatus,
    Sex, ZoneKind, yuan,
};
use diming::config::Config;
use diming::model::{Body, Layer};
use diming::record::{RecordId, Source};
use diming::registry::Registry;
use diming::registry::cemetery::{NoticeUpdate, PlotChange, find_plot};
use geo::{Contains, Geometry, Point};
use std::collections::BTreeMap;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[derive(Subcommand)]
pub(crate) enum CemeteryCommand {
    /// 公墓检查：墓位面积限额（按类型与启用日期，EPSG:4546 计算）、墓位在墓区内、不重叠、墓位号不重复、安葬人数不超过容量
    #[command(
        after_help = "示例：\n  diming cemetery check\n  diming cemetery check --format json"
    )]
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 按网格划分墓区：墓位尺寸、通道宽度、方向与编号起点；超出墓区或与已有墓位重叠的位置不划
    #[command(
        after_help = "示例：\n  diming cemetery fill C --kind body_single --width 1.8 --depth 2.2 --aisle 0.8 --row-aisle 1.2\n  diming cemetery fill A --cemetery 二连浩特市公益性公墓 --kind ashes_single --width 0.9 --depth 1.0 --angle 15 --start ne"
    )]
    Fill {
        /// 墓区区号
        section: String,
        #[arg(long)]
        cemetery: Option<String>,
        /// 墓位类型：ashes_single、ashes_double、body_single、body_double
        #[arg(long)]
        kind: String,
        /// 墓位宽（沿排方向，米）
        #[arg(long)]
        width: f64,
        /// 墓位深（米）
        #[arg(long)]
        depth: f64,
        /// 同排墓位之间的通道（米）
        #[arg(long, default_value_t = 0.6)]
        aisle: f64,
        /// 排与排之间的通道（米）
        #[arg(long, default_value_t = 1.0)]
        row_aisle: f64,
        /// 排的方向（度，自正东逆时针）
        #[arg(long, default_value_t = 0.0)]
        angle: f64,
        /// 编号起点：sw、se、nw、ne（第 1 排、第 1 号所在的角）
        #[arg(long, default_value = "sw")]
        start: String,
        /// 起始排号（续划时用）
        #[arg(long, default_value_t = 1)]
        first_row: u32,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 墓位一览（可按墓区、状态筛选）
    #[command(after_help = "示例：\n  diming cemetery plots --section C --status available")]
    Plots {
        #[arg(long)]
        section: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 使用期在 N 个月内届满（含已届满未续期）的墓位
    #[command(after_help = "示例：\n  diming cemetery expiring --months 12")]
    Expiring {
        #[arg(long, default_value_t = 6)]
        months: u32,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 改变墓位状态：预订、释放、期满；或续期 20 年
    #[command(
        after_help = "示例：\n  diming cemetery plot C-5-3 --status reserved --holder 王桂兰\n  diming cemetery plot E-1-2 --renew --receipt 续期收据2026-001"
    )]
    Plot {
        number: String,
        #[arg(long)]
        cemetery: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        holder: Option<String>,
        #[arg(long)]
        renew: bool,
        #[arg(long, default_value = "")]
        receipt: String,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 登记一位逝者及其遗体处理方式（有墓位时同时启用墓位）
    #[command(
        after_help = "示例：\n  diming cemetery register --name 巴特尔 --sex 男 --ethnicity 蒙古族 --id-number 152501195003150017 --born 1950-03-15 --died 2026-11-20 --residence 152501400001 --disposition 火化 --certificate HH2026-0101 --plot A-12-3\n  diming cemetery register … --disposition 土葬 --site 111.40,43.30 --exemption 蒙古族土葬习俗"
    )]
    Register(Box<RegisterArgs>),
    /// 导入殡葬登记台账（CSV 或 XLSX）：全部写入或全不写入，并列出被拒绝的行
    #[command(after_help = LEDGER_HELP)]
    ImportBurials {
        file: String,
        /// 只检查，不写入
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 申领惠民殡葬补贴（按死亡日期适用的规则核定，每位逝者一次）
    #[command(
        after_help = "示例：\n  diming cemetery subsidy <殡葬登记记录号> --claimant 王建国\n  diming cemetery subsidy <记录号> --item 遗体接运=400 --item 遗体火化=600 --claimant 王建国"
    )]
    Subsidy {
        burial: String,
        #[arg(long)]
        claimant: String,
        /// 分项=金额（元）；不填则按各项上限
        #[arg(long)]
        item: Vec<String>,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 历年殡葬补贴人数与金额
    #[command(after_help = "示例：\n  diming cemetery subsidies")]
    Subsidies {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 散埋坟墓台账：编号、类型、所在禁葬区域、处理方式、告知书进展、迁入墓位（坟主电话遮蔽）
    #[command(
        after_help = "示例：\n  diming cemetery graves\n  diming cemetery graves --zone village --format json"
    )]
    Graves {
        /// 只列位于此类区域内的坟墓（road_railway、village、water_source…）
        #[arg(long)]
        zone: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 公众查墓：按姓名查找安葬位置（只显示姓名与生卒年）
    #[command(after_help = "示例：\n  diming cemetery find 巴特尔")]
    Find { name: String },
    /// 个人信息保存期限：列出已过保存期的个人信息（逝者身份证号码、墓位使用人电话、坟主姓名及电话、补贴申领人电话）；加 --apply 则从现行记录及全部历史版本中删除
    #[command(
        after_help = "保存期限在配置文件的 [cemetery.retention] 中设定（年）：\n  deceased_id_years = 30     逝者身份证号码，自死亡之日起\n  plot_phone_years = 3       墓位使用人电话，自使用期届满起\n  grave_owner_years = 3      坟主姓名及电话，自迁入公墓起\n  claimant_phone_years = 5   补贴申领人电话，自补贴发放起\n\n示例：\n  diming cemetery retention\n  diming cemetery retention --apply --author 王芳"
    )]
    Retention {
        /// 按此日期判断（默认今天）
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// 删除（一个变更集，并改写这些记录的历史版本）；不加则只列出
        #[arg(long)]
        apply: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

const LEDGER_HELP: &str = "台账列（表头可用中文或英文；* 为必填）：
  姓名 name*、性别 sex*（男/女）、民族 ethnicity*、身份证号码 id_number（18 位，Excel 中须为文本）、
  出生日期 born、死亡日期 died*（YYYY-MM-DD）、户籍地区划代码 residence*（12 位）、死亡地点 place_of_death、
  处理方式 disposition*（火化/土葬/其他）、火化证明编号 cremation_certificate（火化时必填）、
  公墓 cemetery、墓位号 plot（区-排-号）、豁免理由 exemption（火葬区内土葬必填）、
  登记人 registered_by、登记日期 registered_on、安葬地点经度 lon、安葬地点纬度 lat（无墓位时必填）

示例：
  diming cemetery import-burials 殡葬台账2025.xlsx --dry-run
  diming cemetery import-burials 殡葬台账2025.csv";

#[derive(clap::Args)]
pub(crate) struct RegisterArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    sex: String,
    #[arg(long)]
    ethnicity: String,
    #[arg(long)]
    id_number: Option<String>,
    #[arg(long)]
    born: Option<chrono::NaiveDate>,
    #[arg(long)]
    died: chrono::NaiveDate,
    /// 户籍地区划代码（12 位）
    #[arg(long)]
    residence: String,
    #[arg(long, default_value = "")]
    place_of_death: String,
    /// 火化、土葬 或 其他
    #[arg(long)]
    disposition: String,
    #[arg(long)]
    certificate: Option<String>,
    #[arg(long)]
    cemetery: Option<String>,
    /// 墓位号（区-排-号）
    #[arg(long)]
    plot: Option<String>,
    /// 无墓位时遗体或骨灰的去向：经度,纬度
    #[arg(long)]
    site: Option<String>,
    #[arg(long)]
    exemption: Option<String>,
    #[arg(long)]
    document: Vec<String>,
}

#[derive(Subcommand)]
pub(crate) enum StatsCommand {
    /// 火化统计：死亡、火化、土葬、其他，火化率（火化数 ÷ 死亡数）、火葬区火化率，火化与土葬之比（并非火化率）
    #[command(
        after_help = "示例：\n  diming stats cremation --from 2016 --to 2020\n  diming stats cremation --by unit --format csv > 火化统计.csv"
    )]
    Cremation {
        #[arg(long)]
        from: Option<i16>,
        #[arg(long)]
        to: Option<i16>,
        #[arg(long, value_enum, default_value_t = ByArg::Year)]
        by: ByArg,
        #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
        format: StatsFormat,
    },
    /// 核对上报数字：说明每个百分比符合哪种口径（火化率、火葬区火化率、火化与土葬之比），或哪种都不符
    #[command(
        after_help = "示例：\n  diming stats reconcile --reported 2016-2020:51.8% --reported 2020:44.4%"
    )]
    Reconcile {
        #[arg(long, required = true)]
        reported: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ByArg {
    Year,
    Unit,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum StatsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
pub(crate) enum NoticesCommand {
    /// 批量发出迁坟告知书：每座坟墓一份 PDF，另附该范围的迁坟公告 PDF
    #[command(
        after_help = "示例：\n  diming notices relocation --zone road_railway --deadline 2027-03-31 --contact \"市民政局社会事务科，电话 0479-7512345\" -o 告知书/\n  diming notices relocation --area 整治范围.geojson --deadline 2027-03-31 --reason \"G208 国道拓宽\" -o 告知书/\n  diming notices relocation --graves SM-2020-071,SM-2020-072 --deadline 2027-03-31 -o 告知书/"
    )]
    Relocation(Box<RelocationArgs>),
    /// 迁坟告知书一览（可按批次、状态筛选）
    #[command(after_help = "示例：\n  diming notices list --status delivered")]
    List {
        #[arg(long)]
        batch: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 记录告知书进展：送达（签收人）、登记、补偿（金额）、逾期无主
    #[command(
        after_help = "示例：\n  diming notices step 迁告〔2020〕031号 --status delivered --signed-by 王建国\n  diming notices step 迁告〔2020〕001号 --status compensated --amount 2500"
    )]
    Step {
        notice: String,
        #[arg(long)]
        status: String,
        #[arg(long)]
        signed_by: Option<String>,
        /// 补偿金额（元）
        #[arg(long)]
        amount: Option<f64>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 迁入公墓：登记接收墓位与安葬记录，并把坟墓、告知书与墓位关联
    #[command(
        after_help = "示例：\n  diming notices relocate 迁告〔2020〕006号 --plot F-2-1 --name 王德明 --died 1998-11-02 --residence 152501200201 --exemption 迁坟安置"
    )]
    Relocate {
        notice: String,
        #[arg(long)]
        plot: String,
        #[arg(long)]
        cemetery: Option<String>,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "男")]
        sex: String,
        #[arg(long, default_value = "汉族")]
        ethnicity: String,
        #[arg(long)]
        died: chrono::NaiveDate,
        #[arg(long)]
        residence: String,
        #[arg(long, default_value = "迁坟安置：原土葬遗骸整体迁入公墓")]
        exemption: String,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
}

#[derive(clap::Args)]
pub(crate) struct RelocationArgs {
    /// 整治范围（GeoJSON 面）
    #[arg(long, group = "which")]
    area: Option<String>,
    /// 区域类型（road_railway、village、river_reservoir、water_source…）或区域名称
    #[arg(long, group = "which")]
    zone: Option<String>,
    /// 坟墓台账编号或记录号，逗号分隔
    #[arg(long, group = "which")]
    graves: Option<String>,
    #[arg(long)]
    deadline: chrono::NaiveDate,
    /// 登记开始（默认为告知日期后 3 天）
    #[arg(long)]
    registration_from: Option<chrono::NaiveDate>,
    /// 登记截止（默认为迁移期限前 6 天）
    #[arg(long)]
    registration_until: Option<chrono::NaiveDate>,
    /// 告知日期（默认今天）
    #[arg(long)]
    issued: Option<chrono::NaiveDate>,
    #[arg(long, default_value = "散埋乱葬集中整治")]
    reason: String,
    #[arg(
        long,
        default_value = "《殡葬管理条例》第十条、第二十条；《内蒙古自治区殡葬管理办法》"
    )]
    basis: String,
    /// 范围的文字说明（默认取区域名称）
    #[arg(long)]
    scope: Option<String>,
    /// 接收公墓名称（默认为唯一的公益性公墓）
    #[arg(long)]
    destination: Option<String>,
    #[arg(long, default_value_t = 2000.0)]
    compensation_single: f64,
    #[arg(long, default_value_t = 3500.0)]
    compensation_double: f64,
    #[arg(long, default_value_t = 500.0)]
    bonus: f64,
    #[arg(long, default_value = "坟主居民身份证、户口簿，与逝者关系证明")]
    documents: String,
    #[arg(long)]
    contact: String,
    /// 发布单位（默认为“本市民政局”）
    #[arg(long)]
    issuer: Option<String>,
    /// 批次名称
    #[arg(long)]
    batch: Option<String>,
    #[arg(short, long)]
    output: String,
}

fn plot_status(s: &str) -> Result<PlotStatus> {
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
                    for f in &findings {
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
                .layer(Layer::Plot)
                .filter_map(|v| match &v.body {
                    Body::Plot(p)
                        if section.as_ref().is_none_or(|s| *s == p.number.section)
                            && status.is_none_or(|s| s == p.status) =>
                    {
                        Some((
                            p.number.clone(),
                            serde_json::json!({
                                "id": v.id, "number": p.number, "kind": p.kind.label(),
                                "status": p.status.label(), "until": p.period.as_ref().map(|u| u.until),
                                "version": v.version,
                            }),
                        ))
                    }
                    _ => None,
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
            for v in state.layer(Layer::SubsidyClaim) {
                if let Body::SubsidyClaim(c) = &v.body {
                    let year = match state.get(&c.burial).map(|b| &b.body) {
                        Some(Body::Burial(b)) => chrono::Datelike::year(&b.deceased.died),
                        _ => chrono::Datelike::year(&c.claimed_on),
                    };
                    let e = by_year.entry(year).or_default();
                    e.0 += 1;
                    e.1 += c.total_fen;
                }
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
            for v in state.layer(Layer::Notice) {
                if let Body::Notice(n) = &v.body {
                    let e = notices.entry(n.grave).or_insert((String::new(), ""));
                    if n.number > e.0 {
                        *e = (n.number.clone(), n.status.label());
                    }
                }
            }
            let mut rows: Vec<serde_json::Value> = state
                .layer(Layer::Grave)
                .filter_map(|v| match &v.body {
                    Body::Grave(g) if zone.is_none_or(|z| g.zones.contains(&z)) => {
                        let moved = g
                            .moved_to
                            .and_then(|p| match state.get(&p).map(|p| &p.body) {
                                Some(Body::Plot(p)) => Some(p.number.to_string()),
                                _ => None,
                            });
                        let notice = notices.get(&v.id);
                        Some(serde_json::json!({
                            "id": v.id, "number": g.number, "kind": g.kind.label(),
                            "zones": g.zones.iter().map(|z| z.label()).collect::<Vec<_>>(),
                            "treatment": g.treatment.map(|t| t.label()),
                            "owner": g.owner, "owner_phone": g.owner_phone,
                            "notice": notice.map(|n| &n.0), "notice_status": notice.map(|n| n.1),
                            "moved_to": moved,
                        }))
                    }
                    _ => None,
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

fn find_section(registry: &Registry, cemetery: Option<&str>, code: &str) -> Result<RecordId> {
    let state = registry.current();
    let cemetery_id = cemetery
        .map(|name| {
            state
                .layer(Layer::Cemetery)
                .find(|v| matches!(&v.body, Body::Cemetery(c) if c.name == name))
                .map(|v| v.id)
                .with_context(|| format!("没有名为“{name}”的公墓"))
        })
        .transpose()?;
    let found: Vec<RecordId> = state
        .layer(Layer::CemeterySection)
        .filter(|v| {
            matches!(&v.body, Body::CemeterySection(s) if s.code == code
                && cemetery_id.is_none_or(|c| c == s.cemetery))
        })
        .map(|v| v.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => bail!("没有区号为“{code}”的墓区"),
        _ => bail!("多个公墓都有区号“{code}”：请用 --cemetery 指明"),
    }
}

async fn register(registry: &Registry, author: &str, a: RegisterArgs) -> Result<()> {
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

async fn import_burials(
    registry: &Registry,
    author: &str,
    file: &str,
    dry_run: bool,
    format: Format,
) -> Result<()> {
    use diming::cemetery::ledger::{Refusal, header_map, read_row};
    let rows = diming::io::ledger::read(std::path::Path::new(file)).map_err(anyhow::Error::msg)?;
    let headers: Vec<String> = rows
        .first()
        .map(|r| r.cells.keys().cloned().collect())
        .unwrap_or_default();
    let map = header_map(&headers).map_err(|unknown| {
        anyhow::anyhow!(
            "{file}：无法识别的列 {}（可用列见 diming cemetery import-burials --help）",
            unknown.join("、")
        )
    })?;
    let mut refused: Vec<Refusal> = Vec::new();
    let mut read = Vec::new();
    for row in &rows {
        let cells: std::collections::HashMap<&str, &str> = row
            .cells
            .iter()
            .filter_map(|(h, v)| map.get(h).map(|f| (*f, v.as_str())))
            .collect();
        match read_row(row.line, &cells, author) {
            Ok(b) => read.push(b),
            Err(r) => refused.extend(r),
        }
    }
    // Rows that read well are still checked against the registry (plots, capacity, the
    // cremation zone) so that one run reports every refusal; nothing is written if any.
    let mut report = registry
        .import_burials(author, read, dry_run || !refused.is_empty())
        .await?;
    report.rows = rows.len();
    report.refused.extend(refused);
    report.refused.sort_by_key(|r| r.line);
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

pub(crate) async fn stats(db: &str, config: &Config, command: StatsCommand) -> Result<()> {
    let registry = open(db, config).await?;
    match command {
        StatsCommand::Cremation {
            from,
            to,
            by,
            format,
        } => {
            let deaths = registry.deaths();
            let (min, max) = deaths.years().unwrap_or((2016, 2016));
            let (from, to) = (from.unwrap_or(min), to.unwrap_or(max));
            if from > to {
                bail!("起始年份 {from} 晚于截止年份 {to}");
            }
            let by = match by {
                ByArg::Year => By::Year,
                ByArg::Unit => By::Unit,
            };
            let table = deaths.table(from, to, by);
            print!(
                "{}",
                diming::publish::cemetery::stats_text(&table, from, to, format_of(format))
                    .map_err(anyhow::Error::msg)?
            );
        }
        StatsCommand::Reconcile { reported, format } => {
            let deaths = registry.deaths();
            let mut out = Vec::new();
            for r in &reported {
                let r: Reported = r.parse().map_err(anyhow::Error::msg)?;
                out.push(deaths.reconcile(&r));
            }
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&out)?),
                Format::Text => {
                    for r in &out {
                        println!("上报“{}”：", r.reported);
                        println!(
                            "  死亡 {}，火化 {}，土葬 {}，其他 {}",
                            r.counts.deaths, r.counts.cremations, r.counts.burials, r.counts.other
                        );
                        println!("  火化率（火化 ÷ 死亡）：{}", percent(r.rate));
                        println!("  火葬区火化率：{}", percent(r.zone_rate));
                        println!(
                            "  火化与土葬之比（火化 ÷ 土葬，并非火化率）：{}",
                            percent(r.ratio)
                        );
                        if r.matches.is_empty() {
                            println!("  结论：与任何口径都不符");
                        } else {
                            let m: Vec<&str> = r.matches.iter().map(|d| d.label()).collect();
                            println!("  结论：符合 {}", m.join("、"));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn format_of(f: StatsFormat) -> diming::publish::cemetery::StatsFormat {
    match f {
        StatsFormat::Table => diming::publish::cemetery::StatsFormat::Table,
        StatsFormat::Csv => diming::publish::cemetery::StatsFormat::Csv,
        StatsFormat::Json => diming::publish::cemetery::StatsFormat::Json,
    }
}

fn find_notice(registry: &Registry, key: &str) -> Result<(RecordId, u32)> {
    let state = registry.current();
    state
        .layer(Layer::Notice)
        .find(|v| v.id.to_string() == key || matches!(&v.body, Body::Notice(n) if n.number == key))
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
                .layer(Layer::Notice)
                .filter_map(|v| match &v.body {
                    Body::Notice(n)
                        if batch.as_ref().is_none_or(|b| *b == n.batch)
                            && status.is_none_or(|s| s == n.status) =>
                    {
                        let grave = match state.get(&n.grave).map(|g| &g.body) {
                            Some(Body::Grave(g)) => g.number.clone(),
                            _ => String::new(),
                        };
                        let plot = n.plot.and_then(|p| match state.get(&p).map(|p| &p.body) {
                            Some(Body::Plot(p)) => Some(p.number.to_string()),
                            _ => None,
                        });
                        Some(serde_json::json!({
                            "id": v.id, "number": n.number, "grave": grave, "status": n.status.label(),
                            "deadline": n.terms.deadline, "plot": plot, "version": v.version,
                        }))
                    }
                    _ => None,
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
            let burial = Burial {
                deceased: Deceased {
                    name,
                    sex: sex.parse().map_err(anyhow::Error::msg)?,
                    ethnicity,
                    id_number: None,
                    born: None,
                    died,
                    residence,
                    place_of_death: String::new(),
                },
                disposition: Disposition::Burial,
                cremation_certificate: None,
                plot: Some(plot_id),
                in_zone: false,
                exemption: Some(exemption),
                relocated_from: None,
                registered_by: author.into(),
                registered_on: on,
                documents: vec![notice.clone()],
                source: Source::Survey,
            };
            let burial_id = registry
                .relocate_grave(author, id, plot_id, burial, on)
                .await?;
            println!("已迁入墓位 {number}（安葬记录 {burial_id}）");
        }
    }
    Ok(())
}

async fn relocation(
    registry: &Registry,
    config: &Config,
    author: &str,
    a: RelocationArgs,
) -> Result<()> {
    let issued = a.issued.unwrap_or_else(today);
    // The graves, and the area drawn on the public notice.
    let (graves, area, scope_name): (Vec<RecordId>, Option<Geometry<f64>>, String) = {
        let state = registry.current();
        let in_area = |g: &Geometry<f64>| -> Vec<RecordId> {
            state
                .layer(Layer::Grave)
                .filter(|v| !matches!(&v.body, Body::Grave(g) if g.moved_to.is_some()))
                .filter(|v| match (&v.geometry, g) {
                    (Geometry::Point(p), Geometry::MultiPolygon(m)) => m.contains(p),
                    (Geometry::Point(p), Geometry::Polygon(m)) => m.contains(p),
                    _ => false,
                })
                .map(|v| v.id)
                .collect()
        };
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
            (in_area(&g), Some(g), format!("{path} 所示范围"))
        } else if let Some(zone) = &a.zone {
            let kind = zone.parse::<ZoneKind>().ok();
            let zones: Vec<_> = state
                .layer(Layer::Zone)
                .filter(
                    |v| matches!(&v.body, Body::Zone(z) if Some(z.kind) == kind || z.name == *zone),
                )
                .collect();
            if zones.is_empty() {
                bail!("没有区域“{zone}”：应为区域类型（如 road_railway）或区域名称");
            }
            let names: Vec<String> = zones
                .iter()
                .filter_map(|v| match &v.body {
                    Body::Zone(z) => Some(z.name.clone()),
                    _ => None,
                })
                .collect();
            let polygons: Vec<geo::Polygon<f64>> = zones
                .iter()
                .flat_map(|v| match &v.geometry {
                    Geometry::MultiPolygon(m) => m.0.clone(),
                    _ => vec![],
                })
                .collect();
            let g = Geometry::MultiPolygon(geo::MultiPolygon(polygons));
            (in_area(&g), Some(g), names.join("、"))
        } else if let Some(list) = &a.graves {
            let mut ids = Vec::new();
            for key in list
                .split([',', '，'])
                .map(str::trim)
                .filter(|k| !k.is_empty())
            {
                let v = state
                    .layer(Layer::Grave)
                    .find(|v| {
                        v.id.to_string() == key
                            || matches!(&v.body, Body::Grave(g) if g.number == key)
                    })
                    .with_context(|| format!("没有坟墓“{key}”"))?;
                ids.push(v.id);
            }
            (ids, None, "所列坟墓".into())
        } else {
            bail!("请用 --area、--zone 或 --graves 指明范围");
        }
    };
    if graves.is_empty() {
        bail!("范围内没有登记的散埋坟墓");
    }
    let destination = {
        let state = registry.current();
        let found: Vec<(RecordId, String)> = state
            .layer(Layer::Cemetery)
            .filter_map(|v| match &v.body {
                Body::Cemetery(c)
                    if a.destination
                        .as_ref()
                        .map_or(c.kind == diming::cemetery::CemeteryKind::Public, |d| {
                            *d == c.name
                        }) =>
                {
                    Some((v.id, c.name.clone()))
                }
                _ => None,
            })
            .collect();
        match found.as_slice() {
            [one] => one.clone(),
            [] => bail!("找不到接收公墓：请用 --destination 给出公墓名称"),
            _ => bail!("有多个公益性公墓：请用 --destination 指明"),
        }
    };
    let fen = |y: f64| (y * 100.0).round() as i64;
    let terms = NoticeTerms {
        basis: a.basis,
        reason: a.reason,
        scope: a.scope.unwrap_or_else(|| scope_name.clone()),
        registration_from: a
            .registration_from
            .unwrap_or(issued + chrono::Duration::days(3)),
        registration_until: a
            .registration_until
            .unwrap_or(a.deadline - chrono::Duration::days(6)),
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
    let files = registry.notice_pdfs(&ids, area.as_ref(), &batch, &fonts)?;
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
