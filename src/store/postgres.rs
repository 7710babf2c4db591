//! The PostgreSQL/PostGIS store. Several server processes may share one database: a commit
//! closes the old version only if it is still current (row lock, then re-check), so the second
//! of two concurrent writers of one record is refused as stale. Each commit announces itself
//! with `NOTIFY diming_changes, '<changeset id>'`. Versions are closed in one statement; a
//! version's changeset is checked once per statement by a trigger (migration 9), not by a
//! foreign key row by row. A large commit into a layer table builds the table's secondary
//! indexes again after its rows instead of inserting each row into them.

use super::batch::{self, Dialect};
use super::copy::{CopyRows, Fields, Params};
use super::error::Context;
use super::geometry::{from_wkb, to_ewkb};
use super::migrate;
use super::rows::RawVersion;
use super::shape::{self, Versions};
use super::sql;
use super::{Result, StoreError};
use crate::model::{ChangesetSummary, ColumnValue, CommitPlan, Layer, RecordVersion};
use crate::record::{ApprovalDocument, ChangesetId, RecordId};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::types::JsonRawValue;
use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};
use uuid::Uuid;

/// The channel on which commits are announced.
pub const CHANNEL: &str = "diming_changes";

pub struct PgStore {
    pool: PgPool,
}

fn raw(row: &PgRow) -> std::result::Result<RawVersion, sqlx::Error> {
    let geom: Vec<u8> = row.try_get("geom")?;
    Ok(RawVersion {
        id: row.try_get("id")?,
        version: i64::from(row.try_get::<i32, _>("version")?),
        valid_from: row.try_get("valid_from")?,
        valid_to: row.try_get("valid_to")?,
        recorded_at: row.try_get("recorded_at")?,
        superseded_at: row.try_get("superseded_at")?,
        changeset: row.try_get("changeset")?,
        retired: row.try_get("retired")?,
        body: row.try_get("body")?,
        geometry: from_wkb(&geom),
    })
}

fn decode(rows: Vec<PgRow>) -> Result<Vec<RecordVersion>> {
    rows.iter().map(decode_row).collect()
}

fn decode_row(row: &PgRow) -> Result<RecordVersion> {
    raw(row)
        .map_err(|e| StoreError::Corrupt {
            id: row.try_get::<String, _>("id").unwrap_or_default(),
            version: 0,
            reason: e.to_string(),
        })?
        .decode()
}

