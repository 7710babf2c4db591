//! The `diming` command line: parses arguments and calls the library, nothing else.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use diming::config::Config;
use diming::layers::Layer;
use diming::record::RecordId;
use diming::registry::Registry;
use diming::spatial::crs;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "diming",
    version,
    about = "地名管理信息系统：地名、门牌、地名标志、区划界线与公墓的登记簿"
)]
struct Cli {
    /// 数据库地址：sqlite://文件（默认 ./diming.gpkg）或 postgres://用户:密码@主机/库
    #[arg(long, global = true, env = "DIMING_DB", default_value = diming::store::DEFAULT_URL)]
    db: String,
    /// 配置文件（TOML，默认为内置的二连浩特市配置，见 data/erenhot.toml）
    #[arg(long, global = true, env = "DIMING_CONFIG")]
    config: Option<String>,
    /// 变更的登记人（默认为当前系统用户）
    #[arg(long, global = true, env = "DIMING_AUTHOR")]
    author: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 创建二连浩特市示例登记簿
    #[command(
        after_help = "示例：\n  diming demo\n  diming demo --db postgres://diming:diming@localhost/diming --force"
    )]
    Demo {
        /// 清空已有数据后重建
        #[arg(long)]
        force: bool,
    },
    /// 启动网页与接口服务
    #[command(after_help = "示例：\n  diming serve --addr 127.0.0.1:8080")]
    Serve {
        /// 监听地址（默认取配置文件，内置为 127.0.0.1:8080）
        #[arg(long)]
        addr: Option<String>,
    },
    /// 列出各图层的现行记录数
    #[command(after_help = "示例：\n  diming layers")]
    Layers,
    /// 显示一条记录的全部版本：谁、何时、为何、依据何文件
    #[command(after_help = "示例：\n  diming history 0f8fad5b-d9cb-469f-a165-70867728950e")]
    History {
        /// 记录 id
        id: String,
    },
    /// 坐标转换
    Crs {
        #[command(subcommand)]
        command: CrsCommand,
    },
    /// 地名：命名规则检查、罗马字母拼写、全市地名清查
    Names {
        #[command(subcommand)]
        command: NamesCommand,
    },
    /// 门牌编号：按编号规则为入口编排门牌号
    Numbering {
        #[command(subcommand)]
        command: NumberingCommand,
    },
    /// 对整个登记簿运行全部检查并输出报告
    #[command(after_help = "示例：\n  diming check\n  diming check --format json > report.json")]
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum CrsCommand {
    /// 把一对坐标从一个坐标系转换到另一个（毫米精度）
    #[command(
        after_help = "坐标按“经度/东坐标在前”输入；高斯–克吕格坐标（X 为北坐标在前）请加 --northing-first。\n\n示例：\n  diming crs transform --from EPSG:4490 --to EPSG:4546 111.97667 43.6475\n  diming crs transform --from EPSG:4497 --to EPSG:4490 --northing-first 4835120.088 19578797.461",
        allow_negative_numbers = true
    )]
    Transform {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// 输入为 X（北）在前、Y（东）在后，测绘习惯
        #[arg(long)]
        northing_first: bool,
        x: f64,
        y: f64,
    },
}

