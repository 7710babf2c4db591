//! What every answer carries for the browser's protection, and what the server believes of a
//! request's origin. The Content-Security-Policy allows scripts only from this server's own
//! files (no inline script, no `eval`): a name that reaches a page as markup cannot run.
//! Behind a TLS reverse proxy (`server.https`, or `X-Forwarded-Proto: https` from a trusted
//! proxy) cookies are `Secure` and answers carry HSTS. The client's address is the peer's,
//! or the one a trusted proxy forwards.

use super::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// Scripts, styles, images and connections from this server only; MapLibre's workers and
/// images come from `blob:` URLs it makes itself; inline styles stay (the pages' own).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
     worker-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Whether `peer` is a reverse proxy whose forwarded headers are believed.
fn trusted(registry: &AppState, peer: Option<SocketAddr>) -> bool {
    peer.is_some_and(|p| registry.config().server.trusted_proxies.contains(&p.ip()))
}

/// The address of the client: the peer, or the last hop a trusted proxy names.
pub fn client(
    registry: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<IpAddr> {
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    match forwarded {
        Some(f) if trusted(registry, peer) => Some(f),
        _ => peer.map(|p| p.ip()),
    }
}

/// Whether the browser reached us over HTTPS.
fn https(registry: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> bool {
    registry.config().server.https
        || (trusted(registry, peer)
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")))
}

/// The peer's address, where the server was started with it (tests call the router without).
fn peer(extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}

/// Adds the security headers to every answer, and `Secure` to its cookies over HTTPS.
pub async fn secure(State(registry): State<AppState>, request: Request, next: Next) -> Response {
    let tls = https(&registry, request.headers(), peer(request.extensions()));
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
        let cookies: Vec<HeaderValue> = h
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|c| c.to_str().ok())
            .filter_map(|c| HeaderValue::from_str(&format!("{c}; Secure")).ok())
            .collect();
        h.remove(header::SET_COOKIE);
        for c in cookies {
            h.append(header::SET_COOKIE, c);
        }
    }
    response
}

/// The client's address ([`client`]) as an extractor; `None` when the router runs without a
/// socket (tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        registry: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client(
            registry,
            &parts.headers,
            peer(&parts.extensions),
        )))
    }
}
