//! The commands of `diming`, one file per group, and what they share: the global options,
//! the output formats, the approval-document arguments, opening the registry.

mod admin;
mod boundaries;
mod cemetery;
mod crs;
mod gazetteer;
mod io;
mod names;
mod numbering;
mod render;
mod signs;
mod user;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use diming::config::Config;
use diming::registry::Registry;

use boundaries::BoundariesCommand;
use cemetery::{CemeteryCommand, NoticesCommand, StatsCommand};
use crs::CrsCommand;
use names::NamesCommand;
use numbering::NumberingCommand;
use signs::SignsCommand;
use user::UserCommand;

#[derive(Parser)]
#[command(
    name = "diming",
    version,
    about = "地名管理信息系统：地名、门牌、地名标志、区划界线与公墓的登记簿"
)]
pub(crate) struct Cli {
    /// 数据库地址：sqlite://文件（默认 ./diming.gpkg）或 postgres://用户:密码@主机/库
    #[arg(long, global = true, env = "DIMING_DB", default_value = diming::store::DEFAULT_URL)]
    pub(crate) db: String,
    /// 配置文件（TOML，默认为内置的二连浩特市配置，见 data/erenhot.toml）
    #[arg(long, global = true, env = "DIMING_CONFIG")]
    pub(crate) config: Option<String>,
    /// 变更的登记人（默认为当前系统用户）
    #[arg(long, global = true, env = "DIMING_AUTHOR")]
    pub(crate) author: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        #[arg(long, env = "DIMING_ADDR")]
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
    /// 区划界线：覆盖与接边检查、界桩登记与观测
    Boundaries {
        #[command(subcommand)]
        command: BoundariesCommand,
    },
    /// 地名标志：核查、版面、巡查、维修工单、统计
    Signs {
        #[command(subcommand)]
        command: SignsCommand,
    },
    /// 公墓殡葬：墓位、殡葬登记与台账导入、补贴、检查、查墓
    Cemetery {
        #[command(subcommand)]
        command: CemeteryCommand,
    },
    /// 统计：火化率（按官方口径）与上报数字核对
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// 迁坟告知书：批量发出（PDF）、进展登记、迁入公墓
    Notices {
        #[command(subcommand)]
        command: NoticesCommand,
    },
    /// 地图：按真实比例尺绘制可印制的街区图（SVG、PNG、PDF；A4 至 A0）
    Render {
        #[command(subcommand)]
        command: render::RenderCommand,
    },
    /// 地名志：由登记簿编纂可付印的 PDF（16 开或 A4）
    #[command(
        after_help = "示例：\n  diming gazetteer -o 二连浩特市地名志.pdf\n  diming gazetteer --unit 152501400 --categories streets,settlement --paper a4 -o 城区地名志.pdf\n  diming gazetteer --as-of 2020-12-31 -o 2020年版地名志.pdf"
    )]
    Gazetteer(gazetteer::GazetteerArgs),
    /// 标准地名表：供省级和国家地名数据库（全部字段）
    #[command(
        after_help = "示例：\n  diming export-names --format xlsx -o 地名表.xlsx\n  diming export-names --format gpkg -o 地名.gpkg"
    )]
    ExportNames(gazetteer::ExportNamesArgs),
    /// 备份：全部变更集与全部版本写成一个 JSON Lines 文件，或（.gpkg）一个 GeoPackage：每个图层一张表（任何 GIS 软件可读）加上全部历史（可恢复到任一种数据库）
    #[command(
        after_help = "示例：\n  diming backup -o 备份-2026-11-29.jsonl\n  diming --db postgres://… backup -o 备份.jsonl\n  diming --db postgres://… backup -o 登记簿全部.gpkg   # 全部图层与历史，脱离本软件亦可读"
    )]
    Backup {
        /// 备份文件：.jsonl，或 .gpkg（不得已存在）
        #[arg(short, long)]
        output: String,
    },
    /// 恢复：把备份（.jsonl 或 .gpkg）写入一个空的登记簿（SQLite 与 PostgreSQL 之间亦可迁移）
    #[command(
        after_help = "示例：\n  diming --db sqlite://恢复.gpkg restore 备份.jsonl\n  diming --db postgres://diming:diming@127.0.0.1/新库 restore 备份.jsonl\n  diming --db postgres://diming:diming@127.0.0.1/新库 restore 登记簿全部.gpkg"
    )]
    Restore { file: String },
    /// 从文件导入一个图层（一次导入为一个变更集：全部写入或全不写入）
    Import(io::ImportArgs),
    /// 把一个图层导出为 GIS 文件
    Export(io::ExportArgs),
    /// 账户：创建、修改密码、角色、接口令牌、被拒绝的访问
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// 存储完整性检查：历史一致、图层表与现行记录相符、引用有效、几何有效、已批准地名有文件、数据库自检
    #[command(
        after_help = "示例：\n  diming verify\n  diming --db postgres://… verify --format json"
    )]
    Verify {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 对整个登记簿运行全部检查并输出报告
    #[command(after_help = "示例：\n  diming check\n  diming check --format json > report.json")]
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum AuditFormat {
    Text,
    Json,
    Csv,
    Html,
}

/// 批准文件
#[derive(clap::Args)]
pub(crate) struct DocumentArgs {
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
    pub(crate) fn document(self) -> diming::record::ApprovalDocument {
        diming::record::ApprovalDocument {
            issuer: self.issuer,
            number: self.number,
            date: self.date,
        }
    }
}

pub(crate) async fn open(db: &str, config: &Config) -> Result<Registry> {
    Registry::open(db, config.clone())
        .await
        .with_context(|| format!("打开登记簿 {db}"))
}

/// Reads, checks and stores a photo (JPEG, PNG or WebP); returns its hash.
pub(crate) async fn store_photo(registry: &Registry, path: &str, author: &str) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("读取照片 {path}"))?;
    let media = diming::io::photo::check(&bytes).with_context(|| format!("照片 {path}"))?;
    Ok(registry
        .store()
        .put_attachment(media, &bytes, author)
        .await?)
}

