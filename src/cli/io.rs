//! `diming import` and `diming export`: the file gateway on the command line.

use super::open;
use anyhow::{Context, Result, bail};
use diming::config::Config;
use diming::io::{self, Encoding, Format, ReadOptions};
use diming::model::Layer;
use diming::registry::Registry;
use diming::registry::files::{self, ImportRequest};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(
    after_help = "格式：GeoJSON、Shapefile（.shp 或 zip 压缩包；.dbf 编码按 .cpg 或 --encoding）、GeoPackage、KML、DXF、CSV（经度/纬度或 WKT 列）\n\n示例：\n  diming import --layer streets 道路.zip --encoding gbk --dry-run\n  diming import --layer door_plates 门牌.csv --map 门牌号=number --map 街路巷=street\n  diming import --layer streets 测绘.dxf --crs EPSG:4546 --map Text=name\n  diming import --layer streets 普查街路巷.gpkg --issuer 二连浩特市人民政府 --number 二政字〔2018〕20号 --date 2018-06-30   # 已公告的标准地名"
)]
pub(crate) struct ImportArgs {
    /// 图层：admin_units、streets、places、door_plates、signs、boundary_markers、cemeteries、cemetery_sections、plots、graves、zones
    #[arg(long)]
    layer: String,
    file: PathBuf,
    /// 文件的坐标系（文件未注明或注明有误时），如 EPSG:4546、EPSG:4525
    #[arg(long)]
    crs: Option<String>,
    /// 属性编码（Shapefile 没有 .cpg 时）：gbk 或 utf-8
    #[arg(long)]
    encoding: Option<String>,
    /// 字段对应：文件字段=登记簿字段，可多次给出
    #[arg(long = "map", value_name = "SRC=DST")]
    map: Vec<String>,
    /// 只核对并输出报告，不写入
    #[arg(long)]
    dry_run: bool,
    /// 文件（或解压后）的大小上限，单位 MiB
    #[arg(long, default_value_t = 512)]
    max_mb: u64,
    /// 变更原因（默认为“从文件导入：文件名”）
    #[arg(long)]
    reason: Option<String>,
    /// 报告格式
    #[arg(long, value_enum, default_value_t = super::Format::Text)]
    format: super::Format,
    /// 批准文件的发文机关：文件中的地名据此登记为已批准或已公告（无批准文件时只能为拟命名）
    #[arg(long, requires_all = ["number", "date"])]
    issuer: Option<String>,
    /// 批准文件的文号
    #[arg(long, requires_all = ["issuer", "date"])]
    number: Option<String>,
    /// 批准文件的日期
    #[arg(long, requires_all = ["issuer", "number"])]
    date: Option<chrono::NaiveDate>,
}

#[derive(clap::Args)]
#[command(
    after_help = "示例：\n  diming export --layer streets --format shp -o 街路巷.shp\n  diming export --layer door_plates --format gpkg -o 门牌.gpkg --crs EPSG:4546\n  diming export --layer streets --format geojson -o 2020年街路巷.geojson --as-of 2020-12-31"
)]
pub(crate) struct ExportArgs {
    #[arg(long)]
    layer: String,
    /// geojson、gpkg、shp、kml、csv、dxf
    #[arg(long)]
    format: String,
    #[arg(short, long)]
    output: PathBuf,
    /// 输出坐标系（默认 EPSG:4490）
    #[arg(long)]
    crs: Option<String>,
    /// 导出某一日期的状态（默认为现行）
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
}

pub(crate) fn parse_crs(crs: &str) -> Result<u32> {
    let code = crs
        .trim()
        .strip_prefix("EPSG:")
        .or_else(|| crs.trim().strip_prefix("epsg:"))
        .unwrap_or(crs.trim());
    code.parse()
        .with_context(|| format!("坐标系“{crs}”无法识别：应写作 EPSG:4546 这样的代码"))
}

fn parse_layer(table: &str) -> Result<Layer> {
    Layer::from_table(table).with_context(|| {
        let names: Vec<&str> = Layer::ALL.iter().map(|l| l.table()).collect();
        format!("没有图层“{table}”：应为 {}", names.join("、"))
    })
}

