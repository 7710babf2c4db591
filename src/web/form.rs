//! What the pages' forms share: a blank field is absent, a date is read as officers type it,
//! a form is answered by going back to its page saying what was done or why not, a long
//! list is shown fifty rows a page, and a download is named in Chinese.

use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

/// The field's text, trimmed; none when blank.
pub(super) fn blank(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// A date typed as 2024-03-18; none when blank; what is wrong, named by `label`, otherwise.
pub(super) fn date(label: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    blank(text)
        .map(|t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| format!("{label}“{t}”无效：应为 年-月-日，如 2024-03-18"))
        })
        .transpose()
}

/// Text as a query parameter's value.
pub(super) fn encoded(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Back to `page` (which may end in `#anchor`) with `key=value` in its query: the page says
/// what was done (`done`) or why it was not (`refused`).
fn answer(page: &str, key: &str, value: &str) -> Response {
    let (path, anchor) = page.split_once('#').map_or((page, ""), |(p, a)| (p, a));
    let joiner = if path.contains('?') { '&' } else { '?' };
    let hash = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    Redirect::to(&format!("{path}{joiner}{key}={}{hash}", encoded(value))).into_response()
}

/// Back to `page`, saying what was done.
pub(super) fn done(page: &str, what: &str) -> Response {
    answer(page, "done", what)
}

/// Back to `page`, saying why the form was refused.
pub(super) fn refused(page: &str, why: &str) -> Response {
    answer(page, "refused", why)
}

/// A `Content-Disposition` for a download named `name` (RFC 5987, with an ASCII fallback).
pub(super) fn attachment(name: &str, fallback: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Rows a list shows on one page.
const PAGE: usize = 50;

/// Puts one page of `rows` (fifty a page; `asked` is the page asked for, from 1) in the page's
/// context as `rows`, with `total`, `page` and `pages` for its count and its paging links.
pub(super) fn paged<T: serde::Serialize>(
    context: &mut tera::Context,
    rows: Vec<T>,
    asked: Option<usize>,
) {
    let total = rows.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = asked.unwrap_or(1).clamp(1, pages);
    let shown: Vec<T> = rows
        .into_iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .collect();
    context.insert("rows", &shown);
    context.insert("total", &total);
    context.insert("page", &page);
    context.insert("pages", &pages);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_answered_on_its_page_with_the_anchor_last() {
        let r = refused("/boundaries#inspect", "日期无效");
        let to = r.headers()["location"].to_str().unwrap();
        assert_eq!(
            to,
            "/boundaries?refused=%E6%97%A5%E6%9C%9F%E6%97%A0%E6%95%88#inspect"
        );
        let r = done("/cemetery/plots/x", "reserve");
        assert_eq!(r.headers()["location"], "/cemetery/plots/x?done=reserve");
        assert_eq!(blank("  "), None);
        let mut c = tera::Context::new();
        paged(&mut c, (1..=120).collect::<Vec<u32>>(), Some(9));
        assert_eq!(c.get("page"), Some(&serde_json::json!(3)));
        assert_eq!(c.get("pages"), Some(&serde_json::json!(3)));
        assert_eq!(c.get("rows").unwrap().as_array().unwrap()[0], 101);
        assert!(
            date("死亡日期", "2024/3/1")
                .unwrap_err()
                .contains("死亡日期")
        );
        assert_eq!(
            attachment("街区图.pdf", "map.pdf"),
            "attachment; filename=\"map.pdf\"; filename*=UTF-8''%E8%A1%97%E5%8C%BA%E5%9B%BE.pdf"
        );
    }
}
