//! The columns of a burial ledger (殡葬登记台账) and how a row becomes a registration.
//! Headers may be Chinese or English; the same table is printed by
//! `diming cemetery import-burials --help` and in the README.

use super::personal::IdNumber;
use super::{Burial, Deceased, Disposition, Sex};
use crate::record::Source;
use chrono::NaiveDate;
use std::collections::HashMap;

/// (field, Chinese header, English header, required, what it holds).
pub const COLUMNS: [(&str, &str, &str, bool, &str); 17] = [
    ("name", "姓名", "name", true, "逝者姓名"),
    ("sex", "性别", "sex", true, "男 或 女"),
    ("ethnicity", "民族", "ethnicity", true, "如 蒙古族、汉族"),
    (
        "id_number",
        "身份证号码",
        "id_number",
        false,
        "18 位，含校验码；Excel 中须为文本",
    ),
    ("born", "出生日期", "born", false, "YYYY-MM-DD"),
    ("died", "死亡日期", "died", true, "YYYY-MM-DD"),
    (
        "residence",
        "户籍地区划代码",
        "residence",
        true,
        "12 位区划代码，如 152501400001",
    ),
    (
        "place_of_death",
        "死亡地点",
        "place_of_death",
        false,
        "如 家中、医院名称",
    ),
    (
        "disposition",
        "处理方式",
        "disposition",
        true,
        "火化、土葬 或 其他",
    ),
    (
        "cremation_certificate",
        "火化证明编号",
        "cremation_certificate",
        false,
        "火化时必填",
    ),
    (
        "cemetery",
        "公墓",
        "cemetery",
        false,
        "公墓名称（有墓位时填写）",
    ),
    ("plot", "墓位号", "plot", false, "区-排-号，如 C-3-12"),
    (
        "exemption",
        "豁免理由",
        "exemption",
        false,
        "火葬区内土葬时必填",
    ),
    (
        "registered_by",
        "登记人",
        "registered_by",
        false,
        "默认为导入人",
    ),
    (
        "registered_on",
        "登记日期",
        "registered_on",
        false,
        "默认为死亡日期",
    ),
    (
        "lon",
        "安葬地点经度",
        "lon",
        false,
        "无墓位时的去向（安葬地点或殡仪馆）",
    ),
    ("lat", "安葬地点纬度", "lat", false, "同上"),
];

/// A row read into a registration, still to be placed (plot looked up by the registry).
#[derive(Debug, Clone)]
pub struct LedgerBurial {
    pub line: usize,
    pub burial: Burial,
    pub cemetery: Option<String>,
    pub plot: Option<super::PlotNumber>,
    pub site: Option<(f64, f64)>,
}

/// The columns a ledger may have, as officers read them (the command's help and the page).
pub const COLUMNS_HELP: &str = "台账列（表头可用中文或英文；* 为必填）：
  姓名 name*、性别 sex*（男/女）、民族 ethnicity*、身份证号码 id_number（18 位，Excel 中须为文本）、
  出生日期 born、死亡日期 died*（YYYY-MM-DD）、户籍地区划代码 residence*（12 位）、死亡地点 place_of_death、
  处理方式 disposition*（火化/土葬/其他）、火化证明编号 cremation_certificate（火化时必填）、
  公墓 cemetery、墓位号 plot（区-排-号）、豁免理由 exemption（火葬区内土葬必填）、
  登记人 registered_by、登记日期 registered_on、安葬地点经度 lon、安葬地点纬度 lat（无墓位时必填）";

/// A refused row: where and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    pub line: usize,
    pub column: String,
    pub message: String,
}

/// Dates as officers write them: 2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text
        .trim()
        .replace(['/', '.', '年', '月'], "-")
        .replace('日', "");
    NaiveDate::parse_from_str(&t, "%Y-%m-%d")
        .map_err(|_| format!("日期“{text}”无效：应为 YYYY-MM-DD"))
}

/// Which field each header names, or the headers nobody knows.
pub fn header_map(headers: &[String]) -> Result<HashMap<String, &'static str>, Vec<String>> {
    let mut out = HashMap::new();
    let mut unknown = Vec::new();
    for h in headers {
        match COLUMNS
            .iter()
            .find(|(_, zh, en, _, _)| h == zh || h.eq_ignore_ascii_case(en))
        {
            Some((field, ..)) => {
                out.insert(h.clone(), *field);
            }
            None => unknown.push(h.clone()),
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(unknown)
    }
}