pub(crate) async fn import(
    db: &str,
    config: &Config,
    author: &str,
    args: ImportArgs,
) -> Result<()> {
    let layer = parse_layer(&args.layer)?;
    Registry::importable(layer)?;
    let options = ReadOptions {
        crs: args.crs.as_deref().map(parse_crs).transpose()?,
        encoding: args
            .encoding
            .as_deref()
            .map(|e| e.parse::<Encoding>().map_err(anyhow::Error::msg))
            .transpose()?,
        limits: io::Limits {
            max_bytes: args.max_mb.saturating_mul(1024 * 1024),
            work: config.server.limits,
            ..io::Limits::default()
        },
    };
    let map = files::column_map(args.map.iter().map(String::as_str)).map_err(anyhow::Error::msg)?;
    let registry = open(db, config).await?;
    let file = args.file.clone();
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("读取 {msg} [{bar:30}] {pos}/{len}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message(file.display().to_string());
    let raw = {
        let bar = bar.clone();
        tokio::task::spawn_blocking(move || {
            io::read(&file, &options, &mut |n, total| {
                bar.set_length(total);
                bar.set_position(n as u64);
            })
        })
        .await
        .context("读取文件的线程中断")??
    };
    bar.finish_and_clear();
    // Checking and writing a large file take seconds: say what is happening meanwhile.
    let busy =
        ProgressBar::new_spinner().with_message(format!("检查 {} 个要素", raw.features.len()));
    busy.enable_steady_tick(std::time::Duration::from_millis(120));
    let document = match (args.issuer.clone(), args.number.clone(), args.date) {
        (Some(issuer), Some(number), Some(date)) => Some(diming::record::ApprovalDocument {
            issuer,
            number,
            date,
        }),
        _ => None,
    };
    let request = ImportRequest {
        layer,
        map,
        document,
        author: author.to_string(),
        reason: args.reason.clone().unwrap_or_else(|| {
            ImportRequest::reason_for(&args.file.file_name().unwrap_or_default().to_string_lossy())
        }),
        dry_run: args.dry_run,
        today: chrono::Local::now().date_naive(),
    };
    let report = registry.check_import(&request, &raw);
    // A dry run also asks the registry's rules over the whole changeset (numbering, markers,
    // cemeteries…), so that it answers what the import would.
    if !report.writes.is_empty() && report.refused.is_empty() {
        busy.set_message(if args.dry_run {
            format!("按登记簿规则核对 {} 处变更", report.writes.len())
        } else {
            format!("写入登记簿：{} 处变更", report.writes.len())
        });
    }
    let imported = registry.finish_import(&request, &raw, report).await;
    // Cleared before a refusal is printed, not left half drawn above it.
    busy.finish_and_clear();
    let imported = imported?;
    let (report, committed) = (&imported.report, &imported.changeset);
    match args.format {
        super::Format::Json => println!("{}", serde_json::to_string_pretty(&imported)?),
        super::Format::Text => {
            println!(
                "{}（{}，坐标系 {}）：读入 {} 个要素",
                args.file.display(),
                raw.format,
                raw.crs,
                report.read
            );
            println!(
                "  新建 {}，修改 {}，未变 {}，拒绝 {}",
                report.created,
                report.updated,
                report.unchanged,
                report.refused.len()
            );
            if !report.ignored_columns.is_empty() {
                println!("  未使用的字段：{}", report.ignored_columns.join("、"));
            }
            for r in &report.refused {
                println!("  第 {} 个要素：{}", r.row, r.reason);
            }
            match (committed, args.dry_run) {
                (Some(id), _) => println!("已写入变更集 {id}"),
                (None, true) => println!("试运行：没有写入"),
                (None, false) if report.refused.is_empty() => println!("没有需要写入的变化"),
                (None, false) => {}
            }
        }
    }
    if let Some(refusal) = &imported.rules {
        bail!("登记簿规则不接受这次导入（试运行，没有写入）：{refusal}");
    }
    if !report.refused.is_empty() {
        bail!(
            "{} 个要素被拒绝，整个文件都没有写入（导入要么全部成功，要么什么都不写）",
            report.refused.len()
        );
    }
    Ok(())
}

pub(crate) async fn export(db: &str, config: &Config, args: ExportArgs) -> Result<()> {
    let layer = parse_layer(&args.layer)?;
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let crs = args
        .crs
        .as_deref()
        .map(parse_crs)
        .transpose()?
        .unwrap_or(4490);
    let registry = open(db, config).await?;
    let versions = match args.as_of {
        Some(date) => registry.layer_as_of(layer, date).await?,
        None => registry.current().layer(layer).cloned().collect(),
    };
    let features = registry.export_features(&versions);
    write(layer, format, crs, &args.output, features).await
}

async fn write(
    layer: Layer,
    format: Format,
    crs: u32,
    output: &std::path::Path,
    features: Vec<io::OutFeature>,
) -> Result<()> {
    let n = features.len();
    let path = output.to_path_buf();
    tokio::task::spawn_blocking(move || files::write_file(&path, layer, format, crs, &features))
        .await
        .context("写文件的线程中断")??;
    println!("已导出 {n} 个要素到 {}", output.display());
    Ok(())
}