fn summary(row: &PgRow) -> Result<ChangesetSummary> {
    let read = || -> std::result::Result<ChangesetSummary, sqlx::Error> {
        let issuer: Option<String> = row.try_get("doc_issuer")?;
        let number: Option<String> = row.try_get("doc_number")?;
        let date: Option<NaiveDate> = row.try_get("doc_date")?;
        let document = match (issuer, number, date) {
            (Some(issuer), Some(number), Some(date)) => Some(ApprovalDocument {
                issuer,
                number,
                date,
            }),
            _ => None,
        };
        Ok(ChangesetSummary {
            id: ChangesetId(row.try_get::<Uuid, _>("id")?),
            author: row.try_get("author")?,
            reason: row.try_get("reason")?,
            recorded_at: row.try_get::<DateTime<Utc>, _>("recorded_at")?,
            document,
            writes: row.try_get::<i32, _>("writes")? as usize,
        })
    };
    read().map_err(|e| StoreError::Corrupt {
        id: String::new(),
        version: 0,
        reason: e.to_string(),
    })
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl PgStore {
    pub async fn open(url: &str) -> Result<Self> {
        // A database that does not answer is reported within seconds (writes get 503 and
        // reads go on from memory), not after sqlx's default half minute.
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|source| StoreError::Open {
                url: redact(url),
                source,
            })?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Drops diming's tables (not the database, not PostGIS).
    pub async fn destroy(url: &str) -> Result<()> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .map_err(|source| StoreError::Open {
                url: redact(url),
                source,
            })?;
        // Every layer's table, and the registry's own.
        let tables: Vec<&str> = crate::model::Layer::ALL
            .iter()
            .map(|l| l.table())
            .chain([
                "versions",
                "changesets",
                "sessions",
                "api_tokens",
                "access_log",
                "users",
                "gazetteer_editions",
                "attachments",
                "diming_migrations",
            ])
            .collect();
        // And the functions of the tables' triggers (migration 9).
        let sql = format!(
            "DROP TABLE IF EXISTS {} CASCADE; DROP FUNCTION IF EXISTS \
             diming_versions_changeset_exists, diming_refuse_change, \
             diming_changeset_unreferenced, diming_changesets_not_emptied CASCADE",
            tables.join(", ")
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&pool)
            .await
            .context("删除数据表")?;
        Ok(())
    }

    /// The connection pool, for the PostGIS-side queries of benchmarks and reports.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn migrate(&self) -> Result<()> {
        let mut tx = self.pool.begin().await.context("开始迁移事务")?;
        // One migrating process at a time.
        sqlx::query(sql::postgres("migration_lock"))
            .execute(&mut *tx)
            .await
            .context("取得迁移锁")?;
        sqlx::query(migrate::CREATE_TABLE)
            .execute(&mut *tx)
            .await
            .context("创建迁移表")?;
        let done: Option<i32> = sqlx::query_scalar(sql::common("migrations_done"))
            .fetch_one(&mut *tx)
            .await
            .context("读取迁移版本")?;
        for (version, sql) in migrate::POSTGRES {
            if *version as i32 <= done.unwrap_or(0) {
                continue;
            }
            sqlx::raw_sql(AssertSqlSafe(*sql))
                .execute(&mut *tx)
                .await
                .map_err(|source| match &source {
                    sqlx::Error::Database(db) if db.message().contains("postgis") => {
                        StoreError::NoPostgis(db.message().to_string())
                    }
                    _ => StoreError::Migration {
                        version: *version,
                        source,
                    },
                })?;
            sqlx::query(sql::postgres("migration_done"))
                .bind(*version as i32)
                .execute(&mut *tx)
                .await
                .context("记录迁移")?;
        }
        tx.commit().await.context("提交迁移")
    }

    /// The versions `which` selects.
    pub async fn versions(&self, which: Versions) -> Result<Vec<RecordVersion>> {
        let q = sqlx::query(AssertSqlSafe(which.select(Dialect::Postgres)));
        let q = match which {
            Versions::Record(id) => q.bind(id.0),
            Versions::Layer(layer) => q.bind(layer.table()),
            Versions::Changeset(id) => q.bind(id.0),
            Versions::Current | Versions::All | Versions::Retired => q,
        };
        // Decoded as they arrive: a province's million rows are never all held at once
        // beside the versions made of them.
        let mut rows = q.fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await.context(which.context())? {
            out.push(decode_row(&row)?);
        }
        Ok(out)
    }

    pub async fn rewrite_bodies(&self, versions: &[RecordVersion]) -> Result<()> {
        let encoded = encode(versions)?;
        let mut tx = self.pool.begin().await.context("开始事务")?;
        for (v, _, body) in &encoded {
            sqlx::query(sql::common("rewrite_body"))
                .bind(super::copy::JsonText(body.get()))
                .bind(v.id.0)
                .bind(v.version as i32)
                .execute(&mut *tx)
                .await
                .context("改写历史版本")?;
        }
        tx.commit().await.context("提交事务")
    }

    /// A connection listening for other processes' commits on `CHANNEL`.
    pub async fn listener(&self) -> Result<sqlx::postgres::PgListener> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool)
            .await
            .context("建立变更通知连接")?;
        listener.listen(CHANNEL).await.context("订阅变更通知")?;
        Ok(listener)
    }

    /// Every changeset (newest first) and every version, read in one repeatable-read
    /// transaction: one snapshot, whatever commits meanwhile.
    pub async fn snapshot(&self) -> Result<(Vec<ChangesetSummary>, Vec<RecordVersion>)> {
        let mut tx = self.pool.begin().await.context("开始事务")?;
        sqlx::query(sql::postgres("snapshot_transaction"))
            .execute(&mut *tx)
            .await
            .context("开始快照")?;
        let changesets = sqlx::query(sql::postgres("all_changesets"))
            .fetch_all(&mut *tx)
            .await
            .context("读取变更集列表")?;
        let versions = sqlx::query(AssertSqlSafe(Versions::All.select(Dialect::Postgres)))
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
        let tx = self.pool.begin().await.context("开始事务")?;
        shape::restore(Tx(tx), backup).await
    }

    pub async fn changeset(&self, id: ChangesetId) -> Result<Option<ChangesetSummary>> {
        let row = sqlx::query(sql::common("changeset"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .context("读取变更集")?;
        row.as_ref().map(summary).transpose()
    }

    pub async fn changesets(&self, limit: u32) -> Result<Vec<ChangesetSummary>> {
        let rows = sqlx::query(sql::postgres("latest_changesets"))
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
        let tx = self.pool.begin().await.context("开始事务")?;
        shape::commit_all(Tx(tx), plans).await
    }
}

/// A write transaction on the store: the steps of a commit and a restore in PostgreSQL's
/// words; a commit announces itself on [`CHANNEL`].
struct Tx(Transaction<'static, Postgres>);

impl shape::Steps for Tx {
    async fn insert_changeset(&mut self, changeset: &ChangesetSummary) -> Result<()> {
        insert_changeset(&mut self.0, changeset).await
    }
    async fn close_versions(&mut self, plan: &CommitPlan) -> Result<()> {
        close_versions(&mut self.0, plan).await
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
        let current: Vec<_> = rows.into_iter().filter(|r| in_tables(r.0)).collect();
        replace_current(&mut self.0, &current).await
    }
    async fn announce(&mut self, plan: &CommitPlan) -> Result<()> {
        sqlx::query(sql::postgres("notify"))
            .bind(CHANNEL)
            .bind(plan.id().to_string())
            .execute(&mut *self.0)
            .await
            .context("发送变更通知")?;
        Ok(())
    }
    async fn finish(self, context: &'static str) -> Result<()> {
        self.0.commit().await.context(context)
    }
}

/// Closes the versions the plan supersedes (their end of validity and of currency set), all in
/// one statement. One that is no longer current (another process wrote first) makes the whole
/// commit stale, named by the first such record in the plan's order.
async fn close_versions(tx: &mut Transaction<'static, Postgres>, plan: &CommitPlan) -> Result<()> {
    if plan.closures.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = plan.closures.iter().map(|c| c.id.0).collect();
    let versions: Vec<i32> = plan.closures.iter().map(|c| c.version as i32).collect();
    let valid_to: Vec<chrono::NaiveDate> = plan.closures.iter().map(|c| c.valid_to).collect();
    let closed: Vec<Uuid> = sqlx::query_scalar(sql::postgres("close_versions"))
        .bind(&ids)
        .bind(&versions)
        .bind(&valid_to)
        .bind(plan.recorded_at)
        .fetch_all(&mut **tx)
        .await
        .context("关闭旧版本")?;
    if closed.len() == plan.closures.len() {
        return Ok(());
    }
    let closed: std::collections::HashSet<Uuid> = closed.into_iter().collect();
    // Every closure names a different record, so one is missing from what was closed.
    let Some(c) = plan.closures.iter().find(|c| !closed.contains(&c.id.0)) else {
        return Ok(());
    };
    let actual: Option<i32> = sqlx::query_scalar(sql::common("latest_version"))
        .bind(c.id.0)
        .fetch_one(&mut **tx)
        .await
        .context("读取当前版本")?;
    Err(StoreError::Stale {
        id: c.id,
        expected: c.version,
        actual: actual.unwrap_or(0) as u32,
    })
}

/// Refuses the commit if one of its new records already exists (written by another process).
async fn refuse_existing(tx: &mut Transaction<'static, Postgres>, plan: &CommitPlan) -> Result<()> {
    let created: Vec<Uuid> = plan
        .versions
        .iter()
        .filter(|v| v.version == 1)
        .map(|v| v.id.0)
        .collect();
    if created.is_empty() {
        return Ok(());
    }
    // Joined, not `id = ANY($1)`: with 100,000 ids that took 2.8 s, this takes milliseconds.
    let existing: Option<Uuid> = sqlx::query_scalar(sql::postgres("existing_record"))
        .bind(&created)
        .fetch_optional(&mut **tx)
        .await
        .context("检查记录是否已存在")?;
    match existing {
        Some(id) => Err(StoreError::AlreadyExists(RecordId(id))),
        None => Ok(()),
    }
}

/// Brings the layer tables in step: rows of changed or retired records are removed, rows of
/// current versions inserted.
async fn replace_current(
    tx: &mut Transaction<'static, Postgres>,
    rows: &[Encoded<'_>],
) -> Result<()> {
    for layer in Layer::ALL {
        let table = layer.table();
        let of_layer: Vec<_> = rows.iter().filter(|(v, _, _)| v.layer() == layer).collect();
        let replaced: Vec<Uuid> = of_layer
            .iter()
            .filter(|(v, _, _)| v.version > 1)
            .map(|(v, _, _)| v.id.0)
            .collect();
        let current: Vec<_> = of_layer.iter().filter(|(v, _, _)| !v.retired).collect();
        let rebuild = drop_indexes_for_bulk(tx, table, current.len()).await?;
        if !replaced.is_empty() {
            // A join with the ids, not `id = ANY($1)`: the server checks an array of 100,000
            // ids against each row otherwise.
            sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} t USING unnest($1::uuid[]) AS r(id) WHERE t.id = r.id"
            )))
            .bind(&replaced)
            .execute(&mut **tx)
            .await
            .context("更新图层表")?;
        }
        let mut columns = vec!["id", "version", "valid_from", "recorded_at", "source"];
        columns.extend(layer.columns());
        columns.push("geom");
        write_rows(
            tx,
            table,
            &columns,
            &current,
            |f, (v, geom, _)| {
                f.uuid(v.id.0);
                f.int4(v.version as i32);
                f.date(v.valid_from);
                f.timestamptz(v.recorded_at);
                f.text(v.body.source().as_str());
                for value in v.body.column_values() {
                    match value {
                        ColumnValue::Text(s) => f.text(&s),
                        ColumnValue::Integer(i) => f.int4(integer(v, i)?),
                        ColumnValue::Null => f.null_text(),
                        ColumnValue::NullInteger => f.null_int4(),
                    }
                }
                f.bytes(geom);
                Ok(())
            },
            |e| StoreError::from_sqlx("写入图层表", e),
        )
        .await?;
        for definition in rebuild {
            sqlx::query(AssertSqlSafe(definition))
                .execute(&mut **tx)
                .await
                .context("重建图层表索引")?;
        }
    }
    Ok(())
}

