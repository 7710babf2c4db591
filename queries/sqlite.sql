-- Statements of the SQLite (GeoPackage) store only: its migrations' bookkeeping, its WAL,
-- its R-tree registrations and its integrity check.
-- Each statement follows its `-- name:` line; src/store/sql.rs loads them.

-- name: all_changesets
SELECT * FROM changesets ORDER BY recorded_at DESC, fid DESC;

-- name: checkpoint
PRAGMA wal_checkpoint(TRUNCATE);

-- name: create_gpkg_extensions
CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));

-- name: geometry_columns_with_rtree
SELECT g.table_name, g.column_name, m.name FROM gpkg_geometry_columns g LEFT JOIN sqlite_master m ON m.name = 'rtree_' || g.table_name || '_' || g.column_name ORDER BY g.table_name;

-- name: integrity_check
PRAGMA integrity_check;

-- name: latest_changesets
SELECT * FROM changesets ORDER BY recorded_at DESC, fid DESC LIMIT ?;

-- name: migration_done
INSERT INTO diming_migrations VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'));

-- name: register_rtree_extension
INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec/#extension_rtree', 'write-only');

-- name: unindexed_geometry_columns
SELECT g.table_name, g.column_name FROM gpkg_geometry_columns g WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.name = 'rtree_' || g.table_name || '_' || g.column_name) ORDER BY g.table_name;
