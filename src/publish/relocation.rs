//! Relocation notices for graves outside cemeteries: one 迁坟告知书 per grave and the public
//! 迁坟公告 for the area, each with a small map drawn at a true scale (EPSG:4546, scale bar of a
//! round length, north arrow). Every element a notice needs (DOMAIN.md §5): legal basis,
//! reason, scope with its map, registration window and deadline, destination cemetery,
//! compensation, the documents to bring, the consequence, contact, issuer and date. The
//! owner's telephone and any ID number never appear.

use super::map::round_length;
use super::pdf::{Fonts, PdfError, render, string};
use crate::cemetery::{Grave, Notice, NoticeTerms, yuan};
use crate::spatial::crs::to_measure;
use geo::{BoundingRect, CoordsIter, Geometry, Point};
use std::fmt::Write as _;

/// What a map shows: zones (name, polygon), the area if any, graves (number, point), the
/// one grave the notice is about.
pub struct MapLayers<'a> {
    pub zones: Vec<(String, &'a Geometry<f64>)>,
    pub area: Option<&'a Geometry<f64>>,
    pub graves: Vec<(String, Point<f64>)>,
    pub focus: Option<(String, Point<f64>)>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG map `w_mm` × `h_mm` at a true scale, or None when there is nothing to draw.
pub fn map_svg(layers: &MapLayers, w_mm: f64, h_mm: f64) -> Option<String> {
    let project = |g: &Geometry<f64>| to_measure(g).ok();
    let pts: Vec<(String, geo::Coord<f64>)> = layers
        .graves
        .iter()
        .chain(layers.focus.iter())
        .filter_map(|(n, p)| match project(&Geometry::Point(*p))? {
            Geometry::Point(q) => Some((n.clone(), q.0)),
            _ => None,
        })
        .collect();
    let area = layers.area.and_then(project);
    // The extent: the area, or the graves; around a single grave, 2 km.
    let mut rect = match (&area, layers.focus.is_some()) {
        (_, true) => {
            let c = pts.last()?.1;
            geo::Rect::new((c.x - 1000.0, c.y - 1000.0), (c.x + 1000.0, c.y + 1000.0))
        }
        (Some(a), false) => a.bounding_rect()?,
        (None, false) => geo::MultiPoint::from(pts.iter().map(|(_, c)| *c).collect::<Vec<_>>())
            .bounding_rect()?,
    };
    let pad = (rect.width().max(rect.height()) * 0.08).max(100.0);
    rect = geo::Rect::new(
        (rect.min().x - pad, rect.min().y - pad),
        (rect.max().x + pad, rect.max().y + pad),
    );
    let m_per_mm = (rect.width() / w_mm).max(rect.height() / h_mm);
    let (cx, cy) = (
        (rect.min().x + rect.max().x) / 2.0,
        (rect.min().y + rect.max().y) / 2.0,
    );
    let at = |c: geo::Coord<f64>| {
        (
            w_mm / 2.0 + (c.x - cx) / m_per_mm,
            h_mm / 2.0 - (c.y - cy) / m_per_mm,
        )
    };
    let path = |g: &Geometry<f64>| {
        let mut d = String::new();
        let polys: Vec<&geo::Polygon<f64>> = match g {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(m) => m.0.iter().collect(),
            _ => vec![],
        };
        for p in polys {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for (i, c) in ring.coords_iter().enumerate() {
                    let (x, y) = at(c);
                    let _ = write!(d, "{}{x:.2},{y:.2} ", if i == 0 { "M" } else { "L" });
                }
                d.push_str("Z ");
            }
        }
        d
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w_mm}mm" height="{h_mm}mm" viewBox="0 0 {w_mm} {h_mm}" font-family="Noto Sans CJK SC">
<defs><clipPath id="f"><rect width="{w_mm}" height="{h_mm}"/></clipPath></defs>
<rect width="{w_mm}" height="{h_mm}" fill="#f7f5ef" stroke="#333" stroke-width="0.3"/><g clip-path="url(#f)">"##
    );
    let colours = ["#e8c07d", "#9cc3e6", "#b6d7a8", "#d5a6bd"];
    for (i, (name, g)) in layers.zones.iter().enumerate() {
        let Some(p) = project(g) else { continue };
        let _ = writeln!(
            s,
            r##"<path d="{}" fill="{}" fill-opacity="0.55" stroke="#8a6d3b" stroke-width="0.2" fill-rule="evenodd"><title>{}</title></path>"##,
            path(&p),
            colours[i % colours.len()],
            escape(name)
        );
    }
    if let Some(a) = &area {
        let _ = writeln!(
            s,
            r##"<path d="{}" fill="none" stroke="#c0392b" stroke-width="0.6" stroke-dasharray="2,1" fill-rule="evenodd"/>"##,
            path(a)
        );
    }
    let n = layers.graves.len();
    for (i, (number, c)) in pts.iter().enumerate() {
        let (x, y) = at(*c);
        let focus = layers.focus.is_some() && i == pts.len() - 1;
        if focus {
            let _ = writeln!(
                s,
                r##"<circle cx="{x:.2}" cy="{y:.2}" r="1.8" fill="#c0392b" stroke="#fff" stroke-width="0.4"/><text x="{:.2}" y="{:.2}" font-size="3">{}</text>"##,
                x + 2.5,
                y + 1.0,
                escape(number)
            );
        } else {
            let _ = writeln!(
                s,
                r##"<circle cx="{x:.2}" cy="{y:.2}" r="{}" fill="#333"/>"##,
                if n > 40 { 0.5 } else { 0.8 }
            );
        }
    }
    s.push_str("</g>\n");
    // Scale bar of a round length, at most a third of the width, bottom left.
    let length = round_length(w_mm / 3.0 * m_per_mm);
    let bar = length / m_per_mm;
    let label = if length >= 1000.0 {
        format!("{} km", length / 1000.0)
    } else {
        format!("{length} m")
    };
    let _ = writeln!(
        s,
        r##"<g id="scale-bar" data-metres="{length}" data-mm="{bar:.3}"><rect x="4" y="{:.2}" width="{bar:.2}" height="1.2" fill="#111"/><text x="4" y="{:.2}" font-size="2.6">{label}</text></g>"##,
        h_mm - 5.0,
        h_mm - 6.0
    );
    let x = w_mm - 7.0;
    let _ = writeln!(
        s,
        r##"<g id="north"><path d="M{x:.1},5 L{:.1},11 L{x:.1},9.5 L{:.1},11 Z" fill="#111"/><text x="{x:.1}" y="4.2" font-size="3" text-anchor="middle">北</text></g>"##,
        x - 2.0,
        x + 2.0,
    );
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="2.4" text-anchor="end">1:{}</text></svg>"##,
        w_mm - 3.0,
        h_mm - 2.5,
        (m_per_mm * 1000.0).round()
    );
    Some(s)
}

