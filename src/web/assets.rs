//! Static assets compiled into the binary: the vendored MapLibre GL JS and our own scripts.
//! Their URLs carry a version, so they are cached for good.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The version in asset URLs: MapLibre's, and ours (the crate's).
pub const MAPLIBRE: &str = "5.24.1";

/// `(path under /static/, content type, bytes)`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "maplibre-gl-5.24.1.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/vendor/maplibre-gl/maplibre-gl.js"),
    ),
    (
        "maplibre-gl-5.24.1.css",
        "text/css; charset=utf-8",
        include_bytes!("static/vendor/maplibre-gl/maplibre-gl.css"),
    ),
    (
        concat!("map-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/map.js"),
    ),
    (
        concat!("map_table-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/map_table.js"),
    ),
    (
        concat!("signs-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/signs.js"),
    ),
    (
        concat!("sign-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/sign.js"),
    ),
    (
        concat!("boundaries-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/boundaries.js"),
    ),
    (
        concat!("gazetteer-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/gazetteer.js"),
    ),
    (
        concat!("numbering-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/numbering.js"),
    ),
    (
        concat!("changeset-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/changeset.js"),
    ),
    (
        concat!("burials-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/burials.js"),
    ),
    (
        concat!("ledger-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/ledger.js"),
    ),
    (
        concat!("names_check-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/names_check.js"),
    ),
    (
        concat!("import-", env!("CARGO_PKG_VERSION"), ".js"),
        "text/javascript; charset=utf-8",
        include_bytes!("static/import.js"),
    ),
];

/// The URL of our map script.
pub fn map_script() -> String {
    script("map")
}

/// The URL of one of our scripts (`map`, `signs`, `sign`).
pub fn script(name: &str) -> String {
    format!("/static/{name}-{}.js", env!("CARGO_PKG_VERSION"))
}

pub async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "没有这个文件").into_response(),
    }
}

/// The web map's drawing of each layer (`maps/web-map.json`), which the map page reads.
pub async fn web_map_style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../maps/web-map.json"),
    )
        .into_response()
}

/// Glyphs for map labels. Chinese characters are drawn by the browser from its own fonts
/// (`localIdeographFontFamily`), so the server answers every glyph range with an empty set;
/// server-side glyphs for Latin and Mongolian labels come with the vector tiles.
pub async fn glyphs(Path((_stack, _range)): Path<(String, String)>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/x-protobuf"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        Vec::<u8>::new(),
    )
        .into_response()
}
