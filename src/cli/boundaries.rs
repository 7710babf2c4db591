//! Administrative boundaries: the coverage and edge check, on the registry or on a file.

use super::open;
use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use diming::boundaries::UnitLevel;
use diming::boundaries::check::{EdgeTolerance, Report, check_polygons, check_registry};
use diming::boundaries::marker::Marker;
use diming::boundaries::marker::MarkerState;
use diming::config::Config;
use diming::io::{self, ReadOptions};
use diming::model::{Body, Layer};
use diming::publish::markers::Entry;

#[derive(Subcommand)]
pub(crate) enum BoundariesCommand {
    /// 检查区域覆盖与接边：空隙、重叠、狭长碎片、超出上级、空洞、未接边
    #[command(
        after_help = "示例：\n  diming boundaries check\n  diming boundaries check --level community --format geojson > 问题.geojson\n  diming boundaries check --input xilingol_neighbours_cgcs2000.geojson --label name"
    )]
    Check {
        /// 只检查此级别的下级区域：township、township_like、community、village
        #[arg(long)]
        level: Option<String>,
        /// 不查登记簿，检查文件中的多边形（GeoJSON、Shapefile 的 zip、GeoPackage、KML……）
        #[arg(long)]
        input: Option<String>,
        /// 文件中作为区域名称的字段
        #[arg(long, default_value = "name")]
        label: String,
        /// 文件的坐标系（文件未注明时），如 EPSG:4546
        #[arg(long)]
        crs: Option<String>,
        /// 视为共用边线的距离（米）
        #[arg(long, default_value_t = EdgeTolerance::default().near_m)]
        near_m: f64,
        /// 视为同一顶点的距离（米）
        #[arg(long, default_value_t = EdgeTolerance::default().same_m)]
        same_m: f64,
        #[arg(long, value_enum, default_value_t = Output::Text)]
        format: Output,
    },

    /// 边界争议：受理、推进、裁决（争议期间区域内的修改被冻结）
    Dispute {
        #[command(subcommand)]
        command: DisputeCommand,
    },
    /// 界线：由区域公共边生成或更新（一个变更集），列出
    #[command(after_help = "示例：\n  diming boundaries lines --derive\n  diming boundaries lines")]
    Lines {
        /// 由区域公共边生成或更新界线
        #[arg(long)]
        derive: bool,
    },
    /// 登记一次界线联合检查（逐桩、逐段的检查结果），并更新该界线的检查日期
    #[command(
        after_help = "示例：\n  diming boundaries inspect-line 152501200 152501400 --date 2026-05-20 --inspector 巴特尔 --inspector 张伟 --finding JZ-003=完好 --finding \"JZ-003至JZ-004=界线清楚\""
    )]
    InspectLine {
        /// 界线一侧单位的区划代码
        a: String,
        /// 另一侧单位的区划代码
        b: String,
        /// 检查日期
        #[arg(long)]
        date: chrono::NaiveDate,
        /// 参加检查的人员（双方各至少一人），可重复
        #[arg(long, required = true)]
        inspector: Vec<String>,
        /// 位置=结果（界桩编号或“界桩至界桩”的一段），可重复
        #[arg(long)]
        finding: Vec<String>,
        /// 同时生成检查报告（PDF）
        #[arg(long)]
        report: Option<String>,
        /// 现场照片（JPEG、PNG、WebP），可重复
        #[arg(long)]
        photo: Vec<String>,
    },
    /// 登记平安边界协议
    #[command(
        after_help = "示例：\n  diming boundaries agreement --title 城区与苏木平安边界协议 --party 152501200 --party 152501400 --signed 2021-06-01 --renewal 2026-06-01 --summary 共同维护界桩，争议协商解决"
    )]
    Agreement {
        /// 协议名称
        #[arg(long)]
        title: String,
        /// 签约单位的区划代码，可重复（至少两方）
        #[arg(long, required = true)]
        party: Vec<String>,
        /// 签订日期
        #[arg(long)]
        signed: chrono::NaiveDate,
        /// 续签日期
        #[arg(long)]
        renewal: chrono::NaiveDate,
        /// 内容摘要
        #[arg(long)]
        summary: String,
    },
    /// 到期事项：界线联合检查（默认 5 年一次）与平安边界协议续签
    #[command(
        after_help = "示例：\n  diming boundaries due\n  diming boundaries due --within-days 180"
    )]
    Due {
        /// 以此日为今天（默认今天）
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
        #[arg(long, default_value_t = 90)]
        within_days: u64,
    },
    /// 修复建议：空隙并入相邻单位、重叠归一方；须附批准文件才能接受，从不自动修改
    #[command(
        after_help = "示例：\n  diming boundaries repair\n  diming boundaries repair --accept 1 --issuer 二连浩特市人民政府 --number 二政字〔2026〕40号 --date 2026-12-01"
    )]
    Repair {
        /// 接受第几条建议
        #[arg(long, requires_all = ["issuer", "number", "date"])]
        accept: Option<usize>,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 列出界桩：编号、类型、分隔单位、经纬度与高斯–克吕格坐标（含带号），最近一次观测
    #[command(
        after_help = "示例：\n  diming boundaries markers\n  diming boundaries markers --format json"
    )]
    Markers {
        #[arg(long, value_enum, default_value_t = super::Format::Text)]
        format: super::Format,
    },
    /// 登记一次界桩实地观测；偏离登记位置超过容差、损坏或丢失即告警（界桩位置不因观测而改变）
    #[command(
        after_help = "示例：\n  diming boundaries observe JZ-004 --at 111.93502,43.66 --state intact\n  diming boundaries observe JZ-006 --state missing --notes 仅见基座"
    )]
    Observe {
        number: String,
        /// 观测位置：经度,纬度（CGCS2000）；丢失时可不填
        #[arg(long)]
        at: Option<String>,
        #[arg(long, value_enum, default_value_t = StateArg::Intact)]
        state: StateArg,
        #[arg(long, default_value = "")]
        notes: String,
        /// 现场照片（JPEG、PNG、WebP），可重复
        #[arg(long)]
        photo: Vec<String>,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 登记平安边界协议的联席会议
    #[command(
        after_help = "示例：\n  diming boundaries agreement-meeting ID --date 2026-06-10 --place 二连浩特市民政局 --summary 通报界桩维护情况，商定续签"
    )]
    AgreementMeeting {
        id: String,
        #[arg(long)]
        date: chrono::NaiveDate,
        #[arg(long)]
        place: String,
        #[arg(long)]
        summary: String,
    },
    /// 界桩登记表（每桩一页）或界桩成果表（--table），PDF
    #[command(
        after_help = "示例：\n  diming boundaries marker-form JZ-001 -o JZ-001登记表.pdf\n  diming boundaries marker-form --all --table -o 界桩成果表.pdf"
    )]
    MarkerForm {
        numbers: Vec<String>,
        #[arg(long)]
        all: bool,
        /// 成果表（所有所选界桩一张表）
        #[arg(long)]
        table: bool,
        #[arg(short, long)]
        output: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum DisputeCommand {
    /// 受理争议：各当事单位及其主张范围（GeoJSON 面），证据
    #[command(
        after_help = "示例：\n  diming boundaries dispute file --title 苏吉嘎查与城区北界争议 --party 152501200=嘎查主张.geojson --party 152501400=城区主张.geojson --evidence 152501200:map:1985年边界图"
    )]
    File {
        #[arg(long)]
        title: String,
        /// 单位代码=主张文件（GeoJSON：主张范围为面；两方争议也可各给一条主张界线），至少两个
        #[arg(long, required = true)]
        party: Vec<String>,
        /// 单位代码:种类:名称；种类为 division_approval、agreement、map、history、other
        #[arg(long)]
        evidence: Vec<String>,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// 列出争议：状态、面积（平方米、亩、平方千米）与区域内的门牌、地名、街路巷、界桩
    #[command(after_help = "示例：\n  diming boundaries dispute list")]
    List,
    /// 推进一步：consultation（协商）、submitted（报请上级，须附文件）、mediation（调解，须附文件）、withdrawn（撤回）
    #[command(
        after_help = "示例：\n  diming boundaries dispute step ID --to submitted --date 2026-05-01 --issuer 二连浩特市人民政府 --number 二政函〔2026〕8号 --doc-date 2026-04-28"
    )]
    Step {
        id: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        date: chrono::NaiveDate,
        #[arg(long, requires_all = ["number", "doc_date"])]
        issuer: Option<String>,
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        doc_date: Option<chrono::NaiveDate>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 争议区域图（调解会用）：各方主张、争议区域、界桩、比例尺；SVG、PNG 或 PDF（按扩展名）
    #[command(after_help = "示例：\n  diming boundaries dispute map ID -o 争议区域图.pdf")]
    Map {
        id: String,
        /// 版式：A4 至 A0，-landscape（横）或 -portrait（竖）
        #[arg(long, default_value = "A4-landscape")]
        layout: String,
        #[arg(short, long)]
        output: String,
    },
    /// 裁决：按裁决文书给出当事单位的新范围，一个变更集内更新单位并结案
    #[command(
        after_help = "示例：\n  diming boundaries dispute decide ID --unit 152501200=新范围.geojson --unit 152501400=新范围2.geojson --issuer 锡林郭勒盟行政公署 --number 锡署发〔2026〕30号 --date 2026-09-01"
    )]
    Decide {
        id: String,
        #[arg(long, required = true)]
        unit: Vec<String>,
        #[command(flatten)]
        document: super::DocumentArgs,
    },
}