const HEAD: &str = r##"#set page(paper: "a4", margin: (x: 20mm, y: 18mm))
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 11pt, lang: "zh")
#set par(leading: 0.85em, justify: true)
"##;

fn para(label: &str, text: &str) -> String {
    format!(
        "#par(first-line-indent: 0em)[#text(weight: \"bold\", {}) #{}]\n",
        string(label),
        string(text)
    )
}

/// The terms every notice of a batch states, as typst paragraphs.
fn terms_block(t: &NoticeTerms) -> String {
    let mut s = String::new();
    s.push_str(&para("一、依据：", &t.basis));
    s.push_str(&para("二、事由：", &t.reason));
    s.push_str(&para("三、范围：", &format!("{}。", t.scope)));
    s.push_str(&para(
        "四、登记时间：",
        &format!(
            "{} 至 {}，请坟主或其亲属到下列联系地点登记。",
            t.registration_from.format("%Y年%m月%d日"),
            t.registration_until.format("%Y年%m月%d日")
        ),
    ));
    s.push_str(&para(
        "五、迁移期限：",
        &format!("{} 前自行迁移完毕。", t.deadline.format("%Y年%m月%d日")),
    ));
    s.push_str(&para(
        "六、安置去向：",
        &format!("迁入{}，墓位由民政部门统一安排。", t.destination_name),
    ));
    s.push_str(&para(
        "七、补偿标准：",
        &format!(
            "单穴每座 {} 元，双穴每座 {} 元；在迁移期限内迁移完毕的，另奖励 {} 元。",
            yuan(t.compensation_single_fen),
            yuan(t.compensation_double_fen),
            yuan(t.bonus_fen)
        ),
    ));
    s.push_str(&para("八、登记须携带材料：", &t.documents));
    s.push_str(&para(
        "九、逾期处理：",
        "逾期未登记或未迁移的坟墓，视为无主坟墓，由政府依法统一迁移、妥善安置，不予补偿。",
    ));
    s.push_str(&para("十、联系方式：", &t.contact));
    s
}

fn signature(t: &NoticeTerms) -> String {
    format!(
        "#v(6mm)\n#align(right)[#{}\\ #{}]\n",
        string(&t.issuer),
        string(&t.issued_on.format("%Y年%m月%d日").to_string())
    )
}

fn image(svg: &str, width_mm: f64) -> String {
    format!(
        "#align(center)[#image(bytes({}), format: \"svg\", width: {width_mm}mm)]\n",
        string(svg)
    )
}

