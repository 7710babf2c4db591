//! Who is calling, and whether they may: sessions (cookie), API tokens (`Authorization:
//! Bearer`), CSRF on every state-changing request made with a session, the login and logout
//! pages, and the log of refused attempts.
//!
//! - The session cookie is `HttpOnly; SameSite=Strict`; its value is a random token whose
//!   SHA-256 is the key in the store. Sessions live in the store, so servers sharing a
//!   PostgreSQL database share them.
//! - A write made with a session must carry the session's CSRF token, in the `X-CSRF-Token`
//!   header (scripts) or a `csrf` form field (pages). A write made with an API token needs no
//!   CSRF token: browsers never send it by themselves.
//! - Every refusal (bad password, unknown token, missing role, missing CSRF token) is logged,
//!   in the store's `access_log` and as a warning.

use super::{ApiError, AppState, pages};
use crate::accounts::{self, Access};
use crate::model::Layer;
use crate::store::Refusal;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, body::Body};
use chrono::{Duration, Utc};
use serde::Deserialize;
use tera::Context;

pub const SESSION_COOKIE: &str = "diming_session";
/// The login form's CSRF token, before there is a session (double submit: a cookie that only
/// this site's pages can send, and the same value in the form).
pub const LOGIN_COOKIE: &str = "diming_login";
/// Failed logins of one account within [`THROTTLE_MINUTES`] after which further attempts are
/// refused without looking at the password.
const MAX_FAILED_LOGINS: u64 = 5;
const THROTTLE_MINUTES: i64 = 15;
/// How long a session lasts after logging in.
const SESSION_HOURS: i64 = 10;
/// The largest form read while looking for its CSRF token.
const FORM_LIMIT: usize = 64 * 1024;

/// The caller of a request: the public, or an officer through a session or a token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub access: Access,
    /// The session's CSRF token (for forms), when the caller came with a session.
    pub csrf: Option<String>,
}

impl Caller {
    pub fn public() -> Self {
        Caller {
            access: Access::Public,
            csrf: None,
        }
    }

