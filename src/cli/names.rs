//! Place names: the rules, romanization, the audit and the naming workflow.

use super::{AuditFormat, DocumentArgs, Format, open};
use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use diming::config::Config;
use diming::record::RecordId;

#[derive(Subcommand)]
pub(crate) enum NamesCommand {
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

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Kind {
    Street,
    Place,
    Unit,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Form {
    Standard,
    Sign,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Origin {
    Han,
    Mongolian,
}

fn parse_reading(s: &str) -> Result<(usize, String), String> {
    let (i, p) = s
        .split_once('=')
        .ok_or_else(|| format!("读音“{s}”应写作 位置=拼音，如 0=chang"))?;
    let i = i.parse().map_err(|_| format!("读音“{s}”的位置不是数字"))?;
    Ok((i, p.to_string()))
}

pub(crate) async fn run(
    db: &str,
    config: &Config,
    author: &str,
    command: NamesCommand,
) -> Result<()> {
    use diming::names::rules::{self, NameKind};
    use diming::names::{PlaceCategory, romanize};
    use diming::queries::audit::{self, Scope};
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
            let peers = audit::peers(&registry.current(), scope, None, &settings);
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
                    let r = romanize::mongolian_origin(&text, &lists)
                        .map_err(|e| anyhow::anyhow!(e))?;
                    (
                        r.standard.clone(),
                        r.standard.to_uppercase(),
                        serde_json::to_value(&r)?,
                    )
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
                Kind::Street => diming::model::Body::from(diming::addresses::Street {
                    name: name.clone(),
                    name_mn: None,
                    class: diming::addresses::StreetClass::Branch,
                    source: diming::record::Source::Survey,
                    naming,
                    numbering: Default::default(),
                }),
                Kind::Place => diming::model::Body::from(diming::names::Place {
                    name: name.clone(),
                    name_mn: None,
                    category: category.parse().map_err(anyhow::Error::msg)?,
                    source: diming::record::Source::Survey,
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
                    let mut w = diming::io::csv::Writer::from_writer(std::io::stdout());
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
    let valid_from = action.valid_from(chrono::Local::now().date_naive(), from);
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