#[derive(Subcommand)]
enum NumberingCommand {
    /// 不动登记簿，按文件试编：街路巷中心线 + 入口点 → 每个入口的号码、左右侧和沿街距离
    #[command(
        after_help = "示例：\n  diming numbering plan --street 前进大街.geojson --entrances 入口.geojson\n  diming numbering plan --street 巷.geojson --entrances 入口.geojson --from-end --format csv\n  diming numbering plan --street s.geojson --entrances e.geojson --conventions 北京.toml"
    )]
    Plan {
        /// 街路巷中心线（GeoJSON，CGCS2000 经纬度）
        #[arg(long)]
        street: String,
        /// 入口点（GeoJSON 点要素，属性原样带出）
        #[arg(long)]
        entrances: String,
        /// 编号规则（TOML，字段同配置文件的 [numbering]）
        #[arg(long)]
        conventions: Option<String>,
        /// 从中心线的终点起编（死胡同从入口起编时用）
        #[arg(long, conflicts_with = "from_start")]
        from_end: bool,
        /// 从中心线的起点起编，不按方位
        #[arg(long)]
        from_start: bool,
        /// 单侧连续编号
        #[arg(long)]
        one_sided: bool,
        #[arg(long, value_enum, default_value_t = PlanFormat::Geojson)]
        format: PlanFormat,
    },
    /// 检查登记簿中的门牌：重号、单双号错侧、顺序颠倒、缺号、离他街更近、不在任何区域
    #[command(
        after_help = "示例：\n  diming numbering check\n  diming numbering check --street 胜利街 --format csv"
    )]
    Check {
        /// 街路巷名称或 id（默认检查全部）
        #[arg(long)]
        street: Option<String>,
        #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
        format: AuditFormat,
    },
    /// 重新编排门牌号：生成新旧号对照表（CSV 或 XLSX），经批准后作为一个变更集写入
    #[command(
        after_help = "示例：\n  diming numbering renumber --street 胜利街 --crosswalk 胜利街对照表.xlsx\n  diming numbering renumber --unit 152501400001 --pin 门牌id=12号\n  diming numbering renumber --all --apply --issuer 二连浩特市人民政府 --number 二政字〔2026〕8号 --date 2026-05-01"
    )]
    Renumber {
        /// 街路巷名称或 id，可重复
        #[arg(long)]
        street: Vec<String>,
        /// 区域代码：区域内的全部街路巷
        #[arg(long)]
        unit: Option<String>,
        /// 全市
        #[arg(long)]
        all: bool,
        /// 固定某个门牌的号码：门牌id=号码，其余号码随之顺延
        #[arg(long, value_parser = parse_pin)]
        pin: Vec<(RecordId, diming::addresses::DoorNumber)>,
        /// 写出新旧号对照表（.csv 或 .xlsx）
        #[arg(long)]
        crosswalk: Option<String>,
        /// 写入登记簿（须有批准文件）
        #[arg(long, requires_all = ["issuer", "number", "date"])]
        apply: bool,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// 新号码启用日期（默认今天）
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
    },
    /// 为新入口建议门牌号：两邻号之间的预留号，或前一号的附号
    #[command(
        after_help = "示例：\n  diming numbering suggest --street 前进大街 --at 111.9712,43.6734"
    )]
    Suggest {
        /// 街路巷名称或 id
        #[arg(long)]
        street: String,
        /// 新入口：经度,纬度
        #[arg(long)]
        at: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum PlanFormat {
    Geojson,
    Csv,
}

#[derive(Subcommand)]
enum NamesCommand {
    /// 按命名规则（大、洋、怪、重等）检查一个拟用名称
    #[command(
        after_help = "示例：\n  diming names check 曼哈顿国际花园 --kind place --category settlement\n  diming names check 新前进大街 --kind street --format json"
    )]
    Check {
        name: String,
        /// 名称所指对象
        #[arg(long, value_enum, default_value_t = Kind::Street)]
        kind: Kind,
        /// 地名类别（place 时使用），如 building 或 建筑物
        #[arg(long, default_value = "building")]
        category: String,
        /// 所属苏木（检查嘎查名称时，重名范围为同一苏木），如 152501200
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 生成罗马字母拼写（汉语拼音或蒙古语地名的规范译写）
    #[command(
        after_help = "示例：\n  diming names romanize 友谊大街\n  diming names romanize 二连浩特市 --form sign\n  diming names romanize 长安街 --reading 0=chang\n  diming names romanize ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ --origin mongolian"
    )]
    Romanize {
        text: String,
        #[arg(long, value_enum, default_value_t = Form::Standard)]
        form: Form,
        #[arg(long, value_enum, default_value_t = Origin::Han)]
        origin: Origin,
        /// 自然村：整个名称连写为一词
        #[arg(long)]
        village: bool,
        /// 确认多音字读音：字的位置（从 0 起）=拼音，可重复
        #[arg(long, value_parser = parse_reading)]
        reading: Vec<(usize, String)>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 拟命名：登记一个新的街路巷或地名，状态为“拟命名”
    #[command(
        after_help = "示例：\n  diming names propose 阿巴嘎路 --kind street --geometry 阿巴嘎路.geojson --meaning 以阿巴嘎旗命名\n  diming names propose 锡林公园 --kind place --category memorial_or_scenic --at 111.975,43.652"
    )]
    Propose {
        name: String,
        #[arg(long, value_enum, default_value_t = Kind::Place)]
        kind: Kind,
        #[arg(long, default_value = "building")]
        category: String,
        /// 点位：经度,纬度（CGCS2000）
        #[arg(long, conflicts_with = "geometry")]
        at: Option<String>,
        /// 几何：GeoJSON 文件（街路巷中心线等），CGCS2000 经纬度
        #[arg(long)]
        geometry: Option<String>,
        /// 地名含义
        #[arg(long)]
        meaning: Option<String>,
        /// 历史沿革
        #[arg(long)]
        history: Option<String>,
        /// 地理实体描述
        #[arg(long)]
        description: Option<String>,
    },
    /// 审核：按命名规则检查，通过则状态改为“已审核”
    #[command(after_help = "示例：\n  diming names review 0f8fad5b-d9cb-469f-a165-70867728950e")]
    Review { id: String },
    /// 以批准文件说明理由，搁置某条规则的判定
    #[command(
        after_help = "示例：\n  diming names override ID --rule grandiose --issuer 二连浩特市人民政府 --number 二政字〔2026〕3号 --date 2026-03-01"
    )]
    Override {
        id: String,
        /// 规则：malformed、grandiose、foreign、odd、duplicate、homophone、derived_duplicate、personal_or_enterprise
        #[arg(long)]
        rule: String,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// 批准：登记批准机关、文号和日期；批准后 15 日内须登记上报
    #[command(
        after_help = "示例：\n  diming names approve ID --issuer 二连浩特市人民政府 --number 二政字〔2026〕5号 --date 2026-03-01"
    )]
    Approve {
        id: String,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// 登记上报：记录已向上一级报送
    #[command(after_help = "示例：\n  diming names report ID --on 2026-03-10")]
    Report {
        id: String,
        #[arg(long)]
        on: chrono::NaiveDate,
    },
    /// 公告：记录公告日期
    #[command(after_help = "示例：\n  diming names publish ID --on 2026-04-01")]
    Publish {
        id: String,
        #[arg(long)]
        on: chrono::NaiveDate,
    },
    /// 不予批准，写明理由
    #[command(after_help = "示例：\n  diming names reject ID --reason 与已有地名重名")]
    Reject {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// 更名：新名称须通过命名规则，旧名称保留为历史名称
    #[command(
        after_help = "示例：\n  diming names rename ID 建设街 --on 2026-05-01 --issuer 二连浩特市人民政府 --number 二政字〔2026〕35号 --date 2026-04-20"
    )]
    Rename {
        id: String,
        name: String,
        /// 新名称启用日期
        #[arg(long)]
        on: chrono::NaiveDate,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// 确认多音字读音（记录在地名上，罗马字母拼写随之改变）
    #[command(after_help = "示例：\n  diming names confirm-reading ID --index 0 --reading zhang")]
    ConfirmReading {
        id: String,
        /// 字的位置，从 0 起
        #[arg(long)]
        index: usize,
        /// 读音（无声调拼音）
        #[arg(long)]
        reading: String,
    },
    /// 待办：未公告的地名，及批准后尚未登记上报的（含 15 日期限）
    #[command(after_help = "示例：\n  diming names pending")]
    Pending {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 清查登记簿中全部现行地名，按所在区域和规则列出问题
    #[command(
        after_help = "示例：\n  diming names audit\n  diming names audit --format csv > 地名清查.csv"
    )]
    Audit {
        #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
        format: AuditFormat,
    },
}

