//! The SQLite store: one GeoPackage file, WAL mode, one writer at a time (`BEGIN IMMEDIATE`).

use super::batch::{self, Dialect};
use super::error::Context;
use super::geometry::{from_gpkg, to_gpkg};
use super::migrate;
use super::rows::{RawVersion, parse_time, time_text};
use super::rtree;
use super::shape::{self, Versions};
use super::sql;
use super::{Result, StoreError};
use crate::model::{ChangesetSummary, ColumnValue, CommitPlan, Layer, RecordVersion};
use crate::record::{ApprovalDocument, ChangesetId};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, Sqlite, Transaction};
use std::collections::HashMap;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
    path: String,
}

fn date(s: &str) -> std::result::Result<NaiveDate, String> {
    s.parse().map_err(|e| format!("日期“{s}”：{e}"))
}

fn raw(row: &SqliteRow) -> std::result::Result<RawVersion, String> {
    let g = |e: sqlx::Error| e.to_string();
    let valid_to: Option<String> = row.try_get("valid_to").map_err(g)?;
    let superseded_at: Option<String> = row.try_get("superseded_at").map_err(g)?;
    let geom: Vec<u8> = row.try_get("geom").map_err(g)?;
    Ok(RawVersion {
        id: row.try_get("id").map_err(g)?,
        version: row.try_get("version").map_err(g)?,
        valid_from: date(&row.try_get::<String, _>("valid_from").map_err(g)?)?,
        valid_to: valid_to.as_deref().map(date).transpose()?,
        recorded_at: parse_time(&row.try_get::<String, _>("recorded_at").map_err(g)?)?,
        superseded_at: superseded_at.as_deref().map(parse_time).transpose()?,
        changeset: row.try_get("changeset").map_err(g)?,
        retired: row.try_get("retired").map_err(g)?,
        body: row.try_get("body").map_err(g)?,
        geometry: from_gpkg(&geom),
    })
}

fn decode(rows: Vec<SqliteRow>) -> Result<Vec<RecordVersion>> {
    rows.iter().map(decode_row).collect()
}

fn decode_row(row: &SqliteRow) -> Result<RecordVersion> {
    raw(row)
        .map_err(|reason| StoreError::Corrupt {
            id: row.try_get::<String, _>("id").unwrap_or_default(),
            version: row.try_get("version").unwrap_or_default(),
            reason,
        })?
        .decode()
}

fn summary(row: &SqliteRow) -> Result<ChangesetSummary> {
    let corrupt = |reason: String| StoreError::Corrupt {
        id: row.try_get::<String, _>("id").unwrap_or_default(),
        version: 0,
        reason,
    };
    let get = |c: &str| {
        row.try_get::<Option<String>, _>(c)
            .map_err(|e| corrupt(e.to_string()))
    };
    let document = match (get("doc_issuer")?, get("doc_number")?, get("doc_date")?) {
        (Some(issuer), Some(number), Some(d)) => Some(ApprovalDocument {
            issuer,
            number,
            date: date(&d).map_err(corrupt)?,
        }),
        _ => None,
    };
    let id: String = row.try_get("id").map_err(|e| corrupt(e.to_string()))?;
    Ok(ChangesetSummary {
        id: ChangesetId(
            id.parse()
                .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
        ),
        author: row.try_get("author").map_err(|e| corrupt(e.to_string()))?,
        reason: row.try_get("reason").map_err(|e| corrupt(e.to_string()))?,
        recorded_at: parse_time(
            &row.try_get::<String, _>("recorded_at")
                .map_err(|e| corrupt(e.to_string()))?,
        )
        .map_err(corrupt)?,
        document,
        writes: row
            .try_get::<i64, _>("writes")
            .map_err(|e| corrupt(e.to_string()))? as usize,
    })
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The store holds whole ID-card and telephone numbers: its file is readable by its owner
/// only (0600), made so before SQLite writes a byte (SQLite gives its `-wal` and `-shm` files
/// the database file's mode), and tightened if an earlier version left it readable by others.
fn private_file(path: &str) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if path == ":memory:" || path.starts_with("file:") {
        return Ok(());
    }
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o077 != 0 => {
            // Someone else's file (a backup opened read-only, say) is left as it is.
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map(drop),
        Err(e) => Err(e),
    }
}