/// Drops `table`'s secondary indexes (not its primary key, nor an index that backs a
/// constraint) before a bulk write of `rows` rows and returns their definitions, to be built
/// again after the write; or returns none, and the rows go into the indexes one by one.
/// PostgreSQL builds a GiST index from all the rows at once far faster than it inserts each
/// row into it (100,000 door plates into their table: 1.8 s with the indexes in place, 1.15 s
/// with them built after), so the indexes are rebuilt when the write is large ([`COPY_FROM`]
/// rows or more) and the table holds at most twice as many rows as are written. Dropping an index locks the table until the commit: if anyone
/// is reading it (QGIS, a report), the lock is not waited for and the indexes stay.
async fn drop_indexes_for_bulk(
    tx: &mut Transaction<'static, Postgres>,
    table: &str,
    rows: usize,
) -> Result<Vec<String>> {
    if rows < COPY_FROM {
        return Ok(Vec::new());
    }
    // The planner's estimate is enough to choose; -1 means never estimated: count.
    let estimate: f32 = sqlx::query_scalar(sql::postgres("estimated_rows"))
        .bind(table)
        .fetch_one(&mut **tx)
        .await
        .context("估计图层表行数")?;
    let existing = if estimate < 0.0 {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(&mut **tx)
            .await
            .context("统计图层表行数")?;
        n as f64
    } else {
        f64::from(estimate)
    };
    if existing > 2.0 * rows as f64 {
        return Ok(Vec::new());
    }
    sqlx::query(sql::postgres("bulk_savepoint"))
        .execute(&mut **tx)
        .await
        .context("重建图层表索引")?;
    let locked = sqlx::query(AssertSqlSafe(format!(
        "LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE NOWAIT"
    )))
    .execute(&mut **tx)
    .await;
    match locked {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
            sqlx::query(sql::postgres("bulk_rollback"))
                .execute(&mut **tx)
                .await
                .context("重建图层表索引")?;
            return Ok(Vec::new());
        }
        Err(e) => return Err(StoreError::from_sqlx("锁定图层表", e)),
    }
    let indexes: Vec<(String, String)> = sqlx::query_as(sql::postgres("secondary_indexes"))
        .bind(table)
        .fetch_all(&mut **tx)
        .await
        .context("读取图层表索引")?;
    for (name, _) in &indexes {
        sqlx::query(AssertSqlSafe(format!("DROP INDEX {name}")))
            .execute(&mut **tx)
            .await
            .context("重建图层表索引")?;
    }
    sqlx::query(sql::postgres("bulk_release"))
        .execute(&mut **tx)
        .await
        .context("重建图层表索引")?;
    Ok(indexes
        .into_iter()
        .map(|(_, definition)| definition)
        .collect())
}

