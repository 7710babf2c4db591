//! Places and their names (地名): the naming rules (大洋怪重), romanization (pinyin and the
//! fixed forms of Mongolian names) and the word lists they read. Pure: no I/O, no SQL, no
//! HTTP.

mod category;
pub mod mongolian;
pub mod naming;
mod place;
pub mod romanize;
pub mod rules;
mod words;

pub use category::PlaceCategory;
pub use place::Place;
pub use words::{FILES as WORD_LIST_FILES, Generic, LexiconEntry, Parts, WordLists, split};
