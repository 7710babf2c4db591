//! The boundary office's paths of the API document: marker observations and disputes.

use super::{body, common, error_response, id_param, param};
use serde_json::{Value, json};

/// The paths of markers and disputes.
pub(super) fn paths() -> Value {
    json!({
            "/api/markers/{number}/observations": {
                "post": {
                    "summary": "登记一次界桩实地观测（不改变界桩登记位置；偏离超过容差、损坏或丢失时报警）",
                    "security": [{ "token": [] }],
                    "parameters": [param("number", "path", true, json!({ "type": "string" }), "界桩编号，如 JZ-004")],
                    "requestBody": body("ObservationInput"),
                    "responses": common(json!({
                        "201": { "description": "已登记", "content": { "application/json": { "schema": {
                            "type": "object", "required": ["offset_m", "alert", "changeset"],
                            "properties": { "offset_m": { "type": "number" }, "alert": { "type": "boolean" }, "changeset": { "type": "string" } }
                        } } } },
                        "401": error_response("未登录"),
                        "403": error_response("无权登记界桩观测"),
                        "422": error_response("界桩不存在或观测无效")
                    }))
                }
            },
            "/api/disputes": {
                "post": {
                    "summary": "受理边界争议：各当事单位的主张范围（面）或主张界线（两方时可为线），在地图上绘制或由文件读入；争议区域由主张计算并冻结",
                    "security": [{ "token": [] }],
                    "requestBody": body("DisputeInput"),
                    "responses": common(json!({
                        "201": { "description": "已受理", "content": { "application/json": { "schema": {
                            "type": "object", "required": ["id", "changeset", "area_m2", "mu"],
                            "properties": { "id": { "type": "string" }, "changeset": { "type": "string" },
                                "area_m2": { "type": "number" }, "mu": { "type": "number" },
                                "contents": { "type": "object" } }
                        } } } },
                        "401": error_response("未登录"),
                        "403": error_response("无权办理边界争议"),
                        "422": error_response("当事单位、主张或证据有误，或各方主张没有重叠")
                    }))
                }
            },
            "/api/disputes/{id}/steps": {
                "post": {
                    "summary": "边界争议进入下一步：双方协商、报请共同上级（须文书）、上级调解（须文书）、撤回；依据 If-Match 所示版本（裁决须同时给出新界线，用命令行办理）",
                    "security": [{ "token": [] }],
                    "parameters": [id_param(), param("If-Match", "header", true, json!({ "type": "string" }), "争议记录的版本，如 \"2\"")],
                    "requestBody": body("StepInput"),
                    "responses": common(json!({
                        "201": { "description": "已登记", "content": { "application/json": { "schema": {
                            "type": "object", "required": ["changeset", "status"],
                            "properties": { "changeset": { "type": "string" }, "status": { "type": "string" } }
                        } } } },
                        "401": error_response("未登录"),
                        "403": error_response("无权办理边界争议"),
                        "404": error_response("没有这条记录"),
                        "412": error_response("争议已被他人推进（版本已过期），未做任何修改"),
                        "422": error_response("不能进入该步骤（顺序、文书或日期不符）"),
                        "428": error_response("缺少 If-Match")
                    }))
                }
            },
            "/api/disputes/{id}/map.pdf": {
                "get": {
                    "summary": "争议区域图（调解会用）：各方主张、争议区域、界桩、街路巷与区划，按比例尺（仅限工作人员）",
                    "parameters": [id_param(), param("layout", "query", false, json!({ "type": "string" }), "版式，如 A4-landscape（默认）、A3-landscape")],
                    "responses": common(json!({
                        "200": { "description": "PDF", "content": { "application/pdf": { "schema": { "type": "string", "format": "binary" } } } },
                        "404": error_response("没有这条争议"),
                        "422": error_response("不是边界争议")
                    }))
                }
            }
    })
}
