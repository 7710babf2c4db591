//! The legend: every kind of thing on the map, with its symbol as drawn.

use super::{
    Area, BASELINE, Geometry, MapData, PlaceCategory, Rect, StreetClass, Style, boundary_in,
    escape, hatch_id, symbol_svg,
};
use std::fmt::Write as _;

#[allow(clippy::too_many_arguments)]
pub(super) fn legend(
    svg: &mut String,
    style: &Style,
    data: &MapData,
    ground: Rect<f64>,
    door_plates: bool,
    b: Area,
    k: f64,
) {
    let fs = 2.4 * k;
    let row = 4.6 * k;
    let sw = 9.0 * k;
    let mut rows: Vec<(String, String)> = Vec::new();
    for o in &data.overlays {
        let st = &o.style;
        let points = o
            .features
            .iter()
            .all(|(_, g)| matches!(g, Geometry::Point(_)));
        let sample = if points {
            symbol_svg(
                st.symbol,
                sw / 2.0,
                0.0,
                st.symbol_size * k.sqrt(),
                &st.colour,
            )
        } else {
            let fill = if st.hatch {
                format!(r#"fill="url(#{})""#, hatch_id(o))
            } else {
                format!(r#"fill="{}" fill-opacity="{}""#, st.colour, st.fill_opacity)
            };
            format!(
                r#"<rect x="0" y="{:.2}" width="{sw:.2}" height="{:.2}" {fill} stroke="{}" stroke-width="{:.2}"{}/>"#,
                -row * 0.3,
                row * 0.6,
                st.outline.as_ref().unwrap_or(&st.colour),
                st.width,
                st.dash
                    .as_ref()
                    .map(|d| format!(r#" stroke-dasharray="{d}""#))
                    .unwrap_or_default()
            )
        };
        rows.push((sample, o.legend.clone()));
    }
    let line = |stroke: &str, width: f64, dash: &str| {
        format!(
            r#"<path d="M0 0 L{sw:.2} 0" stroke="{stroke}" stroke-width="{:.2}" stroke-dasharray="{dash}" fill="none"/>"#,
            width * k.sqrt()
        )
    };
    for (class, label) in [
        (StreetClass::Arterial, "主干路"),
        (StreetClass::Secondary, "次干路"),
        (StreetClass::Branch, "支路"),
        (StreetClass::Lane, "巷"),
    ] {
        if data.streets.iter().any(|s| s.kind == class) {
            let st = style.streets.of(class);
            rows.push((
                format!(
                    "{}{}",
                    line(&st.casing, st.width + 0.5, "none"),
                    line(&st.fill, st.width, "none")
                ),
                label.into(),
            ));
        }
    }
    for (depth, label) in [(0u8, "市界"), (1, "苏木、镇、区界"), (2, "嘎查、社区界")]
    {
        if let Some(u) = style.unit(depth)
            && data
                .units
                .iter()
                .any(|x| x.kind == depth && boundary_in(&x.geometry, ground))
        {
            rows.push((line(&u.stroke, u.width, &u.dash), label.into()));
        }
    }
    let swatch = |fill: &str, stroke: &str| {
        format!(
            r#"<rect x="0" y="{:.2}" width="{sw:.2}" height="{:.2}" fill="{fill}" stroke="{stroke}" stroke-width="0.3"/>"#,
            -row * 0.3,
            row * 0.6
        )
    };
    let has = |f: &dyn Fn(PlaceCategory) -> bool, polygon: bool| {
        data.places.iter().any(|p| {
            f(p.kind)
                && matches!(p.geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_)) == polygon
        })
    };
    let p = &style.places;
    if has(
        &|c| matches!(c, PlaceCategory::Waters | PlaceCategory::Sea),
        true,
    ) {
        rows.push((swatch(&p.water_fill, &p.water_stroke), "水域".into()));
    }
    if has(&|c| c == PlaceCategory::Settlement, true) {
        rows.push((swatch(&p.settlement_fill, "none"), "居民区".into()));
    }
    if has(
        &|c| matches!(c, PlaceCategory::MemorialOrScenic | PlaceCategory::Landform),
        true,
    ) {
        rows.push((swatch(&p.green_fill, "none"), "景区、公园".into()));
    }
    if data.places.iter().any(|x| {
        x.kind == PlaceCategory::Transport
            && matches!(
                x.geometry,
                Geometry::LineString(_) | Geometry::MultiLineString(_)
            )
    }) {
        rows.push((
            format!(
                "{}{}",
                line(&p.railway, 1.1, "none"),
                line("#ffffff", 0.7, "3,3")
            ),
            "铁路".into(),
        ));
    }
    if data
        .places
        .iter()
        .any(|x| matches!(x.geometry, Geometry::Point(_)))
    {
        rows.push((
            format!(
                r##"<circle cx="{:.2}" cy="0" r="{:.2}" fill="{}"/>"##,
                sw / 2.0,
                p.symbol / 2.0 * k.sqrt(),
                p.symbol_colour
            ),
            "重要地物".into(),
        ));
    }
    if door_plates {
        rows.push((
            format!(
                r#"<text x="{:.2}" y="{:.2}" font-size="{:.2}" text-anchor="middle" fill="{}">12</text>"#,
                sw / 2.0,
                fs * 0.35,
                fs,
                style.door_plates.colour
            ),
            "门牌号".into(),
        ));
    }
    let _ = write!(
        svg,
        r##"<text x="{:.2}" y="{:.2}" font-size="{:.2}" font-weight="bold">图　例</text>"##,
        b.x,
        b.y + fs,
        fs * 1.2
    );
    let top = b.y + fs * 2.6;
    // Rows close up (to three quarters) before the legend takes a second column.
    let row = row
        .min((b.bottom() - top) / rows.len().max(1) as f64)
        .max(row * 0.75);
    let per_col = (((b.bottom() - top) / row).floor() as usize).max(1);
    let cols = rows.len().div_ceil(per_col).max(1);
    let col_w = b.w / cols as f64;
    for (i, (sample, label)) in rows.iter().enumerate() {
        let (c, r) = (i / per_col, i % per_col);
        let (x, y) = (b.x + c as f64 * col_w, top + r as f64 * row + row / 2.0);
        let _ = write!(
            svg,
            r#"<g class="legend-row" transform="translate({x:.2} {y:.2})">{sample}<text x="{:.2}" y="{:.2}" font-size="{fs:.2}">{}</text></g>"#,
            sw + 2.0 * k,
            fs * BASELINE,
            escape(label)
        );
    }
}
