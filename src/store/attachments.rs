//! Attachments (photos of signs, of finished work): stored once under the SHA-256 of their
//! bytes, never changed or deleted; records refer to them by that hash. The same SQL runs on
//! both backends.

use super::sql;
use super::{Result, Store, StoreError};
use chrono::Utc;
use sha2::{Digest, Sha256};

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::from_sqlx(context, source)
}

/// The hash an attachment is stored under: SHA-256, lower-case hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Stores `bytes` (already checked by the caller) and returns their hash; storing the same
    /// bytes again changes nothing.
    pub async fn put_attachment(
        &self,
        media_type: &str,
        bytes: &[u8],
        uploaded_by: &str,
    ) -> Result<String> {
        let sha = digest(bytes);
        let now = super::truncate_time(Utc::now());
        on_pool!(self, pool => sqlx::query(sql::common("add_attachment"))
        .bind(&sha)
        .bind(media_type)
        .bind(bytes)
        .bind(now)
        .bind(uploaded_by)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("保存附件"))?;
        Ok(sha)
    }

    /// An attachment's media type and bytes.
    pub async fn attachment(&self, sha: &str) -> Result<Option<(String, Vec<u8>)>> {
        on_pool!(self, pool => sqlx::query_as(sql::common("attachment"))
        .bind(sha)
        .fetch_optional(pool)
        .await)
        .map_err(db("读取附件"))
    }

    /// Every attachment, oldest first, for a backup.
    pub async fn all_attachments(&self) -> Result<Vec<super::Attachment>> {
        type Row = (String, String, Vec<u8>, chrono::DateTime<Utc>, String);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sql::common("attachments"))
        .fetch_all(pool)
        .await)
        .map_err(db("读取附件"))?;
        Ok(rows
            .into_iter()
            .map(
                |(sha256, media_type, bytes, uploaded_at, uploaded_by)| super::Attachment {
                    sha256,
                    media_type,
                    bytes,
                    uploaded_at,
                    uploaded_by,
                },
            )
            .collect())
    }

    /// Puts back an attachment from a backup, with its original time and uploader.
    pub async fn restore_attachment(&self, a: &super::Attachment) -> Result<()> {
        on_pool!(self, pool => sqlx::query(sql::common("add_attachment"))
        .bind(&a.sha256)
        .bind(&a.media_type)
        .bind(&a.bytes)
        .bind(a.uploaded_at)
        .bind(&a.uploaded_by)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("恢复附件"))?;
        Ok(())
    }

    /// Whether the database answers, and how many changesets it holds.
    pub async fn ping(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, pool => sqlx::query_as(sql::common("changeset_count"))
            .fetch_one(pool)
            .await)
        .map_err(db("检查数据库"))?;
        Ok(n)
    }

    /// Whether an attachment is stored.
    pub async fn has_attachment(&self, sha: &str) -> Result<bool> {
        Ok(self.attachment(sha).await?.is_some())
    }
}
