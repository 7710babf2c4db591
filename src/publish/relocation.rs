//! Relocation notices for graves outside cemeteries: one 迁坟告知书 per grave and the public
//! 迁坟公告 for the area, each with its map (a figure the print renderer draws at a true scale,
//! handed in as SVG by the registry). Every element a notice needs (DOMAIN.md §5): legal basis,
//! reason, scope with its map, registration window and deadline, destination cemetery,
//! compensation, the documents to bring, the consequence, contact, issuer and date. The
//! owner's telephone and any ID number never appear.

use super::pdf::string;
use crate::cemetery::{Grave, Notice, NoticeTerms, yuan};
use geo::Point;
use std::fmt::Write as _;

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
