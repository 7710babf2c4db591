//! The map's furniture: the sheet's frame, title and scale, the figure's, the grid and its
//! labels, the side panel (street index, door plates) and the inset.

use super::{
    Area, BASELINE, BoundingRect, Coord, Geometry, LabelBox, MapData, Plan, Rect, Style, escape,
    legend, length_text, round_length, scale_text,
};
use std::fmt::Write as _;

/// Around a sheet's frame: the neatline, the grid's values, the title and the panel.
pub(super) fn sheet_furniture(
    svg: &mut String,
    plan: &Plan,
    style: &Style,
    data: &MapData,
    grid: f64,
    door_plates: bool,
) {
    // The neatline: a thin inner line and a heavy outer one.
    let (l, f) = (&plan.layout, plan.layout.frame);
    let o = 1.2 * l.k;
    let _ = write!(
        svg,
        r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#222" stroke-width="0.25"/><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#222" stroke-width="{:.2}"/>"##,
        f.x,
        f.y,
        f.w,
        f.h,
        f.x - o,
        f.y - o,
        f.w + 2.0 * o,
        f.h + 2.0 * o,
        0.6 * l.k
    );
    grid_labels(svg, plan, style, grid);
    // The title.
    let _ = write!(
        svg,
        r##"<text x="{:.2}" y="{:.2}" font-size="{:.2}" font-weight="bold" text-anchor="middle" letter-spacing="{:.2}" fill="#111">{}</text>"##,
        l.title.x + l.title.w / 2.0,
        l.title.y + l.title.h * 0.72,
        l.title_size,
        l.title_size * 0.3,
        escape(
            &data
                .title
                .clone()
                .unwrap_or_else(|| format!("{}{}", data.city, style.title))
        )
    );
    panel(svg, plan, style, data, door_plates);
}

/// A figure's scale bar (bottom left), scale (bottom right) and north arrow (top right), and
/// the boxes they take.
pub(super) fn figure_furniture(plan: &Plan) -> (String, Vec<LabelBox>) {
    let f = plan.layout.frame;
    let fs = 2.4;
    let m_per_mm = plan.m_per_mm();
    let length = round_length(f.w / 3.0 * m_per_mm);
    let bar = length / m_per_mm;
    let (bx, by) = (f.x + 3.0, f.bottom() - 3.5);
    let (nx, ny) = (f.right() - 6.0, f.y + 2.0);
    let scale = scale_text(plan.scale);
    let svg = format!(
        r##"<g class="furniture" fill="#111"><rect class="scale-bar" data-metres="{length}" x="{bx:.2}" y="{by:.2}" width="{bar:.4}" height="1" fill="#111"/><text x="{bx:.2}" y="{:.2}" font-size="{fs}" stroke="#fff" stroke-width="0.5" paint-order="stroke">{}</text><text x="{:.2}" y="{:.2}" font-size="{fs}" text-anchor="end" stroke="#fff" stroke-width="0.5" paint-order="stroke">{scale}</text><path d="M{nx:.2} {ny:.2}L{:.2} {:.2}L{nx:.2} {:.2}L{:.2} {:.2}Z"/><text x="{nx:.2}" y="{:.2}" font-size="{fs}" text-anchor="middle">北</text></g>"##,
        by - 0.8,
        length_text(length),
        f.right() - 2.5,
        f.bottom() - 2.5,
        nx + 1.8,
        ny + 7.0,
        ny + 5.5,
        nx - 1.8,
        ny + 7.0,
        ny + 7.0 + fs * 1.1,
    );
    let boxes = vec![
        LabelBox {
            min: (bx - 0.5, by - 0.8 - fs),
            max: (bx + bar.max(fs * 4.0) + 0.5, by + 1.5),
        },
        LabelBox {
            min: (f.right() - 2.5 - fs * 4.0, f.bottom() - 2.5 - fs),
            max: (f.right(), f.bottom()),
        },
        LabelBox {
            min: (nx - 2.5, ny - 0.5),
            max: (nx + 2.5, ny + 7.5 + fs * 1.2),
        },
    ];
    (svg, boxes)
}

/// A grid interval (m) that puts lines about 10 cm apart on paper.
pub(super) fn grid_interval(plan: &Plan) -> f64 {
    let target = 100.0 * plan.m_per_mm();
    [
        100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 2500.0, 5000.0, 10_000.0, 20_000.0, 50_000.0,
    ]
    .into_iter()
    .min_by(|a, b| (a - target).abs().total_cmp(&(b - target).abs()))
    .unwrap_or(1000.0)
}

