//! Attachments (photos of signs, of finished work): stored once under the SHA-256 of their
//! bytes, never changed or deleted; records refer to them by that hash. The same SQL runs on
//! both backends.

use super::{Result, Store, StoreError};
use chrono::Utc;
use sha2::{Digest, Sha256};

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Database { context, source }
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
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO attachments (sha256, media_type, bytes, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
        )
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
        on_pool!(self, pool => sqlx::query_as(
            "SELECT media_type, bytes FROM attachments WHERE sha256 = $1",
        )
        .bind(sha)
        .fetch_optional(pool)
        .await)
        .map_err(db("读取附件"))
    }

    /// Whether an attachment is stored.
    pub async fn has_attachment(&self, sha: &str) -> Result<bool> {
        Ok(self.attachment(sha).await?.is_some())
    }
}
