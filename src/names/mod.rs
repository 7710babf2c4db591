//! Places and their names (地名). Pure: no I/O, no SQL, no HTTP.

mod category;
mod place;

pub use category::PlaceCategory;
pub use place::Place;