/// A point written as `经度,纬度`.
pub(crate) fn parse_point(at: &str) -> Result<geo::Coord<f64>> {
    diming::spatial::parse_lon_lat(at)
        .map(|p| p.0)
        .map_err(anyhow::Error::msg)
}

pub(crate) async fn run(cli: Cli) -> Result<()> {
    let config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::erenhot(),
    };
    let author = cli
        .author
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "diming".into());
    let db = cli.db.as_str();
    match cli.command {
        Command::Demo { force } => admin::demo(db, &config, force).await,
        Command::Serve { addr } => admin::serve(db, &config, addr).await,
        Command::Layers => admin::layers(db, &config).await,
        Command::History { id } => admin::history(db, &config, &id).await,
        Command::Check { format } => admin::check(db, &config, format).await,
        Command::Verify { format } => admin::verify(db, &config, format).await,
        Command::Backup { output } => admin::backup(db, &output).await,
        Command::Restore { file } => admin::restore(db, &file).await,
        Command::Crs { command } => crs::run(command),
        Command::User { command } => user::run(db, command).await,
        Command::Import(args) => io::import(db, &config, &author, args).await,
        Command::Export(args) => io::export(db, &config, args).await,
        Command::Names { command } => names::run(db, &config, &author, command).await,
        Command::Numbering { command } => numbering::run(db, &config, &author, command).await,
        Command::Boundaries { command } => boundaries::run(db, &config, &author, command).await,
        Command::Signs { command } => signs::run(db, &config, &author, command).await,
        Command::Gazetteer(args) => gazetteer::run(db, &config, args).await,
        Command::ExportNames(args) => gazetteer::export_names(db, &config, args).await,
        Command::Cemetery { command } => cemetery::run(db, &config, &author, command).await,
        Command::Stats { command } => cemetery::stats(db, &config, command).await,
        Command::Notices { command } => cemetery::notices(db, &config, &author, command).await,
        Command::Render { command } => render::run(db, &config, command).await,
    }
}
