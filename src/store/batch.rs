//! Multi-row statements: a commit writes its versions and layer rows in a few statements
//! instead of one per row (each statement is a round trip to the database). PostgreSQL streams
//! a large commit's rows with `COPY` instead (`copy.rs`).

/// How a database writes parameters.
#[derive(Clone, Copy)]
pub enum Dialect {
    /// `?`
    Sqlite,
    /// `$1`, `$2`…; the geometry (the last column) is wrapped in `ST_GeomFromEWKB`.
    Postgres,
}

/// Rows per statement: 1,000 rows of at most 11 columns stay under SQLite's 32,766 and
/// PostgreSQL's 65,535 parameters (200 rows cost a quarter more time per row in benchmarks).
pub const ROWS: usize = 1000;

/// `(?, ?), (?, ?)` or `($1, $2), ($3, ST_GeomFromEWKB($4))` for `rows` rows of `cols` columns.
pub fn values(dialect: Dialect, rows: usize, cols: usize, geometry_last: bool) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            let n = r * cols + c + 1;
            let geometry = geometry_last && c + 1 == cols;
            match (dialect, geometry) {
                (Dialect::Sqlite, _) => out.push('?'),
                (Dialect::Postgres, false) => out.push_str(&format!("${n}")),
                (Dialect::Postgres, true) => out.push_str(&format!("ST_GeomFromEWKB(${n})")),
            }
        }
        out.push(')');
    }
    out
}

/// `?, ?, ?` or `$1, $2, $3`, for `IN (…)`.
pub fn list(dialect: Dialect, n: usize) -> String {
    (1..=n)
        .map(|i| match dialect {
            Dialect::Sqlite => "?".to_string(),
            Dialect::Postgres => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(values(Dialect::Sqlite, 2, 2, true), "(?, ?), (?, ?)");
        assert_eq!(
            values(Dialect::Postgres, 2, 2, true),
            "($1, ST_GeomFromEWKB($2)), ($3, ST_GeomFromEWKB($4))"
        );
        assert_eq!(list(Dialect::Postgres, 3), "$1, $2, $3");
    }
}