/// One notice to one grave's owner.
pub fn notice_source(
    notice: &Notice,
    grave: &Grave,
    location: Point<f64>,
    map: Option<&str>,
) -> String {
    let t = &notice.terms;
    let mut s = String::from(HEAD);
    let _ = writeln!(
        s,
        "#align(center)[#text(size: 20pt, weight: \"bold\")[迁坟告知书]]\n#align(right)[#{}]\n#v(2mm)",
        string(&notice.number)
    );
    let owner = grave.owner.clone().unwrap_or_else(|| "坟主".into());
    let _ = writeln!(
        s,
        "#par(first-line-indent: 0em)[#{}：]",
        string(&format!("{owner}（坟墓编号 {}）", grave.number))
    );
    let zones: Vec<&str> = grave.zones.iter().map(|z| z.label()).collect();
    let _ = writeln!(
        s,
        "#par(first-line-indent: 2em)[#{}]",
        string(&format!(
            "经调查，您（家）位于东经 {:.5}°、北纬 {:.5}° 的坟墓（{}{}）{}。根据下列规定，现将迁坟事项告知如下：",
            location.x(),
            location.y(),
            grave.kind.label(),
            grave
                .buried
                .as_ref()
                .map(|b| format!("，安葬者 {b}"))
                .unwrap_or_default(),
            if zones.is_empty() {
                "在本次整治范围内".to_string()
            } else {
                format!("位于{}", zones.join("、"))
            }
        ))
    );
    s.push_str(&terms_block(t));
    if let Some(svg) = map {
        s.push_str("#v(2mm)\n");
        s.push_str(&image(svg, 120.0));
        s.push_str("#align(center)[#text(size: 9pt)[坟墓位置示意图（红点为本坟墓）]]\n");
    }
    s.push_str(&signature(t));
    s.push_str(
        "#v(4mm)\n#line(length: 100%, stroke: 0.4pt)\n#par(first-line-indent: 0em)[送达回执：本人已收到本告知书。]\n#v(2mm)\n#grid(columns: (1fr, 1fr), [签收人：#box(width: 40mm, repeat[\\_])], [签收日期：#box(width: 40mm, repeat[\\_])])\n",
    );
    s
}

/// The public notice for an area.
pub fn public_source(
    title: &str,
    terms: &NoticeTerms,
    graves: &[String],
    map: Option<&str>,
) -> String {
    let mut s = String::from(HEAD);
    let _ = writeln!(
        s,
        "#align(center)[#text(size: 20pt, weight: \"bold\")[迁坟公告]]\n#align(center)[#text(size: 12pt)[#{}]]\n#v(3mm)",
        string(title)
    );
    let _ = writeln!(
        s,
        "#par(first-line-indent: 2em)[#{}]",
        string(&format!(
            "为{}，经调查，以下范围内共有坟墓 {} 座须迁移。现将有关事项公告如下：",
            terms.reason,
            graves.len()
        ))
    );
    s.push_str(&terms_block(terms));
    if let Some(svg) = map {
        s.push_str(&image(svg, 160.0));
        s.push_str("#align(center)[#text(size: 9pt)[迁移范围示意图（黑点为须迁移的坟墓）]]\n");
    }
    let _ = writeln!(
        s,
        "#par(first-line-indent: 0em)[#text(weight: \"bold\", \"须迁移坟墓编号：\") #{}]",
        string(&graves.join("、"))
    );
    s.push_str(&signature(terms));
    s
}

/// The PDFs of a batch: one notice per grave (named by its number) and the public notice
/// for the area, as (file name, bytes).
pub fn batch(
    state: &crate::record::CurrentState,
    notices: &[crate::record::RecordId],
    area: Option<&Geometry<f64>>,
    title: &str,
    fonts: &Fonts,
) -> Result<Vec<(String, Vec<u8>)>, PdfError> {
    use crate::layers::{Body, Layer};
    let zones: Vec<(String, &Geometry<f64>)> = state
        .layer(Layer::Zone)
        .filter_map(|v| match &v.body {
            Body::Zone(z) if z.kind != crate::cemetery::ZoneKind::Cremation => {
                Some((z.name.clone(), &v.geometry))
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    let mut numbers = Vec::new();
    let mut points = Vec::new();
    let mut terms = None;
    for id in notices {
        let Some(v) = state.get(id) else { continue };
        let Body::Notice(n) = &v.body else { continue };
        let Some(g) = state.get(&n.grave) else {
            continue;
        };
        let Body::Grave(grave) = &g.body else {
            continue;
        };
        let Geometry::Point(p) = g.geometry else {
            continue;
        };
        numbers.push(grave.number.clone());
        points.push((grave.number.clone(), p));
        let map = map_svg(
            &MapLayers {
                zones: zones.clone(),
                area,
                graves: Vec::new(),
                focus: Some((grave.number.clone(), p)),
            },
            120.0,
            70.0,
        );
        let source = notice_source(n, grave, p, map.as_deref());
        out.push((
            format!("迁坟告知书-{}.pdf", n.number),
            render(&source, fonts)?,
        ));
        terms.get_or_insert_with(|| n.terms.clone());
    }
    if let Some(terms) = terms {
        let map = map_svg(
            &MapLayers {
                zones,
                area,
                graves: points,
                focus: None,
            },
            160.0,
            110.0,
        );
        let source = public_source(title, &terms, &numbers, map.as_deref());
        out.push(("迁坟公告.pdf".into(), render(&source, fonts)?));
    }
    Ok(out)
}
