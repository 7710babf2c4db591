//! The administrator's page (`/admin`): the accounts with their roles, each changed or
//! disabled in place; a new account; API tokens issued (shown once) and revoked; and the log
//! of refused attempts and of personal data shown whole. The same store steps as
//! `diming user`.

use super::auth::Caller;
use super::burials::{context, private};
use super::{ApiError, AppState, pages};
use crate::accounts::{self, Role};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

fn admin_only(caller: &Caller) -> Result<(), ApiError> {
    if caller.access.is_admin() {
        Ok(())
    } else if caller.access.name().is_none() {
        Err(ApiError::Unauthorized("账户管理须登录".into()))
    } else {
        Err(ApiError::Forbidden("账户管理仅限系统管理员".into()))
    }
}

/// An entry of the log's action, in words.
fn action_label(action: &str) -> String {
    match action {
        "write" => "修改数据".into(),
        "personal_data" => "查看完整个人信息".into(),
        "login" => "登录".into(),
        "login_form" => "登录（表单令牌）".into(),
        "login_address" => "登录（同一地址）".into(),
        "token" => "接口令牌".into(),
        "POST" | "PUT" | "PATCH" | "DELETE" => "提交表单（令牌不符）".into(),
        other => other.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminQuery {
    done: String,
    refused: String,
}

/// `GET /admin`: accounts, tokens and the log.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    Query(q): Query<AdminQuery>,
) -> Result<Response, ApiError> {
    admin_only(&caller)?;
    let store = registry.store();
    let users: Vec<_> = store
        .users()
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .into_iter()
        .map(|u| {
            json!({"name": u.name, "role": u.role.as_str(), "role_label": u.role.label(),
                   "disabled": u.disabled_at.is_some(),
                   "created": pages::local_date(u.created_at)})
        })
        .collect();
    let log: Vec<_> = store
        .refusals(200)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .into_iter()
        .map(|r| {
            json!({"at": pages::local_time(r.at), "user": r.user.unwrap_or_else(|| "（未登录）".into()),
                   "action": action_label(&r.action), "target": r.target, "reason": r.reason})
        })
        .collect();
    let mut context = context(&registry, &caller);
    context.insert("users", &users);
    context.insert("log", &log);
    context.insert(
        "roles",
        &Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect::<Vec<_>>(),
    );
    context.insert("min_password", &accounts::MIN_PASSWORD_CHARS);
    context.insert("done", &q.done);
    context.insert("refused", &q.refused);
    Ok(private(pages::render("admin.html", &context)?))
}

/// An account step as the forms send it.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountForm {
    /// `add`, `set`, `token`, `revoke`.
    action: String,
    name: String,
    role: String,
    password: String,
    /// `disable`, `enable` or blank.
    state: String,
    label: String,
    csrf: String,
}

fn refused(message: &str) -> Response {
    super::form::refused("/admin", message)
}

/// `POST /admin`: adds an account, changes a role or disables one, issues or revokes a token.
/// A new token is shown once, on the page this answers (never in an address).
pub async fn account(
    State(registry): State<AppState>,
    caller: Caller,
    Form(f): Form<AccountForm>,
) -> Result<Response, ApiError> {
    admin_only(&caller)?;
    let _ = &f.csrf;
    let store = registry.store();
    let name = f.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Ok(refused("用户名不能为空，也不能含控制字符"));
    }
    let role = match f.role.as_str() {
        "" => None,
        r => match Role::ALL.into_iter().find(|x| x.as_str() == r) {
            Some(role) => Some(role),
            None => return Ok(refused(&format!("角色“{r}”无效"))),
        },
    };
    let outcome = match f.action.as_str() {
        "add" => {
            let Some(role) = role else {
                return Ok(refused("请选择角色"));
            };
            if let Err(m) = accounts::check_password_strength(&f.password) {
                return Ok(refused(&m));
            }
            store
                .add_user(name, role, &accounts::hash_password(&f.password))
                .await
                .map(|()| format!("已创建账户“{name}”，角色：{}", role.label()))
        }
        "set" => {
            if Some(name) == caller.access.name()
                && (f.state == "disable" || role.is_some_and(|r| r != Role::Admin))
            {
                return Ok(refused("不能停用自己的账户或取消自己的管理员角色"));
            }
            let disabled = match f.state.as_str() {
                "disable" => Some(true),
                "enable" => Some(false),
                _ => None,
            };
            store
                .update_user(name, role, disabled)
                .await
                .map(|()| format!("已更新账户“{name}”"))
        }
        "token" => {
            let label = f.label.trim();
            if label.is_empty() {
                return Ok(refused("请填写令牌的用途标签"));
            }
            let (token, hash) = accounts::new_secret();
            match store.add_token(&hash, name, label).await {
                Ok(()) => {
                    // Shown once, on this answer only.
                    let mut context = context(&registry, &caller);
                    context.insert("name", name);
                    context.insert("label", label);
                    context.insert("token", &token);
                    return Ok(private(pages::render("admin_token.html", &context)?));
                }
                Err(e) => Err(e),
            }
        }
        "revoke" => store
            .revoke_tokens(name, f.label.trim())
            .await
            .map(|n| format!("已吊销“{name}”标签为“{}”的 {n} 个令牌", f.label.trim())),
        other => return Ok(refused(&format!("操作“{other}”无效"))),
    };
    match outcome {
        Ok(message) => Ok(super::form::done("/admin", &message)),
        Err(e) => Ok(refused(&e.to_string())),
    }
}
