//! The OpenAPI 3.0 description of OGC API – Features at `/ogc`.

use crate::web::openapi::{common, error_response, param};
use serde_json::{Value, json};

/// The OpenAPI 3.0 description of OGC API – Features at `/ogc` (its `service-desc`, served at
/// `/ogc/api`), with `base` as its server: every collection's items with the Part 2 CRS and
/// Part 3 filter parameters, queryables, and the Part 4 writes with their If-Match rules.
pub fn ogc_document(base: &str, collections: &[&str]) -> Value {
    let geojson = |schema: &str, description: &str| {
        json!({ "description": description, "content": {
            "application/geo+json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } },
            "text/html": { "schema": { "type": "string" } }
        } })
    };
    let plain = |description: &str| {
        json!({ "description": description, "content": {
            "application/json": { "schema": { "type": "object" } },
            "text/html": { "schema": { "type": "string" } }
        } })
    };
    let query = |name: &str, schema: Value, description: &str| {
        param(name, "query", false, schema, description)
    };
    let f = query(
        "f",
        json!({ "type": "string", "enum": ["json", "html"] }),
        "返回格式",
    );
    let collection = param(
        "collectionId",
        "path",
        true,
        json!({ "type": "string", "enum": collections }),
        "图层",
    );
    let feature_id = param(
        "featureId",
        "path",
        true,
        json!({ "type": "string", "format": "uuid" }),
        "记录 id",
    );
    let crs = json!({ "type": "string", "enum": [
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "http://www.opengis.net/def/crs/EPSG/0/4490",
        "http://www.opengis.net/def/crs/EPSG/0/4546"
    ] });
    let if_match = param(
        "If-Match",
        "header",
        true,
        json!({ "type": "string" }),
        "记录的版本（ETag），如 \"3\"",
    );
    let reason = param(
        "Diming-Reason",
        "header",
        false,
        json!({ "type": "string" }),
        "变更原因（百分号编码）",
    );
    let error = |d: &str| error_response(d);
    let write = |ok_status: &str, ok: Value| {
        let mut r = json!({
            "401": error("未登录，或接口令牌无效"),
            "403": error("角色无权修改该图层"),
            "404": error("没有该图层或记录"),
            "413": error("请求内容过大"),
            "422": error("变更被拒绝：几何无效、命名规则、批准文件、冻结区域等")
        });
        r[ok_status] = ok;
        if ok_status != "201" {
            r["412"] = error("记录已被他人修改（版本已过期），未做任何修改");
            r["428"] = error("缺少 If-Match");
        }
        common(r)
    };
    let body = json!({ "required": true, "content": {
        "application/geo+json": { "schema": { "$ref": "#/components/schemas/Feature" } },
        "application/json": { "schema": { "$ref": "#/components/schemas/Feature" } }
    } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "diming OGC API – Features",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "地名、街路巷、门牌、行政区域、公墓等图层（OGC API – Features 第 1–4 部分）；写入须接口令牌"
        },
        "servers": [{ "url": base }],
        "paths": {
            "/": { "get": { "summary": "入口页", "parameters": [f], "responses": common(json!({ "200": plain("链接") })) } },
            "/api": { "get": { "summary": "本文档", "responses": { "200": { "description": "OpenAPI 3.0",
                "content": { "application/vnd.oai.openapi+json;version=3.0": { "schema": { "type": "object" } } } } } } },
            "/conformance": { "get": { "summary": "一致性类", "responses": common(json!({ "200": { "description": "一致性类",
                "content": { "application/json": { "schema": { "type": "object", "required": ["conformsTo"],
                    "properties": { "conformsTo": { "type": "array", "items": { "type": "string" } } } } } } } })) } },
            "/collections": { "get": { "summary": "图层一览", "parameters": [f], "responses": common(json!({ "200": plain("图层") })) } },
            "/collections/{collectionId}": { "get": { "summary": "一个图层：范围与坐标系",
                "parameters": [collection, f], "responses": common(json!({ "200": plain("图层"), "404": error("没有该图层") })) } },
            "/collections/{collectionId}/queryables": { "get": { "summary": "可用于过滤的属性",
                "parameters": [collection], "responses": common(json!({
                    "200": { "description": "JSON Schema", "content": { "application/schema+json": { "schema": { "type": "object" } } } },
                    "404": error("没有该图层") })) } },
            "/collections/{collectionId}/items": {
                "get": {
                    "summary": "要素（bbox、limit、offset、datetime、crs、CQL2 过滤）",
                    "parameters": [
                        collection,
                        query("bbox", json!({ "type": "string" }), "minx,miny,maxx,maxy（按 bbox-crs）"),
                        query("bbox-crs", crs.clone(), "bbox 的坐标系"),
                        query("crs", crs.clone(), "返回几何的坐标系"),
                        query("limit", json!({ "type": "integer", "minimum": 1, "maximum": 10000 }), "条数"),
                        query("offset", json!({ "type": "integer", "minimum": 0 }), "跳过条数"),
                        query("datetime", json!({ "type": "string" }), "时刻或区间（RFC 3339，..）"),
                        query("filter", json!({ "type": "string" }), "CQL2 过滤条件"),
                        query("filter-lang", json!({ "type": "string", "enum": ["cql2-text", "cql2-json"] }), "过滤语言"),
                        query("filter-crs", crs.clone(), "过滤条件中几何的坐标系"),
                        f
                    ],
                    "responses": common(json!({ "200": geojson("FeatureCollection", "要素集合"), "404": error("没有该图层") }))
                },
                "post": {
                    "summary": "新建要素（第 4 部分）", "security": [{ "token": [] }],
                    "parameters": [collection, reason], "requestBody": body,
                    "responses": write("201", json!({ "description": "已新建（Location 指向新要素）",
                        "content": { "application/json": { "schema": { "type": "object" } } } }))
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "summary": "一个要素（ETag 为其版本）", "parameters": [collection, feature_id, query("crs", crs, "返回几何的坐标系"), f],
                    "responses": common(json!({ "200": geojson("Feature", "要素"), "404": error("没有该记录") }))
                },
                "put": {
                    "summary": "替换要素", "security": [{ "token": [] }],
                    "parameters": [collection, feature_id, if_match, reason], "requestBody": body,
                    "responses": write("200", json!({ "description": "已修改", "content": { "application/json": { "schema": { "type": "object" } } } }))
                },
                "patch": {
                    "summary": "修改要素（JSON merge patch）", "security": [{ "token": [] }],
                    "parameters": [collection, feature_id, if_match, reason],
                    "requestBody": { "required": true, "content": { "application/merge-patch+json": { "schema": { "type": "object" } } } },
                    "responses": write("200", json!({ "description": "已修改", "content": { "application/json": { "schema": { "type": "object" } } } }))
                },
                "delete": {
                    "summary": "注销要素", "security": [{ "token": [] }],
                    "parameters": [collection, feature_id, if_match, reason],
                    "responses": write("204", json!({ "description": "已注销" }))
                }
            }
        },
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer", "description": "diming user token 签发的接口令牌" }
            },
            "schemas": {
                "Error": {
                    "type": "object", "required": ["code", "error"],
                    "properties": { "code": { "type": "string" }, "error": { "type": "string" },
                        "field": { "type": "string" }, "location": { "type": "object" } }
                },
                "Feature": {
                    "type": "object", "required": ["type", "geometry", "properties"],
                    "properties": { "type": { "type": "string", "enum": ["Feature"] },
                        "id": { "type": "string" },
                        "geometry": { "type": "object", "nullable": true },
                        "properties": { "type": "object", "nullable": true } }
                },
                "FeatureCollection": {
                    "type": "object", "required": ["type", "features"],
                    "properties": { "type": { "type": "string", "enum": ["FeatureCollection"] },
                        "features": { "type": "array", "items": { "$ref": "#/components/schemas/Feature" } },
                        "links": { "type": "array", "items": { "type": "object" } },
                        "numberMatched": { "type": "integer" }, "numberReturned": { "type": "integer" } }
                }
            }
        }
    })
}
