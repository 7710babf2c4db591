//! The notice to residents of a street whose door plates are renumbered (门牌号码变更公告):
//! the legal basis, the old → new numbers, the date the new numbers take effect, what residents
//! must do, the contact, the issuing body and date. One page (or more) per street, PDF.

use super::pdf::{Fonts, PdfError, render, string};
use crate::addresses::numbering::Change;
use chrono::NaiveDate;

/// What a notice says besides the numbers.
#[derive(Debug, Clone)]
pub struct NoticeText {
    pub city: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub effective: NaiveDate,
    /// 联系单位、地址、电话
    pub contact: String,
    /// The numbering rule in words ([`crate::addresses::numbering::Conventions::describe`]).
    pub rule: String,
}

fn street_notice(street: &str, changes: &[&Change], t: &NoticeText) -> String {
    let rows: String = changes
        .iter()
        .map(|c| {
            format!(
                "[#{}], [#{}],\n",
                string(&c.old.to_string()),
                string(&c.new.to_string())
            )
        })
        .collect();
    format!(
        r#"#align(center)[#text(size: 18pt, weight: "bold")[关于#{street}门牌号码重新编排的公告]]
#v(3mm)
#par(first-line-indent: (amount: 2em, all: true))[根据《地名管理条例》和#{city}门牌统一编排工作安排，#{street}门牌号码按“#{rule}”的规则重新编排。新门牌号码自#{effective}起启用，原门牌号码同时停止使用。]
#par(first-line-indent: (amount: 2em, all: true))[请住户和单位持《门牌号码使用证》及时到公安、邮政、不动产登记、市场主体登记等部门办理地址变更；新门牌由政府统一制作安装，任何单位和个人不得擅自更改、涂改或移动。]
#v(2mm)
#align(center)[#table(
  columns: (40mm, 40mm),
  align: center,
  inset: 2.5mm,
  table.header([*原门牌号*], [*新门牌号*]),
  {rows})]
#v(1fr)
#text(size: 10pt)[联系：#{contact}]
#align(right)[#{issuer} \ #{issued}]
"#,
        street = string(street),
        city = string(&t.city),
        rule = string(&t.rule),
        effective = string(&t.effective.format("%Y年%m月%d日").to_string()),
        contact = string(&t.contact),
        issuer = string(&t.issuer),
        issued = string(&t.issued_on.format("%Y年%m月%d日").to_string()),
    )
}

/// Notices for every street with changed numbers among `changes`, A4, a street each.
pub fn pdf(changes: &[Change], text: &NoticeText, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut streets: Vec<&str> = changes
        .iter()
        .filter(|c| c.changes())
        .map(|c| c.street_name.as_str())
        .collect();
    streets.dedup();
    let mut source = String::from(
        r#"#set page(paper: "a4", margin: 22mm)
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 12pt, lang: "zh")
#set par(justify: true, leading: 0.9em)
"#,
    );
    for (i, street) in streets.iter().enumerate() {
        if i > 0 {
            source.push_str("#pagebreak()\n");
        }
        let of_street: Vec<&Change> = changes
            .iter()
            .filter(|c| c.street_name == *street && c.changes())
            .collect();
        source.push_str(&street_notice(street, &of_street, text));
    }
    render(&source, fonts)
}