impl SqliteStore {
    pub async fn open(path: &str) -> Result<Self> {
        let url = format!("sqlite://{path}");
        private_file(path).map_err(|source| StoreError::Open {
            url: url.clone(),
            source: sqlx::Error::Io(source),
        })?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged commit survives a power cut, not only a crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // 64 MiB of page cache per connection instead of SQLite's 2 MiB: a large import
            // writes its rows into a few indexes without spilling pages before it commits.
            .pragma("cache_size", "-65536")
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(|conn, _| Box::pin(rtree::register_functions(conn)))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open { url, source })?;
        let store = SqliteStore {
            pool,
            path: path.to_string(),
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The file this store lives in.
    pub fn path(&self) -> &str {
        &self.path
    }

    async fn migrate(&self) -> Result<()> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("开始迁移事务")?;
        sqlx::query(migrate::CREATE_TABLE)
            .execute(&mut *tx)
            .await
            .context("创建迁移表")?;
        let done: Option<i64> = sqlx::query_scalar(sql::common("migrations_done"))
            .fetch_one(&mut *tx)
            .await
            .context("读取迁移版本")?;
        let mut applied = false;
        for (version, sql) in migrate::SQLITE {
            if i64::from(*version) <= done.unwrap_or(0) {
                continue;
            }
            applied = true;
            let fail = |source| StoreError::Migration {
                version: *version,
                source,
            };
            sqlx::raw_sql(AssertSqlSafe(*sql))
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            sqlx::query(sql::sqlite("migration_done"))
                .bind(i64::from(*version))
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
        }
        applied |= rtree::ensure(&mut tx).await? > 0;
        tx.commit().await.context("提交迁移")?;
        // GDAL reads the GeoPackage application id from the file header, not through SQLite:
        // move a new migration out of the WAL into the main file. (Opening an up-to-date
        // store writes nothing, so that it opens on a full disk.)
        if applied {
            sqlx::query(sql::sqlite("checkpoint"))
                .execute(&self.pool)
                .await
                .context("写入文件头")?;
        }
        Ok(())
    }

    /// The versions `which` selects.
    pub async fn versions(&self, which: Versions) -> Result<Vec<RecordVersion>> {
        let sql = which.select(Dialect::Sqlite);
        let q = sqlx::query(AssertSqlSafe(sql));
        let q = match which {
            Versions::Record(id) => q.bind(id.to_string()),
            Versions::Layer(layer) => q.bind(layer.table()),
            Versions::Changeset(id) => q.bind(id.to_string()),
            Versions::Current | Versions::All | Versions::Retired => q,
        };
        // Decoded as they arrive: a province's million rows are never all held at once
        // beside the versions made of them.
        let mut conn = self.pool.acquire().await.context(which.context())?;
        let mut out = Vec::new();
        {
            let mut rows = q.fetch(&mut *conn);
            while let Some(row) = rows.try_next().await.context(which.context())? {
                out.push(decode_row(&row)?);
            }
        }
        // A read of a whole layer or more leaves the connection's page cache full (64 MiB,
        // for imports); a read does not need it kept.
        if out.len() > 10_000 {
            sqlx::query("PRAGMA shrink_memory")
                .execute(&mut *conn)
                .await
                .context(which.context())?;
        }
        Ok(out)
    }

    pub async fn rewrite_bodies(&self, versions: &[RecordVersion]) -> Result<()> {
        let encoded = encode(versions)?;
        let mut tx = self.pool.begin().await.context("开始事务")?;
        for Encoded { v, body, .. } in &encoded {
            sqlx::query(sql::common("rewrite_body"))
                .bind(body)
                .bind(v.id.to_string())
                .bind(i64::from(v.version))
                .execute(&mut *tx)
                .await
                .context("改写历史版本")?;
        }
        tx.commit().await.context("提交事务")
    }

    /// Every changeset (newest first) and every version, read in one transaction: one
    /// snapshot of the WAL, whatever commits meanwhile.
    pub async fn snapshot(&self) -> Result<(Vec<ChangesetSummary>, Vec<RecordVersion>)> {
        let mut tx = self.pool.begin().await.context("开始事务")?;
        let changesets = sqlx::query(sql::sqlite("all_changesets"))
            .fetch_all(&mut *tx)
            .await
            .context("读取变更集列表")?;
        let versions = sqlx::query(AssertSqlSafe(Versions::All.select(Dialect::Sqlite)))
            .fetch_all(&mut *tx)
            .await
            .context("读取全部版本")?;
        tx.commit().await.context("结束事务")?;
        Ok((
            changesets.iter().map(summary).collect::<Result<_>>()?,
            decode(versions)?,
        ))
    }

    /// Writes a backup's changesets and versions as they are, and the current state.
    pub async fn restore(&self, backup: &crate::store::Backup) -> Result<()> {
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("开始事务")?;
        shape::restore(Tx(tx), backup).await
    }

