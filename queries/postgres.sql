-- Statements of the PostgreSQL/PostGIS store only: advisory locks, snapshots, NOTIFY, set-based
-- closing of versions with unnest, and the bulk rebuild of secondary indexes.
-- Each statement follows its `-- name:` line; src/store/sql.rs loads them.

-- name: all_changesets
SELECT * FROM changesets ORDER BY recorded_at DESC;

-- name: bulk_release
RELEASE SAVEPOINT bulk_indexes;

-- name: bulk_rollback
ROLLBACK TO SAVEPOINT bulk_indexes;

-- name: bulk_savepoint
SAVEPOINT bulk_indexes;

-- name: close_versions
UPDATE versions v SET valid_to = c.valid_to, superseded_at = $4 FROM unnest($1::uuid[], $2::int4[], $3::date[]) AS c(id, version, valid_to) WHERE v.id = c.id AND v.version = c.version AND v.superseded_at IS NULL AND NOT v.retired RETURNING v.id;

-- name: estimated_rows
SELECT reltuples FROM pg_class WHERE oid = $1::regclass;

-- name: existing_record
SELECT v.id FROM unnest($1::uuid[]) AS n(id) JOIN versions v ON v.id = n.id LIMIT 1;

-- name: latest_changesets
SELECT * FROM changesets ORDER BY recorded_at DESC LIMIT $1;

-- name: migration_done
INSERT INTO diming_migrations VALUES ($1, now()::text);

-- name: migration_lock
SELECT pg_advisory_xact_lock(7242311);

-- name: notify
SELECT pg_notify($1, $2);

-- name: secondary_indexes
SELECT x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid) FROM pg_index x WHERE x.indrelid = $1::regclass AND NOT x.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1;

-- name: snapshot_transaction
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
