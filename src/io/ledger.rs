//! Reading tabular ledgers officers keep in CSV or Excel (the burial register): a header row
//! and data rows, as text, each row with its line number in the file. Excel cells keep their
//! exact value: a date cell becomes `YYYY-MM-DD`; a number that cannot be an exact integer
//! (an ID number typed into a numeric cell loses its last digits) is refused by the reader of
//! that column, which sees it in the form Excel stored.

use std::collections::HashMap;
use std::path::Path;

/// One data row: its line (CSV) or row (Excel) number, and its cells by header.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub cells: HashMap<String, String>,
}

/// Reads a `.csv` (UTF-8, with or without BOM) or `.xlsx` ledger.
pub fn read(path: &Path) -> Result<Vec<Row>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    let meta = std::fs::metadata(path).map_err(|e| format!("读取 {}：{e}", path.display()))?;
    if meta.len() > 64 * 1024 * 1024 {
        return Err(format!("{} 超过 64 MB：请拆分后导入", path.display()));
    }
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| format!("读取 {}：{e}", path.display()))?;
            csv_rows(&bytes)
        }
        "xlsx" => xlsx_rows(path),
        _ => Err(format!(
            "不支持的台账格式“.{ext}”：应为 .csv（UTF-8）或 .xlsx"
        )),
    }
}

/// Reads a CSV ledger's bytes (UTF-8, with or without BOM).
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Row>, String> {
    csv_rows(bytes)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            format!(
                "CSV 不是 UTF-8 编码（第 {} 字节处）：请另存为 UTF-8",
                e.valid_up_to()
            )
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("CSV 表头：{e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("CSV 第 {} 行：{e}", i + 2))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push(Row {
            line: i + 2,
            cells: headers
                .iter()
                .cloned()
                .zip(record.iter().map(|c| c.trim().to_string()))
                .collect(),
        });
    }
    Ok(out)
}

fn xlsx_rows(path: &Path) -> Result<Vec<Row>, String> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> =
        open_workbook(path).map_err(|e| format!("打开 {}：{e}", path.display()))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("工作簿中没有工作表")?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| format!("读取工作表“{sheet}”：{e}"))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            // Excel keeps 15 significant digits: a longer number (an ID typed as a number)
            // is shown in the form Excel stored, so that its reader can say so.
            Data::Float(f) if f.abs() >= 1e15 => format!("{f:E}"),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            // Excel's serial day numbers count from 1899-12-30 (1900 date system).
            Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| {
                    epoch.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64))
                })
                .map_or_else(|| dt.to_string(), |d| d.format("%Y-%m-%d").to_string()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = range.rows();
    let headers: Vec<String> = rows.next().ok_or("工作表为空")?.iter().map(cell).collect();
    let first = range.start().map_or(0, |(r, _)| r as usize);
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        let cells: Vec<String> = r.iter().map(cell).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        out.push(Row {
            line: first + i + 2,
            cells: headers.iter().cloned().zip(cells).collect(),
        });
    }
    Ok(out)
}