    pub async fn changeset(&self, id: ChangesetId) -> Result<Option<ChangesetSummary>> {
        let row = sqlx::query(sql::common("changeset"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .context("读取变更集")?;
        row.as_ref().map(summary).transpose()
    }

    pub async fn changesets(&self, limit: u32) -> Result<Vec<ChangesetSummary>> {
        let rows = sqlx::query(sql::sqlite("latest_changesets"))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .context("读取变更集列表")?;
        rows.iter().map(summary).collect()
    }

    pub async fn commit(&self, plan: &CommitPlan) -> Result<()> {
        self.commit_all(&[plan]).await
    }

    pub async fn commit_all(&self, plans: &[&CommitPlan]) -> Result<()> {
        let mut conn = self.pool.acquire().await.context("取得数据库连接")?;
        let result = Self::commit_on(&mut conn, plans).await;
        if matches!(
            result,
            Err(StoreError::DiskFull { .. } | StoreError::Database { .. })
        ) {
            // A COMMIT that fails (a full disk) leaves SQLite's transaction open on this
            // connection; closing the connection rolls it back, and the pool opens a new one.
            drop(conn.detach());
        }
        result
    }

    async fn commit_on(
        conn: &mut sqlx::pool::PoolConnection<Sqlite>,
        plans: &[&CommitPlan],
    ) -> Result<()> {
        let tx = sqlx::Connection::begin_with(&mut **conn, "BEGIN IMMEDIATE")
            .await
            .context("开始事务")?;
        shape::commit_all(Tx(tx), plans).await
    }
}

/// A write transaction on the store: the steps of a commit and a restore in SQLite's words.
struct Tx<'c>(Transaction<'c, Sqlite>);

impl shape::Steps for Tx<'_> {
    async fn insert_changeset(&mut self, changeset: &ChangesetSummary) -> Result<()> {
        insert_changeset(&mut self.0, changeset).await
    }
    async fn close_versions(&mut self, plan: &CommitPlan) -> Result<()> {
        close_versions(&mut self.0, plan, &time_text(plan.recorded_at)).await
    }
    async fn refuse_existing(&mut self, plan: &CommitPlan) -> Result<()> {
        refuse_existing(&mut self.0, plan).await
    }
    async fn write_versions(
        &mut self,
        versions: &[RecordVersion],
        in_tables: fn(&RecordVersion) -> bool,
    ) -> Result<()> {
        let rows = encode(versions)?;
        insert_versions(&mut self.0, &rows).await?;
        let current: Vec<_> = rows.into_iter().filter(|r| in_tables(r.v)).collect();
        replace_current(&mut self.0, &current).await
    }
    async fn finish(self, context: &'static str) -> Result<()> {
        self.0.commit().await.context(context)
    }
}

/// Closes the versions the plan supersedes (their end of validity and of currency set), a few
/// thousand a statement. One that is no longer current (another process wrote first) makes
/// the whole commit stale, named by the first such record in the plan's order.
async fn close_versions(
    tx: &mut Transaction<'_, Sqlite>,
    plan: &CommitPlan,
    recorded_at: &str,
) -> Result<()> {
    for chunk in plan.closures.chunks(batch::ROWS * 3) {
        let sql = format!(
            "UPDATE versions SET valid_to = c.column3, superseded_at = ? FROM (VALUES {}) AS c \
             WHERE versions.id = c.column1 AND versions.version = c.column2 \
             AND versions.superseded_at IS NULL AND versions.retired = 0 RETURNING versions.id",
            batch::values(Dialect::Sqlite, chunk.len(), 3, false)
        );
        let mut q =
            sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)).bind(recorded_at.to_string());
        for c in chunk {
            q = q
                .bind(c.id.to_string())
                .bind(i64::from(c.version))
                .bind(c.valid_to.to_string());
        }
        let closed = q.fetch_all(&mut **tx).await.context("关闭旧版本")?;
        if closed.len() == chunk.len() {
            continue;
        }
        let closed: std::collections::HashSet<String> = closed.into_iter().collect();
        // Every closure names a different record, so one is missing from what was closed.
        if let Some(c) = chunk.iter().find(|c| !closed.contains(&c.id.to_string())) {
            let actual: Option<i64> = sqlx::query_scalar(sql::common("latest_version"))
                .bind(c.id.to_string())
                .fetch_one(&mut **tx)
                .await
                .context("读取当前版本")?;
            return Err(StoreError::Stale {
                id: c.id,
                expected: c.version,
                actual: actual.unwrap_or(0) as u32,
            });
        }
    }
    Ok(())
}

