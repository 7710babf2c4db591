//! The gazetteer typeset with typst: 16开 (185 × 260 mm) or A4; title page, editorial board,
//! preface, 凡例, contents, 概述, the entries (headword with its romanization and, where the
//! name has one, its Mongolian form set vertically beside it: the horizontal line turned 90°
//! clockwise, so that it reads top to bottom), the pinyin and stroke indexes with page
//! numbers (each entry's page read from the laid-out body, see [`typeset`]), the unit code
//! table, the street list with door-plate ranges, sources, the 校勘记录 and, when there are
//! any, the appendix of names under correction (待规范地名). Running heads and
//! page numbers; a headword never ends a page (its block does not break). User text enters
//! only as string literals.

use super::pdf::{Fonts, PdfError, string};
use crate::gazetteer::{Book, Entry, Paper};
use std::collections::HashMap;
use std::fmt::Write as _;
use typst_layout::PagedDocument;
use typst_library::introspection::Introspector as _;

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

/// One group of an index: its heading never ends a column alone. `pages` holds each entry's
/// page, read from the typeset body.
fn index_group(out: &mut String, label: &str, entries: &[&Entry], pages: &Pages) {
    let line = |e: &Entry| {
        format!(
            "#{} #box(width: 1fr, repeat[.]) {}",
            s(&e.name),
            pages.get(&e.key)
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

/// Page numbers of labelled elements (entries and headings), read from typeset parts.
#[derive(Default)]
struct Pages(HashMap<String, usize>);

impl Pages {
    /// The page of a label, or a placeholder of the same width class while it is unknown
    /// (only in the first typesetting of the front matter, whose length does not depend on it).
    fn get(&self, label: &str) -> String {
        self.0
            .get(label)
            .map_or_else(|| "000".to_string(), |p| p.to_string())
    }

    /// Records the pages of every labelled element of `document`, a part that begins on
    /// page `first` of the book.
    fn read(&mut self, document: &PagedDocument, first: usize) {
        let introspector = document.introspector();
        for element in introspector.query_labelled() {
            let (Some(label), Some(location)) = (element.label(), element.location()) else {
                continue;
            };
            if let Some(page) = introspector.page(location) {
                self.0
                    .insert(label.resolve().as_str().to_string(), first + page.get() - 1);
            }
        }
    }
}

/// A heading of the book with the label its page is found by.
fn heading(out: &mut String, level: u8, title: &str, label: &str) {
    let _ = writeln!(out, "#heading(level: {level}, {}) <{label}>", s(title));
}

/// The headings the contents list, in book order: (level, title, label).
fn contents(book: &Book) -> Vec<(u8, String, String)> {
    let mut list = Vec::new();
    if !book.board.is_empty() {
        list.push((1, "编纂委员会".to_string(), "gz-board".to_string()));
    }
    if !book.preface.is_empty() {
        list.push((1, "前言".to_string(), "gz-preface".to_string()));
    }
    list.push((1, "凡例".to_string(), "gz-rules".to_string()));
    list.push((1, "概述".to_string(), "gz-overview".to_string()));
    for (i, section) in book.sections.iter().enumerate() {
        list.push((1, section.title.clone(), format!("gz-s{i}")));
        for (j, (h, _)) in section.groups.iter().enumerate() {
            if let Some(h) = h {
                list.push((2, h.clone(), format!("gz-s{i}-{j}")));
            }
        }
    }
    for (title, label) in BACK {
        list.push((1, title.to_string(), label.to_string()));
    }
    if !book.under_correction.is_empty() {
        list.push((
            1,
            UNDER_CORRECTION.0.to_string(),
            UNDER_CORRECTION.1.to_string(),
        ));
    }
    list
}

/// The appendix of approved names the rules object to, when the book lists them.
const UNDER_CORRECTION: (&str, &str) = ("附录 待规范地名", "gz-nonstandard");

/// The back matter's headings and labels.
const BACK: [(&str, &str); 6] = [
    ("汉语拼音索引", "gz-pinyin"),
    ("笔画索引", "gz-stroke"),
    ("行政区划代码表", "gz-units"),
    ("街路巷门牌号码表", "gz-streets"),
    ("资料来源", "gz-sources"),
    ("校勘记录", "gz-corrections"),
];

/// What every part begins with: page, text and heading styles, and the page counter set to
/// the part's first page. Pages alternate their inner margin by the book's page number: a
/// part that begins on an even page is bound on the other side of its own first page.
fn preamble(book: &Book, paper: Paper, first: usize) -> String {
    let (w, h) = paper.mm();
    let binding = if first % 2 == 1 { "left" } else { "right" };
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"#set document(title: {title})
#set page(width: {w}mm, height: {h}mm, margin: (inside: 20mm, outside: 15mm, top: 22mm, bottom: 20mm), binding: {binding},
  header: context {{
    let p = counter(page).get().first()
    if p > 2 {{
      let here-page = query(heading.where(level: 1)).filter(h => h.location().page() == here().page())
      let heads = query(heading.where(level: 1).before(here()))
      let section = if here-page.len() > 0 {{ here-page.first().body }} else if heads.len() > 0 {{ heads.last().body }} else {{ [] }}
      set text(size: 8pt, fill: rgb("#555"))
      if calc.even(p) [#{title} #h(1fr)] else [#h(1fr) #section]
      v(-0.6em)
      line(length: 100%, stroke: 0.3pt + rgb("#999"))
    }}
  }},
  footer: context {{
    let p = counter(page).get().first()
    if p > 1 {{ align(center, text(size: 8.5pt, str(p))) }}
  }})
#counter(page).update({first})
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 9.5pt, lang: "zh", region: "cn")
#set par(justify: true, linebreaks: "simple", leading: 0.75em, first-line-indent: (amount: 2em, all: false))
#show heading.where(level: 1): it => {{ pagebreak(weak: true); align(center, text(size: 16pt, weight: "bold", it.body)); v(1em) }}
#show heading.where(level: 2): it => {{ v(0.5em); text(size: 11pt, weight: "bold", fill: rgb("#7b1f1f"), it.body); v(0.3em) }}
"##,
        title = s(&book.title)
    );
    out
}

/// The front matter: title and copyright pages, board, preface, 凡例, contents and 概述.
fn front(book: &Book, paper: Paper, pages: &Pages) -> String {
    let mut out = preamble(book, paper, 1);
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
        heading(&mut out, 1, "编纂委员会", "gz-board");
        for m in &book.board {
            let _ = writeln!(out, "#par(first-line-indent: 0em, {})", s(m));
        }
    }
    if !book.preface.is_empty() {
        heading(&mut out, 1, "前言", "gz-preface");
        for p in book.preface.split('\n').filter(|p| !p.trim().is_empty()) {
            let _ = writeln!(out, "#par({})", s(p.trim()));
        }
    }
    heading(&mut out, 1, "凡例", "gz-rules");
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
        "#heading(level: 1, outlined: false, bookmarked: false, [目录])\n#block[#set par(first-line-indent: 0em, justify: false)"
    );
    for (level, title, label) in contents(book) {
        let title = s(&title);
        let _ = if level == 1 {
            writeln!(
                out,
                "#text(weight: \"bold\", {title}) #box(width: 1fr, repeat[.]) {}\\",
                pages.get(&label)
            )
        } else {
            writeln!(
                out,
                "#h(2em)#{title} #box(width: 1fr, repeat[.]) {}\\",
                pages.get(&label)
            )
        };
    }
    let _ = writeln!(out, "]");
    // 概述.
    let o = &book.overview;
    heading(&mut out, 1, "概述", "gz-overview");
    // Where the city lies is the configuration's sentence, not this module's.
    let mut figures = if book.situation.trim().is_empty() {
        String::new()
    } else {
        format!("{}{}", book.city, book.situation.trim())
    };
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
    out
}