/// A layer table's integer column (`integer`, 32 bits).
fn integer(v: &RecordVersion, i: i64) -> Result<i32> {
    i32::try_from(i).map_err(|_| StoreError::Corrupt {
        id: v.id.to_string(),
        version: i64::from(v.version),
        reason: format!("整数 {i} 超出范围"),
    })
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// A version with its geometry (EWKB) and body (JSON) encoded for the database.
type Encoded<'a> = (&'a RecordVersion, Vec<u8>, Box<JsonRawValue>);

/// Rows from which a table's rows are streamed with `COPY`. Fewer go in one multi-row
/// `INSERT`, one round trip: `COPY`'s data and its end are two messages, each flushed by
/// sqlx, and the second waits on TCP's delayed acknowledgement (40 ms a table, for an
/// officer's edit of one record).
const COPY_FROM: usize = 1000;

/// Each version with its geometry and body encoded for the database.
fn encode(versions: &[RecordVersion]) -> Result<Vec<Encoded<'_>>> {
    versions
        .iter()
        .map(|v| {
            let corrupt = |reason: String| StoreError::Corrupt {
                id: v.id.to_string(),
                version: i64::from(v.version),
                reason,
            };
            let geom = to_ewkb(&v.geometry).map_err(corrupt)?;
            let body =
                crate::cemetery::personal::reveal(|| serde_json::value::to_raw_value(&v.body))
                    .map_err(|e| corrupt(e.to_string()))?;
            Ok((v, geom, body))
        })
        .collect()
}

