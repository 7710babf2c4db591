//! The stores' fixed SQL, kept in `.sql` files beside the migrations (`queries/`): what both
//! stores run as it is (`common.sql`) and what is each store's own (`sqlite.sql`,
//! `postgres.sql`). A statement follows its `-- name:` line and ends at its `;`. Statements
//! built from the layer catalogue (a layer's table and columns) are assembled in code.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The statements of one file by name: the lines after each `-- name:` line, comments
/// dropped, up to the closing `;`.
fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    let mut out = HashMap::new();
    let mut rest = text;
    while let Some(at) = rest.find("-- name: ") {
        rest = &rest[at + "-- name: ".len()..];
        let (name, body) = rest.split_once('\n').unwrap_or((rest, ""));
        let end = body.find(';').unwrap_or(body.len());
        let statement = body[..end].trim();
        out.insert(name.trim(), statement);
        rest = &body[end..];
    }
    out
}

static COMMON: LazyLock<HashMap<&str, &str>> =
    LazyLock::new(|| parse(include_str!("../../queries/common.sql")));
static SQLITE: LazyLock<HashMap<&str, &str>> =
    LazyLock::new(|| parse(include_str!("../../queries/sqlite.sql")));
static POSTGRES: LazyLock<HashMap<&str, &str>> =
    LazyLock::new(|| parse(include_str!("../../queries/postgres.sql")));

fn named(file: &HashMap<&'static str, &'static str>, which: &str, name: &str) -> &'static str {
    file.get(name)
        .unwrap_or_else(|| panic!("queries/{which}.sql has no statement “{name}”"))
}

/// A statement both stores run.
pub fn common(name: &str) -> &'static str {
    named(&COMMON, "common", name)
}

/// A statement of the SQLite store.
pub fn sqlite(name: &str) -> &'static str {
    named(&SQLITE, "sqlite", name)
}

/// A statement of the PostgreSQL store.
pub fn postgres(name: &str) -> &'static str {
    named(&POSTGRES, "postgres", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every statement the stores name exists in its file, and every statement in the files
    /// is named by a store: no missing and no dead SQL.
    #[test]
    fn every_named_statement_exists_and_is_used() {
        let sources = [
            include_str!("accounts.rs"),
            include_str!("attachments.rs"),
            include_str!("editions.rs"),
            include_str!("mod.rs"),
            include_str!("postgres.rs"),
            include_str!("rtree.rs"),
            include_str!("sqlite.rs"),
            include_str!("verify.rs"),
        ]
        .join("\n");
        for (which, file) in [
            ("common", &*COMMON),
            ("sqlite", &*SQLITE),
            ("postgres", &*POSTGRES),
        ] {
            assert!(!file.is_empty(), "{which}.sql is empty");
            let prefix = format!("sql::{which}(\"");
            let used: Vec<&str> = sources
                .match_indices(&prefix)
                .map(|(i, _)| {
                    let rest = &sources[i + prefix.len()..];
                    &rest[..rest.find('"').unwrap()]
                })
                .collect();
            for name in &used {
                assert!(file.contains_key(name), "{which}.sql lacks {name}");
            }
            for name in file.keys() {
                assert!(used.contains(name), "{which}.sql: {name} is never used");
            }
            for (name, statement) in file.iter() {
                assert!(
                    !statement.is_empty() && !statement.contains("-- name"),
                    "{which}.sql: {name}"
                );
            }
        }
    }
}
