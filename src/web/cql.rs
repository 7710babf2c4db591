//! OGC API Features Part 3: CQL2 filters (text or JSON), parsed by the `cql2` crate and
//! evaluated in memory against each record (nothing is ever spliced into SQL). Only the
//! collection's queryables may be named and only the listed operators used; anything else is
//! a 400 that says what and where.

use super::ApiError;
use crate::model::{Layer, RecordVersion};
use cql2::Expr;
use serde_json::{Map, Value, json};

/// The properties a filter may name, per collection, with their JSON types (from the layer's
/// declaration).
pub fn queryables(layer: Layer) -> &'static [(&'static str, &'static str)] {
    layer.spec().queryables
}

/// The queryables document of a collection (a JSON Schema).
pub fn queryables_document(layer: Layer, href: &str) -> Value {
    let mut properties = Map::new();
    for (name, kind) in queryables(layer) {
        properties.insert((*name).into(), json!({ "type": kind }));
    }
    properties.insert(
        "geometry".into(),
        json!({ "format": "geometry-any", "x-ogc-role": "primary-geometry" }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": href,
        "type": "object",
        "title": layer.label(),
        "properties": properties,
        "additionalProperties": false
    })
}

/// Operators a filter may use (the `cql2` crate's canonical names).
const OPERATORS: &[&str] = &[
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "and",
    "or",
    "not",
    "like",
    "in",
    "between",
    "isnull",
    "s_intersects",
    "casei",
    "accenti",
];

fn bad(message: String) -> ApiError {
    ApiError::Invalid {
        field: "filter".into(),
        message,
    }
}

/// Where `needle` first appears in the filter, as a 1-based character position.
fn position(filter: &str, needle: &str) -> String {
    match filter.find(needle) {
        Some(byte) => format!("第 {} 个字符处", filter[..byte].chars().count() + 1),
        None => String::new(),
    }
}

fn check(expr: &Expr, layer: Layer, text: &str) -> Result<(), ApiError> {
    match expr {
        Expr::Property { property } => {
            if property == "geometry" || queryables(layer).iter().any(|(n, _)| n == property) {
                Ok(())
            } else {
                let allowed: Vec<&str> = queryables(layer).iter().map(|(n, _)| *n).collect();
                Err(bad(format!(
                    "过滤条件{}的属性“{property}”不可查询：“{}”可查询 {}、geometry",
                    position(text, property),
                    layer.label(),
                    allowed.join("、")
                )))
            }
        }
        Expr::Operation { op, args } => {
            let name = op.to_lowercase();
            if !OPERATORS.contains(&name.as_str()) {
                return Err(bad(format!(
                    "过滤条件{}使用了不支持的函数或运算“{op}”：可用 {}",
                    position(text, op),
                    OPERATORS.join(" ")
                )));
            }
            args.iter().try_for_each(|a| check(a, layer, text))
        }
        Expr::Interval { interval } => interval.iter().try_for_each(|a| check(a, layer, text)),
        Expr::Array(items) => items.iter().try_for_each(|a| check(a, layer, text)),
        Expr::BBox { bbox } => bbox.iter().try_for_each(|a| check(a, layer, text)),
        Expr::Timestamp { timestamp } => check(timestamp, layer, text),
        Expr::Date { date } => check(date, layer, text),
        Expr::Float(_) | Expr::Literal(_) | Expr::Bool(_) | Expr::Geometry(_) | Expr::Null => {
            Ok(())
        }
    }
}

/// The deepest a text filter's parentheses may nest. The parser backtracks on every level it
/// cannot close (29 unclosed parentheses took it over 10 seconds, as the fuzzer found), and
/// a real filter never needs more than a few.
const MAX_NESTING: usize = 10;

