//! The gazetteer typeset with typst: 16开 (185 × 260 mm) or A4; title page, editorial board,
//! preface, 凡例, contents, 概述, the entries (headword with its romanization and, where the
//! name has one, its Mongolian form set vertically beside it: the horizontal line turned 90°
//! clockwise, so that it reads top to bottom), the pinyin and stroke indexes with page
//! numbers (typst resolves each entry's page), the unit code table, the street list with
//! door-plate ranges, sources and the 校勘记录. Running heads and page numbers; a headword
//! never ends a page (its block does not break). User text enters only as string literals.

use super::pdf::{Fonts, PdfError, render, string};
use crate::gazetteer::{Book, Entry, Paper};
use std::fmt::Write as _;

fn s(text: &str) -> String {
    string(text)
}

/// An entry in the body.
fn entry(e: &Entry) -> String {
    let mut out = String::new();
    let mut facts = vec![format!("类别：#{}", s(&e.category))];
    if !e.unit.is_empty() {
        facts.push(format!("所在政区：#{}", s(&e.unit)));
    }
    if !e.location.is_empty() {
        facts.push(format!("地理位置：#{}", s(&e.location)));
    }
    if let Some(a) = &e.approval {
        facts.push(format!("批准：#{}", s(a)));
    }
    let head = format!(
        "#par(first-line-indent: 0em, justify: false)[#text(size: 11.5pt, weight: \"bold\", {}) #h(0.5em) #text(style: \"italic\", size: 9pt, {})]\n#par(first-line-indent: 0em)[#text(size: 8.5pt, fill: rgb(\"#444\"))[{}]]",
        s(&e.name),
        s(&e.romanization),
        facts.join("；")
    );
    // The Mongolian form stands beside the headword, top to bottom: the font's horizontal
    // line turned 90° clockwise.
    let headword = match &e.name_mn {
        Some(mn) => format!(
            "#grid(columns: (auto, 1fr), column-gutter: 2mm, align: (center + top, left + top), rotate(90deg, reflow: true, text(font: \"Noto Sans Mongolian\", size: 9pt, lang: \"mn\", {})), [{head}])",
            s(mn)
        ),
        None => head,
    };
    // The headword, its facts and the start of its text stay together.
    let _ = writeln!(
        out,
        "#block(breakable: false, width: 100%, below: 0.5em)[#metadata({}) <{}>\n{headword}]",
        s(&e.name),
        e.key
    );
    let body: Vec<(&str, &Option<String>)> = vec![
        ("含义", &e.meaning),
        ("历史沿革", &e.history),
        ("概况", &e.description),
    ];
    let text: Vec<String> = body
        .iter()
        .filter_map(|(label, v)| {
            v.as_ref().map(|v| {
                format!(
                    "#par[#text(weight: \"bold\", {}) #{}]",
                    s(&format!("{label}：")),
                    s(v)
                )
            })
        })
        .collect();
    if let Some(map) = &e.map {
        let _ = writeln!(
            out,
            "#block(breakable: false)[{}#align(center, image(bytes({}), format: \"svg\", width: 46mm))]",
            text.join("\n"),
            s(map)
        );
    } else {
        for t in text {
            let _ = writeln!(out, "{t}");
        }
    }
    out.push_str("#v(0.6em)\n");
    out
}

/// One group of an index: its heading never ends a column alone.
fn index_group(out: &mut String, label: &str, entries: &[&Entry]) {
    let line = |e: &Entry| {
        format!(
            "#{} #box(width: 1fr, repeat[.]) {}",
            s(&e.name),
            page_of(&e.key)
        )
    };
    let Some((first, rest)) = entries.split_first() else {
        return;
    };
    let _ = writeln!(
        out,
        "#block(breakable: false, above: 0.55em, below: 0.55em)[#text(weight: \"bold\", {})\\ {}]",
        s(label),
        line(first)
    );
    for e in rest {
        let _ = writeln!(out, "{}\\", line(e));
    }
}

/// `#context` page number of an entry.
fn page_of(key: &str) -> String {
    format!("#context counter(page).at(<{key}>).first()")
}

