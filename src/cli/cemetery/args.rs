//! The burial office's command-line arguments: cemetery, statistics and notice commands.

use crate::cli::Format;
use clap::{Subcommand, ValueEnum};
use diming::cemetery::defaults;

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
    #[command(after_help = ledger_help())]
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

pub(super) fn ledger_help() -> String {
    format!(
        "{}\n\n示例：\n  diming cemetery import-burials 殡葬台账2025.xlsx --dry-run\n  diming cemetery import-burials 殡葬台账2025.csv",
        diming::cemetery::ledger::COLUMNS_HELP
    )
}

#[derive(clap::Args)]
pub(crate) struct RegisterArgs {
    #[arg(long)]
    pub(super) name: String,
    #[arg(long)]
    pub(super) sex: String,
    #[arg(long)]
    pub(super) ethnicity: String,
    #[arg(long)]
    pub(super) id_number: Option<String>,
    #[arg(long)]
    pub(super) born: Option<chrono::NaiveDate>,
    #[arg(long)]
    pub(super) died: chrono::NaiveDate,
    /// 户籍地区划代码（12 位）
    #[arg(long)]
    pub(super) residence: String,
    #[arg(long, default_value = "")]
    pub(super) place_of_death: String,
    /// 火化、土葬 或 其他
    #[arg(long)]
    pub(super) disposition: String,
    #[arg(long)]
    pub(super) certificate: Option<String>,
    #[arg(long)]
    pub(super) cemetery: Option<String>,
    /// 墓位号（区-排-号）
    #[arg(long)]
    pub(super) plot: Option<String>,
    /// 无墓位时遗体或骨灰的去向：经度,纬度
    #[arg(long)]
    pub(super) site: Option<String>,
    #[arg(long)]
    pub(super) exemption: Option<String>,
    #[arg(long)]
    pub(super) document: Vec<String>,
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
        #[arg(long, default_value = diming::cemetery::RELOCATION_EXEMPTION)]
        exemption: String,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
}

#[derive(clap::Args)]
pub(crate) struct RelocationArgs {
    /// 整治范围（GeoJSON 面）
    #[arg(long, group = "which")]
    pub(super) area: Option<String>,
    /// 区域类型（road_railway、village、river_reservoir、water_source…）或区域名称
    #[arg(long, group = "which")]
    pub(super) zone: Option<String>,
    /// 坟墓台账编号或记录号，逗号分隔
    #[arg(long, group = "which")]
    pub(super) graves: Option<String>,
    #[arg(long)]
    pub(super) deadline: chrono::NaiveDate,
    /// 登记开始（默认为告知日期后 3 天）
    #[arg(long)]
    pub(super) registration_from: Option<chrono::NaiveDate>,
    /// 登记截止（默认为迁移期限前 6 天）
    #[arg(long)]
    pub(super) registration_until: Option<chrono::NaiveDate>,
    /// 告知日期（默认今天）
    #[arg(long)]
    pub(super) issued: Option<chrono::NaiveDate>,
    #[arg(long, default_value = defaults::REASON)]
    pub(super) reason: String,
    #[arg(long, default_value = defaults::BASIS)]
    pub(super) basis: String,
    /// 范围的文字说明（默认取区域名称）
    #[arg(long)]
    pub(super) scope: Option<String>,
    /// 接收公墓名称（默认为唯一的公益性公墓）
    #[arg(long)]
    pub(super) destination: Option<String>,
    #[arg(long, default_value_t = defaults::COMPENSATION_SINGLE)]
    pub(super) compensation_single: f64,
    #[arg(long, default_value_t = defaults::COMPENSATION_DOUBLE)]
    pub(super) compensation_double: f64,
    #[arg(long, default_value_t = defaults::BONUS)]
    pub(super) bonus: f64,
    #[arg(long, default_value = defaults::DOCUMENTS)]
    pub(super) documents: String,
    #[arg(long)]
    pub(super) contact: String,
    /// 发布单位（默认为“本市民政局”）
    #[arg(long)]
    pub(super) issuer: Option<String>,
    /// 批次名称
    #[arg(long)]
    pub(super) batch: Option<String>,
    #[arg(short, long)]
    pub(super) output: String,
}