    /// What templates need to know about the caller.
    pub fn insert_into(&self, context: &mut Context) {
        context.insert("user", &self.access.name());
        context.insert("role", &self.access.role().map(|r| r.label()));
        context.insert("csrf", &self.csrf);
        context.insert("internal", &self.access.sees_internal());
        // The import page only for those who may write a layer that takes files.
        let can_import = crate::model::CATALOGUE
            .iter()
            .any(|s| !s.import.is_empty() && self.access.can_write(s.layer));
        context.insert("can_import", &can_import);
        // What the role may do, for the navigation and the actions a page offers.
        let a = &self.access;
        context.insert(
            "may",
            &serde_json::json!({
                "read_burials": a.can_read_layer(Layer::Burial),
                "register_burials": a.can_write(Layer::Burial),
                "notices": a.can_write(Layer::Notice),
                "names": a.can_write(Layer::Place),
                "boundaries": a.can_write(Layer::AdminUnit),
                "publish": a.can_publish(),
                "admin": a.is_admin(),
            }),
        );
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Logs a refused attempt (store and tracing). A failure to log is itself logged, and does
/// not turn the refusal into a server error.
pub async fn log_refusal(
    registry: &AppState,
    user: Option<&str>,
    action: &str,
    target: &str,
    reason: &str,
) {
    tracing::warn!(user, action, target, reason, "refused");
    let refusal = Refusal {
        at: Utc::now(),
        user: user.map(str::to_string),
        action: action.to_string(),
        target: target.to_string(),
        reason: reason.to_string(),
    };
    if let Err(e) = registry.store().log_refusal(&refusal).await {
        tracing::error!(error = %e, "could not log a refusal");
    }
}

/// Records that someone saw personal data whole (who, when, which record), in the same log
/// as refusals, with the action `personal_data`.
pub async fn log_personal_access(registry: &AppState, user: &str, target: &str, what: &str) {
    tracing::info!(user, target, what, "personal data shown");
    let entry = Refusal {
        at: Utc::now(),
        user: Some(user.to_string()),
        action: "personal_data".to_string(),
        target: target.to_string(),
        reason: what.to_string(),
    };
    if let Err(e) = registry.store().log_refusal(&entry).await {
        tracing::error!(error = %e, "could not log access to personal data");
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        registry: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let caller = identify(&parts.headers, registry, &parts.uri.to_string()).await?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

async fn identify(
    headers: &HeaderMap,
    registry: &AppState,
    target: &str,
) -> Result<Caller, ApiError> {
    let store = registry.store();
    if let Some(token) = bearer(headers) {
        let user = store
            .token_user(&accounts::secret_hash(token))
            .await
            .map_err(|e| ApiError::Registry(e.into()))?;
        return match user {
            Some(u) => Ok(Caller {
                access: Access::Officer {
                    name: u.name,
                    role: u.role,
                },
                csrf: None,
            }),
            None => {
                log_refusal(registry, None, "token", target, "接口令牌无效或已吊销").await;
                Err(ApiError::Unauthorized("接口令牌无效或已吊销".into()))
            }
        };
    }
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let session = store
            .session(&accounts::secret_hash(token))
            .await
            .map_err(|e| ApiError::Registry(e.into()))?;
        if let Some(s) = session {
            return Ok(Caller {
                access: Access::Officer {
                    name: s.user.name,
                    role: s.user.role,
                },
                csrf: Some(s.csrf),
            });
        }
    }
    Ok(Caller::public())
}

/// Refuses a state-changing request made with a session unless it carries the session's CSRF
/// token (header `X-CSRF-Token`, or field `csrf` of a url-encoded form). Runs before every
/// handler; identifies the caller once for the whole request.
pub async fn csrf_guard(
    State(registry): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (mut parts, body) = request.into_parts();
    let target = parts.uri.path().to_string();
    let caller = identify(&parts.headers, &registry, &target).await?;
    parts.extensions.insert(caller.clone());
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    // Every state-changing API call needs a caller who may change something (write a layer or
    // publish): the public and read-only roles are refused before their request's body is
    // even read, so a refusal never depends on (or reveals) the shape of the body. What each
    // role may change is then checked by the handler.
    if !safe && (target.starts_with("/api/") || target.starts_with("/ogc/")) {
        match &caller.access {
            Access::Public => {
                log_refusal(&registry, None, "write", &target, "未登录").await;
                return Err(ApiError::Unauthorized("请先登录".into()));
            }
            Access::Officer { name, role } if role.changes_nothing() => {
                let reason = format!("{}不能修改任何数据", role.label());
                log_refusal(&registry, Some(name), "write", &target, &reason).await;
                return Err(ApiError::Forbidden(reason));
            }
            Access::Officer { .. } => {}
        }
    }
    // Logging in has its own token (the login page's cookie and field), and must work from a
    // browser that still carries another session (a shared computer; a planted cookie).
    let logging_in = target == "/login";
    let Some(expected) = caller.csrf.as_deref().filter(|_| !safe && !logging_in) else {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    };
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok());
    if header_token.is_some_and(|t| accounts::same_secret(t, expected)) {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form && header_token.is_none() {
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| ApiError::TooLarge(format!("表单超过 {} KiB", FORM_LIMIT / 1024)))?;
        let field = form_urlencoded_field(&bytes, "csrf");
        if field
            .as_deref()
            .is_some_and(|t| accounts::same_secret(t, expected))
        {
            return Ok(next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await);
        }
    }
    log_refusal(
        &registry,
        caller.access.name(),
        parts.method.as_str(),
        &target,
        "缺少或不匹配的 CSRF 令牌",
    )
    .await;
    Err(ApiError::Forbidden(
        "请求缺少有效的 CSRF 令牌：请刷新页面后重试".into(),
    ))
}

fn form_urlencoded_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Whether the caller may write `layer`; a refusal is logged and answered 401 (public) or
/// 403 (an officer without the role).
pub async fn require_write(
    registry: &AppState,
    caller: &Caller,
    layer: Layer,
    target: &str,
) -> Result<String, ApiError> {
    match &caller.access {
        Access::Officer { name, .. } if caller.access.can_write(layer) => Ok(name.clone()),
        Access::Officer { name, role } => {
            let reason = format!("{}无权修改“{}”图层", role.label(), layer.label());
            log_refusal(registry, Some(name), "write", target, &reason).await;
            Err(ApiError::Forbidden(reason))
        }
        Access::Public => {
            log_refusal(registry, None, "write", target, "未登录").await;
            Err(ApiError::Unauthorized("请先登录".into()))
        }
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// Only paths of this site, never another origin: a path that starts with one `/`, with no
/// whitespace, control character or backslash anywhere (browsers drop a tab or a newline, so
/// `/\t/host` would become `//host`, and read `\` as `/`). Anything else is a 400.
fn local_path(next: Option<&str>) -> Result<String, ApiError> {
    let Some(p) = next else {
        return Ok("/".to_string());
    };
    let local = p.starts_with('/')
        && !p.starts_with("//")
        && !p
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    if local {
        Ok(p.to_string())
    } else {
        Err(ApiError::Invalid {
            field: "next".into(),
            message: "登录后要打开的地址（next）须为本站路径，如 /map".into(),
        })
    }
}

pub async fn login_page(
    State(registry): State<AppState>,
    caller: Caller,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Result<Response, ApiError> {
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("next", &local_path(q.next.as_deref())?);
    context.insert("error", &Option::<String>::None);
    caller.insert_into(&mut context);
    login_form(context)
}

/// The login page with a fresh login token in its form and its cookie.
fn login_form(mut context: Context) -> Result<Response, ApiError> {
    let (token, _) = accounts::new_secret();
    context.insert("login_token", &token);
    let cookie = format!("{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict");
    Ok((
        [(header::SET_COOKIE, cookie)],
        pages::render("login.html", &context)?,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
    login_token: String,
}

/// Guards on password guessing that the store's count alone cannot give: one attempt at a
/// time per account (the count, the check of the password and the record of a failure are
/// one step: 50 guesses sent at once were all checked before the first failure was counted),
/// failures counted per address too, and only a few argon2id checks at once (each takes
/// 19 MiB: 200 logins at once took 3.6 GiB).
mod guard {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex};
    use std::time::Duration;

    /// Password checks at once, whoever asks.
    pub static CHECKS: LazyLock<tokio::sync::Semaphore> =
        LazyLock::new(|| tokio::sync::Semaphore::new(2));
    /// Failed logins from one address within [`super::THROTTLE_MINUTES`] after which the
    /// address waits, whichever accounts it tries.
    pub const MAX_FAILED_PER_ADDRESS: usize = 20;

    type Locks = HashMap<String, Arc<tokio::sync::Mutex<()>>>;
    static ACCOUNTS: LazyLock<Mutex<Locks>> = LazyLock::new(Default::default);

    /// Holds the account's turn; dropping it forgets the account when nobody else waits.
    pub struct Turn {
        name: String,
        lock: Arc<tokio::sync::Mutex<()>>,
        _held: tokio::sync::OwnedMutexGuard<()>,
    }

    impl Drop for Turn {
        fn drop(&mut self) {
            let mut accounts = ACCOUNTS.lock().unwrap_or_else(|p| p.into_inner());
            // Ours and the map's: nobody else holds or waits for it.
            if Arc::strong_count(&self.lock) <= 3 {
                accounts.remove(&self.name);
            }
        }
    }

    /// Waits for the account's turn.
    pub async fn turn(name: &str) -> Turn {
        let lock = {
            let mut accounts = ACCOUNTS.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(accounts.entry(name.to_string()).or_default())
        };
        let held = Arc::clone(&lock).lock_owned().await;
        Turn {
            name: name.to_string(),
            lock,
            _held: held,
        }
    }

    /// Failed logins per address.
    pub static ADDRESSES: LazyLock<crate::web::throttle::Throttle> = LazyLock::new(|| {
        crate::web::throttle::Throttle::new(
            MAX_FAILED_PER_ADDRESS,
            Duration::from_secs(60 * super::THROTTLE_MINUTES as u64),
        )
    });
}

/// The login page again, with `error` and `status`.
fn login_again(
    registry: &AppState,
    next: &str,
    error: String,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("next", next);
    context.insert("error", &Some(error));
    Caller::public().insert_into(&mut context);
    let mut page = login_form(context)?;
    *page.status_mut() = status;
    Ok(page)
}

pub async fn login(
    State(registry): State<AppState>,
    super::headers::ClientAddr(addr): super::headers::ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, ApiError> {
    let next = local_path(form.next.as_deref())?;
    // A login posted from another site does not carry our login cookie.
    let cookie_token = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if cookie_token.is_empty() || !accounts::same_secret(cookie_token, &form.login_token) {
        log_refusal(
            &registry,
            Some(form.name.trim()),
            "login_form",
            "/login",
            "登录表单的 CSRF 令牌缺失或不匹配",
        )
        .await;
        return Err(ApiError::Forbidden(
            "登录表单已过期或来自其他网站：请重新打开登录页".into(),
        ));
    }
    let store = registry.store();
    if guard::ADDRESSES.exhausted(addr) {
        log_refusal(
            &registry,
            Some(form.name.trim()),
            "login_address",
            "/login",
            "该地址登录失败次数过多，暂停登录",
        )
        .await;
        return login_again(
            &registry,
            &next,
            format!("此地址 {THROTTLE_MINUTES} 分钟内登录失败次数过多，已暂停登录；请稍后再试"),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    // One attempt at a time per account, from the count to the record of a failure.
    let _turn = guard::turn(form.name.trim()).await;
    // Password guessing: after a few failures the account waits, whatever the password.
    let failures = store
        .failed_logins(
            form.name.trim(),
            Utc::now() - Duration::minutes(THROTTLE_MINUTES),
        )
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    if failures >= MAX_FAILED_LOGINS {
        log_refusal(
            &registry,
            Some(form.name.trim()),
            "login",
            "/login",
            "登录失败次数过多，暂停登录",
        )
        .await;
        return login_again(
            &registry,
            &next,
            format!(
                "该账户 {THROTTLE_MINUTES} 分钟内登录失败 {failures} 次，已暂停登录；请稍后再试或联系系统管理员"
            ),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let user = store
        .user(form.name.trim())
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    // An unknown user costs the same time as a wrong password.
    let hash = user
        .as_ref()
        .map_or(accounts::dummy_hash(), |u| u.password_hash.as_str())
        .to_string();
    let password = form.password.clone();
    let ok = {
        // Closed only if the process is stopping; then nobody logs in.
        let Ok(_check) = guard::CHECKS.acquire().await else {
            return Err(ApiError::Internal("服务器正在停止".into()));
        };
        tokio::task::spawn_blocking(move || accounts::verify_password(&password, &hash))
            .await
            .unwrap_or(false)
    };
    let user = match user {
        Some(u) if ok && u.disabled_at.is_none() => u,
        other => {
            let reason = match other {
                Some(u) if u.disabled_at.is_some() => "账户已停用",
                _ => "用户名或密码错误",
            };
            log_refusal(&registry, Some(form.name.trim()), "login", "/login", reason).await;
            guard::ADDRESSES.record(addr);
            return login_again(
                &registry,
                &next,
                "用户名或密码错误，或账户已停用".into(),
                StatusCode::UNAUTHORIZED,
            );
        }
    };
    let (token, token_hash) = accounts::new_secret();
    let (csrf, _) = accounts::new_secret();
    store
        .add_session(
            &token_hash,
            &user.name,
            &csrf,
            Utc::now() + Duration::hours(SESSION_HOURS),
        )
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    tracing::info!(user = %user.name, "logged in");
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_HOURS * 3600
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

pub async fn logout(
    State(registry): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        registry
            .store()
            .end_session(&accounts::secret_hash(token))
            .await
            .map_err(|e| ApiError::Registry(e.into()))?;
    }
    let cookie = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(local_path(Some("/map?street=1")).unwrap(), "/map?street=1");
        assert_eq!(local_path(None).unwrap(), "/");
        for hostile in [
            "//evil.example/",
            "/\\evil.example/",
            "https://evil.example/",
            "/\t/127.0.0.1:18081/",
            "/\n/evil.example",
            "/ /evil.example",
            "/a\\b",
            "",
        ] {
            assert!(local_path(Some(hostile)).is_err(), "{hostile:?}");
        }
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; diming_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
