//! Multi-row statements for SQLite: a commit writes its versions and layer rows in a few
//! statements instead of one per row. (PostgreSQL streams them with `COPY`, in `copy.rs`.)

/// Rows per statement: 1,000 rows of at most 11 columns stay under SQLite's 32,766 parameters
/// (200 rows cost a quarter more time per row in benchmarks).
pub const ROWS: usize = 1000;

/// `(?, ?), (?, ?)` for `rows` rows of `cols` columns.
pub fn values(rows: usize, cols: usize) -> String {
    let row = format!("({})", list(cols));
    vec![row; rows].join(", ")
}

/// `?, ?, ?`, for `IN (…)`.
pub fn list(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_for_rows_and_lists() {
        assert_eq!(values(2, 2), "(?, ?), (?, ?)");
        assert_eq!(list(3), "?, ?, ?");
    }
}