/// Refuses the commit if one of its new records already exists (written by another process).
async fn refuse_existing(tx: &mut Transaction<'_, Sqlite>, plan: &CommitPlan) -> Result<()> {
    let created: Vec<String> = plan
        .versions
        .iter()
        .filter(|v| v.version == 1)
        .map(|v| v.id.to_string())
        .collect();
    for chunk in created.chunks(batch::ROWS * 4) {
        let sql = format!(
            "SELECT id FROM versions WHERE id IN ({}) LIMIT 1",
            batch::list(Dialect::Sqlite, chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        if let Some(id) = q
            .fetch_optional(&mut **tx)
            .await
            .context("检查记录是否已存在")?
        {
            let id = id.parse().map_err(|e: uuid::Error| StoreError::Corrupt {
                id,
                version: 1,
                reason: e.to_string(),
            })?;
            return Err(StoreError::AlreadyExists(id));
        }
    }
    Ok(())
}

/// Brings the layers' feature tables in step: rows of changed or retired records are
/// removed, rows of current versions inserted.
async fn replace_current(tx: &mut Transaction<'_, Sqlite>, rows: &[Encoded<'_>]) -> Result<()> {
    let mut by_layer: HashMap<Layer, Vec<&Encoded<'_>>> = HashMap::new();
    for r in rows {
        by_layer.entry(r.v.layer()).or_default().push(r);
    }
    for layer in Layer::ALL {
        let Some(of_layer) = by_layer.get(&layer) else {
            continue;
        };
        let table = layer.table();
        // A large write into a table no more than twice its size rebuilds the table's R-tree
        // afterwards instead of writing it row by row through the triggers.
        let bulk = of_layer.len() >= BULK_INDEX && {
            let rows: i64 =
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                    .fetch_one(&mut **tx)
                    .await
                    .context("统计图层表行数")?;
            rows as usize <= 2 * of_layer.len()
        };
        if bulk {
            rtree::suspend(tx, table, "geom")
                .await
                .context("重建空间索引")?;
        }
        // Rows of retired records go; a changed record's row is updated where it stands
        // (below), so that its feature id stays what GIS clients know it by.
        let retired: Vec<String> = of_layer
            .iter()
            .filter(|r| r.v.retired)
            .map(|r| r.v.id.to_string())
            .collect();
        for chunk in retired.chunks(batch::ROWS * 4) {
            let sql = format!(
                "DELETE FROM {table} WHERE id IN ({})",
                batch::list(Dialect::Sqlite, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(&mut **tx).await.context("更新图层表")?;
        }
        // A changed record's row is updated, a new record's row inserted. Not one upsert
        // (`INSERT … ON CONFLICT DO UPDATE`): under it, the GeoPackage 1.3 R-tree trigger's
        // `INSERT OR REPLACE` loses its `OR REPLACE` and fails on the row's existing entry.
        let (changed, created): (Vec<&Encoded<'_>>, Vec<&Encoded<'_>>) = of_layer
            .iter()
            .copied()
            .filter(|r| !r.v.retired)
            .partition(|r| r.v.version > 1);
        let columns = layer.columns();
        let width = 6 + columns.len();
        let mut names = vec!["id", "version", "valid_from", "recorded_at", "source"];
        names.extend(columns);
        names.push("geom");
        let set = names
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c} = c.column{}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        // A changed record whose row is missing (a table out of step) gets its row inserted.
        let mut missing = Vec::new();
        for chunk in changed.chunks(batch::ROWS) {
            let sql = format!(
                "UPDATE {table} SET {set} FROM (VALUES {}) AS c WHERE {table}.id = c.column1 \
                 RETURNING {table}.id",
                batch::values(Dialect::Sqlite, chunk.len(), width, true)
            );
            let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
            for r in chunk {
                q = bind_row(q, r);
            }
            let updated: std::collections::HashSet<String> = q
                .fetch_all(&mut **tx)
                .await
                .context("更新图层表")?
                .into_iter()
                .collect();
            if updated.len() < chunk.len() {
                missing.extend(
                    chunk
                        .iter()
                        .filter(|r| !updated.contains(&r.v.id.to_string())),
                );
            }
        }
        let inserted: Vec<&Encoded<'_>> = created.into_iter().chain(missing).collect();
        for chunk in inserted.chunks(batch::ROWS) {
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES {}",
                names.join(", "),
                batch::values(Dialect::Sqlite, chunk.len(), width, true)
            );
            let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
            for r in chunk {
                q = bind_row(q, r);
            }
            q.fetch_all(&mut **tx).await.context("写入图层表")?;
        }
        if bulk {
            rtree::build(tx, table, "geom")
                .await
                .context("重建空间索引")?;
        }
    }
    Ok(())
}

/// Rows of one table in a commit from which its R-tree is rebuilt rather than kept in step
/// by its triggers (see [`rtree::suspend`]).
const BULK_INDEX: usize = 1000;

type LayerRowQuery<'q> =
    sqlx::query::QueryScalar<'q, Sqlite, String, sqlx::sqlite::SqliteArguments>;

/// Binds a layer table row: id, version, validity, recording time, source, the layer's
/// columns, the geometry.
fn bind_row<'q>(mut q: LayerRowQuery<'q>, r: &'q Encoded<'_>) -> LayerRowQuery<'q> {
    let v = r.v;
    q = q
        .bind(v.id.to_string())
        .bind(i64::from(v.version))
        .bind(v.valid_from.to_string())
        .bind(r.recorded_at.as_str())
        .bind(v.body.source().as_str());
    for value in v.body.column_values() {
        q = match value {
            ColumnValue::Text(s) => q.bind(s),
            ColumnValue::Integer(i) => q.bind(i),
            ColumnValue::Null => q.bind(None::<String>),
            ColumnValue::NullInteger => q.bind(None::<i64>),
        };
    }
    q.bind(r.geom.as_slice())
}