/// The typst source of the book.
pub fn source(book: &Book, paper: Paper) -> String {
    let (w, h) = paper.mm();
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"#set document(title: {title})
#set page(width: {w}mm, height: {h}mm, margin: (inside: 20mm, outside: 15mm, top: 22mm, bottom: 20mm), binding: left,
  header: context {{
    let p = here().page()
    if p > 2 {{
      let here-page = query(heading.where(level: 1)).filter(h => h.location().page() == p)
      let heads = query(heading.where(level: 1).before(here()))
      let section = if here-page.len() > 0 {{ here-page.first().body }} else if heads.len() > 0 {{ heads.last().body }} else {{ [] }}
      set text(size: 8pt, fill: rgb("#555"))
      if calc.even(p) [#{title} #h(1fr)] else [#h(1fr) #section]
      v(-0.6em)
      line(length: 100%, stroke: 0.3pt + rgb("#999"))
    }}
  }},
  footer: context {{
    let p = here().page()
    if p > 1 {{ align(center, text(size: 8.5pt, str(counter(page).get().first()))) }}
  }})
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 9.5pt, lang: "zh", region: "cn")
#set par(justify: true, linebreaks: "simple", leading: 0.75em, first-line-indent: (amount: 2em, all: false))
#show heading.where(level: 1): it => {{ pagebreak(weak: true); align(center, text(size: 16pt, weight: "bold", it.body)); v(1em) }}
#show heading.where(level: 2): it => {{ v(0.5em); text(size: 11pt, weight: "bold", fill: rgb("#7b1f1f"), it.body); v(0.3em) }}
"##,
        title = s(&book.title)
    );
    // Title page.
    let _ = writeln!(
        out,
        "#align(center)[#v(45mm)#text(size: 30pt, weight: \"bold\", {})\n#v(6mm)#text(size: 12pt, {})\n#v(8mm){}\n#v(1fr)#text(size: 12pt, {})\n#v(4mm)#text(size: 11pt, {})]\n#pagebreak()",
        s(&book.title),
        s(&format!("{} Placename Gazetteer", book.city_romanization)),
        book.city_mn.as_ref().map(|mn| format!("#rotate(90deg, reflow: true, text(font: \"Noto Sans Mongolian\", size: 16pt, lang: \"mn\", {}))", s(mn))).unwrap_or_default(),
        s(&format!("{}地名志编纂委员会 编", book.city)),
        s(&book.printed)
    );
    // Copyright page: the edition and the state it shows.
    let _ = writeln!(
        out,
        "#v(1fr)#text(size: 8.5pt)[#{}\\ #{}\\ #{}\\ #{}]\n#pagebreak()",
        s(&format!("书名：{}", book.title)),
        s(&format!("资料截至：{}", book.as_of)),
        s(&format!(
            "编纂依据：地名管理信息系统登记簿，变更集 {}",
            book.changeset.clone().unwrap_or_else(|| "（空）".into())
        )),
        s(&format!("印制：{}", book.printed))
    );
    if !book.board.is_empty() {
        let _ = writeln!(out, "= 编纂委员会");
        for m in &book.board {
            let _ = writeln!(out, "#par(first-line-indent: 0em, {})", s(m));
        }
    }
    if !book.preface.is_empty() {
        let _ = writeln!(out, "= 前言");
        for p in book.preface.split('\n').filter(|p| !p.trim().is_empty()) {
            let _ = writeln!(out, "#par({})", s(p.trim()));
        }
    }
    let _ = writeln!(out, "= 凡例");
    for (i, r) in book.rules().iter().enumerate() {
        let _ = writeln!(
            out,
            "#par({})",
            s(&format!(
                "{}、{r}",
                crate::gazetteer::numeral((i + 1) as u8)
            ))
        );
    }
    let _ = writeln!(
        out,
        "#pagebreak()\n#outline(title: [目录], depth: 2, indent: 2em)"
    );
    // 概述.
    let o = &book.overview;
    let _ = writeln!(out, "= 概述");
    let mut figures = format!(
        "{}位于内蒙古自治区中北部，与蒙古国扎门乌德市隔界相望。",
        book.city
    );
    if let Some(a) = o.area_km2 {
        let _ = write!(figures, "登记簿中全市面积约 {a:.0} 平方千米。");
    }
    let levels: Vec<String> = o
        .units_by_level
        .iter()
        .map(|(l, n)| format!("{l} {n} 个"))
        .collect();
    let _ = write!(
        figures,
        "截至{}，登记簿有行政区域 {}，街路巷 {} 条，门牌 {} 块；本志收录标准地名 {} 条。",
        book.as_of,
        levels.join("、"),
        o.streets,
        o.door_plates,
        book.entries().count()
    );
    let _ = writeln!(out, "#par({})", s(&figures));
    let _ = writeln!(
        out,
        "#align(center)[#table(columns: (auto, auto), align: (left, right), stroke: 0.4pt, table.header([*类别*], [*条目数*]), {})]",
        o.names_by_category
            .iter()
            .map(|(c, n)| format!("{}, {}", s(c), s(&n.to_string())))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Body.
    for section in &book.sections {
        let _ = writeln!(
            out,
            "= {}",
            section
                .title
                .replace(['#', '*', '_', '<', '>', '@', '$', '`', '\\', '[', ']'], "")
        );
        let _ = writeln!(out, "#columns(2, gutter: 6mm)[");
        for (heading, entries) in &section.groups {
            if let Some(h) = heading {
                let _ = writeln!(out, "#heading(level: 2, {})", s(h));
            }
            for e in entries {
                out.push_str(&entry(e));
            }
        }
        let _ = writeln!(out, "]");
    }
    // Indexes.
    let _ = writeln!(out, "= 汉语拼音索引");
    let _ = writeln!(
        out,
        "#columns(3, gutter: 5mm)[#set par(first-line-indent: 0em, leading: 0.55em)\n#set text(size: 8.5pt)"
    );
    let mut groups: Vec<(String, Vec<&Entry>)> = Vec::new();
    for e in book.pinyin_index() {
        let first: String = e
            .pinyin
            .chars()
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        match groups.last_mut() {
            Some((l, list)) if *l == first => list.push(e),
            _ => groups.push((first, vec![e])),
        }
    }
    for (label, entries) in &groups {
        index_group(&mut out, label, entries);
    }
    let _ = writeln!(out, "]");
    let _ = writeln!(out, "= 笔画索引");
    let _ = writeln!(
        out,
        "#columns(3, gutter: 5mm)[#set par(first-line-indent: 0em, leading: 0.55em)\n#set text(size: 8.5pt)"
    );
    for (label, entries) in book.stroke_index() {
        index_group(&mut out, &label, &entries);
    }
    let _ = writeln!(out, "]");
    // Back matter.
    let _ = writeln!(out, "= 行政区划代码表");
    let _ = writeln!(
        out,
        "#table(columns: (auto, 1fr, auto), stroke: 0.4pt, table.header([*区划代码*], [*名称*], [*级别*]), {})",
        book.units
            .iter()
            .map(|(c, n, l)| format!("{}, {}, {}", s(c), s(n), s(l)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(out, "= 街路巷门牌号码表");
    let range =
        |r: &Option<(u32, u32)>| r.map_or_else(|| "—".to_string(), |(a, b)| format!("{a}—{b}"));
    let _ = writeln!(
        out,
        "#table(columns: (1fr, 1fr, auto, auto, auto), stroke: 0.4pt, table.header([*街路巷*], [*所在政区*], [*门牌数*], [*单号*], [*双号*]), {})",
        book.streets
            .iter()
            .map(|st| format!(
                "{}, {}, {}, {}, {}",
                s(&st.name),
                s(&st.unit),
                s(&st.plates.to_string()),
                s(&range(&st.odd)),
                s(&range(&st.even))
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(out, "= 资料来源");
    for src in &book.sources {
        let _ = writeln!(
            out,
            "#par(first-line-indent: 0em, {})",
            s(&format!("· {src}"))
        );
    }
    let _ = writeln!(out, "= 校勘记录");
    if book.corrections.is_empty() {
        let _ = writeln!(
            out,
            "#par({})",
            s("本版与登记簿此前的记载相比，无名称更正。")
        );
    } else {
        let _ = writeln!(
            out,
            "#table(columns: (auto, auto, auto, 1fr), stroke: 0.4pt, table.header([*现名*], [*原记载*], [*日期*], [*依据*]), {})",
            book.corrections
                .iter()
                .map(|c| format!(
                    "{}, {}, {}, {}",
                    s(&c.name),
                    s(&c.earlier),
                    s(&c.on),
                    s(&c.basis)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

/// The book as PDF.
pub fn pdf(book: &Book, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    render(&source(book, paper), &fonts)
}