/// Reads a party's claim: its area (polygons), or the one line it holds to be the boundary.
fn read_claim(path: &str) -> Result<geo::Geometry<f64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("读取 {path}"))?;
    let features =
        diming::spatial::geojson::features(&text).map_err(|e| anyhow::anyhow!("{path}：{e}"))?;
    if let [(_, g @ geo::Geometry::LineString(_))] = features.as_slice() {
        return Ok(g.clone());
    }
    read_area(path)
}

/// Reads the one area of a GeoJSON file (a geometry, a feature or a collection of features).
fn read_area(path: &str) -> Result<geo::Geometry<f64>> {
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

fn split_pair(s: &str) -> Result<(String, String)> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .with_context(|| format!("“{s}”应写作 单位代码=文件"))
}

async fn dispute(
    registry: &diming::registry::Registry,
    author: &str,
    command: DisputeCommand,
) -> Result<()> {
    use diming::boundaries::dispute::{DisputeStatus, Evidence, EvidenceKind, Party, mu};
    let names: std::collections::BTreeMap<String, String> = registry
        .current()
        .layer(Layer::AdminUnit)
        .filter_map(|v| match &v.body {
            Body::AdminUnit(u) => Some((u.code.short(), u.name.clone())),
            _ => None,
        })
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
            for v in state.layer(Layer::Dispute) {
                let Body::Dispute(d) = &v.body else { continue };
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
            let (plan, data) =
                registry.dispute_map(rid, layout, chrono::Local::now().date_naive())?;
            let style = diming::publish::map::Style::named("dispute-map");
            super::render::write_map(&plan, style, &data, None, 300.0, &output)?;
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
        .layer(Layer::AdminUnit)
        .filter_map(|v| match &v.body {
            Body::AdminUnit(u) => Some((u.code.short(), u.name.clone())),
            _ => None,
        })
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
            for v in state.layer(Layer::BoundaryLine) {
                let Body::BoundaryLine(l) = &v.body else {
                    continue;
                };
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
                    let Some(Body::LineInspection(i)) = state.get(&id).map(|v| v.body.clone())
                    else {
                        bail!("检查记录 {id} 未找到");
                    };
                    let Some(Body::BoundaryLine(l)) = state.get(&i.line).map(|v| v.body.clone())
                    else {
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
            if renewal <= signed {
                bail!("续签日期应晚于签订日期");
            }
            let names: Vec<String> = {
                let state = registry.current();
                party
                    .iter()
                    .map(|code| {
                        state
                            .layer(Layer::AdminUnit)
                            .find_map(|v| match &v.body {
                                Body::AdminUnit(u) if &u.code.short() == code => {
                                    Some(u.name.clone())
                                }
                                _ => None,
                            })
                            .with_context(|| format!("登记簿中没有单位 {code}"))
                    })
                    .collect::<Result<_>>()?
            };
            let agreement = diming::boundaries::line::Agreement {
                title,
                parties: party,
                party_names: names,
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
                    .layer(Layer::MarkerObservation)
                    .filter_map(|v| match &v.body {
                        Body::MarkerObservation(o) if o.marker == id => Some(o.clone()),
                        _ => None,
                    })
                    .max_by_key(|o| o.date)
            };
            let ids: std::collections::BTreeMap<String, diming::record::RecordId> = state
                .versions::<Marker>()
                .map(|(v, m)| (m.number.clone(), v.id))
                .collect();
            match format {
                super::Format::Json => {
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
                super::Format::Text => {
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
                    for f in raw.features {
                        let name = f
                            .fields
                            .get(&label)
                            .cloned()
                            .unwrap_or_else(|| format!("第 {} 个要素", f.row));
                        match f.geometry {
                            Some(
                                g @ (geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)),
                            ) => units.push((name, g)),
                            _ => bail!("{file} 第 {} 个要素（{name}）不是面", f.row),
                        }
                    }
                    tokio::task::spawn_blocking(move || check_polygons(&units, thresholds, edges))
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
