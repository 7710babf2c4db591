//! The numbering commands' arguments.

use crate::cli::AuditFormat;
use clap::{Subcommand, ValueEnum};
use diming::record::RecordId;

#[derive(Subcommand)]
pub(crate) enum NumberingCommand {
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
    /// 门牌号码使用证：每个门牌一页的 PDF（字体内嵌）
    #[command(
        after_help = "示例：\n  diming numbering certificate --street 胜利街 -o 胜利街门牌证.pdf\n  diming numbering certificate --plate 门牌id -o 证.pdf"
    )]
    Certificate {
        /// 街路巷名称或 id：该街全部门牌
        #[arg(long, conflicts_with = "plate")]
        street: Option<String>,
        /// 单个门牌 id
        #[arg(long)]
        plate: Option<RecordId>,
        /// 发证机关（默认为本市民政局）
        #[arg(long)]
        issuer: Option<String>,
        #[arg(short, long)]
        output: String,
    },
    /// 门牌号码变更公告：每条有变更的街路巷一页（PDF），在重新编排写入前张贴告知住户
    #[command(
        after_help = "示例：\n  diming numbering notice --all --effective 2026-06-01 --contact \"二连浩特市民政局区划地名科，电话 0479-xxxxxxx\" -o 公告.pdf"
    )]
    Notice {
        /// 街路巷名称或 id，可重复
        #[arg(long)]
        street: Vec<String>,
        /// 全市
        #[arg(long)]
        all: bool,
        /// 新号码启用日期
        #[arg(long)]
        effective: chrono::NaiveDate,
        /// 联系单位、地址、电话
        #[arg(long)]
        contact: String,
        /// 发布机关（默认为本市民政局）
        #[arg(long)]
        issuer: Option<String>,
        #[arg(short, long)]
        output: String,
    },
    /// 门牌制作订单：按种类和尺寸统计需制作的门牌（整体换牌，或只换变更的号码）
    #[command(
        after_help = "示例：\n  diming numbering order --all\n  diming numbering order --unit 152501400001 --changed-only --format csv"
    )]
    Order {
        /// 街路巷名称或 id，可重复
        #[arg(long)]
        street: Vec<String>,
        /// 区域代码
        #[arg(long)]
        unit: Option<String>,
        /// 全市
        #[arg(long)]
        all: bool,
        /// 只统计号码变更的门牌
        #[arg(long)]
        changed_only: bool,
        #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
        format: AuditFormat,
    },
    /// 门牌整编：方案 → 审核（固定号码）→ 批准 → 写入 → 逐块登记安装 → 完成
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
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

#[derive(Subcommand)]
pub(crate) enum CampaignCommand {
    /// 新建整编方案（按编号规则生成）
    #[command(
        after_help = "示例：\n  diming numbering campaign new --name 2026年城区门牌整编 --unit 152501400"
    )]
    New {
        #[arg(long)]
        name: String,
        #[arg(long)]
        street: Vec<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        all: bool,
    },
    /// 审核：固定某些门牌号，其余随之顺延
    #[command(after_help = "示例：\n  diming numbering campaign pin 整编id --pin 门牌id=13号")]
    Pin {
        id: RecordId,
        #[arg(long, value_parser = parse_pin, required = true)]
        pin: Vec<(RecordId, diming::addresses::DoorNumber)>,
    },
    /// 批准
    #[command(
        after_help = "示例：\n  diming numbering campaign approve 整编id --issuer 二连浩特市人民政府 --number 二政字〔2026〕8号 --date 2026-04-01"
    )]
    Approve {
        id: RecordId,
        #[command(flatten)]
        document: crate::cli::DocumentArgs,
    },
    /// 写入登记簿：全部新号码与整编状态作为一个变更集
    #[command(after_help = "示例：\n  diming numbering campaign apply 整编id --from 2026-05-01")]
    Apply {
        id: RecordId,
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
    },
    /// 登记新门牌已安装
    #[command(
        after_help = "示例：\n  diming numbering campaign install 整编id --plate 门牌id --on 2026-05-10\n  diming numbering campaign install 整编id --every --on 2026-05-20"
    )]
    Install {
        id: RecordId,
        #[arg(long)]
        plate: Vec<RecordId>,
        /// 全部尚未登记安装的门牌
        #[arg(long)]
        every: bool,
        #[arg(long)]
        on: chrono::NaiveDate,
    },
    /// 完成整编（全部门牌已安装）
    #[command(after_help = "示例：\n  diming numbering campaign close 整编id")]
    Close { id: RecordId },
    /// 整编的状态与各区域安装进度
    #[command(after_help = "示例：\n  diming numbering campaign show 整编id")]
    Show { id: RecordId },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum PlanFormat {
    Geojson,
    Csv,
}

pub(super) fn parse_pin(s: &str) -> Result<(RecordId, diming::addresses::DoorNumber), String> {
    let (id, n) = s
        .split_once('=')
        .ok_or_else(|| format!("“{s}”应写作 门牌id=号码，如 0f8f…=12号"))?;
    let id = id.parse().map_err(|_| format!("门牌 id“{id}”无效"))?;
    let n = n
        .parse()
        .map_err(|e: diming::addresses::DoorNumberError| e.to_string())?;
    Ok((id, n))
}
