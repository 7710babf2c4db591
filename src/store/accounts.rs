//! Accounts in the store: users, sessions, API tokens and the log of refused attempts. The
//! same SQL runs on both backends (numbered parameters, portable types).

use super::sql;
use super::{Result, Store, StoreError};
use crate::accounts::Role;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// An account as stored (the password only as its argon2 hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A live session: who, and the token its forms must carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// One refused attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    pub at: DateTime<Utc>,
    pub user: Option<String>,
    pub action: String,
    pub target: String,
    pub reason: String,
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::from_sqlx(context, source)
}

type UserRow = (String, String, String, DateTime<Utc>, Option<DateTime<Utc>>);

fn user_from(row: UserRow) -> Result<User> {
    let (name, role, password_hash, created_at, disabled_at) = row;
    let role = role.parse().map_err(|reason| StoreError::Corrupt {
        id: format!("用户 {name}"),
        version: 0,
        reason,
    })?;
    Ok(User {
        name,
        role,
        password_hash,
        created_at,
        disabled_at,
    })
}

type RefusalRow = (DateTime<Utc>, Option<String>, String, String, String);

const USER_COLUMNS: &str = "name, role, password_hash, created_at, disabled_at";

impl Store {
    /// Creates an account; an existing name is refused.
    pub async fn add_user(&self, name: &str, role: Role, password_hash: &str) -> Result<()> {
        let now = super::truncate_time(Utc::now());
        let done = on_pool!(self, pool => sqlx::query(sql::common("add_user"))
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()));
        match done {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::UserExists(name.to_string()))
            }
            Err(e) => Err(db("创建用户")(e)),
        }
    }

    pub async fn user(&self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1");
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(name)
            .fetch_optional(pool)
            .await)
        .map_err(db("读取用户"))?;
        row.map(user_from).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name");
        let rows: Vec<UserRow> =
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await)
                .map_err(db("读取用户"))?;
        rows.into_iter().map(user_from).collect()
    }

    /// Sets a new password and ends what the old one gave: the user's sessions and API
    /// tokens (a token made by someone who knew the old password must not outlive it).
    /// Unknown user → `UserNotFound`.
    pub async fn set_password(&self, name: &str, password_hash: &str) -> Result<()> {
        let now = super::truncate_time(Utc::now());
        let n = on_pool!(self, pool => sqlx::query(sql::common("set_password"))
        .bind(password_hash)
        .bind(now)
        .bind(name)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("修改密码"))?;
        if n == 0 {
            return Err(StoreError::UserNotFound(name.to_string()));
        }
        on_pool!(self, pool => sqlx::query(sql::common("revoke_user_tokens"))
        .bind(now)
        .bind(name)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("修改密码后作废 API 令牌"))?;
        self.end_sessions(name).await
    }

    /// Changes a user's role, or disables (or re-enables) the account.
    pub async fn update_user(
        &self,
        name: &str,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> Result<()> {
        let now = super::truncate_time(Utc::now());
        let existing = self
            .user(name)
            .await?
            .ok_or_else(|| StoreError::UserNotFound(name.to_string()))?;
        let role = role.unwrap_or(existing.role);
        let disabled_at = match disabled {
            Some(true) => Some(existing.disabled_at.unwrap_or(now)),
            Some(false) => None,
            None => existing.disabled_at,
        };
        on_pool!(self, pool => sqlx::query(sql::common("update_user"))
        .bind(role.as_str())
        .bind(disabled_at)
        .bind(now)
        .bind(name)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("修改用户"))?;
        if disabled_at.is_some() {
            self.end_sessions(name).await?;
        }
        Ok(())
    }

    async fn end_sessions(&self, name: &str) -> Result<()> {
        on_pool!(self, pool => sqlx::query(sql::common("end_sessions"))
            .bind(name)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db("结束会话"))?;
        Ok(())
    }

    /// Stores a new session under the hash of its token (and forgets expired ones).
    pub async fn add_session(
        &self,
        token_hash: &str,
        name: &str,
        csrf: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let now = super::truncate_time(Utc::now());
        on_pool!(self, pool => sqlx::query(sql::common("expire_sessions"))
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db("清理过期会话"))?;
        on_pool!(self, pool => sqlx::query(sql::common("add_session"))
        .bind(token_hash)
        .bind(name)
        .bind(csrf)
        .bind(now)
        .bind(super::truncate_time(expires_at))
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("创建会话"))?;
        Ok(())
    }

    /// The live session with this token hash, if it has not expired and its user is enabled.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<(String, String, DateTime<Utc>)> =
            on_pool!(self, pool => sqlx::query_as(sql::common("session"))
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
            .map_err(db("读取会话"))?;
        let Some((name, csrf, expires_at)) = row else {
            return Ok(None);
        };
        if expires_at <= Utc::now() {
            self.end_session(token_hash).await?;
            return Ok(None);
        }
        Ok(self
            .user(&name)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .map(|user| Session {
                user,
                csrf,
                expires_at,
            }))
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, pool => sqlx::query(sql::common("end_session"))
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db("结束会话"))?;
        Ok(())
    }

    pub async fn add_token(&self, token_hash: &str, name: &str, label: &str) -> Result<()> {
        let now = super::truncate_time(Utc::now());
        on_pool!(self, pool => sqlx::query(sql::common("add_token"))
        .bind(token_hash)
        .bind(name)
        .bind(label)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("创建接口令牌"))?;
        Ok(())
    }

    /// The enabled user an unrevoked API token belongs to.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let name: Option<String> =
            on_pool!(self, pool => sqlx::query_scalar(sql::common("token_user"))
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
            .map_err(db("读取接口令牌"))?;
        match name {
            Some(name) => Ok(self.user(&name).await?.filter(|u| u.disabled_at.is_none())),
            None => Ok(None),
        }
    }

    /// Revokes every token of a user with this label; returns how many.
    pub async fn revoke_tokens(&self, name: &str, label: &str) -> Result<u64> {
        let now = super::truncate_time(Utc::now());
        on_pool!(self, pool => sqlx::query(sql::common("revoke_token"))
        .bind(now)
        .bind(name)
        .bind(label)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("吊销接口令牌"))
    }

    /// Records a refused attempt.
    pub async fn log_refusal(&self, refusal: &Refusal) -> Result<()> {
        on_pool!(self, pool => sqlx::query(sql::common("log_refusal"))
        .bind(super::truncate_time(refusal.at))
        .bind(refusal.user.as_deref())
        .bind(&refusal.action)
        .bind(&refusal.target)
        .bind(&refusal.reason)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("记录拒绝访问"))?;
        Ok(())
    }

    /// Refused logins of `name` since `since` (for throttling password guessing).
    pub async fn failed_logins(&self, name: &str, since: DateTime<Utc>) -> Result<u64> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(sql::common("failed_logins"))
        .bind(name)
        .bind(super::truncate_time(since))
        .fetch_one(pool)
        .await)
        .map_err(db("读取登录失败记录"))?;
        Ok(n as u64)
    }

    /// The newest refused attempts, newest first.
    pub async fn refusals(&self, limit: u32) -> Result<Vec<Refusal>> {
        let rows: Vec<RefusalRow> = on_pool!(self, pool => sqlx::query_as(sql::common("refusals"))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)
        .map_err(db("读取拒绝访问记录"))?;
        Ok(rows
            .into_iter()
            .map(|(at, user, action, target, reason)| Refusal {
                at,
                user,
                action,
                target,
                reason,
            })
            .collect())
    }
}