/// Refuses, before the parser sees it, a text filter that could make the parser recurse deeply
/// or backtrack for long: parentheses nested deeper than [`MAX_NESTING`] or left unclosed, runs
/// of more than [`MAX_NESTING`] signs, too many NOTs, and a string or quoted name left open.
///
/// It reads the text as the grammar does: `'…'` is a string (`''` inside it is a quote) and
/// `"…"` a quoted property name (`""` inside it is a quote), and nothing inside either counts.
/// A quote of the other kind inside one of them is an ordinary character: reading the `'` in
/// the name `"'"` as the start of a string hid 2,000 minus signs from an earlier version of
/// this guard, and their recursion overflowed a worker's stack and aborted the server.
fn nesting(text: &str) -> Result<(), ApiError> {
    #[derive(PartialEq)]
    enum In {
        Code,
        Text,
        Name,
    }
    let mut state = In::Code;
    let (mut depth, mut signs, mut opened_at) = (0usize, 0usize, 0usize);
    // Unary signs and NOTs nest too (1,600 minus signs overflowed the parser's stack).
    let nots = text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| w.eq_ignore_ascii_case("not"))
        .count();
    if nots > 2 * MAX_NESTING {
        return Err(bad(format!("过滤条件中的 NOT 超过 {} 个", 2 * MAX_NESTING)));
    }
    for (i, c) in text.chars().enumerate() {
        let at = i + 1;
        match state {
            In::Text => {
                if c == '\'' {
                    state = In::Code;
                }
                continue;
            }
            In::Name => {
                if c == '"' {
                    state = In::Code;
                }
                continue;
            }
            In::Code => {}
        }
        if matches!(c, '-' | '+') {
            signs += 1;
            if signs > MAX_NESTING {
                return Err(bad(format!(
                    "过滤条件中连续的正负号超过 {MAX_NESTING} 个（第 {at} 个字符）"
                )));
            }
        } else if !c.is_whitespace() {
            signs = 0;
        }
        match c {
            '\'' => (state, opened_at) = (In::Text, at),
            '"' => (state, opened_at) = (In::Name, at),
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(bad(format!(
                        "过滤条件的括号嵌套超过 {MAX_NESTING} 层（第 {at} 个字符）"
                    )));
                }
            }
            ')' => {
                if depth == 0 {
                    return Err(bad(format!(
                        "过滤条件第 {at} 个字符处的右括号没有对应的左括号"
                    )));
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    match state {
        In::Text => Err(bad(format!(
            "过滤条件第 {opened_at} 个字符处的字符串没有结束引号（'）"
        ))),
        In::Name => Err(bad(format!(
            "过滤条件第 {opened_at} 个字符处的属性名没有结束引号（\"）"
        ))),
        In::Code if depth > 0 => Err(bad(format!("过滤条件有 {depth} 个左括号没有闭合"))),
        In::Code => Ok(()),
    }
}

/// A parsed, allow-listed filter.
pub struct Filter(Expr);

impl Filter {
    /// Parses `text` (`cql2-text`, the default, or `cql2-json`) for `layer`.
    pub fn parse(text: &str, lang: Option<&str>, layer: Layer) -> Result<Filter, ApiError> {
        if text.len() > 8 * 1024 {
            return Err(bad("过滤条件过长（上限 8 KiB）".into()));
        }
        let expr = match lang.unwrap_or("cql2-text") {
            "cql2-text" => {
                nesting(text)?;
                cql2::parse_text(text).map_err(|e| bad(format!("过滤条件无法解析：{e}")))?
            }
            "cql2-json" => {
                cql2::parse_json(text).map_err(|e| bad(format!("过滤条件（JSON）无法解析：{e}")))?
            }
            other => {
                return Err(ApiError::Invalid {
                    field: "filter-lang".into(),
                    message: format!("filter-lang“{other}”无效：应为 cql2-text 或 cql2-json"),
                });
            }
        };
        check(&expr, layer, text)?;
        Ok(Filter(expr))
    }

    /// Whether a record satisfies the filter.
    pub fn matches(&self, v: &RecordVersion) -> Result<bool, ApiError> {
        self.0
            .clone()
            .matches(Some(&item(v)))
            .map_err(|e| bad(format!("过滤条件无法计算：{e}")))
    }
}

/// A record as the filter sees it: its queryables flat, its geometry as GeoJSON.
fn item(v: &RecordVersion) -> Value {
    let body = serde_json::to_value(&v.body).unwrap_or_default();
    let mut p = Map::new();
    for (name, _) in queryables(v.layer()) {
        let value = match *name {
            "status" => body["naming"]["status"]
                .clone()
                .as_str()
                .map(|s| json!(s))
                .unwrap_or_else(|| body["status"].clone()),
            "valid_from" => json!(v.valid_from.to_string()),
            "version" => json!(v.version),
            "number_value" => match &v.body {
                crate::model::Body::DoorPlate(d) => json!(d.number.number()),
                _ => Value::Null,
            },
            other => body[other].clone(),
        };
        p.insert((*name).into(), value);
    }
    json!({
        "type": "Feature",
        "geometry": crate::spatial::geojson::from_geo(&v.geometry),
        "properties": p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_parentheses_are_refused_before_parsing() {
        // The fuzzer's input: unclosed parentheses made the parser backtrack for seconds.
        let deep = format!("{}-", "(".repeat(29));
        let e = Filter::parse(&deep, None, Layer::Street).err().unwrap();
        assert!(
            e.to_string().contains("嵌套超过 10 层（第 11 个字符）"),
            "{e}"
        );
        // Ten levels, and parentheses inside a string, are fine.
        let ten = format!("{}name = 'a'{}", "(".repeat(10), ")".repeat(10));
        assert!(Filter::parse(&ten, None, Layer::Street).is_ok());
        let quoted = format!("name = '{}'", "(".repeat(40));
        assert!(Filter::parse(&quoted, None, Layer::Street).is_ok());
        // Long runs of signs and many NOTs nest as deeply (1,600 minus signs overflowed the
        // parser's stack and would have aborted the server).
        let signs = format!("version = {}1", "-".repeat(1600));
        let e = Filter::parse(&signs, None, Layer::Street).err().unwrap();
        assert!(e.to_string().contains("正负号"), "{e}");
        let nots = format!("{}name = 'a'", "NOT ".repeat(25));
        assert!(Filter::parse(&nots, None, Layer::Street).is_err());
        assert!(Filter::parse("version > -3 AND NOT name = 'x-y'", None, Layer::Street).is_ok());
    }

    #[test]
    fn a_quote_inside_a_quoted_name_does_not_hide_what_follows() {
        // The attack that aborted the server: the `'` inside the quoted property name `"'"`
        // was read as the start of a string, and the 2,000 minus signs after it went uncounted.
        let signs = format!("\"'\" = 1 AND version = {}1", "-".repeat(2000));
        let e = Filter::parse(&signs, None, Layer::Street).err().unwrap();
        assert!(
            e.to_string().contains("正负号超过 10 个（第 33 个字符）"),
            "{e}"
        );
        let brackets = format!("\"'\" = 1 AND {}", "(".repeat(21));
        let e = Filter::parse(&brackets, None, Layer::Street).err().unwrap();
        assert!(e.to_string().contains("嵌套超过 10 层"), "{e}");
        // And the other way round: a `"` inside a string is an ordinary character.
        let e = Filter::parse(
            &format!("name = '\"' AND {}", "(".repeat(12)),
            None,
            Layer::Street,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("嵌套超过 10 层"), "{e}");
        // Doubled quotes stay inside; what is left open or unbalanced is refused up front.
        assert!(Filter::parse("name = 'it''s (' AND \"version\" > 1", None, Layer::Street).is_ok());
        for (text, says) in [
            ("name = 'open", "字符串没有结束引号"),
            ("\"name = 'a'", "属性名没有结束引号"),
            ("(name = 'a'", "1 个左括号没有闭合"),
            ("name = 'a')", "第 11 个字符处的右括号"),
        ] {
            let e = Filter::parse(text, None, Layer::Street).err().unwrap();
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }
}
