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
    /// 清查登记簿中全部现行地名，按所在区域和规则列出问题
    #[command(
        after_help = "示例：\n  diming names audit\n  diming names audit --format csv > 地名清查.csv"
    )]
    Audit {
        #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
        format: AuditFormat,
    },
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
        Command::Names { command } => names(&cli.db, &config, command).await,
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

async fn names(db: &str, config: &Config, command: NamesCommand) -> Result<()> {
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
                                r.unit.as_deref().unwrap_or(""),
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
