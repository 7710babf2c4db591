//! The API document is derived from the handlers where it can be, and says what they do.

use super::*;

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_json_request_body_is_derived_from_its_handlers_type() {
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let derived = derived().1;
    let mut bodies_seen = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema")
            else {
                continue;
            };
            let name = schema["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .unwrap_or_else(|| panic!("{method} {path}: an inline request schema"));
            assert!(derived.contains_key(name), "{method} {path}: {name}");
            bodies_seen += 1;
        }
    }
    assert!(bodies_seen >= 15, "{bodies_seen}");
    // No reference dangles.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "{r}");
    }
}

#[test]
fn a_derived_body_says_what_the_handler_accepts() {
    let schemas = derived().1;
    // Unknown fields are refused, and what may be left out is not required.
    let write = &schemas["FeatureWrite"];
    assert_eq!(write["additionalProperties"], false);
    assert_eq!(write["required"], json!(["reason", "feature"]));
    // A code's values are the domain's, as they travel in JSON.
    let conditions: Vec<Value> = crate::signs::Condition::ALL
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect();
    assert_eq!(schemas["Condition"]["enum"], json!(conditions));
    // Chinese descriptions for the API's readers; engineers' English comments left out.
    assert_eq!(
        schemas["OrderInput"]["properties"]["cost_fen"]["description"],
        "预算（分）"
    );
    assert!(schemas["Condition"].get("description").is_none());
}

#[test]
fn an_operation_declared_beside_its_handler_answers_with_its_types_and_the_common_errors() {
    let doc = document();
    let step = &doc["paths"]["/api/disputes/{id}/steps"]["post"];
    assert_eq!(
        step["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/StepInput"
    );
    assert_eq!(
        step["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Stepped"
    );
    for status in ["400", "412", "428", "500", "503"] {
        assert_eq!(
            step["responses"][status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error",
            "{status}"
        );
    }
    let statuses = doc["components"]["schemas"]["Stepped"]["properties"]["status"].clone();
    assert_eq!(statuses["$ref"], "#/components/schemas/DisputeStatus");
    assert_eq!(
        doc["paths"]["/api/disputes/{id}/map.pdf"]["get"]["responses"]["200"]["content"]["application/pdf"]
            ["schema"]["$ref"],
        "#/components/schemas/Binary"
    );
}

#[test]
fn every_operation_is_declared_beside_its_handler() {
    // Nothing is listed by hand any more: the frame has no paths of its own.
    assert_eq!(frame()["paths"], json!({}));
    let doc = document();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 30, "{}", paths.len());
    // A path's operations declared in two files are both there.
    let record = doc["paths"]["/api/records/{id}"].as_object().unwrap();
    assert!(
        ["get", "put", "delete"]
            .iter()
            .all(|m| record.contains_key(*m))
    );
    // A layer's table is one of the catalogue's.
    let export = &doc["paths"]["/api/layers/{table}/export"]["get"];
    let table = export["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "table")
        .unwrap();
    let tables: Vec<&str> = crate::model::CATALOGUE.iter().map(|s| s.table).collect();
    assert_eq!(table["schema"]["enum"], json!(tables));
    // Each operation has an id, and no tag naming a Rust module.
    for item in paths.values() {
        for operation in item.as_object().unwrap().values() {
            assert!(operation["operationId"].is_string(), "{operation}");
            assert!(operation.get("tags").is_none(), "{operation}");
            // What an operation has not is left out, never null.
            let fields = operation.as_object().unwrap();
            assert!(fields.values().all(|v| !v.is_null()), "{operation}");
        }
    }
}

#[test]
fn every_route_of_the_json_api_is_in_the_document() {
    let routes = include_str!("../mod.rs");
    let doc = document();
    let mut seen = 0;
    for (i, _) in routes.match_indices("\"/api/") {
        let path = &routes[i + 1..];
        let path = &path[..path.find('"').unwrap()];
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
        seen += 1;
    }
    assert!(seen >= 35, "{seen}");
}

/// The codes the document lists for a parameter read back as the domain's values, each a
/// different one, so that the document and the parsers cannot drift apart.
#[test]
fn documented_parameter_codes_are_the_ones_the_server_reads() {
    fn codes<T: utoipa::PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    }
    let formats: Vec<crate::io::Format> = codes::<crate::io::Format>()
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(formats.len(), 6);
    assert!(formats.windows(2).all(|w| w[0] != w[1]));
    let encodings: Vec<crate::io::Encoding> = codes::<crate::io::Encoding>()
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(
        encodings,
        [crate::io::Encoding::Utf8, crate::io::Encoding::Gbk]
    );
    for code in codes::<crate::names::rules::NameKind>() {
        let kind: crate::names::rules::NameKind = serde_json::from_value(json!(code)).unwrap();
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(code));
    }
    assert_eq!(codes::<crate::cemetery::stats::By>(), ["year", "unit"]);
}
