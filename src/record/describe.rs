//! How a record reads to a person: its title and its attributes as labelled rows, in Chinese,
//! with codes turned into their labels. Each domain type says this once, beside its fields;
//! the map's panel, the record page and the API's `title` and `attributes` all show it.

use std::fmt::Display;

/// A record's title and attributes as the user interface shows them.
pub trait Describe {
    /// What the record is called on screen (a name, a code and what it shows, a number).
    fn title(&self) -> String;
    /// The attributes worth reading, each as (label, value), empty values left out.
    fn attributes(&self) -> Attributes;
    /// What a map draws and labels the record with (vector tiles), each given to `tag`: by
    /// default its title. A named record gives its name instead (a title would repeat it).
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("title", Tag::Own(self.title()));
    }
}

/// A value a map draws with: the record's own, or one of a few codes that repeat across
/// records (a tile writes each once).
pub enum Tag {
    Own(String),
    Code(&'static str),
}

/// Rows of (label, value), built in display order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Attributes(pub Vec<(&'static str, String)>);

impl Attributes {
    pub fn new() -> Self {
        Attributes::default()
    }

    /// A row; an empty value is left out.
    pub fn row(mut self, label: &'static str, value: impl Display) -> Self {
        let value = value.to_string();
        if !value.trim().is_empty() {
            self.0.push((label, value));
        }
        self
    }

    /// A row when there is a value.
    pub fn some(self, label: &'static str, value: Option<impl Display>) -> Self {
        match value {
            Some(v) => self.row(label, v),
            None => self,
        }
    }

    /// A row for a list, its items joined with 、.
    pub fn list<T: Display>(self, label: &'static str, items: &[T]) -> Self {
        let joined: Vec<String> = items.iter().map(ToString::to_string).collect();
        self.row(label, joined.join("、"))
    }
}