async fn insert_changeset(
    tx: &mut Transaction<'static, Postgres>,
    c: &ChangesetSummary,
) -> Result<()> {
    let doc = c.document.as_ref();
    sqlx::query(sql::common("insert_changeset"))
        .bind(c.id.0)
        .bind(&c.author)
        .bind(&c.reason)
        .bind(c.recorded_at)
        .bind(doc.map(|d| d.issuer.clone()))
        .bind(doc.map(|d| d.number.clone()))
        .bind(doc.map(|d| d.date))
        .bind(c.writes as i32)
        .execute(&mut **tx)
        .await
        .context("写入变更集")?;
    Ok(())
}

/// Inserts versions with every column (a new version has no valid_to and no superseded_at);
/// a version that exists already is reported with its record.
async fn insert_versions(
    tx: &mut Transaction<'static, Postgres>,
    rows: &[Encoded<'_>],
) -> Result<()> {
    const COLUMNS: &[&str] = &[
        "id",
        "version",
        "layer",
        "valid_from",
        "valid_to",
        "recorded_at",
        "superseded_at",
        "changeset",
        "retired",
        "body",
        "geom",
    ];
    write_rows(
        tx,
        "versions",
        COLUMNS,
        rows,
        |f, (v, geom, body)| {
            f.uuid(v.id.0);
            f.int4(v.version as i32);
            f.text(v.layer().table());
            f.date(v.valid_from);
            f.opt_date(v.valid_to);
            f.timestamptz(v.recorded_at);
            f.opt_timestamptz(v.superseded_at);
            f.uuid(v.changeset.0);
            f.bool(v.retired);
            f.json(body);
            f.bytes(geom);
            Ok(())
        },
        |e| {
            if is_unique_violation(&e) {
                StoreError::AlreadyExists(rows[0].0.id)
            } else {
                StoreError::from_sqlx("写入版本", e)
            }
        },
    )
    .await
}

/// Writes `rows` into `table`'s `columns` (the geometry last), each row's fields given by
/// `fields`: in one multi-row `INSERT` under [`COPY_FROM`] rows, streamed with `COPY` from there.
async fn write_rows<R>(
    tx: &mut Transaction<'static, Postgres>,
    table: &str,
    columns: &[&str],
    rows: &[R],
    fields: impl Fn(&mut dyn Fields, &R) -> Result<()>,
    fail: impl Fn(sqlx::Error) -> StoreError,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let list = columns.join(", ");
    if rows.len() < COPY_FROM {
        let mut params = Params::default();
        for r in rows {
            fields(&mut params, r)?;
        }
        let sql = format!(
            "INSERT INTO {table} ({list}) VALUES {}",
            batch::values(Dialect::Postgres, rows.len(), columns.len(), true)
        );
        let args = params.finish().map_err(&fail)?;
        sqlx::query_with(AssertSqlSafe(sql), args)
            .execute(&mut **tx)
            .await
            .map_err(fail)?;
        return Ok(());
    }
    let sql = format!("COPY {table} ({list}) FROM STDIN (FORMAT binary)");
    let mut copy = tx.copy_in_raw(&sql).await.map_err(&fail)?;
    let mut out = CopyRows::new();
    for r in rows {
        out.row(columns.len());
        fields(&mut out, r)?;
        if out.full() {
            copy.send(out.take()).await.map_err(&fail)?;
        }
    }
    copy.send(out.finish()).await.map_err(&fail)?;
    copy.finish().await.map_err(fail)?;
    Ok(())
}
