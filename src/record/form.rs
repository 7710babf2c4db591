//! The form an officer fills in for a record of a layer, declared by the layer's domain type
//! next to the type itself, as JSON Schema (draft 2020-12): each field's key, its title in
//! Chinese, its type, its choices with their labels, whether it is required, and the table a
//! reference points at (`x-layer`). [`crate::forms`] adds what every form has (the layer's
//! title, its geometry, its address) from the layer catalogue.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// A field of a form.
pub struct Field {
    pub key: &'static str,
    pub schema: Value,
    pub required: bool,
}

impl Field {
    fn of(key: &'static str, schema: Value) -> Field {
        Field {
            key,
            schema,
            required: false,
        }
    }

    /// A line of text.
    pub fn text(key: &'static str, title: &str) -> Field {
        Field::of(key, json!({ "type": "string", "title": title }))
    }

    /// A date (`YYYY-MM-DD`).
    pub fn date(key: &'static str, title: &str) -> Field {
        Field::of(
            key,
            json!({ "type": "string", "format": "date", "title": title }),
        )
    }

    /// A number (`kind` is `integer` or `number`) no less than `minimum`.
    pub fn number(key: &'static str, title: &str, kind: &str, minimum: f64) -> Field {
        Field::of(
            key,
            json!({ "type": kind, "title": title, "minimum": minimum }),
        )
    }

    /// Yes or no.
    pub fn boolean(key: &'static str, title: &str) -> Field {
        Field::of(key, json!({ "type": "boolean", "title": title }))
    }

    /// A choice among the values of a domain type, each with its label.
    pub fn choice<T: Serialize + Copy>(
        key: &'static str,
        title: &str,
        values: &[T],
        label: fn(T) -> &'static str,
    ) -> Field {
        let one_of: Vec<Value> = values
            .iter()
            .map(|v| json!({ "const": serde_json::to_value(v).expect("a unit variant"), "title": label(*v) }))
            .collect();
        Field::of(key, json!({ "title": title, "oneOf": one_of }))
    }

    /// A reference to a record of the layer whose table is `table`.
    pub fn reference(key: &'static str, title: &str, table: &'static str) -> Field {
        Field::of(
            key,
            json!({ "type": "string", "format": "uuid", "title": title, "x-layer": table }),
        )
    }

    /// A list of references to records of any of `tables`.
    pub fn references(key: &'static str, title: &str, tables: &[&'static str]) -> Field {
        Field::of(
            key,
            json!({
                "type": "array",
                "title": title,
                "items": { "type": "string", "format": "uuid", "x-layer": tables },
            }),
        )
    }

    /// A group of fields, stored as one object.
    pub fn object(key: &'static str, title: &str, fields: Vec<Field>) -> Field {
        Field::of(key, schema_of(title, fields))
    }

    /// This field with more JSON Schema keywords (`pattern`, `examples`, `x-personal`, …).
    pub fn with(mut self, extra: Value) -> Field {
        if let (Value::Object(s), Value::Object(e)) = (&mut self.schema, extra) {
            s.extend(e);
        }
        self
    }

    /// This field, which the form cannot be sent without.
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
}

/// A layer's form: its fields in form order, and what a record drawn new begins as.
pub struct Form {
    pub fields: Vec<Field>,
    /// The values a new record's form begins with (`x-create`).
    pub create: Value,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form {
            fields,
            create: json!({}),
        }
    }

    /// This form, whose new records begin with `values`.
    pub fn beginning_with(mut self, values: Value) -> Form {
        self.create = values;
        self
    }

    /// The form as a JSON Schema object titled `title`, with `x-create`.
    pub fn schema(self, title: &str) -> Value {
        let mut schema = schema_of(title, self.fields);
        if let Value::Object(o) = &mut schema {
            o.insert("x-create".into(), self.create);
        }
        schema
    }
}

/// Title, properties, `required` and `x-order` of fields.
fn schema_of(title: &str, fields: Vec<Field>) -> Value {
    let order: Vec<&'static str> = fields.iter().map(|f| f.key).collect();
    let required: Vec<&'static str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|f| (f.key.to_string(), f.schema))
        .collect();
    json!({
        "type": "object",
        "title": title,
        "properties": properties,
        "required": required,
        "x-order": order,
    })
}