/// One section of the body (a category), beginning on page `first`.
fn section(book: &Book, paper: Paper, i: usize, first: usize) -> String {
    let section = &book.sections[i];
    let mut out = preamble(book, paper, first);
    heading(&mut out, 1, &section.title, &format!("gz-s{i}"));
    let _ = writeln!(out, "#columns(2, gutter: 6mm)[");
    for (j, (h, entries)) in section.groups.iter().enumerate() {
        if let Some(h) = h {
            heading(&mut out, 2, h, &format!("gz-s{i}-{j}"));
        }
        for e in entries {
            out.push_str(&entry(e));
        }
    }
    let _ = writeln!(out, "]");
    out
}

/// The back matter, beginning on page `first`: the indexes with the entries' pages, the unit
/// code table, the street list, sources and the 校勘记录.
fn back(book: &Book, paper: Paper, first: usize, pages: &Pages) -> String {
    let mut out = preamble(book, paper, first);
    // Indexes.
    heading(&mut out, 1, BACK[0].0, BACK[0].1);
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
        index_group(&mut out, label, entries, pages);
    }
    let _ = writeln!(out, "]");
    heading(&mut out, 1, BACK[1].0, BACK[1].1);
    let _ = writeln!(
        out,
        "#columns(3, gutter: 5mm)[#set par(first-line-indent: 0em, leading: 0.55em)\n#set text(size: 8.5pt)"
    );
    for (label, entries) in book.stroke_index() {
        index_group(&mut out, &label, &entries, pages);
    }
    let _ = writeln!(out, "]");
    // Back matter.
    heading(&mut out, 1, BACK[2].0, BACK[2].1);
    let _ = writeln!(
        out,
        "#table(columns: (auto, 1fr, auto), stroke: 0.4pt, table.header([*区划代码*], [*名称*], [*级别*]), {})",
        book.units
            .iter()
            .map(|(c, n, l)| format!("{}, {}, {}", s(c), s(n), s(l)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    heading(&mut out, 1, BACK[3].0, BACK[3].1);
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
    heading(&mut out, 1, BACK[4].0, BACK[4].1);
    for src in &book.sources {
        let _ = writeln!(
            out,
            "#par(first-line-indent: 0em, {})",
            s(&format!("· {src}"))
        );
    }
    heading(&mut out, 1, BACK[5].0, BACK[5].1);
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
    if !book.under_correction.is_empty() {
        heading(&mut out, 1, UNDER_CORRECTION.0, UNDER_CORRECTION.1);
        let _ = writeln!(
            out,
            "#par(first-line-indent: 0em, {})",
            s(
                "以下地名已经批准，但不符合地名命名规则，有待规范（更名或以批准文件说明理由），不作本志条目。"
            )
        );
        let _ = writeln!(
            out,
            "#table(columns: (auto, auto, 1fr, 1.6fr), stroke: 0.4pt, table.header([*名称*], [*类别*], [*所在政区*], [*所违规则*]), {})",
            book.under_correction
                .iter()
                .map(|u| format!(
                    "{}, {}, {}, {}",
                    s(&u.name),
                    s(&u.category),
                    s(&u.unit),
                    s(&u.reasons)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

/// A typeset book: the PDF and the typst sources of its parts as they were last typeset.
pub struct Typeset {
    pub pdf: Vec<u8>,
    /// The parts' sources, each preceded by a comment naming its first page.
    pub source: String,
}

/// The book as PDF.
pub fn pdf(book: &Book, paper: Paper) -> Result<Vec<u8>, PdfError> {
    typeset(book, paper).map(|t| t.pdf)
}

/// Typesets the book in parts, each laid out once: the front matter (its contents with
/// placeholder page numbers: their number of lines is known), every section of the body
/// from the page the previous part ended on, the back matter with the entries' pages read
/// from the laid-out body (literal numbers: typst need not converge page references across
/// 20,000 index lines), and the front matter again with the contents' pages. Every part
/// begins with a level-1 heading, which begins a page anyway, so the parts' pages are the
/// pages of the whole book. Memory is that of the largest part: typst's caches are emptied
/// between parts.
pub fn typeset(book: &Book, paper: Paper) -> Result<Typeset, PdfError> {
    let fonts = Fonts::load()?;
    let mut pages = Pages::default();
    let mut parts: Vec<(usize, String, PagedDocument)> = Vec::new();
    let compile = |source: String, first: usize, parts: &mut Vec<_>, pages: &mut Pages| {
        let document = super::pdf::compile(&source, &fonts)?;
        comemo::evict(0);
        pages.read(&document, first);
        let next = first + document.pages().len();
        parts.push((first, source, document));
        Ok::<usize, PdfError>(next)
    };
    let mut next = compile(front(book, paper, &pages), 1, &mut parts, &mut pages)?;
    let front_pages = next - 1;
    for i in 0..book.sections.len() {
        next = compile(section(book, paper, i, next), next, &mut parts, &mut pages)?;
    }
    compile(
        back(book, paper, next, &pages),
        next,
        &mut parts,
        &mut pages,
    )?;
    // The front matter again, now that every heading's page is known.
    let source = front(book, paper, &pages);
    let document = super::pdf::compile(&source, &fonts)?;
    comemo::evict(0);
    if document.pages().len() != front_pages {
        return Err(PdfError::Typeset(format!(
            "前置部分两次排版页数不同（{front_pages} 与 {}）",
            document.pages().len()
        )));
    }
    parts[0] = (1, source, document);
    let info = typst_library::model::Document::info(&parts[0].2).clone();
    let all: ecow::EcoVec<_> = parts
        .iter()
        .flat_map(|(_, _, d)| d.pages().iter().cloned())
        .collect();
    let mut source = String::new();
    for (first, part, _) in &parts {
        let _ = writeln!(source, "// 以下部分单独排版，自第 {first} 页起");
        source.push_str(part);
    }
    drop(parts);
    let pdf = super::pdf::export(&PagedDocument::new(all, info))?;
    Ok(Typeset { pdf, source })
}
