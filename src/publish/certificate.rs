//! The door-plate number certificate (门牌号码使用证), one page per address: the address, the
//! old number where the plate was renumbered, the date the number is used from, the issuing
//! body and the certificate's number.

use super::pdf::{Fonts, PdfError, render, string};
use chrono::NaiveDate;

/// One certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// 证号
    pub serial: String,
    /// 二连浩特市
    pub city: String,
    /// The unit the address lies in (额仁社区居委会).
    pub unit: String,
    pub street: String,
    /// 12号
    pub number: String,
    pub old_number: Option<String>,
    pub valid_from: NaiveDate,
    /// 发证机关
    pub issuer: String,
    pub issued_on: NaiveDate,
}

fn page(c: &Certificate) -> String {
    let old = match &c.old_number {
        Some(o) => format!("[原门牌号], [#{}],", string(&format!("{}{}", c.street, o))),
        None => String::new(),
    };
    format!(
        r#"#align(center)[#text(size: 26pt, weight: "bold", tracking: 0.3em)[门牌号码使用证]]
#v(4mm)
#align(right)[#text(size: 10pt)[证号：#{serial}]]
#v(6mm)
#table(
  columns: (32mm, 1fr),
  inset: 4mm,
  stroke: 0.6pt,
  [地址], [#text(size: 16pt, weight: "bold")[#{address}]],
  [所在区域], [#{unit}],
  {old}
  [启用日期], [#{from}],
)
#v(1fr)
#grid(columns: (1fr, 1fr),
  [#text(size: 9pt)[本证是门牌号码的合法凭证，请妥善保管，不得涂改、转让。门牌号码由民政部门统一编排，任何单位和个人不得擅自更改。]],
  align(right)[#{issuer}（盖章） \ #{issued}],
)
"#,
        serial = string(&c.serial),
        address = string(&format!("{}{}{}", c.city, c.street, c.number)),
        unit = string(&c.unit),
        from = string(&c.valid_from.format("%Y年%m月%d日").to_string()),
        issuer = string(&c.issuer),
        issued = string(&c.issued_on.format("%Y年%m月%d日").to_string()),
    )
}

/// The certificates as one PDF, A5 landscape, a page each.
pub fn pdf(certificates: &[Certificate], fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut source = String::from(
        r##"#set page(paper: "a5", flipped: true, margin: 14mm)
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 12pt, lang: "zh")
#set page(background: rect(width: 100% - 8mm, height: 100% - 8mm, stroke: 1.5pt + rgb("#a01818")))
"##,
    );
    for (i, c) in certificates.iter().enumerate() {
        if i > 0 {
            source.push_str("#pagebreak()\n");
        }
        source.push_str(&page(c));
    }
    render(&source, fonts)
}
