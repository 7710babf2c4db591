//! Boundary marker documents: the register form of one marker (界桩登记表) and the results
//! table of many (界桩成果表), with both coordinate forms: longitude/latitude and
//! Gauss–Krüger X/Y with the zone number, as the registry computes them.

use super::pdf::{Fonts, PdfError, render, string};
use crate::boundaries::marker::Marker;

/// A marker with what the documents show beside the register entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub marker: Marker,
    /// Names of the units it separates, in the order of `marker.units`.
    pub unit_names: Vec<String>,
    pub lon: f64,
    pub lat: f64,
    /// Gauss–Krüger X (northing) and Y (easting with zone number), metres.
    pub x: f64,
    pub y: f64,
}

/// Degrees as 度分秒 to 0.01″.
pub fn dms(deg: f64) -> String {
    let total = (deg.abs() * 360_000.0).round() as i64;
    let (d, rest) = (total / 360_000, total % 360_000);
    let (m, s) = (rest / 6000, rest % 6000);
    format!("{d}°{m:02}′{:02}.{:02}″", s / 100, s % 100)
}

fn form(e: &Entry, city: &str) -> String {
    let m = &e.marker;
    let units: Vec<String> = m
        .units
        .iter()
        .zip(&e.unit_names)
        .map(|(c, n)| format!("{n}（{c}）"))
        .collect();
    let references: String = m
        .references
        .iter()
        .map(|r| {
            format!(
                "[#{}], [#{}], [#{}],",
                string(&r.object),
                string(&format!("{:.1}°", r.azimuth_deg)),
                string(&format!("{:.1} 米", r.distance_m))
            )
        })
        .collect::<Vec<_>>()
        .join("\n  ");
    format!(
        r#"#align(center)[#text(size: 18pt, weight: "bold")[#{title}]]
#v(3mm)
#table(
  columns: (30mm, 1fr, 30mm, 1fr),
  inset: 3mm,
  stroke: 0.5pt,
  [界桩编号], [#{number}], [界桩类型], [#{kind}],
  [材质], [#{material}], [高度], [#{height}],
  [分隔单位], table.cell(colspan: 3)[#{units}],
  [经度], [#{lon}], [纬度], [#{lat}],
  [X（北）], [#{x}], [Y（东，含带号）], [#{y}],
  [埋设日期], [#{installed}], [坐标系], [CGCS2000，3° 带第 37 带（中央子午线 111°E）],
  [位置描述], table.cell(colspan: 3)[#{description}],
)
#v(3mm)
#text(weight: "bold")[方位物]
#table(
  columns: (1fr, 40mm, 40mm),
  inset: 3mm,
  stroke: 0.5pt,
  [方位物], [方位角], [距离],
  {references}
)
#v(1fr)
#grid(columns: (1fr, 1fr), [填表单位：], align(right)[填表日期：])
"#,
        title = string(&format!("{city}界桩登记表")),
        number = string(&m.number),
        kind = string(m.kind.label()),
        material = string(&m.material),
        height = string(&format!("{:.2} 米", m.height_m)),
        units = string(&units.join("、")),
        lon = string(&format!("{}（{:.8}°）", dms(e.lon), e.lon)),
        lat = string(&format!("{}（{:.8}°）", dms(e.lat), e.lat)),
        x = string(&format!("{:.3} 米", e.x)),
        y = string(&format!("{:.3} 米", e.y)),
        installed = string(&m.installed.map(|d| d.to_string()).unwrap_or_default()),
        description = string(&m.description),
    )
}

const HEAD: &str = r##"#set page(paper: "a4", margin: 18mm)
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 10.5pt, lang: "zh")
"##;

/// One register form per marker, a page each.
pub fn register_forms(entries: &[Entry], city: &str, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut source = String::from(HEAD);
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            source.push_str("#pagebreak()\n");
        }
        source.push_str(&form(e, city));
    }
    render(&source, fonts)
}

/// The results table of the markers, landscape.
pub fn results_table(entries: &[Entry], city: &str, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let rows: String = entries
        .iter()
        .map(|e| {
            [
                e.marker.number.clone(),
                e.marker.kind.label().to_string(),
                e.unit_names.join("、"),
                dms(e.lon),
                dms(e.lat),
                format!("{:.3}", e.x),
                format!("{:.3}", e.y),
                format!("{:.2}", e.marker.height_m),
            ]
            .iter()
            .map(|c| format!("[#{}]", string(c)))
            .collect::<Vec<_>>()
            .join(", ")
        })
        .collect::<Vec<_>>()
        .join(",\n  ");
    let source = format!(
        r#"{HEAD}#set page(flipped: true)
#align(center)[#text(size: 16pt, weight: "bold")[#{title}]]
#v(2mm)
#align(center)[#text(size: 9pt)[坐标系：CGCS2000；高斯–克吕格 3° 带第 37 带，Y 含带号；单位：米]]
#v(2mm)
#table(
  columns: (22mm, 34mm, 1fr, 30mm, 30mm, 30mm, 32mm, 16mm),
  inset: 2mm,
  stroke: 0.5pt,
  [编号], [类型], [分隔单位], [经度], [纬度], [X], [Y], [高度],
  {rows}
)
"#,
        title = string(&format!("{city}界桩成果表")),
    );
    render(&source, fonts)
}

/// The report of a joint inspection of a line (界线联合检查报告).
pub fn inspection_report(
    line: &crate::boundaries::line::BoundaryLine,
    inspection: &crate::boundaries::line::LineInspection,
    city: &str,
    fonts: &Fonts,
) -> Result<Vec<u8>, PdfError> {
    let findings: String = inspection
        .findings
        .iter()
        .map(|f| format!("[#{}], [#{}],", string(&f.at), string(&f.finding)))
        .collect::<Vec<_>>()
        .join("\n  ");
    let document = line
        .document
        .as_ref()
        .map(|d| format!("{} {}（{}）", d.issuer, d.number, d.date))
        .unwrap_or_else(|| "（无）".into());
    let source = format!(
        r#"{HEAD}#align(center)[#text(size: 17pt, weight: "bold")[#{title}]]
#v(3mm)
#table(
  columns: (32mm, 1fr),
  inset: 3mm,
  stroke: 0.5pt,
  [界线], [#{name}],
  [长度], [#{length}],
  [法律状态], [#{legal}],
  [技术状态], [#{technical}],
  [确定界线的文件], [#{document}],
  [检查日期], [#{date}],
  [检查人员], [#{inspectors}],
  [下次联合检查], [#{next}],
)
#v(3mm)
#text(weight: "bold")[检查结果（逐桩、逐段）]
#table(
  columns: (50mm, 1fr),
  inset: 3mm,
  stroke: 0.5pt,
  [位置], [结果],
  {findings}
)
#v(1fr)
#grid(columns: (1fr, 1fr), [#{left}（盖章）], align(right)[#{right}（盖章）])
"#,
        title = string(&format!(
            "{city}{}—{}界线联合检查报告",
            line.left_name, line.right_name
        )),
        name = string(&format!(
            "{}（{}）与{}（{}）",
            line.left_name, line.left, line.right_name, line.right
        )),
        length = string(&format!("{:.0} 米", line.length_m)),
        legal = string(line.legal.label()),
        technical = string(line.technical.label()),
        document = string(&document),
        date = string(&inspection.date.to_string()),
        inspectors = string(&inspection.inspectors.join("、")),
        next = string(&line.next_inspection().to_string()),
        left = string(&line.left_name),
        right = string(&line.right_name),
    );
    render(&source, fonts)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dms_rounds_to_hundredths_of_a_second() {
        assert_eq!(super::dms(111.965), "111°57′54.00″");
        assert_eq!(super::dms(43.6751234), "43°40′30.44″");
    }
}