/// 批准文件
#[derive(clap::Args)]
struct DocumentArgs {
    /// 发文机关
    #[arg(long)]
    issuer: String,
    /// 文号
    #[arg(long)]
    number: String,
    /// 发文日期
    #[arg(long)]
    date: chrono::NaiveDate,
}

impl DocumentArgs {
    fn document(self) -> diming::record::ApprovalDocument {
        diming::record::ApprovalDocument {
            issuer: self.issuer,
            number: self.number,
            date: self.date,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Street,
    Place,
    Unit,
}

#[derive(Clone, Copy, ValueEnum)]
enum Form {
    Standard,
    Sign,
}

#[derive(Clone, Copy, ValueEnum)]
enum Origin {
    Han,
    Mongolian,
}

#[derive(Clone, Copy, ValueEnum)]
enum AuditFormat {
    Text,
    Json,
    Csv,
    Html,
}

fn parse_pin(s: &str) -> Result<(RecordId, diming::addresses::DoorNumber), String> {
    let (id, n) = s
        .split_once('=')
        .ok_or_else(|| format!("“{s}”应写作 门牌id=号码，如 0f8f…=12号"))?;
    let id = id.parse().map_err(|_| format!("门牌 id“{id}”无效"))?;
    let n = n
        .parse()
        .map_err(|e: diming::addresses::DoorNumberError| e.to_string())?;
    Ok((id, n))
}

fn parse_reading(s: &str) -> Result<(usize, String), String> {
    let (i, p) = s
        .split_once('=')
        .ok_or_else(|| format!("读音“{s}”应写作 位置=拼音，如 0=chang"))?;
    let i = i.parse().map_err(|_| format!("读音“{s}”的位置不是数字"))?;
    Ok((i, p.to_string()))
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[tokio::main]
async fn main() {
    // SAFETY: called first, before any thread or output exists; it only restores the
    // default action, so that writing to a closed pipe ends the program like other tools.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}

async fn open(db: &str, config: &Config) -> Result<Registry> {
    Registry::open(db, config.clone())
        .await
        .with_context(|| format!("打开登记簿 {db}"))
}

async fn run(cli: Cli) -> Result<()> {
    let config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::erenhot(),
    };
    match cli.command {
        Command::Demo { force } => demo(&cli.db, &config, force).await,
        Command::Serve { addr } => {
            let addr = addr.unwrap_or_else(|| config.server.addr.clone());
            let registry = Arc::new(open(&cli.db, &config).await?);
            let _following = registry.follow();
            println!("登记簿 {}：{} 条现行记录", cli.db, registry.current().len());
            println!("请在浏览器中打开 http://{addr}/");
            diming::web::serve(registry, &addr)
                .await
                .with_context(|| format!("无法在 {addr} 上提供服务"))
        }
        Command::Layers => {
            let registry = open(&cli.db, &config).await?;
            let current = registry.current();
            for layer in Layer::ALL {
                println!(
                    "{:<12}{:<8}{:>8}",
                    layer.table(),
                    layer.label(),
                    current.count(layer)
                );
            }
            Ok(())
        }
        Command::History { id } => history(&cli.db, &config, &id).await,
        Command::Crs {
            command:
                CrsCommand::Transform {
                    from,
                    to,
                    northing_first,
                    x,
                    y,
                },
        } => transform(&from, &to, northing_first, x, y),
        Command::Numbering {
            command: NumberingCommand::Check { street, format },
        } => numbering_check(&cli.db, &config, street.as_deref(), format).await,
        Command::Numbering {
            command: NumberingCommand::Suggest { street, at },
        } => numbering_suggest(&cli.db, &config, &street, &at).await,
        Command::Numbering {
            command: command @ NumberingCommand::Renumber { .. },
        } => {
            let author = cli
                .author
                .clone()
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "diming".into());
            renumber(&cli.db, &config, &author, command).await
        }
        Command::Numbering { command } => numbering(&config, command),
        Command::Names { command } => {
            let author = cli
                .author
                .clone()
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "diming".into());
            names(&cli.db, &config, &author, command).await
        }
        Command::Check { format } => {
            let registry = open(&cli.db, &config).await?;
            let report = diming::check::run(
                &registry.current(),
                registry.config(),
                &config.word_lists()?,
            );
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                Format::Text => {
                    println!(
                        "检查了 {} 条现行记录，发现 {} 个问题。",
                        report.records,
                        report.findings.len()
                    );
                    for f in &report.findings {
                        let at =
                            f.at.map(|(x, y)| format!(" @ {x:.6},{y:.6}"))
                                .unwrap_or_default();
                        println!("[{}] {}{}", f.rule, f.message, at);
                    }
                }
            }
            if report.is_clean() {
                Ok(())
            } else {
                std::process::exit(2)
            }
        }
    }
}

