//! The name table for the provincial and national place-name databases, as CSV (UTF-8 with
//! BOM, Chinese header), XLSX (Chinese header, frozen header row and name column) and JSON
//! (English keys). The GeoPackage goes through `io`.

use crate::gazetteer::NAME_COLUMNS;

pub fn csv(rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut w = crate::io::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(NAME_COLUMNS.iter().map(|(_, h)| *h))
        .map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(r).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

pub fn xlsx(rows: &[Vec<String>], title: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(title)?;
    for (c, (_, h)) in NAME_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in (1..).zip(rows) {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r, c as u16, v)?;
            }
        }
    }
    // The header row and the name column stay in view.
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_column_width(0, 38)?;
    sheet.set_column_width(1, 22)?;
    sheet.set_column_width(2, 26)?;
    book.save_to_buffer()
}

pub fn json(rows: &[Vec<String>]) -> String {
    let v: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .map(|r| {
            NAME_COLUMNS
                .iter()
                .zip(r)
                .map(|((k, _), v)| ((*k).to_string(), serde_json::Value::String(v.clone())))
                .collect()
        })
        .collect();
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
