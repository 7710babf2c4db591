//! `diming stats`: the cremation statistics and the reconciliation of reported figures.

use super::{ByArg, StatsCommand, StatsFormat};
use crate::cli::{Format, open};
use anyhow::{Result, bail};
use diming::cemetery::stats::{By, Reported, percent};
use diming::config::Config;

pub(crate) async fn stats(db: &str, config: &Config, command: StatsCommand) -> Result<()> {
    let registry = open(db, config).await?;
    match command {
        StatsCommand::Cremation {
            from,
            to,
            by,
            format,
        } => {
            let deaths = registry.deaths();
            // By default the latest run of years that hold deaths, as the statistics page.
            let (min, max) = deaths.recent_years().unwrap_or((2016, 2016));
            let (from, to) = (from.unwrap_or(min), to.unwrap_or(max));
            if from > to {
                bail!("起始年份 {from} 晚于截止年份 {to}");
            }
            let by = match by {
                ByArg::Year => By::Year,
                ByArg::Unit => By::Unit,
            };
            let table = deaths.table(from, to, by);
            print!(
                "{}",
                diming::publish::cemetery::stats_text(&table, from, to, format_of(format))
                    .map_err(anyhow::Error::msg)?
            );
        }
        StatsCommand::Reconcile { reported, format } => {
            let deaths = registry.deaths();
            let mut out = Vec::new();
            for r in &reported {
                let r: Reported = r.parse().map_err(anyhow::Error::msg)?;
                out.push(deaths.reconcile(&r));
            }
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&out)?),
                Format::Text => {
                    for r in &out {
                        println!("上报“{}”：", r.reported);
                        println!(
                            "  死亡 {}，火化 {}，土葬 {}，其他 {}",
                            r.counts.deaths, r.counts.cremations, r.counts.burials, r.counts.other
                        );
                        println!("  火化率（火化 ÷ 死亡）：{}", percent(r.rate));
                        println!("  火葬区火化率：{}", percent(r.zone_rate));
                        println!(
                            "  火化与土葬之比（火化 ÷ 土葬，并非火化率）：{}",
                            percent(r.ratio)
                        );
                        if r.matches.is_empty() {
                            println!("  结论：与任何口径都不符");
                        } else {
                            let m: Vec<&str> = r.matches.iter().map(|d| d.label()).collect();
                            println!("  结论：符合 {}", m.join("、"));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

pub(super) fn format_of(f: StatsFormat) -> diming::publish::cemetery::StatsFormat {
    match f {
        StatsFormat::Table => diming::publish::cemetery::StatsFormat::Table,
        StatsFormat::Csv => diming::publish::cemetery::StatsFormat::Csv,
        StatsFormat::Json => diming::publish::cemetery::StatsFormat::Json,
    }
}
