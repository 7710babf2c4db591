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
