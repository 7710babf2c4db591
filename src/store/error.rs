//! Errors of the stores.

use crate::record::RecordId;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("无法识别的数据库地址“{0}”：应为 sqlite://文件 或 postgres://用户:密码@主机/库")]
    BadUrl(String),
    #[error("无法打开数据库 {url}：{source}")]
    Open {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("无法删除 {path}：{source}")]
    Remove {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("数据库迁移 {version} 失败：{source}")]
    Migration {
        version: u32,
        #[source]
        source: sqlx::Error,
    },
    #[error(
        "数据库中缺少 PostGIS 扩展，且当前用户无权创建：请由数据库管理员执行 CREATE EXTENSION postgis（{0}）"
    )]
    NoPostgis(String),
    #[error("记录 {id} 已被他人修改：写入基于第 {expected} 版，数据库中当前为第 {actual} 版")]
    Stale {
        id: RecordId,
        expected: u32,
        actual: u32,
    },
    /// The same words whether or not the caller may see the record that has the id: the
    /// answer tells nothing of it.
    #[error("id {0} 不能用于新建记录：该 id 已被使用（新建时可不给 id，由登记簿分配）")]
    AlreadyExists(RecordId),
    #[error("用户“{0}”已存在")]
    UserExists(String),
    #[error("没有用户“{0}”")]
    UserNotFound(String),
    #[error("数据库中的记录 {id} 第 {version} 版无法读取：{reason}")]
    Corrupt {
        id: String,
        version: i64,
        reason: String,
    },
    /// The disk (or the database's tablespace) is full: nothing of the write was kept.
    #[error("磁盘已满（{context}）：本次变更未写入，登记簿保持原样；请释放磁盘空间后重试")]
    DiskFull {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("数据库操作失败（{context}）：{source}")]
    Database {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

/// Adds what was being done to a database error.
pub(crate) trait Context<T> {
    fn context(self, context: &'static str) -> Result<T, StoreError>;
}

impl<T> Context<T> for Result<T, sqlx::Error> {
    fn context(self, context: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::from_sqlx(context, source))
    }
}

impl StoreError {
    /// A database error, told apart when it is a full disk (SQLite `SQLITE_FULL`, PostgreSQL
    /// `53100 disk_full`, or an I/O error saying so).
    pub fn from_sqlx(context: &'static str, source: sqlx::Error) -> StoreError {
        let full = match &source {
            sqlx::Error::Database(e) => {
                e.code().is_some_and(|c| c == "13" || c == "53100")
                    || e.message().contains("disk is full")
                    || e.message().contains("No space left")
            }
            sqlx::Error::Io(e) => e.raw_os_error() == Some(28),
            other => other.to_string().contains("No space left"),
        };
        if full {
            StoreError::DiskFull { context, source }
        } else {
            StoreError::Database { context, source }
        }
    }

    /// Whether the store could not be reached or is out of space: the write can be tried
    /// again later (HTTP 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::DiskFull { .. })
    }
}
