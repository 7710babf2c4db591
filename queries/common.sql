-- Statements both stores run as they are (numbered parameters, portable types): accounts,
-- attachments, gazetteer editions and the parts of a commit that do not differ.
-- Each statement follows its `-- name:` line; src/store/sql.rs loads them.

-- name: add_attachment
INSERT INTO attachments (sha256, media_type, bytes, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING;

-- name: add_edition
INSERT INTO gazetteer_editions (id, built_at, built_by, changeset, entries, options, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: add_session
INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5);

-- name: add_token
INSERT INTO api_tokens (token_hash, user_name, label, created_at) VALUES ($1, $2, $3, $4);

-- name: add_user
INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4);

-- name: attachment
SELECT media_type, bytes FROM attachments WHERE sha256 = $1;

-- name: attachments
SELECT sha256, media_type, bytes, uploaded_at, uploaded_by FROM attachments ORDER BY uploaded_at, sha256;

-- name: changeset
SELECT * FROM changesets WHERE id = $1;

-- name: changeset_count
SELECT COUNT(*) FROM changesets;

-- name: changeset_layers
SELECT DISTINCT CAST(changeset AS TEXT), layer FROM versions;

-- name: editions
SELECT id, built_at, built_by, changeset, CAST(entries AS BIGINT), options, sha256 FROM gazetteer_editions WHERE CAST($1 AS TEXT) IS NULL OR id = $1 ORDER BY built_at DESC, id DESC;

-- name: end_session
DELETE FROM sessions WHERE token_hash = $1;

-- name: end_sessions
DELETE FROM sessions WHERE user_name = $1;

-- name: expire_sessions
DELETE FROM sessions WHERE expires_at < $1;

-- name: failed_logins
SELECT count(*) FROM access_log WHERE action = 'login' AND user_name = $1 AND at >= $2;

-- name: insert_changeset
INSERT INTO changesets (id, author, reason, recorded_at, doc_issuer, doc_number, doc_date, writes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: latest_version
SELECT max(version) FROM versions WHERE id = $1;

-- name: log_refusal
INSERT INTO access_log (at, user_name, action, target, reason) VALUES ($1, $2, $3, $4, $5);

-- name: migrations_done
SELECT max(version) FROM diming_migrations;

-- name: refusals
SELECT at, user_name, action, target, reason FROM access_log ORDER BY id DESC LIMIT $1;

-- name: revoke_token
UPDATE api_tokens SET revoked_at = $1 WHERE user_name = $2 AND label = $3 AND revoked_at IS NULL;

-- name: revoke_user_tokens
UPDATE api_tokens SET revoked_at = $1 WHERE user_name = $2 AND revoked_at IS NULL;

-- name: rewrite_body
UPDATE versions SET body = $1 WHERE id = $2 AND version = $3;

-- name: session
SELECT user_name, csrf, expires_at FROM sessions WHERE token_hash = $1;

-- name: set_password
UPDATE users SET password_hash = $1, updated_at = $2 WHERE name = $3;

-- name: token_user
SELECT user_name FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL;

-- name: update_user
UPDATE users SET role = $1, disabled_at = $2, updated_at = $3 WHERE name = $4;
