//! Sign documents: the face of a sign as SVG (for the sign maker and the web preview), PDF
//! (typst, fonts embedded) and PNG (the SVG rasterised by resvg), and the conformance report
//! as a standalone HTML page.

use super::pdf::{Fonts, PdfError, string};
use super::raster::PngError;
use crate::signs::artwork::{Face, Flow, Item, Script};
use crate::signs::{SignReport, SignSummary};
use std::fmt::Write as _;

pub use super::raster::SIGN_FONTS;

fn family(script: Script) -> &'static str {
    match script {
        Script::Han | Script::Latin => "Noto Sans CJK SC",
        Script::Mongolian => "Noto Sans Mongolian",
    }
}

use super::escape;

/// Distance from the middle of a line to its baseline, in ems.
const BASELINE: f64 = 0.35;

/// The face as SVG, in millimetres (`width="…mm"`), fonts named, text as text.
pub fn svg(face: &Face) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#,
        w = face.width,
        h = face.height
    );
    for item in &face.items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
                radius,
            } => {
                let stroke = stroke.map_or(String::new(), |(c, sw)| {
                    format!(r#" stroke="{c}" stroke-width="{sw:.2}""#)
                });
                let _ = writeln!(
                    out,
                    r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" rx="{radius:.2}" fill="{fill}"{stroke}/>"#
                );
            }
            Item::Text {
                x,
                y,
                w,
                h,
                text,
                script,
                size,
                fill,
                flow,
            } => {
                let (cx, cy) = (x + w / 2.0, y + h / 2.0);
                let font = format!(
                    r#"font-family="{}" font-size="{size:.2}" font-weight="{}" fill="{fill}" text-anchor="middle""#,
                    family(*script),
                    if *script == Script::Mongolian {
                        "normal"
                    } else {
                        "bold"
                    }
                );
                match flow {
                    Flow::Horizontal => {
                        let _ = writeln!(
                            out,
                            r#"<text x="{cx:.2}" y="{:.2}" {font}>{}</text>"#,
                            cy + size * BASELINE,
                            escape(text)
                        );
                    }
                    Flow::Turned => {
                        let _ = writeln!(
                            out,
                            r#"<text transform="translate({cx:.2} {cy:.2}) rotate(90)" x="0" y="{:.2}" {font}>{}</text>"#,
                            size * BASELINE,
                            escape(text)
                        );
                    }
                    Flow::Stacked => {
                        let n = text.chars().count() as f64;
                        for (i, c) in text.chars().enumerate() {
                            let middle = cy - n * size / 2.0 + (i as f64 + 0.5) * size;
                            let _ = writeln!(
                                out,
                                r#"<text x="{cx:.2}" y="{:.2}" {font}>{}</text>"#,
                                middle + size * BASELINE,
                                escape(&c.to_string())
                            );
                        }
                    }
                }
            }
            Item::Arrow {
                x,
                y,
                w,
                h,
                fill,
                right,
            } => {
                // A shaft of half the height and a head of 40 % of the length.
                let (x0, x1) = if *right { (*x, x + w) } else { (x + w, *x) };
                let head = x1 - (x1 - x0) * 0.4;
                let (top, mid, bottom) = (*y, y + h / 2.0, y + h);
                let (s0, s1) = (y + h * 0.3, y + h * 0.7);
                let _ = writeln!(
                    out,
                    r#"<polygon points="{x0:.2},{s0:.2} {head:.2},{s0:.2} {head:.2},{top:.2} {x1:.2},{mid:.2} {head:.2},{bottom:.2} {head:.2},{s1:.2} {x0:.2},{s1:.2}" fill="{fill}"/>"#
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The face as a typst page of its own size.
fn typst(face: &Face) -> String {
    let mut out = format!(
        "#set page(width: {}mm, height: {}mm, margin: 0mm)\n#set text(top-edge: \"ascender\", bottom-edge: \"descender\")\n",
        face.width, face.height
    );
    let text_of = |s: &str, script: Script, size: f64, fill: &str| {
        format!(
            "text(font: {}, weight: {}, size: {size:.2}mm, fill: rgb({}), {})",
            string(family(script)),
            if script == Script::Mongolian {
                "\"regular\""
            } else {
                "\"bold\""
            },
            string(fill),
            string(s)
        )
    };
    for item in &face.items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
                radius,
            } => {
                let fill = if *fill == "none" {
                    "none".to_string()
                } else {
                    format!("rgb({})", string(fill))
                };
                let stroke = stroke.map_or("none".to_string(), |(c, sw)| {
                    format!("{sw:.2}mm + rgb({})", string(c))
                });
                let _ = writeln!(
                    out,
                    "#place(top + left, dx: {x:.2}mm, dy: {y:.2}mm, rect(width: {w:.2}mm, height: {h:.2}mm, radius: {radius:.2}mm, fill: {fill}, stroke: {stroke}))"
                );
            }
            Item::Text {
                x,
                y,
                w,
                h,
                text,
                script,
                size,
                fill,
                flow,
            } => {
                let body = match flow {
                    Flow::Horizontal => text_of(text, *script, *size, fill),
                    Flow::Turned => format!(
                        "rotate(90deg, reflow: true, {})",
                        text_of(text, *script, *size, fill)
                    ),
                    Flow::Stacked => format!(
                        "stack(dir: ttb, {})",
                        text.chars()
                            .map(|c| text_of(&c.to_string(), *script, *size, fill))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let _ = writeln!(
                    out,
                    "#place(top + left, dx: {x:.2}mm, dy: {y:.2}mm, box(width: {w:.2}mm, height: {h:.2}mm, align(center + horizon, {body})))"
                );
            }
            Item::Arrow {
                x,
                y,
                w,
                h,
                fill,
                right,
            } => {
                let (x0, x1) = if *right { (0.0, *w) } else { (*w, 0.0) };
                let head = x1 - (x1 - x0) * 0.4;
                let (s0, s1) = (h * 0.3, h * 0.7);
                let pts = [
                    (x0, s0),
                    (head, s0),
                    (head, 0.0),
                    (x1, h / 2.0),
                    (head, *h),
                    (head, s1),
                    (x0, s1),
                ]
                .iter()
                .map(|(a, b)| format!("({a:.2}mm, {b:.2}mm)"))
                .collect::<Vec<_>>()
                .join(", ");
                let _ = writeln!(
                    out,
                    "#place(top + left, dx: {x:.2}mm, dy: {y:.2}mm, polygon(fill: rgb({}), {pts}))",
                    string(fill)
                );
            }
        }
    }
    out
}

/// The face as a one-page PDF at full size, fonts embedded.
pub fn pdf(face: &Face) -> Result<Vec<u8>, PdfError> {
    super::pdf::render(&typst(face), &Fonts::load_from(&SIGN_FONTS)?)
}

/// The face as a PNG `width_px` wide.
pub fn png(face: &Face, width_px: u32) -> Result<Vec<u8>, PngError> {
    super::raster::svg_to_png(&svg(face), width_px)
}

/// One row per finding, for spreadsheets.
pub fn csv(reports: &[SignReport]) -> Result<String, csv::Error> {
    let mut w = crate::io::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "标志编号",
        "种类",
        "所在单位",
        "经度",
        "纬度",
        "规则",
        "问题",
        "标志现状",
        "应为",
        "依据",
        "记录",
    ])?;
    for r in reports {
        for f in &r.findings {
            w.write_record([
                r.code.as_str(),
                r.kind_label,
                r.unit.as_deref().unwrap_or(""),
                &format!("{:.6}", r.lon),
                &format!("{:.6}", r.lat),
                f.rule.id(),
                &f.message,
                &f.shown,
                &f.expected,
                f.rule.source(),
                &r.id.to_string(),
            ])?;
        }
    }
    let bytes = w.into_inner()?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
}

/// The conformance report as a standalone HTML page, grouped by unit.
pub fn html(
    reports: &[SignReport],
    summary: &SignSummary,
    city: &str,
    date: chrono::NaiveDate,
) -> Result<String, tera::Error> {
    let mut context = tera::Context::new();
    let with: Vec<&SignReport> = reports.iter().filter(|r| !r.findings.is_empty()).collect();
    context.insert("city", city);
    context.insert("date", &date.to_string());
    context.insert("reports", &with);
    context.insert("summary", summary);
    tera::Tera::one_off(include_str!("templates/signs_check.html"), &context, true)
}