async fn demo(db: &str, config: &Config, force: bool) -> Result<()> {
    if force {
        diming::store::Store::destroy(db).await?;
    }
    let registry = open(db, config).await?;
    let existing = registry.current().len();
    if existing > 0 {
        bail!(
            "登记簿 {db} 中已有 {existing} 条记录；如要重建示例数据，请加 --force（会删除全部数据）"
        );
    }
    let changesets = diming::demo::changesets().map_err(anyhow::Error::msg)?;
    let bar = ProgressBar::new(changesets.len() as u64).with_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message("写入示例数据");
    registry
        .commit_all(changesets, |n| bar.set_position(n as u64))
        .await?;
    bar.finish();
    let current = registry.current();
    println!("示例登记簿已建立：{db}");
    for layer in Layer::ALL {
        println!("  {}：{}", layer.label(), current.count(layer));
    }
    Ok(())
}

async fn history(db: &str, config: &Config, id: &str) -> Result<()> {
    let id: RecordId = id.parse().with_context(|| {
        format!("记录 id“{id}”无效：应为 UUID，如 0f8fad5b-d9cb-469f-a165-70867728950e")
    })?;
    let registry = open(db, config).await?;
    let versions = registry.history(id).await?;
    if versions.is_empty() {
        bail!("登记簿中没有记录 {id}");
    }
    for v in versions {
        let cs = registry.store().changeset(v.changeset).await?;
        let until = v
            .valid_to
            .map(|d| d.to_string())
            .unwrap_or_else(|| "今".into());
        let state = if v.retired { "（注销）" } else { "" };
        println!(
            "第 {} 版{state}：{}，有效期 {} 至 {until}",
            v.version,
            v.body.title(),
            v.valid_from
        );
        if let Some(cs) = cs {
            println!(
                "  记录于 {}，作者 {}，原因：{}",
                cs.recorded_at, cs.author, cs.reason
            );
            if let Some(d) = cs.document {
                println!("  依据：{} {}（{}）", d.issuer, d.number, d.date);
            }
        }
    }
    Ok(())
}

fn transform(from: &str, to: &str, northing_first: bool, x: f64, y: f64) -> Result<()> {
    let (x, y) = if northing_first { (y, x) } else { (x, y) };
    let t = crs::Transformer::new(from, to)?;
    let (tx, ty) = t.point(x, y)?;
    if crs::is_geographic(to) {
        println!("经度 {tx:.9} 纬度 {ty:.9}");
    } else if crs::northing_first(to) {
        println!("X（北）{ty:.3} Y（东）{tx:.3}");
        println!("E {tx:.3} N {ty:.3}");
    } else {
        println!("E {tx:.3} N {ty:.3}");
    }
    Ok(())
}