/// Grid values along the frame's edges: kilometres (with the metres when the grid is finer).
pub(super) fn grid_labels(svg: &mut String, plan: &Plan, style: &Style, grid: f64) {
    let f = plan.layout.frame;
    let size = style.grid.label_size * plan.layout.k.sqrt();
    let g = plan.ground();
    let text = |m: f64| {
        if grid >= 1000.0 {
            format!("{:.0}", m / 1000.0)
        } else {
            format!("{:.1}", m / 1000.0)
        }
    };
    let _ = write!(
        svg,
        r##"<g font-size="{size:.2}" fill="#333" text-anchor="middle">"##
    );
    let mut e = (g.min().x / grid).ceil() * grid;
    while e <= g.max().x {
        let (x, _) = plan.at(Coord { x: e, y: 0.0 });
        for y in [f.y - size * 0.6, f.bottom() + size * 1.3] {
            let _ = write!(svg, r#"<text x="{x:.2}" y="{y:.2}">{}</text>"#, text(e));
        }
        e += grid;
    }
    let mut n = (g.min().y / grid).ceil() * grid;
    while n <= g.max().y {
        let (_, y) = plan.at(Coord { x: 0.0, y: n });
        for x in [f.x - size * 0.9, f.right() + size * 0.9] {
            let _ = write!(
                svg,
                r#"<text transform="translate({x:.2} {y:.2}) rotate(-90)" y="{:.2}">{}</text>"#,
                size * BASELINE,
                text(n)
            );
        }
        n += grid;
    }
    svg.push_str("</g>");
}

/// The panel: north arrow and scale, the inset, the legend, the scale bar and the credits.
pub(super) fn panel(
    svg: &mut String,
    plan: &Plan,
    style: &Style,
    data: &MapData,
    door_plates: bool,
) {
    let l = &plan.layout;
    let p = l.panel;
    let k = l.k;
    // Four blocks: stacked in a landscape layout, side by side in a portrait one. The last
    // (scale bar, figures, credits) takes what its lines need, the legend the rest.
    let fs = 2.6 * k;
    let cs = 2.2 * k;
    let credit_lines = data.notes.len() + 6;
    let last = if l.landscape {
        ((fs * 4.4 + credit_lines as f64 * cs * 1.45) / p.h).max(0.18)
    } else {
        0.26
    };
    let shares = [0.14, 0.26, 0.60 - last, last];
    let mut blocks = Vec::new();
    let mut at = 0.0;
    for s in shares {
        blocks.push(if l.landscape {
            Area {
                x: p.x,
                y: p.y + at * p.h,
                w: p.w,
                h: s * p.h,
            }
        } else {
            Area {
                x: p.x + at * p.w,
                y: p.y,
                w: s * p.w,
                h: p.h,
            }
        });
        at += s;
    }
    // North arrow and the scale in figures.
    let b = blocks[0];
    let (ax, ay, ah) = (
        b.x + b.w * 0.2,
        b.y + 2.0 * k,
        (b.h - 4.0 * k).min(14.0 * k),
    );
    let _ = write!(
        svg,
        r##"<g class="north"><path d="M{ax:.2} {ay:.2} L{:.2} {:.2} L{ax:.2} {:.2} Z" fill="#111"/><path d="M{ax:.2} {ay:.2} L{:.2} {:.2} L{ax:.2} {:.2} Z" fill="#fff" stroke="#111" stroke-width="{:.2}"/><text x="{ax:.2}" y="{:.2}" font-size="{fs:.2}" text-anchor="middle">北</text></g>"##,
        ax + ah * 0.22,
        ay + ah,
        ay + ah * 0.75,
        ax - ah * 0.22,
        ay + ah,
        ay + ah * 0.75,
        0.2 * k,
        ay + ah + fs * 1.1,
    );
    let _ = write!(
        svg,
        r##"<text class="scale-figure" x="{:.2}" y="{:.2}" font-size="{:.2}" fill="#111">{}</text>"##,
        b.x + b.w * 0.42,
        b.y + b.h * 0.5,
        fs * 1.5,
        scale_text(plan.scale)
    );
    // The inset: the whole city and where the map lies in it.
    let b = blocks[1];
    inset(svg, plan, data, b);
    // The legend.
    let b = blocks[2];
    legend(svg, style, data, plan.ground(), door_plates, b, k);
    // The scale bar and the credits.
    let b = blocks[3];
    let m_per_mm = plan.m_per_mm();
    let length = round_length(b.w * 0.8 * m_per_mm);
    let bar = length / m_per_mm;
    let (bx, by) = (b.x + (b.w - bar) / 2.0, b.y + fs * 2.2);
    let bh = 1.2 * k;
    let _ = write!(
        svg,
        r##"<g class="scale-bar-group"><rect class="scale-bar" data-metres="{length}" x="{bx:.3}" y="{by:.3}" width="{bar:.4}" height="{bh:.3}" fill="#fff" stroke="#111" stroke-width="{:.2}"/>"##,
        0.2 * k
    );
    for i in (0..4).step_by(2) {
        let _ = write!(
            svg,
            r##"<rect x="{:.3}" y="{by:.3}" width="{:.4}" height="{bh:.3}" fill="#111"/>"##,
            bx + i as f64 * bar / 4.0,
            bar / 4.0
        );
    }
    for (i, t) in [
        (0.0, "0".to_string()),
        (0.5, format!("{}", length / 2.0)),
        (1.0, length_text(length)),
    ] {
        let _ = write!(
            svg,
            r##"<text x="{:.2}" y="{:.2}" font-size="{fs:.2}" text-anchor="middle">{t}</text>"##,
            bx + i * bar,
            by - fs * 0.4
        );
    }
    svg.push_str("</g>");
    let mut credits = data.notes.clone();
    credits.extend([
        "2000 国家大地坐标系（CGCS2000）".to_string(),
        "高斯-克吕格投影，3° 带，中央子午线 111°E".to_string(),
        format!("方里网间隔 {}", length_text(grid_interval(plan))),
    ]);
    if let Some(date) = data.data_date {
        credits.push(format!("数据截至 {}", date.format("%Y年%-m月%-d日")));
    }
    let made = data
        .made
        .map(|d| format!("  {}", d.format("%Y年%-m月")))
        .unwrap_or_default();
    credits.push(format!("{}民政局 编制{made}", data.city));
    credits.push(format!(
        "审图号：{}",
        if style.credits.approval.is_empty() {
            "　　　　　　　　"
        } else {
            &style.credits.approval
        }
    ));
    let mut y = by + bh + fs * 2.0;
    for c in credits {
        let _ = write!(
            svg,
            r##"<text class="credit" x="{:.2}" y="{y:.2}" font-size="{cs:.2}" fill="#333">{}</text>"##,
            b.x,
            escape(&c)
        );
        y += cs * 1.45;
    }
}

pub(super) fn inset(svg: &mut String, plan: &Plan, data: &MapData, b: Area) {
    let k = plan.layout.k;
    let _ = write!(
        svg,
        r##"<rect class="inset" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="#fff" stroke="#555" stroke-width="{:.2}"/>"##,
        b.x,
        b.y,
        b.w,
        b.h - 2.0 * k,
        0.25 * k
    );
    let ground = plan.ground();
    let whole = data
        .city_outline
        .as_ref()
        .and_then(|g| g.bounding_rect())
        .map(|r| {
            Rect::new(
                (r.min().x.min(ground.min().x), r.min().y.min(ground.min().y)),
                (r.max().x.max(ground.max().x), r.max().y.max(ground.max().y)),
            )
        })
        .unwrap_or(ground);
    let pad = 3.0 * k;
    let (w, h) = (b.w - 2.0 * pad, b.h - 2.0 * k - 2.0 * pad);
    let m = (whole.width() / w).max(whole.height() / h);
    let (ox, oy) = (
        b.x + pad + (w - whole.width() / m) / 2.0,
        b.y + pad + (h - whole.height() / m) / 2.0,
    );
    let at = |c: Coord<f64>| {
        (
            ox + (c.x - whole.min().x) / m,
            oy + (whole.max().y - c.y) / m,
        )
    };
    if let Some(g) = &data.city_outline {
        let mut d = String::new();
        let polys: Vec<&geo::Polygon<f64>> = match g {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
            _ => Vec::new(),
        };
        for p in polys {
            for (i, c) in p.exterior().0.iter().enumerate() {
                let (x, y) = at(*c);
                let _ = write!(d, "{}{x:.2} {y:.2}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="#f1ece0" stroke="#7b3f8c" stroke-width="{:.2}"/>"##,
            0.3 * k
        );
    }
    let (x0, y0) = at(Coord {
        x: ground.min().x,
        y: ground.max().y,
    });
    let (x1, y1) = at(Coord {
        x: ground.max().x,
        y: ground.min().y,
    });
    let _ = write!(
        svg,
        r##"<rect x="{x0:.2}" y="{y0:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#c0392b" stroke-width="{:.2}"/><text x="{:.2}" y="{:.2}" font-size="{:.2}" fill="#555">{}全图</text>"##,
        (x1 - x0).max(0.6),
        (y1 - y0).max(0.6),
        0.4 * k,
        b.x + pad * 0.6,
        b.y + pad * 0.6 + 2.2 * k,
        2.2 * k,
        escape(&data.city)
    );
}

/// Whether a unit's boundary passes through the frame (a unit that holds the whole frame
/// draws no line on it).
pub(super) fn boundary_in(g: &Geometry<f64>, ground: Rect<f64>) -> bool {
    use geo::Intersects;
    let rings: Vec<&geo::LineString<f64>> = match g {
        Geometry::Polygon(p) => std::iter::once(p.exterior()).chain(p.interiors()).collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .collect()
        }
        _ => Vec::new(),
    };
    rings.into_iter().any(|r| r.intersects(&ground))
}
