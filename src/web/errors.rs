//! Errors as pages for the people who navigate to them. A browser that asks for a page
//! (`GET` with `Accept: text/html`, outside `/api`, `/ogc` and the map's resources) and meets an
//! error gets it as an HTML page in Chinese that says what happened and where to go; a 401
//! sends it to the login page, which brings it back after signing in. API clients keep their
//! JSON errors; what a page answers itself in HTML is left as it is.

use super::auth::Caller;
use super::{ApiError, AppState, pages};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tera::Context;

/// Paths whose answers are for programs, never pages.
const FOR_PROGRAMS: [&str; 7] = [
    "/api/", "/ogc", "/tiles/", "/static/", "/glyphs/", "/maps/", "/metrics",
];

/// Whether the request is a person's browser navigating to a page, or sending a page's form.
fn navigates(request: &Request) -> bool {
    let path = request.uri().path();
    let form = request.method() == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    (request.method() == Method::GET || request.method() == Method::HEAD || form)
        && !FOR_PROGRAMS.iter().any(|p| path.starts_with(p))
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

/// The heading of an error page.
fn heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "请求有误",
        403 => "无权查看",
        404 => "没有这个页面",
        409 => "与已有的变更冲突",
        412 => "记录已被他人修改",
        413 => "内容过大",
        422 => "无法办理",
        429 => "请求过于频繁",
        503 => "数据库暂时不可用",
        s if s >= 500 => "系统出错",
        _ => "无法完成",
    }
}

/// Turns an error answered to a navigating browser into a page.
pub async fn as_pages(State(registry): State<AppState>, request: Request, next: Next) -> Response {
    if !navigates(&request) {
        return next.run(request).await;
    }
    let sent_form = request.method() == Method::POST;
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    // The page a refused form came from, to go back to it (this site's pages only).
    let back = sent_form
        .then(|| request.headers().get(header::REFERER))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()));
    // Who is asking is worked out only for an error page (the handler does it for itself).
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_html {
        return response;
    }
    if status == StatusCode::UNAUTHORIZED {
        // After logging in, a form's page again (its address takes no GET of its own).
        let target = if sent_form {
            back.clone().unwrap_or_else(|| "/".into())
        } else {
            target
        };
        let next = form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>();
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    // The JSON error's own words, when it has them.
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string))
        .unwrap_or_default();
    let caller = {
        let mut asking = Request::new(());
        *asking.headers_mut() = headers;
        let (mut parts, ()) = asking.into_parts();
        <Caller as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &registry,
        )
        .await
        .ok()
    };
    page(
        &registry,
        caller.as_ref(),
        status,
        &message,
        back.as_deref(),
    )
}

/// The error page itself.
fn page(
    registry: &AppState,
    caller: Option<&Caller>,
    status: StatusCode,
    message: &str,
    back: Option<&str>,
) -> Response {
    let mut context = Context::new();
    context.insert("back", &back);
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("status", &status.as_u16());
    context.insert("heading", heading(status));
    context.insert("message", message);
    match caller {
        Some(c) => c.insert_into(&mut context),
        None => {
            context.insert("internal", &false);
            context.insert("may", &serde_json::json!({}));
        }
    }
    match pages::render("error.html", &context) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `404` for a path no route knows: JSON for programs, a page for people (see [`as_pages`]).
pub async fn not_found(request: Request) -> ApiError {
    ApiError::NotFound(format!("没有“{}”", request.uri().path()))
}