async fn names(db: &str, config: &Config, author: &str, command: NamesCommand) -> Result<()> {
    use diming::names::audit::{self, Scope};
    use diming::names::rules::{self, NameKind};
    use diming::names::{PlaceCategory, mongolian, romanize};
    let lists = config.word_lists()?;
    let settings = config.rule_settings();
    match command {
        NamesCommand::Check {
            name,
            kind,
            category,
            unit,
            format,
        } => {
            let (scope, kind) = match kind {
                Kind::Street => (Scope::Streets, NameKind::Street),
                Kind::Place => {
                    let c: PlaceCategory = category.parse().map_err(anyhow::Error::msg)?;
                    (Scope::Places(c), NameKind::Place)
                }
                Kind::Unit => match unit {
                    Some(code) => (Scope::Villages(Some(code.parse()?)), NameKind::Unit),
                    None => (Scope::CityUnits, NameKind::Unit),
                },
            };
            let registry = open(db, config).await?;
            let peers = audit::peers(&registry.current(), scope, None);
            let verdicts = rules::check(&name, kind, &peers, &lists, &settings);
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&verdicts)?),
                Format::Text if verdicts.is_empty() => println!("“{name}”符合命名规则。"),
                Format::Text => {
                    for v in &verdicts {
                        let severity = match v.severity {
                            rules::Severity::Error => "错误",
                            rules::Severity::Warning => "警告",
                        };
                        println!(
                            "[{}·{}] {severity}：{}",
                            v.rule.id(),
                            v.rule.label(),
                            v.explanation
                        );
                    }
                }
            }
            let errors = verdicts
                .iter()
                .any(|v| v.severity == rules::Severity::Error);
            if errors {
                std::process::exit(2)
            } else {
                Ok(())
            }
        }
        NamesCommand::Romanize {
            text,
            form,
            origin,
            village,
            reading,
            format,
        } => {
            let (standard, sign, value) = match origin {
                Origin::Han => {
                    let r =
                        romanize::romanize(&text, &lists, village, &reading.into_iter().collect());
                    (
                        r.standard.clone(),
                        r.sign.clone(),
                        serde_json::to_value(&r)?,
                    )
                }
                Origin::Mongolian => {
                    let fixed = lists
                        .lexicon
                        .iter()
                        .find(|e| e.mongolian.as_deref() == Some(text.as_str()));
                    let letters = mongolian::transliterate(&text);
                    let standard = fixed
                        .map(|e| e.romanization.clone())
                        .unwrap_or_else(|| letters.clone());
                    let value = serde_json::json!({
                        "standard": standard,
                        "transliteration": letters,
                        "fixed_form": fixed.is_some(),
                        "chinese": fixed.map(|e| e.chinese.clone()),
                    });
                    (standard.clone(), standard.to_uppercase(), value)
                }
            };
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&value)?),
                Format::Text => {
                    println!(
                        "{}",
                        match form {
                            Form::Standard => &standard,
                            Form::Sign => &sign,
                        }
                    );
                    for p in value["polyphones"].as_array().into_iter().flatten() {
                        if p["confirmed"] == false {
                            eprintln!(
                                "注意：第 {} 字“{}”是多音字（{}），暂读 {}；确认请加 --reading {}=读音",
                                p["index"],
                                p["character"].as_str().unwrap_or(""),
                                p["readings"]
                                    .as_array()
                                    .map(|r| r
                                        .iter()
                                        .filter_map(|x| x.as_str())
                                        .collect::<Vec<_>>()
                                        .join("/"))
                                    .unwrap_or_default(),
                                p["chosen"].as_str().unwrap_or(""),
                                p["index"]
                            );
                        }
                    }
                    if value["fixed_form"] == false {
                        eprintln!(
                            "注意：词典中没有该蒙古语地名的规范译写，以上为逐字母转写，请核定"
                        );
                    }
                }
            }
            Ok(())
        }
        NamesCommand::Propose {
            name,
            kind,
            category,
            at,
            geometry,
            meaning,
            history,
            description,
        } => {
            let geometry = match (at, geometry) {
                (Some(at), None) => {
                    let (x, y) = at
                        .split_once(',')
                        .with_context(|| format!("点位“{at}”应写作 经度,纬度"))?;
                    let (x, y): (f64, f64) = (
                        x.trim()
                            .parse()
                            .with_context(|| format!("经度“{x}”不是数"))?,
                        y.trim()
                            .parse()
                            .with_context(|| format!("纬度“{y}”不是数"))?,
                    );
                    geo::Geometry::Point(geo::Point::new(x, y))
                }
                (None, Some(file)) => {
                    let text =
                        std::fs::read_to_string(&file).with_context(|| format!("读取 {file}"))?;
                    let mut features = diming::spatial::geojson::features(&text)
                        .map_err(|e| anyhow::anyhow!("{file}：{e}"))?;
                    if features.len() != 1 {
                        bail!("{file} 中应恰有一个几何，实有 {} 个", features.len());
                    }
                    features.remove(0).1
                }
                _ => bail!("请用 --at 经度,纬度 或 --geometry 文件 给出位置"),
            };
            let mut naming = diming::names::naming::Naming::proposed();
            naming.meaning = meaning;
            naming.history = history;
            naming.description = description;
            let body = match kind {
                Kind::Street => diming::layers::Body::Street(diming::addresses::Street {
                    name: name.clone(),
                    name_mn: None,
                    class: diming::addresses::StreetClass::Branch,
                    source: diming::layers::Source::Survey,
                    naming,
                }),
                Kind::Place => diming::layers::Body::Place(diming::names::Place {
                    name: name.clone(),
                    name_mn: None,
                    category: category.parse().map_err(anyhow::Error::msg)?,
                    source: diming::layers::Source::Survey,
                    naming,
                }),
                Kind::Unit => bail!("行政区域的命名与更名随区划调整办理，请用 boundaries 命令"),
            };
            let registry = open(db, config).await?;
            let today = chrono::Local::now().date_naive();
            let id = registry.propose(body, geometry, author, today).await?;
            println!("已登记拟命名“{name}”：{id}");
            println!("下一步：diming names review {id}");
            Ok(())
        }
        NamesCommand::Review { id } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Review,
            )
            .await
        }
        NamesCommand::Override { id, rule, document } => {
            let rule: rules::Rule = serde_json::from_value(serde_json::Value::String(rule.clone()))
                .map_err(|_| anyhow::anyhow!("未知的规则“{rule}”"))?;
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Override {
                    rule,
                    document: document.document(),
                },
            )
            .await
        }
        NamesCommand::Approve { id, document } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Approve {
                    document: document.document(),
                },
            )
            .await
        }
        NamesCommand::Report { id, on } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Report { on },
            )
            .await
        }
        NamesCommand::Publish { id, on } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Publish { on },
            )
            .await
        }
        NamesCommand::Reject { id, reason } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Reject { reason },
            )
            .await
        }
        NamesCommand::Rename {
            id,
            name,
            on,
            document,
        } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::Rename {
                    name,
                    on,
                    document: document.document(),
                },
            )
            .await
        }
        NamesCommand::ConfirmReading { id, index, reading } => {
            step(
                db,
                config,
                author,
                &id,
                diming::registry::NameAction::ConfirmReading { index, reading },
            )
            .await
        }
        NamesCommand::Pending { format } => {
            let registry = open(db, config).await?;
            let pending = registry.pending_names(chrono::Local::now().date_naive());
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&pending)?),
                Format::Text => {
                    println!("待办地名 {} 个。", pending.len());
                    for p in &pending {
                        let due = match (p.report_due, p.overdue) {
                            (Some(d), true) => format!("，上报期限 {d}（已逾期）"),
                            (Some(d), false) => format!("，上报期限 {d}"),
                            (None, _) => String::new(),
                        };
                        println!("{}  {}（{}）{due}", p.id, p.name, p.status_label);
                    }
                }
            }
            Ok(())
        }
        NamesCommand::Audit { format } => {
            let registry = open(db, config).await?;
            let rows = audit::audit(&registry.current(), &lists, &settings);
            match format {
                AuditFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                AuditFormat::Html => {
                    let today = chrono::Local::now().date_naive();
                    let html = diming::publish::audit::html(
                        &rows,
                        &registry.current(),
                        &config.jurisdiction.name,
                        today,
                    )?;
                    println!("{html}");
                }
                AuditFormat::Csv => {
                    let mut w = csv::Writer::from_writer(std::io::stdout());
                    w.write_record([
                        "所在区域",
                        "图层",
                        "名称",
                        "规则",
                        "级别",
                        "匹配",
                        "说明",
                        "记录",
                    ])?;
                    for r in &rows {
                        for v in &r.verdicts {
                            w.write_record([
                                r.units.join("、").as_str(),
                                r.layer.label(),
                                &r.name,
                                v.rule.id(),
                                match v.severity {
                                    rules::Severity::Error => "错误",
                                    rules::Severity::Warning => "警告",
                                },
                                &v.matched,
                                &v.explanation,
                                &r.id.to_string(),
                            ])?;
                        }
                    }
                    w.flush()?;
                }
                AuditFormat::Text => {
                    println!("清查现行地名，发现 {} 个名称有问题。", rows.len());
                    for r in &rows {
                        let rules: Vec<&str> = r.verdicts.iter().map(|v| v.rule.id()).collect();
                        println!(
                            "{}  {}（{}）：{}",
                            r.unit.as_deref().unwrap_or("-"),
                            r.name,
                            r.layer.label(),
                            rules.join("、")
                        );
                        for v in &r.verdicts {
                            println!("    [{}] {}", v.rule.id(), v.explanation);
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// One step of the naming workflow on the current version of a record.
async fn step(
    db: &str,
    config: &Config,
    author: &str,
    id: &str,
    action: diming::registry::NameAction,
) -> Result<()> {
    let id: RecordId = id.parse().with_context(|| format!("记录 id“{id}”无效"))?;
    let registry = open(db, config).await?;
    let (version, from) = {
        let current = registry.current();
        let v = current
            .get(&id)
            .with_context(|| format!("登记簿中没有现行记录 {id}"))?;
        (v.version, v.valid_from)
    };
    // A rename takes effect in the world on its own date; the other steps today.
    let valid_from = match &action {
        diming::registry::NameAction::Rename { on, .. } => *on,
        _ => chrono::Local::now().date_naive().max(from),
    };
    registry
        .name_step(id, version, action, author, valid_from)
        .await?;
    let v = registry
        .current()
        .get(&id)
        .cloned()
        .context("记录在写入后不见了")?;
    let naming = v.body.naming().context("不是地名记录")?;
    println!(
        "{}：{}（第 {} 版）",
        v.body.title(),
        naming.status.label(),
        v.version
    );
    if let Some(due) = naming.report_due() {
        println!("请于 {due} 前登记上报（批准后 15 日内）。");
    }
    Ok(())
}

fn numbering(config: &Config, command: NumberingCommand) -> Result<()> {
    use diming::addresses::numbering::{self, Conventions, StreetOverrides};
    let NumberingCommand::Plan {
        street,
        entrances,
        conventions,
        from_end,
        from_start,
        one_sided,
        format,
    } = command
    else {
        unreachable!("check, suggest and renumber are dispatched before");
    };
    let conventions: Conventions = match &conventions {
        Some(path) => diming::config::load_toml(path)?,
        None => config.numbering.clone(),
    };
    let read = |path: &str| -> Result<Vec<(geojson::JsonObject, geo::Geometry<f64>)>> {
        let text = std::fs::read_to_string(path).with_context(|| format!("读取 {path}"))?;
        diming::spatial::geojson::features(&text).map_err(|e| anyhow::anyhow!("{path}：{e}"))
    };
    let extent = &config.jurisdiction.extent;
    let streets = read(&street)?;
    let line = match streets.as_slice() {
        [(_, g)] => {
            diming::spatial::validate(g, extent).map_err(|e| anyhow::anyhow!("{street}：{e}"))?;
            match diming::layers::GeometryKind::MultiLineString.conform(g.clone()) {
                Ok(geo::Geometry::MultiLineString(m)) => m,
                _ => bail!("{street}：中心线应为 LineString 或 MultiLineString"),
            }
        }
        _ => bail!("{street} 中应恰有一条中心线，实有 {} 个要素", streets.len()),
    };
    let points = read(&entrances)?;
    let mut coords = Vec::with_capacity(points.len());
    for (i, (_, g)) in points.iter().enumerate() {
        diming::spatial::validate(g, extent)
            .map_err(|e| anyhow::anyhow!("{entrances} 第 {} 个要素：{e}", i + 1))?;
        match g {
            geo::Geometry::Point(p) => coords.push(p.0),
            _ => bail!("{entrances} 第 {} 个要素不是点", i + 1),
        }
    }
    let overrides = StreetOverrides {
        from_end: from_end.then_some(true),
        from_start: from_start.then_some(true),
        one_sided: one_sided.then_some(true),
        odd_side: None,
    };
    let plan = numbering::plan(&line, &coords, &[], &conventions, &overrides)?;
    for r in &plan.refused {
        eprintln!("{entrances} 第 {} 个入口未编号：{}", r.index + 1, r.reason);
    }
    match format {
        PlanFormat::Geojson => {
            let features: Vec<serde_json::Value> = plan
                .numbered
                .iter()
                .map(|n| {
                    let (props, g) = &points[n.index];
                    let mut props = props.clone();
                    props.insert("number".into(), serde_json::json!(format!("{}号", n.number)));
                    props.insert("side".into(), serde_json::json!(n.side.label()));
                    props.insert("along_m".into(), serde_json::json!((n.along_m * 100.0).round() / 100.0));
                    props.insert("offset_m".into(), serde_json::json!((n.offset_m * 100.0).round() / 100.0));
                    if n.closer_to_other {
                        props.insert("closer_to_other".into(), serde_json::json!(true));
                    }
                    serde_json::json!({ "type": "Feature", "geometry": diming::spatial::geojson::from_geo(g), "properties": props })
                })
                .collect();
            let out = serde_json::json!({ "type": "FeatureCollection", "features": features, "reserved": plan.reserved });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        PlanFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "序号",
                "经度",
                "纬度",
                "门牌号",
                "侧",
                "沿街距离（米）",
                "离中心线（米）",
            ])?;
            for n in &plan.numbered {
                let c = coords[n.index];
                w.write_record([
                    (n.index + 1).to_string(),
                    format!("{:.7}", c.x),
                    format!("{:.7}", c.y),
                    format!("{}号", n.number),
                    n.side.label().to_string(),
                    format!("{:.2}", n.along_m),
                    format!("{:.2}", n.offset_m),
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

/// A street by name or id.
fn find_street(registry: &Registry, street: &str) -> Result<RecordId> {
    if let Ok(id) = street.parse::<RecordId>() {
        return Ok(id);
    }
    let current = registry.current();
    let found: Vec<RecordId> = current
        .layer(Layer::Street)
        .filter(|v| v.body.title() == street)
        .map(|v| v.id)
        .collect();
    match found.as_slice() {
        [id] => Ok(*id),
        [] => bail!("没有名为“{street}”的现行街路巷"),
        _ => bail!("有 {} 条名为“{street}”的街路巷，请用 id 指定", found.len()),
    }
}

fn parse_point(at: &str) -> Result<geo::Coord<f64>> {
    let (x, y) = at
        .split_once(',')
        .with_context(|| format!("点位“{at}”应写作 经度,纬度"))?;
    Ok(geo::coord! {
        x: x.trim().parse::<f64>().with_context(|| format!("经度“{x}”不是数"))?,
        y: y.trim().parse::<f64>().with_context(|| format!("纬度“{y}”不是数"))?,
    })
}

async fn numbering_check(
    db: &str,
    config: &Config,
    street: Option<&str>,
    format: AuditFormat,
) -> Result<()> {
    let registry = open(db, config).await?;
    let only = match street {
        Some(s) => Some(vec![find_street(&registry, s)?]),
        None => None,
    };
    let findings = diming::addresses::numbering::check(
        &registry.current(),
        &config.numbering,
        only.as_deref(),
    );
    match format {
        AuditFormat::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
        AuditFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "街路巷",
                "门牌号",
                "规则",
                "说明",
                "建议",
                "经度",
                "纬度",
                "记录",
            ])?;
            for f in &findings {
                w.write_record([
                    f.street_name.clone(),
                    f.number.clone(),
                    f.rule.id().to_string(),
                    f.message.clone(),
                    f.suggestion.clone().unwrap_or_default(),
                    format!("{:.7}", f.at.0),
                    format!("{:.7}", f.at.1),
                    f.plate.to_string(),
                ])?;
            }
            w.flush()?;
        }
        AuditFormat::Text | AuditFormat::Html => {
            println!("检查门牌，发现 {} 个问题。", findings.len());
            for f in &findings {
                let fix = f
                    .suggestion
                    .as_deref()
                    .map(|s| format!("（建议：{s}）"))
                    .unwrap_or_default();
                println!("[{}] {}{fix}", f.rule.id(), f.message);
            }
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        std::process::exit(2)
    }
}

async fn numbering_suggest(db: &str, config: &Config, street: &str, at: &str) -> Result<()> {
    let registry = open(db, config).await?;
    let id = find_street(&registry, street)?;
    let point = parse_point(at)?;
    let number = diming::addresses::numbering::suggest(
        &registry.current(),
        &config.numbering,
        id,
        point,
        diming::addresses::SubStyle::Annex,
    )
    .map_err(anyhow::Error::msg)?;
    println!("{number}");
    Ok(())
}

async fn renumber(
    db: &str,
    config: &Config,
    author: &str,
    command: NumberingCommand,
) -> Result<()> {
    let NumberingCommand::Renumber {
        street,
        unit,
        all,
        pin,
        crosswalk,
        apply,
        issuer,
        number,
        date,
        from,
    } = command
    else {
        unreachable!("called for renumber only");
    };
    let registry = open(db, config).await?;
    let streets: Vec<RecordId> = if all {
        registry
            .current()
            .layer(Layer::Street)
            .map(|v| v.id)
            .collect()
    } else if let Some(code) = unit {
        let code: diming::boundaries::DivisionCode = code.parse()?;
        let current = registry.current();
        let unit = current
            .layer(Layer::AdminUnit)
            .find(|v| matches!(&v.body, diming::layers::Body::AdminUnit(u) if u.code == code))
            .with_context(|| format!("没有区域 {code}"))?;
        let bbox = geo::BoundingRect::bounding_rect(&unit.geometry).context("区域没有范围")?;
        current
            .index()
            .intersecting(Layer::Street, bbox)
            .into_iter()
            .filter(|id| {
                current
                    .get(id)
                    .is_some_and(|s| geo::Intersects::intersects(&s.geometry, &unit.geometry))
            })
            .collect()
    } else if !street.is_empty() {
        street
            .iter()
            .map(|s| find_street(&registry, s))
            .collect::<Result<_>>()?
    } else {
        bail!("请用 --street、--unit 或 --all 指定范围");
    };
    let pins: std::collections::HashMap<_, _> = pin.into_iter().collect();
    let changes = diming::addresses::numbering::renumber(
        &registry.current(),
        &config.numbering,
        &streets,
        &pins,
    )
    .map_err(anyhow::Error::msg)?;
    let changed: Vec<_> = changes.iter().filter(|c| c.changes()).collect();
    println!(
        "范围内 {} 个门牌，{} 个号码变更。",
        changes.len(),
        changed.len()
    );
    for c in &changed {
        println!("  {}：{} → {}", c.street_name, c.old, c.new);
    }
    for c in changes.iter().filter(|c| c.kept) {
        eprintln!(
            "注意：{}{} 在中心线上，无法判断左右，保留原号",
            c.street_name, c.old
        );
    }
    if let Some(path) = crosswalk {
        let title = format!("{}门牌重新编排", config.jurisdiction.name);
        let bytes = if path.ends_with(".xlsx") {
            diming::publish::crosswalk::xlsx(&changes, &registry.current(), &title)?
        } else {
            diming::publish::crosswalk::csv(&changes, &registry.current())?
        };
        std::fs::write(&path, bytes).with_context(|| format!("写入 {path}"))?;
        println!("对照表已写入 {path}");
    }
    if apply {
        let document = diming::record::ApprovalDocument {
            issuer: issuer.context("缺少 --issuer")?,
            number: number.context("缺少 --number")?,
            date: date.context("缺少 --date")?,
        };
        let from = from.unwrap_or_else(|| chrono::Local::now().date_naive());
        let id = registry
            .apply_renumbering(&changes, document, author, from)
            .await?;
        println!("已写入登记簿：变更集 {id}");
    }
    Ok(())
}
