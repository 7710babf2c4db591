//! Schema migrations, embedded in the binary and run when a store is opened.

/// SQLite (GeoPackage) migrations, in order.
pub const SQLITE: &[(u32, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_init.sql")),
    (
        2,
        include_str!("../../migrations/sqlite/0002_campaigns.sql"),
    ),
    (3, include_str!("../../migrations/sqlite/0003_accounts.sql")),
    (4, include_str!("../../migrations/sqlite/0004_signs.sql")),
    (
        5,
        include_str!("../../migrations/sqlite/0005_boundaries.sql"),
    ),
    (6, include_str!("../../migrations/sqlite/0006_lines.sql")),
    (7, include_str!("../../migrations/sqlite/0007_cemetery.sql")),
    (8, include_str!("../../migrations/sqlite/0008_editions.sql")),
    (
        9,
        include_str!("../../migrations/sqlite/0009_history_tables.sql"),
    ),
    (
        10,
        include_str!("../../migrations/sqlite/0010_no_current_index.sql"),
    ),
    (
        11,
        include_str!("../../migrations/sqlite/0011_versions_fid.sql"),
    ),
];

/// PostgreSQL/PostGIS migrations, in order.
pub const POSTGRES: &[(u32, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (
        2,
        include_str!("../../migrations/postgres/0002_campaigns.sql"),
    ),
    (
        3,
        include_str!("../../migrations/postgres/0003_accounts.sql"),
    ),
    (4, include_str!("../../migrations/postgres/0004_signs.sql")),
    (
        5,
        include_str!("../../migrations/postgres/0005_boundaries.sql"),
    ),
    (6, include_str!("../../migrations/postgres/0006_lines.sql")),
    (
        7,
        include_str!("../../migrations/postgres/0007_cemetery.sql"),
    ),
    (
        8,
        include_str!("../../migrations/postgres/0008_editions.sql"),
    ),
    (
        9,
        include_str!("../../migrations/postgres/0009_changeset_check.sql"),
    ),
    (
        10,
        include_str!("../../migrations/postgres/0010_json_bodies.sql"),
    ),
    (
        11,
        include_str!("../../migrations/postgres/0011_no_current_index.sql"),
    ),
];

/// The table that records which migrations a store has.
pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS diming_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";
