//! The boundary commands' arguments.

use super::{Output, StateArg};
use clap::Subcommand;
use diming::boundaries::check::EdgeTolerance;

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
        /// 文件中的区划代码字段；有代码时按代码前缀认定上下级
        #[arg(long, default_value = "code")]
        code: String,
        /// 文件中的上级区划代码字段（默认 parent 或 parent_code）；下级与上级、同级之间分别检查
        #[arg(long)]
        parent: Option<String>,
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
        #[arg(long, value_enum, default_value_t = crate::cli::Format::Text)]
        format: crate::cli::Format,
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
        document: crate::cli::DocumentArgs,
    },
}
