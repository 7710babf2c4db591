//! The renderer: the registry's layers drawn in the style's order onto one SVG sheet.

use super::{
    BASELINE, BooleanOps, Coord, Drawer, Geometry, InteriorPoint, LabelBox, LabelKind, Labels,
    MapData, Measure, MultiPolygon, Named, Path, PlaceCategory, Plan, Rendered, StreetClass, Style,
    Text, around, draw_overlay, escape, figure_furniture, grid_interval, paper_lines, path_d,
    place_fill, sheet_furniture,
};
use std::fmt::Write as _;

/// Draws the map.
pub fn render(plan: &Plan, style: &Style, data: &MapData, measure: &Measure) -> Rendered {
    let l = &plan.layout;
    let f = l.frame;
    let (pw, ph) = l.page;
    let mut d = Drawer {
        thin: (style.reference_scale / plan.scale).sqrt().clamp(0.4, 1.0),
        style,
        measure,
        labels: Labels::new(f, style.labels.padding),
        texts: Vec::new(),
    };
    let mut svg = String::with_capacity(1 << 20);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{pw}mm" height="{ph}mm" viewBox="0 0 {pw} {ph}" font-family="{}"><rect width="{pw}" height="{ph}" fill="#ffffff"/><defs><clipPath id="frame"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"/></clipPath></defs>"##,
        escape(&style.fonts.chinese),
        f.x,
        f.y,
        f.w,
        f.h
    );
    let _ = write!(
        svg,
        r##"<g clip-path="url(#frame)"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{}"/>"##,
        f.x, f.y, f.w, f.h, style.background
    );
    // Areas: settlements, parks, water.
    for p in &data.places {
        if matches!(p.geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_))
            && let Some(fill) = place_fill(style, p.kind)
        {
            let stroke = if matches!(p.kind, PlaceCategory::Waters | PlaceCategory::Sea) {
                style.places.water_stroke.as_str()
            } else {
                "none"
            };
            let _ = write!(
                svg,
                r#"<path class="area" d="{}" fill="{fill}" stroke="{stroke}" stroke-width="0.3" fill-rule="evenodd"/>"#,
                path_d(plan, &p.geometry)
            );
        }
    }
    // Water lines and railways.
    for p in &data.places {
        if !matches!(
            p.geometry,
            Geometry::LineString(_) | Geometry::MultiLineString(_)
        ) {
            continue;
        }
        let dp = path_d(plan, &p.geometry);
        match p.kind {
            PlaceCategory::Waters => {
                let _ = write!(
                    svg,
                    r#"<path class="water" d="{dp}" fill="none" stroke="{}" stroke-width="0.8"/>"#,
                    style.places.water_stroke
                );
            }
            PlaceCategory::Transport => {
                let _ = write!(
                    svg,
                    r##"<path class="railway" d="{dp}" fill="none" stroke="{r}" stroke-width="1.1"/><path d="{dp}" fill="none" stroke="#ffffff" stroke-width="0.7" stroke-dasharray="3,3"/>"##,
                    r = style.places.railway
                );
            }
            _ => {}
        }
    }
    // Unit boundaries, the smallest units first so the larger boundaries lie on top.
    for depth in [2u8, 1, 0] {
        let Some(us) = style.unit(depth) else {
            continue;
        };
        for u in data.units.iter().filter(|u| u.kind == depth) {
            let _ = write!(
                svg,
                r#"<path class="unit" d="{}" fill="none" stroke="{}" stroke-width="{}" stroke-dasharray="{}"/>"#,
                path_d(plan, &u.geometry),
                us.stroke,
                us.width * d.thin,
                us.dash
            );
        }
    }
    // Streets: casings from the lowest class up, then fills.
    let classes = [
        StreetClass::Lane,
        StreetClass::Branch,
        StreetClass::Secondary,
        StreetClass::Arterial,
    ];
    for casing in [true, false] {
        for class in classes {
            let st = style.streets.of(class);
            for s in data.streets.iter().filter(|s| s.kind == class) {
                let (colour, width) = if casing {
                    (&st.casing, (st.width + 0.5) * d.thin)
                } else {
                    (&st.fill, st.width * d.thin)
                };
                let _ = write!(
                    svg,
                    r#"<path class="street {}" d="{}" fill="none" stroke="{colour}" stroke-width="{width:.2}" stroke-linecap="round" stroke-linejoin="round"/>"#,
                    class.as_str(),
                    path_d(plan, &s.geometry)
                );
            }
        }
    }
    // A figure's scale bar and north arrow lie inside the frame: no label goes under them.
    if l.figure {
        for b in figure_furniture(plan).1 {
            d.labels.try_place(LabelKind::Symbol, "", vec![b]);
        }
    }
    // Overlays over the streets, their labels and symbols placed before any other label.
    for o in &data.overlays {
        draw_overlay(&mut svg, &mut d, plan, o);
    }
    // Landmark symbols, kept free of labels.
    let sym = style.places.symbol;
    for p in &data.places {
        if let Geometry::Point(pt) = p.geometry {
            let (x, y) = plan.at(pt.0);
            d.labels.try_place(
                LabelKind::Symbol,
                &p.name,
                vec![LabelBox::around(x, y, sym / 2.0, sym / 2.0)],
            );
            let _ = write!(
                svg,
                r##"<circle class="landmark" cx="{x:.2}" cy="{y:.2}" r="{:.2}" fill="{}" stroke="#ffffff" stroke-width="0.3"/>"##,
                sym / 2.0,
                style.places.symbol_colour
            );
        }
    }
    // Labels: streets (the higher classes and the longer streets first), landmarks, units,
    // door-plate numbers.
    let mut streets: Vec<(&Named<StreetClass>, Vec<Path>)> = data
        .streets
        .iter()
        .map(|s| {
            let parts = paper_lines(plan, &s.geometry)
                .into_iter()
                .map(Path::new)
                .collect();
            (s, parts)
        })
        .collect();
    streets.sort_by(|a, b| {
        let rank = |c: StreetClass| classes.iter().position(|x| *x == c);
        let len = |p: &Vec<Path>| p.iter().map(Path::length).sum::<f64>();
        rank(b.0.kind)
            .cmp(&rank(a.0.kind))
            .then(len(&b.1).total_cmp(&len(&a.1)))
    });
    let mut unnamed = Vec::new();
    for (i, (s, parts)) in streets.iter().enumerate() {
        // Streets of a class are named only at the scales its style names them.
        if parts.is_empty() || plan.scale > style.streets.of(s.kind).label_max_scale {
            continue;
        }
        let mut placed = 0;
        // Neighbouring parallel streets do not all put their names at the same place.
        let stagger = [0.0, 0.2, -0.2, 0.35, -0.35][i % 5];
        for part in parts {
            placed += d.street_part(&s.name, s.name_mn.as_deref(), s.kind, part, stagger);
        }
        if placed == 0 {
            // Without the Mongolian form, rather than not at all.
            for part in parts {
                placed += d.street_part(&s.name, None, s.kind, part, stagger);
            }
        }
        if placed == 0 {
            unnamed.push(s.name.clone());
        }
    }
    let ls = style.places.label_size;
    // A label size of 0 leaves places unnamed (small figures).
    for p in data.places.iter().filter(|_| ls > 0.0) {
        let at = match &p.geometry {
            Geometry::Point(pt) => {
                let (x, y) = plan.at(pt.0);
                let gap = sym / 2.0 + 0.6;
                // Beside the symbol: right, left, above, below.
                let offsets = [
                    (gap, 0.0),
                    (-gap, 0.0),
                    (0.0, -gap - ls / 2.0),
                    (0.0, gap + ls / 2.0),
                ];
                let colour = style.places.colour.clone();
                d.horizontal(
                    LabelKind::Place,
                    &colour,
                    &p.name,
                    p.name_mn.as_deref(),
                    (x, y),
                    ls,
                    1.0,
                    &offsets,
                );
                continue;
            }
            g => g.interior_point().map(|c| plan.at(c.0)),
        };
        if let Some(at) = at {
            let colour = style.places.colour.clone();
            d.horizontal(
                LabelKind::Place,
                &colour,
                &p.name,
                p.name_mn.as_deref(),
                at,
                ls,
                1.0,
                &around(ls),
            );
        }
    }
    for depth in [1u8, 2] {
        let Some(us) = style.unit(depth) else {
            continue;
        };
        if us.label_size <= 0.0 {
            continue;
        }
        for u in data.units.iter().filter(|u| u.kind == depth) {
            let frame = plan.ground().to_polygon();
            let inside = match &u.geometry {
                Geometry::Polygon(p) => {
                    MultiPolygon(vec![p.clone()]).intersection(&MultiPolygon(vec![frame]))
                }
                Geometry::MultiPolygon(m) => m.intersection(&MultiPolygon(vec![frame])),
                _ => continue,
            };
            let Some(c) = inside.interior_point() else {
                continue;
            };
            d.horizontal(
                LabelKind::Unit,
                &us.label_colour,
                &u.name,
                u.name_mn.as_deref(),
                plan.at(c.0),
                us.label_size,
                1.5,
                &around(us.label_size),
            );
        }
    }
    let door_plates_shown = plan.scale <= style.door_plates.max_scale;
    if door_plates_shown {
        let s = style.door_plates.size;
        for (number, c) in &data.door_plates {
            // On the map a plate shows its number without 号.
            let number = number.strip_suffix('号').unwrap_or(number).to_string();
            let (x, y) = plan.at(*c);
            let w = measure.width(&number, s, false);
            let boxes = vec![LabelBox::around(x, y, w / 2.0, s / 2.0)];
            if d.labels.try_place(LabelKind::DoorPlate, &number, boxes) {
                d.texts.push((
                    LabelKind::DoorPlate,
                    style.door_plates.colour.clone(),
                    number.clone(),
                    vec![Text::Run {
                        x,
                        y,
                        angle: 0.0,
                        text: number.clone(),
                        size: s,
                        mongolian: false,
                    }],
                ));
            }
        }
    }
    // The kilometre grid, under the labels.
    let grid = grid_interval(plan);
    let ground = plan.ground();
    let mut gridlines = String::new();
    let mut e = (ground.min().x / grid).ceil() * grid;
    while e <= ground.max().x {
        let (x, _) = plan.at(Coord { x: e, y: 0.0 });
        let _ = write!(
            gridlines,
            r#"<line class="grid" data-metres="{e}" x1="{x:.3}" y1="{:.2}" x2="{x:.3}" y2="{:.2}"/>"#,
            f.y,
            f.bottom()
        );
        e += grid;
    }
    let mut n = (ground.min().y / grid).ceil() * grid;
    while n <= ground.max().y {
        let (_, y) = plan.at(Coord { x: 0.0, y: n });
        let _ = write!(
            gridlines,
            r#"<line class="grid" data-metres="{n}" x1="{:.2}" y1="{y:.3}" x2="{:.2}" y2="{y:.3}"/>"#,
            f.x,
            f.right()
        );
        n += grid;
    }
    if !l.figure {
        let _ = write!(
            svg,
            r#"<g stroke="{}" stroke-width="{}">{gridlines}</g>"#,
            style.grid.colour, style.grid.width
        );
    }
    // Labels, each with a halo.
    let _ = write!(
        svg,
        r#"<g class="labels" stroke="{}" stroke-linejoin="round" paint-order="stroke" text-anchor="middle">"#,
        style.fonts.halo
    );
    for (kind, colour, name, texts) in &d.texts {
        let class = match kind {
            LabelKind::Street => "street",
            LabelKind::Unit => "unit",
            LabelKind::Place => "place",
            LabelKind::DoorPlate => "door-plate",
            LabelKind::Symbol => "symbol",
        };
        let _ = write!(
            svg,
            r#"<g class="label {class}" data-name="{}" fill="{colour}">"#,
            escape(name)
        );
        for t in texts {
            match t {
                Text::Char { x, y, c, size } => {
                    let _ = write!(
                        svg,
                        r#"<text x="{x:.2}" y="{:.2}" font-size="{size:.2}" stroke-width="{:.2}">{}</text>"#,
                        y + size * BASELINE,
                        size * 0.25,
                        escape(&c.to_string())
                    );
                }
                Text::Run {
                    x,
                    y,
                    angle,
                    text,
                    size,
                    mongolian,
                } => {
                    let font = if *mongolian {
                        format!(
                            r#" font-family="{}" fill="{}""#,
                            escape(&style.fonts.mongolian),
                            style.labels.mongolian_colour
                        )
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        svg,
                        r#"<text transform="translate({x:.2} {y:.2}) rotate({angle:.1})" y="{:.2}" font-size="{size:.2}" stroke-width="{:.2}"{font}>{}</text>"#,
                        size * BASELINE,
                        size * 0.25,
                        escape(text)
                    );
                }
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</g></g>");
    if l.figure {
        svg.push_str(&figure_furniture(plan).0);
        let _ = write!(
            svg,
            r##"<rect x="0.15" y="0.15" width="{:.2}" height="{:.2}" fill="none" stroke="#333" stroke-width="0.3"/>"##,
            f.w - 0.3,
            f.h - 0.3
        );
    } else {
        sheet_furniture(&mut svg, plan, style, data, grid, door_plates_shown);
    }
    svg.push_str("</svg>\n");
    let labels = d
        .labels
        .placed
        .into_iter()
        .filter(|p| p.kind != LabelKind::Symbol)
        .collect();
    Rendered {
        svg,
        labels,
        unnamed,
        scale: plan.scale,
        page: l.page,
    }
}