/// Reads one row (cells by field). Refusals name the column in Chinese.
pub fn read_row(
    line: usize,
    cells: &HashMap<&str, &str>,
    author: &str,
) -> Result<LedgerBurial, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let header = |field: &str| {
        COLUMNS
            .iter()
            .find(|c| c.0 == field)
            .map_or(field, |c| c.1)
            .to_string()
    };
    let mut refuse = |field: &str, message: String| {
        refusals.push(Refusal {
            line,
            column: header(field),
            message,
        });
    };
    let get = |field: &str| cells.get(field).map(|s| s.trim()).filter(|s| !s.is_empty());
    for (field, _, _, required, _) in COLUMNS {
        if required && get(field).is_none() {
            refuse(field, "必填项为空".into());
        }
    }
    let sex = get("sex").and_then(|s| s.parse::<Sex>().map_err(|e| refuse("sex", e)).ok());
    let disposition = get("disposition").and_then(|s| {
        s.parse::<Disposition>()
            .map_err(|e| refuse("disposition", e))
            .ok()
    });
    let died = get("died").and_then(|s| parse_date(s).map_err(|e| refuse("died", e)).ok());
    let born = get("born").and_then(|s| parse_date(s).map_err(|e| refuse("born", e)).ok());
    let registered_on = get("registered_on")
        .and_then(|s| parse_date(s).map_err(|e| refuse("registered_on", e)).ok());
    let id_number = get("id_number").and_then(|s| {
        if s.contains(['E', 'e']) || s.contains('.') {
            refuse(
                "id_number",
                format!("“{s}”是数字格式，末几位已丢失：请在 Excel 中把该列设为文本后重新填写"),
            );
            return None;
        }
        match IdNumber::parse(s) {
            Ok(n) if n.is_masked() => {
                refuse("id_number", "导入须为完整号码，不能是遮蔽形式".into());
                None
            }
            Ok(n) => Some(n),
            Err(e) => {
                refuse("id_number", e);
                None
            }
        }
    });
    let residence = get("residence").unwrap_or_default();
    let well_formed = residence.len() == 12 && residence.chars().all(|c| c.is_ascii_digit());
    if !residence.is_empty() && !well_formed {
        refuse("residence", format!("区划代码“{residence}”应为 12 位数字"));
    }
    let plot = get("plot").and_then(|s| s.parse().map_err(|e| refuse("plot", e)).ok());
    let coordinate =
        |field: &str| get(field).map(|s| s.parse::<f64>().map_err(|_| format!("“{s}”不是数")));
    let site = match (coordinate("lon"), coordinate("lat")) {
        (Some(Ok(x)), Some(Ok(y))) => Some((x, y)),
        (None, None) => None,
        (Some(Err(e)), _) => {
            refuse("lon", e);
            None
        }
        (_, Some(Err(e))) => {
            refuse("lat", e);
            None
        }
        _ => {
            refuse("lon", "经度与纬度须同时填写".into());
            None
        }
    };
    if plot.is_none() && site.is_none() && get("plot").is_none() {
        refuse("plot", "须填写墓位号，或安葬地点的经纬度".into());
    }
    if disposition == Some(Disposition::Cremation) && get("cremation_certificate").is_none() {
        refuse("cremation_certificate", "火化须填写火化证明编号".into());
    }
    if let (Some(b), Some(d)) = (born, died)
        && b > d
    {
        refuse("born", format!("出生日期 {b} 晚于死亡日期 {d}"));
    }
    if let (Some(n), Some(b)) = (&id_number, born)
        && n.birth_date().is_some_and(|d| d != b)
    {
        refuse("id_number", format!("号码中的出生日期与出生日期 {b} 不符"));
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let (Some(sex), Some(disposition), Some(died)) = (sex, disposition, died) else {
        return Err(refusals);
    };
    Ok(LedgerBurial {
        line,
        burial: Burial {
            deceased: Deceased {
                name: get("name").unwrap_or_default().into(),
                sex,
                ethnicity: get("ethnicity").unwrap_or_default().into(),
                id_number,
                born,
                died,
                residence: residence.into(),
                place_of_death: get("place_of_death").unwrap_or_default().into(),
            },
            disposition,
            cremation_certificate: get("cremation_certificate").map(Into::into),
            plot: None,
            in_zone: false,
            exemption: get("exemption").map(Into::into),
            relocated_from: None,
            registered_by: get("registered_by").unwrap_or(author).into(),
            registered_on: registered_on.unwrap_or(died),
            documents: Vec::new(),
            source: Source::Survey,
        },
        cemetery: get("cemetery").map(Into::into),
        plot,
        site,
    })
}
