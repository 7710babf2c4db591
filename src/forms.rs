//! The attributes an officer fills in for a feature of a layer, as JSON Schema (draft
//! 2020-12): each field's title in Chinese, its type, its choices with their labels, whether
//! it is required, and the layer a reference points at (`x-layer`). Each layer's domain type
//! declares its form ([`crate::record::Form`], named by the layer's [`LayerSpec::form`]); this
//! module adds what every form has. The map editor builds its forms from these
//! (`GET /api/layers/{layer}/schema`); the registry's own types remain the judge of what is
//! valid, and the tests check that every form filled from a schema is read by them and that
//! the schema names every attribute the layer shows.
//!
//! Extensions: `x-order` (the fields in form order), `x-geometry` (what is drawn: `Point`,
//! `LineString`, `Polygon` or `Any`), `x-layer` (the table a reference or each item of an
//! array of references points at), `x-fill` (a field set from the referenced record: the
//! plot's cemetery comes from its section), `x-personal` (personal data: shown only to the
//! burial office), `x-create` (the values a new feature's form begins with), `x-script`
//! (text in Mongolian script).
//!
//! [`LayerSpec::form`]: crate::model::LayerSpec::form

use crate::model::{CATALOGUE, GeometryKind, Layer};
use serde_json::{Value, json};

/// How many layers are drawn and edited on the map with a form.
const DRAWN_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < CATALOGUE.len() {
        if CATALOGUE[i].form.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The layers drawn and edited on the map with a form, in the catalogue's order.
pub const DRAWN: [Layer; DRAWN_COUNT] = {
    let mut out = [CATALOGUE[0].layer; DRAWN_COUNT];
    let (mut i, mut j) = (0, 0);
    while i < CATALOGUE.len() {
        if CATALOGUE[i].form.is_some() {
            out[j] = CATALOGUE[i].layer;
            j += 1;
        }
        i += 1;
    }
    out
};

/// The form of a layer drawn on the map, or `None` for layers with their own pages.
pub fn schema(layer: Layer) -> Option<Value> {
    let mut schema = (layer.spec().form?)().schema(layer.label());
    let geometry = match layer.geometry_kind() {
        GeometryKind::Point => "Point",
        GeometryKind::MultiLineString => "LineString",
        GeometryKind::MultiPolygon => "Polygon",
        GeometryKind::Any => "Any",
    };
    let object = schema.as_object_mut().expect("an object");
    object.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    object.insert(
        "$id".into(),
        json!(format!("/api/layers/{}/schema", layer.table())),
    );
    object.insert("x-geometry".into(), json!(geometry));
    Some(schema)
}
