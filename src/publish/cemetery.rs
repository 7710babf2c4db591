//! The cremation statistics as a table, CSV, JSON and SVG charts. The cremation rate and the
//! cremations ÷ burials ratio are never in the same column and never share a name; every
//! row shows whether deaths = cremations + burials + other.

use crate::cemetery::stats::{Counts, Table, percent};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy)]
pub enum StatsFormat {
    Table,
    Csv,
    Json,
}

const HEADERS: [&str; 10] = [
    "分组",
    "死亡数",
    "火化数",
    "土葬数",
    "其他",
    "火化率（火化÷死亡）",
    "火葬区死亡数",
    "火葬区火化率",
    "火化与土葬之比（非火化率）",
    "核对（死亡=火化+土葬+其他）",
];

fn cells(key: &str, c: &Counts) -> [String; 10] {
    [
        key.to_string(),
        c.deaths.to_string(),
        c.cremations.to_string(),
        c.burials.to_string(),
        c.other.to_string(),
        percent(c.rate()),
        c.zone_deaths.to_string(),
        percent(c.zone_rate()),
        percent(c.cremation_burial_ratio()),
        if c.balanced() { "相符" } else { "不符" }.to_string(),
    ]
}

/// The table in a format.
pub fn stats_text(
    table: &Table,
    from: i16,
    to: i16,
    format: StatsFormat,
) -> Result<String, String> {
    let total_key = format!("合计 {from}—{to}");
    let mut rows: Vec<[String; 10]> = table.rows.iter().map(|(k, c)| cells(k, c)).collect();
    rows.push(cells(&total_key, &table.total));
    match format {
        StatsFormat::Json => {
            let v: Vec<serde_json::Value> = table
                .rows
                .iter()
                .map(|(k, c)| (k.as_str(), c))
                .chain(std::iter::once((total_key.as_str(), &table.total)))
                .map(|(k, c)| {
                    serde_json::json!({
                        "group": k,
                        "deaths": c.deaths, "cremations": c.cremations, "burials": c.burials,
                        "other": c.other, "zone_deaths": c.zone_deaths,
                        "zone_cremations": c.zone_cremations,
                        "cremation_rate": c.rate(), "zone_cremation_rate": c.zone_rate(),
                        "cremation_burial_ratio": c.cremation_burial_ratio(),
                        "balanced": c.balanced(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v)
                .map(|s| s + "\n")
                .map_err(|e| e.to_string())
        }
        StatsFormat::Csv => {
            let mut w = crate::io::csv::Writer::from_writer(Vec::new());
            w.write_record(HEADERS).map_err(|e| e.to_string())?;
            for r in &rows {
                w.write_record(r).map_err(|e| e.to_string())?;
            }
            let bytes = w.into_inner().map_err(|e| e.to_string())?;
            Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
        }
        StatsFormat::Table => {
            let mut s = String::new();
            let _ = writeln!(s, "{}", HEADERS.join("\t"));
            for r in &rows {
                let _ = writeln!(s, "{}", r.join("\t"));
            }
            let _ = writeln!(
                s,
                "说明：火化率 = 火化数 ÷ 死亡数；火葬区火化率以火葬区内居民的死亡数为分母；“火化与土葬之比”是火化数 ÷ 土葬数，不是火化率。"
            );
            Ok(s)
        }
    }
}

use super::escape;

/// Stacked bars of deaths by disposition per group, with the cremation rate as a line (SVG).
pub fn chart_svg(table: &Table) -> String {
    let (w, h) = (640.0, 300.0);
    let (left, right, top, bottom) = (48.0, 48.0, 24.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = table
        .rows
        .iter()
        .map(|(_, c)| c.deaths)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let n = table.rows.len().max(1) as f64;
    let slot = plot_w / n;
    let bar = (slot * 0.6).min(60.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="历年死亡人数与火化率" font-family="Noto Sans CJK SC, sans-serif" font-size="12">"##
    );
    let _ = writeln!(
        s,
        r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#333"/>"##,
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    // Left axis: deaths; right axis: the rate, 0–100 %.
    for k in 0..=4 {
        let f = f64::from(k) / 4.0;
        let y = top + plot_h - f * plot_h;
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="10">{}</text><text x="{:.1}" y="{:.1}" font-size="10" fill="#c62828">{}%</text>"##,
            left + plot_w,
            left - 4.0,
            y + 3.5,
            (max * f).round(),
            left + plot_w + 4.0,
            y + 3.5,
            k * 25
        );
    }
    let mut rate_points = Vec::new();
    for (i, (key, c)) in table.rows.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = top + plot_h;
        for (value, colour, label) in [
            (c.cremations, "#2e7d32", "火化"),
            (c.burials, "#8d6e63", "土葬"),
            (c.other, "#9e9e9e", "其他"),
        ] {
            let hgt = value as f64 / max * plot_h;
            y -= hgt;
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{hgt:.1}" fill="{colour}"><title>{} {label} {value}</title></rect>"##,
                escape(key)
            );
        }
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"##,
            x + bar / 2.0,
            top + plot_h + 16.0,
            escape(key),
            x + bar / 2.0,
            y - 4.0,
            c.deaths
        );
        if let Some(r) = c.rate() {
            rate_points.push((x + bar / 2.0, top + plot_h - r * plot_h, r));
        }
    }
    if !rate_points.is_empty() {
        let d: Vec<String> = rate_points
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#c62828" stroke-width="2"/>"##,
            d.join(" ")
        );
        for (x, y, r) in &rate_points {
            let _ = writeln!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="#c62828"/><text x="{:.1}" y="{:.1}" fill="#c62828" font-size="10">{:.1}%</text>"##,
                x + 5.0,
                y - 4.0,
                r * 100.0
            );
        }
    }
    let _ = writeln!(
        s,
        r##"<g font-size="11"><rect x="{left}" y="4" width="10" height="10" fill="#2e7d32"/><text x="{}" y="13">火化</text><rect x="{}" y="4" width="10" height="10" fill="#8d6e63"/><text x="{}" y="13">土葬</text><rect x="{}" y="4" width="10" height="10" fill="#9e9e9e"/><text x="{}" y="13">其他</text><line x1="{}" y1="9" x2="{}" y2="9" stroke="#c62828" stroke-width="2"/><text x="{}" y="13">火化率（火化÷死亡，右轴）</text></g>"##,
        left + 14.0,
        left + 50.0,
        left + 64.0,
        left + 100.0,
        left + 114.0,
        left + 150.0,
        left + 170.0,
        left + 174.0
    );
    s.push_str("</svg>\n");
    s
}
