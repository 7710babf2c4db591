//! Print maps: `diming render street-map | signs | cemetery`, and the one place a drawn map
//! is written as SVG, PNG or PDF (`write_map`, also used by the dispute map).

use super::open;
use anyhow::{Context, Result, bail};
use diming::config::Config;
use diming::publish::atlas::{Atlas, MapExtent};
use diming::publish::map::{self, Layout, Style, labels::Measure};

#[derive(clap::Subcommand)]
pub(crate) enum RenderCommand {
    /// 街区图：街路巷按等级、路名沿街注记（蒙古文随汉字）、门牌号（大比例尺时）、区划与地名
    #[command(
        after_help = "示例：\n  diming render street-map -o 二连浩特市街区图.pdf\n  diming render street-map --layout A3-portrait --unit 152501001 -o 社区街区图.png --dpi 200\n  diming render street-map --bbox 111.96,43.64,111.99,43.66 --layout A4-landscape -o 局部.svg"
    )]
    StreetMap(StreetMapArgs),
    /// 地名标志分布图：每块标志按状况着色，比例尺允许处注标志编号；按状况计数
    #[command(
        after_help = "示例：\n  diming render signs -o 地名标志分布图.pdf\n  diming render signs --layout A3-landscape --unit 152501001 -o 社区标志图.png"
    )]
    Signs(StreetMapArgs),
    /// 公墓墓位图：墓区与墓位（按状态着色），比例尺允许处注墓位号
    #[command(
        after_help = "示例：\n  diming render cemetery 二连浩特市公益性公墓 --layout A1-landscape -o 墓位图.pdf"
    )]
    Cemetery {
        /// 公墓名称（或记录 id）
        name: String,
        /// 版式：A4 至 A0，-landscape（横）或 -portrait（竖）
        #[arg(long, default_value = "A3-landscape")]
        layout: String,
        /// PNG 的分辨率（每英寸点数）
        #[arg(long, default_value_t = 150.0)]
        dpi: f64,
        #[arg(short, long)]
        output: String,
    },
}

#[derive(clap::Args)]
pub(crate) struct StreetMapArgs {
    /// 版式：A4 至 A0，-landscape（横）或 -portrait（竖）
    #[arg(long, default_value = "A1-landscape")]
    layout: String,
    /// 只画此区划（代码）的范围
    #[arg(long, conflicts_with = "bbox")]
    unit: Option<String>,
    /// 范围：西经度,南纬度,东经度,北纬度（CGCS2000）
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    bbox: Option<Vec<f64>>,
    /// 比例尺分母（默认为能容下范围的最大比例尺）
    #[arg(long)]
    scale: Option<f64>,
    /// svg、png 或 pdf（默认取输出文件的扩展名）
    #[arg(long)]
    format: Option<String>,
    /// PNG 的分辨率（每英寸点数）
    #[arg(long, default_value_t = 150.0)]
    dpi: f64,
    /// 另一份样式文件（格式同 maps/street-map.toml）
    #[arg(long)]
    style: Option<String>,
    /// 审图号
    #[arg(long)]
    approval: Option<String>,
    #[arg(short, long)]
    output: String,
}

/// Draws a map and writes it as SVG, PNG or PDF (`format`, or the output's extension).
pub(crate) fn write_map(
    plan: &map::Plan,
    style: &Style,
    data: &map::MapData,
    format: Option<&str>,
    dpi: f64,
    output: &str,
) -> Result<map::Rendered> {
    let format = match format {
        Some(f) => f.to_ascii_lowercase(),
        None => output_format(output),
    };
    let drawn = map::render(plan, style, data, Measure::shared()?);
    let bytes = match format.as_str() {
        "svg" => drawn.svg.clone().into_bytes(),
        "png" => map::png(&drawn, dpi)?,
        "pdf" => map::pdf(&drawn)?,
        _ => bail!("输出格式须为 svg、png 或 pdf（按扩展名或 --format）"),
    };
    std::fs::write(output, &bytes).with_context(|| format!("写入 {output}"))?;
    Ok(drawn)
}

fn output_format(output: &str) -> String {
    std::path::Path::new(output)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(crate) async fn run(db: &str, config: &Config, command: RenderCommand) -> Result<()> {
    let (signs, args) = match command {
        RenderCommand::StreetMap(args) => (false, args),
        RenderCommand::Signs(args) => (true, args),
        RenderCommand::Cemetery {
            name,
            layout,
            dpi,
            output,
        } => {
            let layout = Layout::named(&layout)?;
            let registry = open(db, config).await?;
            let (plan, data) = Atlas::new(&registry.current(), &config.jurisdiction.name)
                .cemetery_map(&name, layout, chrono::Local::now().date_naive())?;
            let drawn = write_map(&plan, Style::named("figure-map"), &data, None, dpi, &output)?;
            let numbered = drawn
                .labels
                .iter()
                .filter(|l| l.text.chars().all(|c| c.is_ascii_digit() || c == '-'))
                .count();
            println!(
                "{}（{}，{}）：墓位号注记 {numbered} 个，写入 {output}",
                data.title.unwrap_or_default(),
                plan.layout.name,
                map::scale_text(plan.scale)
            );
            return Ok(());
        }
    };
    let format = match &args.format {
        Some(f) => f.to_ascii_lowercase(),
        None => output_format(&args.output),
    };
    if !matches!(format.as_str(), "svg" | "png" | "pdf") {
        bail!("输出格式须为 svg、png 或 pdf（可用 --format 指定）");
    }
    if !(10.0..=1200.0).contains(&args.dpi) {
        bail!("分辨率须在 10 至 1200 dpi 之间");
    }
    let mut style = match &args.style {
        Some(path) => Style::parse(
            &std::fs::read_to_string(path).with_context(|| format!("读取样式文件 {path}"))?,
        )
        .with_context(|| format!("样式文件 {path}"))?,
        None if signs => Style::named("sign-map").clone(),
        None => Style::street_map(),
    };
    if let Some(a) = args.approval {
        style.credits.approval = a;
    }
    let layout = Layout::named(&args.layout)?;
    let extent = match (args.unit, args.bbox) {
        (Some(code), _) => MapExtent::Unit(code),
        (None, Some(b)) if b.len() == 4 && b[0] < b[2] && b[1] < b[3] => {
            MapExtent::BBox(geo::Rect::new((b[0], b[1]), (b[2], b[3])))
        }
        (None, Some(_)) => {
            bail!("范围须为 西经度,南纬度,东经度,北纬度 四个数，且西小于东、南小于北")
        }
        (None, None) => MapExtent::Streets,
    };
    let registry = open(db, config).await?;
    let today = chrono::Local::now().date_naive();
    let (plan, data) = {
        let state = registry.current();
        let atlas = Atlas::new(&state, &config.jurisdiction.name);
        if signs {
            atlas.sign_map(layout, &extent, args.scale, today)?
        } else {
            atlas.street_map(layout, &extent, args.scale, today)?
        }
    };
    let drawn = write_map(&plan, &style, &data, Some(&format), args.dpi, &args.output)?;
    println!(
        "{}{}（{}，{}）：街路巷 {}，注记 {} 处，写入 {}",
        data.city,
        style.title,
        plan.layout.name,
        map::scale_text(plan.scale),
        data.streets.len(),
        drawn.labels.len(),
        args.output
    );
    if !drawn.unnamed.is_empty() {
        eprintln!(
            "注意：以下街路巷在图上没有位置注记名称（可换更大的纸或更大的比例尺）：{}",
            drawn.unnamed.join("、")
        );
    }
    Ok(())
}