/// A version with its geometry (GeoPackage binary), body (JSON) and recording time (text)
/// encoded for the database.
struct Encoded<'a> {
    v: &'a RecordVersion,
    geom: Vec<u8>,
    body: String,
    recorded_at: String,
}

/// Each version encoded for the database. The versions of one commit share their recording
/// time, which is formatted once.
fn encode(versions: &[RecordVersion]) -> Result<Vec<Encoded<'_>>> {
    let mut last: Option<(chrono::DateTime<chrono::Utc>, String)> = None;
    versions
        .iter()
        .map(|v| {
            let recorded_at = match &last {
                Some((t, text)) if *t == v.recorded_at => text.clone(),
                _ => {
                    let text = time_text(v.recorded_at);
                    last = Some((v.recorded_at, text.clone()));
                    text
                }
            };
            let corrupt = |reason: String| StoreError::Corrupt {
                id: v.id.to_string(),
                version: i64::from(v.version),
                reason,
            };
            let geom = to_gpkg(&v.geometry).map_err(corrupt)?;
            let body = crate::cemetery::personal::reveal(|| serde_json::to_string(&v.body))
                .map_err(|e| corrupt(e.to_string()))?;
            Ok(Encoded {
                v,
                geom,
                body,
                recorded_at,
            })
        })
        .collect()
}

async fn insert_changeset(tx: &mut Transaction<'_, Sqlite>, c: &ChangesetSummary) -> Result<()> {
    let doc = c.document.as_ref();
    sqlx::query(sql::common("insert_changeset"))
        .bind(c.id.to_string())
        .bind(&c.author)
        .bind(&c.reason)
        .bind(time_text(c.recorded_at))
        .bind(doc.map(|d| d.issuer.clone()))
        .bind(doc.map(|d| d.number.clone()))
        .bind(doc.map(|d| d.date.to_string()))
        .bind(c.writes as i64)
        .execute(&mut **tx)
        .await
        .context("写入变更集")?;
    Ok(())
}

/// Inserts versions with every column (a new version has no valid_to and no superseded_at);
/// a version that exists already is reported with its record.
async fn insert_versions(tx: &mut Transaction<'_, Sqlite>, rows: &[Encoded<'_>]) -> Result<()> {
    for chunk in rows.chunks(batch::ROWS) {
        let sql = format!(
            "INSERT INTO versions (id, version, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body, geom) VALUES {}",
            batch::values(Dialect::Sqlite, chunk.len(), 11, true)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for Encoded {
            v,
            geom,
            body,
            recorded_at,
        } in chunk
        {
            q = q
                .bind(v.id.to_string())
                .bind(i64::from(v.version))
                .bind(v.layer().table())
                .bind(v.valid_from.to_string())
                .bind(v.valid_to.map(|d| d.to_string()))
                .bind(recorded_at.clone())
                .bind(v.superseded_at.map(time_text))
                .bind(v.changeset.to_string())
                .bind(v.retired)
                .bind(body.clone())
                .bind(geom.clone());
        }
        q.execute(&mut **tx).await.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::AlreadyExists(chunk[0].v.id)
            } else {
                StoreError::from_sqlx("写入版本", e)
            }
        })?;
    }
    Ok(())
}
