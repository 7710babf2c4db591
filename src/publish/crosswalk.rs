//! The renumbering crosswalk (新旧门牌号对照表) as CSV and as an Excel workbook, for residents
//! and for the departments that must be told: public security (户籍), post, real-estate and
//! business registration.

use crate::addresses::numbering::Change;
use crate::model::{Body, CurrentState};
use rust_xlsxwriter::{Format, Workbook};

const HEADER: [&str; 8] = [
    "街路巷",
    "原门牌号",
    "新门牌号",
    "是否变更",
    "所在社区/嘎查",
    "经度",
    "纬度",
    "门牌记录",
];

fn rows(changes: &[Change], state: &CurrentState) -> Vec<[String; 8]> {
    changes
        .iter()
        .map(|c| {
            let unit = state
                .unit_at(geo::coord! {x: c.at.0, y: c.at.1})
                .and_then(|u| match &u.body {
                    Body::AdminUnit(a) => Some(a.name.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            [
                c.street_name.clone(),
                c.old.to_string(),
                c.new.to_string(),
                if c.changes() { "是" } else { "否" }.to_string(),
                unit,
                format!("{:.7}", c.at.0),
                format!("{:.7}", c.at.1),
                c.plate.to_string(),
            ]
        })
        .collect()
}

/// The crosswalk as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese).
pub fn csv(changes: &[Change], state: &CurrentState) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = crate::io::csv::Writer::from_writer(&mut out);
        w.write_record(HEADER)?;
        for r in rows(changes, state) {
            w.write_record(&r)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The crosswalk as an .xlsx workbook: one sheet for the crosswalk, one per department to
/// notify with the changed numbers only.
pub fn xlsx(
    changes: &[Change],
    state: &CurrentState,
    title: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let all = rows(changes, state);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheets: [(&str, bool); 5] = [
        ("新旧门牌号对照表", false),
        ("公安户籍", true),
        ("邮政", true),
        ("不动产登记", true),
        ("市场主体登记", true),
    ];
    for (name, only_changed) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        sheet.write_string_with_format(0, 0, format!("{title}：{name}"), &bold)?;
        for (c, h) in HEADER.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, *h, &bold)?;
        }
        let shown = all.iter().filter(|row| !only_changed || row[3] == "是");
        for (r, row) in (2..).zip(shown) {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r, c as u16, v)?;
            }
        }
        sheet.set_column_width(0, 14)?;
        sheet.set_column_width(7, 38)?;
    }
    book.save_to_buffer()
}
