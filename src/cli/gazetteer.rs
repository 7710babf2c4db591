//! The gazetteer (地名志) as a PDF, and the name table for the provincial and national
//! place-name databases.

use super::open;
use anyhow::{Context, Result};
use diming::config::Config;
use diming::gazetteer::Paper;
use diming::registry::gazetteer::{Editorial, Selection};

#[derive(clap::Args)]
pub(crate) struct GazetteerArgs {
    /// 只收录此区划（代码）内的地名
    #[arg(long)]
    unit: Option<String>,
    /// 只收录这些类别（units、streets、settlement…或中文类别名，逗号分隔）
    #[arg(long, value_delimiter = ',')]
    categories: Vec<String>,
    /// 按某日的登记状态编纂（默认为现行）
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// 纸张：16k（185 × 260 毫米，默认）或 a4
    #[arg(long, default_value = "16k")]
    paper: String,
    /// 印制日期（默认今天；同一登记状态、同一印制日期得到相同的 PDF）
    #[arg(long)]
    printed: Option<chrono::NaiveDate>,
    /// 另存 typst 源文件（供排版检查；各部分分别排版，每部分前注明起始页）
    #[arg(long)]
    source: Option<String>,
    #[arg(short, long)]
    output: String,
}

pub(crate) async fn run(db: &str, config: &Config, args: GazetteerArgs) -> Result<()> {
    let paper: Paper = args.paper.parse().map_err(anyhow::Error::msg)?;
    let registry = open(db, config).await?;
    let selection = Selection {
        unit: args.unit,
        categories: args.categories,
        as_of: args.as_of,
    };
    let editorial = Editorial::of(
        &config.gazetteer,
        args.printed
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    );
    let book = registry.gazetteer(&selection, &editorial).await?;
    let n = book.entries().count();
    if n == 0 {
        anyhow::bail!("所选范围内没有经批准的标准地名，未生成地名志");
    }
    let typeset = diming::publish::gazetteer::typeset(&book, paper)?;
    if let Some(path) = &args.source {
        std::fs::write(path, &typeset.source).with_context(|| format!("写入 {path}"))?;
    }
    let pdf = typeset.pdf;
    std::fs::write(&args.output, &pdf).with_context(|| format!("写入 {}", args.output))?;
    println!(
        "《{}》：{n} 条，{} 字节，写入 {}（依据变更集 {}）",
        book.title,
        pdf.len(),
        args.output,
        book.changeset.as_deref().unwrap_or("—")
    );
    Ok(())
}

#[derive(clap::Args)]
pub(crate) struct ExportNamesArgs {
    /// csv（UTF-8，中文表头）、xlsx（中文表头、冻结首行）、json 或 gpkg
    #[arg(long)]
    format: String,
    #[arg(short, long)]
    output: String,
}

pub(crate) async fn export_names(db: &str, config: &Config, args: ExportNamesArgs) -> Result<()> {
    use diming::gazetteer::NAME_COLUMNS;
    let registry = open(db, config).await?;
    let table = registry.name_table();
    let rows: Vec<Vec<String>> = table.iter().map(|(r, _)| r.clone()).collect();
    let bytes = match args.format.as_str() {
        "csv" => diming::publish::names_table::csv(&rows).map_err(anyhow::Error::msg)?,
        "xlsx" => diming::publish::names_table::xlsx(&rows, "地名表")?,
        "json" => diming::publish::names_table::json(&rows).into_bytes(),
        "gpkg" => {
            let fields: Vec<&str> = NAME_COLUMNS.iter().map(|(k, _)| *k).collect();
            let features: Vec<diming::io::OutFeature> = table
                .into_iter()
                .map(|(values, geometry)| diming::io::OutFeature {
                    values: values
                        .into_iter()
                        .map(|v| (!v.is_empty()).then_some(v))
                        .collect(),
                    geometry,
                })
                .collect();
            diming::io::export(
                std::path::Path::new(&args.output),
                diming::io::Format::Gpkg,
                diming::model::GeometryKind::Any,
                "names",
                &fields,
                &features,
                4490,
            )?;
            println!("已导出 {} 条标准地名到 {}", rows.len(), args.output);
            return Ok(());
        }
        other => anyhow::bail!("格式“{other}”无效：应为 csv、xlsx、json 或 gpkg"),
    };
    std::fs::write(&args.output, bytes).with_context(|| format!("写入 {}", args.output))?;
    println!("已导出 {} 条标准地名到 {}", rows.len(), args.output);
    Ok(())
}
